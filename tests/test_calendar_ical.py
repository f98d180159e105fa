"""iCalendar feeds and JSON-LD: valid RFC 5545 (checked by the icalendar library and by
an independent reading of the bytes), reproducible, and hostile text round-trips
unchanged (tests/test_calendar_site.py does the same through a real build)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import icalendar
from conftest import (
    BUILD_DATE,
    HOSTILE_PLACE,
    HOSTILE_TEXT,
    HOSTILE_TITLE,
    check_rfc5545,
    make_event,
)
from dateutil import tz

from generator.calendar.ical import component_bytes, events_to_ics
from generator.calendar.json_ld import event_json_ld
from generator.site.rendering import script_json

# --- an independent reading of RFC 5545, without the icalendar library ---------------


# --- unit tests ----------------------------------------------------------------------


def test_feed_is_valid_and_reproducible():
    events = [
        make_event(),
        make_event(id="kongress", datum="2010-03-01", bis="2010-03-03", beginn=None, ende=None),
        make_event(id="april", datum="2008-04", beginn=None, ende=None),
        make_event(id="herbst", datum="2008", zeitraum="Herbst 2008", beginn=None, ende=None),
    ]
    data = events_to_ics(events, name="Termine", description="Alle", build_date=BUILD_DATE)
    assert check_rfc5545(data) == []
    assert data == events_to_ics(events, name="Termine", description="Alle", build_date=BUILD_DATE)
    calendar = icalendar.Calendar.from_ical(data)
    calendar.validate()  # PRODID, VERSION and at least one component
    entries = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    # Month- and year-precision events are not in the feed (see generator/calendar/ical.py).
    assert set(entries) == {
        "2010-11-10-bochum-marketing@familienmanager-nrw",
        "kongress@familienmanager-nrw",
    }
    timed = entries["2010-11-10-bochum-marketing@familienmanager-nrw"]
    assert timed.decoded("DTSTART") == dt.datetime(
        2010, 11, 10, 10, tzinfo=timed.decoded("DTSTART").tzinfo
    )
    assert str(timed["DTSTART"].params["TZID"]) == "Europe/Berlin"
    assert timed.decoded("DTSTART").utcoffset() == dt.timedelta(hours=1)
    assert timed.decoded("DTSTAMP") == dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    all_day = entries["kongress@familienmanager-nrw"]
    assert all_day.decoded("DTSTART") == dt.date(2010, 3, 1)
    assert all_day.decoded("DTEND") == dt.date(2010, 3, 4)  # exclusive end
    assert b"DTSTART;VALUE=DATE:20100301" in data
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Berlin"


def test_dtstamp_follows_the_build_date_not_the_clock():
    first = events_to_ics([make_event()], name="x", description="y", build_date=BUILD_DATE)
    later = events_to_ics([make_event()], name="x", description="y", build_date=dt.date(2027, 1, 5))
    assert b"DTSTAMP:20261122T000000Z" in first and b"DTSTAMP:20270105T000000Z" in later
    assert first.replace(b"20261122T000000Z", b"") == later.replace(b"20270105T000000Z", b"")


def test_hostile_text_round_trips_through_ics_and_json_ld():
    event = make_event(
        titel=HOSTILE_TITLE, beschreibung=HOSTILE_TEXT, veranstaltungsort=HOSTILE_PLACE
    )
    data = events_to_ics([event], name=HOSTILE_TITLE, description="x", build_date=BUILD_DATE)
    assert check_rfc5545(data) == []
    parsed = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert str(parsed["SUMMARY"]) == HOSTILE_TITLE
    assert str(parsed["DESCRIPTION"]).startswith(HOSTILE_TEXT + "\n")
    assert str(parsed["LOCATION"]) == f"{HOSTILE_PLACE}, Bochum"
    script = script_json(event_json_ld(event, today=BUILD_DATE))
    assert not re.search(r"[<>&]", script)
    back = json.loads(script)
    assert back["name"] == HOSTILE_TITLE and back["description"] == HOSTILE_TEXT
    assert back["startDate"] == "2010-11-10T10:00:00+01:00"
    assert back["endDate"] == "2010-11-10T16:00:00+01:00"


# --- the time zone -------------------------------------------------------------------


def vtimezone_text(data: bytes) -> str:
    start, end = data.index(b"BEGIN:VTIMEZONE"), data.index(b"END:VTIMEZONE\r\n")
    return data[start : end + len(b"END:VTIMEZONE\r\n")].decode()


def test_vtimezone_is_europe_berlin_as_yearly_rules():
    """Two observances with RRULEs, as Google Calendar, Outlook and Thunderbird write it;
    not icalendar's DTSTART-and-RDATE list, which ical.js (Thunderbird) reads an hour
    late in summer."""
    data = events_to_ics([make_event()], name="x", description="y", build_date=BUILD_DATE)
    (zone,) = icalendar.Calendar.from_ical(data).walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Berlin"
    observances = {
        sub.name: dict(
            line.split(":", 1)
            for line in sub.to_ical().decode().split("\r\n")
            if line and not line.startswith(("BEGIN:", "END:"))
        )
        for sub in zone.subcomponents
    }
    assert observances == {
        "STANDARD": {
            "DTSTART": "19701025T030000",
            "RRULE": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
            "TZOFFSETFROM": "+0200",
            "TZOFFSETTO": "+0100",
            "TZNAME": "CET",
        },
        "DAYLIGHT": {
            "DTSTART": "19700329T020000",
            "RRULE": "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
            "TZOFFSETFROM": "+0100",
            "TZOFFSETTO": "+0200",
            "TZNAME": "CEST",
        },
    }
    # The same block in every calendar, whatever its events' years.
    empty = events_to_ics([], name="x", description="y", build_date=BUILD_DATE)
    assert vtimezone_text(data) == vtimezone_text(empty)


def test_vtimezone_agrees_with_the_tz_database_from_1996_on():
    """Read as a client reads a local time (dateutil's VTIMEZONE parser, the one vobject
    uses): the offset of each wall-clock time around the switches of 1996 to 2099 is the
    tz database's. The repeated hour in October and the missing one in March are left
    out: no event starts there."""
    data = events_to_ics([], name="x", description="y", build_date=BUILD_DATE)
    zone = tz.tzical(io.StringIO(vtimezone_text(data))).get("Europe/Berlin")
    berlin = ZoneInfo("Europe/Berlin")
    checked, wrong = 0, []
    for year in range(1996, 2100):
        for month in (3, 10):
            for day in range(24, 32):  # the last Sunday is one of these
                for hour, minute in [(h, m) for h in range(5) for m in (0, 59)] + [(12, 0)]:
                    wall = dt.datetime(year, month, day, hour, minute, tzinfo=berlin)
                    repeated = wall.replace(fold=1).utcoffset() != wall.utcoffset()
                    missing = wall.astimezone(dt.UTC).astimezone(berlin).hour != hour
                    if repeated or missing:
                        continue
                    checked += 1
                    if wall.replace(tzinfo=zone).utcoffset() != wall.utcoffset():
                        wrong.append(wall.isoformat())
    assert wrong == []
    assert checked > 17_000


def test_a_calendar_without_dated_events_is_still_a_valid_calendar():
    """RFC 5545 3.6: a VCALENDAR needs a component. A series with no dated event (yet)
    gives the VTIMEZONE alone, so its feed can be subscribed to."""
    undated = [
        make_event(id="april", datum="2008-04", beginn=None, ende=None),
        make_event(id="herbst", datum="2008", zeitraum="Herbst 2008", beginn=None, ende=None),
    ]
    for events in ([], undated):
        data = events_to_ics(events, name="Reihe", description="leer", build_date=BUILD_DATE)
        assert check_rfc5545(data) == []
        calendar = icalendar.Calendar.from_ical(data)
        calendar.validate()
        assert [c.name for c in calendar.subcomponents] == ["VTIMEZONE"]


def test_a_time_the_zone_rules_do_not_fit_is_written_in_utc():
    """Until 1995 summer time in Germany ended in September: 10 October 1990 was CET,
    where the VTIMEZONE's rules say CEST. Such a time is written as its UTC instant."""
    event = make_event(id="alt", datum="1990-10-10", beginn="10:00", ende="12:00")
    data = events_to_ics([event], name="x", description="y", build_date=BUILD_DATE)
    assert b"DTSTART:19901010T090000Z\r\n" in data
    assert b"DTEND:19901010T110000Z\r\n" in data
    assert check_rfc5545(data) == []


def test_fast_folding_is_byte_identical_to_icalendar():
    """component_bytes folds like icalendar's to_ical: ASCII, umlauts, emoji, escapes at
    the fold, and lines of exactly 74 and 75 octets."""
    texts = [
        "kurz",
        "x" * 62,
        "x" * 63,
        "Ä" * 40,
        "Familienfreundlichkeit – die Kommunalverwaltung im Fokus, mit Umlauten äöüß " * 3,
        "Komma, Semikolon; Backslash \\ Zeilenumbruch\n" * 4,
        "🎉" * 30 + "ende",
        ("a" * 55) + ",,,,,,,,,,,,,,,,,,,,",
    ]
    for text in texts:
        entry = icalendar.Event()
        entry.add("summary", text)
        entry.add("description", text)
        entry.add("location", text + "^" * 7)
        assert component_bytes(entry) == entry.to_ical(), text
