"""Where a record is shown, and the error for a place that cannot be found."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a record is shown on the map, and where that knowledge came from.

    ``source`` is "yaml" (lat/lon in the entry), "gazetteer" (GeoNames), or, for a
    hit in geocache.yaml, the source the entry was made from ("nominatim",
    "manual" or "gazetteer"), so the map can credit OpenStreetMap where it must.
    """

    lat: float
    lon: float
    source: str
    display_name: str


class PlaceError(ValueError):
    """A place that cannot be resolved; ``str()`` is the German advice for editors.

    ``kind`` is "not_found" (the network may help), "ambiguous" or "kreis"
    (the data must change).
    """

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind
