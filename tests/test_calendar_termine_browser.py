"""The Termine page in a real browser (clock pinned to 22 November 2026): this month at
a glance, "Heute", month by month through the window, the place filters and the
subscription box, with and without script."""

from __future__ import annotations

import re

import pytest
from conftest import open_context

pytestmark = pytest.mark.browser


def test_the_termine_page_opens_with_this_months_grid(page, site_url):
    page.goto(site_url + "/termine/")
    mini = page.locator("section.fm-mini")
    # Before the lists: the calendar comes first.
    assert mini.evaluate(
        "m => m.compareDocumentPosition(document.getElementById('kommende-termine')) & 4"
    )
    assert mini.locator(".fm-mini__title").inner_text() == "November 2026"
    heads = mini.locator("thead th").all_inner_texts()
    assert heads == ["KW", "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"]
    rows = [
        [cell.strip() for cell in row.split("\t")]
        for row in mini.locator("tbody tr").all_inner_texts()
    ]
    # The old site's box: week number, then Monday to Sunday with the neighbours' days.
    assert rows[0] == ["44", "26", "27", "28", "29", "30", "31", "1"]
    assert rows[-1] == ["49", "30", "1", "2", "3", "4", "5", "6"]
    today = mini.locator('td[aria-current="date"]')
    assert today.inner_text() == "22" and today.get_attribute("data-date") == "2026-11-22"
    assert mini.locator("td.fm-mini__other").count() == 12
    page.get_by_role("link", name="Heute", exact=True).click()
    page.wait_for_url("**/termine/2026/11/#tag-2026-11-22")
    assert page.locator("#tag-2026-11-22").get_attribute("aria-current") == "date"


def test_previous_and_next_move_one_month_at_a_time_around_today(page, site_url):
    page.goto(site_url + "/termine/")
    page.get_by_role("link", name="Nächster Monat: Dezember 2026").click()
    page.wait_for_url("**/termine/2026/12/")
    assert "Für Dezember 2026 sind keine Termine eingetragen." in page.inner_text("article")
    seen = []
    for _ in range(3):
        page.locator(".fm-monthnav__next a").click()
        page.wait_for_load_state()
        seen.append(page.locator("table.fm-cal caption").inner_text().split(":")[0])
    assert seen == ["Januar 2027", "Februar 2027", "März 2027"]
    page.locator(".fm-monthnav__prev a").click()
    page.wait_for_url("**/termine/2027/02/")
    # The end of the window says so instead of jumping.
    page.goto(site_url + "/termine/2027/11/")
    assert page.locator(".fm-monthnav__next").inner_text() == "Keine späteren Monate im Kalender"


def test_from_an_old_month_next_names_the_months_it_skips(page, site_url):
    page.goto(site_url + "/termine/2010/11/")
    following = page.locator(".fm-monthnav__next")
    assert following.get_by_role("link").get_attribute("href") == "../../2025/11/"
    assert "Dezember 2010 bis Oktober 2025: keine Termine" in following.inner_text()
    assert following.get_by_role("link", name="Späterer Monat: November 2025").is_visible()
    page.goto(site_url + "/termine/2026/12/")
    empty = page.locator(".fm-month__empty")
    assert "Nach Dezember 2026 sind noch keine Termine eingetragen." in empty.inner_text()
    empty.get_by_role("link").click()
    page.wait_for_url("**/termine/2010-11-10-bochum-marketing/")


def test_month_picker_lists_pages_by_year(page, site_url):
    page.goto(site_url + "/termine/2010/11/")
    picker = page.locator("details.fm-picker")
    picker.locator("summary").click()
    years = picker.locator(".fm-picker__year").all_inner_texts()
    assert years == ["2027", "2026", "2025", "2010", "2009", "2008"]
    first_2010 = picker.locator("ul.fm-picker__years > li").nth(3)
    assert first_2010.locator(".fm-picker__months a").all_inner_texts() == ["Februar", "November"]


def test_place_filter_and_only_upcoming(page, site_url):
    page.goto(site_url + "/termine/")
    items = page.locator("ul.fm-list > li.fm-item:visible .fm-item__title")
    assert items.count() == 9
    page.get_by_label("Ort oder Kreis").select_option("ort:Bochum")
    assert items.all_inner_texts() == [
        "Kommunales Management für Familien braucht Marketing",
        "Familienfreundlichkeit – Die Kommunalverwaltung im Fokus",
    ]
    assert page.locator("#fm-filter-status").inner_text() == "2 Termine von 9 angezeigt."
    assert page.locator('h3[id="2009"]').is_hidden()  # no event in Bochum that year
    years = page.locator("#fm-years a")
    assert years.all_inner_texts() == ["2010", "2008"]  # "Nach Jahren" without 2009
    assert page.locator("#fm-years").inner_text() == "Nach Jahren: 2010 · 2008"
    assert re.search(r"\?wo=ort%3ABochum$", page.url)
    page.get_by_label("Ort oder Kreis").select_option("kreis:Städteregion Aachen")
    assert items.all_inner_texts() == [
        "Koordinierung familienunterstützender Dienstleistungen in Kommunen"
    ]
    assert years.all_inner_texts() == ["2010"]
    page.get_by_label("Ort oder Kreis").select_option("")
    assert years.all_inner_texts() == ["2010", "2009", "2008"]
    years.filter(has_text="2009").click()  # the links still lead to their year
    assert page.url.endswith("#2009")
    page.get_by_label("Ort oder Kreis").select_option("kreis:Städteregion Aachen")
    page.get_by_label("Nur kommende Termine").check()
    assert items.count() == 0
    assert page.locator("#vergangene-termine").is_hidden()
    assert page.locator("#fm-archive-hidden").is_visible()
    assert page.get_by_role("heading", name="Die Veranstaltungsreihen").is_visible()
    # The choice is in the address: a reload (or a shared link) keeps it.
    page.reload()
    assert page.get_by_label("Nur kommende Termine").is_checked()
    assert page.get_by_label("Ort oder Kreis").input_value() == "kreis:Städteregion Aachen"
    assert page.locator("#vergangene-termine").is_hidden()


def test_nothing_moves_down_when_the_script_has_run(page, site_url):
    """The filters are in the page from its first paint: termine.js, which runs late on a
    slow phone, adds nothing above the calendar and the lists (Lighthouse counted the
    form that appeared above them as a layout shift of 0.086)."""
    where = "el => Math.round(el.getBoundingClientRect().top + window.scrollY)"
    targets = ("section.fm-mini", "#kommende-termine", "#vergangene-termine")
    page.route("**/termine.js", lambda route: route.abort())
    page.goto(site_url + "/termine/")
    assert page.locator("#fm-filters").is_visible()
    before = [page.locator(t).evaluate(where) for t in targets]
    page.unroute("**/termine.js")
    page.goto(site_url + "/termine/")
    assert page.evaluate("typeof CSS.escape") == "function"  # the page is loaded
    assert page.get_by_label("Ort oder Kreis").input_value() == ""
    assert [page.locator(t).evaluate(where) for t in targets] == before


def test_without_script_every_list_is_complete_and_the_filters_stay_away(browser, site_url):
    context = open_context(browser, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + "/termine/")
        assert page.locator("#fm-filters").is_hidden()
        assert page.locator("ul.fm-list > li.fm-item").count() == 9
        series = page.get_by_role("navigation", name="Termine nach Reihe")
        series.get_by_role("link", name="Werkstattreihe").click()
        page.wait_for_url("**/termine/reihe/werkstattreihe/")
        assert page.locator("ul.fm-list > li.fm-item").count() == 5
    finally:
        context.close()


def test_subscription_box_offers_every_feed(page, site_url):
    page.goto(site_url + "/termine/")
    box = page.locator(".fm-subscribe")
    labels = box.locator(".fm-feed__label").all_inner_texts()
    assert labels == [
        "Alle Termine",
        "Nur Werkstattreihe",
        "Nur Familienmanagertreffen",
        "Nur Zertifikatskurse",
        "Nur Fachkongresse",
    ]
    # A local build has no site_url: the script shows the address the browser knows.
    assert box.locator("code.fm-feed__url").first.inner_text() == site_url + "/termine/termine.ics"
    box.locator("summary").click()
    for app in ("Apple Kalender", "Google Kalender", "Outlook", "Thunderbird"):
        assert box.get_by_text(app, exact=False).first.is_visible()
    response = page.request.get(site_url + "/termine/termine.atom")
    assert response.ok and b"<feed" in response.body()
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() == 1


@pytest.mark.parametrize("width", [390, 1280])
def test_no_sideways_scrolling(browser, site_url, width):
    context = open_context(browser, viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        for path in ("/termine/", "/termine/2026/12/", "/termine/2010/11/"):
            page.goto(site_url + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
    finally:
        context.close()
