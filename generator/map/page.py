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

import re
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.data.models import Manager
from generator.map.assets import vendor_assets
from generator.map.geojson import places_geojson
from generator.map.municipal_pages import INDEX as MUNICIPAL_INDEX
from generator.map.municipal_pages import municipal_outputs
from generator.map.places import MapPlace, collect_places
from generator.map.responsibility import finder_data, responsibilities
from generator.map.skeleton import map_element_id, render_map_script
from generator.map.tiles import configured_tiles, tile_host
from generator.site.outputs import OutputFile
from generator.site.rendering import links_for, render, script_json
from generator.site.settings import Settings, TileProvider

PAGE_PATH = "familienmanager/karte.md"
DATA_PATH = "familienmanager/familienmanager.geojson"
#: The finder's data: every municipality and who is there for it.
FINDER_PATH = "familienmanager/kommunen.json"
#: The page's script (theme/assets/javascripts/karte.js); it finds VENDOR_DIR from its own URL.
SCRIPT_PATH = "assets/javascripts/karte.js"


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


def render_map_page(places: Sequence[MapPlace], settings: Settings) -> str:
    """The Markdown page with its HTML blocks; every data string escaped by Jinja."""
    provider = configured_tiles(settings)
    links = links_for(settings)
    sources = {place.source for place in places if place.source}
    return render(
        "karte.md",
        theme_dirs=settings.theme_dirs,
        places=places,
        contact_links=contact_links,
        sample_data=settings.sample_data,
        privacy_href=links.href(PAGE_PATH, "datenschutz.md"),
        data_href=links.href(PAGE_PATH, DATA_PATH),
        finder_href=links.href(PAGE_PATH, FINDER_PATH),
        kommunen_href=links.href(PAGE_PATH, MUNICIPAL_INDEX),
        about_href=links.href(PAGE_PATH, "familienmanager/index.md"),
        script_href=links.href(PAGE_PATH, SCRIPT_PATH),
        bezirke=_grouped(places),
        manager_count=sum(len(p.managers) for p in places),
        # Only entries with a course or a year say that the person holds the certificate.
        certified_count=sum(bool(m.kurs or m.jahr) for p in places for m in p.managers),
        mapped_count=sum(p.lat is not None for p in places),
        provider=provider,
        host=tile_host(provider.url),
        credits=_credits(provider, set(sources)),
        map_id=map_element_id(),
        map_script=Markup(render_map_script(provider)),
    )


def map_outputs(
    managers: Iterable[Manager],
    locations: Mapping,
    settings: Settings,
    points: Mapping[str, tuple[float, float]] | None = None,
) -> list[OutputFile]:
    """The map page, its data file, the finder's data, the municipality pages and the
    vendored Leaflet files. ``points``: every municipality's (lat, lon) by its key."""
    places = collect_places(managers, locations)
    entries = responsibilities(places, points or {})
    links = links_for(settings)
    return [
        OutputFile(PAGE_PATH, render_map_page(places, settings)),
        OutputFile(DATA_PATH, places_geojson(places, sample_data=settings.sample_data)),
        OutputFile(FINDER_PATH, script_json(finder_data(entries, places)) + "\n"),
        *municipal_outputs(
            entries,
            links=links,
            map_page=PAGE_PATH,
            contact_links=contact_links,
            theme_dirs=settings.theme_dirs,
            sample_data=settings.sample_data,
        ),
        *vendor_assets(),
    ]
