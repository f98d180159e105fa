"""One month page and one event page of the calendar."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from generator.calendar import dates as text
from generator.calendar import grid as grid_lib
from generator.calendar.ical import event_coordinates, event_json_ld, place_parts
from generator.calendar.paths import INDEX, event_ics, event_src, month_src, series_slug, series_src
from generator.calendar.status import status_note
from generator.data.models import SERIES, Event
from generator.site.outputs import OutputFile
from generator.site.rendering import Links, front_matter, render, script_json


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


def month_page(ctx: CalendarContext, grid: grid_lib.MonthGrid, position: int, labels) -> OutputFile:
    src = month_src(grid.year, grid.month)
    title = text.month_title(grid.year, grid.month)

    def neighbour(offset: int) -> dict | None:
        index = position + offset
        if not 0 <= index < len(ctx.months):
            return None
        year, month = ctx.months[index]
        return {
            "href": ctx.links.href(src, month_src(year, month)),
            "title": text.month_title(year, month),
        }

    shown = {e.event.id: e.event for w in grid.weeks for d in w.days for e in d.entries}
    shown |= {e.id: e for e in grid.month_only}
    body = render(
        "termine_month.html",
        theme_dirs=ctx.theme_dirs,
        grid=grid,
        title=title,
        count=ctx.month_counts.get((grid.year, grid.month), 0),
        weekdays=text.weekday_names(),
        labels=labels,
        slugs={r: series_slug(r) for r in SERIES},
        event_hrefs={i: ctx.links.href(src, event_src(e)) for i, e in shown.items()},
        prev=neighbour(-1),
        next=neighbour(1),
        index_href=ctx.links.href(src, INDEX),
        picker=month_picker(ctx, src, (grid.year, grid.month)),
    )
    front = front_matter(
        f"Termine im {title}",
        f"Veranstaltungskalender {title}: Termine des IQZ zum kommunalen Management "
        "für Familien in NRW.",
        template="termine.html",
        hide=["navigation", "toc"],
        search={"exclude": True},
    )
    return OutputFile(src, front + body, html_body=True)


def event_page(ctx: CalendarContext, event: Event) -> OutputFile:
    src = event_src(event)
    location = ctx.locations.get(event.id)
    coordinates = event_coordinates(event, location)
    month = None if event.year_only else (event.start_date.year, event.start_date.month)
    page_url = ctx.links.absolute(src)
    ld = event_json_ld(event, location=location, url=page_url)
    body = render(
        "termine_event.html",
        theme_dirs=ctx.theme_dirs,
        event=event,
        status=event.status,
        status_note=status_note(event, ctx.today),
        when=text.event_when_text(event),
        datetime=time_attr(event),
        place_lines=place_parts(event),
        osm_url=_osm_url(*coordinates) if coordinates else None,
        map_href=ctx.links.href(src, ctx.map_page) if ctx.map_page and event.ort else None,
        series_href=ctx.links.href(src, series_src(event.reihe)),
        paragraphs=_paragraphs(event.beschreibung),
        ics_href=ctx.links.href(src, event_ics(event)) if event.precision == "day" else None,
        ics_name=f"{event.id}.ics",
        month_href=ctx.links.href(src, month_src(*month)) if month else None,
        month_title=text.month_title(*month) if month else "",
        index_href=ctx.links.href(src, INDEX),
        doc_href=ctx.links.href(src, event.dokumentation) if event.dokumentation else None,
        json_ld=Markup(script_json(ld)),
    )
    where = f" in {event.ort}" if event.ort else ""
    front = front_matter(
        event.titel,
        f"{event.reihe}: {event.titel}, {text.event_date_text(event)}{where}.",
        template="termine.html",
    )
    return OutputFile(src, front + body, html_body=True)
