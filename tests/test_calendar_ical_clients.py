"""The calendar as the programs that read it see it: four independent iCalendar parsers
must find the same UTC instants, and the instants written here by hand.

- ical.js (npm, 2.x): Mozilla's parser, the one Thunderbird uses; takes the offsets from
  the VTIMEZONE in the file.
- node-ical (npm): another JavaScript code base (MagicMirror and many Node apps); takes
  the offsets for a known TZID from Node's own time zone data (ICU), not from the file.
- vobject (PyPI): takes the offsets from the VTIMEZONE in the file (through dateutil).
- icalendar (PyPI, our writer too): takes them from the tz database (zoneinfo).

So two parsers check our VTIMEZONE and two check that our local times and TZIDs mean
what we say, with three tz sources between them. The Node side lives in
tests/ical_clients/ (package-lock.json committed); this module runs ``npm ci`` there
once when node_modules/ is missing. Without Node the tests fail in CI and skip elsewhere,
like the browser tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
import vobject
from conftest import BUILD_DATE, make_event

from generator.calendar.ical import BERLIN_ID, event_uid, events_to_ics
from generator.calendar.paths import ALL_FEED, series_ics
from generator.data.fields import SERIES

# --- the Python parsers, in the shape read_events.mjs prints ---------------------------


def _time(value, what: str) -> dict:
    if not isinstance(value, dt.datetime):
        return {"date": value.isoformat()}
    assert value.tzinfo is not None, f"{what}: floating time {value}"
    return {"utc": value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}


def read_icalendar(data: bytes) -> dict:
    events = {}
    for entry in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        events[str(entry["UID"])] = {
            "start": _time(entry.start, "icalendar"),
            "end": _time(entry.end, "icalendar"),  # with RFC 5545 3.6.1's default
        }
    return {"events": events}


def read_vobject(data: bytes) -> dict:
    # vobject keeps one global TZID table and keeps the first definition it saw; forget
    # it, so the VTIMEZONE of this very file is read.
    vobject.icalendar.registerTzid(BERLIN_ID, None)
    calendar = vobject.readOne(data.decode("utf-8"))
    events = {}
    for entry in getattr(calendar, "vevent_list", []):
        lines = [entry.dtstart]
        if "dtend" in entry.contents:
            lines.append(entry.dtend)
        for line in lines:
            if isinstance(line.value, dt.datetime) and "TZID" in line.params:
                # From the file's VTIMEZONE (dateutil's parser), not from elsewhere.
                assert type(line.value.tzinfo).__name__ == "_tzicalvtz", line.value.tzinfo
        start = entry.dtstart.value
        if "dtend" in entry.contents:
            end = entry.dtend.value
        else:  # vobject has no default end; RFC 5545 3.6.1's, as the other three give
            end = start if isinstance(start, dt.datetime) else start + dt.timedelta(days=1)
        events[entry.uid.value] = {"start": _time(start, "vobject"), "end": _time(end, "vobject")}
    return {"events": events}


PYTHON_READERS = {"icalendar": read_icalendar, "vobject": read_vobject}
PARSERS = ("ical.js", "node-ical", *PYTHON_READERS)


def read_all(data: bytes, node_clients) -> dict[str, dict]:
    return node_clients(data) | {name: read(data) for name, read in PYTHON_READERS.items()}


# --- events around the clock changes, with their instants worked out by hand ----------


def utc(text: str) -> dict:
    return {"utc": text}


def day(text: str) -> dict:
    return {"date": text}


#: (event fields, expected start, expected end). Berlin is UTC+1 (CET) in winter and
#: UTC+2 (CEST) in summer; in 2027 the clocks go forward on Sunday 28 March and back on
#: Sunday 31 October. Until 1995 summer time ended on the last Sunday of September.
CASES = {
    "sommer": (
        {"datum": "2027-06-10", "beginn": "10:00", "ende": "16:00"},
        utc("2027-06-10T08:00:00Z"),  # 10:00 CEST
        utc("2027-06-10T14:00:00Z"),
    ),
    "winter": (
        {"datum": "2027-01-20", "beginn": "10:00", "ende": "16:00"},
        utc("2027-01-20T09:00:00Z"),  # 10:00 CET
        utc("2027-01-20T15:00:00Z"),
    ),
    "ganztags": (
        {"datum": "2027-05-06", "beginn": None, "ende": None},
        day("2027-05-06"),
        day("2027-05-07"),  # DTEND of a whole day is the next day (exclusive)
    ),
    "mehrtaegig": (
        {"datum": "2027-09-29", "bis": "2027-10-01", "beginn": None, "ende": None},
        day("2027-09-29"),
        day("2027-10-02"),
    ),
    "zeitumstellung-maerz": (
        {"datum": "2027-03-27", "bis": "2027-03-28", "beginn": "20:00", "ende": "10:00"},
        utc("2027-03-27T19:00:00Z"),  # Saturday 20:00 CET
        utc("2027-03-28T08:00:00Z"),  # Sunday 10:00 CEST
    ),
    "zeitumstellung-oktober": (
        {"datum": "2027-10-30", "bis": "2027-10-31", "beginn": "20:00", "ende": "10:00"},
        utc("2027-10-30T18:00:00Z"),  # Saturday 20:00 CEST
        utc("2027-10-31T09:00:00Z"),  # Sunday 10:00 CET
    ),
    "ohne-ende": (
        # No end time on a one-day event: no DTEND, it ends when it starts (RFC 5545 3.6.1).
        {"datum": "2027-06-11", "beginn": "10:00", "ende": None},
        utc("2027-06-11T08:00:00Z"),  # 10:00 CEST
        utc("2027-06-11T08:00:00Z"),
    ),
    "ohne-ende-ueber-die-umstellung": (
        # No end time on a multi-day event: it ends with its last day, at midnight.
        {"datum": "2027-03-27", "bis": "2027-03-28", "beginn": "20:00", "ende": None},
        utc("2027-03-27T19:00:00Z"),  # Saturday 20:00 CET
        utc("2027-03-28T22:00:00Z"),  # Monday 00:00 CEST
    ),
    "vor-1996": (
        {"datum": "1990-10-10", "beginn": "10:00", "ende": "12:00"},
        utc("1990-10-10T09:00:00Z"),  # 10:00 CET: summer time 1990 ended on 30 September
        utc("1990-10-10T11:00:00Z"),
    ),
}


def expected_events() -> dict:
    return {
        event_uid(make_event(id=key)): {"start": start, "end": end}
        for key, (_, start, end) in CASES.items()
    }


@pytest.fixture(scope="module")
def cases_ics() -> bytes:
    events = [make_event(id=key, **fields) for key, (fields, _, _) in CASES.items()]
    return events_to_ics(events, name="Fälle", description="Zeitzonen", build_date=BUILD_DATE)


@pytest.fixture(scope="module")
def node_readings(cases_ics, node_clients) -> dict[str, dict]:
    return node_clients(cases_ics)


def test_the_cases_are_what_they_claim():
    """The hand-written instants above are checked by nothing from our code; here only
    the dates they rest on: the switches of 2027 and 1990 fall where the comments say."""
    assert dt.date(2027, 3, 28).weekday() == dt.date(2027, 10, 31).weekday() == 6
    assert dt.date(1990, 9, 30).weekday() == 6


@pytest.mark.parametrize("parser", PARSERS)
def test_every_client_reads_the_same_instants(request, cases_ics, parser):
    if parser in PYTHON_READERS:  # these run without Node too
        reading = PYTHON_READERS[parser](cases_ics)
    else:
        reading = request.getfixturevalue("node_readings")[parser]
    assert reading["events"] == expected_events()


def test_ical_js_sees_the_vtimezone_and_the_events(node_readings):
    assert node_readings["ical.js"]["components"] == ["vtimezone"] + ["vevent"] * len(CASES)


def test_a_calendar_without_events_parses_everywhere(node_clients):
    data = events_to_ics([], name="Reihe", description="leer", build_date=BUILD_DATE)
    readings = read_all(data, node_clients)
    assert readings["ical.js"]["components"] == ["vtimezone"]
    assert all(readings[parser]["events"] == {} for parser in PARSERS)
    icalendar.Calendar.from_ical(data).validate()


# --- the feeds of the real build --------------------------------------------------------


def site_feeds(site: Path) -> list[Path]:
    return sorted((site / "termine").rglob("*.ics"))


def test_built_feeds_parse_alike_in_every_client(built_site, node_clients):
    """termine/termine.ics, every termine/reihe/*.ics and every event's own file: ical.js
    reads each without error and finds at least one component, icalendar's validation
    passes, and all four parsers agree on every instant."""
    feeds = site_feeds(built_site)
    names = {path.relative_to(built_site).as_posix() for path in feeds}
    assert {ALL_FEED, *(series_ics(reihe) for reihe in SERIES)} <= names
    for path in feeds:
        name = path.relative_to(built_site).as_posix()
        data = path.read_bytes()
        icalendar.Calendar.from_ical(data).validate()
        readings = read_all(data, node_clients)
        assert readings["ical.js"]["components"], name
        assert readings["ical.js"]["components"][0] == "vtimezone", name
        reference = readings["icalendar"]["events"]
        for parser in PARSERS:
            assert readings[parser]["events"] == reference, (name, parser)
