"""The event lists: all events, one series, one archive year."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from functools import cache, partial

from markupsafe import Markup

from generator.build_cache import BuildCache, memo
from generator.calendar import dates as text
from generator.calendar import grid as grid_lib
from generator.calendar.months import add_months
from generator.calendar.pages import CalendarContext, day_id, month_picker, time_attr
from generator.calendar.paths import (
    INDEX,
    archive_src,
    event_src,
    month_src,
    series_slug,
    series_src,
)
from generator.calendar.status import status_label
from generator.calendar.subscriptions import subscription_box
from generator.data import register as nrw
from generator.data.fields import SERIES
from generator.data.models import Event
from generator.site.outputs import HtmlBlocks, OutputFile
from generator.site.rendering import Links, environment, front_matter, render

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


def event_kreis(event: Event) -> str | None:
    """The event's Kreis for the place filter: as the editors name it, or the Kreis whose
    seat the town is ("Düren" lies in the Kreis Düren). Kreisfreie Städte have none."""
    return event.kreis or (_kreis_of_seat(event.ort) if event.ort else None)


@cache
def _kreis_of_seat(ort: str) -> str | None:
    return _districts_by_seat().get(nrw.fold(ort))


@cache
def _districts_by_seat() -> dict[str, str]:
    return {nrw.fold(seat): district for district, (seat, _) in nrw.DISTRICTS.items()}


def place_options(events: Sequence[Event]) -> dict[str, list[str]]:
    """The choices of the place filter: the Kreise and the towns the events name."""
    return {
        "kreise": sorted({k for e in events if (k := event_kreis(e))}),
        "orte": sorted({e.ort for e in events if e.ort}),
    }


def list_item(ctx: CalendarContext, from_src: str, event: Event) -> dict:
    return {
        "event": event,
        "kreis": event_kreis(event) or "",
        "slug": series_slug(event.reihe),
        # Order within a year for the list script, as Event.sort_key has it.
        "sort": "{:04d}-{:02d}-{:02d}".format(*event.sort_key[:3]),
        "status": status_label(event, ctx.today),
        "end": grid_lib.last_day(event).isoformat(),
        "year": event.start_date.year,
        "datetime": time_attr(event),
        "when": text.event_when_text(event),
        "href": ctx.links.href(from_src, event_src(event)),
    }


def list_items(
    ctx: CalendarContext, src: str, events: Sequence[Event], cache: BuildCache | None
) -> list[Markup]:
    """The events' items in a list on the page ``src``, each rendered on its own and
    memoized by the event, the page and the build's invariants: a save of one upcoming
    event renders its item again, not the thousands of others in the list."""
    macros = environment(ctx.theme_dirs).get_template("termine_macros.html").module
    invariants = (src, ctx.today, ctx.links, ctx.theme_dirs)
    return [
        memo(
            cache,
            "list item",
            (event, *invariants),
            lambda event=event: macros.event_item(list_item(ctx, src, event)),
        )
        for event in events
    ]


def mini_calendar(ctx: CalendarContext, src: str, grid: grid_lib.MonthGrid) -> dict:
    """The month at a glance, as the old site's "Veranstaltungskalender" box had it: week
    numbers, Monday to Sunday, the neighbouring months' days; a day with events links to
    its event (one) or to the day in the month page (several)."""
    month = (grid.year, grid.month)
    month_href = ctx.links.href(src, month_src(*month))
    weeks = []
    for week in grid.weeks:
        days = []
        for day in week.days:
            events = {e.event.id: e.event for e in day.entries} if day.in_month else {}
            href = label = None
            if len(events) == 1:
                (event,) = events.values()
                href = ctx.links.href(src, event_src(event))
                label = event.titel
            elif events:
                href = ctx.links.href(src, month_src(*month), day_id(day.date))
                label = f"{len(events)} Termine"
            days.append({"day": day, "href": href, "label": label})
        weeks.append({"number": week.number, "days": days})
    neighbours = {}
    for key, step in (("prev", -1), ("next", 1)):
        there = add_months(*month, step)
        if there in ctx.month_counts:
            neighbours[key] = {
                "href": ctx.links.href(src, month_src(*there)),
                "title": text.month_title(*there),
            }
    return {
        "title": text.month_title(*month),
        "month_name": text.month_names()[month[1]],
        "count": ctx.month_counts.get(month, 0),
        "href": month_href,
        "today_href": ctx.today_href(src),
        "weeks": weeks,
        **neighbours,
    }


def list_pages(
    ctx: CalendarContext,
    src: str,
    events: Sequence[Event],
    reihe: str | None,
    front: str,
    mini: grid_lib.MonthGrid | None = None,
    feed_counts: tuple[tuple[str | None, int], ...] = (),
) -> list[OutputFile]:
    """A list page (all events or one series): upcoming first, then the archive by
    year, inline or, for a large archive, one page per year. ``mini`` is today's month,
    shown at the top of the page; ``feed_counts`` how many events each feed holds (the
    subscription box says which have none yet).

    The page and each year page are memoized by what they show (their events, the
    picker's months, the build's invariants), so `mkdocs serve` renders again only
    the lists a save changed."""
    past: dict[int, list[Event]] = defaultdict(list)
    upcoming = []
    for event in events:
        if grid_lib.is_past(event, ctx.today):
            past[event.start_date.year].append(event)
        else:
            upcoming.append(event)
    paged = sum(map(len, past.values())) > ARCHIVE_INLINE_LIMIT
    outputs: list[OutputFile] = []
    archive: list[tuple[int, int | tuple[Event, ...]]] = []
    for year, members in sorted(past.items(), reverse=True):
        if paged:
            outputs.append(year_page(ctx, archive_src(year, reihe), year, members, reihe))
            archive.append((year, len(members)))
        else:
            archive.append((year, tuple(members)))
    places = place_options(events)
    key = (src, tuple(upcoming), tuple(archive), paged, reihe, front)
    key += ((tuple(places["kreise"]), tuple(places["orte"])), mini, ctx.months, ctx.counts_key)
    key += (ctx.today, ctx.links, ctx.theme_dirs, feed_counts)
    page = memo(ctx.cache, "list page", key, partial(_list_page, *key, cache=ctx.cache))
    return [page, *outputs]


def _list_page(
    src: str,
    upcoming: tuple[Event, ...],
    archive: tuple[tuple[int, int | tuple[Event, ...]], ...],
    paged: bool,
    reihe: str | None,
    front: str,
    places: tuple[tuple[str, ...], tuple[str, ...]],
    mini: grid_lib.MonthGrid | None,
    months: tuple[tuple[int, int], ...],
    counts: tuple[tuple[tuple[int, int], int], ...],
    today: dt.date,
    links: Links,
    theme_dirs: tuple[str, ...],
    feed_counts: tuple[tuple[str | None, int], ...] = (),
    cache: BuildCache | None = None,
) -> OutputFile:
    """``archive`` holds each past year's events, or (``paged``) only their number: each
    year has a page of its own."""
    ctx = CalendarContext.of_key(today, links, theme_dirs, months, counts)
    filters = [{"label": "Alle Reihen", "href": links.href(src, INDEX), "current": reihe is None}]
    filters += [
        {
            "label": SERIES_INFO[r][0],
            "href": links.href(src, series_src(r)),
            "current": r == reihe,
        }
        for r in SERIES
    ]
    labels = {r: info[0] for r, info in SERIES_INFO.items()}
    blocks = HtmlBlocks()
    page = render(
        "termine_list.md",
        theme_dirs=theme_dirs,
        html_block=blocks,
        intro=reihe is None,
        series_texts=[SERIES_INFO[r] for r in SERIES],
        series_text=f"{SERIES_INFO[reihe][0]}: {SERIES_INFO[reihe][1]}" if reihe else "",
        filters=filters,
        places={"kreise": list(places[0]), "orte": list(places[1])},
        mini=mini_calendar(ctx, src, mini) if mini is not None else None,
        weekdays=text.weekday_names(),
        picker=month_picker(ctx, src, None),
        today=today.isoformat(),
        upcoming=list_items(ctx, src, upcoming, cache),
        archive=[
            (
                year,
                {"count": shown, "href": links.href(src, archive_src(year, reihe))}
                if paged
                else list_items(ctx, src, shown, cache),
            )
            for year, shown in archive
        ],
        paged=paged,
        subscribe=subscription_box(
            links, src, labels, reihe, dict(feed_counts) if feed_counts else None
        ),
    )
    return OutputFile(src, front + page, blocks=tuple(blocks.blocks))


def year_page(
    ctx: CalendarContext, src: str, year: int, events: Sequence[Event], reihe: str | None
) -> OutputFile:
    """An archive year's page of a large list, memoized like the list page."""
    key = (src, year, tuple(events), reihe, ctx.today, ctx.links, ctx.theme_dirs)
    return memo(ctx.cache, "year page", key, partial(_year_page, *key, cache=ctx.cache))


def _year_page(
    src: str,
    year: int,
    events: tuple[Event, ...],
    reihe: str | None,
    today: dt.date,
    links: Links,
    theme_dirs: tuple[str, ...],
    cache: BuildCache | None = None,
) -> OutputFile:
    ctx = CalendarContext.of_key(today, links, theme_dirs)
    label = f"{SERIES_INFO[reihe][0]}: " if reihe else ""
    blocks = HtmlBlocks()
    body = render(
        "termine_year.md",
        theme_dirs=theme_dirs,
        html_block=blocks,
        year=year,
        items=list_items(ctx, src, events, cache),
        back={"href": links.href(src, series_src(reihe) if reihe else INDEX), "label": label},
    )
    front = front_matter(
        f"{label}Termine {year}",
        f"{label}Vergangene Termine des IQZ im Jahr {year}.",
        template="termine.html",
        search={"exclude": True},  # every event has its own, searchable page
    )
    return OutputFile(src, front + body, blocks=tuple(blocks.blocks))
