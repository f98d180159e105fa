"""Who is there for a municipality (own managers, the Kreis's, the nearest), the
finder's data file and the 396 municipality pages, as pure functions."""

from __future__ import annotations

import datetime as dt
import json

from generator.data import municipalities as gv
from generator.data.models import Manager
from generator.geo.location import Location
from generator.map.page import FINDER_PATH, map_outputs
from generator.map.places import collect_places
from generator.map.responsibility import (
    finder_data,
    in_kreis,
    kreis_phrase,
    nearby_intro,
    reason,
    responsibilities,
)
from generator.site.settings import Settings

SETTINGS = Settings(build_date=dt.date(2026, 11, 22))


def manager(id, kommune, **fields) -> Manager:
    return Manager(id=id, kommune=kommune, kurs=4, jahr=2009, dienststelle="Jugendamt", **fields)


MANAGERS = [
    manager("dueren-1", "Düren", kontakt={"email": "familie@example.org"}),
    manager("kreis-dueren-1", "Kreis Düren"),
    manager("kreis-dueren-2", "Kreis Düren"),
    manager("koeln-1", "Köln"),
    manager("luedenscheid-1", "Lüdenscheid"),
]
LOCATIONS = {
    "dueren-1": Location(50.8043, 6.4930, "gazetteer", ""),
    "kreis-dueren-1": Location(50.8043, 6.4930, "gazetteer", ""),
    "koeln-1": Location(50.9333, 6.95, "gazetteer", ""),
    "luedenscheid-1": Location(51.2198, 7.6273, "gazetteer", ""),
}
POINTS = {
    gv.by_name("Kreuzau").ags: (50.747, 6.4907),
    gv.by_name("Düren").ags: (50.8043, 6.493),
    gv.by_name("Altena").ags: (51.2995, 7.6737),
    gv.by_name("Bonn").ags: (50.7333, 7.1),
}


def entries():
    places = collect_places(MANAGERS, LOCATIONS)
    return places, {e.municipality.name: e for e in responsibilities(places, POINTS)}


def test_own_managers_come_first_then_the_kreis_then_the_nearest():
    _, by_name = entries()
    assert len(by_name) == 396
    dueren = by_name["Düren"]
    assert dueren.case == "eigene" and dueren.own.name == "Düren" and dueren.kreis is None
    kreuzau = by_name["Kreuzau"]
    assert kreuzau.case == "kreis" and kreuzau.kreis.name == "Kreis Düren"
    # Distances as geopy's ellipsoid gives them, to the kilometre.
    assert [(n.place.name, n.km) for n in kreuzau.nearby] == [
        ("Düren", 6),
        ("Köln", 38),
        ("Lüdenscheid", 95),
    ]
    assert reason(kreuzau) == (
        "Für Kreuzau ist keine eigene Familienmanagerin und kein eigener Familienmanager "
        "eingetragen; zuständig ist der Kreis Düren."
    )


def test_a_kreis_without_managers_is_never_called_responsible():
    _, by_name = entries()
    altena = by_name["Altena"]  # Märkischer Kreis: no managers of its own in this data
    assert altena.case == "keine" and altena.kreis is None
    assert reason(altena) == (
        "Für Altena und für den Märkischen Kreis ist keine Familienmanagerin und kein "
        "Familienmanager eingetragen."
    )
    assert altena.nearby[0].place.name == "Lüdenscheid"
    bonn = by_name["Bonn"]
    assert (
        reason(bonn) == "Für Bonn ist keine Familienmanagerin und kein Familienmanager eingetragen."
    )


def test_nearby_lists_towns_never_another_district():
    """Monschau (Städteregion Aachen) must not be offered "Kreis Düren: etwa 33 km": a
    district's managers work for its own municipalities only."""
    managers = [*MANAGERS, manager("staedteregion-aachen-1", "Städteregion Aachen")]
    locations = {**LOCATIONS, "staedteregion-aachen-1": Location(50.7766, 6.0834, "gazetteer", "")}
    places = collect_places(managers, locations)
    monschau_point = {gv.by_name("Monschau").ags: (50.5543, 6.2400)}
    (monschau,) = [
        e for e in responsibilities(places, monschau_point) if e.municipality.name == "Monschau"
    ]
    assert monschau.case == "kreis" and monschau.kreis.name == "Städteregion Aachen"
    assert [n.place.name for n in monschau.nearby] == ["Düren", "Köln", "Lüdenscheid"]
    assert nearby_intro(monschau) == (
        "Andere Städte und Gemeinden in der Nähe, am nächsten zuerst (Luftlinie). Die "
        "Familienmanagerinnen und -manager dort arbeiten für ihren eigenen Ort, nicht für "
        "Monschau."
    )
    # Before: the Kreis Düren entry came first, at the seat's distance.
    assert all(
        n.place.name != "Kreis Düren" for e in responsibilities(places, POINTS) for n in e.nearby
    )


def test_districts_are_declined_correctly():
    assert kreis_phrase("Kreis Düren") == "der Kreis Düren"
    assert kreis_phrase("Städteregion Aachen") == "die Städteregion Aachen"
    assert kreis_phrase("Märkischer Kreis") == "der Märkische Kreis"
    assert kreis_phrase("Rheinisch-Bergischer Kreis", "akk") == "den Rheinisch-Bergischen Kreis"
    assert kreis_phrase("Hochsauerlandkreis", "akk") == "den Hochsauerlandkreis"
    assert in_kreis("Oberbergischer Kreis") == "im Oberbergischen Kreis"
    assert in_kreis("Städteregion Aachen") == "in der Städteregion Aachen"


def test_finder_data_points_at_places_by_index_and_carries_the_reason():
    places, by_name = entries()
    data = finder_data(list(by_name.values()), places)
    orte = data["orte"]
    assert ["Kreis Düren", 2] in orte
    row = next(g for g in data["gemeinden"] if g[0] == "Kreuzau")
    name, kreis, own, kreis_place, nearby, key, phrase, postcodes = row
    assert postcodes == "52372"
    assert (kreis, own) == ("Kreis Düren", -1)
    assert orte[kreis_place][0] == "Kreis Düren"
    assert [orte[i][0] for i, _ in nearby] == ["Düren", "Köln", "Lüdenscheid"]
    assert (key, phrase) == ("kreis", "der Kreis Düren")
    sentence = data["saetze"][key].format(gemeinde=name, kreis=phrase)
    assert sentence == reason(by_name["Kreuzau"])


def test_every_municipality_has_a_page_out_of_one_template():
    outputs = {o.path: o for o in map_outputs(MANAGERS, LOCATIONS, SETTINGS, POINTS)}
    pages = [p for p in outputs if p.startswith("familienmanager/kommunen/")]
    assert len(pages) == 397  # 396 and the index from A to Z
    kreuzau = outputs["familienmanager/kommunen/kreuzau.md"]
    assert kreuzau.html_body
    text = kreuzau.content
    assert text.startswith("---\ntitle: 'Kreuzau: Familienmanagerinnen und -manager'")
    assert "Stadt oder Gemeinde im Kreis Düren, Regierungsbezirk Köln" in text
    assert "Amtlicher Gemeindeschlüssel: 05358028. Postleitzahl: 52372." in text
    assert "zuständig ist der Kreis Düren." in text
    assert '<a href="../../karte/#ort-kreis-dueren">' in text
    assert '<a href="../dueren/">Düren</a>: etwa 6 km, 1 Person' in text
    assert '<a href="../../karte/?gemeinde=kreuzau#finder">' in text
    assert "Jugendamt oder das Familienbüro" in text
    dueren = outputs["familienmanager/kommunen/dueren.md"].content
    assert '<a href="mailto:familie@example.org">familie@example.org</a>' in dueren
    index = outputs["familienmanager/kommunen/index.md"].content
    assert '<a href="kreuzau/">Kreuzau</a>' in index
    data = json.loads(outputs[FINDER_PATH].content)
    assert len(data["gemeinden"]) == 396
