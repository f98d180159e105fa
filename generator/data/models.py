"""Typed records for the editors' data files.

These pydantic models are the one source of truth for the data format: the loader
validates with them and the JSON Schemas in ``schema/`` are generated from them.
Field descriptions are German because editors see them as IDE tooltips.
"""

from __future__ import annotations

import calendar
import datetime as dt
from functools import cached_property
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from generator.data import municipalities as gv
from generator.data import register as nrw
from generator.data.fields import (
    DATE_RE,
    ID_PATTERN,
    MONTHS,
    NAME_LENGTH,
    NOTE_LENGTH,
    PARAGRAPH_LENGTH,
    PLACE_LENGTH,
    TIME_RE,
    District,
    Email,
    EventPlace,
    FieldProblem,
    Latitude,
    Longitude,
    Phone,
    Place,
    Regierungsbezirk,
    Reihe,
    Text,
    Url,
    german_date_problem,
    nonexistent_local_time,
    zeitraum_problem,
)


class Record(BaseModel):
    """Shared settings: immutable, unknown keys are errors. Hashed as pydantic hashes a
    frozen model (the tuple of its fields' values), but once per record: the preview's
    build cache hashes the same 10,000 events in its keys on every save."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=False)

    def __hash__(self) -> int:
        values = self.__dict__  # where cached_property keeps its values too
        hashed = values.get("record_hash")
        if hashed is None:
            fields = type(self).__pydantic_fields__
            hashed = values["record_hash"] = hash(tuple(values[name] for name in fields))
        return hashed

    def __getstate__(self) -> dict[str, Any]:
        """Without the hash: a string's hash differs from process to process."""
        state = super().__getstate__()
        state["__dict__"] = {k: v for k, v in state["__dict__"].items() if k != "record_hash"}
        return state


class Contact(Record):
    """Kontaktdaten (alle Angaben freiwillig)."""

    name: Text | None = Field(None, max_length=NAME_LENGTH, description="Name der Ansprechperson.")
    email: Email | None = Field(
        None, description="E-Mail-Adresse, z. B. familienbuero@beispielstadt.de"
    )
    telefon: Phone | None = Field(None, description="Telefonnummer, z. B. „02421 22-0“.")
    web: Url | None = Field(None, description="Internetadresse mit https://")


class Located(Record):
    """Optional fields that pin a place on the map."""

    adresse: Text | None = Field(
        None,
        max_length=NAME_LENGTH,
        description="Straße und Hausnummer, falls der Ort genauer als die Gemeinde sein soll.",
    )
    lat: Latitude | None = Field(None, strict=True)
    lon: Longitude | None = Field(None, strict=True)

    @model_validator(mode="after")
    def _coordinates_in_nrw(self):
        if (self.lat is None) != (self.lon is None):
            raise FieldProblem(
                "lat" if self.lat is None else "lon",
                "lat und lon gehören zusammen: tragen Sie beide Koordinaten ein oder keine.",
            )
        if self.lat is not None and not nrw.in_nrw(self.lat, self.lon):
            raise FieldProblem(
                "lat",
                f"die Koordinaten ({self.lat}, {self.lon}) liegen außerhalb von NRW "
                f"(Breite {nrw.LAT_MIN}–{nrw.LAT_MAX}, Länge {nrw.LON_MIN}–{nrw.LON_MAX}). "
                "Prüfen Sie, ob lat und lon vertauscht sind, oder löschen Sie beide Zeilen.",
            )
        return self


class Manager(Located):
    """Eine zertifizierte Familienmanagerin oder ein zertifizierter Familienmanager."""

    id: str = Field(
        pattern=ID_PATTERN,
        description="Eindeutige Kennung aus Kleinbuchstaben, Ziffern und Bindestrichen, z. B. „kreis-dueren-1“.",
    )
    kommune: Place = Field(
        description="Stadt, Gemeinde oder Kreis in NRW, in dem die Person tätig ist, z. B. „Herzogenrath“ "
        "oder „Kreis Düren“. Jede Schreibweise wird erkannt und unter dem amtlichen Namen gespeichert."
    )
    kreis: District | None = Field(
        None,
        description="Kreis der Gemeinde (z. B. „Kreis Düren“, „Städteregion Aachen“). Freiwillig: er ergibt "
        "sich aus der Gemeinde; steht er da, muss er stimmen. Bei kreisfreien Städten weglassen.",
    )
    regierungsbezirk: Regierungsbezirk | None = Field(
        None,
        description="Regierungsbezirk. Freiwillig: er ergibt sich aus Kreis oder Stadt; steht er da, muss er stimmen.",
    )
    kurs: int | None = Field(
        None,
        strict=True,
        ge=1,
        le=99,
        description="Nummer des Zertifikatskurses „Kommunales Management für Familien“, z. B. 4. "
        "Nur eintragen, wenn sie bekannt ist.",
    )
    jahr: int | None = Field(
        None,
        strict=True,
        ge=2005,
        le=2100,
        description="Jahr des Zertifikats, z. B. 2008. Nur eintragen, wenn es bekannt ist.",
    )
    dienststelle: Text | None = Field(
        None,
        max_length=NAME_LENGTH,
        description="Amt oder Stelle, z. B. „Jugendamt, Familienbüro“. Nur eintragen, wenn bekannt.",
    )
    aktiv: bool = Field(
        True,
        strict=True,
        description="false, wenn die Person nicht mehr in dieser Funktion tätig ist.",
    )
    kontakt: Contact | None = Field(None, description="Kontaktdaten (freiwillig).")

    @model_validator(mode="after")
    def _consistent_region(self):
        """Kreis and Regierungsbezirk follow from the place; where given, they must fit."""
        if self.kommune in nrw.DISTRICTS:
            own_kreis, expected = self.kommune, nrw.DISTRICTS[self.kommune][1]
            if self.kreis not in (None, own_kreis):
                raise FieldProblem(
                    "kreis",
                    f"„{self.kommune}“ ist selbst ein Kreis. Löschen Sie die Zeile „kreis“ "
                    f"oder schreiben Sie „kreis: {own_kreis}“.",
                )
        else:
            municipality = gv.by_name(self.kommune)
            own_kreis, expected = municipality.kreis, municipality.regierungsbezirk
            if municipality.kreisfrei and self.kreis is not None:
                raise FieldProblem(
                    "kreis",
                    f"{self.kommune} ist eine kreisfreie Stadt und gehört zu keinem Kreis. "
                    f"Löschen Sie die Zeile „kreis: {self.kreis}“.",
                )
            if self.kreis not in (None, own_kreis):
                raise FieldProblem(
                    "kreis",
                    f"{self.kommune} gehört zu „{own_kreis}“, nicht zu „{self.kreis}“. Schreiben "
                    f"Sie „kreis: {own_kreis}“ oder löschen Sie die Zeile (der Kreis ergibt sich "
                    "aus der Gemeinde).",
                )
        if self.regierungsbezirk not in (None, expected):
            raise FieldProblem(
                "regierungsbezirk",
                f"{self.kommune} liegt im Regierungsbezirk {expected}, nicht in {self.regierungsbezirk}. "
                f"Schreiben Sie „regierungsbezirk: {expected}“ oder löschen Sie die Zeile.",
            )
        # Frozen model: the derived fields are filled in once, here.
        object.__setattr__(self, "kreis", own_kreis)
        object.__setattr__(self, "regierungsbezirk", expected)
        return self

    @property
    def place_key(self) -> tuple[str, str | None]:
        return (self.kommune, self.kreis)


class Event(Located):
    """Eine Veranstaltung des IQZ (Workshop, Treffen, Kurs, Kongress)."""

    id: str = Field(
        pattern=ID_PATTERN,
        description="Eindeutige Kennung, z. B. „2010-11-10-bochum-marketing“. Sie wird Teil der Internetadresse.",
    )
    titel: Text = Field(max_length=NAME_LENGTH, description="Titel der Veranstaltung.")
    datum: str = Field(
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="Datum als JJJJ-MM-TT; JJJJ-MM, wenn nur der Monat bekannt ist; JJJJ, wenn nur das Jahr bekannt ist.",
    )
    zeitraum: Text | None = Field(
        None,
        max_length=PLACE_LENGTH,
        description="Zeitangabe in Worten, wenn nur Monat oder Jahr bekannt sind, z. B. „Herbst 2008“ oder „Anfang 2009“.",
    )
    bis: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Letzter Tag bei mehrtägigen Veranstaltungen (JJJJ-MM-TT).",
    )
    beginn: str | None = Field(
        None, pattern=r"^\d{2}:\d{2}$", description="Beginn als SS:MM, z. B. „10:00“."
    )
    ende: str | None = Field(
        None, pattern=r"^\d{2}:\d{2}$", description="Ende als SS:MM, z. B. „16:00“."
    )
    ort: EventPlace | None = Field(
        None,
        description="Stadt oder Gemeinde, z. B. „Bochum“. Nur weglassen, wenn der Ort nicht bekannt ist "
        "(die Veranstaltung erscheint dann nicht auf Karten).",
    )
    kreis: District | None = Field(
        None, description="Kreis, nur nötig, wenn der Ortsname mehrdeutig ist."
    )
    veranstaltungsort: Text | None = Field(
        None,
        max_length=NAME_LENGTH,
        description="Gebäude oder Raum, z. B. „Veranstaltungszentrum der Ruhr-Universität Bochum“.",
    )
    veranstalter: Text = Field(
        max_length=NAME_LENGTH,
        description="Veranstalter, z. B. „IQZ im Auftrag des Familienministeriums NRW“.",
    )
    reihe: Reihe = Field(description="Veranstaltungsreihe.")
    beschreibung: Text = Field(
        max_length=PARAGRAPH_LENGTH, description="Kurze Beschreibung (ein bis drei Sätze)."
    )
    dokumentation: str | None = Field(
        None,
        max_length=NAME_LENGTH,
        pattern=r"^[A-Za-z0-9_./-]+\.md$",
        description="Dokumentationsseite in content/, z. B. „werkstattreihe/2010-11-bochum-marketing.md“.",
    )
    url: Url | None = Field(None, description="Weiterführender Link (mit https://).")
    status: Literal["angekündigt", "abgesagt", "verschoben", "stattgefunden"] | None = Field(
        None,
        description="Stand der Veranstaltung: „angekündigt“ (nur angekündigt, z. B. in einem Bericht), "
        "„abgesagt“, „verschoben“ oder „stattgefunden“. Ohne Angabe gilt eine vergangene "
        "Veranstaltung als stattgefunden.",
    )
    einordnung_monat: int | None = Field(
        None,
        strict=True,
        ge=1,
        le=12,
        description="Nur bei Jahresangaben (datum: JJJJ): vor welchem Monat die Veranstaltung in "
        "Listen steht, z. B. 8 für „2008 (vor August)“ oder 1 für „Anfang 2009“. Wird nicht angezeigt.",
    )
    # Practical details a municipal calendar shows (all optional).
    zielgruppe: Text | None = Field(
        None,
        max_length=NOTE_LENGTH,
        description="Für wen die Veranstaltung gedacht ist, z. B. „Familienmanagerinnen und "
        "-manager und Fachkräfte aus Jugendämtern“.",
    )
    anmeldung: Url | None = Field(
        None, description="Internetadresse der Anmeldung (mit https://), z. B. ein Anmeldeformular."
    )
    anmeldeschluss: str | None = Field(
        None,
        pattern=r"^\d{4}-\d{2}-\d{2}$",
        description="Letzter Tag der Anmeldung (JJJJ-MM-TT).",
    )
    kosten: Text | None = Field(
        None,
        max_length=NOTE_LENGTH,
        description="Teilnahmebeitrag, z. B. „kostenlos“ oder „45 € (mit Mittagessen)“. Beginnt der "
        "Text mit dem Betrag in Euro oder lautet er „kostenlos“, erfahren auch Suchmaschinen den Preis.",
    )
    kontakt: Contact | None = Field(
        None, description="Ansprechstelle für Fragen zur Veranstaltung (name, email, telefon, web)."
    )
    barrierefreiheit: Text | None = Field(
        None,
        max_length=NOTE_LENGTH,
        description="Zugänglichkeit des Veranstaltungsorts, z. B. „Stufenloser Zugang, Aufzug, "
        "rollstuhlgerechtes WC“.",
    )
    veranstalter_web: Url | None = Field(
        None,
        description="Internetadresse des Veranstalters (mit https://); Suchmaschinen nennen sie "
        "beim Veranstalter.",
    )

    @field_validator("datum", "bis", "anmeldeschluss", mode="before")
    @classmethod
    def _real_date(cls, value):
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return str(value)  # a bare year, read by YAML as a number
        if not isinstance(value, str):
            return value
        if problem := german_date_problem(value):
            raise ValueError(problem)
        m = DATE_RE.match(value)
        if not m:
            raise ValueError(
                f"„{value}“ ist kein Datum. Schreiben Sie JJJJ-MM-TT (z. B. 2010-11-10), "
                "JJJJ-MM, wenn nur der Monat bekannt ist (z. B. 2008-04), oder JJJJ für ein Jahr."
            )
        year, month, day = (int(g) if g else None for g in m.groups())
        if month is not None and not 1 <= month <= 12:
            raise ValueError(
                f"„{value}“: einen Monat {month} gibt es nicht. Prüfen Sie die Reihenfolge JJJJ-MM-TT."
            )
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError:
            days = calendar.monthrange(year, month)[1]
            raise ValueError(
                f"den Tag „{value}“ gibt es nicht im Kalender: der {MONTHS[month - 1]} {year} "
                f"hat {days} Tage. Prüfen Sie Tag und Monat."
            ) from None
        return value

    @field_validator("beginn", "ende", mode="before")
    @classmethod
    def _real_time(cls, value):
        if isinstance(value, int) and not isinstance(value, bool):
            raise ValueError('Uhrzeit bitte in Anführungszeichen schreiben, z. B. beginn: "10:00".')
        if isinstance(value, str) and not TIME_RE.match(value):
            raise ValueError(
                f"„{value}“ ist keine Uhrzeit. Schreiben Sie SS:MM, z. B. „10:00“ oder „16:30“."
            )
        return value

    @model_validator(mode="after")
    def _kreis_of_the_town(self):
        """A town of the register brings its Kreis (for the filter and the geocoding);
        a ``kreis`` written next to it must be that one."""
        municipality = gv.by_name(self.ort) if self.ort in gv.official_names() else None
        if municipality is None:
            return self
        if municipality.kreisfrei and self.kreis is not None:
            raise FieldProblem(
                "kreis",
                f"{self.ort} ist eine kreisfreie Stadt und gehört zu keinem Kreis. "
                f"Löschen Sie die Zeile „kreis: {self.kreis}“.",
            )
        if self.kreis not in (None, municipality.kreis):
            raise FieldProblem(
                "kreis",
                f"{self.ort} gehört zu „{municipality.kreis}“, nicht zu „{self.kreis}“. Schreiben "
                f"Sie „kreis: {municipality.kreis}“ oder löschen Sie die Zeile (der Kreis ergibt "
                "sich aus dem Ort).",
            )
        object.__setattr__(self, "kreis", municipality.kreis)
        return self

    @model_validator(mode="after")
    def _consistent_dates(self):
        if self.precision != "day" and (self.bis or self.beginn or self.ende):
            raise FieldProblem(
                "datum",
                "bei einer Monats- oder Jahresangabe (JJJJ-MM, JJJJ) sind bis, beginn und ende nicht "
                "möglich. Tragen Sie den genauen Tag ein oder löschen Sie diese Felder.",
            )
        if self.precision == "day" and self.zeitraum is not None:
            raise FieldProblem(
                "zeitraum",
                "„zeitraum“ ist nur bei ungenauen Daten (JJJJ-MM oder JJJJ) erlaubt. "
                "Bei einem genauen Datum löschen Sie die Zeile.",
            )
        if self.zeitraum is not None and (problem := zeitraum_problem(self.zeitraum, self.datum)):
            raise FieldProblem("zeitraum", problem)
        if self.bis is not None and self.end_date < self.start_date:
            raise FieldProblem(
                "bis",
                f"„bis“ ({self.bis}) liegt vor dem Beginn ({self.datum}). Prüfen Sie beide Daten.",
            )
        if self.bis is not None and self.end_date == self.start_date:
            raise FieldProblem(
                "bis",
                "„bis“ ist gleich „datum“: lassen Sie „bis“ bei eintägigen Veranstaltungen weg.",
            )
        if self.einordnung_monat is not None and not self.year_only:
            raise FieldProblem(
                "einordnung_monat",
                "„einordnung_monat“ ist nur bei einer Jahresangabe (datum: JJJJ) nötig. "
                "Bei einem Monat oder Tag löschen Sie die Zeile.",
            )
        if self.ende is not None and self.beginn is None:
            raise FieldProblem("ende", "„ende“ ohne „beginn“: tragen Sie auch die Anfangszeit ein.")
        if self.beginn and self.ende and self.bis is None and self.ende <= self.beginn:
            raise FieldProblem(
                "ende", f"„ende“ ({self.ende}) liegt nicht nach „beginn“ ({self.beginn})."
            )
        for field, day, time in (
            ("beginn", self.start_date, self.start_time),
            ("ende", self.end_date, self.end_time),
        ):
            if time is not None and (problem := nonexistent_local_time(field, day, time)):
                raise FieldProblem(field, problem)
        if self.anmeldeschluss is not None and self.anmeldeschluss > self.last_day.isoformat():
            raise FieldProblem(
                "anmeldeschluss",
                f"der Anmeldeschluss ({self.anmeldeschluss}) liegt nach dem letzten Tag der "
                f"Veranstaltung ({self.last_day.isoformat()}). Prüfen Sie beide Daten; "
                "der Anmeldeschluss liegt am oder vor dem Tag der Veranstaltung.",
            )
        return self

    @cached_property
    def precision(self) -> Literal["day", "month", "year"]:
        """How exactly the date is known: "April 2008" is month, "Herbst 2008" is year."""
        return {10: "day", 7: "month", 4: "year"}[len(self.datum)]

    @cached_property
    def month_only(self) -> bool:
        """True when the reports give only the month (e.g. "April 2008")."""
        return self.precision == "month"

    @cached_property
    def year_only(self) -> bool:
        """True when only the year is known; such events belong to no month grid."""
        return self.precision == "year"

    @cached_property
    def sort_key(self) -> tuple:
        """The one event order of every list, grid and feed: chronological; "April 2008"
        after the days of April; "Herbst 2008" (year only) after everything else in 2008,
        since its place within the year is not known, unless ``einordnung_monat`` places
        it before the events of that month ("2008 (vor August)")."""
        start = self.start_date
        month = (self.einordnung_monat or 13) if self.year_only else start.month
        day = {"day": start.day, "month": 32, "year": 0}[self.precision]
        return (start.year, month, day, self.beginn or "", self.titel, self.id)

    @cached_property
    def start_date(self) -> dt.date:
        """The first day, or the first of the month/year for imprecise dates."""
        return dt.date.fromisoformat((self.datum + "-01-01")[:10])

    @cached_property
    def end_date(self) -> dt.date:
        """Last day of the event (the month's first day for month-precision events)."""
        return dt.date.fromisoformat(self.bis) if self.bis else self.start_date

    @cached_property
    def last_day(self) -> dt.date:
        """The last day the event may fall on: its end, or the end of its month or year."""
        if self.year_only:
            return dt.date(self.start_date.year, 12, 31)
        if self.month_only:
            year, month = self.start_date.year, self.start_date.month
            return dt.date(year, month, calendar.monthrange(year, month)[1])
        return self.end_date

    @cached_property
    def start_time(self) -> dt.time | None:
        return dt.time.fromisoformat(self.beginn) if self.beginn else None

    @cached_property
    def end_time(self) -> dt.time | None:
        return dt.time.fromisoformat(self.ende) if self.ende else None

    @property
    def place_key(self) -> tuple[str, str | None] | None:
        """None when the reports name no place."""
        return (self.ort, self.kreis) if self.ort else None
