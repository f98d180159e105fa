"""The event calendar as plain files: month pages, event pages, lists and feeds.

Pages are Markdown with HTML blocks rendered by one autoescaping Jinja environment;
the site's theme gives them their layout (``template: termine.html``). Every link is
computed here from source paths, so the pages work under any engine that maps
``a/b.md`` to ``a/b/`` (MkDocs' ``use_directory_urls``) or to ``a/b.html``.

Cost per page stays constant: events are indexed once, month grids and the month
picker are built once, and no page loops over all events except the lists.

Paths (relative to the docs root):

- ``termine/index.md``: "Alle Termine", upcoming first, then the archive by year
- ``termine/reihe/<reihe>.md`` and ``.ics``: the same for one series, with its feed
- ``termine/<jahr>/<monat>.md``: one month grid (``termine/2010/11/``)
- ``termine/<id>.md`` and ``termine/<id>.ics``: one event and its calendar entry
- ``termine/termine.ics``: every event
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from markupsafe import Markup

from generator.calendar import dates as text
from generator.calendar import grid as grid_lib
from generator.calendar.ical import (
    event_coordinates,
    event_json_ld,
    events_to_ics,
    place_parts,
)
from generator.data.loading import DataError, Problem
from generator.data.models import SERIES, Event
from generator.site.outputs import OutputFile
from generator.site.rendering import (
    DEFAULT_LINKS,
    Links,
    front_matter,
    links_for,
    render,
    script_json,
)

INDEX = "termine/index.md"
ALL_FEED = "termine/termine.ics"
#: Event ids that would overwrite another generated file.
RESERVED_IDS = frozenset({"index", "termine"})
MAP_PAGE = "familienmanager/karte.md"
#: Up to this many past events the archive stands on the list page itself; above it,
#: each year gets a page of its own, so no list page grows to megabytes.
ARCHIVE_INLINE_LIMIT = 400

#: Plural labels and the sentences of the former hand-written Termine page.
SERIES_INFO: dict[str, tuple[str, str]] = {
    "Werkstattreihe": (
        "Werkstattreihe",
        "Workshops zu einem Schwerpunkt, zum Beispiel Marketing für Familien oder Zusammenarbeit "
        "in der Verwaltung. Sie finden an wechselnden Orten in Nordrhein-Westfalen statt.",
    ),
    "Familienmanagertreffen": (
        "Familienmanagertreffen",
        "Treffen der zertifizierten Familienmanagerinnen und -manager. Sie tauschen dort "
        "Erfahrungen aus und arbeiten gemeinsam an Themen.",
    ),
    "Zertifikatskurs": (
        "Zertifikatskurse",
        "die Weiterbildung „Kommunales Management für Familien“.",
    ),
    "Fachkongress": ("Fachkongresse", "größere Tagungen zur Familienpolitik in den Kommunen."),
}


def series_slug(reihe: str) -> str:
    return reihe.lower()


def month_src(year: int, month: int) -> str:
    return f"termine/{year:04d}/{month:02d}.md"


def event_src(event: Event) -> str:
    return f"termine/{event.id}.md"


def event_ics(event: Event) -> str:
    return f"termine/{event.id}.ics"


def series_src(reihe: str) -> str:
    return f"termine/reihe/{series_slug(reihe)}.md"


def series_ics(reihe: str) -> str:
    return f"termine/reihe/{series_slug(reihe)}.ics"


def archive_src(year: int, reihe: str | None = None) -> str:
    """One year of the archive: ``termine/archiv/2015.md`` or ``termine/reihe/<reihe>/2015.md``."""
    if reihe is None:
        return f"termine/archiv/{year}.md"
    return f"termine/reihe/{series_slug(reihe)}/{year}.md"


def reserved_ids(events: Iterable[Event]) -> list[Event]:
    """Events whose id would collide with a generated file (the plugin reports them)."""
    return [e for e in events if e.id in RESERVED_IDS]


def _time_attr(event: Event) -> str:
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
class _Context:
    """Everything computed once per build and shared by all pages."""

    events: tuple[Event, ...]
    today: dt.date
    links: Links
    locations: Mapping
    months: tuple[tuple[int, int], ...]
    month_counts: Mapping[tuple[int, int], int]
    map_page: str | None


def _picker(ctx: _Context, from_src: str, current: tuple[int, int] | None) -> list[dict]:
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


def _month_page(ctx: _Context, grid: grid_lib.MonthGrid, position: int, labels) -> OutputFile:
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
        picker=_picker(ctx, src, (grid.year, grid.month)),
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


def _event_page(ctx: _Context, event: Event) -> OutputFile:
    src = event_src(event)
    location = ctx.locations.get(event.id)
    coordinates = event_coordinates(event, location)
    month = None if event.year_only else (event.start_date.year, event.start_date.month)
    page_url = ctx.links.absolute(src)
    ld = event_json_ld(event, location=location, url=page_url)
    body = render(
        "termine_event.html",
        event=event,
        past=grid_lib.is_past(event, ctx.today),
        when=text.event_when_text(event),
        datetime=_time_attr(event),
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


def _item(ctx: _Context, from_src: str, event: Event) -> dict:
    return {
        "event": event,
        "slug": series_slug(event.reihe),
        # Order within a year for the list script: days, then "April", then "Herbst".
        "sort": {"day": event.datum, "month": f"{event.datum}-32", "year": f"{event.datum}-13"}[
            event.precision
        ],
        "end": grid_lib.last_day(event).isoformat(),
        "year": event.start_date.year,
        "datetime": _time_attr(event),
        "when": text.event_when_text(event),
        "href": ctx.links.href(from_src, event_src(event)),
    }


def _list_pages(
    ctx: _Context, src: str, events: Sequence[Event], reihe: str | None, front: str
) -> list[OutputFile]:
    """A list page (all events or one series): upcoming first, then the archive by
    year, inline or, for a large archive, one page per year."""
    past: dict[int, list[Event]] = defaultdict(list)
    upcoming = []
    for event in events:
        if grid_lib.is_past(event, ctx.today):
            past[event.start_date.year].append(event)
        else:
            upcoming.append(_item(ctx, src, event))
    paged = sum(map(len, past.values())) > ARCHIVE_INLINE_LIMIT
    outputs: list[OutputFile] = []
    archive = []
    for year, members in sorted(past.items(), reverse=True):
        if paged:
            year_src = archive_src(year, reihe)
            outputs.append(_year_page(ctx, year_src, year, members, reihe))
            archive.append((year, {"count": len(members), "href": ctx.links.href(src, year_src)}))
        else:
            archive.append((year, [_item(ctx, src, e) for e in members]))
    filters = [
        {"label": "Alle Reihen", "href": ctx.links.href(src, INDEX), "current": reihe is None}
    ]
    filters += [
        {
            "label": SERIES_INFO[r][0],
            "href": ctx.links.href(src, series_src(r)),
            "current": r == reihe,
        }
        for r in SERIES
    ]
    feed_specs = [(ALL_FEED, "Alle Termine")] if reihe is None else []
    feed_specs += [
        (series_ics(r), f"Nur {SERIES_INFO[r][0]}") for r in SERIES if reihe in (None, r)
    ]
    feeds = []
    for feed_src, label in feed_specs:
        absolute = ctx.links.absolute(feed_src)
        webcal = None
        if absolute:
            parts = urlsplit(absolute)
            webcal = "webcal://" + parts.netloc + parts.path
        feeds.append({"href": ctx.links.href(src, feed_src), "label": label, "webcal": webcal})
    current = (ctx.today.year, ctx.today.month)
    page = render(
        "termine_list.md",
        intro=reihe is None,
        series_texts=[SERIES_INFO[r] for r in SERIES],
        series_text=f"{SERIES_INFO[reihe][0]}: {SERIES_INFO[reihe][1]}" if reihe else "",
        filters=filters,
        current_month={
            "href": ctx.links.href(src, month_src(*current)),
            "title": text.month_title(*current),
        },
        picker=_picker(ctx, src, None),
        today=ctx.today.isoformat(),
        upcoming=upcoming,
        archive=archive,
        paged=paged,
        feeds=feeds,
    )
    return [OutputFile(src, front + page), *outputs]


def _year_page(
    ctx: _Context, src: str, year: int, events: Sequence[Event], reihe: str | None
) -> OutputFile:
    label = f"{SERIES_INFO[reihe][0]}: " if reihe else ""
    body = render(
        "termine_year.md",
        year=year,
        items=[_item(ctx, src, e) for e in events],
        back={"href": ctx.links.href(src, series_src(reihe) if reihe else INDEX), "label": label},
    )
    front = front_matter(
        f"{label}Termine {year}",
        f"{label}Vergangene Termine des IQZ im Jahr {year}.",
        template="termine.html",
        search={"exclude": True},  # every event has its own, searchable page
    )
    return OutputFile(src, front + body)


def _sort_key(event: Event) -> tuple:
    """Chronological; "April 2008" after the days of April, "Herbst 2008" (year only)
    after everything else in 2008, since its place within the year is not known."""
    start = event.start_date
    month = 13 if event.year_only else start.month
    day = 32 if event.precision != "day" else start.day
    return (start.year, month, day, event.beginn or "", event.titel, event.id)


def _sorted(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=_sort_key)


def build_event_outputs(
    events: Iterable[Event],
    locations: Mapping,
    *,
    today: dt.date,
    links: Links = DEFAULT_LINKS,
    map_page: str | None = None,
) -> list[OutputFile]:
    """Every calendar page and feed for ``events`` as of ``today`` (the build date)."""
    events = tuple(_sorted(events))
    index = grid_lib.index_events(events)
    months = tuple(grid_lib.calendar_months(events, today))
    holidays = grid_lib.nrw_holidays(range(months[0][0] - 1, months[-1][0] + 2))
    # Month grids: built once each; the picker on every page needs all their counts.
    grids = [grid_lib.build_month(*m, index, today=today, holidays=holidays) for m in months]
    counts = {(g.year, g.month): g.event_count for g in grids}
    ctx = _Context(events, today, links, locations, months, counts, map_page)
    outputs: list[OutputFile] = []
    labels: dict[dt.date, str] = {}  # weekday labels, shared by neighbouring months
    for position, grid in enumerate(grids):
        for week in grid.weeks:
            for day in week.days:
                if day.date not in labels:
                    labels[day.date] = text.day_label(day.date)
        outputs.append(_month_page(ctx, grid, position, labels))

    for event in events:
        outputs.append(_event_page(ctx, event))

    def page_url(event: Event) -> str | None:
        return links.absolute(event_src(event))

    feed_args = {"build_date": today, "locations": locations, "urls": page_url, "serialized": {}}
    for event in events:
        if event.precision == "day":
            outputs.append(
                OutputFile(
                    event_ics(event),
                    events_to_ics(
                        [event],
                        name="Termin Familienmanager NRW",
                        description="Veranstaltung des IQZ",
                        **feed_args,
                    ),
                )
            )
    outputs.append(
        OutputFile(
            ALL_FEED,
            events_to_ics(
                events,
                name="Termine Familienmanager NRW",
                description="Veranstaltungen des IQZ zum kommunalen Management für Familien in NRW",
                **feed_args,
            ),
        )
    )

    # Lists: all events, then one page and one feed per series.
    front = front_matter(
        "Termine",
        "Termine des IQZ: Werkstattreihe, Familienmanagertreffen, Zertifikatskurse und "
        "Fachkongresse zum kommunalen Management für Familien in Nordrhein-Westfalen.",
        template="termine.html",
    )
    outputs += _list_pages(ctx, INDEX, events, None, front)
    for reihe in SERIES:
        members = [e for e in events if e.reihe == reihe]
        label = SERIES_INFO[reihe][0]
        src = series_src(reihe)
        front = front_matter(
            f"Termine: {label}",
            f"Alle Termine der Reihe {label} des IQZ, kommende und vergangene.",
            template="termine.html",
            search={"exclude": True},  # the same events as "Alle Termine"
        )
        outputs += _list_pages(ctx, src, members, reihe, front)
        outputs.append(
            OutputFile(
                series_ics(reihe),
                events_to_ics(
                    members,
                    name=f"Termine Familienmanager NRW: {label}",
                    description=f"Veranstaltungen des IQZ: {label}",
                    **feed_args,
                ),
            )
        )
    return outputs


def documentation_backlinks(
    events: Iterable[Event], *, links: Links = DEFAULT_LINKS
) -> dict[str, str]:
    """HTML to append to each documentation page an event names in ``dokumentation``:
    the way back from the report to the event's page ("Zur Veranstaltung")."""
    by_doc: dict[str, list[Event]] = defaultdict(list)
    for event in _sorted(events):
        if event.dokumentation:
            by_doc[event.dokumentation].append(event)
    result = {}
    for doc, members in by_doc.items():
        items = [
            {
                "href": links.href(doc, event_src(e)),
                "title": e.titel,
                "when": text.event_date_text(e),
                "ort": e.ort,
            }
            for e in members
        ]
        result[doc] = render("termine_backlink.html", links=items)
    return result


def event_calendar_outputs(
    dataset, locations: Mapping, settings, existing: set[str]
) -> list[OutputFile]:
    """Entry point for :func:`generator.site.build.build_outputs`: ids that would overwrite a
    generated file are reported like any data error; the map link appears only when
    the map page is among the ``existing`` generated paths."""
    problems = []
    for event in reserved_ids(dataset.events):
        file, line = dataset.where(event.id, "id")
        problems.append(
            Problem(
                file,
                line,
                "id",
                f"die Kennung „{event.id}“ ist für eine Seite der Website reserviert. "
                "Wählen Sie eine andere, z. B. mit Datum und Ort: „2011-03-15-koeln-workshop“.",
            )
        )
    if problems:
        raise DataError(problems)
    return build_event_outputs(
        dataset.events,
        locations,
        today=settings.build_date,
        links=links_for(settings),
        map_page=MAP_PAGE if MAP_PAGE in existing else None,
    )
