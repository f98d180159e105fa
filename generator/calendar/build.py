"""The event calendar as plain files: month pages, event pages, lists and feeds.

Pages are Markdown with HTML blocks rendered by one autoescaping Jinja environment;
the site's theme gives them their layout (``template: termine.html``). Every link is
computed here from source paths, so the pages work under any engine that maps
``a/b.md`` to ``a/b/`` (MkDocs' ``use_directory_urls``) or to ``a/b.html``.

Cost per page stays constant: events are indexed once, month grids and the month
picker are built once, and no page loops over all events except the lists.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from functools import partial
from xml.sax.saxutils import escape

from generator.build_cache import BuildCache, memo
from generator.calendar import dates as text
from generator.calendar import grid as grid_lib
from generator.calendar.atom import atom_entry, events_to_atom
from generator.calendar.ical import dtstamp, events_to_ics, vevent_bytes
from generator.calendar.lists import SERIES_INFO, list_pages
from generator.calendar.months import EventTimeline, calendar_months
from generator.calendar.pages import CalendarContext, event_page, month_page
from generator.calendar.paths import (
    ALL_FEED,
    ATOM_FEED,
    FEED_FOLDER_SITEMAP,
    INDEX,
    event_ics,
    event_src,
    series_ics,
    series_src,
)
from generator.data.fields import SERIES
from generator.data.models import Event
from generator.site.outputs import OutputFile
from generator.site.rendering import DEFAULT_LINKS, Links, front_matter, links_for, render


def sorted_events(events: Iterable[Event]) -> list[Event]:
    return sorted(events, key=lambda event: event.sort_key)


def build_event_outputs(
    events: Iterable[Event],
    locations: Mapping,
    *,
    today: dt.date,
    links: Links = DEFAULT_LINKS,
    map_page: str | None = None,
    theme_dirs: tuple[str, ...] = (),
    cache: BuildCache | None = None,
) -> list[OutputFile]:
    """Every calendar page and feed for ``events`` as of ``today`` (the build date);
    with a ``cache``, what an earlier build made of the same inputs is not made again."""
    events = tuple(sorted_events(events))
    index = grid_lib.index_events(events)
    months = tuple(calendar_months(events, today))
    holidays = grid_lib.nrw_holidays(sorted({year for year, _ in months}))
    # Month grids: built once each; the picker on every page needs all their counts.
    grids = [grid_lib.build_month(*m, index, today=today, holidays=holidays) for m in months]
    counts = {(g.year, g.month): g.event_count for g in grids}
    ctx = CalendarContext(
        events,
        today,
        links,
        locations,
        months,
        counts,
        map_page,
        theme_dirs,
        timeline=EventTimeline(events),
        cache=cache,
    )
    this_month = grids[months.index((today.year, today.month))]
    # The Atom feed first: making it needs several times its size for a moment (16 MB at
    # 10,000 events), memory the pages made next use again instead of adding to it.
    upcoming = tuple(e for e in events if not grid_lib.is_past(e, today))
    key = (upcoming, today, links)
    atom = memo(cache, "atom", key, partial(_atom_feed, *key, cache))
    outputs: list[OutputFile] = []
    for position, grid in enumerate(grids):
        outputs.append(month_page(ctx, grid, position))

    # Each event's page and calendar file, memoized together by everything they are made
    # of (the event, its place, the build's invariants): `mkdocs serve` makes only what a
    # save changed, with one lookup per event. Its VEVENT goes into the feeds too.
    vevents: dict[str, memoryview] = {}
    for event in events:
        key = (event, locations.get(event.id), today, links, map_page, theme_dirs)
        page, calendar = memo(cache, "event", key, partial(_event_files, *key))
        outputs.append(page)
        if calendar is not None:
            outputs.append(calendar[0])
            vevents[event.id] = calendar[1]

    feed_args = {"build_date": today, "vevents": vevents}
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
    series: dict[str, list[Event]] = {reihe: [] for reihe in SERIES}  # in the events' order
    for event in events:
        series.setdefault(event.reihe, []).append(event)
    # What each feed holds: the .ics files only events with a day, the Atom feed the
    # upcoming ones. The subscription box says which have nothing yet.
    feed_counts = (
        (None, sum(e.precision == "day" for e in events)),
        *((r, sum(e.precision == "day" for e in series[r])) for r in SERIES),
        ("atom", len(upcoming)),
    )
    outputs += list_pages(ctx, INDEX, events, None, front, this_month, feed_counts)
    outputs.append(atom)
    outputs.append(feed_folder_sitemap(links))
    for reihe in SERIES:
        members = series[reihe]
        label = SERIES_INFO[reihe][0]
        src = series_src(reihe)
        front = front_matter(
            f"Termine: {label}",
            f"Alle Termine der Reihe {label} des IQZ, kommende und vergangene.",
            template="termine.html",
            search={"exclude": True},  # the same events as "Alle Termine"
        )
        outputs += list_pages(ctx, src, members, reihe, front, feed_counts=feed_counts)
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


def _event_files(
    event: Event,
    location: object,
    today: dt.date,
    links: Links,
    map_page: str | None,
    theme_dirs: tuple[str, ...],
) -> tuple[OutputFile, tuple[OutputFile, memoryview] | None]:
    """An event's page, and for an event with a day its own calendar file with its
    VEVENT (the feeds' part)."""
    page = event_page(event, location, today, links, map_page, theme_dirs)
    if event.precision != "day":
        return page, None
    vevent = vevent_bytes(event, dtstamp(today), location, links.absolute(event_src(event)))
    calendar = events_to_ics(
        [event],
        name="Termin Familienmanager NRW",
        description="Veranstaltung des IQZ",
        build_date=today,
        vevents={event.id: vevent},
    )
    # The feeds take the VEVENT as a view into the event's own file: the same bytes, not
    # a copy of them (10 MB at 10,000 events, held while the feeds are made).
    start = calendar.rindex(vevent)
    vevent_view = memoryview(calendar)[start : start + len(vevent)]
    return page, (OutputFile(event_ics(event), calendar), vevent_view)


def feed_folder_sitemap(links: Links) -> OutputFile:
    """``termine/sitemap.xml``: Material asks for it on every Termine page.

    Material's language switcher (``setupAlternate`` in its bundle; the same selector
    in 9.8's ``ui()``) takes every ``<link rel="alternate">`` for another language's
    site root and fetches ``sitemap.xml`` next to it, so the Atom feed's autodiscovery
    link (``termine/termine.atom``) made every Termine page log a 404 for
    ``termine/sitemap.xml`` (squidfunk/mkdocs-material#8576). A feed reader needs the
    link, so the file is there instead: a sitemap index naming the site's own sitemap
    (the protocol wants absolute addresses), or, without ``site_url``, an empty
    ``urlset`` as MkDocs writes its own then. Material finds no page in either, so its
    links behave as before.
    """
    site_map = links.absolute("sitemap.xml")
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if site_map:
        body = (
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"<sitemap><loc>{escape(site_map)}</loc></sitemap>\n</sitemapindex>\n"
        )
    else:
        body = '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n</urlset>\n'
    return OutputFile(FEED_FOLDER_SITEMAP, head + body)


def _atom_feed(
    upcoming: tuple[Event, ...], today: dt.date, links: Links, cache: BuildCache | None
) -> OutputFile:
    """The Atom feed of the upcoming events, memoized by them: a save that changes only
    past events leaves it as it was; one that changes an upcoming event makes that
    event's entry again, the others come from the cache."""

    def entry(event: Event, stamp: str, href: str) -> bytes:
        key = (event, stamp, href)
        return memo(cache, "atom entry", key, partial(atom_entry, *key))

    return OutputFile(
        ATOM_FEED,
        events_to_atom(
            upcoming,
            build_date=today,
            title="Termine Familienmanager NRW",
            subtitle="Neue und kommende Veranstaltungen des IQZ zum kommunalen Management "
            "für Familien in Nordrhein-Westfalen",
            author="Familienmanagerinnen und -manager in NRW",
            self_href=links.absolute(ATOM_FEED),
            page_href=links.absolute(INDEX) or links.href(ATOM_FEED, INDEX),
            event_href=lambda e: (
                links.absolute(event_src(e)) or links.href(ATOM_FEED, event_src(e))
            ),
            entry=entry,
        ),
    )


def documentation_backlinks(
    events: Iterable[Event], *, links: Links = DEFAULT_LINKS, theme_dirs: tuple[str, ...] = ()
) -> dict[str, str]:
    """HTML to append to each documentation page an event names in ``dokumentation``:
    the way back from the report to the event's page ("Zur Veranstaltung")."""
    by_doc: dict[str, list[Event]] = defaultdict(list)
    for event in sorted_events(event for event in events if event.dokumentation):
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
        result[doc] = render("termine_backlink.html", theme_dirs=theme_dirs, links=items)
    return result


def event_calendar_outputs(
    dataset,
    locations: Mapping,
    settings,
    *,
    map_page: str | None = None,
    cache: BuildCache | None = None,
) -> list[OutputFile]:
    """Entry point for :func:`generator.assembly.build_site`; ``locations`` maps event
    ids to places. Ids that would overwrite a generated file never get here: validation
    refuses them (:mod:`generator.data.ids`). The map link appears only when the site
    has a ``map_page`` (its source path)."""
    return build_event_outputs(
        dataset.events,
        locations,
        today=settings.build_date,
        links=links_for(settings),
        map_page=map_page,
        theme_dirs=settings.theme_dirs,
        cache=cache,
    )
