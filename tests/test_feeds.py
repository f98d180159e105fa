"""iCalendar feeds and JSON-LD: valid RFC 5545 (checked by the icalendar library and by
an independent reading of the bytes), reproducible, and hostile text round-trips
unchanged (tests/test_events_site.py does the same through a real build)."""

from __future__ import annotations

import datetime as dt
import json
import re

import icalendar

from generator.calendar.ical import event_json_ld, events_to_ics
from generator.data.models import Event
from generator.site.rendering import script_json

BUILD_DATE = dt.date(2026, 11, 22)

HOSTILE_TITLE = (
    'Böse </script><script>alert(1)</script> & "Anführung"; Semikolon, Komma {{ extra.nope }}'
)
HOSTILE_TEXT = (
    "Zeile eins, mit Komma; und Semikolon.\n"
    "Zeile zwei: Umlaute äöüß ÄÖÜ – „Zitat“ </script><!-- \\ Backslash\n"
    "{{ extra.herausgeber.name }} <img src=x onerror=alert(2)> ]]> & &amp;"
)
HOSTILE_PLACE = "Saal <b>1</b>; Etage 2, Raum \\N"


def make_event(**fields) -> Event:
    base = {
        "id": "2010-11-10-bochum-marketing",
        "titel": "Kommunales Management für Familien braucht Marketing",
        "datum": "2010-11-10",
        "beginn": "10:00",
        "ende": "16:00",
        "ort": "Bochum",
        "veranstaltungsort": "Veranstaltungszentrum der Ruhr-Universität Bochum",
        "veranstalter": "IQZ",
        "reihe": "Werkstattreihe",
        "beschreibung": "Workshop zu Marketing für Familien.",
    }
    return Event.model_validate(base | fields)


# --- an independent reading of RFC 5545, without the icalendar library ---------------

REQUIRED_IN_VEVENT = {"UID", "DTSTAMP", "DTSTART"}


def check_rfc5545(data: bytes) -> list[str]:
    """Problems with the raw bytes: CRLF line ends, folding at 75 octets, balanced
    components, required properties, VTIMEZONE for every TZID used."""
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    if re.search(rb"(?<!\r)\n", data) or re.search(rb"\r(?!\n)", data):
        problems.append("bare LF or CR")
    physical = data.split(b"\r\n")[:-1]
    for number, line in enumerate(physical, 1):
        if len(line) > 75:
            problems.append(f"line {number} has {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 character")
    # Unfold (a CRLF followed by one space or tab continues the line).
    logical = re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")[:-1]
    stack: list[str] = []
    properties: list[set[str]] = []
    tzids_used, tzids_defined = set(), set()
    for line in logical:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        value = line.split(":", 1)[1] if ":" in line else ""
        if name == "BEGIN":
            stack.append(value)
            properties.append(set())
        elif name == "END":
            if not stack or stack[-1] != value:
                problems.append(f"END:{value} does not close {stack[-1:]}")
                continue
            done, props = stack.pop(), properties.pop()
            if done == "VEVENT" and not props >= REQUIRED_IN_VEVENT:
                problems.append(f"VEVENT lacks {REQUIRED_IN_VEVENT - props}")
            if done == "VEVENT" and "DTEND" in props and "DURATION" in props:
                problems.append("VEVENT has DTEND and DURATION")
            if done == "VCALENDAR" and not {"VERSION", "PRODID"} <= props:
                problems.append("VCALENDAR lacks VERSION or PRODID")
        else:
            if not properties:
                problems.append(f"property outside a component: {line[:30]}")
                continue
            properties[-1].add(name)
            if name == "TZID" and stack[-1] == "VTIMEZONE":
                tzids_defined.add(value)
            for match in re.finditer(r";TZID=([^;:]+)", line.split(":", 1)[0]):
                tzids_used.add(match.group(1))
    if stack:
        problems.append(f"unclosed {stack}")
    if tzids_used - tzids_defined:
        problems.append(f"no VTIMEZONE for {tzids_used - tzids_defined}")
    return problems


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
    entries = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    # Month- and year-precision events are not in the feed (see generator/feeds.py).
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
    script = script_json(event_json_ld(event))
    assert not re.search(r"[<>&]", script)
    back = json.loads(script)
    assert back["name"] == HOSTILE_TITLE and back["description"] == HOSTILE_TEXT
    assert back["startDate"] == "2010-11-10T10:00:00+01:00"
    assert back["endDate"] == "2010-11-10T16:00:00+01:00"
