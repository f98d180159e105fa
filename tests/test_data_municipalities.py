"""The municipality register (generator/data/gemeinden.csv) and a manager's place:
any spelling of an NRW municipality or district, stored under its official name, in
its own Kreis, with a suggestion for every misspelling."""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from conftest import ROOT

from generator.data import municipalities as gv
from generator.data import register as nrw
from generator.data.dataset import load_dataset
from generator.data.problems import DataError

FOLDING = json.loads((ROOT / "tests/folding_cases.json").read_text(encoding="utf-8"))["cases"]


def test_the_register_holds_396_municipalities_with_their_official_keys():
    register = gv.MUNICIPALITIES
    assert len(register) == 396 == len({m.ags for m in register}) == len({m.name for m in register})
    assert all(len(m.ags) == 8 and m.ags.isdigit() and m.ags.startswith("05") for m in register)
    kreisfrei = [m for m in register if m.kreisfrei]
    assert {m.name for m in kreisfrei} == set(nrw.KREISFREIE_STAEDTE)
    assert all(m.ags.endswith("000") for m in kreisfrei)
    # The first five digits are the Kreis key: one per Kreis, 31 Kreise.
    keys = {m.kreis: set() for m in register if m.kreis}
    for m in register:
        if m.kreis:
            keys[m.kreis].add(m.ags[:5])
    assert set(keys) == set(nrw.DISTRICTS)
    assert all(len(k) == 1 for k in keys.values())
    assert len({next(iter(k)) for k in keys.values()}) == 31
    # The third digit is the Regierungsbezirk, the same as the register's.
    for m in register:
        expected = nrw.KREISFREIE_STAEDTE[m.name] if m.kreisfrei else nrw.DISTRICTS[m.kreis][1]
        assert m.regierungsbezirk == expected, m


@pytest.mark.parametrize(
    ("name", "ags"),
    [
        ("Düren", "05358008"),
        ("Köln", "05315000"),
        ("Essen", "05113000"),
        ("Kreuzau", "05358028"),
        ("Aachen", "05334002"),  # in the Städteregion since 2009
        ("Dülmen", "05558016"),
        ("Werne", "05978040"),
    ],
)
def test_known_keys(name, ags):
    assert gv.by_name(name).ags == ags


def test_keys_follow_the_alphabet_within_each_kreis():
    """Within a Kreis Destatis numbered the municipalities alphabetically (in steps of
    four): a mistyped digit would break the order. The two exceptions were renamed."""
    renamed = {"Bad Wünnenberg": "Wünnenberg", "Bad Laasphe": "Laasphe"}
    for kreis in nrw.DISTRICTS:
        members = sorted(gv.municipalities_of(kreis), key=lambda m: m.ags)
        names = [nrw.fold(renamed.get(m.name, m.name)) for m in members]
        assert names == sorted(names), kreis


def test_slugs_are_unique_and_readable():
    slugs = Counter(m.slug for m in gv.MUNICIPALITIES)
    assert max(slugs.values()) == 1
    assert gv.by_name("Mülheim an der Ruhr").slug == "muelheim-an-der-ruhr"
    assert gv.by_name("Halle (Westf.)").slug == "halle-westf"


@pytest.mark.parametrize("case", FOLDING, ids=lambda case: case["text"] or "leer")
def test_folding_matches_the_shared_table(case):
    """The same table is checked in the browser against karte.js (test_map_browser.py)."""
    assert nrw.fold(case["text"]) == case["fold"]
    assert sorted(nrw.name_keys(case["text"])) == case["keys"]


@pytest.mark.parametrize(
    ("text", "official"),
    [
        ("ESSEN", "Essen"),
        ("Koeln", "Köln"),
        (unicodedata.normalize("NFD", "Mülheim an der Ruhr"), "Mülheim an der Ruhr"),
        ("muelheim an der ruhr", "Mülheim an der Ruhr"),
        ("Stadt Kleve", "Kleve"),
        ("Halle", "Halle (Westf.)"),
        ("Schloss Holte-Stukenbrock", "Schloß Holte-Stukenbrock"),
        ("kreis dueren", "Kreis Düren"),
        ("Staedteregion Aachen", "Städteregion Aachen"),
        ("Aachen", "Aachen"),
    ],
)
def test_any_spelling_becomes_the_official_name(text, official):
    assert gv.official_place(text) == official


@pytest.mark.parametrize(
    ("field", "text", "hint"),
    [
        ("kommune", "Dortmnud", "Meinten Sie „Dortmund“?"),
        ("kommune", "Kreuzauu", "Meinten Sie „Kreuzau“?"),
        ("kreis", "Düren", "Meinten Sie „Kreis Düren“?"),
        ("kreis", "Kreuzau", "Meinten Sie „Kreis Düren“?"),
        ("kreis", "Kreis Dürn", "Meinten Sie „Kreis Düren“?"),
        ("kreis", "Essen", "kreisfreie Stadt"),
    ],
)
def test_misspellings_get_the_closest_official_name(field, text, hint):
    check = gv.official_place if field == "kommune" else gv.official_district
    with pytest.raises(ValueError, match=hint.replace("?", r"\?")):
        check(text)


MANAGER = """- id: {id}
  kommune: {kommune}
  kurs: 4
  jahr: 2009
  dienststelle: Jugendamt
{extra}"""


def load(tmp_path: Path, *entries: dict):
    text = "".join(MANAGER.format(extra="", **entry) for entry in entries)
    (tmp_path / "managers.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "events.yaml").write_text("[]\n", encoding="utf-8")
    return load_dataset(tmp_path / "managers.yaml", tmp_path / "events.yaml")


def test_spellings_of_one_place_become_one_place(tmp_path):
    nfd = unicodedata.normalize("NFD", "Mülheim an der Ruhr")
    dataset = load(
        tmp_path,
        {"id": "a", "kommune": "ESSEN"},
        {"id": "b", "kommune": "Essen"},
        {"id": "c", "kommune": "Koeln"},
        {"id": "d", "kommune": nfd},
        {"id": "e", "kommune": "Kreuzau"},
    )
    places = [(m.kommune, m.kreis, m.regierungsbezirk) for m in dataset.managers]
    assert places == [
        ("Essen", None, "Düsseldorf"),
        ("Essen", None, "Düsseldorf"),
        ("Köln", None, "Köln"),
        ("Mülheim an der Ruhr", None, "Düsseldorf"),
        ("Kreuzau", "Kreis Düren", "Köln"),  # Kreis and Bezirk need not be typed
    ]


def write(tmp_path: Path, text: str):
    (tmp_path / "managers.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "events.yaml").write_text("[]\n", encoding="utf-8")
    with pytest.raises(DataError) as error:
        load_dataset(tmp_path / "managers.yaml", tmp_path / "events.yaml")
    return [str(p) for p in error.value.problems]


def test_the_kreis_must_be_the_municipalitys_own_even_with_coordinates(tmp_path):
    problems = write(
        tmp_path,
        MANAGER.format(
            id="x",
            kommune="Herzogenrath",
            extra="  kreis: Kreis Höxter\n  lat: 50.87\n  lon: 6.1\n",
        ),
    )
    assert problems == [
        "managers.yaml:6: kreis: Herzogenrath gehört zu „Städteregion Aachen“, nicht zu "
        "„Kreis Höxter“. Schreiben Sie „kreis: Städteregion Aachen“ oder löschen Sie die Zeile "
        "(der Kreis ergibt sich aus der Gemeinde)."
    ]


def test_an_invented_town_with_coordinates_is_refused(tmp_path):
    problems = write(
        tmp_path, MANAGER.format(id="x", kommune="Dortmnud", extra="  lat: 51.5\n  lon: 7.4\n")
    )
    assert len(problems) == 1
    assert problems[0].startswith("managers.yaml:2: kommune: „Dortmnud“ ist keine Stadt")
    assert "Meinten Sie „Dortmund“?" in problems[0]


def test_a_wrong_regierungsbezirk_is_still_an_error(tmp_path):
    problems = write(
        tmp_path,
        MANAGER.format(id="x", kommune="Kreuzau", extra="  regierungsbezirk: Münster\n"),
    )
    assert problems == [
        "managers.yaml:6: regierungsbezirk: Kreuzau liegt im Regierungsbezirk Köln, nicht in "
        "Münster. Schreiben Sie „regierungsbezirk: Köln“ oder löschen Sie die Zeile."
    ]


def test_a_kreisfreie_stadt_has_no_kreis(tmp_path):
    problems = write(
        tmp_path, MANAGER.format(id="x", kommune="Essen", extra="  kreis: Kreis Wesel\n")
    )
    assert problems == [
        "managers.yaml:6: kreis: Essen ist eine kreisfreie Stadt und gehört zu keinem Kreis. "
        "Löschen Sie die Zeile „kreis: Kreis Wesel“."
    ]


def test_kreis_duren_is_suggested_for_kreis_duren_without_prefix(tmp_path):
    problems = write(tmp_path, MANAGER.format(id="x", kommune="Kreuzau", extra="  kreis: Düren\n"))
    assert problems == [
        "managers.yaml:6: kreis: „Düren“ ist kein Kreis, sondern eine Gemeinde in „Kreis Düren“. "
        "Meinten Sie „Kreis Düren“?"
    ]


def test_every_municipality_has_its_postcodes_and_no_namesake_elsewhere_in_germany():
    codes = {m.name: m.postcodes for m in gv.MUNICIPALITIES}
    assert all(codes.values())
    assert all(len(c) == 5 and c.isdigit() for found in codes.values() for c in found)
    assert codes["Kreuzau"] == ("52372",) and codes["Nideggen"] == ("52385",)
    assert len(codes["Köln"]) == 45 and codes["Köln"][0] == "50667"
    # Namesakes in Hessen (34582), Niedersachsen (37620, 49843) and Rheinland-Pfalz (57518)
    # are not taken; a postcode shared across the border (59969, Bromskirchen) is.
    assert codes["Borken"] == ("46325",)
    assert codes["Halle (Westf.)"] == ("33790",)
    assert codes["Alsdorf"] == ("52477",)
    assert codes["Hallenberg"] == ("59969",)
    assert [m for m, found in codes.items() if "52525" in found] == ["Heinsberg", "Waldfeucht"]


#: The ten postcodes checked against GeoNames (issue 23; reasons in the docstring of
#: scripts/update_postcodes.py): five shared pairs GeoNames contradicts are gone, five
#: postcodes only GeoNames knows are there.
POSTCODE_DECISIONS = {
    "40472": ["Düsseldorf"],  # not Ratingen
    "40721": ["Hilden"],  # not Düsseldorf
    "51467": ["Bergisch Gladbach"],  # not Köln
    "33154": ["Salzkotten"],  # not Paderborn
    "33161": ["Hövelhof"],  # not Paderborn
    "33311": ["Gütersloh"],
    "33519": ["Bielefeld"],
    "40832": ["Ratingen"],
    "45403": ["Mülheim an der Ruhr"],
    "48079": ["Münster"],
}


@pytest.mark.parametrize("postcode", list(POSTCODE_DECISIONS))
def test_postcodes_doubtful_against_geonames_are_settled(postcode):
    found = [m.name for m in gv.MUNICIPALITIES if postcode in m.postcodes]
    assert found == POSTCODE_DECISIONS[postcode]


def test_the_second_source_drops_what_it_contradicts_and_adds_what_only_it_knows():
    from scripts.update_postcodes import cross_checked, same_place

    source = {
        "33154": ["Paderborn", "Salzkotten"],
        "33161": ["Hövelhof", "Paderborn"],
        "33333": ["Gütersloh"],  # GeoNames does not know it: no doubt, kept
        "46446": ["Emmerich am Rhein"],
        "48599": ["Gronau (Westf.)"],
    }
    geonames = {
        "33154": [("Salzkotten", "05774")],
        "33161": [("Hövelhof", "05774")],
        "46446": [("Emmerich", "05154"), ("Kleve", "05154")],  # Kleve: source knows 46446
        "48599": [("Gronau (Westfalen)", "05554")],
        "33311": [("Gütersloh", "05754")],  # only GeoNames knows it: added
        "34582": [("Borken", "06634")],  # Borken in Hessen: not Borken's Kreis
        "52222": [("Stolberg (Rheinland)", "05334")],
    }
    name = {m.ags: m.name for m in gv.MUNICIPALITIES}
    found = {(plz, name[ags]) for plz, ags in cross_checked(source, geonames)}
    assert found == {
        ("33154", "Salzkotten"),
        ("33161", "Hövelhof"),
        ("33333", "Gütersloh"),
        ("46446", "Emmerich am Rhein"),
        ("48599", "Gronau (Westf.)"),
        ("33311", "Gütersloh"),
        ("52222", "Stolberg (Rhld.)"),
    }
    assert same_place("Fröndenberg", "Fröndenberg/Ruhr")
    assert not same_place("Bad Salzuflen", "Bad Lippspringe")
    assert not same_place("Lohne", "Löhne")


def test_postcodes_are_derived_only_where_a_neighbouring_postcode_confirms_nrw():
    from scripts.update_postcodes import nrw_pairs

    source = {
        "34560": ["Fritzlar"],
        "34576": ["Homberg (Efze)"],
        "34582": ["Borken"],  # Hessen: no NRW neighbour
        "34590": ["Wabern"],
        "34593": ["Knüllwald"],
        "46325": ["Borken"],
        "46342": ["Velen"],
        "57489": ["Drolshagen"],
        "57518": ["Alsdorf", "Betzdorf"],  # Westerwald: no neighbour in Alsdorf's Bezirk
        "57520": ["Derschen"],
        "57537": ["Wissen"],
        "59964": ["Medebach"],
        "59969": ["Bromskirchen", "Hallenberg"],
        "97896": ["Freudenberg"],  # Baden-Württemberg: not a postal region of NRW
    }
    name = {m.ags: m.name for m in gv.MUNICIPALITIES}
    found = {(plz, name[ags]) for plz, ags in nrw_pairs(source)}
    assert found == {
        ("46325", "Borken"),
        ("46342", "Velen"),
        ("57489", "Drolshagen"),
        ("59964", "Medebach"),
        ("59969", "Hallenberg"),
    }
