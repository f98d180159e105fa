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
