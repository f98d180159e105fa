"""The manager map as pure functions: places, data file, page, folium skeleton, assets."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import ROOT

from generator.data.models import Manager
from generator.geo.location import Location
from generator.map.assets import vendor_assets
from generator.map.geojson import places_geojson
from generator.map.page import DATA_PATH, PAGE_PATH, map_outputs, render_map_page
from generator.map.places import KREISFREIE_STAEDTE, collect_places
from generator.map.skeleton import render_map_script
from generator.map.tiles import TILE_PRESETS, tile_provider
from generator.site.settings import Settings

SETTINGS = Settings(build_date=dt.date(2026, 11, 22))
#: Markup, a script end tag, an attribute break-out and a placeholder of the plugin.
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)></script>{{ extra.x }}&'


def manager(id, kommune, kreis=None, rb="Köln", **fields) -> Manager:
    fields = {"kurs": 4, "jahr": 2009, "dienststelle": "Jugendamt", **fields}
    return Manager(id=id, kommune=kommune, kreis=kreis, regierungsbezirk=rb, **fields)


def at(lat, lon, source="gazetteer"):
    return Location(lat, lon, source, "")


WEB = "https://www.example.org/x"
MANAGERS = [
    manager("dueren-1", "Düren", "Kreis Düren", kontakt={"email": "a@example.org"}),
    manager("koeln-1", "Köln", dienststelle="Amt für Kinder", kontakt={"telefon": "0221 22-0"}),
    manager("dueren-2", "Düren", "Kreis Düren", kontakt={"web": WEB}),
    manager("alt-1", "Aachen", "Städteregion Aachen", aktiv=False),
    manager("kreis-dueren-1", "Kreis Düren"),
    manager("bochum-1", "Bochum", rb="Arnsberg"),
    manager("nideggen-1", "Nideggen", "Kreis Düren"),
]
LOCATIONS = {
    "dueren-1": at(50.80434, 6.49299),
    "dueren-2": at(50.81, 6.5),
    "koeln-1": at(50.93333, 6.95, "nominatim"),
    "kreis-dueren-1": at(50.80434, 6.49299),
    "bochum-1": at(51.48165, 7.21648),
}


def test_places_group_active_managers_in_list_order():
    places = collect_places(MANAGERS, LOCATIONS)
    assert [(p.regierungsbezirk, p.group, p.name) for p in places] == [
        ("Arnsberg", KREISFREIE_STAEDTE, "Bochum"),
        ("Köln", KREISFREIE_STAEDTE, "Köln"),
        ("Köln", "Kreis Düren", "Düren"),
        ("Köln", "Kreis Düren", "Kreis Düren"),  # the district's own manager
        ("Köln", "Kreis Düren", "Nideggen"),
    ]
    dueren = places[2]
    assert [m.id for m in dueren.managers] == ["dueren-1", "dueren-2"]  # one marker, both
    assert (dueren.lat, dueren.lon) == (50.8043, 6.493)  # the first manager's, to ~10 m
    assert places[4].lat is None  # no location: listed, not mapped


def test_geojson_is_one_feature_per_place_in_list_order_with_escaped_text():
    places = collect_places(
        [
            manager(
                "x-1", "Nideggen", "Kreis Düren", dienststelle=HOSTILE, kontakt={"name": HOSTILE}
            )
        ],
        {"x-1": at(50.8, 6.5)},
    )
    text = places_geojson(places)
    assert "<" not in text and ">" not in text and "&" not in text
    data = json.loads(text)
    feature = data["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [6.5, 50.8]}
    assert feature["properties"]["kommune"] == "Nideggen"  # place names come from the register
    assert data["felder"] == ["dienststelle", "kurs", "jahr", "email", "web", "telefon", "name"]
    rows = feature["properties"]["familienmanager"]
    assert rows == [[HOSTILE, 4, 2009, None, None, None, HOSTILE]]
    assert (
        "kreis"
        not in json.loads(places_geojson(collect_places(MANAGERS, LOCATIONS)))["features"][0][
            "properties"
        ]
    )  # Bochum is a kreisfreie Stadt
    full = collect_places(MANAGERS, LOCATIONS)
    dueren = json.loads(places_geojson(full))["features"][2]["properties"]["familienmanager"]
    assert dueren == [["Jugendamt", 4, 2009, "a@example.org"], ["Jugendamt", 4, 2009, None, WEB]]
    unmapped = json.loads(places_geojson(collect_places(MANAGERS, LOCATIONS)))["features"][4]
    assert unmapped["geometry"] is None and unmapped["properties"]["kommune"] == "Nideggen"


def test_page_escapes_every_field_and_no_placeholder_survives():
    contact = {"name": HOSTILE, "email": "a@example.org", "web": 'https://e.org/"><svg/onload=x>'}
    hostile = manager("x-1", "Nideggen", "Kreis Düren", dienststelle=HOSTILE, kontakt=contact)
    page = render_map_page(collect_places([hostile], {"x-1": at(50.8, 6.5)}), SETTINGS)
    skeleton = page[page.index("<script>") : page.index("</script>") + 9]
    body = page.replace(skeleton, "")
    assert re.findall("<script[^>]*>", body) == [
        '<script async src="../../assets/javascripts/karte.js">'
    ]
    assert "<img" not in body and "<svg" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img" in body
    assert 'href="https://e.org/&#34;&gt;&lt;svg/onload=x&gt;"' in body


def test_page_lists_places_under_bezirk_and_kreis_with_contact_links():
    page = render_map_page(collect_places(MANAGERS, LOCATIONS), SETTINGS)
    assert page.startswith("---\ntitle: ")
    assert "template: karte.html" in page
    assert "6 Personen an 5 Orten" in page
    headings = ["Regierungsbezirk Arnsberg", "<h5>Bochum</h5>", "Regierungsbezirk Köln"]
    headings += ["<h5>Köln</h5>", "<h4>Kreis Düren</h4>", "<h5>Düren</h5>", "<h5>Kreis Düren</h5>"]
    order = [page.index(heading) for heading in headings]
    assert order == sorted(order)
    assert '<a href="mailto:a@example.org">a@example.org</a>' in page
    assert '<a href="tel:022122-0">0221 22-0</a>' not in page  # digits only in tel: URIs
    assert '<a href="tel:0221220">0221 22-0</a>' in page
    assert '<a href="https://www.example.org/x">www.example.org</a>' in page
    assert "Aachen" not in page  # inactive
    assert "Orte ohne bekannte Lage" in page


def test_page_credits_tiles_and_the_coordinate_sources_in_use():
    page = render_map_page(collect_places(MANAGERS, LOCATIONS), SETTINGS)
    credits = page[page.index('class="karte__quellen"') :].split("</p>", 1)[0]
    assert "basemap.de" in credits and "CC BY 4.0" in credits
    assert "GeoNames" in credits  # gazetteer
    assert "ODbL" in credits  # Köln came from Nominatim
    only_yaml = {key: at(loc.lat, loc.lon, "yaml") for key, loc in LOCATIONS.items()}
    page = render_map_page(collect_places(MANAGERS, only_yaml), SETTINGS)
    assert "GeoNames" not in page and "ODbL" not in page


@pytest.mark.parametrize(
    ("directory_urls", "privacy", "data"),
    [
        (True, "../../datenschutz/", "../familienmanager.geojson"),
        (False, "../datenschutz.html", "familienmanager.geojson"),
    ],
)
def test_page_links_follow_the_url_style(directory_urls, privacy, data):
    settings = Settings(build_date=dt.date(2026, 11, 22), use_directory_urls=directory_urls)
    page = render_map_page(collect_places(MANAGERS, LOCATIONS), settings)
    assert f'<a href="{privacy}">Datenschutzerklärung</a>' in page
    assert f'<a href="{data}" download>' in page


def test_map_script_comes_from_folium_with_stable_ids_and_no_cdn():
    provider = TILE_PRESETS["basemap.de"]
    script = render_map_script(provider)
    assert script == render_map_script(provider)
    assert script.startswith("window.familienmanagerKarte = function (L) {")
    assert 'L.map(\n"map_karte"' in script
    assert "GLOBAL_WEBMERCATOR/{z}/{y}/{x}.png" in script
    assert "tile_layer_kacheln.addTo" not in script  # tiles only after consent
    assert "marker_cluster_orte.addTo(map_karte)" in script
    assert '"gestureHandling": true' in script and "Strg und Mausrad" in script
    assert "return {map: map_karte, tiles: tile_layer_kacheln, cluster: marker_cluster_orte};" in (
        script
    )
    allowed = r"sgx\.geodatenzentrum\.de|basemap\.de|creativecommons\.org"
    assert not re.search(rf"https?://(?!{allowed})", script)
    assert not re.search(r"_[0-9a-f]{32}", script)  # no random folium ids
    assert "<" not in script and "&" not in script  # the attribution's HTML as \u003c…


def test_folium_class_defaults_stay_untouched():
    import folium
    from folium.plugins import MarkerCluster

    render_map_script(TILE_PRESETS["openstreetmap"])
    assert any("leaflet" in url for _, url in folium.Map.default_js)
    assert MarkerCluster.default_js


def test_tile_presets_and_overrides():
    osm = tile_provider("openstreetmap")
    assert osm.url == "https://tile.openstreetmap.org/{z}/{x}/{y}.png" and osm.max_zoom == 19
    assert "OpenStreetMap-Mitwirkende" in osm.attribution
    assert "openstreetmap.org/copyright" in osm.attribution
    assert tile_provider().url.endswith("/{z}/{y}/{x}.png") and tile_provider().needs_consent
    own = tile_provider(url="https://tiles.example.org/{z}/{x}/{y}.png", attribution="© X")
    assert (own.name, own.operator, own.needs_consent) == ("tiles.example.org", "", True)
    assert tile_provider(needs_consent=False, max_zoom=None).max_zoom == 18
    with pytest.raises(ValueError, match="tiles_attribution"):
        tile_provider(url="https://tiles.example.org/{z}/{x}/{y}.png")
    with pytest.raises(ValueError, match="unknown tile preset"):
        tile_provider("google")


def test_plugin_reads_the_tile_options_from_mkdocs_yml():
    from generator.mkdocs_config import PluginConfig, tiles_of

    config = PluginConfig()
    config.load_dict({"tiles": "openstreetmap", "tiles_consent": False, "tiles_max_zoom": 17})
    errors, warnings = config.validate()
    assert errors == [] and warnings == []
    tiles = tiles_of(config)
    assert (tiles.name, tiles.needs_consent, tiles.max_zoom) == ("OpenStreetMap", False, 17)


def test_vendor_assets_are_the_xstatic_files_without_source_map_comments():
    assets = {output.path: output.content for output in vendor_assets()}
    assert {
        "assets/vendor/leaflet/leaflet.js",
        "assets/vendor/leaflet/images/marker-icon.png",
        "assets/vendor/markercluster/leaflet.markercluster.js",
        "assets/vendor/gesturehandling/leaflet-gesture-handling.min.js",
    } <= set(assets)
    assert all(isinstance(content, bytes) for content in assets.values())
    assert b"sourceMappingURL" not in assets["assets/vendor/leaflet/leaflet.js"]
    assert assets["assets/vendor/leaflet/leaflet.js"].startswith(b"/* @preserve")


def test_karte_js_loads_the_vendored_files_where_they_are_written():
    script = (ROOT / "theme/assets/javascripts/karte.js").read_text(encoding="utf-8")
    paths = {o.path for o in vendor_assets()}
    wanted = re.findall(r'"\.\./(vendor/[^"]+)"', script)
    assert len(wanted) >= 4  # three libraries and the marker images folder
    for path in wanted:
        target = "assets/" + path
        assert target in paths or any(p.startswith(target) for p in paths), path


def test_map_outputs_are_deterministic():
    first = map_outputs(MANAGERS, LOCATIONS, SETTINGS)
    second = map_outputs(list(MANAGERS), dict(LOCATIONS), SETTINGS)
    assert [o.path for o in first][:2] == [PAGE_PATH, DATA_PATH]
    assert first == second
