"""The header search (fm-search.js on the Pagefind index) in headless Chromium, on the
session's built sample site: what it finds, what a result says, the keyboard, the
screen-reader line, and that it stays on the site under the site's policy."""

from __future__ import annotations

import gzip
import json
import re

import pytest

pytestmark = pytest.mark.browser

FIELD = "input.md-search__input"
RESULT = ".md-search-result__item"
#: Chromium's CSP violations as the page sees them (securitypolicyviolation events).
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def search(page, site_url: str, query: str, path: str = "/") -> None:
    page.goto(site_url + path)
    page.locator(FIELD).click()
    page.locator(FIELD).press_sequentially(query)


def result_for(page, href_end: str):
    hit = page.locator(f"{RESULT} a[href$='{href_end}']").first
    hit.wait_for()
    return hit


def test_a_municipality_is_found_and_says_kommune(page, site_url):
    search(page, site_url, "Kreuzau")
    hit = result_for(page, "/familienmanager/kommunen/kreuzau/")
    assert hit.locator(".fm-search-result__title").inner_text().startswith("Kreuzau")
    assert hit.locator(".fm-search-result__kind").inner_text() == "Kommune"
    first = page.locator(f"{RESULT} a").first.get_attribute("href")
    assert first.endswith("/kommunen/kreuzau/")  # the best result comes first
    # A hand-written page is a "Seite".
    kinds = page.locator(f"{RESULT} .fm-search-result__kind").all_inner_texts()
    assert "Seite" in kinds


@pytest.mark.parametrize(
    ("query", "page_path", "name"),
    [
        ("Muelheim", "/kommunen/muelheim-an-der-ruhr/", "Mülheim an der Ruhr"),
        ("Huerth", "/kommunen/huerth/", "Hürth"),
        ("Koeln", "/kommunen/koeln/", "Köln"),
        ("Uebach-Palenberg", "/kommunen/uebach-palenberg/", "Übach-Palenberg"),
        ("Mulheim", "/kommunen/muelheim-an-der-ruhr/", "Mülheim an der Ruhr"),
        ("KÖLN", "/kommunen/koeln/", "Köln"),
    ],
)
def test_folded_spellings_find_the_place(page, site_url, query, page_path, name):
    """The finder's folding (tests/folding_cases.json): umlauts spelled out or dropped."""
    search(page, site_url, query)
    hit = result_for(page, page_path)
    assert hit.locator(".fm-search-result__title").inner_text().startswith(name)


def test_german_word_forms_find_each_other(page, site_url):
    """German stemming: „Marketings“ finds the event about „Marketing“."""
    search(page, site_url, "Marketings")
    result_for(page, "/termine/2010-11-10-bochum-marketing/")


def test_an_event_says_termin_and_its_date(page, site_url):
    search(page, site_url, "Marketing")
    hit = result_for(page, "/termine/2010-11-10-bochum-marketing/")
    assert hit.locator(".fm-search-result__kind").inner_text() == (
        "Termin · Mittwoch, 10. November 2010"
    )
    # The excerpt marks the word found, and nothing but text and marks comes through.
    assert "Marketing" in hit.locator("mark").all_inner_texts()[0]
    assert hit.locator("p:last-child *:not(mark)").count() == 0


def test_the_result_count_is_announced_in_german(page, site_url):
    search(page, site_url, "Kreuzau")
    status = page.locator(".md-search-result__meta")
    assert status.get_attribute("role") == "status"
    page.locator(RESULT).first.wait_for()
    count = page.locator(RESULT).count()
    assert status.get_attribute("aria-live") == "polite"
    assert re.fullmatch(rf"{count} Suchergebnisse", status.inner_text()), status.inner_text()
    page.locator(FIELD).fill("Qxqxqx")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__list').children.length === 0"
    )
    assert status.inner_text() == "Keine Suchergebnisse"


def test_keyboard_opens_moves_opens_and_closes(page, site_url):
    """ "/" and "s" open the search, the arrows move through the results, Enter opens one,
    Escape closes the search (as Material's search did)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "/impressum/")
    opened = "() => document.getElementById('__search').checked"
    page.keyboard.press("s")
    assert page.evaluate(opened)
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    assert page.locator(FIELD).input_value() == ""  # the key opened, it was not typed
    page.keyboard.press("Escape")
    assert not page.evaluate(opened)
    assert not page.evaluate("document.activeElement.matches('input.md-search__input')")

    page.keyboard.press("/")
    assert page.evaluate(opened)
    page.keyboard.type("Werkstatt")
    page.locator(f"{RESULT}:nth-child(3)").wait_for()
    links = page.locator(f"{RESULT} a")
    href = "() => document.activeElement.getAttribute('href')"
    page.keyboard.press("ArrowDown")
    assert page.evaluate(href) == links.nth(0).get_attribute("href")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(href) == links.nth(1).get_attribute("href")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    target = page.evaluate("() => document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert not page.evaluate(opened)


def test_a_result_keeps_the_focus_when_later_results_replace_the_list(page, site_url):
    """Typing fast and pressing an arrow key before the last query's results arrive (a
    slow phone): the new list must not drop the focus to the page (seen in the keyboard
    test at 400 % zoom under load)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    search(page, site_url, "Werkstatt")
    page.locator(f"{RESULT}:nth-child(2)").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = "() => document.activeElement.closest('.md-search-result__item') !== null"
    assert page.evaluate(focused)
    first = page.locator(f"{RESULT} a").first.get_attribute("href")
    # The results of a longer query arrive while a result has the focus.
    page.evaluate(
        """(selector) => {
          const field = document.querySelector(selector);
          field.value = "Kreuzau";
          field.dispatchEvent(new Event("input"));
        }""",
        FIELD,
    )
    page.wait_for_function(
        "(href) => document.querySelector('.md-search-result__item a').getAttribute('href')"
        " !== href",
        arg=first,
        timeout=15000,
    )
    assert page.evaluate(focused), page.evaluate("document.activeElement.outerHTML.slice(0, 120)")


def test_searching_stays_on_the_site_under_its_policy(page, site_url):
    """Pagefind's script, worker, WebAssembly and index come from the site itself, and
    the site's Content-Security-Policy (no 'unsafe-eval') lets them run."""
    page.add_init_script(RECORD_VIOLATIONS)
    refused: list[str] = []
    page.on(
        "console",
        lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
    )
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(worker.url))
    search(page, site_url, "Kreuzau", path="/termine/")
    result_for(page, "/kommunen/kreuzau/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__csp") == [] and refused == []
    assert [url for url in page.requested_urls if not url.startswith(site_url)] == []
    assert any(url.startswith(f"{site_url}/pagefind/index/") for url in page.requested_urls)
    assert workers == [f"{site_url}/pagefind/pagefind-worker.js"]  # not on the page's thread


def test_nothing_of_the_search_loads_before_it_is_used(page, site_url):
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")
    assert [url for url in page.requested_urls if "/pagefind/" in url] == []
    page.locator(FIELD).focus()  # the search opens: Pagefind loads while the visitor types
    page.wait_for_load_state("networkidle")
    assert f"{site_url}/pagefind/pagefind.js" in page.requested_urls


def test_result_texts_stay_text(page, site_url):
    """A title or text with markup (an editor's typo, or worse) is shown as text: the
    fragments are rewritten on their way, as a hostile index would send them."""

    def hostile(route):
        response = route.fetch()
        data = gzip.decompress(response.body())
        fragment = json.loads(data[len(b"pagefind_dcd") :])
        fragment["meta"]["title"] = '<img src=x onerror="window.__owned=1">Kreuzau'
        words = fragment["content"].split(" ")
        words[1:1] = ['<img src=x onerror="window.__owned=2">', "<b>fett</b>"]
        fragment["content"] = " ".join(words)
        body = b"pagefind_dcd" + json.dumps(fragment).encode()
        route.fulfill(response=response, body=gzip.compress(body))

    page.route("**/pagefind/fragment/*", hostile)
    search(page, site_url, "Kreuzau")
    page.locator(RESULT).first.wait_for()
    page.wait_for_load_state("networkidle")
    first = page.locator(RESULT).first
    assert first.locator(".fm-search-result__title").inner_text().startswith("<img src=x")
    assert page.locator(f"{RESULT} img, {RESULT} b").count() == 0
    assert page.evaluate("window.__owned") is None
