"""The editing page's Decap CMS configuration, generated from the pydantic models.

The models are the one source of truth: the JSON Schemas in ``schema/`` and the forms
here come from the same fields, so a new field or a new constraint (a maximum length, a
range) reaches the form without anyone writing it twice. What the form shows:

- label: German, from :data:`LABELS` (else the field name); required fields end in
  „(Pflichtfeld)“; the help text under the field is the model's description;
- widget: a choice for literal values (``status``, ``reihe``, ``regierungsbezirk``) and
  for places the register knows (``kommune``: the 396 municipalities and 31 districts,
  searchable; ``kreis``: the 31 districts), date and time pickers for fields whose
  pattern is a day (JJJJ-MM-TT) or a time (SS:MM), a day picker next to the text of
  ``datum`` (which may also be JJJJ-MM or JJJJ), numbers with their range, a switch for
  true/false, a group for ``kontakt``;
- checks the browser can run: required fields, patterns, lengths and ranges. Rules
  across fields (a deadline after the event, a place the gazetteer does not know) stay
  with ``python -m generator check``, which CI runs on every change request.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from generator.data import municipalities as gv
from generator.data import register as nrw
from generator.data.canonical import PLAIN, RESERVED, field_layout, unwrap
from generator.data.models import Event, Manager
from generator.site.settings import EditingSettings

#: German labels where the field name alone would not do.
LABELS = {
    "id": "Kennung",
    "kommune": "Kommune",
    "kreis": "Kreis",
    "regierungsbezirk": "Regierungsbezirk",
    "kurs": "Zertifikatskurs (Nummer)",
    "jahr": "Jahr des Zertifikats",
    "dienststelle": "Dienststelle",
    "aktiv": "Aktiv",
    "kontakt": "Kontakt",
    "name": "Name",
    "email": "E-Mail",
    "telefon": "Telefon",
    "web": "Internetadresse",
    "adresse": "Adresse",
    "lat": "Breitengrad",
    "lon": "Längengrad",
    "titel": "Titel",
    "datum": "Datum",
    "zeitraum": "Zeitraum in Worten",
    "bis": "Bis (letzter Tag)",
    "beginn": "Beginn (Uhrzeit)",
    "ende": "Ende (Uhrzeit)",
    "ort": "Ort",
    "veranstaltungsort": "Veranstaltungsort",
    "veranstalter": "Veranstalter",
    "reihe": "Reihe",
    "beschreibung": "Beschreibung",
    "dokumentation": "Dokumentationsseite",
    "url": "Weiterführender Link",
    "status": "Status",
    "einordnung_monat": "Einordnung (Monat)",
    "zielgruppe": "Zielgruppe",
    "anmeldung": "Anmeldung (Internetadresse)",
    "anmeldeschluss": "Anmeldeschluss",
    "kosten": "Kosten",
    "barrierefreiheit": "Barrierefreiheit",
    "veranstalter_web": "Internetadresse des Veranstalters",
}
#: Text fields that get a box of several lines.
LONG_TEXT = frozenset({"beschreibung"})
REQUIRED_MARK = " (Pflichtfeld)"


def _accepts(pattern: str, *texts: str) -> bool:
    return all(re.search(pattern, text) for text in texts)


def _kind_of_pattern(pattern: str) -> str | None:
    r"""What a field's pattern describes, judged by what it accepts (so a stricter
    pattern in the model, such as ``^([01]\d|2[0-3]):[0-5]\d$``, keeps its picker):
    "day" (JJJJ-MM-TT), "time" (SS:MM) or "fuzzy-date" (JJJJ, JJJJ-MM or JJJJ-MM-TT)."""
    day, month, year, time = "2010-11-10", "2010-11", "2010", "10:00"
    if not pattern or re.search(pattern, "abc") or re.search(pattern, "2010-11-10x"):
        return None
    if _accepts(pattern, day, month, year) and not _accepts(pattern, time):
        return "fuzzy-date"
    if _accepts(pattern, day) and not re.search(pattern, month) and not re.search(pattern, time):
        return "day"
    if _accepts(pattern, time) and not re.search(pattern, "1000") and not re.search(pattern, day):
        return "time"
    return None


@dataclass(frozen=True)
class DataFile:
    """One data file the editing page edits: its path in the repository and its model."""

    name: str
    path: str
    model: type[BaseModel]
    label: str
    label_singular: str
    summary: str


def data_files(managers_path: str, events_path: str) -> tuple[DataFile, ...]:
    return (
        DataFile(
            "veranstaltungen",
            events_path,
            Event,
            "Veranstaltungen",
            "Veranstaltung",
            "{{fields.datum}} · {{fields.titel}}",
        ),
        DataFile(
            "familienmanager",
            managers_path,
            Manager,
            "Familienmanagerinnen und -manager",
            "Eintrag",
            "{{fields.kommune}} · {{fields.id}}",
        ),
    )


def _validators(annotation: Any, metadata: list) -> set:
    """The functions of the AfterValidators on a field, also inside ``X | None``."""
    found = {getattr(m, "func", None) for m in metadata}
    stack = [annotation]
    while stack:
        current = stack.pop()
        if typing.get_origin(current) is typing.Annotated:
            found |= {getattr(m, "func", None) for m in current.__metadata__}
        stack += list(typing.get_args(current))
    return found - {None}


@cache
def _model_schema(model: type[BaseModel]) -> dict:
    return model.model_json_schema()


def _schema_of(model: type[BaseModel], name: str) -> dict:
    """The JSON Schema of one field's value (as in ``schema/``: the field's own
    constraints included), ``null`` left out of ``X | None``."""
    schema = _model_schema(model)["properties"][name]
    options = [s for s in schema.get("anyOf", []) if s.get("type") != "null"]
    return {**schema, **options[0]} if len(options) == 1 else schema


def _place_options() -> list[dict]:
    """Every municipality with its Kreis (so two of one name stay apart) and every district."""
    options = []
    for municipality in sorted(gv.MUNICIPALITIES, key=lambda m: nrw.fold(m.name)):
        where = municipality.kreis or "kreisfreie Stadt"
        options.append({"label": f"{municipality.name} ({where})", "value": municipality.name})
    for district in sorted(nrw.DISTRICTS, key=nrw.fold):
        options.append({"label": f"{district} (ganzer Kreis)", "value": district})
    return options


def _length_rule(schema: Mapping) -> tuple[str, str] | None:
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is None and high is None:
        return None
    bounds = f"{low or 0},{'' if high is None else high}"
    if high is not None and low:
        message = f"{low} bis {high} Zeichen"
    elif high is not None:
        message = f"höchstens {high} Zeichen"
    else:
        message = f"mindestens {low} Zeichen"
    return rf"(?=^[\s\S]{{{bounds}}}$)", message


def form_field(model: type[BaseModel], name: str) -> dict:
    """One model field as a Decap CMS field."""
    info = model.model_fields[name]
    schema = _schema_of(model, name)
    validators = _validators(info.annotation, info.metadata)
    required = info.is_required()
    label = LABELS.get(name, name.replace("_", " ").capitalize())
    field: dict[str, Any] = {
        "name": name,
        "label": label + (REQUIRED_MARK if required else ""),
        "required": required,
    }
    description = info.description or schema.get("description")
    if description:
        field["hint"] = description
    target = unwrap(info.annotation)
    if isinstance(target, type) and issubclass(target, BaseModel):
        field.update(
            widget="object",
            collapsed=True,
            fields=form_fields(target),
        )
        return field
    kind = schema.get("type")
    if gv.official_place in validators:
        field.update(widget="select", options=_place_options())
    elif gv.official_district in validators:
        field.update(widget="select", options=sorted(nrw.DISTRICTS, key=nrw.fold))
    elif "enum" in schema:
        field.update(widget="select", options=list(schema["enum"]))
    elif kind == "boolean":
        field.update(widget="boolean")
        if info.default is not None:
            field["default"] = info.default
    elif kind in ("integer", "number"):
        field.update(widget="number", value_type="int" if kind == "integer" else "float")
        field["step"] = 1 if kind == "integer" else 0.0001
        for key, option in (("minimum", "min"), ("maximum", "max")):
            if key in schema:
                field[option] = schema[key]
    elif _kind_of_pattern(schema.get("pattern", "")) == "day":
        field.update(
            widget="datetime",
            format="YYYY-MM-DD",
            date_format="DD.MM.YYYY",
            time_format=False,
            default="",
        )
    elif _kind_of_pattern(schema.get("pattern", "")) == "time":
        field.update(
            widget="datetime", format="HH:mm", date_format=False, time_format="HH:mm", default=""
        )
    elif _kind_of_pattern(schema.get("pattern", "")) == "fuzzy-date":
        field.update(widget="fm-datum")
    else:
        field["widget"] = "text" if name in LONG_TEXT else "string"
    if field["widget"] in ("string", "text", "fm-datum"):
        pattern, messages = "", []
        if rule := _length_rule(schema):
            pattern, messages = rule[0], [rule[1]]
        if "pattern" in schema:
            pattern += schema["pattern"]
            messages.append("die Form, die der Hilfetext unter dem Feld beschreibt")
        elif schema.get("format") == "email":
            pattern += r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
            messages.append("eine E-Mail-Adresse wie name@beispiel.de")
        if pattern:
            field["pattern"] = [pattern, "Bitte eintragen: " + "; ".join(messages) + "."]
    return field


def form_fields(model: type[BaseModel]) -> list[dict]:
    """The model's fields in the order of the canonical format (``id`` first)."""
    return [form_field(model, f.name) for f in field_layout(model)]


def format_rules(model: type[BaseModel]) -> dict:
    """What the page's writer (format.js) needs to write as ``python -m generator format``."""
    return {
        "plain": PLAIN,
        "reserved": list(RESERVED),
        "layout": [f.as_json() for f in field_layout(model)],
    }


def backend_config(backend: EditingSettings) -> dict:
    messages = {
        "create": "{{collection}}: „{{slug}}“ angelegt",
        "update": "{{collection}}: „{{slug}}“ geändert (Redaktionsseite)",
        "delete": "{{collection}}: „{{slug}}“ gelöscht",
        "uploadMedia": "Datei „{{path}}“ hochgeladen",
        "deleteMedia": "Datei „{{path}}“ gelöscht",
        "openAuthoring": "{{message}}",
    }
    config: dict[str, Any] = {
        "name": backend.backend,
        "repo": backend.repo or "nicht-eingerichtet/nicht-eingerichtet",
        "branch": backend.branch,
        "commit_messages": messages,
        "squash_merges": True,
        "cms_label_prefix": "redaktion/",
    }
    if backend.backend == "github" and backend.auth_url:
        config["base_url"] = backend.auth_url
    if backend.backend == "gitlab":
        base = backend.gitlab_url.rstrip("/")
        config.update(
            auth_type="pkce",
            app_id=backend.app_id,
            base_url=base,
            api_root=f"{base}/api/v4",
            auth_endpoint="oauth/authorize",
        )
    return config


def cms_config(backend: EditingSettings, files: tuple[DataFile, ...], site_url: str = "") -> dict:
    """The whole configuration handed to ``CMS.init`` (no config.yml is fetched)."""
    config: dict[str, Any] = {
        "load_config_file": False,
        "locale": "de",
        "backend": backend_config(backend),
        # A branch and a pull/merge request per change: CI's check and preview build run
        # before anything is published.
        "publish_mode": "editorial_workflow",
        # Required by Decap; the forms have no file uploads. A file uploaded under
        # "Medien" anyway lands outside content/, so it is never published by mistake.
        "media_folder": "redaktion-medien",
        "public_folder": "/redaktion-medien",
        "show_preview_links": False,
        "editor": {"preview": False},
        "collections": [collection(data_file) for data_file in files],
    }
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url
    if backend.local_url:
        config["local_backend"] = {
            "url": backend.local_url,
            "allowed_hosts": ["127.0.0.1", "localhost"],
        }
    return config


def format_name(data_file: DataFile) -> str:
    """The custom format the page registers for this file (format.js, redaktion.js)."""
    return f"fm-{data_file.name}"


def collection(data_file: DataFile) -> dict:
    """One data file as a collection of one file: a list of entries under ``eintraege``.

    Decap CMS cannot edit a file whose top level is a list (decap-cms issue #531); the
    page's own format (:func:`format_name`) reads the list into ``eintraege`` and the
    comment at the top into the hidden ``kopf``, and writes both back in the canonical
    format. One collection per file, since a format belongs to a collection and the two
    files have different fields."""
    return {
        "name": data_file.name,
        "label": data_file.label,
        "description": "Felder mit dem Zusatz „(Pflichtfeld)“ müssen ausgefüllt sein. "
        "Gespeichert wird als Änderungsvorschlag; veröffentlicht wird erst nach der Prüfung.",
        "format": format_name(data_file),
        "extension": "yaml",
        "editor": {"preview": False},
        "files": [
            {
                "name": data_file.name,
                "label": data_file.label,
                "file": data_file.path,
                "fields": [
                    {"name": "kopf", "label": "Kopfkommentar", "widget": "hidden"},
                    {
                        "name": "eintraege",
                        "label": data_file.label,
                        "label_singular": data_file.label_singular,
                        "widget": "list",
                        "collapsed": True,
                        "summary": data_file.summary,
                        "fields": form_fields(data_file.model),
                    },
                ],
            }
        ],
    }
