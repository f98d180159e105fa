"""A real build of a temporary project with a hostile events file and events around the
build date: feeds, JSON-LD and pages stay valid and harmless, and the list's script
moves events that are over into the archive when the page is older than today."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import icalendar
import pytest
from conftest import (
    HOSTILE_PLACE,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    ROOT,
    build_site,
    check_rfc5545,
    serve_directory,
)

# --- a real build of a temporary project with a hostile events file -------------------

HOSTILE_EVENTS = f"""
- id: 2026-12-01-boese
  titel: {json.dumps(HOSTILE_TITLE, ensure_ascii=False)}
  datum: 2026-12-01
  beginn: "10:00"
  ende: "16:00"
  ort: Köln
  veranstaltungsort: {json.dumps(HOSTILE_PLACE, ensure_ascii=False)}
  veranstalter: "IQZ {{{{ extra.nope }}}} & Co."
  reihe: Werkstattreihe
  beschreibung: {json.dumps(HOSTILE_TEXT, ensure_ascii=False)}
  lat: 50.9375
  lon: 6.9603
- id: 2026-12-30-jahreswechsel
  titel: "Kongress über den Jahreswechsel"
  datum: 2026-12-30
  bis: 2027-01-02
  ort: Essen
  veranstalter: IQZ
  reihe: Fachkongress
  beschreibung: "Vier Tage."
  lat: 51.4556
  lon: 7.0116
- id: 2010-11-10-bochum-marketing
  titel: "Kommunales Management für Familien braucht Marketing"
  datum: 2010-11-10
  ort: Bochum
  veranstalter: IQZ
  reihe: Werkstattreihe
  beschreibung: "Workshop."
  dokumentation: werkstattreihe/2010-11-bochum-marketing.md
  lat: 51.4818
  lon: 7.2162
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("hostile")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "managers.yaml", project / "managers.yaml")
    if (ROOT / "geocache.yaml").exists():
        shutil.copy(ROOT / "geocache.yaml", project / "geocache.yaml")
    (project / "events.yaml").write_text(HOSTILE_EVENTS, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    site = project / "site"
    result = build_site(
        site, config=project / "mkdocs.yml", site_url="https://familie.nrw.example/netz/"
    )
    assert result.returncode == 0, result.stderr
    return site


def test_hostile_feeds_from_a_real_build(hostile_site):
    for path in (
        "termine/termine.ics",
        "termine/reihe/werkstattreihe.ics",
        "termine/2026-12-01-boese.ics",
    ):
        data = (hostile_site / path).read_bytes()
        assert check_rfc5545(data) == [], path
        entries = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
        hostile = entries["2026-12-01-boese@familienmanager-nrw"]
        assert str(hostile["SUMMARY"]) == HOSTILE_TITLE
        assert str(hostile["DESCRIPTION"]).startswith(HOSTILE_TEXT + "\n")
        assert str(hostile["URL"]) == "https://familie.nrw.example/netz/termine/2026-12-01-boese/"
        assert hostile.decoded("GEO") is not None


def test_hostile_event_page_is_escaped(hostile_site):
    html = (hostile_site / "termine/2026-12-01-boese/index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b>1</b>" not in html
    # "{{ extra.… }}" in data is text: not replaced by the publisher placeholders.
    assert "PLATZHALTER: Name der herausgebenden Stelle" not in html
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["name"] == HOSTILE_TITLE and data["description"] == HOSTILE_TEXT
    assert data["url"] == "https://familie.nrw.example/netz/termine/2026-12-01-boese/"
    assert data["location"]["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 50.9375,
        "longitude": 6.9603,
    }
    index = (hostile_site / "termine/index.html").read_text(encoding="utf-8")
    assert "webcal://familie.nrw.example/netz/termine/termine.ics" in index


@pytest.mark.browser
def test_hostile_text_reads_back_in_the_browser(hostile_site, page):
    server, url = serve_directory(hostile_site)
    try:
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto(url + "/termine/2026-12-01-boese/")
        assert page.locator("article h1").inner_text() == HOSTILE_TITLE
        assert page.title().startswith(HOSTILE_TITLE)
        article = page.locator("article").inner_text()
        assert "Umlaute äöüß ÄÖÜ – „Zitat“ </script><!-- \\ Backslash" in article
        assert "IQZ {{ extra.nope }} & Co." in article
        ld = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        )
        assert ld["name"] == HOSTILE_TITLE and ld["description"] == HOSTILE_TEXT
        assert dialogs == []
    finally:
        server.shutdown()


def test_multi_day_event_across_the_year_boundary(hostile_site):
    html = (hostile_site / "termine/2027/01/index.html").read_text(encoding="utf-8")
    first_row = html.split("<tr class=")[1]  # body rows have a class, the header row not
    assert "Kalenderwoche </span>53</th>" in first_row  # 28 December 2026 to 3 January 2027
    new_year = re.search(r'data-date="2027-01-01".*?</td>', html, re.S).group(0)
    assert "Neujahr" in new_year and "Tag 3 von 4" in new_year and "fm-ev--cont" in new_year


@pytest.mark.browser
def test_list_moves_past_events_to_the_archive_when_the_page_is_old(hostile_site, page):
    server, url = serve_directory(hostile_site)
    try:
        page.goto(url + "/termine/")
        upcoming = page.locator("#fm-upcoming > li")
        assert upcoming.count() == 2  # built on 22 November 2026
        page.clock.set_fixed_time("2027-01-10T12:00:00")
        page.reload()
        assert upcoming.count() == 0
        assert page.locator("#fm-none").is_visible()
        archive_2026 = page.locator('ul.fm-list[data-year="2026"] > li .fm-item__title')
        assert archive_2026.all_inner_texts() == [HOSTILE_TITLE, "Kongress über den Jahreswechsel"]
        headings = page.locator("article h3").all_inner_texts()
        assert [h.strip(" ¶") for h in headings] == ["2026", "2010"]
        # The month grid marks the visitor's today, not the build's.
        page.goto(url + "/termine/2027/01/")
        assert page.locator('td[aria-current="date"]').get_attribute("data-date") == "2027-01-10"
    finally:
        server.shutdown()


def test_site_url_from_the_environment_makes_every_address_absolute(hostile_site):
    """mkdocs.yml reads SITE_URL (the deploy jobs set it from the Pages environment):
    sitemap, canonical links, feeds and JSON-LD carry the published address."""
    base = "https://familie.nrw.example/netz/"
    sitemap = (hostile_site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base}termine/</loc>" in sitemap
    assert f"<loc>{base}termine/2026-12-01-boese/</loc>" in sitemap
    page = (hostile_site / "termine/index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}termine/">' in page
    assert (
        f'<code class="fm-feed__url" data-href="reihe/werkstattreihe.ics">{base}termine/reihe/werkstattreihe.ics</code>'
        in page
    )
    atom = (hostile_site / "termine/termine.atom").read_text(encoding="utf-8")
    assert f'rel="self" type="application/atom+xml" href="{base}termine/termine.atom"' in atom
    assert f'href="{base}termine/2026-12-01-boese/"' in atom


def subscription_box(html: str) -> str:
    return html[html.index('<div class="fm-subscribe">') :].split("</div>", 1)[0]


def test_the_subscription_box_says_which_feeds_have_no_dates_yet(built_site):
    box = subscription_box((built_site / "termine/index.html").read_text(encoding="utf-8"))
    feeds = re.findall(r'<li class="fm-feed([^"]*)"><span class="fm-feed__label">([^<]+)', box)
    # The sample's Familienmanagertreffen, Zertifikatskurse and Fachkongresse are known by
    # month or year only: their calendar files hold no event yet.
    assert [label for css, label in feeds if "fm-feed--leer" in css] == [
        "Nur Familienmanagertreffen",
        "Nur Zertifikatskurse",
        "Nur Fachkongresse",
    ]
    assert box.count("Noch keine Termine mit festem Datum in dieser Reihe.") == 3
    assert feeds[0] == ("", "Alle Termine")  # it holds the dated events
    assert b"BEGIN:VEVENT" in (built_site / "termine/termine.ics").read_bytes()
    assert b"BEGIN:VEVENT" not in (built_site / "termine/reihe/zertifikatskurs.ics").read_bytes()
    # No upcoming event on the pinned day: the Atom feed is empty and says so.
    assert "der Feed ist deshalb noch leer" in box
    assert b"<entry>" not in (built_site / "termine/termine.atom").read_bytes()


def test_the_how_to_names_only_buttons_that_are_shown(built_site, hostile_site):
    local = subscription_box((built_site / "termine/index.html").read_text(encoding="utf-8"))
    # Without SITE_URL there is no "Abonnieren" button (no webcal:// address) ...
    assert ">Abonnieren<" not in local and "„Abonnieren“ antippen" not in local
    assert "„Neues Kalenderabonnement …“" in local and "„Kalenderabo hinzufügen“" in local
    # ... with it, the button and the text that names it.
    published = (hostile_site / "termine/index.html").read_text(encoding="utf-8")
    deployed = subscription_box(published)
    assert ">Abonnieren<" in deployed and "„Abonnieren“ antippen" in deployed


def test_the_feed_folder_has_the_sitemap_material_asks_for(built_site, hostile_site):
    """Material fetches sitemap.xml next to every <link rel="alternate">, the Atom feed's."""
    local = (built_site / "termine/sitemap.xml").read_text(encoding="utf-8")
    assert "<urlset" in local and "<url>" not in local  # as MkDocs' own without site_url
    published = (hostile_site / "termine/sitemap.xml").read_text(encoding="utf-8")
    assert "<sitemapindex" in published
    assert "<loc>https://familie.nrw.example/netz/sitemap.xml</loc>" in published
    assert (hostile_site / "sitemap.xml").exists()
