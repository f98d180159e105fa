"""Month grids: ISO weeks and weekday placement against the standard library, events on
the days they cover, holidays, German names from CLDR."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from conftest import event

from generator.calendar import dates as event_text
from generator.calendar.grid import (
    build_month,
    index_events,
    is_past,
    last_day,
    nrw_holidays,
)

TODAY = dt.date(2026, 11, 22)


def test_every_month_2000_to_2040_matches_the_standard_library():
    for year in range(2000, 2041):
        for month in range(1, 13):
            grid = build_month(year, month, (), today=TODAY)
            stdlib_rows = calendar.monthcalendar(year, month)  # Monday first, 0 = other month
            assert len(grid.weeks) == len(stdlib_rows), (year, month)
            for week, row in zip(grid.weeks, stdlib_rows, strict=True):
                assert [d.date.weekday() for d in week.days] == list(range(7))
                assert [d.date.day if d.in_month else 0 for d in week.days] == row
                # ISO week from strftime, independent of isocalendar() used by the code.
                assert week.number == int(week.days[3].date.strftime("%V")), (year, month)
                assert week.iso_year == int(week.days[3].date.strftime("%G"))
                dates = [d.date for d in week.days]
                assert dates == [dates[0] + dt.timedelta(days=i) for i in range(7)]
            assert all(d.in_month == (d.date.month == month) for w in grid.weeks for d in w.days)


@pytest.mark.parametrize(
    ("year", "month", "first", "last"),
    [
        (2024, 12, (48, 2024), (1, 2025)),  # 30 and 31 December 2024 are in week 1 of 2025
        (2021, 1, (53, 2020), (4, 2021)),  # 1 to 3 January 2021 are in week 53 of 2020
        (2027, 1, (53, 2026), (4, 2027)),
        (2010, 11, (44, 2010), (48, 2010)),
        (2026, 2, (5, 2026), (9, 2026)),  # starts on a Sunday: six rows
    ],
)
def test_week_numbers_at_year_boundaries(year, month, first, last):
    grid = build_month(year, month, (), today=TODAY)
    assert (grid.weeks[0].number, grid.weeks[0].iso_year) == first
    assert (grid.weeks[-1].number, grid.weeks[-1].iso_year) == last


def test_neighbouring_days_fill_first_and_last_row():
    grid = build_month(2010, 11, (), today=TODAY)
    first_row = grid.weeks[0].days
    assert first_row[0].date == dt.date(2010, 11, 1) and first_row[0].in_month
    last_row = grid.weeks[-1].days
    assert [d.date.day for d in last_row if not d.in_month] == [1, 2, 3, 4, 5]


def test_event_on_its_day_and_today_marked():
    workshop = event("2010-11-10-bochum-marketing", "2010-11-10")
    grid = build_month(2010, 11, [workshop], today=dt.date(2010, 11, 10))
    days = {d.date: d for w in grid.weeks for d in w.days}
    wednesday = days[dt.date(2010, 11, 10)]
    assert [e.event.id for e in wednesday.entries] == [workshop.id]
    assert wednesday.is_today and wednesday.date.weekday() == 2
    assert sum(d.is_today for d in days.values()) == 1
    week = next(w for w in grid.weeks if wednesday in w.days)
    assert week.number == 45
    assert grid.event_count == 1


def test_multi_day_event_on_every_day_across_months():
    congress = event("kongress", "2010-03-30", bis="2010-04-02")
    index = index_events([congress])
    march = build_month(2010, 3, index, today=TODAY)
    april = build_month(2010, 4, index, today=TODAY)
    entries = {
        d.date: e
        for grid in (march, april)
        for w in grid.weeks
        for d in w.days
        if d.in_month
        for e in d.entries
    }
    assert [(e.day, e.days) for _, e in sorted(entries.items())] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert entries[dt.date(2010, 3, 30)].is_first
    assert entries[dt.date(2010, 4, 2)].is_continuation
    assert march.event_count == april.event_count == 1


def test_month_and_year_precision():
    april = event("april", "2008-04")
    autumn = event("herbst", "2008", zeitraum="Herbst 2008")
    grid = build_month(2008, 4, [april, autumn], today=TODAY)
    assert grid.month_only == (april,)
    assert not any(d.entries for w in grid.weeks for d in w.days)
    assert last_day(april) == dt.date(2008, 4, 30)
    assert last_day(autumn) == dt.date(2008, 12, 31)
    assert not is_past(autumn, dt.date(2008, 12, 31))
    assert is_past(april, dt.date(2008, 5, 1))


def test_nrw_holidays_have_german_names():
    holidays = nrw_holidays([2010])
    assert holidays[dt.date(2010, 11, 1)] == "Allerheiligen"
    assert holidays[dt.date(2010, 6, 3)] == "Fronleichnam"
    assert dt.date(2010, 10, 31) not in holidays  # Reformationstag is no holiday in NRW
    grid = build_month(2010, 11, (), today=TODAY, holidays=holidays)
    assert grid.weeks[0].days[0].holiday == "Allerheiligen"


def test_german_names_and_dates():
    assert [short for short, _ in event_text.weekday_names()] == [
        "Mo", "Di", "Mi", "Do", "Fr", "Sa", "So"
    ]  # fmt: skip
    assert event_text.weekday_names()[6][1] == "Sonntag"
    assert event_text.month_title(2010, 3) == "März 2010"
    workshop = event("w", "2010-11-10", beginn="10:00", ende="16:00")
    assert event_text.event_when_text(workshop) == "Mittwoch, 10. November 2010, 10:00–16:00 Uhr"
    assert event_text.event_date_text(event("m", "2010-11")) == "November 2010"
    assert event_text.event_date_text(event("y", "2008", zeitraum="Herbst 2008")) == "Herbst 2008"
    three_days = event("d", "2010-03-01", bis="2010-03-03")
    assert event_text.event_date_text(three_days) == "Montag, 1. bis Mittwoch, 3. März 2010"
    across = event("x", "2010-04-30", bis="2010-05-02")
    assert event_text.event_date_text(across) == "Freitag, 30. April bis Sonntag, 2. Mai 2010"
    years = event("z", "2010-12-31", bis="2011-01-01", beginn="18:00")
    assert event_text.event_when_text(years) == (
        "Freitag, 31. Dezember 2010 bis Samstag, 1. Januar 2011, ab 18:00 Uhr"
    )
