"""The map's data file: one GeoJSON feature per place, the managers as rows.

The browser builds markers, popups and the list's links from it; it is also the
open-data download.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.data.models import Manager
from generator.map.places import MapPlace
from generator.site.rendering import script_json

#: The columns of a manager's row in the data file, the most often filled first.
SAMPLE_DATA_NOTICE = (
    "Beispieldaten: Diese Datei zeigt nicht das echte Netzwerk der Familienmanagerinnen "
    "und -manager in NRW."
)
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
    while row and row[-1] is None:
        row.pop()
    return row


def places_geojson(places: Sequence[MapPlace], *, sample_data: bool = False) -> str:
    """All places as a GeoJSON FeatureCollection, features in list order.

    One feature per place; ``familienmanager`` holds a row per manager, its columns
    named by the collection's ``felder`` (a foreign member, RFC 7946 section 6.1).
    A feature's ``id`` is its place's id: karte.js pairs it with the list entry
    ``ort-<id>`` and the finder's places.
    """
    features = [
        {
            "type": "Feature",
            "id": place.id,
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
    if sample_data:  # a foreign member too: whoever downloads the file is told
        collection = {"beispieldaten": SAMPLE_DATA_NOTICE, **collection}
    return script_json(collection) + "\n"
