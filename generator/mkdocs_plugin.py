"""MkDocs adapter: loads the data once, hands the generated files to MkDocs.

The only module that imports MkDocs; everything else produces a plain
:class:`~generator.site.outputs.SiteBuild` from pure functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from mkdocs.config import base, load_config
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_build_datetime

from generator.data.dataset import Dataset, load_dataset
from generator.data.problems import DataError
from generator.geo.resolver import resolve_locations
from generator.map.tiles import TILE_PRESETS, tile_provider
from generator.site.build import build_site
from generator.site.outputs import OutputFile, SiteBuild
from generator.site.placeholders import substitute_placeholders
from generator.site.rendering import THEME_OVERRIDES
from generator.site.settings import Settings

log = get_plugin_logger(__name__)

BERLIN = ZoneInfo("Europe/Berlin")
PLUGIN_NAME = "familienmanager"


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


@dataclass(frozen=True)
class Project:
    """The data paths and options of a site, as the build reads them from mkdocs.yml."""

    managers: Path
    events: Path
    geocache: Path
    docs_dir: Path
    geocoder_user_agent: str | None


def project_of(config, options: PluginConfig) -> Project:
    root = Path(config.config_file_path).parent
    return Project(
        managers=root / options.managers,
        events=root / options.events,
        geocache=root / options.geocache,
        docs_dir=Path(config.docs_dir),
        geocoder_user_agent=options.geocoder_user_agent,
    )


def load_project(config_file: Path) -> Project:
    """The editor commands read mkdocs.yml through MkDocs, so paths, plugin options and
    ``!ENV`` tags apply to ``check`` and ``geocode`` exactly as to the build."""
    config = load_config(str(config_file))
    plugin = config.plugins.get(PLUGIN_NAME)
    options = plugin.config if plugin is not None else PluginConfig()
    return project_of(config, options)


def build_date() -> dt.date:
    """Today in Berlin, or the day of SOURCE_DATE_EPOCH for reproducible builds."""
    return get_build_datetime().astimezone(BERLIN).date()


class FamilienmanagerPlugin(BasePlugin[PluginConfig]):
    def __init__(self):
        self.dataset: Dataset | None = None
        self.site = SiteBuild(files=())
        self.data_files: list[Path] = []
        #: Generated pages whose body is finished HTML, and that HTML while a page renders.
        self.html_bodies: dict[str, str] = {}
        self.generated: dict[str, OutputFile] = {}
        self.patches: dict[str, str] = {}

    # Runs before MkDocs cleans site_dir: invalid data stops the build with nothing published.
    def on_config(self, config):
        if not self.config.enabled:
            return config
        project = project_of(config, self.config)
        # watchdog cannot watch a file that does not exist (yet); the cache is optional.
        optional = [project.geocache] if project.geocache.exists() else []
        self.data_files = [project.managers, project.events, *optional]
        try:
            settings = self._settings(config)
            self.dataset = load_dataset(
                project.managers, project.events, project.docs_dir, today=settings.build_date
            )
            # offline only: YAML coordinates, geocache.yaml, the GeoNames gazetteer
            locations = resolve_locations(self.dataset, project.geocache)
            self.site = build_site(self.dataset, locations, settings)
        except DataError as error:
            raise PluginError("Die Daten enthalten Fehler:\n" + error.report()) from None
        log.info(
            "%d Familienmanager, %d Veranstaltungen, %d erzeugte Dateien",
            len(self.dataset.managers),
            len(self.dataset.events),
            len(self.site.files),
        )
        return config

    def _settings(self, config) -> Settings:
        theme_dirs = (Path(folder) / THEME_OVERRIDES for folder in config.theme.dirs)
        return Settings(
            build_date=build_date(),
            site_url=config.site_url or "",
            use_directory_urls=config.use_directory_urls,
            tiles=(self._tiles(),),
            theme_dirs=tuple(str(folder) for folder in theme_dirs if folder.is_dir()),
        )

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
    # NOT_IN_NAV, as Material's blog plugin does: no "not included in the nav" line each.
    def on_files(self, files: Files, config) -> Files:
        for output in self.site.files:
            files.append(
                File.generated(
                    config,
                    output.path,
                    content=output.content,
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        self.generated = {output.path: output for output in self.site.files}
        self.patches = {patch.path: patch.html for patch in self.site.patches}
        return files

    # Placeholders only in hand-written pages: data text such as "{{ extra.x }}" in a
    # generated page stays text. Finished-HTML pages skip Markdown: its raw-HTML parser
    # would only copy them, slowly. Patches (a report's way back to its event) are added
    # here, so content/ stays untouched.
    def on_page_markdown(self, markdown, page, config, files):
        src = page.file.src_uri
        output = self.generated.get(src)
        if output is not None:
            if output.html_body:
                self.html_bodies[src] = markdown.strip()
                return ""
            return markdown
        try:
            markdown = substitute_placeholders(markdown, config.extra)
        except KeyError as error:
            raise PluginError(f"{src}: {error.args[0]}") from None
        patch = self.patches.get(src)
        return markdown + "\n\n" + patch if patch else markdown

    def on_page_content(self, html, page, config, files):
        return self.html_bodies.pop(page.file.src_uri, html)

    # `mkdocs serve` rebuilds when an editor saves a data file.
    def on_serve(self, server, config, builder):
        for path in self.data_files:
            server.watch(str(path))
        return server
