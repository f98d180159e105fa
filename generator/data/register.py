"""Administrative facts about North Rhine-Westphalia used for validation and geocoding."""

from __future__ import annotations

import functools
import re
import unicodedata

#: Latitude/longitude bounding box of NRW; a point outside it is wrong data.
LAT_MIN, LAT_MAX = 50.32, 52.53
LON_MIN, LON_MAX = 5.86, 9.46

REGIERUNGSBEZIRKE = ("Arnsberg", "Detmold", "Düsseldorf", "Köln", "Münster")

#: The 31 districts (30 Kreise and the Städteregion Aachen): official name -> (seat, Regierungsbezirk).
DISTRICTS: dict[str, tuple[str, str]] = {
    "Kreis Kleve": ("Kleve", "Düsseldorf"),
    "Kreis Mettmann": ("Mettmann", "Düsseldorf"),
    "Rhein-Kreis Neuss": ("Neuss", "Düsseldorf"),
    "Kreis Viersen": ("Viersen", "Düsseldorf"),
    "Kreis Wesel": ("Wesel", "Düsseldorf"),
    "Städteregion Aachen": ("Aachen", "Köln"),
    "Kreis Düren": ("Düren", "Köln"),
    "Rhein-Erft-Kreis": ("Bergheim", "Köln"),
    "Kreis Euskirchen": ("Euskirchen", "Köln"),
    "Kreis Heinsberg": ("Heinsberg", "Köln"),
    "Oberbergischer Kreis": ("Gummersbach", "Köln"),
    "Rheinisch-Bergischer Kreis": ("Bergisch Gladbach", "Köln"),
    "Rhein-Sieg-Kreis": ("Siegburg", "Köln"),
    "Kreis Borken": ("Borken", "Münster"),
    "Kreis Coesfeld": ("Coesfeld", "Münster"),
    "Kreis Recklinghausen": ("Recklinghausen", "Münster"),
    "Kreis Steinfurt": ("Steinfurt", "Münster"),
    "Kreis Warendorf": ("Warendorf", "Münster"),
    "Kreis Gütersloh": ("Gütersloh", "Detmold"),
    "Kreis Herford": ("Herford", "Detmold"),
    "Kreis Höxter": ("Höxter", "Detmold"),
    "Kreis Lippe": ("Detmold", "Detmold"),
    "Kreis Minden-Lübbecke": ("Minden", "Detmold"),
    "Kreis Paderborn": ("Paderborn", "Detmold"),
    "Ennepe-Ruhr-Kreis": ("Schwelm", "Arnsberg"),
    "Hochsauerlandkreis": ("Meschede", "Arnsberg"),
    "Märkischer Kreis": ("Lüdenscheid", "Arnsberg"),
    "Kreis Olpe": ("Olpe", "Arnsberg"),
    "Kreis Siegen-Wittgenstein": ("Siegen", "Arnsberg"),
    "Kreis Soest": ("Soest", "Arnsberg"),
    "Kreis Unna": ("Unna", "Arnsberg"),
}

#: The 22 kreisfreie Städte -> Regierungsbezirk.
KREISFREIE_STAEDTE: dict[str, str] = {
    "Düsseldorf": "Düsseldorf",
    "Duisburg": "Düsseldorf",
    "Essen": "Düsseldorf",
    "Krefeld": "Düsseldorf",
    "Mönchengladbach": "Düsseldorf",
    "Mülheim an der Ruhr": "Düsseldorf",
    "Oberhausen": "Düsseldorf",
    "Remscheid": "Düsseldorf",
    "Solingen": "Düsseldorf",
    "Wuppertal": "Düsseldorf",
    "Bonn": "Köln",
    "Köln": "Köln",
    "Leverkusen": "Köln",
    "Bottrop": "Münster",
    "Gelsenkirchen": "Münster",
    "Münster": "Münster",
    "Bielefeld": "Detmold",
    "Bochum": "Arnsberg",
    "Dortmund": "Arnsberg",
    "Hagen": "Arnsberg",
    "Hamm": "Arnsberg",
    "Herne": "Arnsberg",
}

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PREFIX = re.compile(r"^(stadt|gemeinde|kreisfreie stadt|kreis|landkreis)\s+")


# Cached: a large file names the same few hundred places thousands of times, and the
# duplicate check folds every event's title on every preview save (10,000 titles did
# not fit in 8,192 entries: every call missed).
@functools.lru_cache(maxsize=2**16)
def fold(name: str) -> str:
    """A comparison key: lower case, umlauts spelled out, accents and punctuation dropped.

    "Kreis Düren", "kreis dueren" and "Kreis  Duren" give different keys only in the
    umlaut spelling; use :func:`name_keys` to match both spellings.
    """
    text = unicodedata.normalize("NFC", name).strip().lower().translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def strip_prefix(folded: str) -> str:
    """Drop a leading "Stadt"/"Gemeinde"/"Kreis" from a folded name."""
    return _PREFIX.sub("", folded)


@functools.lru_cache(maxsize=8192)
def name_keys(name: str) -> frozenset[str]:
    """All keys a name may be matched under: with umlauts spelled out (ae) or dropped (a),
    with and without an administrative prefix."""
    nfc = unicodedata.normalize("NFC", name)
    spelled = fold(nfc)
    lower = nfc.lower().replace("ß", "ss")  # no one writes "Schlo" for "Schloß"
    dropped = fold(unicodedata.normalize("NFKD", lower).encode("ascii", "ignore").decode())
    keys = {spelled, dropped}
    return frozenset(keys | {strip_prefix(k) for k in keys})


def _district_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for official in DISTRICTS:
        for key in name_keys(official):
            index.setdefault(key, official)
    # Common alternative spellings and short forms.
    for alias, official in {
        "staedteregion aachen": "Städteregion Aachen",
        "kreis aachen": "Städteregion Aachen",
        "kreis neuss": "Rhein-Kreis Neuss",
        "rhein kreis neuss": "Rhein-Kreis Neuss",
        "ennepe ruhr": "Ennepe-Ruhr-Kreis",
        "rhein erft": "Rhein-Erft-Kreis",
        "rhein sieg": "Rhein-Sieg-Kreis",
        "maerkischer kreis": "Märkischer Kreis",
        "hochsauerland": "Hochsauerlandkreis",
        "oberbergischer kreis": "Oberbergischer Kreis",
        "rheinisch bergischer kreis": "Rheinisch-Bergischer Kreis",
    }.items():
        index.setdefault(alias, official)
    return index


_DISTRICT_INDEX = _district_index()


def find_district(name: str) -> str | None:
    """The official district name for any spelling of it ("Kreis Dueren", "Düren" …), or None.

    A bare town name such as "Düren" matches its district only because the prefix is
    dropped; callers that must tell town and district apart check the prefix themselves.
    """
    for key in name_keys(name):
        if key in _DISTRICT_INDEX:
            return _DISTRICT_INDEX[key]
    return None


def find_kreisfreie_stadt(name: str) -> str | None:
    """The official name of a kreisfreie Stadt for any spelling of it, or None."""
    wanted = name_keys(name)
    for city in KREISFREIE_STAEDTE:
        if wanted & name_keys(city):
            return city
    return None


def is_district_name(name: str) -> bool:
    """True when the text names a district as such (with "Kreis", "-kreis" or "Städteregion")."""
    folded = fold(name)
    return "kreis" in folded or "staedteregion" in folded or "stadteregion" in folded


def in_nrw(lat: float, lon: float) -> bool:
    return LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX
