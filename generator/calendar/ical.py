"""iCalendar feeds (RFC 5545, via the icalendar library).

Everything is escaped by construction: icalendar escapes and folds text values. Output
is reproducible: UIDs come from the event ids and DTSTAMP from the build date, never
from the clock.

Every calendar carries one VTIMEZONE, Europe/Berlin as two yearly rules (see
``_vtimezone``), also a calendar without events: RFC 5545 wants at least one component,
and a series whose events are all still to be dated stays a calendar one can subscribe to.

Events known only to the month or year ("April 2008", "Herbst 2008") are left out of
the iCalendar files: RFC 5545 has no "some day in April", and a month-long all-day
entry would block a whole month in subscribers' calendars and read as a 30-day event.
Their pages say so instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from functools import cache

import icalendar

from generator.calendar.details import contact_text, detail_lines
from generator.data.models import Event
from generator.site.settings import BERLIN, TIME_ZONE

BERLIN_ID = TIME_ZONE
ICS_STATUS = {"abgesagt": "CANCELLED", "verschoben": "TENTATIVE", "angekündigt": "TENTATIVE"}
UID_DOMAIN = "familienmanager-nrw"
PRODID = "-//Familienmanager NRW//Veranstaltungskalender 1.0//DE"
#: How often subscribed calendars should fetch the feed again (the site is rebuilt nightly).
REFRESH = dt.timedelta(days=1)
_END = b"END:VCALENDAR\r\n"


class _Text(icalendar.vText):
    """TEXT escaped exactly as RFC 5545 3.3.11 says. icalendar's own escaping first turns
    a literal backslash-N into a line break (it takes it for an escape already made), so
    "Raum \\N" would come back as "Raum" and a new line; its parser reads this right."""

    def to_ical(self) -> bytes:
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
        return text.encode(self.encoding)


def event_uid(event: Event) -> str:
    """Stable across builds: subscribers' calendars update the entry instead of duplicating it."""
    return f"{event.id}@{UID_DOMAIN}"


def dtstamp(build_date: dt.date) -> dt.datetime:
    """DTSTAMP of every entry: midnight UTC of the build date (SOURCE_DATE_EPOCH in builds)."""
    return dt.datetime.combine(build_date, dt.time(0, 0), tzinfo=dt.UTC)


def place_parts(event: Event) -> list[str]:
    """Building, street, town: those the data names."""
    return [p for p in (event.veranstaltungsort, event.adresse, event.ort) if p]


def place_text(event: Event) -> str:
    """ "Veranstaltungszentrum …, Straße 1, Bochum"."""
    return ", ".join(place_parts(event))


def event_coordinates(event: Event, location) -> tuple[float, float] | None:
    """Coordinates from the YAML, else from the geocoding stage, else None."""
    if event.lat is not None and event.lon is not None:
        return event.lat, event.lon
    if location is not None:
        return location.lat, location.lon
    return None


def event_times(event: Event) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]:
    """(DTSTART, DTEND) for iCalendar: local times in Europe/Berlin, or whole days with
    the exclusive end day RFC 5545 asks for. A start time without an end gives no DTEND
    on a one-day event (RFC 5545: it ends when it starts) and the end of the last day
    on a multi-day event."""
    if event.start_time is None:
        return event.start_date, event.end_date + dt.timedelta(days=1)
    start = dt.datetime.combine(event.start_date, event.start_time, tzinfo=BERLIN)
    if event.end_time is not None:
        return start, dt.datetime.combine(event.end_date, event.end_time, tzinfo=BERLIN)
    if event.bis:
        return start, dt.datetime.combine(
            event.end_date + dt.timedelta(days=1), dt.time(0), tzinfo=BERLIN
        )
    return start, None


def ics_event(
    event: Event, *, stamp: dt.datetime, location=None, url: str | None = None
) -> icalendar.Event | None:
    """One VEVENT, or None for a month or year-precision event (see the module docstring)."""
    if event.precision != "day":
        return None
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", stamp)
    start, end = event_times(event)
    entry.add("dtstart", _ics_time(start))
    if end is not None:
        entry.add("dtend", _ics_time(end))
    entry.add("summary", _Text(event.titel))
    details = [
        event.beschreibung,
        "",
        f"Veranstalter: {event.veranstalter}",
        f"Reihe: {event.reihe}",
    ]
    details += [f"{label}: {text}" for label, text in detail_lines(event)]
    if url:
        details.append(f"Mehr Informationen: {url}")
    entry.add("description", _Text("\n".join(details)))
    if place := place_text(event):
        entry.add("location", _Text(place))
    coordinates = event_coordinates(event, location)
    if coordinates is not None:
        entry.add("geo", coordinates)
    if contact := contact_text(event.kontakt):
        entry.add("contact", _Text(contact))  # RFC 5545 3.8.4.2
    entry.add("categories", [event.reihe])
    if url:
        entry.add("url", url)
    # RFC 5545 §3.8.1.11; "verschoben" has no own value: the date given is not the date.
    entry.add("status", ICS_STATUS.get(event.status, "CONFIRMED"))
    if event.start_time is None:
        entry.add("transp", "TRANSPARENT")  # a whole day is not a busy day
    return entry


#: RFC 5545 §3.1: content lines are folded before 75 octets; icalendar folds at 74.
_FOLD_OCTETS = 74


def fold_line(line: str) -> bytes:
    """One content line as UTF-8, folded exactly as icalendar folds it (at most 74 octets
    a line, never between characters of one UTF-8 sequence, never right after a "\\" or
    "^" escape), by slicing bytes: icalendar's loop over every character is the slowest
    part of a large build."""
    data = line.encode()
    if len(data) <= _FOLD_OCTETS:
        return data
    parts, start = [], 0
    while len(data) - start > _FOLD_OCTETS:
        end = start + _FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a continuation byte: cut before its character
            end -= 1
        if data[end - 1] in b"\\^":
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts)


def component_bytes(component: icalendar.cal.Component) -> bytes:
    """``component.to_ical()``, byte for byte, with the fast :func:`fold_line`."""
    lines = component.content_lines(sorted=True)
    return b"".join(fold_line(line) + b"\r\n" for line in lines if line)


@cache
def _calendar_head(name: str, description: str) -> bytes:
    return _calendar(name, description).to_ical().removesuffix(_END)


def _calendar(name: str, description: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", _Text(name))  # RFC 7986
    calendar.add("x-wr-calname", _Text(name))  # the same for Apple and Google Calendar
    calendar.add("description", _Text(description))
    calendar.add("x-wr-timezone", BERLIN_ID)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "P1D")
    return calendar


def _last_sunday(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


@cache
def _zone_rules_hold(year: int) -> bool:
    """Whether the tz database's Europe/Berlin follows the VTIMEZONE's rules in ``year``:
    CET, and CEST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
    Sunday of October (the EU rule, in Germany since 1996). Not so before 1996, nor after
    a change of the law that a newer tz database knows of."""
    spring, autumn = (
        dt.datetime.combine(_last_sunday(year, month), dt.time(1), tzinfo=dt.UTC)
        for month in (3, 10)
    )
    second = dt.timedelta(seconds=1)
    expected = {
        dt.datetime(year, 1, 1, tzinfo=dt.UTC): 1,
        spring - second: 1,
        spring: 2,
        autumn - second: 2,
        autumn: 1,
        dt.datetime(year, 12, 31, 23, tzinfo=dt.UTC): 1,
    }
    return all(
        moment.astimezone(BERLIN).utcoffset() == dt.timedelta(hours=hours)
        for moment, hours in expected.items()
    )


def _ics_time(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A local time as itself (TZID=Europe/Berlin), unless the VTIMEZONE's rules do not
    hold in its year: then as the same instant in UTC, which every client reads alike."""
    if isinstance(value, dt.datetime) and not _zone_rules_hold(value.year):
        return value.astimezone(dt.UTC)
    return value


@cache
def _vtimezone() -> bytes:
    """VTIMEZONE for Europe/Berlin as yearly rules, as Google Calendar, Outlook and
    Thunderbird write it, serialized once.

    Not icalendar's ``Timezone.from_tzid``: its STANDARD and DAYLIGHT with RDATEs are
    read one hour off in summer by ical.js (Thunderbird's parser). The rules hold from
    1996 on; a time in a year they do not fit is written in UTC (``_ics_time``).
    tests/test_calendar_ical_clients.py reads the feeds with four independent parsers."""
    zone = icalendar.Timezone()
    zone.add("tzid", BERLIN_ID)
    observances = (
        (icalendar.TimezoneDaylight, "CEST", dt.datetime(1970, 3, 29, 2), 3, 1, 2),
        (icalendar.TimezoneStandard, "CET", dt.datetime(1970, 10, 25, 3), 10, 2, 1),
    )
    for kind, name, start, month, offset_from, offset_to in observances:
        observance = kind()
        observance.add("tzname", name)
        observance.add("dtstart", start)  # local time: the first switch under this rule
        observance.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        observance.add("tzoffsetfrom", dt.timedelta(hours=offset_from))
        observance.add("tzoffsetto", dt.timedelta(hours=offset_to))
        zone.add_component(observance)
    return zone.to_ical()


def vevent_bytes(event: Event, stamp: dt.datetime, location: object, url: str | None) -> bytes:
    """One event's VEVENT, serialized by icalendar. Memoized in a build's cache by
    everything it is made of (icalendar's line folding is the slowest part of a large
    build): shared by the calendars it is in (its own, its series, all) and, in `mkdocs
    serve`, by the rebuilds after a save that left the event as it was."""
    return component_bytes(ics_event(event, stamp=stamp, location=location, url=url))


def events_to_ics(
    events: Iterable[Event],
    *,
    name: str,
    description: str,
    build_date: dt.date,
    locations: Mapping[str, object] | None = None,
    urls: Callable[[Event], str | None] = lambda event: None,
    vevents: Mapping[str, bytes | memoryview] | None = None,
) -> bytes:
    """A whole calendar (all events, one series or one event) as RFC 5545 bytes.
    ``vevents``: each dated event's :func:`vevent_bytes` by its id, made already (the
    build makes them with the events' own files and memoizes them there); without it,
    each is made of ``locations`` and ``urls``."""
    locations = locations or {}
    stamp = dtstamp(build_date)
    dated = [e for e in events if e.precision == "day"]
    # The VTIMEZONE always, before the events that refer to it: a calendar with no
    # component is invalid (RFC 5545 3.6), and a series without dated events yet must
    # still be a calendar one can subscribe to.
    parts = [_calendar_head(name, description), _vtimezone()]
    for event in dated:
        if vevents is not None:
            parts.append(vevents[event.id])
        else:
            parts.append(vevent_bytes(event, stamp, locations.get(event.id), urls(event)))
    parts.append(_END)
    return b"".join(parts)
