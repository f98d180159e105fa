"""The plugin's options in mkdocs.yml and what the build reads from them.

With ``mkdocs_plugin``, the only module that imports MkDocs: the editor commands read
mkdocs.yml through :func:`load_project`, exactly as the build does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config import base, load_config
from mkdocs.config import config_options as opt
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_build_datetime

from generator.map.tiles import TILE_PRESETS, tile_provider
from generator.site.rendering import THEME_OVERRIDES
from generator.site.settings import BERLIN, EditingSettings, Settings

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
    #: managers.yaml holds sample data: pages say so, and PUBLISH=1 refuses to build.
    sample_data = opt.Type(bool, default=False)
    #: `mkdocs serve` keeps what a build made for the next (generator/build_cache.py);
    #: false makes everything again after each save (the long way, for comparison).
    build_cache = opt.Type(bool, default=True)
    #: The speed shortcuts around MkDocs and Material (generator/engine/shortcuts.py);
    #: false renders every page the plain MkDocs + Material way (the same files, slower).
    shortcuts = opt.Type(bool, default=True)
    #: `mkdocs serve --dirty` (what `make serve` runs) renders and writes after a save only
    #: what changed (generator/engine/incremental.py); false builds everything each time.
    incremental = opt.Type(bool, default=True)
    #: `mkdocs build` hands each page to the search's indexer as it is written
    #: (generator/site/search.py); false lets it read the written site afterwards (the
    #: long way: the same index, slower).
    search_streaming = opt.Type(bool, default=True)
    #: Inline scripts in content/ allowed on purpose, by their hash ("sha256-…"); any
    #: other script in a hand-written page stops the build.
    erlaubte_skripte = opt.ListOfItems(opt.Type(str), default=[])
    #: The editing page (/redaktion/) saves to "github" or "gitlab".
    redaktion_backend = opt.Choice(("github", "gitlab"), default="github")
    #: The repository it saves to: "owner/name" or "group/project"; empty: not set up.
    redaktion_repo = opt.Type(str, default="")
    #: The branch the site is built from; each save becomes a pull/merge request to it.
    redaktion_branch = opt.Type(str, default="main")
    #: GitHub: the address of the OAuth helper that signs editors in (EDITING.md).
    redaktion_auth_url = opt.Type(str, default="")
    #: GitLab: the Application ID of the OAuth application (PKCE, no secret).
    redaktion_app_id = opt.Type(str, default="")
    #: GitLab: its address (gitlab.com or a self-managed instance).
    redaktion_gitlab_url = opt.Type(str, default="https://gitlab.com")
    #: decap-server on this computer, e.g. http://127.0.0.1:8081/api/v1 (local editing).
    redaktion_local_url = opt.Type(str, default="")


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


def tiles_of(options: PluginConfig):
    """The map's tile provider: the preset with the options of mkdocs.yml on top."""
    try:
        return tile_provider(
            options.tiles,
            url=options.tiles_url,
            attribution=options.tiles_attribution,
            max_zoom=options.tiles_max_zoom,
            needs_consent=options.tiles_consent,
            operator=options.tiles_operator,
        )
    except ValueError as error:
        raise PluginError(f"familienmanager: {error}") from None


def settings_of(config, options: PluginConfig) -> Settings:
    """What the pure generator needs from mkdocs.yml and the environment."""
    theme_dirs = (Path(folder) / THEME_OVERRIDES for folder in config.theme.dirs)
    return Settings(
        build_date=build_date(),
        site_url=config.site_url or "",
        use_directory_urls=config.use_directory_urls,
        tiles=(tiles_of(options),),
        theme_dirs=tuple(str(folder) for folder in theme_dirs if folder.is_dir()),
        sample_data=options.sample_data,
        editing=editing_of(config, options),
    )


def editing_of(config, options: PluginConfig) -> EditingSettings:
    """The editing page's options; the data files' paths as the repository names them."""
    root = Path(config.config_file_path).parent

    def in_repository(path: str) -> str:
        return (root / path).resolve().relative_to(root.resolve()).as_posix()

    return EditingSettings(
        backend=options.redaktion_backend,
        repo=options.redaktion_repo.strip(),
        branch=options.redaktion_branch,
        auth_url=options.redaktion_auth_url.strip(),
        app_id=options.redaktion_app_id.strip(),
        gitlab_url=options.redaktion_gitlab_url.strip(),
        local_url=options.redaktion_local_url.strip(),
        managers_path=in_repository(options.managers),
        events_path=in_repository(options.events),
        site_name=config.site_name,
    )
