"""Pydantic's validation errors as German instructions for editors."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import get_args, get_origin

from pydantic import BaseModel


def model_at(model: type[BaseModel], loc: Sequence[int | str]) -> type[BaseModel]:
    """The (nested) model a pydantic error location points into."""
    for part in loc[:-1]:
        field = model.model_fields.get(str(part)) if isinstance(part, str) else None
        if field is None:
            break
        annotation = field.annotation
        candidates = [annotation, *get_args(annotation)] if get_origin(annotation) else [annotation]
        nested = [c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)]
        if not nested:
            break
        model = nested[0]
    return model


def _choices(error: dict) -> list[str]:
    expected = error.get("ctx", {}).get("expected", "")
    return [
        part.strip().strip("'") for part in expected.replace(" or ", ",").split(",") if part.strip()
    ]


#: Longer values get no suggestion: difflib indexes every character of what it compares.
_LONGEST_COMPARED = 100


def _close(word: str, choices: list[str], cutoff: float) -> list[str]:
    if len(word) > _LONGEST_COMPARED:
        return []
    return difflib.get_close_matches(word, choices, n=1, cutoff=cutoff)


def _number(value: int) -> str:
    """1.000.000, as German writes it."""
    return f"{value:_}".replace("_", ".")


#: An example value of each number field, for the messages.
_EXAMPLES = {"kurs": 4, "jahr": 2008, "einordnung_monat": 8}


def german_message(error: dict, model: type[BaseModel]) -> str:
    """Translate one pydantic error into a German instruction."""
    kind, value = error["type"], error.get("input")
    field = str(error["loc"][-1]) if error["loc"] else ""
    if kind == "missing":
        return f"Pflichtfeld fehlt. Ergänzen Sie im Eintrag die Zeile „{field}: …“."
    if kind == "extra_forbidden":
        known = list(model.model_fields)
        close = _close(field, known, 0.6)
        if close:
            return f"unbekanntes Feld. Meinten Sie „{close[0]}“?"
        return "unbekanntes Feld. Erlaubt sind: " + ", ".join(known) + "."
    if kind == "literal_error":
        choices = _choices(error)
        close = _close(str(value), choices, 0.5)
        hint = f" Meinten Sie „{close[0]}“?" if close else ""
        return f"„{value}“ ist nicht erlaubt.{hint} Möglich sind: " + ", ".join(choices) + "."
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("string_type", "string_sub_type"):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (
                f"Text erwartet, aber YAML hat eine Zahl gelesen. Setzen Sie den Wert in "
                f'Anführungszeichen, z. B. {field}: "…" (führende Nullen gehen sonst verloren).'
            )
        if isinstance(value, (dict, list)):
            return "Text erwartet, aber hier steht eine Liste oder ein Unterabschnitt. Prüfen Sie die Einrückung."
        if value is None:
            return "der Wert fehlt. Tragen Sie nach dem Doppelpunkt einen Text ein oder löschen Sie die Zeile."
        return "Text erwartet."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        example = f"{field}: {_EXAMPLES.get(field, 2009)}"
        if isinstance(value, bool):
            return (
                f"ganze Zahl erwartet, aber YAML hat einen Ja/Nein-Wert gelesen (true, false, "
                f"yes, no, on, off). Schreiben Sie die Zahl, z. B. {example}."
            )
        if isinstance(value, str) and value.strip().isdigit():
            return f"ganze Zahl ohne Anführungszeichen erwartet, z. B. {example} (nicht „{value}“)."
        return f"ganze Zahl erwartet, z. B. {example} (nicht „{value}“)."
    if kind in ("float_type", "float_parsing"):
        if isinstance(value, str) and value.strip().replace(".", "", 1).lstrip("-").isdigit():
            return (
                f"Zahl mit Dezimalpunkt ohne Anführungszeichen erwartet, z. B. {field}: 51.8 "
                f"(nicht „{value}“)."
            )
        return f"Zahl mit Dezimalpunkt erwartet, z. B. {field}: 51.8 (nicht „{value}“)."
    if kind in ("bool_type", "bool_parsing"):
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return f"true oder false ohne Anführungszeichen erwartet (nicht „{value}“)."
        return f"true oder false erwartet (nicht „{value}“)."
    if kind == "string_too_long" or (kind == "too_long" and isinstance(value, str)):
        limit = error.get("ctx", {}).get("max_length")
        length = len(value) if isinstance(value, str) else 0
        return (
            f"der Text ist {_number(length)} Zeichen lang, höchstens {_number(limit or 0)} "
            "passen hierher. Kürzen Sie ihn; längere Texte gehören auf eine eigene Seite in "
            "content/ (Feld „dokumentation“). Wurde versehentlich etwas anderes hineinkopiert?"
        )
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        limits = error.get("ctx", {})
        bound = ", ".join(f"{k} {v}" for k, v in limits.items())
        return f"„{value}“ liegt außerhalb des erlaubten Bereichs ({bound.replace('ge', 'mindestens').replace('le', 'höchstens')})."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "hier wird ein Abschnitt mit eingerückten Feldern erwartet (Feldname: Wert)."
    if kind == "string_pattern_mismatch":
        if field == "id":
            return (
                f"„{value}“ ist keine gültige Kennung. Verwenden Sie nur Kleinbuchstaben, Ziffern "
                "und Bindestriche, ohne Umlaute (ue statt ü), z. B. „kreis-dueren-1“."
            )
        if field in ("beginn", "ende"):
            return f"„{value}“ ist keine Uhrzeit. Schreiben Sie SS:MM, z. B. „10:00“."
        if field == "dokumentation":
            return f"„{value}“ ist kein Pfad zu einer Seite. Schreiben Sie z. B. „werkstattreihe/2010-11-bochum-marketing.md“."
        if field == "url" or field == "web":
            return "keine gültige Internetadresse. Schreiben Sie sie vollständig mit „https://“."
        return f"„{value}“ hat nicht das erwartete Format."
    return f"ungültiger Wert „{value}“ ({error.get('msg', kind)})."
