"""Everything the generator adds to the site, from the validated data, as plain data."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.calendar.build import documentation_backlinks, event_calendar_outputs
from generator.calendar.build import forget_memos as forget_calendar
from generator.data.dataset import Dataset, forget_records
from generator.geo.resolver import Locations
from generator.map.page import PAGE_PATH as MAP_PAGE
from generator.map.page import map_outputs
from generator.map.tiles import configured_tiles
from generator.redaktion.page import redaktion_outputs
from generator.site.csp import PagePolicy
from generator.site.headers import header_outputs
from generator.site.outputs import OutputFile, PagePatch, SiteBuild
from generator.site.rendering import links_for
from generator.site.settings import Settings


def build_site(
    dataset: Dataset,
    locations: Locations,
    settings: Settings,
    points: Mapping[str, tuple[float, float]] | None = None,
) -> SiteBuild:
    """All generated files, sorted by path so every build lists them alike, and the
    additions to hand-written pages.

    ``locations`` holds the resolved place of every manager and of every event with
    one, kept apart by file (:class:`generator.geo.resolver.Locations`); ``points``
    every municipality's (lat, lon) by its key, for the finder's distances.
    """
    outputs: list[OutputFile] = []
    outputs += map_outputs(dataset.managers, locations.managers, settings, points)
    # Event pages link to the map at the event's place.
    outputs += event_calendar_outputs(dataset, locations.events, settings, map_page=MAP_PAGE)
    outputs += header_outputs(settings.site_url)
    outputs += redaktion_outputs(settings.editing, settings.site_url)
    backlinks = documentation_backlinks(
        dataset.events, links=links_for(settings), theme_dirs=settings.theme_dirs
    )
    return SiteBuild(
        files=tuple(sorted(outputs, key=lambda output: output.path)),
        patches=tuple(PagePatch(path, html) for path, html in sorted(backlinks.items())),
        policy=PagePolicy.for_tile_urls([configured_tiles(settings).url]),
    )


def forget_memos() -> None:
    """Let go of the memoized files, records, pages and feeds (and the records they
    hold): a one-off build has no use for them once its files are made; `mkdocs serve`
    keeps them for the next save."""
    forget_records()
    forget_calendar()


def content_key(paths: Iterable[Path], settings: Settings) -> str:
    """What a generated site depends on: the data files' bytes, the pages' names, settings."""
    digest = hashlib.sha256(repr(settings).encode())
    for path in paths:
        digest.update(str(path).encode() + b"\0")
        if path.suffix != ".md" and path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()
