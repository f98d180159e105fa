"""German dates, month and weekday names for the event pages, all from CLDR via Babel."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

from babel.dates import format_date, get_day_names, get_month_names

from generator.data.models import Event

LOCALE = "de_DE"


@cache
def month_names() -> dict[int, str]:
    """1 -> "Januar" … 12 -> "Dezember"."""
    return dict(get_month_names("wide", locale=LOCALE))


@cache
def weekday_names() -> tuple[tuple[str, str], ...]:
    """(short, full) names Monday to Sunday, e.g. ("Mo", "Montag").

    CLDR's German abbreviations end in a dot ("Mo."); the column heads drop it, the
    full name goes into ``<abbr title>``.
    """
    short, wide = get_day_names("abbreviated", locale=LOCALE), get_day_names("wide", locale=LOCALE)
    return tuple((short[i].rstrip("."), wide[i]) for i in range(7))


def month_title(year: int, month: int) -> str:
    """ "November 2010"."""
    return f"{month_names()[month]} {year}"


@lru_cache(maxsize=8192)
def long_date(day: dt.date) -> str:
    """ "Mittwoch, 10. November 2010"."""
    return format_date(day, "EEEE, d. MMMM y", locale=LOCALE)


@lru_cache(maxsize=8192)
def day_label(day: dt.date) -> str:
    """ "Mittwoch, 10. November" (the agenda heading of a day on small screens)."""
    return format_date(day, "EEEE, d. MMMM", locale=LOCALE)


def event_date_text(event: Event) -> str:
    """The date as a German reader expects it.

    "Mittwoch, 10. November 2010", "Montag, 1. bis Mittwoch, 3. März 2010",
    "Freitag, 30. April bis Sonntag, 2. Mai 2010"; imprecise dates in the editors' words
    (``zeitraum``, e.g. "Herbst 2008"), else "November 2010" or "2008".
    """
    return _date_text(event.datum, event.bis, event.zeitraum)


#: A pure function of three short strings (thousands of events share dates).
@lru_cache(maxsize=8192)
def _date_text(datum: str, bis: str | None, zeitraum: str | None) -> str:
    event = Event.model_construct(datum=datum, bis=bis, zeitraum=zeitraum)
    start, end = event.start_date, event.end_date
    if event.zeitraum and event.precision != "day":
        return event.zeitraum
    if event.month_only:
        return month_title(start.year, start.month)
    if event.year_only:
        return str(start.year)
    if end == start:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        head = format_date(start, "EEEE, d.", locale=LOCALE)
    elif start.year == end.year:
        head = format_date(start, "EEEE, d. MMMM", locale=LOCALE)
    else:
        head = long_date(start)
    return f"{head} bis {long_date(end)}"


def event_time_text(event: Event) -> str | None:
    """ "10:00–16:00 Uhr", "ab 10:00 Uhr"; multi-day: "Beginn 10:00 Uhr, Ende 16:00 Uhr"."""
    if not event.beginn:
        return None
    if not event.ende:
        return f"ab {event.beginn} Uhr"
    if event.bis:
        return f"Beginn {event.beginn} Uhr, Ende {event.ende} Uhr"
    return f"{event.beginn}–{event.ende} Uhr"


def event_when_text(event: Event) -> str:
    """ "Mittwoch, 10. November 2010, 10:00–16:00 Uhr"."""
    time = event_time_text(event)
    date = event_date_text(event)
    return f"{date}, {time}" if time else date
