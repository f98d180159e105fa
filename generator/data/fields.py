"""The value types of the records: text, addresses, places, dates, ids, and the error a
cross-field check raises, each with its German message."""

from __future__ import annotations

import re
from typing import Annotated, Literal

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

Regierungsbezirk = Literal[nrw.REGIERUNGSBEZIRKE]  # the one list, in data/register.py
Reihe = Literal["Werkstattreihe", "Familienmanagertreffen", "Zertifikatskurs", "Fachkongress"]
SERIES: tuple[str, ...] = Reihe.__args__  # type: ignore[attr-defined]


class FieldProblem(ValueError):
    """A problem found across fields, reported at the one field an editor should change."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


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


def _check_text(value: str) -> str:
    if not value.strip():
        raise ValueError(
            "darf nicht leer sein. Tragen Sie einen Text ein oder löschen Sie die Zeile."
        )
    return value.strip()


Text = Annotated[str, AfterValidator(_check_text)]
District = Annotated[str, AfterValidator(gv.official_district)]
Place = Annotated[str, AfterValidator(_check_text), AfterValidator(gv.official_place)]
Email = Annotated[str, Field(json_schema_extra={"format": "email"}), AfterValidator(_check_email)]
Url = Annotated[
    str,
    Field(pattern=r"^https?://", json_schema_extra={"format": "uri"}),
    AfterValidator(_check_url),
]
Phone = Annotated[str, AfterValidator(_check_phone)]
Latitude = Annotated[
    float,
    Field(description="Geografische Breite (WGS 84), in NRW zwischen 50,32 und 52,53."),
]
Longitude = Annotated[
    float,
    Field(description="Geografische Länge (WGS 84), in NRW zwischen 5,86 und 9,46."),
]
