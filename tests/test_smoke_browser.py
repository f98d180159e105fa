"""The built site opens in a browser with German titles and the main navigation."""

import pytest

pytestmark = pytest.mark.browser

MAIN_SECTIONS = ["Startseite", "Familienmanagerinnen und -manager", "Termine", "Werkstattreihe"]


def test_start_page_is_german_with_main_navigation(page, site_url):
    page.goto(site_url + "/")
    assert page.locator("html").get_attribute("lang") == "de"
    assert "Familienmanagerinnen und -manager in NRW" in page.title()
    nav = page.locator("nav.md-nav--primary").first.inner_text()
    for section in MAIN_SECTIONS:
        assert section in nav
    assert "Leichte Sprache" in nav


def test_workshop_page_shows_title_with_umlauts(page, site_url):
    page.goto(site_url + "/werkstattreihe/2010-11-bochum-marketing/")
    heading = page.locator("article h1").first.inner_text()
    assert "Kommunales Management für Familien braucht Marketing" in heading
    body = page.locator("article").inner_text()
    assert "Bochum" in body and "Ã" not in body  # no mojibake of umlauts


def test_no_request_leaves_the_site(page, site_url):
    page.goto(site_url + "/")
    page.wait_for_load_state("networkidle")
    foreign = [url for url in page.requested_urls if not url.startswith(site_url)]
    assert foreign == []


#: One page of each type the site has (tests/test_a11y_engines.py runs the engines on
#: the same kinds): hand-written, map, municipality, Termine lists, month, event, 404.
PAGE_TYPES = [
    "/",
    "/leichte-sprache/",
    "/impressum/",
    "/familienmanager/",
    "/familienmanager/karte/",
    "/familienmanager/kommunen/",
    "/familienmanager/kommunen/kreuzau/",
    "/termine/",
    "/termine/reihe/werkstattreihe/",
    "/termine/2010/11/",
    "/termine/2010-11-10-bochum-marketing/",
    "/werkstattreihe/2010-11-bochum-marketing/",
    "/404.html",
]


def watch_for_errors(page, site_url) -> list[str]:
    """Console errors, uncaught exceptions and failed requests to the site (a 404 is
    what Lighthouse counts as a console error)."""
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"exception: {e}"))
    page.on(
        "response",
        lambda r: (
            r.status >= 400 and r.url.startswith(site_url) and errors.append(f"{r.status} {r.url}")
        ),
    )
    return errors


@pytest.mark.parametrize("path", PAGE_TYPES)
def test_no_console_errors_on_any_page_type(page, site_url, path):
    errors = watch_for_errors(page, site_url)
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    # Material's language integration asks for sitemap.xml next to every
    # <link rel="alternate"> (the Termine pages' Atom feed): it must be there.
    assert errors == []
