"""The calendar pages of the shipped data in a real browser: placement, keyboard,
accessibility (axe-core, WCAG 2.1 AA), the phone agenda view and the links between
events, months, lists and the workshop reports."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import icalendar
import pytest
from conftest import axe_violations, check_rfc5545, open_context

pytestmark = pytest.mark.browser

MONTH = "/termine/2010/11/"
EVENT = "/termine/2010-11-10-bochum-marketing/"
TITLE = "Kommunales Management für Familien braucht Marketing"


def test_november_2010_shows_the_bochum_workshop_on_wednesday_10_in_week_45(page, site_url):
    page.goto(site_url + MONTH)
    assert page.locator("table.fm-cal caption").inner_text().startswith("November 2010")
    heads = page.locator("table.fm-cal thead th").all_inner_texts()
    assert heads == ["KW", "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    assert page.locator("table.fm-cal thead th abbr").nth(3).get_attribute("title") == "Mittwoch"
    cell = page.locator('td[data-date="2010-11-10"]')
    column = cell.evaluate("td => td.cellIndex")
    assert heads[column] == "Mi"
    row_head = cell.locator("xpath=../th").inner_text()
    assert row_head.split()[-1] == "45"
    link = cell.get_by_role("link", name=TITLE)
    assert link.is_visible()
    assert (
        page.locator('td[data-date="2010-11-01"] .fm-day__holiday')
        .inner_text()
        .endswith("Allerheiligen")
    )
    # Days of December fill the last row, muted.
    assert page.locator("td.fm-day--other").count() == 5
    link.click()
    page.wait_for_url("**" + EVENT)
    assert page.locator("article h1").inner_text() == TITLE
    assert "Mittwoch, 10. November 2010" in page.locator("dl.fm-facts").inner_text()


def test_keyboard_reaches_month_links_and_events_with_visible_focus(page, site_url):
    page.goto(site_url + MONTH)
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement; const style = getComputedStyle(el);
                return {text: el.innerText || "", href: el.getAttribute("href") || "",
                        outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                        inGrid: !!el.closest(".fm-month")}; }"""
        )
        if info["inGrid"]:
            reached.append(info)
    texts = [r["text"].replace("\n", " ") for r in reached]
    # The neighbouring months with a page: no month between has events.
    assert any("Februar 2010" in t for t in texts)
    assert "Heute" in texts and "Alle Termine" in texts
    assert any("November 2025" in t for t in texts)
    assert TITLE in texts
    order = [
        next(i for i, t in enumerate(texts) if "Februar 2010" in t),
        texts.index("Heute"),
        texts.index("Alle Termine"),
        texts.index(TITLE),
    ]
    assert order == sorted(order)  # navigation first, then the grid
    for info in reached:
        assert info["outline"] != "none" and info["width"] >= 2, info


@pytest.mark.parametrize("path", [MONTH, EVENT, "/termine/", "/termine/reihe/werkstattreihe/"])
def test_no_wcag_violations(page, site_url, path):
    page.goto(site_url + path)
    assert axe_violations(page) == []


def test_phone_shows_an_agenda_of_the_month(browser, site_url):
    context = open_context(browser, viewport={"width": 360, "height": 800})
    try:
        phone = context.new_page()
        phone.goto(site_url + MONTH)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert not phone.locator("table.fm-cal thead").is_visible()
        visible_days = phone.locator("td.fm-day:visible .fm-day__label").all_inner_texts()
        assert visible_days == ["Montag, 1. November", "Mittwoch, 10. November"]
        assert phone.locator("table.fm-cal").get_by_role("link", name=TITLE).is_visible()
        assert phone.locator("th:visible").first.inner_text() == "Kalenderwoche 44"
    finally:
        context.close()


def test_event_page_offers_ics_and_links_back_from_the_report(page, site_url, built_site):
    page.goto(site_url + EVENT)
    download = page.get_by_role("link", name=re.compile("^In meinen Kalender"))
    href = download.get_attribute("href")
    data = (built_site / urlsplit(urljoin(EVENT, href)).path.lstrip("/")).read_bytes()
    assert check_rfc5545(data) == []
    entry = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert str(entry["SUMMARY"]) == TITLE
    report = page.get_by_role("link", name="Bericht zur Veranstaltung (Dokumentation)")
    report.click()
    page.wait_for_url("**/werkstattreihe/2010-11-bochum-marketing/")
    back = page.locator(".fm-backlink").get_by_role("link", name=TITLE)
    back.click()
    page.wait_for_url("**" + EVENT)


def test_calendar_pages_stay_out_of_the_nav(page, site_url):
    page.goto(site_url + "/termine/")
    nav_links = page.locator("nav.md-nav--primary a[href]").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert not [h for h in nav_links if re.search(r"termine/(\d{4}|reihe|20\d\d-)", h)]
    assert page.locator("#fm-upcoming").count() == 1
    assert (
        "Zurzeit sind keine kommenden Termine eingetragen." in page.locator("article").inner_text()
    )


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def test_every_link_of_the_calendar_pages_resolves(built_site):
    broken = []
    pages = sorted((built_site / "termine").rglob("index.html"))
    assert len(pages) > 40
    for html_file in pages:
        parser = _Links()
        parser.feed(html_file.read_text(encoding="utf-8"))
        base = "/" + html_file.parent.relative_to(built_site).as_posix() + "/"
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("#"):
                continue
            target = Path(built_site, urljoin(base, parts.path).lstrip("/"))
            if not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{base}: {href}")
    assert broken == []
