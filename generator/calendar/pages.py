"""One month page and one event page of the calendar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from urllib.parse import urlencode

from markupsafe import Markup

from generator.build_cache import BuildCache, memo
from generator.calendar import dates as text
from generator.calendar import grid as grid_lib
from generator.calendar.ical import event_coordinates, place_parts
from generator.calendar.json_ld import event_json_ld
from generator.calendar.months import EventTimeline, Month, Neighbour, neighbours
from generator.calendar.paths import INDEX, event_ics, event_src, month_src, series_slug, series_src
from generator.calendar.status import status_note
from generator.data.fields import SERIES
from generator.data.models import Event
from generator.site.outputs import OutputFile
from generator.site.rendering import Links, page_meta, render, script_json


def time_attr(event: Event) -> str:
    """Machine-readable value for ``<time datetime>``: date, month, year or local date-time."""
    if event.precision != "day":
        return event.datum
    if event.beginn:
        return f"{event.datum}T{event.beginn}"
    return event.datum


def _osm_url(lat: float, lon: float) -> str:
    query = urlencode({"mlat": f"{lat:.5f}", "mlon": f"{lon:.5f}"})
    return f"https://www.openstreetmap.org/?{query}#map=16/{lat:.5f}/{lon:.5f}"


def _paragraphs(value: str) -> list[list[str]]:
    """Blank lines separate paragraphs, single newlines become line breaks."""
    blocks = [b.strip() for b in value.replace("\r\n", "\n").split("\n\n")]
    return [[line.strip() for line in b.split("\n")] for b in blocks if b]


@dataclass(frozen=True)
class CalendarContext:
    """Everything computed once per build and shared by all pages."""

    events: tuple[Event, ...]
    today: dt.date
    links: Links
    locations: Mapping
    months: tuple[tuple[int, int], ...]
    month_counts: Mapping[tuple[int, int], int]
    map_page: str | None
    #: Folders whose templates replace the package's.
    theme_dirs: tuple[str, ...] = ()
    #: The events in order, to name the nearest event from an empty month.
    timeline: EventTimeline | None = None
    #: The build's cache (`mkdocs serve`), or None: every page is rendered.
    cache: BuildCache | None = None

    @classmethod
    def of_key(
        cls,
        today: dt.date,
        links: Links,
        theme_dirs: tuple[str, ...],
        months: tuple[Month, ...] = (),
        counts: tuple[tuple[Month, int], ...] = (),
    ) -> CalendarContext:
        """The context of a memoized page: only what its memo key holds, so the page
        cannot depend on anything else (no events, places or timeline)."""
        return cls((), today, links, {}, months, dict(counts), None, theme_dirs)

    @cached_property
    def counts_key(self) -> tuple[tuple[Month, int], ...]:
        """The month counts in a hashable form, for the memos of pages that show them."""
        return tuple(self.month_counts.items())

    def today_href(self, from_src: str) -> str:
        """ "Heute": today's day in today's month page."""
        today = self.today
        return self.links.href(from_src, month_src(today.year, today.month), day_id(today))

    def event_ref(self, from_src: str, event: Event) -> dict:
        """A link to an event with what a sentence about it needs."""
        return {
            "href": self.links.href(from_src, event_src(event)),
            "title": event.titel,
            "when": text.event_when_text(event),
            "ort": event.ort,
        }


def day_id(day: dt.date) -> str:
    """The id of a day's cell in its month page: "tag-2010-11-10"."""
    return f"tag-{day.isoformat()}"


def month_picker(
    ctx: CalendarContext, from_src: str, current: tuple[int, int] | None
) -> list[dict]:
    """The month picker: every calendar month by year, the open one marked."""
    names = text.month_names()
    by_year: dict[int, list[dict]] = defaultdict(list)
    for year, month in ctx.months:
        by_year[year].append(
            {
                "name": names[month],
                "href": ctx.links.href(from_src, month_src(year, month)),
                "current": (year, month) == current,
                "count": ctx.month_counts.get((year, month), 0),
            }
        )
    return [
        {"year": year, "months": months} for year, months in sorted(by_year.items(), reverse=True)
    ]


def month_page(ctx: CalendarContext, grid: grid_lib.MonthGrid, position: int) -> OutputFile:
    """A month's page: memoized by what it shows (the grid with its events, the months
    of the picker with their counts, the nearest event from an empty month, the build's
    invariants), so `mkdocs serve` renders again only the months a save changed."""
    month: Month = (grid.year, grid.month)
    after = before = None
    if (
        not ctx.month_counts.get(month, 0)
        and ctx.timeline is not None
        and (after := ctx.timeline.after(month)) is None
    ):
        before = ctx.timeline.before(month)
    previous, following = neighbours(ctx.months, position)
    key = (grid, previous, following, after, before, ctx.months, ctx.counts_key)
    key += (ctx.today, ctx.links, ctx.theme_dirs)
    return memo(ctx.cache, "month page", key, partial(_month_page, *key))


def _month_page(
    grid: grid_lib.MonthGrid,
    previous: Neighbour | None,
    following: Neighbour | None,
    after: Event | None,
    before: Event | None,
    months: tuple[Month, ...],
    counts: tuple[tuple[Month, int], ...],
    today: dt.date,
    links: Links,
    theme_dirs: tuple[str, ...],
) -> OutputFile:
    ctx = CalendarContext.of_key(today, links, theme_dirs, months, counts)
    src = month_src(grid.year, grid.month)
    title = text.month_title(grid.year, grid.month)
    count = ctx.month_counts.get((grid.year, grid.month), 0)

    def link(neighbour) -> dict | None:
        if neighbour is None:
            return None
        return {
            "href": links.href(src, month_src(*neighbour.month)),
            "title": neighbour.title,
            "skipped": neighbour.skipped,
        }

    shown = {e.event.id: e.event for w in grid.weeks for d in w.days for e in d.entries}
    shown |= {e.id: e for e in grid.month_only}
    body = render(
        "termine_month.html",
        theme_dirs=theme_dirs,
        grid=grid,
        title=title,
        count=count,
        weekdays=text.weekday_names(),
        labels={day.date: text.day_label(day.date) for week in grid.weeks for day in week.days},
        slugs={r: series_slug(r) for r in SERIES},
        event_hrefs={i: links.href(src, event_src(e)) for i, e in shown.items()},
        prev=link(previous),
        next=link(following),
        today_href=ctx.today_href(src),
        next_event=ctx.event_ref(src, after) if after is not None else None,
        previous_event=ctx.event_ref(src, before) if before is not None else None,
        index_href=links.href(src, INDEX),
        picker=month_picker(ctx, src, (grid.year, grid.month)),
    )
    meta = page_meta(
        f"Termine im {title}",
        f"Veranstaltungskalender {title}: Termine des IQZ zum kommunalen Management "
        "für Familien in NRW.",
        template="termine.html",
        hide=["navigation", "toc"],
        search={"exclude": True},
    )
    return OutputFile.finished_page(src, meta, body)


def event_page(
    event: Event,
    location: object,
    today: dt.date,
    links: Links,
    map_page: str | None,
    theme_dirs: tuple[str, ...],
) -> OutputFile:
    """An event's page, made of the event, its place and the build's invariants alone
    (generator/calendar/build.py memoizes it with the event's calendar file)."""
    src = event_src(event)
    coordinates = event_coordinates(event, location)
    month = None if event.year_only else (event.start_date.year, event.start_date.month)
    page_url = links.absolute(src)
    ld = event_json_ld(event, today=today, location=location, url=page_url)
    body = render(
        "termine_event.html",
        theme_dirs=theme_dirs,
        event=event,
        status=event.status,
        status_note=status_note(event, today),
        when=text.event_when_text(event),
        datetime=time_attr(event),
        place_lines=place_parts(event),
        osm_url=_osm_url(*coordinates) if coordinates else None,
        map_href=links.href(src, map_page) if map_page and event.ort else None,
        series_href=links.href(src, series_src(event.reihe)),
        paragraphs=_paragraphs(event.beschreibung),
        ics_href=links.href(src, event_ics(event)) if event.precision == "day" else None,
        ics_name=f"{event.id}.ics",
        month_href=links.href(src, month_src(*month)) if month else None,
        month_title=text.month_title(*month) if month else "",
        index_href=links.href(src, INDEX),
        doc_href=links.href(src, event.dokumentation) if event.dokumentation else None,
        deadline=(
            text.long_date(dt.date.fromisoformat(event.anmeldeschluss))
            if event.anmeldeschluss
            else None
        ),
        json_ld=Markup(script_json(ld)) if ld is not None else None,
    )
    where = f" in {event.ort}" if event.ort else ""
    meta = page_meta(
        event.titel,
        f"{event.reihe}: {event.titel}, {text.event_date_text(event)}{where}.",
        template="termine.html",
    )
    return OutputFile.finished_page(src, meta, body)
