"""The value types of the records: text, addresses, places, dates, ids, and the error a
cross-field check raises, each with its German message."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import (
    AfterValidator,
    Field,
)

from generator.data import municipalities as gv
from generator.data import register as nrw
from generator.data.addresses import email_problem, url_problem

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)
PHONE_RE = re.compile(r"^\+?[0-9 ()/-]{5,30}$")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
TIME_RE = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
GERMAN_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")

#: The site's time zone: "today", event times and the calendar files are Berlin time.
TIME_ZONE = "Europe/Berlin"
BERLIN = ZoneInfo(TIME_ZONE)
MONTHS = (
    "Januar", "Februar", "März", "April", "Mai", "Juni",
    "Juli", "August", "September", "Oktober", "November", "Dezember",
)  # fmt: skip

Regierungsbezirk = Literal[nrw.REGIERUNGSBEZIRKE]  # the one list, in data/register.py
Reihe = Literal["Werkstattreihe", "Familienmanagertreffen", "Zertifikatskurs", "Fachkongress"]
SERIES: tuple[str, ...] = Reihe.__args__  # type: ignore[attr-defined]


class FieldProblem(ValueError):
    """A problem found across fields, reported at the one field an editor should change."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def german_date_problem(value: str) -> str | None:
    """A date written the German way ("31.02.2027"): the ISO spelling to write instead,
    always a day that exists (the month's last day when the day is past it; day and
    month swapped when only that makes a date)."""
    m = GERMAN_DATE_RE.match(value.strip())
    if m is None:
        return None
    day, month, year = (int(g) for g in m.groups())
    if not 1 <= month <= 12 and 1 <= day <= 12:
        day, month = month, day  # "02.31.2027": month and day the American way round
    if not 1 <= month <= 12:
        return (
            f"„{value}“ ist kein Datum (einen Monat {month} gibt es nicht). Schreiben Sie "
            "JJJJ-MM-TT, z. B. „2010-11-10“ für den 10. November 2010."
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        last = dt.date(year, month, days).isoformat()
        return (
            f"„{value}“: diesen Tag gibt es nicht, der {MONTHS[month - 1]} {year} hat {days} "
            f"Tage. Prüfen Sie den Tag und schreiben Sie das Datum als JJJJ-MM-TT, z. B. "
            f"„{last}“ für den letzten Tag des Monats."
        )
    return (
        f"Datum bitte im Format JJJJ-MM-TT schreiben: „{dt.date(year, month, day).isoformat()}“ "
        f"statt „{value}“."
    )


_YEARS = re.compile(r"(?<!\d)(\d{4})(?!\d)")


def zeitraum_problem(zeitraum: str, datum: str) -> str | None:
    """``zeitraum`` in words must name the time ``datum`` gives: the page shows the words,
    the calendar and the lists file the event under ``datum``. "Herbst 2009" with
    ``datum: 2008`` would stand in the 2008 archive saying 2009."""
    year, month = datum[:4], int(datum[5:7]) if len(datum) >= 7 else None
    years = set(_YEARS.findall(zeitraum))
    if years and year not in years:
        return (
            f"„{zeitraum}“ nennt {', '.join(sorted(years))}, „datum“ aber {year}. Prüfen Sie "
            "beide: die Seite zeigt den Text, Kalender und Listen ordnen nach „datum“."
        )
    named = [n for n, name in enumerate(MONTHS, 1) if re.search(rf"\b{name}\b", zeitraum, re.I)]
    if month is not None and named and month not in named:
        return (
            f"„{zeitraum}“ nennt den {MONTHS[named[0] - 1]}, „datum“ aber den {MONTHS[month - 1]}. "
            "Prüfen Sie beide: die Seite zeigt den Text, Kalender und Listen ordnen nach „datum“."
        )
    return None


def nonexistent_local_time(field: str, day: dt.date, time: dt.time) -> str | None:
    """The message for a wall-clock time Berlin skips (the hour the clocks go forward in
    March), with the time that instant is called; None for every time that exists. The
    repeated hour in October exists twice and is taken as its first occurrence (summer
    time) by every output alike."""
    wall = dt.datetime.combine(day, time)
    back = wall.replace(tzinfo=BERLIN).astimezone(dt.UTC).astimezone(BERLIN)
    if back.replace(tzinfo=None) == wall:
        return None
    return (
        f"die Uhrzeit {time:%H:%M} gibt es am {day:%d.%m.%Y} nicht: in dieser Nacht werden "
        f"die Uhren in Deutschland von 02:00 auf 03:00 vorgestellt (Beginn der Sommerzeit). "
        f'Gemeint ist wohl „{field}: "{back:%H:%M}"“; prüfen Sie die Uhrzeit.'
    )


def _check_email(value: str) -> str:
    if problem := email_problem(value):
        raise ValueError(problem)
    return value


def _check_url(value: str) -> str:
    if problem := url_problem(value):  # WHATWG parsing, as the browser does
        raise ValueError(problem)
    return value


def _check_phone(value: str) -> str:
    if not PHONE_RE.match(value):
        raise ValueError(
            "keine gültige Telefonnummer. Erlaubt sind Ziffern, Leerzeichen, „+“, „/“, „-“ "
            "und Klammern, z. B. „02421 22-0“ oder „+49 2421 22-0“."
        )
    return value


#: Characters that change how the text around them is displayed without being seen:
#: the bidirectional controls ("Anmeldung \u202egro.elpmaxe" shows as "Anmeldung
#: example.org") and invisible characters that hide or split words. Zero-width joiner
#: and non-joiner (emoji sequences, other scripts) and the soft hyphen stay allowed.
INVISIBLE: dict[str, str] = {
    "\u061c": "Schreibrichtungszeichen",
    "\u200e": "Schreibrichtungszeichen",
    "\u200f": "Schreibrichtungszeichen",
    **{chr(c): "Schreibrichtungszeichen" for c in range(0x202A, 0x202F)},
    **{chr(c): "Schreibrichtungszeichen" for c in range(0x2066, 0x206A)},
    "\u200b": "Leerzeichen ohne Breite",
    "\u2060": "unsichtbarer Worttrenner",
    **{chr(c): "unsichtbares Formatzeichen" for c in range(0x2061, 0x2065)},
    **{chr(c): "unsichtbares Formatzeichen" for c in range(0x206A, 0x2070)},
    "\ufeff": "Leerzeichen ohne Breite (BOM)",
    "\u180e": "unsichtbares Formatzeichen",
    **{chr(c): "unsichtbares Formatzeichen" for c in range(0xFFF9, 0xFFFC)},
    **{chr(c): "Füllzeichen" for c in (0x115F, 0x1160, 0x3164, 0xFFA0)},
    **{chr(c): "unsichtbares Markierungszeichen" for c in range(0xE0000, 0xE0080)},
}
_INVISIBLE = re.compile("[" + "".join(re.escape(c) for c in INVISIBLE) + "]")


def _check_visible(value: str) -> str:
    """Refuse the characters of :data:`INVISIBLE`, naming the first and where it is."""
    if match := _INVISIBLE.search(value):
        char = match.group()
        raise ValueError(
            f"enthält an Stelle {match.start() + 1} ein unsichtbares Zeichen "
            f"(U+{ord(char):04X}, {INVISIBLE[char]}): es verändert, wie der Text angezeigt "
            "wird, ohne selbst sichtbar zu sein. Löschen Sie es, am einfachsten, indem Sie "
            "das Wort an dieser Stelle neu tippen."
        )
    return value


def _visible(char: str) -> bool:
    return unicodedata.category(char)[0] not in "CZ"  # not a control, format or space


def _check_text(value: str) -> str:
    if not any(map(_visible, value)):  # stops at the first visible character
        raise ValueError(
            "darf nicht leer sein. Tragen Sie einen Text ein oder löschen Sie die Zeile."
        )
    # One spelling for one text: a name typed on a Mac (NFD) equals the same name typed
    # elsewhere, in the filter, in feeds and in comparisons.
    return unicodedata.normalize("NFC", _check_visible(value).strip())


#: Longest text of each use (characters). A value longer than its use is a paste gone
#: wrong; a 1 MB title would be copied into every list, feed and page that names it.
NAME_LENGTH = 200  # a title, a name, an organiser, a building, an office
PLACE_LENGTH = 100  # a town, a district
NOTE_LENGTH = 500  # a target group, a price, access notes
PARAGRAPH_LENGTH = 2000  # the description
ADDRESS_LENGTH = 2000  # a web address
EMAIL_LENGTH = 254  # RFC 5321's longest forward path

Text = Annotated[str, AfterValidator(_check_text)]
District = Annotated[
    str,
    Field(max_length=PLACE_LENGTH),
    AfterValidator(_check_text),
    AfterValidator(gv.official_district),
]
Place = Annotated[
    str,
    Field(max_length=PLACE_LENGTH),
    AfterValidator(_check_text),
    AfterValidator(gv.official_place),
]
EventPlace = Annotated[
    str,
    Field(max_length=PLACE_LENGTH),
    AfterValidator(_check_text),
    AfterValidator(gv.event_place),
]
Email = Annotated[
    str,
    Field(max_length=EMAIL_LENGTH, json_schema_extra={"format": "email"}),
    AfterValidator(_check_visible),
    AfterValidator(_check_email),
]
Url = Annotated[
    str,
    Field(max_length=ADDRESS_LENGTH, pattern=r"^https?://", json_schema_extra={"format": "uri"}),
    AfterValidator(_check_visible),
    AfterValidator(_check_url),
]
Phone = Annotated[str, Field(max_length=40), AfterValidator(_check_phone)]
Latitude = Annotated[
    float,
    Field(description="Geografische Breite (WGS 84), in NRW zwischen 50,32 und 52,53."),
]
Longitude = Annotated[
    float,
    Field(description="Geografische Länge (WGS 84), in NRW zwischen 5,86 und 9,46."),
]
