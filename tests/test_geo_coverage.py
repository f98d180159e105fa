"""All 396 municipalities of NRW resolve offline, in every spelling, near where they are.

The list is the register's (generator/data/gemeinden.csv, from the Gemeindeverzeichnis):
22 kreisfreie Städte and 374 Städte und Gemeinden in 31 districts. GeoNames (cities500) knows all but 16 of
them; those are composite municipalities without a place of their name, and
geocache.yaml holds their administrative seat.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from geopy.distance import distance

from generator.data import municipalities as gv
from generator.data import register as nrw
from generator.geo.cache import CacheEntry, GeoCache, load_cache
from generator.geo.gazetteer import load_gazetteer
from generator.geo.location import PlaceError
from generator.geo.resolver import resolve_place

ROOT = Path(__file__).resolve().parent.parent

KREISFREI = "kreisfrei"

#: Kreis (or KREISFREI) -> its Städte und Gemeinden, official names, from the register.
MUNICIPALITIES: dict[str, tuple[str, ...]] = {}
for _m in gv.MUNICIPALITIES:
    MUNICIPALITIES[_m.kreis or KREISFREI] = (
        *MUNICIPALITIES.get(_m.kreis or KREISFREI, ()),
        _m.name,
    )

#: Städte und Gemeinden per district, as the Gemeindeverzeichnis counts them.
COUNTS = {
    "Kreis Kleve": 16, "Kreis Mettmann": 10, "Rhein-Kreis Neuss": 8, "Kreis Viersen": 9,
    "Kreis Wesel": 13, "Städteregion Aachen": 10, "Kreis Düren": 15, "Rhein-Erft-Kreis": 10,
    "Kreis Euskirchen": 11, "Kreis Heinsberg": 10, "Oberbergischer Kreis": 13,
    "Rheinisch-Bergischer Kreis": 8, "Rhein-Sieg-Kreis": 19, "Kreis Borken": 17,
    "Kreis Coesfeld": 11, "Kreis Recklinghausen": 10, "Kreis Steinfurt": 24,
    "Kreis Warendorf": 13, "Kreis Gütersloh": 13, "Kreis Herford": 9, "Kreis Höxter": 10,
    "Kreis Lippe": 16, "Kreis Minden-Lübbecke": 11, "Kreis Paderborn": 10,
    "Ennepe-Ruhr-Kreis": 9, "Hochsauerlandkreis": 12, "Märkischer Kreis": 15,
    "Kreis Olpe": 7, "Kreis Siegen-Wittgenstein": 11, "Kreis Soest": 14, "Kreis Unna": 10,
}  # fmt: skip

#: A municipality lies this close to its district seat ...
SEAT_KM = 35.0
#: ... except these, at the far ends of large districts (km to the seat, rounded up).
FARTHER_FROM_SEAT = {
    "Ascheberg": 37, "Gronau (Westf.)": 44, "Hallenberg": 37, "Kerken": 42, "Lengerich": 38,
    "Lienen": 46, "Lotte": 44, "Marsberg": 43, "Mettingen": 37, "Recke": 37, "Rheurdt": 44,
    "Schöppingen": 40, "Straelen": 41, "Wachtendonk": 46, "Warburg": 37, "Westerkappeln": 43,
}  # fmt: skip

#: Official centres of the kreisfreie Städte (Wikipedia, degrees and minutes).
KREISFREIE_CENTRES = {
    "Bielefeld": (52.0167, 8.5333), "Bochum": (51.4833, 7.2167), "Bonn": (50.7333, 7.1000),
    "Bottrop": (51.5167, 6.9333), "Dortmund": (51.5167, 7.4667),
    "Duisburg": (51.4333, 6.7667), "Düsseldorf": (51.2333, 6.7833),
    "Essen": (51.4500, 7.0167), "Gelsenkirchen": (51.5167, 7.1000),
    "Hagen": (51.3667, 7.4833), "Hamm": (51.6833, 7.8167), "Herne": (51.5500, 7.2167),
    "Köln": (50.9333, 6.9500), "Krefeld": (51.3333, 6.5667),
    "Leverkusen": (51.0333, 6.9833), "Mönchengladbach": (51.2000, 6.4333),
    "Mülheim an der Ruhr": (51.4333, 6.8833), "Münster": (51.9667, 7.6333),
    "Oberhausen": (51.4667, 6.8500), "Remscheid": (51.1833, 7.2000),
    "Solingen": (51.1667, 7.0833), "Wuppertal": (51.2667, 7.1833),
}  # fmt: skip

#: Municipalities GeoNames does not know -> (seat village named in geocache.yaml,
#: the municipality's own map point from Wikipedia, degrees and minutes). The cache
#: holds the seat; the map point only checks that the seat lies in the municipality.
COMPOSITE = {
    "Bedburg-Hau": ("Schneppenbaum", (51.7667, 6.1833)),
    "Borchen": ("Kirchborchen", (51.6667, 8.7333)),
    "Ense": ("Bremen", (51.5000, 7.9833)),
    "Extertal": ("Bösingfeld", (52.0833, 9.0833)),
    "Herzebrock-Clarholz": ("Herzebrock", (51.8833, 8.2333)),
    "Hürtgenwald": ("Kleinhau", (50.7167, 6.3833)),
    "Kalletal": ("Hohenhausen", (52.1167, 8.9500)),
    "Kerken": ("Nieukerk", (51.4500, 6.4000)),
    "Lippetal": ("Hovestadt", (51.6500, 8.0833)),
    "Marienmünster": ("Vörden", (51.8333, 9.2167)),
    "Neunkirchen-Seelscheid": ("Neunkirchen", (50.8667, 7.3333)),
    "Reichshof": ("Denklingen", (50.9500, 7.7000)),
    "Rosendahl": ("Osterwick", (52.0333, 7.2333)),
    "Stemwede": ("Levern", (52.4167, 8.4833)),
    "Swisttal": ("Ludendorf", (50.6833, 6.9167)),
    "Windeck": ("Rosbach", (50.8000, 7.5667)),
}

#: COMPOSITE entries cached halfway between seat and map point, so both are within 3 km.
MIDWAY = {"Extertal", "Lippetal", "Reichshof", "Stemwede", "Windeck"}

#: Names that two places in NRW share: without a Kreis they are reported, not guessed.
AMBIGUOUS_WITHOUT_KREIS = {"Laer", "Schleiden"}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


@pytest.fixture(scope="module")
def cache():
    return load_cache(ROOT / "geocache.yaml")


def km(location, point) -> float:
    return distance((location.lat, location.lon), point).km


def umlauts_spelled_out(name: str) -> str:
    return name.translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ü": "Ue", "ß": "ss"}))


def umlauts_dropped(name: str) -> str:
    return unicodedata.normalize("NFKD", name.replace("ß", "ss")).encode("ascii", "ignore").decode()


def test_the_list_is_complete():
    assert sum(len(names) for names in MUNICIPALITIES.values()) == 396
    assert set(MUNICIPALITIES[KREISFREI]) == set(nrw.KREISFREIE_STAEDTE)
    assert set(MUNICIPALITIES) - {KREISFREI} == set(nrw.DISTRICTS) == set(COUNTS)
    for kreis, count in COUNTS.items():
        assert len(set(MUNICIPALITIES[kreis])) == len(MUNICIPALITIES[kreis]) == count, kreis
    every = [name for names in MUNICIPALITIES.values() for name in names]
    assert len(set(every)) == 396
    for kreis, (seat, _) in nrw.DISTRICTS.items():
        assert seat in MUNICIPALITIES[kreis] or seat in MUNICIPALITIES[KREISFREI], kreis
    assert set(FARTHER_FROM_SEAT) | set(COMPOSITE) <= set(every)


@pytest.mark.parametrize("kreis", sorted(set(MUNICIPALITIES) - {KREISFREI}))
def test_every_municipality_resolves_near_its_district_seat(kreis, cache, gazetteer):
    seat = resolve_place(kreis, None, None, cache=cache, gazetteer=gazetteer)
    for name in MUNICIPALITIES[kreis]:
        location = resolve_place(name, kreis, None, cache=cache, gazetteer=gazetteer)
        assert nrw.in_nrw(location.lat, location.lon), name
        limit = FARTHER_FROM_SEAT.get(name, SEAT_KM)
        assert km(location, (seat.lat, seat.lon)) <= limit, (name, location)


def test_the_exceptions_are_really_far(cache, gazetteer):
    """FARTHER_FROM_SEAT lists only what must be there, so the 35 km rule stays strict."""
    kreis_of = {name: kreis for kreis, names in MUNICIPALITIES.items() for name in names}
    for name in FARTHER_FROM_SEAT:
        kreis = kreis_of[name]
        seat = resolve_place(kreis, None, None, cache=cache, gazetteer=gazetteer)
        location = resolve_place(name, kreis, None, cache=cache, gazetteer=gazetteer)
        assert km(location, (seat.lat, seat.lon)) > SEAT_KM, name


@pytest.mark.parametrize("city", sorted(KREISFREIE_CENTRES))
def test_kreisfreie_staedte_resolve_to_their_centre(city, cache, gazetteer):
    for spelling in (city, f"Stadt {city}", f"Kreisfreie Stadt {umlauts_spelled_out(city)}"):
        location = resolve_place(spelling, None, None, cache=cache, gazetteer=gazetteer)
        assert km(location, KREISFREIE_CENTRES[city]) < 10, (spelling, location)


@pytest.mark.parametrize("name", sorted(COMPOSITE))
def test_composite_municipalities_come_from_the_cache_at_their_seat(name, cache, gazetteer):
    seat, centre = COMPOSITE[name]
    assert gazetteer.candidates(name) == []  # else the cache entry would be pointless
    kreis = next(k for k, names in MUNICIPALITIES.items() if name in names)
    location = resolve_place(name, kreis, None, cache=cache, gazetteer=gazetteer)
    assert location.source == "manual"
    if name in MIDWAY:  # seat and map point > 2.5 km apart: the cache holds their midpoint
        assert location.display_name == (
            f"{name}, {kreis} (zwischen Verwaltungssitz {seat} und Gemeindemittelpunkt)"
        )
    else:
        assert location.display_name == f"{name} (Verwaltungssitz {seat}), {kreis}"
    assert km(location, centre) < 6, location  # the seat lies in the municipality


@pytest.mark.parametrize("kreis", sorted(MUNICIPALITIES))
def test_prefixes_and_umlaut_spellings_find_the_same_place(kreis, cache, gazetteer):
    district = None if kreis == KREISFREI else kreis
    for name in MUNICIPALITIES[kreis]:
        meant = resolve_place(name, district, None, cache=cache, gazetteer=gazetteer)
        spellings = {
            name,
            umlauts_spelled_out(name),
            umlauts_dropped(name),
            f"Stadt {name}",
            f"Gemeinde {umlauts_spelled_out(name)}",
            f"Gemeinde {umlauts_dropped(name)}",
        }
        for spelling in sorted(spellings):
            for with_kreis in (district, None):
                if with_kreis is None and name in AMBIGUOUS_WITHOUT_KREIS:
                    with pytest.raises(PlaceError) as caught:
                        resolve_place(spelling, None, None, cache=cache, gazetteer=gazetteer)
                    assert caught.value.kind == "ambiguous"
                    continue
                location = resolve_place(
                    spelling, with_kreis, None, cache=cache, gazetteer=gazetteer
                )
                assert km(location, (meant.lat, meant.lon)) < 0.5, (spelling, with_kreis)


def test_wickede_ruhr_is_not_dortmund_wickede(cache, gazetteer):
    # "Wickede" alone stays ambiguous (test_geo_resolver); the official name is not.
    for spelling in ("Wickede (Ruhr)", "Gemeinde Wickede (Ruhr)", "Wickede/Ruhr"):
        location = resolve_place(spelling, None, None, cache=cache, gazetteer=gazetteer)
        assert km(location, (51.5000, 7.8667)) < 3, spelling


def test_cache_lookup_accepts_the_spellings_the_gazetteer_accepts():
    entry = CacheEntry(50.7231, 6.3939, "manual", "Hürtgenwald", "2026-11-22")
    cache = GeoCache({"Hürtgenwald": entry})
    for spelling in ("Hürtgenwald", "HUERTGENWALD", "Hurtgenwald", "Gemeinde Hürtgenwald"):
        assert cache.get(spelling) is entry, spelling
    assert cache.get("Hürtgenwald-Vossenack") is None
    cache.add("Gemeinde Hurtgenwald", CacheEntry(0, 0, "manual", "", ""))
    assert list(cache.entries) == ["Hürtgenwald"]  # the same place is not added twice
