"""Tile providers: the presets and the options from mkdocs.yml."""

from __future__ import annotations

import dataclasses
from urllib.parse import urlsplit

from generator.site.settings import Settings, TileProvider

TILE_PRESETS: dict[str, TileProvider] = {
    "basemap.de": TileProvider(
        name="basemap.de",
        url=(
            "https://sgx.geodatenzentrum.de/wmts_basemapde/tile/1.0.0/"
            "de_basemapde_web_raster_farbe/default/GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png"
        ),
        attribution=(
            '© <a href="https://basemap.de/">basemap.de</a> / BKG, Lizenz '
            '<a href="https://creativecommons.org/licenses/by/4.0/deed.de">CC BY 4.0</a>'
        ),
        max_zoom=18,
        operator="Bundesamt für Kartographie und Geodäsie (BKG), Frankfurt am Main",
    ),
    "openstreetmap": TileProvider(
        name="OpenStreetMap",
        url="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        attribution=(
            '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap-Mitwirkende</a>'
        ),
        max_zoom=19,
        operator="OpenStreetMap Foundation (OSMF), Vereinigtes Königreich",
    ),
}
DEFAULT_TILES = "basemap.de"


def tile_provider(preset: str = DEFAULT_TILES, **overrides) -> TileProvider:
    """A preset from :data:`TILE_PRESETS`, with the options set in mkdocs.yml on top.

    ``None`` values mean "not set" and keep the preset's value.
    """
    if preset not in TILE_PRESETS:
        raise ValueError(f"unknown tile preset {preset!r}; known: {', '.join(TILE_PRESETS)}")
    changes = {key: value for key, value in overrides.items() if value is not None}
    if "url" in changes and "attribution" not in changes:
        raise ValueError("tiles_url needs tiles_attribution: name who made the map")
    if "url" in changes:
        changes.setdefault("name", tile_host(changes["url"]))
        changes.setdefault("operator", "")
    return dataclasses.replace(TILE_PRESETS[preset], **changes)


def tile_host(url: str) -> str:
    """The host a tile URL template points at (named on the consent placeholder)."""
    return urlsplit(url).hostname or url


def configured_tiles(settings: Settings) -> TileProvider:
    """The map uses the first provider set in mkdocs.yml, else basemap.de."""
    return settings.tiles[0] if settings.tiles else TILE_PRESETS[DEFAULT_TILES]
