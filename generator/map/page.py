"""The family-manager map: places from the managers, a folium map skeleton, the page.

Pure functions from the validated managers and their resolved locations to
:class:`~generator.site.outputs.OutputFile` objects:

- ``familienmanager/karte.md``: the page. Text alternative first-class: every place
  grouped by Regierungsbezirk and Kreis with its managers and contacts, rendered
  here, so it works without JavaScript. The map region holds a consent placeholder
  and the map skeleton built by folium (Map with bounds and gesture handling, tile
  layer, marker cluster), wrapped in a function that ``theme/assets/javascripts/karte.js``
  calls once the visitor agrees to load tiles.
- ``familienmanager/familienmanager.geojson``: one feature per place, the managers in
  its properties. The browser builds markers and popups from it with DOM APIs; it
  is also the open-data download.
- ``assets/vendor/…``: Leaflet, MarkerCluster and GestureHandling from the XStatic
  packages, so the page needs no CDN.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import folium
from branca.element import Element
from folium.plugins import MarkerCluster
from markupsafe import Markup

from generator.data import register as nrw
from generator.data.models import Manager
from generator.site.outputs import OutputFile
from generator.site.rendering import links_for, render, script_json
from generator.site.settings import Settings, TileProvider

PAGE_PATH = "familienmanager/karte.md"
DATA_PATH = "familienmanager/familienmanager.geojson"
VENDOR_DIR = "assets/vendor"
#: The page's script (theme/assets/javascripts/karte.js); it finds VENDOR_DIR from its own URL.
SCRIPT_PATH = "assets/javascripts/karte.js"
#: Group of the kreisfreie Städte inside each Regierungsbezirk.
KREISFREIE_STAEDTE = "Kreisfreie Städte"

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

#: Map frame: NRW's bounding box, and a margin around it the visitor cannot leave.
NRW_BOUNDS = [[nrw.LAT_MIN, nrw.LON_MIN], [nrw.LAT_MAX, nrw.LON_MAX]]
PAN_MARGIN = 1.0
#: Zoomed out further, NRW is a few pixels wide.
MIN_ZOOM = 6
#: GestureHandling's own German texts are wrong on a Mac ("⌘" only) and depend on the
#: browser language; the page is German, so the texts are set here.
GESTURE_TEXT = {
    "touch": "Verschieben Sie die Karte mit zwei Fingern.",
    "scroll": "Zum Zoomen der Karte Strg und Mausrad zusammen verwenden.",
    "scrollMac": "Zum Zoomen der Karte ⌘ und Mausrad zusammen verwenden.",
}
#: Element ids the skeleton and karte.js agree on (folium's own ids are random).
MAP_ID, TILES_ID, CLUSTER_ID = "karte", "kacheln", "orte"

#: XStatic package -> (folder below VENDOR_DIR, files from the package's data folder).
VENDOR_FILES = {
    "leaflet": (
        "leaflet",
        (
            "leaflet.js",
            "leaflet.css",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
            # Only the layer switcher uses them, but leaflet.css names them.
            "images/layers.png",
            "images/layers-2x.png",
        ),
    ),
    "leaflet_markercluster": (
        "markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
    "leaflet_gesturehandling": (
        "gesturehandling",
        ("leaflet-gesture-handling.min.js", "leaflet-gesture-handling.min.css"),
    ),
}
_SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=\S+\s*$")


@dataclass(frozen=True)
class MapPlace:
    """One municipality or district with its active managers: one marker, one list entry."""

    name: str
    kreis: str | None
    #: Heading the place is listed under: its Kreis, or "Kreisfreie Städte".
    group: str
    regierungsbezirk: str
    lat: float | None
    lon: float | None
    #: Where the coordinates come from (``Location.source``), None without coordinates.
    source: str | None
    managers: tuple[Manager, ...]


# --- places --------------------------------------------------------------------


def _group(manager: Manager) -> str:
    if manager.kreis:
        return manager.kreis
    if nrw.is_district_name(manager.kommune) and (district := nrw.find_district(manager.kommune)):
        return district  # a district's own manager is listed under the district
    return KREISFREIE_STAEDTE


def _sort_key(text: str) -> tuple[str, str]:
    return (nrw.fold(text), text)


def collect_places(managers: Iterable[Manager], locations: Mapping) -> list[MapPlace]:
    """Active managers grouped by place, in list order (Regierungsbezirk, Kreis, place).

    A place takes the location of its first manager that has one; a place without any
    stays in the list and the data file (``geometry: null``) but gets no marker.
    """
    by_place: dict[tuple[str, str | None], list[Manager]] = {}
    for manager in managers:
        if manager.aktiv:
            by_place.setdefault(manager.place_key, []).append(manager)
    places = []
    for (name, kreis), members in by_place.items():
        where = next((locations[m.id] for m in members if m.id in locations), None)
        places.append(
            MapPlace(
                name=name,
                kreis=kreis,
                group=_group(members[0]),
                regierungsbezirk=members[0].regierungsbezirk,
                lat=round(where.lat, 4) if where else None,
                lon=round(where.lon, 4) if where else None,
                source=where.source if where else None,
                managers=tuple(members),
            )
        )
    bezirke = {name: i for i, name in enumerate(nrw.REGIERUNGSBEZIRKE)}
    return sorted(
        places,
        key=lambda p: (
            bezirke[p.regierungsbezirk],
            p.group != KREISFREIE_STAEDTE,
            _sort_key(p.group),
            _sort_key(p.name),
            p.kreis or "",
        ),
    )


# --- data file ---------------------------------------------------------------------


#: The columns of a manager's row in the data file, the most often filled first.
MANAGER_FIELDS = ("dienststelle", "kurs", "jahr", "email", "web", "telefon", "name")


def _manager_row(manager: Manager) -> list:
    """A manager as a row of :data:`MANAGER_FIELDS`, without trailing empty fields.

    Rows, not objects: with thousands of managers the repeated field names would be
    a fifth of the file; the collection names the columns once (``felder``).
    """
    contact = manager.kontakt
    row = [
        manager.dienststelle,
        manager.kurs,
        manager.jahr,
        contact.email if contact else None,
        contact.web if contact else None,
        contact.telefon if contact else None,
        contact.name if contact else None,
    ]
    while row[-1] is None:
        row.pop()
    return row


def places_geojson(places: Sequence[MapPlace]) -> str:
    """All places as a GeoJSON FeatureCollection, features in list order.

    One feature per place; ``familienmanager`` holds a row per manager, its columns
    named by the collection's ``felder`` (a foreign member, RFC 7946 section 6.1).
    karte.js pairs the n-th feature with the n-th place of the list.
    """
    features = [
        {
            "type": "Feature",
            "geometry": (
                {"type": "Point", "coordinates": [place.lon, place.lat]}
                if place.lat is not None
                else None
            ),
            "properties": {
                "kommune": place.name,
                **({"kreis": place.kreis} if place.kreis else {}),
                "regierungsbezirk": place.regierungsbezirk,
                "familienmanager": [_manager_row(m) for m in place.managers],
            },
        }
        for place in places
    ]
    collection = {"type": "FeatureCollection", "felder": MANAGER_FIELDS, "features": features}
    return script_json(collection) + "\n"


# --- tiles -------------------------------------------------------------------------


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


# --- map skeleton (folium) -----------------------------------------------------------


def _stabilise_ids(root: Element) -> None:
    """folium names elements with random ids; number them in tree order instead."""
    stack, counter = [root], 0
    while stack:
        element = stack.pop(0)
        element._id = f"e{counter}"
        counter += 1
        stack[:0] = list(element._children.values())


def render_map_script(provider: TileProvider) -> str:
    """The map skeleton as JavaScript: ``window.familienmanagerKarte = function (L) {…}``.

    folium builds the Leaflet calls (map with frame, bounds and gesture handling,
    the tile layer, the cluster group). The tile layer is created but not added
    (``show=False``): karte.js adds it only after consent. Only folium's script part
    is used; its document (CDN links, full-page CSS, jQuery) is not.
    """
    fmap = folium.Map(
        location=[(nrw.LAT_MIN + nrw.LAT_MAX) / 2, (nrw.LON_MIN + nrw.LON_MAX) / 2],
        zoom_start=7,
        tiles=None,
        # As Leaflet options: folium's min_zoom/max_zoom only reach a tile layer it makes.
        minZoom=MIN_ZOOM,
        maxZoom=provider.max_zoom,
        max_bounds=True,
        min_lat=nrw.LAT_MIN - PAN_MARGIN,
        max_lat=nrw.LAT_MAX + PAN_MARGIN,
        min_lon=nrw.LON_MIN - PAN_MARGIN,
        max_lon=nrw.LON_MAX + PAN_MARGIN,
        gestureHandling=True,
        gestureHandlingOptions={"text": GESTURE_TEXT, "duration": 2000},
    )
    # Per instance, not class: the class lists are shared by every map in the process.
    fmap.default_js, fmap.default_css = [], []
    tiles = folium.TileLayer(
        provider.url,
        attr=provider.attribution,
        name=provider.name,
        max_zoom=provider.max_zoom,
        min_zoom=MIN_ZOOM,
        show=False,
    )
    cluster = MarkerCluster(
        showCoverageOnHover=False,
        chunkedLoading=True,
        maxClusterRadius=60,
        spiderfyOnMaxZoom=True,
    )
    cluster.default_js, cluster.default_css = [], []
    fmap.add_child(tiles)
    fmap.add_child(cluster)
    fmap.fit_bounds(NRW_BOUNDS)
    figure = fmap.get_root()
    _stabilise_ids(figure)
    fmap._id, tiles._id, cluster._id = MAP_ID, TILES_ID, CLUSTER_ID
    figure.render()
    body = "\n".join(line.strip() for line in figure.script.render().splitlines() if line.strip())
    names = {"map": fmap, "tiles": tiles, "cluster": cluster}
    result = ", ".join(f"{key}: {element.get_name()}" for key, element in names.items())
    return f"window.familienmanagerKarte = function (L) {{\n{body}\nreturn {{{result}}};\n}};"


def map_element_id() -> str:
    """The id of the map container, as folium names it (``map_karte``)."""
    return f"map_{MAP_ID}"


# --- page ----------------------------------------------------------------------------


def contact_links(manager: Manager) -> list[tuple[str, str]]:
    """(href, text) of a manager's e-mail, phone and web links, in that order."""
    contact = manager.kontakt
    if contact is None:
        return []
    links = []
    if contact.email:
        links.append(("mailto:" + contact.email, contact.email))
    if contact.telefon:
        links.append(("tel:" + re.sub(r"[^0-9+]", "", contact.telefon), contact.telefon))
    if contact.web:
        links.append((contact.web, urlsplit(contact.web).hostname or contact.web))
    return links


def _grouped(places: Sequence[MapPlace]) -> list[tuple[str, list[tuple[str, list[MapPlace]]]]]:
    """[(Regierungsbezirk, [(group, [places])])] in list order."""
    tree: dict[str, dict[str, list[MapPlace]]] = {}
    for place in places:
        tree.setdefault(place.regierungsbezirk, {}).setdefault(place.group, []).append(place)
    return [(rb, list(groups.items())) for rb, groups in tree.items()]


def _credits(provider: TileProvider, sources: set[str]) -> list[Markup]:
    """Who the page must credit: tiles, and the sources of the coordinates shown."""
    credits = [Markup("Kartenkacheln: ") + Markup(provider.attribution)]
    if "gazetteer" in sources:
        credits.append(
            Markup(
                'Ortskoordinaten: <a href="https://www.geonames.org/">GeoNames</a>, Lizenz '
                '<a href="https://creativecommons.org/licenses/by/4.0/deed.de">CC BY 4.0</a>'
            )
        )
    if "nominatim" in sources:
        credits.append(
            Markup(
                "Ortskoordinaten: © "
                '<a href="https://www.openstreetmap.org/copyright">OpenStreetMap-Mitwirkende</a> '
                "(Nominatim), Lizenz "
                '<a href="https://opendatacommons.org/licenses/odbl/">ODbL</a>'
            )
        )
    return credits


def configured_tiles(settings: Settings) -> TileProvider:
    """The map uses the first provider set in mkdocs.yml, else basemap.de."""
    return settings.tiles[0] if settings.tiles else TILE_PRESETS[DEFAULT_TILES]


def render_map_page(places: Sequence[MapPlace], settings: Settings) -> str:
    """The Markdown page with its HTML blocks; every data string escaped by Jinja.
    The map script must hold no "{{": :func:`render` neutralises it in the page."""
    provider = configured_tiles(settings)
    links = links_for(settings)
    sources = {place.source for place in places if place.source}
    script = render_map_script(provider)
    assert "{{" not in script, "the map script would be changed below"
    return render(
        "karte.md",
        places=places,
        contact_links=contact_links,
        privacy_href=links.href(PAGE_PATH, "datenschutz.md"),
        data_href=links.href(PAGE_PATH, DATA_PATH),
        script_href=links.href(PAGE_PATH, SCRIPT_PATH),
        bezirke=_grouped(places),
        manager_count=sum(len(p.managers) for p in places),
        mapped_count=sum(p.lat is not None for p in places),
        provider=provider,
        host=tile_host(provider.url),
        credits=_credits(provider, set(sources)),
        map_id=map_element_id(),
        map_script=Markup(script),
    )


# --- assets and wiring ---------------------------------------------------------------


def vendor_assets() -> list[OutputFile]:
    """Leaflet and its plugins, copied from the XStatic packages (bytes, as shipped,
    minus the source-map comment whose .map file is not copied)."""
    import importlib

    outputs = []
    for package, (folder, names) in VENDOR_FILES.items():
        base = Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)
        for name in names:
            content = (base / name).read_bytes()
            if name.endswith(".js"):
                content = _SOURCE_MAP.sub(b"\n", content)
            outputs.append(OutputFile(f"{VENDOR_DIR}/{folder}/{name}", content))
    return outputs


def map_outputs(
    managers: Iterable[Manager], locations: Mapping, settings: Settings
) -> list[OutputFile]:
    """The map page, its data file and the vendored Leaflet files."""
    places = collect_places(managers, locations)
    return [
        OutputFile(PAGE_PATH, render_map_page(places, settings)),
        OutputFile(DATA_PATH, places_geojson(places)),
        *vendor_assets(),
    ]
