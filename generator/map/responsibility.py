"""Who is there for a municipality: its own managers, else its Kreis's, then the nearest.

Computed once per build for all 396 municipalities, from the places on the map and
each municipality's point; the finder's data file and the municipality pages are
rendered from it. It says only what the data says: a Kreis is named as responsible
only when managers are registered for the Kreis itself.

"Nearby" lists only towns and cities, never a district's own entry: a Kreis's managers
work for the municipalities of that Kreis, and its one point (the seat) says nothing
about how far the district is. Offering "Kreis Düren: etwa 33 km" to someone in
Monschau (Städteregion Aachen) would point at people who are not there for them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.data import register as nrw
from generator.data.municipalities import MUNICIPALITIES, Municipality
from generator.map.places import MapPlace

#: How many other places the finder and the pages name, nearest first.
NEARBY = 3
EARTH_KM = 6371.0


@dataclass(frozen=True)
class Nearby:
    place: MapPlace
    km: int


@dataclass(frozen=True)
class Responsibility:
    municipality: Municipality
    #: The municipality's own place on the map, if it has managers.
    own: MapPlace | None
    #: Its Kreis's own place, when the municipality has none and the Kreis has managers.
    kreis: MapPlace | None
    #: Other places, nearest first (never ``own`` or ``kreis``).
    nearby: tuple[Nearby, ...]
    #: The municipality's point (None when it could not be resolved).
    lat: float | None
    lon: float | None

    @property
    def case(self) -> str:
        """ "eigene", "kreis" or "keine": which sentence explains the result."""
        return "eigene" if self.own else "kreis" if self.kreis else "keine"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine): close enough for "about 7 km"."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def _nearest(
    lat: float, lon: float, places: Sequence[MapPlace], skip: set[str]
) -> tuple[Nearby, ...]:
    """The NEARBY closest places; a flat-earth pre-selection keeps 396 × thousands cheap."""
    scale = math.cos(math.radians(lat))
    ranked = sorted(
        ((p.lat - lat) ** 2 + ((p.lon - lon) * scale) ** 2, p.id, p)
        for p in places
        if p.lat is not None and p.id not in skip
    )
    found = [(_km(lat, lon, p.lat, p.lon), p.id, p) for _, _, p in ranked[: NEARBY * 2]]
    return tuple(Nearby(p, max(1, round(km))) for km, _, p in sorted(found)[:NEARBY])


def is_district_place(place: MapPlace) -> bool:
    """A district's own entry ("Kreis Düren"), not a town's."""
    return place.name in nrw.DISTRICTS


def responsibilities(
    places: Sequence[MapPlace], points: Mapping[str, tuple[float, float]]
) -> list[Responsibility]:
    """One entry per municipality, in the register's order.

    ``points`` maps a municipality's key (AGS) to its (lat, lon).
    """
    by_name = {place.name: place for place in places}
    towns = [place for place in places if not is_district_place(place)]
    result = []
    for municipality in MUNICIPALITIES:
        own = by_name.get(municipality.name)
        kreis = by_name.get(municipality.kreis) if municipality.kreis and not own else None
        skip = {p.id for p in (own, kreis) if p}
        lat, lon = points.get(municipality.ags, (None, None))
        nearby = _nearest(lat, lon, towns, skip) if lat is not None else ()
        result.append(Responsibility(municipality, own, kreis, nearby, lat, lon))
    return result


def kreis_phrase(kreis: str, case: str = "nom") -> str:
    """A district with its article: "der Kreis Düren", "die Städteregion Aachen",
    "der Märkische Kreis"; ``case="akk"`` gives "den Märkischen Kreis"."""
    if kreis.startswith("Städteregion"):
        return f"die {kreis}"
    adjective, _, rest = kreis.partition(" ")
    if rest == "Kreis" and adjective.endswith("er"):  # "Märkischer Kreis"
        ending = "e" if case == "nom" else "en"
        return f"{'der' if case == 'nom' else 'den'} {adjective[:-2]}{ending} Kreis"
    return f"{'der' if case == 'nom' else 'den'} {kreis}"


def in_kreis(kreis: str) -> str:
    """ "im Kreis Düren", "im Märkischen Kreis", "in der Städteregion Aachen"."""
    if kreis.startswith("Städteregion"):
        return f"in der {kreis}"
    adjective, _, rest = kreis.partition(" ")
    if rest == "Kreis" and adjective.endswith("er"):
        return f"im {adjective[:-2]}en Kreis"
    return f"im {kreis}"


#: The sentences that say why these people are named; karte.js fills in the same
#: templates from the finder's data file, so the wording lives here only.
SENTENCES = {
    "eigene": "In {gemeinde} sind Familienmanagerinnen oder Familienmanager eingetragen.",
    "kreis": "Für {gemeinde} ist keine eigene Familienmanagerin und kein eigener "
    "Familienmanager eingetragen; zuständig ist {kreis}.",
    "keine-kreis": "Für {gemeinde} und für {kreis} ist keine Familienmanagerin und kein "
    "Familienmanager eingetragen.",
    "keine": "Für {gemeinde} ist keine Familienmanagerin und kein Familienmanager eingetragen.",
    #: Introduces the nearby list: what such an entry means (and what it does not).
    "naehe": "Andere Städte und Gemeinden in der Nähe, am nächsten zuerst (Luftlinie). "
    "Die Familienmanagerinnen und -manager dort arbeiten für ihren eigenen Ort, nicht "
    "für {gemeinde}.",
}


def _sentence(entry: Responsibility) -> tuple[str, str]:
    """(template key, Kreis phrase) for an entry."""
    if entry.own:
        return "eigene", ""
    if entry.kreis:
        return "kreis", kreis_phrase(entry.kreis.name)
    if entry.municipality.kreis:
        return "keine-kreis", kreis_phrase(entry.municipality.kreis, "akk")
    return "keine", ""


def nearby_intro(entry: Responsibility) -> str:
    """The sentence above the nearby list (German)."""
    return SENTENCES["naehe"].format(gemeinde=entry.municipality.name)


def reason(entry: Responsibility) -> str:
    """The one sentence that says why these people are named (German, from the data)."""
    key, kreis = _sentence(entry)
    return SENTENCES[key].format(gemeinde=entry.municipality.name, kreis=kreis)


def finder_data(entries: Sequence[Responsibility], places: Sequence[MapPlace]) -> dict:
    """The finder's data file: places once, municipalities as rows pointing at them.

    ``orte``: [name, number of people]; ``gemeinden``: [name, Kreis or "", own place
    index or -1, Kreis place index or -1, [[place index, km], …], sentence key, Kreis
    phrase, postcodes separated by spaces]; ``saetze``: the templates of
    :data:`SENTENCES` (karte.js fills them in, so it holds no German grammar). Ids and
    page names are left out: karte.js folds the names as :func:`slugify` does.
    """
    index = {place.id: i for i, place in enumerate(places)}
    at = lambda place: index[place.id] if place else -1  # noqa: E731
    return {
        "orte": [[p.name, len(p.managers)] for p in places],
        "gemeinden": [
            [
                e.municipality.name,
                e.municipality.kreis or "",
                at(e.own),
                at(e.kreis),
                [[index[n.place.id], n.km] for n in e.nearby],
                *_sentence(e),
                " ".join(e.municipality.postcodes),
            ]
            for e in entries
        ],
        "saetze": SENTENCES,
    }
