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
    :func:`register.name_keys`), without "Stadt"/"Gemeinde" or an honorary title
    ("Hansestadt Herford", "Kerpen, Kolpingstadt") before or after the name, and with a
    river or region written any usual way ("Mülheim/Ruhr", "Mülheim a. d. Ruhr",
    "Halle (Westfalen)"). Unlike ``name_keys`` a leading "Kreis" stays: "Kreis Düren"
    is not Düren."""
    if nrw.fold(text).startswith(("kreis ", "landkreis ")):
        return set()
    keys = set()
    for key in nrw.name_keys(text):
        for variant in (key, _TITLE.sub("", key)):
            variant = _QUALIFIER_WORDS.sub(lambda m: _SYNONYMS.get(m.group(1), " "), f" {variant} ")
            keys |= {variant.strip(), _HONORARY.sub("", variant).strip()}
    return {" ".join(key.split()) for key in keys if key.strip()}


#: Honorary titles (GO NRW § 13: "Hansestadt", "Alte Hansestadt", "Kolpingstadt" …) and
#: "Stadt"/"Gemeinde" as a word of their own at the start or end of a folded name.
_HONORARY = re.compile(
    r"^ (?:\w+ )??\w*(?:stadt|gemeinde) (?=\w)|(?<=\w) (?:\w+ )??\w*(?:stadt|gemeinde) $"
)
#: Words between a name and its river or region, and the region's usual abbreviations.
_QUALIFIER_WORDS = re.compile(r"(?<= )(an der|a d|am|westfalen|rheinland|rheinl) ")
_SYNONYMS = {"westfalen": "westf ", "rheinland": "rhld ", "rheinl": "rhld "}
#: A name's qualifier: "(Westf.)", "/Ruhr", ", Hessen", " an der Ruhr".
_QUALIFIED = re.compile(
    r"^(?P<base>.+?)\s*(?:\((?P<bracket>[^)]*)\)?|/(?P<slash>.+)|,(?P<comma>.+)"
    r"|\s(?:an der|a\.\s?d\.|am)\s(?P<river>.+))\s*$"
)


def split_qualifier(text: str) -> tuple[str, str | None]:
    """("Halle", "Saale") for "Halle (Saale)", "Halle/Saale" or "Halle an der Saale";
    (text, None) for a name without one."""
    match = _QUALIFIED.match(text.strip())
    if match is None:
        return text.strip(), None
    qualifier = next(g for g in match.group("bracket", "slash", "comma", "river") if g is not None)
    return match.group("base").strip(), qualifier.strip()


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
        # "Halle" for "Halle (Westf.)", "Fröndenberg" for "Fröndenberg/Ruhr"; not "Mülheim"
        # for "Mülheim an der Ruhr" (Köln has a Mülheim too): that one gets a suggestion.
        names = {municipality.name, _BRACKET.sub("", municipality.name)}
        if "/" in municipality.name:
            names.add(municipality.name.split("/")[0])
        for key in set().union(*(municipality_keys(name) for name in names)):
            if key in index and index[key] is not municipality:
                shared.add(key)
            index[key] = municipality
    return {key: m for key, m in index.items() if key not in shared}


def find_municipality(text: str) -> Municipality | None:
    """The municipality for any spelling of its name: "KOELN", "Mülheim" in NFD,
    "Stadt Kleve", "Halle" (for "Halle (Westf.)"), "Hansestadt Herford". None for
    districts and unknown names, and for a namesake elsewhere ("Halle (Saale)")."""
    index = _index()
    for key in municipality_keys(text):
        if key in index:
            return index[key]
    return None


def namesake_elsewhere(text: str) -> Municipality | None:
    """The NRW municipality whose name ``text`` carries with another river or region
    ("Halle (Saale)", "Borken (Hessen)", "Hamm/Sieg"): a place outside NRW, or a typo
    in the qualifier. None when ``text`` is a municipality or names none."""
    if find_municipality(text) is not None:
        return None
    base, qualifier = split_qualifier(text)
    if qualifier is None:
        return None
    return find_municipality(base)


def outside_nrw_message(text: str, namesake: Municipality) -> str:
    where = "kreisfreie Stadt" if namesake.kreisfrei else namesake.kreis
    return (
        f"„{text}“ ist keine Stadt oder Gemeinde in NRW. In NRW gibt es nur „{namesake.name}“ "
        f"({where}); ist sie gemeint, schreiben Sie „{namesake.name}“. Die Website zeigt nur "
        "Orte in NRW: liegt der Ort außerhalb, lassen Sie das Feld weg und nennen Sie ihn in "
        "einem Text (bei Veranstaltungen unter „veranstaltungsort“)."
    )


def by_name(name: str) -> Municipality:
    """The municipality of an official name (KeyError otherwise)."""
    return _by_name()[name]


@functools.cache
def _by_name() -> dict[str, Municipality]:
    return {m.name: m for m in MUNICIPALITIES}


@functools.cache
def official_names() -> frozenset[str]:
    return frozenset(_by_name())


def municipalities_of(kreis: str) -> list[Municipality]:
    return [m for m in MUNICIPALITIES if m.kreis == kreis]


def kreis_key(kreis: str) -> str:
    """The five-digit key of a district (the first digits of its municipalities' keys)."""
    return municipalities_of(kreis)[0].ags[:5]


def closest(text: str, names: Iterable[str]) -> str | None:
    """The official name closest to a misspelt one ("Dortmnud" -> "Dortmund",
    "Frondenberg" -> "Fröndenberg/Ruhr", "Mülheim" -> "Mülheim an der Ruhr"), or None.
    Names are compared in both umlaut spellings and without river or region, so a
    short or umlaut-less spelling finds its town rather than a look-alike."""
    return _closest(text, tuple(names))


@functools.lru_cache(maxsize=4096)
def _closest(text: str, names: tuple[str, ...]) -> str | None:
    by_key: dict[str, str] = {}
    for name in names:
        for spelling in (name, split_qualifier(name)[0]):
            for key in nrw.name_keys(spelling):
                by_key.setdefault(key, name)
    best: tuple[float, str] | None = None
    for key in nrw.name_keys(text) | {nrw.fold(text)}:
        for found in difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.75):
            score = difflib.SequenceMatcher(None, key, found).ratio()
            if best is None or score > best[0]:
                best = (score, by_key[found])
    return best[1] if best else None


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


@functools.lru_cache(maxsize=8192)
def official_place(value: str) -> str:
    """A manager's ``kommune``: a municipality or a district, in any spelling, as its
    official name; otherwise a German message with the closest official name."""
    if nrw.is_district_name(value) and (district := nrw.find_district(value)):
        return district
    if (municipality := find_municipality(value)) is not None:
        return municipality.name
    if (namesake := namesake_elsewhere(value)) is not None:
        raise ValueError(outside_nrw_message(value, namesake))
    close = closest(value, place_names())
    hint = f" Meinten Sie „{close}“?" if close else ""
    raise ValueError(
        f"„{value}“ ist keine Stadt, keine Gemeinde und kein Kreis in NRW.{hint} Schreiben Sie "
        "den amtlichen Namen, z. B. „Kreuzau“, „Mülheim an der Ruhr“ oder „Kreis Düren“."
    )


@functools.lru_cache(maxsize=8192)
def event_place(value: str) -> str:
    """An event's ``ort``: a municipality or district in any spelling becomes its official
    name (so „Münster“, „MÜNSTER“ and „Muenster“ are one place everywhere); a namesake
    outside NRW is refused; any other place (an Ortsteil the geocoding chain knows)
    stays as written."""
    if nrw.is_district_name(value) and (district := nrw.find_district(value)):
        return district
    if (municipality := find_municipality(value)) is not None:
        return municipality.name
    if (namesake := namesake_elsewhere(value)) is not None:
        raise ValueError(outside_nrw_message(value, namesake))
    return " ".join(value.split())
