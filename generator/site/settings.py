"""Build settings handed from the adapter (the MkDocs plugin) to the pure generator code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: The site's time zone (one definition, with the data's time checks).
from generator.data.fields import BERLIN, TIME_ZONE  # noqa: F401


@dataclass(frozen=True)
class TileProvider:
    """A raster tile service for the map (configured in mkdocs.yml)."""

    name: str
    url: str
    attribution: str
    max_zoom: int = 18
    #: Whether the visitor must agree before the browser contacts the tile host.
    needs_consent: bool = True
    #: Who serves the tiles, shown on the consent placeholder.
    operator: str = ""


@dataclass(frozen=True)
class EditingSettings:
    """The editing page (/redaktion/, generator/redaktion/): where a form save goes
    (mkdocs.yml, the plugin's ``redaktion_*`` options) and which files it edits."""

    #: "github" or "gitlab"
    backend: str = "github"
    #: "owner/name" (GitHub) or "group/project" (GitLab); "" while not set up.
    repo: str = ""
    branch: str = "main"
    #: GitHub: the address of the OAuth helper that signs editors in (Decap's base_url).
    auth_url: str = ""
    #: GitLab: the Application ID of the OAuth application (PKCE, no secret).
    app_id: str = ""
    #: GitLab's address (gitlab.com or a self-managed instance).
    gitlab_url: str = "https://gitlab.com"
    #: decap-server's API on this computer (``http://127.0.0.1:8081/api/v1``) for editing a
    #: local clone; the CMS uses it only when the page is opened on 127.0.0.1/localhost.
    local_url: str = ""
    #: The data files, relative to the repository's root.
    managers_path: str = "managers.yaml"
    events_path: str = "events.yaml"
    site_name: str = ""

    @property
    def configured(self) -> bool:
        return bool(self.repo) or bool(self.local_url)


@dataclass(frozen=True)
class Settings:
    #: The build date ("today") in Europe/Berlin, from SOURCE_DATE_EPOCH when set.
    build_date: dt.date
    #: Absolute site URL (for feeds and JSON-LD), "" when unknown.
    site_url: str = ""
    tiles: tuple[TileProvider, ...] = field(default_factory=tuple)
    #: MkDocs' use_directory_urls: "a/b.md" is published as "a/b/" (True) or "a/b.html".
    use_directory_urls: bool = True
    #: managers.yaml holds sample data: every page with manager data says so.
    sample_data: bool = False
    #: Folders whose templates replace the package's (see rendering.THEME_OVERRIDES).
    theme_dirs: tuple[str, ...] = ()
    #: The editing page at /redaktion/.
    editing: EditingSettings = field(default_factory=EditingSettings)
