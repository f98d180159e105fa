"""Which months get a page and how month pages lead to each other: every month with an
event, a window of a year around the build date, neighbour links that name what they
skip, and the nearest event from an empty month."""

from __future__ import annotations

import datetime as dt

from conftest import event

from generator.calendar.build import build_event_outputs
from generator.calendar.months import (
    WINDOW_AHEAD,
    WINDOW_BACK,
    EventTimeline,
    add_months,
    calendar_months,
    event_months,
    neighbours,
    span_text,
)

TODAY = dt.date(2026, 11, 22)
WINDOW = [add_months(2026, 11, k) for k in range(-WINDOW_BACK, WINDOW_AHEAD + 1)]


def test_months_are_the_event_months_and_a_year_around_today():
    events = [
        event("a", "2009-11-05"),
        event("b", "2010-01-20", bis="2010-02-02"),
        event("april", "2008-04"),
        event("herbst", "2008", zeitraum="Herbst 2008"),
        event("later", "2031-05-01"),
    ]
    months = calendar_months(events, TODAY)
    # No gap filling: 2010-03 … 2025-10 and 2027-12 … 2031-04 have no page.
    assert months == [(2008, 4), (2009, 11), (2010, 1), (2010, 2), *WINDOW, (2031, 5)]
    assert (WINDOW[0], WINDOW[-1]) == ((2025, 11), (2027, 11))
    assert calendar_months([], TODAY) == WINDOW
    assert event_months(events[3]) == []  # "Herbst 2008" belongs to no month


def test_one_event_far_ahead_adds_one_page_not_hundreds():
    """Before: one event in 2027 meant a page for every month since 2010."""
    events = [event("old", "2010-11-10"), event("new", "2040-03-01")]
    assert len(calendar_months(events, TODAY)) == 1 + len(WINDOW) + 1


def test_neighbours_move_one_month_or_say_what_they_skip():
    months = calendar_months([event("old", "2010-11-10"), event("feb", "2010-02-22")], TODAY)
    november_2010 = months.index((2010, 11))
    previous, following = neighbours(months, november_2010)
    assert previous.month == (2010, 2) and previous.skipped == "März bis Oktober 2010"
    assert following.month == (2025, 11)
    assert following.skipped == "Dezember 2010 bis Oktober 2025"
    # Inside the window: one month each way, nothing skipped.
    previous, following = neighbours(months, months.index((2026, 11)))
    assert (previous.month, previous.skipped) == ((2026, 10), None)
    assert (following.month, following.title) == ((2026, 12), "Dezember 2026")
    assert neighbours(months, 0)[0] is None and neighbours(months, len(months) - 1)[1] is None
    assert span_text((2010, 12), (2010, 12)) == "Dezember 2010"


def test_timeline_names_the_nearest_event_around_an_empty_month():
    events = [
        event("old", "2010-11-10"),
        event("herbst", "2027", zeitraum="Herbst 2027"),
        event("march", "2027-03-04", bis="2027-03-06"),
    ]
    timeline = EventTimeline(events)
    assert timeline.after((2026, 12)).id == "march"
    # "Herbst 2027" is after 2026, but whether after April 2027 is not known.
    assert timeline.after((2027, 4)) is None
    assert EventTimeline(events[:2]).after((2026, 12)).id == "herbst"
    assert timeline.before((2026, 12)).id == "old"
    assert timeline.before((2027, 4)).id == "march"
    assert timeline.before((2028, 1)).id == "herbst"
    assert timeline.before((2010, 11)) is None


def test_month_pages_link_neighbours_and_point_from_an_empty_month_to_the_next_event():
    events = [event("old", "2010-11-10"), event("soon", "2027-02-03", beginn="10:00")]
    outputs = {o.path: o.content for o in build_event_outputs(events, {}, today=TODAY)}
    months = sorted(p for p in outputs if p.count("/") == 2 and p[8:12].isdigit())
    assert len(months) == 1 + len(WINDOW)
    november_2010 = outputs["termine/2010/11.md"]
    assert 'href="../../2025/11/" rel="next"' in november_2010
    assert "Dezember 2010 bis Oktober 2025: keine Termine" in november_2010
    assert "Keine früheren Monate im Kalender" in november_2010
    december = outputs["termine/2026/12.md"]
    assert '<a href="../11/" rel="prev"><span aria-hidden="true">← </span>' in december
    assert "Für Dezember 2026 sind keine Termine eingetragen." in december
    assert (
        'Nächster Termin: <a href="../../soon/">Titel soon</a>, '
        "Mittwoch, 3. Februar 2027, ab 10:00 Uhr, Bochum" in december
    )
    march = outputs["termine/2027/03.md"]
    assert "Nach März 2027 sind noch keine Termine eingetragen." in march
    assert 'Letzter Termin davor: <a href="../../soon/">Titel soon</a>' in march
    # "Heute" leads to today's day in today's month.
    assert '<a href="../11/#tag-2026-11-22">Heute</a>' in december
    assert 'id="tag-2026-11-22"' in outputs["termine/2026/11.md"]
