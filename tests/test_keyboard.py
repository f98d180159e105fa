"""A keyboard pass over every page type of the accessibility suite (WCAG 2.1.1, 2.1.2,
2.4.3, 2.4.7, 2.4.11, 1.4.11; BITV NRW), at three widths and in both colour schemes.

Widths: 1280 px, 375 px (a phone), and a 1280 × 900 window at 400 % zoom, which is a CSS
viewport of 320 × 225 px (WCAG 1.4.10 reflow). The dark scheme is the emulated
``prefers-color-scheme: dark`` the palette follows. The browser's clock runs from the
pinned start (Material's search works on timers).

The pass presses Tab from the top of the page until the focus comes round to the first
element again (no trap, and the end is reached in a bounded number of steps) and checks
every element that takes the focus:

* it is rendered (not ``visibility: hidden``, no zero opacity, not clipped to nothing),
  inside the viewport after the browser scrolled it into view (never at x < 0), and
  not covered by anything (the sticky header, the drawer, an overlay): the point in
  the middle of its visible part hits the element itself;
* it follows the one before in document order (no positive tabindex), and in the
  content it is never above the one before unless it starts a column to the right;
* it shows a focus indicator: the pixels around and on the element change between the
  focused and unfocused state, and enough of them (at least the element's width and
  height once) change with a contrast of at least 3:1 — measured on screenshots, once
  for each kind of element and background in a run;
* every control of the page type is among the stops.

The pass runs in the light scheme. The dark scheme changes colours only, so there every
element that can take the focus and is shown gets it by script (after one Tab, so the
browser draws the indicator as for the keyboard) and is checked the same way.
Operating each control by keyboard alone is in the tests after the pass.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from conftest import BASEMAP, MARKERS, TEST_NOW, open_context, serve_tiles
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from test_a11y_engines import PAGES, event_page

pytestmark = pytest.mark.browser

#: A 1280 × 900 window at 400 % zoom is a 320 × 225 CSS viewport.
VARIANTS = {
    "1280": {"width": 1280, "height": 900},
    "375": {"width": 375, "height": 812},
    "400pct": {"width": 320, "height": 225},
}
#: Far more stops than any page has; reaching it means the focus never came round.
MAX_STOPS = 600

#: The page types of the accessibility suite; the map with an open popup is a state of
#: the map page, reached by keyboard in test_map_consent_and_popup_by_keyboard; the
#: open search with results (Tab closes it, the arrows move through the results) is
#: walked in test_search_opens_and_closes_by_keyboard_on_phones and
#: tests/test_search_browser.py.
KINDS = [kind for kind in PAGES if kind not in {"map-with-popup", "search-results"}]

#: Controls each page type offers, by a CSS selector for what must take the focus.
#: On every page: the palette toggle; the menu and search buttons where the layout has
#: them (phones and zoom), else the search field.
CONTROLS = {
    "map-before-consent": {
        "finder": "input#finder-eingabe, .finder input",
        "map consent": "#karte-zustimmung button",
        "list filter": ".karte-filter input",
    },
    "termine": {
        "filter": "#fm-filters select, #fm-filters input",
        "subscription": ".fm-subscribe a, .fm-howto summary, .fm-feeds a",
        "month navigation": ".fm-mini a, .fm-monthnav a, .fm-picker summary",
    },
    "month": {
        "month navigation": ".fm-monthnav a",
        "month picker": ".fm-picker summary",
    },
    "series": {"subscription": ".fm-subscribe a, .fm-howto summary, .fm-feeds a"},
}

#: What the browser tells about the focused element, read after every Tab.
STOP = """(index) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  if (!el.hasAttribute("data-kb")) el.setAttribute("data-kb", String(index));
  const r = el.getBoundingClientRect();
  const vw = document.documentElement.clientWidth, vh = window.innerHeight;
  // The visible part of the element, and what is on top in its middle.
  const left = Math.max(r.left, 0), right = Math.min(r.right, vw);
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, vh);
  // A link that wraps is several boxes: the middle of its first visible one.
  const part = [...el.getClientRects()].find((b) => b.width >= 1 && b.height >= 1
    && b.right > 0 && b.left < vw && b.bottom > 0 && b.top < vh) || r;
  let hit = null;
  if (right > left && bottom > top) {
    const px = (Math.max(part.left, 0) + Math.min(part.right, vw)) / 2;
    const py = (Math.max(part.top, 0) + Math.min(part.bottom, vh)) / 2;
    const h = document.elementFromPoint(px, py);
    hit = !!h && (h === el || el.contains(h) || [...(el.labels || [])].some((l) => l.contains(h)));
  }
  // Where it sits in the reading order: its table row, if it is in one (cells side by side).
  const row = el.closest("tr") || el;
  const style = getComputedStyle(el);
  let floating = false;
  for (let a = el; a && !floating; a = a.parentElement) {
    floating = ["fixed", "sticky"].includes(getComputedStyle(a).position) && !a.matches(".md-header, .md-sidebar, .md-sidebar *");
  }
  const region = floating ? "floating" : el.closest(".md-header") ? "header"
    : el.closest(".md-sidebar--primary") ? "nav"
    : el.closest(".md-sidebar--secondary") ? "toc"
    : el.closest(".md-footer") ? "footer" : "content";
  // The previous stop, measured now: content-visibility (the long list on the map page)
  // changes the page's height as it scrolls, so positions from two moments disagree.
  const last = document.querySelector("[data-kb-last]");
  const lastY = last ? (last.closest("tr") || last).getBoundingClientRect().top + window.scrollY : null;
  if (last) last.removeAttribute("data-kb-last");
  el.setAttribute("data-kb-last", "");
  return {
    lastY,
    id: el.getAttribute("data-kb"),
    tag: el.tagName.toLowerCase(),
    text: (el.getAttribute("aria-label") || el.textContent || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 50),
    cls: String(el.className || ""),
    tabindex: el.tabIndex,
    x: r.left, y: r.top, w: r.width, h: r.height,
    docY: row.getBoundingClientRect().top + window.scrollY, rowH: row.getBoundingClientRect().height,
    vw, vh, hit, region,
    shown: el.checkVisibility({ visibilityProperty: true, opacityProperty: true }),
    background: (() => {
      for (let a = el; a; a = a.parentElement) {
        const bg = getComputedStyle(a).backgroundColor;
        if (bg && bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
      }
      return "none";
    })(),
    outline: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.outlineOffset].join(" "),
    shadow: style.boxShadow,
  };
}"""

#: Document order of the stops (by their data-kb marks): for each, whether the next follows.
FOLLOWS = """(ids) => ids.slice(1).map((id, i) => {
  const x = document.querySelector(`[data-kb="${ids[i]}"]`);
  const y = document.querySelector(`[data-kb="${id}"]`);
  return !!(x && y && (x.compareDocumentPosition(y) & Node.DOCUMENT_POSITION_FOLLOWING));
})"""


#: Counts the pixels of two PNG screenshots (base64) that differ by at least 3:1 in
#: contrast (WCAG relative luminance); decoded by the browser, which is fast.
COUNT_CHANGED = """async ([focused, unfocused]) => {
  const pixels = async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const image = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
    const canvas = new OffscreenCanvas(image.width, image.height);
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    return context.getImageData(0, 0, image.width, image.height).data;
  };
  const [a, b] = [await pixels(focused), await pixels(unfocused)];
  const channel = (c) => (c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const luminance = (d, i) => 0.2126 * channel(d[i]) + 0.7152 * channel(d[i + 1]) + 0.0722 * channel(d[i + 2]);
  let changed = 0;
  for (let i = 0; i < a.length; i += 4) {
    if (a[i] === b[i] && a[i + 1] === b[i + 1] && a[i + 2] === b[i + 2]) continue;
    const [hi, lo] = [luminance(a, i), luminance(b, i)].sort((x, y) => y - x);
    if ((hi + 0.05) / (lo + 0.05) >= 3) changed++;
  }
  return changed;
}"""

RECT = """(s) => { const r = document.querySelector(s).getBoundingClientRect();
  return { x: r.left, y: r.top, w: r.width, h: r.height }; }"""


def indicator_pixels(page, stop) -> tuple[int, int]:
    """Pixels that change by at least 3:1 between focused and unfocused, and how many are
    needed (the element's width plus height: a one-pixel line along two sides). A large
    element is measured at its top left corner, which its indicator goes round too."""
    pad = 6
    selector = f'[data-kb="{stop["id"]}"]'
    box = page.evaluate(RECT, selector)
    for _ in range(10):  # until a transition (the search field widening) is over
        page.wait_for_timeout(60)
        box, before = page.evaluate(RECT, selector), box
        if box == before:
            break
    x, y = max(box["x"] - pad, 0), max(box["y"] - pad, 0)
    w = min(box["w"] + 2 * pad, stop["vw"] - x, 320)
    h = min(box["h"] + 2 * pad, stop["vh"] - y, 120)
    clip = {"x": x, "y": y, "width": w, "height": h}
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("(s) => document.querySelector(s).blur()", selector)
    unfocused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("(s) => document.querySelector(s).focus({preventScroll: true})", selector)
    changed = page.evaluate(
        COUNT_CHANGED, [base64.b64encode(focused).decode(), base64.b64encode(unfocused).decode()]
    )
    needed = int(min(box["w"], w - pad) + min(box["h"], h - pad))
    return changed, needed


#: Kinds of element and background already measured, per width and scheme: the focus
#: indicator of a kind is the same wherever it appears.
_measured: dict[tuple[str, str], set] = {}


def style_key(stop) -> tuple:
    """What decides how the focus indicator looks: the element's outline and shadow, and
    the background it sits on."""
    return (stop["tag"], stop["region"], stop["outline"], stop["shadow"], stop["background"])


def open_kind(page, site_url: str, built_site: Path, kind: str) -> None:
    target = PAGES[kind]
    if target is event_page:
        page.goto(site_url + event_page(built_site))
    elif callable(target):
        target(page, site_url)
    else:
        page.goto(site_url + target)
    page.wait_for_load_state("load")


def tab_pass(page, check) -> list[dict]:
    """Tab from the top until the focus is back at the first stop; ``check`` looks at each
    stop while it has the focus."""
    stops: list[dict] = []
    for index in range(MAX_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(STOP, index)
        if stop is None:  # past the end: the browser's own controls
            continue
        if stops and stop["id"] == stops[0]["id"]:
            return stops
        for _ in range(6):
            if (
                stop["shown"]
                and stop["hit"]
                and 0 <= stop["x"] <= stop["x"] + stop["w"] <= stop["vw"]
            ):
                break
            # Material fades some elements in on focus (the skip link, a heading's ¶).
            page.wait_for_timeout(50)
            again = page.evaluate(STOP, index)
            assert again is not None, f"the focus was lost after stop {index}: {stop}"
            stop = again
        check(stop)
        stops.append(stop)
    raise AssertionError(f"the focus did not come round after {MAX_STOPS} Tabs: a trap")


@pytest.fixture(scope="module")
def contexts(browser):
    opened = {}

    def get(variant: str, scheme: str):
        if (variant, scheme) not in opened:
            context = open_context(browser, viewport=VARIANTS[variant], color_scheme=scheme)
            # Material's script works on RxJS timers (Date.now()): from the pinned start,
            # the clock runs.
            context.clock.set_system_time(TEST_NOW)
            opened[variant, scheme] = context
        return opened[variant, scheme]

    yield get
    for context in opened.values():
        context.close()


def check_stop(page, stop, measured: set, problems: list[str]) -> None:
    """Shown, on screen, not covered, with a focus indicator of at least 3:1."""
    name = f"{stop['tag']}.{stop['cls']} „{stop['text']}“"
    if stop["tabindex"] > 0:
        problems.append(f"{name}: tabindex {stop['tabindex']}")
    if not stop["shown"] or stop["w"] < 1 or stop["h"] < 1:
        problems.append(f"{name}: focused but not shown")
        return
    fits = stop["w"] <= stop["vw"] and stop["h"] <= stop["vh"]
    inside_x = stop["x"] >= -1 and (stop["x"] + stop["w"] <= stop["vw"] + 1 or not fits)
    inside_y = (
        stop["y"] >= -1 and stop["y"] + stop["h"] <= stop["vh"] + 1
        if fits
        else stop["y"] < stop["vh"] and stop["y"] + stop["h"] > 0
    )
    if not (inside_x and inside_y):
        problems.append(f"{name}: off screen at x={stop['x']:.0f}, y={stop['y']:.0f}")
    elif not stop["hit"]:
        problems.append(f"{name}: covered by another element")
    else:
        key = style_key(stop)
        if key not in measured:
            changed, needed = indicator_pixels(page, stop)
            if changed < needed:
                problems.append(
                    f"{name}: focus indicator too faint ({changed} of {needed} pixels at 3:1)"
                )
            else:
                measured.add(key)


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("kind", KINDS)
def test_keyboard_pass(contexts, site_url, built_site, kind, variant):
    """The Tab pass in the light scheme: every stop, the order, no trap, every control."""
    page = contexts(variant, "light").new_page()
    try:
        open_kind(page, site_url, built_site, kind)
        problems: list[str] = []
        measured = _measured.setdefault((variant, "light"), set())
        stops = tab_pass(page, lambda stop: check_stop(page, stop, measured, problems))
        order = page.evaluate(FOLLOWS, [stop["id"] for stop in stops])
        for previous, stop, follows in zip(stops, stops[1:], order, strict=False):
            name = f"{stop['tag']}.{stop['cls']} „{stop['text']}“"
            if not follows:
                problems.append(f"{name}: comes before the previous stop in the page")
            # Up is fine only into the next column (a list in columns, a table row).
            if (
                stop["region"] == previous["region"] == "content"
                and stop["docY"] + stop["rowH"] <= stop["lastY"] + 1
                and stop["x"] <= previous["x"] + 1
            ):
                problems.append(f"{name}: above the previous stop „{previous['text']}“")
        reached = [stop["id"] for stop in stops]
        for control, selector in {**common_controls(variant), **CONTROLS.get(kind, {})}.items():
            marks = page.evaluate(
                "(s) => [...document.querySelectorAll(s)].map((e) => e.getAttribute('data-kb'))",
                selector,
            )
            if not any(mark in reached for mark in marks):
                problems.append(f"{control}: not reached by Tab")
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


#: Every element that can take the focus and is shown (what the Tab pass reaches; the
#: light scheme's pass checks that nothing hidden is reached).
FOCUSABLE = """() => [...document.querySelectorAll(
  "a[href], button:not([disabled]), input:not([type=hidden]), select, textarea, summary, [tabindex]"
)].filter((el) => el.tabIndex >= 0 && el.checkVisibility({ visibilityProperty: true, opacityProperty: true }))
  .map((el, i) => { el.setAttribute("data-kb-all", String(i)); return i; })"""


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("kind", KINDS)
def test_focus_indicators_in_the_dark_scheme(contexts, site_url, built_site, kind, variant):
    """The same page in the dark scheme: the order and the reach are those of the light
    scheme, the colours are not. Every element that takes the focus gets it (after a
    Tab, so the browser shows the indicator as for the keyboard) and is checked as in
    the pass."""
    page = contexts(variant, "dark").new_page()
    try:
        open_kind(page, site_url, built_site, kind)
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        page.keyboard.press("Tab")
        problems: list[str] = []
        measured = _measured.setdefault((variant, "dark"), set())
        for index in page.evaluate(FOCUSABLE):
            page.evaluate("(i) => document.querySelector(`[data-kb-all='${i}']`).focus()", index)
            stop = page.evaluate(STOP, 10_000 + index)
            for _ in range(6):
                if stop["shown"] and stop["hit"]:
                    break
                page.wait_for_timeout(50)
                stop = page.evaluate(STOP, 10_000 + index)
            check_stop(page, stop, measured, problems)
            # The search opens when its field has the focus; Tab closes it in the pass.
            page.evaluate(
                "() => { const s = document.getElementById('__search'); if (s.checked) s.click(); }"
            )
        assert problems == [], "\n".join(problems)
    finally:
        page.close()


def common_controls(variant: str) -> dict[str, str]:
    controls = {"palette": "button[data-fm-palette]"}
    if variant == "1280":
        controls["search"] = "input.md-search__input"
    else:
        controls["menu"] = ".md-header__button[data-fm-toggle=__drawer]"
        controls["search"] = ".md-header__button[data-fm-toggle=__search]"
    return controls


# --- operating the controls by keyboard alone -------------------------------------------


def focus_by_tab(page, selector: str, limit: int = MAX_STOPS) -> None:
    """Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def active(page, script: str):
    return page.evaluate(f"() => {{ const el = document.activeElement; return {script}; }}")


@pytest.mark.parametrize("variant", ["375", "400pct"])
def test_menu_opens_and_closes_by_keyboard(contexts, site_url, variant):
    page = contexts(variant, "light").new_page()
    try:
        page.goto(site_url + "/werkstattreihe/2010-11-bochum-marketing/")
        menu = ".md-header__button[data-fm-toggle=__drawer]"
        focus_by_tab(page, menu)
        page.keyboard.press("Enter")
        assert page.locator(menu).get_attribute("aria-expanded") == "true"
        page.wait_for_timeout(300)  # the drawer slides in
        # The focus is in the open panel (the section of the page), on screen.
        assert active(page, "!!el.closest('#fm-drawer')")
        assert page.evaluate("() => document.activeElement.getBoundingClientRect().left") >= 0
        # The panel's title closes it; the section's button opens it again.
        page.keyboard.press("Enter")
        assert active(page, "el.matches('[data-fm-toggle=__nav_4]:not(.md-nav__title)')")
        assert active(page, "el.getAttribute('aria-expanded')") == "false"
        page.keyboard.press("Enter")
        assert active(page, "el.matches('.md-nav__title[data-fm-toggle=__nav_4]')")
        # A link of the panel by Tab, then Escape: closed, focus back on the menu button.
        page.keyboard.press("Tab")
        assert active(page, "el.matches('#__nav_4_nav .md-nav__list :is(a, button)')")
        page.keyboard.press("Escape")
        assert page.locator(menu).get_attribute("aria-expanded") == "false"
        assert active(page, f"el.matches('{menu}')")
        assert page.locator("#fm-drawer").evaluate("d => getComputedStyle(d).visibility") == (
            "hidden"
        )
        # Tab past the drawer's last link closes it too: the focus never sits behind it.
        page.keyboard.press("Enter")
        for _ in range(40):
            page.keyboard.press("Tab")
            if not active(page, "!!el.closest('#fm-drawer')"):
                break
        assert page.locator(menu).get_attribute("aria-expanded") == "false"
    finally:
        page.close()


@pytest.mark.parametrize("variant", ["375", "400pct"])
def test_search_opens_and_closes_by_keyboard_on_phones(contexts, site_url, variant):
    page = contexts(variant, "light").new_page()
    try:
        page.goto(site_url + "/")
        button = ".md-header__button[data-fm-toggle=__search]"
        focus_by_tab(page, button)
        page.keyboard.press("Enter")
        assert page.locator(button).get_attribute("aria-expanded") == "true"
        assert active(page, "el.matches('input.md-search__input')")
        page.keyboard.type("Herzogenrath")
        page.locator(".md-search-result__item").first.wait_for()
        page.keyboard.press("ArrowDown")
        assert active(page, "!!el.closest('.md-search-result')"), active(
            page, "el.outerHTML.slice(0, 200)"
        )
        page.keyboard.press("Escape")
        assert page.locator(button).get_attribute("aria-expanded") == "false"
        assert active(page, f"el.matches('{button}')")
        inner = page.locator(".md-search__inner")
        assert inner.evaluate("d => getComputedStyle(d).visibility") == "hidden"
        # Opened again, Shift+Tab closes it (as Material's search did on Tab) and goes
        # back from the search button to the palette, as from the button itself.
        page.keyboard.press("Enter")
        page.keyboard.press("Shift+Tab")
        assert page.locator(button).get_attribute("aria-expanded") == "false"
        assert active(page, "el.matches('button[data-fm-palette]')")
    finally:
        page.close()


def test_search_submit_button_opens_the_best_result(contexts, site_url):
    page = contexts("1280", "light").new_page()
    try:
        page.goto(site_url + "/")
        focus_by_tab(page, "input.md-search__input")
        page.keyboard.type("Herzogenrath")
        page.locator(".md-search-result__item").first.wait_for()
        page.keyboard.press("Tab")  # Tab closes the results; the next stop is the button
        assert active(page, "el.matches('button.fm-search__submit')")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"herzogenrath"))
        assert "query=" not in page.url
    finally:
        page.close()


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_palette_switches_by_keyboard(contexts, site_url, variant):
    page = contexts(variant, "light").new_page()
    try:
        page.goto(site_url + "/impressum/")
        focus_by_tab(page, "button[data-fm-palette]")
        page.keyboard.press("Enter")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        assert active(page, "el.matches('button[data-fm-palette]') && !el.hidden")
        assert active(page, "el.textContent.trim()") == "Helles Farbschema einschalten"
        page.keyboard.press("Space")
        assert page.locator("body").get_attribute("data-md-color-scheme") == "default"
        assert active(page, "el.textContent.trim()") == "Dunkles Farbschema einschalten"
    finally:
        page.close()


#: Material's "back to top" button: shown while the page scrolls up.
TOP = ".md-top"


def scroll(page, script: str) -> None:
    """Scroll, and return once the page's scroll event has been handled (it comes before
    the next frame's callbacks)."""
    page.evaluate(
        f"""async () => {{ {script};
          await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); }}"""
    )


def scroll_until(page, step: int, condition: str) -> None:
    """Scroll by ``step`` pixels until Material has shown or hidden the button as
    ``condition`` says. Material reads the direction from two consecutive scroll
    events; a loaded machine may merge a jump with the next step, so it takes steps."""
    for _ in range(10):
        scroll(page, f"window.scrollBy(0, {step})")
        try:
            page.wait_for_function(condition, arg=TOP, timeout=600)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"scrolling by {step} px never gave {condition}")


@pytest.mark.parametrize("variant", ["375", "400pct"])
def test_back_to_top_keeps_the_focus_and_returns_it_to_the_top(contexts, site_url, variant):
    """Material hides the button when the page scrolls down, and Chromium drops the focus
    of an element that gets ``hidden``: a page moving under a keyboard user (the last
    CI run's 400 % pass, the map page's list laid out as it scrolls into view) left the
    focus on nothing. Focused, the button stays until the focus leaves; pressed, it
    takes the focus to the top, so the next Tab does not jump back to the footer."""
    page = contexts(variant, "light").new_page()
    try:
        page.goto(site_url + "/werkstattreihe/2010-11-bochum-marketing/")
        scroll(page, "window.scrollTo(0, document.documentElement.scrollHeight)")
        scroll_until(page, -100, "(s) => !document.querySelector(s).hidden")
        # The content's last stop, then Tab: the button comes next in the page.
        page.evaluate(
            """() => [...document.querySelectorAll(".md-content a[href], .md-content summary")]
                 .pop().focus({ preventScroll: true })"""
        )
        page.keyboard.press("Tab")
        assert active(page, f"el.matches('{TOP}')")
        # Material wants it hidden (its first step is tabindex -1); the focus stays on it,
        # shown.
        scroll_until(page, 30, "(s) => document.querySelector(s).tabIndex === -1")
        page.wait_for_timeout(300)
        assert active(page, f"el.matches('{TOP}')"), "the focus was dropped"
        assert active(
            page, "el.checkVisibility({ opacityProperty: true, visibilityProperty: true })"
        )
        page.keyboard.press("Enter")
        assert page.evaluate("() => window.scrollY") == 0
        assert active(page, "el.matches('.md-skip')")
        page.keyboard.press("Tab")
        assert active(page, "!!el.closest('.md-header')"), "the next Tab left the top"
        assert page.evaluate("() => window.scrollY") == 0
        # Once the focus has left it, the button hides as Material wants it to.
        scroll(page, "window.scrollTo(0, document.documentElement.scrollHeight)")
        scroll_until(page, -100, "(s) => !document.querySelector(s).hidden")
        page.locator(TOP).focus()
        scroll_until(page, 30, "(s) => document.querySelector(s).tabIndex === -1")
        page.keyboard.press("Tab")
        page.wait_for_function("(s) => document.querySelector(s).hidden", arg=TOP)
        assert active(page, "!!el.closest('.md-footer')")
    finally:
        page.close()


@pytest.mark.parametrize("variant", ["1280", "400pct"])
def test_map_consent_and_popup_by_keyboard(contexts, site_url, variant):
    page = contexts(variant, "light").new_page()
    try:
        serve_tiles(page, BASEMAP)
        page.goto(site_url + "/familienmanager/karte/")
        focus_by_tab(page, "#karte-zustimmung button")
        page.keyboard.press("Enter")
        page.wait_for_selector(MARKERS)
        show = page.get_by_role("button", name="Auf der Karte zeigen: Bochum")
        show.evaluate("b => b.setAttribute('data-bochum', '')")
        focus_by_tab(page, "[data-bochum]")
        page.keyboard.press("Enter")
        page.locator(".leaflet-popup-content").wait_for()
        assert "Bochum" in page.locator(".leaflet-popup-content").inner_text()
    finally:
        page.close()
