"""The assembly: everything the generator adds to the site, from the validated data, as
plain data. It stands above the rooms it assembles (``calendar``, ``map``, ``site``), so
none of them imports it (tests/test_import_rooms.py)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path

from generator.build_cache import BuildCache, fingerprint, memo
from generator.calendar.build import documentation_backlinks, event_calendar_outputs
from generator.calendar.paths import INDEX as CALENDAR_PAGE
from generator.data.dataset import Dataset
from generator.geo.resolver import Locations, checked_data, municipality_points
from generator.map.page import PAGE_PATH as MAP_PAGE
from generator.map.page import map_outputs
from generator.map.tiles import configured_tiles
from generator.redaktion.page import redaktion_outputs
from generator.site.csp import PagePolicy
from generator.site.headers import header_outputs
from generator.site.outputs import OutputFile, PagePatch, SiteBuild
from generator.site.rendering import links_for, page_meta, template_files
from generator.site.settings import Settings


def build_site(
    dataset: Dataset,
    locations: Locations,
    settings: Settings,
    points: Mapping[str, tuple[float, float]] | None = None,
    *,
    cache: BuildCache | None = None,
) -> SiteBuild:
    """All generated files, sorted by path so every build lists them alike, and the
    additions to hand-written pages.

    ``locations`` holds the resolved place of every manager and of every event with
    one, kept apart by file (:class:`generator.geo.resolver.Locations`); ``points``
    every municipality's (lat, lon) by its key, for the finder's distances. ``cache``:
    what an earlier build with the same :func:`build_invariants` made of the same
    inputs is taken from there (`mkdocs serve`).
    """
    outputs: list[OutputFile] = []
    # The map, its data and the municipality pages show the managers alone: a save in
    # events.yaml takes them from the cache, a save in managers.yaml makes them again.
    managers = (tuple(dataset.managers), tuple(locations.managers.items()))
    key = (*managers, tuple(sorted((points or {}).items())), settings)
    make_map = partial(map_outputs, dataset.managers, locations.managers, settings, points)
    outputs += memo(cache, "map", key, make_map)
    # Event pages link to the map at the event's place.
    outputs += event_calendar_outputs(
        dataset, locations.events, settings, map_page=MAP_PAGE, cache=cache
    )
    outputs += header_outputs(settings.site_url)
    # The editing page is made of the settings and the package's files alone.
    editing = (settings.editing, settings.site_url)
    outputs += memo(cache, "redaktion", editing, partial(redaktion_outputs, *editing))
    backlinks = documentation_backlinks(
        dataset.events, links=links_for(settings), theme_dirs=settings.theme_dirs
    )
    return SiteBuild(
        files=tuple(sorted(outputs, key=lambda output: output.path)),
        patches=tuple(PagePatch(path, html) for path, html in sorted(backlinks.items())),
        policy=PagePolicy.for_tile_urls([configured_tiles(settings).url]),
    )


def stand_in_site() -> SiteBuild:
    """The generated pages the navigation names, empty: a preview that starts with broken
    data shows its error list there too, not "Seite nicht gefunden" (and the navigation
    keeps their titles)."""
    pages = ((MAP_PAGE, "Wo gibt es sie?"), (CALENDAR_PAGE, "Termine"))
    return SiteBuild(
        files=tuple(
            OutputFile.finished_page(path, page_meta(title, ""), "") for path, title in pages
        )
    )


#: The register's tables (municipalities, districts, postcodes) shipped with the package.
REGISTER = Path(__file__).resolve().parent / "data"


def build_invariants(settings: Settings) -> str:
    """What every generated file is made of besides its own data, for the build cache's
    fingerprint: the settings (with the build date), the sources of the package's and
    the override templates, and the register's tables."""
    register = sorted(path for path in REGISTER.iterdir() if path.suffix in {".csv", ".json"})
    return fingerprint(settings, files=[*template_files(settings.theme_dirs), *register])


def generate(
    managers: Path,
    events: Path,
    docs_dir: Path,
    geocache: Path,
    settings: Settings,
    *,
    cache: BuildCache | None = None,
    invariants: str | None = None,
) -> tuple[Dataset, SiteBuild]:
    """The data files, validated (:class:`generator.data.problems.DataError` otherwise),
    and the site made of them; places resolve offline only (YAML coordinates,
    ``geocache``, the GeoNames gazetteer). ``cache``: as for :func:`build_site`; a save
    reads again only the entries it changed. ``invariants``: :func:`build_invariants`, if
    the caller has it already."""
    if cache is not None:
        cache.begin(invariants or build_invariants(settings))
    dataset, locations = checked_data(
        managers, events, docs_dir, geocache, today=settings.build_date, cache=cache
    )
    points = municipality_points(geocache, cache)
    site = build_site(dataset, locations, settings, points, cache=cache)
    if cache is not None:
        cache.finish()
    return dataset, site
