"""The Atom feed of upcoming events, read by an independent parser (feedparser): the
elements RFC 4287 requires, dates from the build date, ids stable across builds."""

from __future__ import annotations

import datetime as dt
import time
import xml.etree.ElementTree as ET

import feedparser
import pytest
from conftest import HOSTILE_TEXT, HOSTILE_TITLE, make_event

from generator.calendar.atom import _add, atom_id, entry_summary, events_to_atom
from generator.calendar.build import build_event_outputs
from generator.calendar.paths import ATOM_FEED
from generator.site.rendering import Links

TODAY = dt.date(2026, 11, 22)
ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://familie.nrw.example/netz/"

EVENTS = [
    make_event(id="2010-11-10-vorbei", datum="2010-11-10"),
    make_event(id="2026-11-22-heute", datum="2026-11-22", status="abgesagt"),
    make_event(
        id="2027-03-04-kommend",
        datum="2027-03-04",
        kosten="kostenlos",
        anmeldung="https://www.iqz.example/anmeldung",
        anmeldeschluss="2027-02-20",
    ),
    make_event(id="2027-herbst", datum="2027", zeitraum="Herbst 2027", beginn=None, ende=None),
]


def atom_bytes(events=EVENTS, today=TODAY, site_url=SITE) -> bytes:
    outputs = build_event_outputs(events, {}, today=today, links=Links(site_url=site_url))
    return next(o.content for o in outputs if o.path == ATOM_FEED)


def test_feedparser_reads_a_well_formed_atom_feed_with_the_required_elements():
    data = atom_bytes()
    feed = feedparser.parse(data)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    # RFC 4287 4.1.1: atom:feed has id, title, updated, and author (no entry has one of its own
    # without it); a self link is recommended.
    assert feed.feed.id.startswith("urn:uuid:")
    assert feed.feed.title == "Termine Familienmanager NRW"
    assert feed.feed.updated_parsed == time.struct_time((2026, 11, 22, 0, 0, 0, 6, 326, 0))
    assert feed.feed.author == "Familienmanagerinnen und -manager in NRW"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": SITE + "termine/termine.atom", "alternate": SITE + "termine/"}
    # Upcoming events only (one running today counts), in calendar order.
    titles = [entry.title for entry in feed.entries]
    assert titles == [
        "Abgesagt: Kommunales Management für Familien braucht Marketing",
        "Kommunales Management für Familien braucht Marketing",
        "Kommunales Management für Familien braucht Marketing",
    ]
    for entry in feed.entries:
        # RFC 4287 4.1.2: id, title, updated; an alternate link as there is no content.
        assert entry.id.startswith("urn:uuid:") and entry.title
        assert entry.updated_parsed == feed.feed.updated_parsed
        assert entry.link.startswith(SITE + "termine/20")
        assert entry.summary_detail.type == "text/plain"
    kommend = feed.entries[1]
    assert kommend.link == SITE + "termine/2027-03-04-kommend/"
    assert kommend.tags[0].term == "Werkstattreihe"
    assert "Kosten: kostenlos" in kommend.summary
    assert (
        "Anmeldung: bis Samstag, 20. Februar 2027: https://www.iqz.example/anmeldung"
        in kommend.summary
    )
    assert kommend.summary.startswith("Donnerstag, 4. März 2027, 10:00–16:00 Uhr · Veranstaltungs")


def test_ids_are_stable_across_builds_and_site_addresses_and_updated_is_the_build_date():
    first = feedparser.parse(atom_bytes())
    later = feedparser.parse(
        atom_bytes(today=dt.date(2026, 12, 1), site_url="https://neu.example/")
    )
    ids = {entry.link.rsplit("/", 2)[-2]: entry.id for entry in first.entries}
    later_ids = {entry.link.rsplit("/", 2)[-2]: entry.id for entry in later.entries}
    assert later_ids["2027-03-04-kommend"] == ids["2027-03-04-kommend"]
    assert later.feed.id == first.feed.id
    assert "2026-11-22-heute" not in later_ids  # over by then
    assert later.feed.updated == "2026-12-01T00:00:00Z"
    assert atom_bytes() == atom_bytes()  # reproducible


def test_without_a_site_url_links_are_relative_to_the_feed_and_there_is_no_self_link():
    data = atom_bytes(site_url="")
    root = ET.fromstring(data)
    assert [link.get("rel") for link in root.findall(f"{ATOM}link")] == ["alternate"]
    assert root.find(f"{ATOM}link").get("href") == "./"
    hrefs = [e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")]
    assert hrefs[0] == "2026-11-22-heute/"
    feed = feedparser.parse(
        data, response_headers={"content-location": SITE + "termine/termine.atom"}
    )
    assert feed.entries[0].link == SITE + "termine/2026-11-22-heute/"


def test_no_upcoming_events_is_still_a_valid_feed():
    feed = feedparser.parse(atom_bytes(events=EVENTS[:1]))
    assert feed.bozo == 0 and feed.entries == [] and feed.feed.author


def test_hostile_text_and_control_characters_read_back_as_text():
    hostile = make_event(
        id="2027-01-01-boese",
        datum="2027-01-01",
        titel=HOSTILE_TITLE,
        beschreibung=HOSTILE_TEXT + "\x0b\x1f",
    )
    data = atom_bytes(events=[hostile])
    feed = feedparser.parse(data)
    assert feed.bozo == 0
    (entry,) = feed.entries
    assert entry.title == HOSTILE_TITLE
    assert HOSTILE_TEXT in entry.summary and "\x0b" not in entry.summary
    assert b"<script>" not in data


def _one_tree(events, stamp: str, href) -> bytes:
    """The feed as one ElementTree tree, indented and written at once: how the feed was
    written before its entries were memoized one by one."""
    feed = ET.Element(f"{ATOM}feed", {"xml:lang": "de"})
    for tag, text in (("id", atom_id("feed")), ("title", "T"), ("subtitle", "S")):
        _add(feed, tag, text)
    _add(feed, "updated", stamp)
    _add(_add(feed, "author"), "name", "A")
    _add(feed, "link", rel="alternate", type="text/html", href="./")
    for event in events:
        entry = _add(feed, "entry")
        _add(entry, "id", atom_id(f"event:{event.id}"))
        _add(entry, "title", {"abgesagt": "Abgesagt: "}.get(event.status, "") + event.titel)
        _add(entry, "updated", stamp)
        _add(entry, "link", rel="alternate", type="text/html", href=href(event))
        _add(_add(entry, "author"), "name", event.veranstalter)
        _add(entry, "category", term=event.reihe)
        _add(entry, "summary", entry_summary(event), type="text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_entries_written_one_by_one_make_the_feed_one_tree_makes(count):
    """The build memoizes each entry (a save of one upcoming event writes one entry): the
    feed is byte for byte what ElementTree writes for the whole tree."""
    events = [
        make_event(id="2027-01-01-boese", datum="2027-01-01", titel=HOSTILE_TITLE),
        make_event(id="2027-03-04-kommend", datum="2027-03-04", beschreibung=HOSTILE_TEXT),
        make_event(id="2027-05-06-abgesagt", datum="2027-05-06", status="abgesagt"),
    ][:count]
    stamp, href = "2026-11-22T00:00:00Z", lambda event: f"{event.id}/"
    options = {"title": "T", "subtitle": "S", "author": "A", "self_href": None}
    written = events_to_atom(events, build_date=TODAY, page_href="./", event_href=href, **options)
    assert written == _one_tree(events, stamp, href)
    assert written.count(b"xmlns=") == 1
