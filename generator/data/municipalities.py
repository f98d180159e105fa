"""The municipality register: all 396 Städte und Gemeinden of NRW with their official key.

Used by validation (a manager's ``kommune`` must be one of them or a district),
geocoding (every municipality resolves offline) and the finder (every municipality
leads to its family managers).

Source of ``gemeinden.csv`` (key, name, Kreis): Statistisches Bundesamt (Destatis),
Gemeindeverzeichnis-Informationssystem GV-ISys, "Auszug GV 4. Quartal" (Bevölkerung
am 31.12.2019; NRW's municipalities and keys have not changed since the Städteregion
Aachen was formed in 2009), © Statistisches Bundesamt (Destatis), Datenlizenz
Deutschland – Namensnennung – Version 2.0 (https://www.govdata.de/dl-de/by-2-0).
Taken over from a CSV export of that file in a public repository
(grundeinkommensbuero/backend, ``AuszugGV4QAktuell.csv``); names as IT.NRW writes
them without the title ("Kleve" for "Kleve, Stadt"). Checked: the first five digits
are the Kreis key, one per Kreis; the 22 kreisfreie Städte end in 000; within a
Kreis the keys follow the alphabet in steps of four (the known exceptions:
later mergers and renamings); 43 keys agree with the file names of the state's
open geodata (opengeodata.nrw.de). ``tests/test_data_municipalities.py`` keeps it so.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from generator.data import register as nrw
from generator.data.postcodes import postcodes_of

#: Regierungsbezirk by the third digit of a key (05 1 … Düsseldorf, 05 3 … Köln, …).
BEZIRK_DIGIT = {"1": "Düsseldorf", "3": "Köln", "5": "Münster", "7": "Detmold", "9": "Arnsberg"}
_TITLE = re.compile(r"^(stadt|gemeinde)\s+|\s+(stadt|gemeinde)$")
_BRACKET = re.compile(r"\s*\(.*?\)")


@dataclass(frozen=True)
class Municipality:
    """A Stadt or Gemeinde of NRW: official key (AGS), official name, its Kreis."""

    ags: str
    name: str
    #: The district's official name; None for a kreisfreie Stadt.
    kreis: str | None

    @property
    def regierungsbezirk(self) -> str:
        return BEZIRK_DIGIT[self.ags[2]]

    @property
    def kreisfrei(self) -> bool:
        return self.kreis is None

    @property
    def slug(self) -> str:
        """The page name: "Mülheim an der Ruhr" -> "muelheim-an-der-ruhr"."""
        return slugify(self.name)

    @property
    def postcodes(self) -> tuple[str, ...]:
        """Its postcodes (Postleitzahlen), from :mod:`generator.data.postcodes`."""
        return postcodes_of(self.ags)


def slugify(name: str) -> str:
    return nrw.fold(name).replace(" ", "-")


def municipality_keys(text: str) -> set[str]:
    """Keys a municipality name matches under: both umlaut spellings (the folding of
    :func:`register.name_keys`), without "Stadt"/"Gemeinde" before or after the name.
    Unlike ``name_keys`` a leading "Kreis" stays: "Kreis Düren" is not Düren."""
    if nrw.fold(text).startswith(("kreis ", "landkreis ")):
        return set()
    keys = set()
    for key in nrw.name_keys(text):
        keys |= {key, _TITLE.sub("", key)}
    return {key for key in keys if key}


def _read() -> tuple[Municipality, ...]:
    text = resources.files("generator.data").joinpath("gemeinden.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return tuple(Municipality(r["ags"], r["gemeinde"], r["kreis"] or None) for r in rows)


#: All 396 municipalities, by key.
MUNICIPALITIES: tuple[Municipality, ...] = _read()


@functools.cache
def _index() -> dict[str, Municipality]:
    """Folded key -> municipality; a key two municipalities share is left out."""
    index: dict[str, Municipality] = {}
    shared: set[str] = set()
    for municipality in MUNICIPALITIES:
        names = {municipality.name, _BRACKET.sub("", municipality.name)}
        for key in set().union(*(municipality_keys(name) for name in names)):
            if key in index and index[key] is not municipality:
                shared.add(key)
            index[key] = municipality
    return {key: m for key, m in index.items() if key not in shared}


def find_municipality(text: str) -> Municipality | None:
    """The municipality for any spelling of its name: "KOELN", "Mülheim" in NFD,
    "Stadt Kleve", "Halle" (for "Halle (Westf.)"). None for districts and unknown names."""
    index = _index()
    for key in municipality_keys(text):
        if key in index:
            return index[key]
    return None


def by_name(name: str) -> Municipality:
    """The municipality of an official name (KeyError otherwise)."""
    return _by_name()[name]


@functools.cache
def _by_name() -> dict[str, Municipality]:
    return {m.name: m for m in MUNICIPALITIES}


def municipalities_of(kreis: str) -> list[Municipality]:
    return [m for m in MUNICIPALITIES if m.kreis == kreis]


def kreis_key(kreis: str) -> str:
    """The five-digit key of a district (the first digits of its municipalities' keys)."""
    return municipalities_of(kreis)[0].ags[:5]


def closest(text: str, names: Iterable[str]) -> str | None:
    """The official name closest to a misspelt one ("Dortmnud" -> "Dortmund"), or None."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(nrw.fold(name), name)
    found = difflib.get_close_matches(nrw.fold(text), list(by_key), n=1, cutoff=0.75)
    return by_key[found[0]] if found else None


def place_names() -> list[str]:
    """Every name a manager's ``kommune`` may take: municipalities and districts."""
    return [m.name for m in MUNICIPALITIES] + list(nrw.DISTRICTS)


def official_district(value: str) -> str:
    """A ``kreis`` field: any spelling of a district ("kreis dueren") as its official name;
    a municipality gets its own district suggested ("Düren" -> "Kreis Düren")."""
    official = nrw.find_district(value)
    if official is not None and (nrw.is_district_name(value) or official == value):
        return official
    municipality = find_municipality(value)
    if municipality is not None and municipality.kreisfrei:
        raise ValueError(
            f"„{municipality.name}“ ist eine kreisfreie Stadt und gehört zu keinem Kreis. "
            "Löschen Sie die Zeile „kreis“."
        )
    if municipality is not None:
        raise ValueError(
            f"„{value}“ ist kein Kreis, sondern eine Gemeinde in „{municipality.kreis}“. "
            f"Meinten Sie „{municipality.kreis}“?"
        )
    close = closest(value, nrw.DISTRICTS)
    hint = (
        f"Meinten Sie „{close}“?"
        if close
        else "Schreiben Sie den amtlichen Namen, z. B. „Kreis Düren“ oder „Städteregion Aachen“."
    )
    raise ValueError(
        f"„{value}“ ist kein Kreis in NRW. {hint} Bei kreisfreien Städten lassen Sie „kreis“ weg."
    )


def official_place(value: str) -> str:
    """A manager's ``kommune``: a municipality or a district, in any spelling, as its
    official name; otherwise a German message with the closest official name."""
    if nrw.is_district_name(value) and (district := nrw.find_district(value)):
        return district
    if (municipality := find_municipality(value)) is not None:
        return municipality.name
    close = closest(value, place_names())
    hint = f" Meinten Sie „{close}“?" if close else ""
    raise ValueError(
        f"„{value}“ ist keine Stadt, keine Gemeinde und kein Kreis in NRW.{hint} Schreiben Sie "
        "den amtlichen Namen, z. B. „Kreuzau“, „Mülheim an der Ruhr“ oder „Kreis Düren“."
    )
