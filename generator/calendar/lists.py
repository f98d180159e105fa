"""The event lists: all events, one series, one archive year."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

from generator.calendar import dates as text
from generator.calendar import grid as grid_lib
from generator.calendar.pages import CalendarContext, month_picker, time_attr
from generator.calendar.paths import (
    ALL_FEED,
    INDEX,
    archive_src,
    event_src,
    month_src,
    series_ics,
    series_slug,
    series_src,
)
from generator.calendar.status import status_label
from generator.data.models import SERIES, Event
from generator.site.outputs import OutputFile
from generator.site.rendering import front_matter, render

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


def list_item(ctx: CalendarContext, from_src: str, event: Event) -> dict:
    return {
        "event": event,
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


def list_pages(
    ctx: CalendarContext, src: str, events: Sequence[Event], reihe: str | None, front: str
) -> list[OutputFile]:
    """A list page (all events or one series): upcoming first, then the archive by
    year, inline or, for a large archive, one page per year."""
    past: dict[int, list[Event]] = defaultdict(list)
    upcoming = []
    for event in events:
        if grid_lib.is_past(event, ctx.today):
            past[event.start_date.year].append(event)
        else:
            upcoming.append(list_item(ctx, src, event))
    paged = sum(map(len, past.values())) > ARCHIVE_INLINE_LIMIT
    outputs: list[OutputFile] = []
    archive = []
    for year, members in sorted(past.items(), reverse=True):
        if paged:
            year_src = archive_src(year, reihe)
            outputs.append(year_page(ctx, year_src, year, members, reihe))
            archive.append((year, {"count": len(members), "href": ctx.links.href(src, year_src)}))
        else:
            archive.append((year, [list_item(ctx, src, e) for e in members]))
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
        theme_dirs=ctx.theme_dirs,
        intro=reihe is None,
        series_texts=[SERIES_INFO[r] for r in SERIES],
        series_text=f"{SERIES_INFO[reihe][0]}: {SERIES_INFO[reihe][1]}" if reihe else "",
        filters=filters,
        current_month={
            "href": ctx.links.href(src, month_src(*current)),
            "title": text.month_title(*current),
        },
        picker=month_picker(ctx, src, None),
        today=ctx.today.isoformat(),
        upcoming=upcoming,
        archive=archive,
        paged=paged,
        feeds=feeds,
    )
    return [OutputFile(src, front + page), *outputs]


def year_page(
    ctx: CalendarContext, src: str, year: int, events: Sequence[Event], reihe: str | None
) -> OutputFile:
    label = f"{SERIES_INFO[reihe][0]}: " if reihe else ""
    body = render(
        "termine_year.md",
        theme_dirs=ctx.theme_dirs,
        year=year,
        items=[list_item(ctx, src, e) for e in events],
        back={"href": ctx.links.href(src, series_src(reihe) if reihe else INDEX), "label": label},
    )
    front = front_matter(
        f"{label}Termine {year}",
        f"{label}Vergangene Termine des IQZ im Jahr {year}.",
        template="termine.html",
        search={"exclude": True},  # every event has its own, searchable page
    )
    return OutputFile(src, front + body)
