"""Places on the map: one per municipality or district with its active managers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from generator.data import register as nrw
from generator.data.models import Manager
from generator.data.municipalities import slugify

#: Group of the kreisfreie Städte inside each Regierungsbezirk.
KREISFREIE_STAEDTE = "Kreisfreie Städte"


@dataclass(frozen=True)
class MapPlace:
    """One municipality or district with its active managers: one marker, one list entry."""

    #: Stable id pairing the marker, the list entry and the finder ("kreis-dueren").
    id: str
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
                id=slugify(name),
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
