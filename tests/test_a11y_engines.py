"""Zero WCAG 2.1 A/AA violations in three engines on every page type (BITV NRW).

The engines differ in what they check and how, so each catches things the others miss:

* axe-core (Deque), through axe-playwright-python, with the WCAG tags of
  ``conftest.axe_violations``;
* IBM Equal Access (npm ``accessibility-checker-engine``): its ``ace.js`` runs in the page
  with the "WCAG_2_1" policy; a result counts when the policy rates it VIOLATION and the
  engine is sure (FAIL; "POTENTIAL" results ask for a human review and are not counted);
* HTML_CodeSniffer (npm ``html_codesniffer``, the engine of pa11y): standard "WCAG2AA",
  messages of type ERROR.

Both npm engines are installed from ``tests/a11y_engines/package-lock.json`` into
``tests/a11y_engines/node_modules`` (``npm ci`` on the first run; no download at test
time beyond that). Without npm the engine tests fail in CI and are skipped elsewhere.

Variants: every page type at 1280 px and at 375 px (a fresh load at each width, as a
phone gets it), in the light and in the dark scheme. The palette follows the system's
preference until a visitor picks a scheme, so the dark scheme is the emulated
``prefers-color-scheme: dark``. In the light scheme all rules of all three engines run;
in the dark scheme, the same page in other colours, axe-core and IBM run only their
contrast rules (``color-contrast``, ``text_contrast_sufficient``) and HTML_CodeSniffer,
which cannot pick rules and is fast, runs in full. 52 runs (one page type is the
header search open with results); the map page (a long list,
the map with a popup open) takes most of the time.

No exceptions: every finding of every engine fails the test, Material's theme included
(its toggles are buttons, see theme/base.html and theme/partials/). The W3C Nu HTML
checker (npm ``vnu-jar``, run with Java) reads every page of the built site in one call.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BASEMAP, MARKERS, ROOT, serve_tiles

pytestmark = pytest.mark.browser

ENGINES_DIR = ROOT / "tests" / "a11y_engines"
ACE_JS = ENGINES_DIR / "node_modules" / "accessibility-checker-engine" / "ace.js"
HTMLCS_JS = ENGINES_DIR / "node_modules" / "html_codesniffer" / "build" / "HTMLCS.js"
VNU_JAR = ENGINES_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
WIDTHS = {"1280": {"width": 1280, "height": 900}, "375": {"width": 375, "height": 812}}
SCHEMES = {"light": "default", "dark": "slate"}
LEGAL_LINKS = ["Impressum", "Datenschutz", "Barrierefreiheit"]
MAP = "/familienmanager/karte/"


@pytest.fixture(scope="session")
def a11y_engines() -> tuple[Path, Path]:
    """Paths of ace.js and HTMLCS.js; runs ``npm ci`` when an engine (or vnu.jar) is missing."""
    if not (ACE_JS.is_file() and HTMLCS_JS.is_file() and VNU_JAR.is_file()):
        npm = shutil.which("npm")
        if npm is None:
            message = "npm is required to install the accessibility engines (tests/a11y_engines)."
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--prefix", str(ENGINES_DIR)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
    return ACE_JS, HTMLCS_JS


# --- the engines ----------------------------------------------------------------------

#: Runs in the page after ace.js: IBM's certain WCAG 2.1 violations.
IBM_CHECK = """async (only) => {
  const checker = new ace.Checker();
  if (only) {
    // Checker.disableRule() switches off every rule (ace 4.0.34), so switch them off here.
    for (const guideline of checker.getGuidelines()) {
      for (const checkpoint of guideline.checkpoints) {
        for (const rule of checkpoint.rules || []) {
          if (!only.includes(rule.id)) rule.enabled = false;
        }
      }
      checker.addGuideline(guideline);
    }
  }
  const report = await checker.check(document, ["WCAG_2_1"]);
  return report.results
    .filter((r) => r.value[0] === "VIOLATION" && r.value[1] === "FAIL")
    .map((r) => ({
      rule: r.ruleId, reason: r.reasonId, message: r.message,
      snippet: r.snippet, xpath: r.path.dom,
    }));
}"""

#: Runs in the page after HTMLCS.js: the ERROR messages of the WCAG2AA standard.
HTMLCS_CHECK = """() => new Promise((resolve, reject) => HTMLCS.process("WCAG2AA", document, () => {
  resolve(HTMLCS.getMessages().filter((m) => m.type === HTMLCS.ERROR).map((m) => ({
    code: m.code, message: m.msg,
    snippet: (m.element.outerHTML || m.element.nodeName).slice(0, 300),
  })));
}, reject, "en"))"""


def inject_engines(page, engines: tuple[Path, Path]) -> None:
    """ace.js and HTMLCS.js into the page, once per page load.

    Evaluated through the DevTools protocol, as axe-playwright-python does with axe-core:
    a ``<script>`` element (``add_script_tag``) would be an inline script the page's
    Content-Security-Policy rightly refuses."""
    if page.evaluate("typeof ace === 'undefined' || typeof HTMLCS === 'undefined'"):
        for script in engines:
            page.evaluate(script.read_text(encoding="utf-8"))


def ibm_violations(page, only: list[str] | None = None) -> list[dict]:
    return page.evaluate(IBM_CHECK, only)


def htmlcs_errors(page) -> list[dict]:
    return page.evaluate(HTMLCS_CHECK)


#: axe-core with the tags of ``conftest.axe_violations``; only violations come back.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def axe_findings(page, only: list[str] | None = None) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = AXE_OPTIONS
    if only:
        options = {"runOnly": {"type": "rule", "values": only}, "resultTypes": ["violations"]}
    violations = Axe().run(page, options=options).response["violations"]
    return [
        {
            "rule": v["id"],
            "help": v["help"],
            "nodes": [(n["html"][:300], n.get("failureSummary", "")) for n in v["nodes"]],
        }
        for v in violations
    ]


#: The contrast rules of axe-core and IBM, the only ones the colour scheme changes.
#: HTML_CodeSniffer runs in full: it is fast, and it has no way to pick rules.
AXE_CONTRAST = ["color-contrast"]
IBM_CONTRAST = ["text_contrast_sufficient"]


def all_engines(
    page, engines: tuple[Path, Path], *, contrast_only: bool = False
) -> dict[str, list[dict]]:
    inject_engines(page, engines)
    return {
        "axe": axe_findings(page, AXE_CONTRAST if contrast_only else None),
        "ibm": ibm_violations(page, IBM_CONTRAST if contrast_only else None),
        "htmlcs": htmlcs_errors(page),
    }


# --- the page types --------------------------------------------------------------------


def event_page(built_site: Path) -> str:
    """An event page of the built calendar: the first with facts and outline buttons."""
    for index in sorted(built_site.glob("termine/*/index.html")):
        html = index.read_text(encoding="utf-8")
        if 'class="fm-facts"' in html and 'class="md-button"' in html:
            return f"/termine/{index.parent.name}/"
    raise AssertionError("no event page under site/termine/")


def open_map_before_consent(page, site_url: str) -> None:
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.locator("#karte-zustimmung").wait_for()


def open_map_with_popup(page, site_url: str) -> None:
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.get_by_role("button", name="Karte laden").click()
    page.wait_for_selector(MARKERS)
    page.get_by_role("button", name="Auf der Karte zeigen: Bochum").click()
    page.locator(".leaflet-popup-content").wait_for()


def open_search_with_results(page, site_url: str) -> None:
    """The start page with the header search open and results shown: events (Termin with
    the date) and pages."""
    page.goto(site_url + "/")
    if page.viewport_size["width"] < 960:
        page.locator(".md-header__button[data-fm-toggle=__search]").click()
    field = page.locator("input.md-search__input")
    field.click()
    field.press_sequentially("Werkstatt")
    page.locator(".md-search-result__item").first.wait_for()
    page.wait_for_load_state("networkidle")


PAGES = {
    "start": "/",
    "content": "/impressum/",
    "section-index": "/werkstattreihe/",
    "workshop-report": "/werkstattreihe/2010-11-bochum-marketing/",
    "map-before-consent": open_map_before_consent,
    "map-with-popup": open_map_with_popup,
    "termine": "/termine/",
    "month": "/termine/2010/11/",
    "event": event_page,
    "series": "/termine/reihe/werkstattreihe/",
    "404": "/404.html",
    "leichte-sprache": "/leichte-sprache/",
    "search-results": open_search_with_results,
}


def open_page_type(page, site_url: str, built_site: Path, kind: str) -> None:
    target = PAGES[kind]
    if target is event_page:
        page.goto(site_url + event_page(built_site))
    elif callable(target):
        target(page, site_url)
    else:
        page.goto(site_url + target)
    page.wait_for_load_state("load")


@pytest.mark.parametrize("width", list(WIDTHS))
@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("kind", list(PAGES))
def test_no_violations_in_three_engines(
    page, site_url, built_site, a11y_engines, kind, scheme, width
):
    # A fresh load per variant: a page resized after loading passes through Material's
    # transitions, and a phone user gets the page at its width anyway.
    page.emulate_media(color_scheme=scheme)
    page.set_viewport_size(WIDTHS[width])
    open_page_type(page, site_url, built_site, kind)
    shown = page.locator("body").get_attribute("data-md-color-scheme")
    assert shown == SCHEMES[scheme], "the page did not follow the emulated colour scheme"
    dark = scheme == "dark"  # the same page in other colours: contrast rules only
    assert all_engines(page, a11y_engines, contrast_only=dark) == {
        "axe": [],
        "ibm": [],
        "htmlcs": [],
    }


# --- references between elements, the search form ---------------------------------------


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_label_points_at_an_element(page, site_url, built_site, kind):
    """No label, aria-labelledby, aria-describedby or aria-controls points at nothing."""
    open_page_type(page, site_url, built_site, kind)
    dangling = page.evaluate(
        """() => [...document.querySelectorAll("label[for]")]
            .filter((label) => !document.getElementById(label.htmlFor))
            .map((label) => label.outerHTML.slice(0, 120))"""
    )
    assert dangling == []
    dangling_refs = page.evaluate(
        """() => [...document.querySelectorAll("[aria-labelledby], [aria-describedby], [aria-controls]")]
            .flatMap((el) => ["aria-labelledby", "aria-describedby", "aria-controls"]
              .flatMap((name) => (el.getAttribute(name) || "").split(/\\s+/).filter(Boolean))
              .filter((id) => !document.getElementById(id))
              .map((id) => `${el.tagName.toLowerCase()} -> ${id}`))"""
    )
    assert dangling_refs == []


def test_enter_in_the_search_opens_the_best_result(page, site_url):
    """Enter in the search field opens the best result (fm-search.js), as the form's
    submit button does (tests/test_keyboard.py)."""
    page.goto(site_url + "/")
    query = page.get_by_role("textbox", name="Suche")
    query.click()
    query.press_sequentially("Herzogenrath")
    page.locator(".md-search-result__item").first.wait_for()
    query.press("Enter")
    page.wait_for_url(re.compile(r"herzogenrath"))
    assert "Herzogenrath" in page.locator("article").inner_text()
    assert "query=" not in page.url  # the form itself was not submitted


# --- 404 page, footer, header ----------------------------------------------------------


@pytest.mark.parametrize(("width", "shown"), [(1280, "Suche"), (375, "Suche schließen")])
def test_search_field_shows_one_icon_button(page, site_url, width, shown):
    """Where Material showed its label's icon: the magnifier (submit) on wide screens, the
    arrow that closes the search on phones."""
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site_url + "/")
    if width < 960:
        page.locator(".md-header__button[data-fm-toggle=__search]").click()
    buttons = page.locator(".md-search__form :is(.fm-search__submit, .fm-search__close)")
    visible = [
        buttons.nth(i).inner_text() for i in range(buttons.count()) if buttons.nth(i).is_visible()
    ]
    assert visible == [shown]


def test_404_page_is_german_and_its_links_work_at_any_depth(page, site_url, built_site):
    """Served for a missing address deep in the site, as a web server does."""
    body = (built_site / "404.html").read_text(encoding="utf-8")
    missing = site_url + "/termine/2099/01/gibt-es-nicht/"
    page.route(
        missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html")
    )
    response = page.goto(missing)
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "Seite nicht gefunden"
    assert page.title().startswith("Seite nicht gefunden")
    # The stylesheets came along (root-relative): Material's header is laid out.
    assert page.locator("header.md-header").evaluate("h => getComputedStyle(h).position") in {
        "sticky",
        "fixed",
    }
    wanted = {
        "Karte der Familienmanagerinnen und -manager": "/familienmanager/karte/",
        "Termine": "/termine/",
        "Startseite": "/",
    }
    article = page.locator("article")
    for name, path in wanted.items():
        href = article.get_by_role("link", name=name, exact=True).evaluate("a => a.href")
        assert href == site_url + path
        assert page.request.get(href).status == 200
    # The page's own search: a labelled field and a button; the header search opens with
    # the term and finds it.
    field = article.get_by_role("searchbox", name="Suchbegriff")
    field.fill("Bochum")
    article.get_by_role("button", name="Suchen").click()
    page.wait_for_url(site_url + "/?q=Bochum")
    assert page.get_by_role("textbox", name="Suche").input_value() == "Bochum"
    page.locator(".md-search-result a[href$='/kommunen/bochum/']").first.wait_for()


@pytest.mark.parametrize(
    "kind", [k for k in PAGES if k not in {"map-with-popup", "search-results"}]
)
def test_legal_pages_are_linked_in_every_footer_on_phones(page, site_url, built_site, kind):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page_type(page, site_url, built_site, kind)
    footer = page.locator("footer nav.fm-legal")
    for name in LEGAL_LINKS:
        link = footer.get_by_role("link", name=name, exact=True)
        assert link.is_visible(), name
        assert page.request.get(link.evaluate("a => a.href")).status == 200, name


@pytest.mark.parametrize("width", [390, 360])
def test_site_title_is_not_cut_on_phones(page, site_url, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site_url + "/")
    title = page.locator(".md-header__topic:first-child .md-ellipsis")
    assert title.inner_text().strip() == "Familienmanagerinnen und -manager in NRW"
    box = title.evaluate(
        """t => ({sw: t.scrollWidth, cw: t.clientWidth, sh: t.scrollHeight, ch: t.clientHeight,
                 top: t.getBoundingClientRect().top, bottom: t.getBoundingClientRect().bottom})"""
    )
    assert box["sw"] <= box["cw"] and box["sh"] <= box["ch"], box  # nothing clipped
    header = page.locator("header.md-header").bounding_box()
    assert header["y"] <= box["top"] and box["bottom"] <= header["y"] + header["height"], box


def test_every_page_has_a_working_skip_link(built_site):
    """WCAG 2.4.1: "Zum Inhalt springen" on every page, generated ones included, and its
    target exists on the page."""
    missing = []
    for path in sorted(built_site.rglob("index.html")):
        if path.relative_to(built_site).parts[0] == "redaktion":
            continue  # the editing page is Decap CMS's application, not a Material page
        html = path.read_text(encoding="utf-8")
        match = re.search(r'<a href="#([^"]+)" class="md-skip">', html)
        if match is None or f'id="{match.group(1)}"' not in html:
            missing.append(path.relative_to(built_site).as_posix())
    assert missing == []


# --- the W3C Nu HTML checker over every page ---------------------------------------------

#: Nu's Content-Security-Policy check reports inline scripts as blocked that the browser
#: runs: data blocks (``<script type="application/json">``, Material's settings; JSON-LD),
#: which CSP does not govern since they never run, and the map's set-up script, whose
#: SHA-256 the policy lists (Chromium runs it: tests/test_csp.py). Such a message is
#: accepted only after checking the script it points at: a data block, or a script
#: whose hash is in the page's policy.
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S)


def script_runs_or_is_data(html: str, line: int) -> bool:
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', html)
    for match in SCRIPT.finditer(html):
        first = html.count("\n", 0, match.start()) + 1
        last = html.count("\n", 0, match.end()) + 1
        if first <= line <= last:
            if re.search(r'\btype="application/(?:json|ld\+json)"', match.group(1)):
                return True
            digest = base64.b64encode(hashlib.sha256(match.group(2).encode()).digest())
            return bool(policy) and f"'sha256-{digest.decode()}'" in policy.group(1)
    return False


def test_nu_html_checker_reports_nothing_on_any_page(built_site, site_url, a11y_engines):
    """Every page of the built site, served over HTTP (so 'self' in the policy means the
    site), in one run of the checker (a JVM: one process for all pages)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        message = "Java and tests/a11y_engines (npm ci) are required for the Nu HTML checker."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 400
    urls = [f"{site_url}/{path.relative_to(built_site).as_posix()}" for path in pages]
    result = subprocess.run(
        [
            java,
            # The checker refuses loopback addresses unless told (it is also a web service).
            "-Dnu.validator.servlet.allow-forbidden-hosts=true",
            "-jar",
            str(VNU_JAR),
            "--format",
            "json",
            *urls,
        ],
        capture_output=True,
        text=True,
    )
    messages = json.loads(result.stderr)["messages"]
    findings = []
    for message in messages:
        path = built_site / message["url"].removeprefix(site_url + "/")
        if (
            message["type"] == "info"
            and message["message"].startswith("Inline script violates Content Security Policy")
            and script_runs_or_is_data(path.read_text(encoding="utf-8"), message["lastLine"])
        ):
            continue
        findings.append(
            f"{message['url'].removeprefix(site_url)}:{message.get('lastLine')}:"
            f" {message['type']}: {message['message']}"
        )
    assert findings == []
