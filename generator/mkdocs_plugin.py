"""MkDocs adapter: loads the data once, hands the generated files to MkDocs.

This module and ``settings`` wiring are the only places that know MkDocs; the rest
of the package produces plain :class:`~generator.site.outputs.OutputFile` objects.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.config import base
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_build_datetime

from generator.calendar.build import documentation_backlinks
from generator.data.dataset import Dataset, load_dataset
from generator.data.problems import DataError
from generator.geo.resolver import resolve_locations
from generator.map.tiles import TILE_PRESETS, tile_provider
from generator.site.build import build_outputs
from generator.site.outputs import OutputFile
from generator.site.rendering import links_for
from generator.site.settings import Settings

log = get_plugin_logger(__name__)

BERLIN = ZoneInfo("Europe/Berlin")
PLACEHOLDER = re.compile(r"\{\{\s*extra\.([A-Za-z0-9_.]+)\s*\}\}")


class PluginConfig(base.Config):
    enabled = opt.Type(bool, default=True)
    #: Manager data, relative to mkdocs.yml.
    managers = opt.Type(str, default="managers.yaml")
    #: Event data, relative to mkdocs.yml.
    events = opt.Type(str, default="events.yaml")
    #: Coordinates cache written by `python -m generator geocode`, relative to mkdocs.yml.
    geocache = opt.Type(str, default="geocache.yaml")
    #: User agent `python -m generator geocode --online` sends to Nominatim (name a contact).
    geocoder_user_agent = opt.Optional(opt.Type(str))
    #: Map tiles: a preset, "basemap.de" (BKG, default) or "openstreetmap".
    tiles = opt.Choice(tuple(TILE_PRESETS), default="basemap.de")
    #: Own tile URL template ({z}, {x}, {y}) instead of the preset's; needs tiles_attribution.
    tiles_url = opt.Optional(opt.Type(str))
    #: Attribution shown on the map and the page (HTML).
    tiles_attribution = opt.Optional(opt.Type(str))
    tiles_max_zoom = opt.Optional(opt.Type(int))
    #: Ask visitors before their browser contacts the tile host (default: true).
    tiles_consent = opt.Optional(opt.Type(bool))
    #: Who runs the tile server, named on the consent placeholder.
    tiles_operator = opt.Optional(opt.Type(str))


def build_date() -> dt.date:
    """Today in Berlin, or the day of SOURCE_DATE_EPOCH for reproducible builds."""
    return get_build_datetime().astimezone(BERLIN).date()


def substitute_placeholders(markdown: str, extra: dict, page: str) -> str:
    """Replace ``{{ extra.a.b }}`` with the value from mkdocs.yml; unknown keys stop the build."""

    def value(match: re.Match) -> str:
        node = extra
        for part in match.group(1).split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise PluginError(
                    f"{page}: Platzhalter „{match.group(0)}“ ist in mkdocs.yml unter „extra:“ "
                    "nicht definiert."
                )
            node = node[part]
        return str(node)

    return PLACEHOLDER.sub(value, markdown)


class FamilienmanagerPlugin(BasePlugin[PluginConfig]):
    def __init__(self):
        self.dataset: Dataset | None = None
        self.outputs: list[OutputFile] = []
        self.data_files: list[Path] = []
        #: Documentation page -> "Zur Veranstaltung" box (HTML) of the events naming it.
        self.backlinks: dict[str, str] = {}
        #: Generated pages whose body is finished HTML, and that HTML while a page renders.
        self.html_pages: set[str] = set()
        self.html_bodies: dict[str, str] = {}

    # Runs before MkDocs cleans site_dir: invalid data stops the build with nothing published.
    def on_config(self, config):
        if not self.config.enabled:
            return config
        root = Path(config.config_file_path).parent
        managers, events = root / self.config.managers, root / self.config.events
        geocache = root / self.config.geocache
        # watchdog cannot watch a file that does not exist (yet); the cache is optional.
        self.data_files = [managers, events, *([geocache] if geocache.exists() else [])]
        try:
            self.dataset = load_dataset(managers, events, Path(config.docs_dir))
        except DataError as error:
            raise PluginError("Die Daten enthalten Fehler:\n" + error.report()) from None
        try:  # offline only: YAML coordinates, geocache.yaml, the GeoNames gazetteer
            locations = resolve_locations(self.dataset, geocache)
        except DataError as error:
            raise PluginError("Orte konnten nicht gefunden werden:\n" + error.report()) from None
        settings = Settings(
            build_date=build_date(),
            site_url=config.site_url or "",
            use_directory_urls=config.use_directory_urls,
            tiles=(self._tiles(),),
        )
        try:
            self.outputs = build_outputs(self.dataset, locations, settings)
        except DataError as error:
            raise PluginError("Die Daten enthalten Fehler:\n" + error.report()) from None
        self.html_pages = {output.path for output in self.outputs if output.html_body}
        self.backlinks = documentation_backlinks(self.dataset.events, links=links_for(settings))
        log.info(
            "%d Familienmanager, %d Veranstaltungen, %d erzeugte Dateien",
            len(self.dataset.managers),
            len(self.dataset.events),
            len(self.outputs),
        )
        return config

    def _tiles(self):
        try:
            return tile_provider(
                self.config.tiles,
                url=self.config.tiles_url,
                attribution=self.config.tiles_attribution,
                max_zoom=self.config.tiles_max_zoom,
                needs_consent=self.config.tiles_consent,
                operator=self.config.tiles_operator,
            )
        except ValueError as error:
            raise PluginError(f"familienmanager: {error}") from None

    # Generated pages join the hand-written ones here, so MkDocs renders them like any page.
    def on_files(self, files: Files, config) -> Files:
        for output in self.outputs:
            files.append(File.generated(config, output.path, content=output.content))
        return files

    # Workshop reports link back to their event; the box is added, content/ stays untouched.
    # Finished-HTML pages skip Markdown: its raw-HTML parser would only copy them, slowly.
    def on_page_markdown(self, markdown, page, config, files):
        markdown = substitute_placeholders(markdown, config.extra, page.file.src_uri)
        if page.file.src_uri in self.html_pages:
            self.html_bodies[page.file.src_uri] = markdown.strip()
            return ""
        backlink = self.backlinks.get(page.file.src_uri)
        return markdown + "\n\n" + backlink if backlink else markdown

    def on_page_content(self, html, page, config, files):
        return self.html_bodies.pop(page.file.src_uri, html)

    # `mkdocs serve` rebuilds when an editor saves a data file.
    def on_serve(self, server, config, builder):
        for path in self.data_files:
            server.watch(str(path))
        return server
