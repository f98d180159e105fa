"""Month grids for the event calendar: pure date math, no clock, no MkDocs.

Weeks start on Monday and carry their ISO week number; the first and last row show
the neighbouring months' days. All date math comes from the standard library
(``calendar.Calendar(firstweekday=0)``, ``date.isocalendar()``), never by hand.
Events are indexed once (:func:`index_events`), so building every month of a
ten-year calendar with thousands of events does not rescan all events per month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from generator.data.models import Event

_WEEKS = calendar.Calendar(firstweekday=calendar.MONDAY)


class DayEntry(NamedTuple):
    """One event on one day it covers; ``day``/``days`` say "Tag 2 von 3".

    The grid's parts are named tuples, not dataclasses: the preview's memo of each month
    page hashes and compares the grid on every save, and a tuple does both in C (a
    dataclass in Python, field by field: 35 ms of a save at 10,000 events)."""

    event: Event
    day: int = 1
    days: int = 1

    @property
    def is_first(self) -> bool:
        return self.day == 1

    @property
    def is_continuation(self) -> bool:
        return self.day > 1


class Day(NamedTuple):
    date: dt.date
    #: False for the neighbouring months' days in the first and last row.
    in_month: bool
    is_today: bool
    #: German name of an NRW public holiday, else None.
    holiday: str | None
    entries: tuple[DayEntry, ...]


class Week(NamedTuple):
    #: ISO 8601 week number (the "KW" column) and its ISO year.
    number: int
    iso_year: int
    days: tuple[Day, ...]

    @property
    def has_entries(self) -> bool:
        """Whether a day of this month in this week has an event or a holiday."""
        return any(d.in_month and (d.entries or d.holiday) for d in self.days)


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    weeks: tuple[Week, ...]
    #: Events known only to the month ("April 2008"), listed under the grid.
    month_only: tuple[Event, ...]

    @property
    def event_count(self) -> int:
        """Distinct events of this month (a multi-day event counts once)."""
        ids = {e.event.id for w in self.weeks for d in w.days if d.in_month for e in d.entries}
        return len(ids) + len(self.month_only)


@dataclass(frozen=True)
class EventIndex:
    """Events by day (one entry per covered day) and month-only events by month."""

    by_day: Mapping[dt.date, tuple[DayEntry, ...]]
    by_month: Mapping[tuple[int, int], tuple[Event, ...]]


def index_events(events: Iterable[Event]) -> EventIndex:
    """Index events once: every covered day of a dated event, and month-only events."""
    by_day: dict[dt.date, list[DayEntry]] = defaultdict(list)
    by_month: dict[tuple[int, int], list[Event]] = defaultdict(list)
    for event in sorted(events, key=lambda e: e.sort_key):
        if event.year_only:
            continue  # "Herbst 2008" belongs to no month: the lists show it
        if event.month_only:
            by_month[(event.start_date.year, event.start_date.month)].append(event)
            continue
        days = (event.end_date - event.start_date).days + 1
        for offset in range(days):
            day = event.start_date + dt.timedelta(days=offset)
            by_day[day].append(DayEntry(event, offset + 1, days))
    return EventIndex(
        {day: tuple(entries) for day, entries in by_day.items()},
        {month: tuple(items) for month, items in by_month.items()},
    )


def build_month(
    year: int,
    month: int,
    events: Iterable[Event] | EventIndex = (),
    *,
    today: dt.date,
    holidays: Mapping[dt.date, str] | None = None,
) -> MonthGrid:
    """The grid of one month: full Monday-to-Sunday weeks with ISO week numbers.

    ``events`` is a sequence of events or an :class:`EventIndex` built once for many
    months; ``holidays`` maps dates to German names (see :func:`nrw_holidays`).
    """
    index = events if isinstance(events, EventIndex) else index_events(events)
    holidays = holidays or {}
    weeks = []
    for row in _WEEKS.monthdatescalendar(year, month):
        iso = row[0].isocalendar()
        days = tuple(
            Day(
                date=day,
                in_month=day.month == month,
                is_today=day == today,
                holiday=holidays.get(day),
                entries=index.by_day.get(day, ()),
            )
            for day in row
        )
        weeks.append(Week(iso.week, iso.year, days))
    return MonthGrid(year, month, tuple(weeks), index.by_month.get((year, month), ()))


def last_day(event: Event) -> dt.date:
    """The last day an event may fall on: its end, or the end of its month or year."""
    return event.last_day  # one rule, with the model's checks of status and deadline


def is_past(event: Event, today: dt.date) -> bool:
    """Over for sure on ``today``: a running event, or one of this month, still counts as coming."""
    return last_day(event) < today


def nrw_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """NRW public holidays with their German names (from the ``holidays`` package)."""
    import holidays as holidays_lib  # imported late: loading its data is not free

    years = sorted(set(years))
    if not years:
        return {}
    table = holidays_lib.Germany(subdiv="NW", language="de", years=years)
    return {day: name for day, name in sorted(table.items())}
