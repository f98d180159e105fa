"""Which months get a calendar page, and how a month page points to its neighbours.

A page for every month from the first event to today would grow without end (one event
in 2027 meant some 195 empty pages from 2010 on). So there is a page for every month an
event falls in, and for a window around the build date: ``WINDOW_BACK`` months back and
``WINDOW_AHEAD`` ahead, so "previous" and "next" from today's month move one month at
a time through the recent past and the coming year. Between an old event month and the
window nothing happens, by construction: every month with an event has its page, so a
month without a page is a month without events, and a neighbour link that jumps says
which months it skips.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from generator.calendar.dates import month_names, month_title
from generator.data.models import Event

Month = tuple[int, int]

#: Months before and after the build date's month that always have a page.
WINDOW_BACK = 12
WINDOW_AHEAD = 12


def add_months(year: int, month: int, count: int) -> Month:
    serial = year * 12 + (month - 1) + count
    return serial // 12, serial % 12 + 1


def event_months(event: Event) -> list[Month]:
    """The months an event falls in (all of a multi-day event's); none if only its year is known."""
    if event.year_only:
        return []
    first = (event.start_date.year, event.start_date.month)
    last = (event.end_date.year, event.end_date.month)
    months = [first]
    while months[-1] < last:
        months.append(add_months(*months[-1], 1))
    return months


def calendar_months(
    events: Iterable[Event],
    today: dt.date,
    *,
    back: int = WINDOW_BACK,
    ahead: int = WINDOW_AHEAD,
) -> list[Month]:
    """Months with a page, in order: every month with an event, and the window around
    ``today`` (the build date)."""
    months = {add_months(today.year, today.month, offset) for offset in range(-back, ahead + 1)}
    for event in events:
        months.update(event_months(event))
    return sorted(months)


def span_text(first: Month, last: Month) -> str:
    """ "Dezember 2010", "März bis Oktober 2010", "Dezember 2010 bis Oktober 2025"."""
    if first == last:
        return month_title(*first)
    if first[0] == last[0]:
        return f"{month_names()[first[1]]} bis {month_title(*last)}"
    return f"{month_title(*first)} bis {month_title(*last)}"


@dataclass(frozen=True)
class Neighbour:
    """The month a "previous" or "next" link leads to; ``skipped`` names the months
    between that have no page (and so no events), None when it is the very next month."""

    month: Month
    title: str
    skipped: str | None


def neighbours(months: Sequence[Month], position: int) -> tuple[Neighbour | None, Neighbour | None]:
    """(previous, next) of ``months[position]``: the nearest month with a page each way."""
    here = months[position]
    result: list[Neighbour | None] = []
    for index, step in ((position - 1, -1), (position + 1, 1)):
        if not 0 <= index < len(months):
            result.append(None)
            continue
        there = months[index]
        gap = (add_months(*here, step), add_months(*there, -step))
        skipped = None
        if there != add_months(*here, step):
            skipped = span_text(*sorted(gap))
        result.append(Neighbour(there, month_title(*there), skipped))
    return result[0], result[1]


class EventTimeline:
    """Events in their one order (``Event.sort_key``), to find the nearest event before
    or after a month without going through all events for each month."""

    def __init__(self, events: Sequence[Event]):
        self.events = sorted(events, key=lambda e: e.sort_key)
        self._keys = [event.sort_key[:2] for event in self.events]

    def after(self, month: Month) -> Event | None:
        """The first event after ``month`` (one known only to its year counts from the
        next year on: "Herbst 2026" may still lie before December 2026)."""
        for event in self.events[bisect.bisect_right(self._keys, month) :]:
            if not event.year_only or event.start_date.year > month[0]:
                return event
        return None

    def before(self, month: Month) -> Event | None:
        """The last event before ``month``, under the same rule."""
        for event in reversed(self.events[: bisect.bisect_left(self._keys, month)]):
            known = not event.year_only or event.start_date.year < month[0]
            if known and event.end_date < _first_day(month):
                return event
        return None


def _first_day(month: Month) -> dt.date:
    return dt.date(month[0], month[1], 1)
