"""EDITING.md shows editors what the check says: every example message in it must be
what the check says today for the mistake it stands for (issue 21: its „Merzenich“
example had not been true for a long time).

Each example line (``file:line: field: message`` in a code block) must be among the
messages the check gives for the mistakes below, word for word; an example that ends
in „…“ is a shortened one and must begin a message. Line numbers are the guide's own.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import ROOT

from generator.data.problems import DataError
from generator.geo.resolver import checked_data

TODAY = dt.date(2026, 11, 22)  # the day of TEST_EPOCH, as in the guide's status example

MANAGERS = """\
- id: merzenich-1
  kommune: Merzenich
  kreis: Kreis Euskirchen
- id: muelheim-1
  kommune: Mülheim
- id: kurs-1
  kommune: Essen
  kurs: yes
- id: telefon-1
  kommune: Essen
  kontakt:
    telefon: 02421220
- id: doppelt-1
  kommune: Essen
  kontakt:
    name: A
  kontakt:
    name: B
- id: koeln-1
  kommune: Köln
  regierungsbezirk: Koeln
"""
EVENT = """\
- id: {id}
  titel: {titel}
  datum: {datum}
  veranstalter: IQZ
  reihe: Werkstattreihe
  beschreibung: Ein Treffen.
"""
EVENTS = "".join(
    [
        EVENT.format(id="a", titel="A", datum="2010-02-30"),
        EVENT.format(id="b", titel="B", datum="2010-11-10") + "  ort: Bielefled\n",
        EVENT.format(id="c", titel="C", datum="2010-11-10") + "  beginn: 10\n",
        EVENT.format(id="d", titel="D", datum="2027-03-28") + '  beginn: "02:30"\n',
        EVENT.format(id="e", titel="E", datum="2010-11-10") + '  ort: "Halle (Saale)"\n',
        EVENT.format(id="f", titel="F", datum="2027-05-03") + "  status: stattgefunden\n",
        EVENT.format(id="g", titel='"Anmeldung \\u202egro.elpmaxe"', datum="2010-11-10"),
        EVENT.format(id="h", titel="H", datum="2026-12-03") + "  anmeldeschluss: 2026-12-10\n",
    ]
)
TAB = "- id: tab-1\n\tkommune: Essen\n"


def messages(tmp_path: Path, managers: str, events: str) -> set[str]:
    """Every message of the check, as "file: field: message" (without the line)."""
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "managers.yaml").write_text(managers, encoding="utf-8")
    (tmp_path / "events.yaml").write_text(events, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        checked_data(
            tmp_path / "managers.yaml",
            tmp_path / "events.yaml",
            tmp_path / "content",
            tmp_path / "geocache.yaml",
            today=TODAY,
        )
    return {_lines_out(f"{p.file}: {p.field}: {p.message}") for p in caught.value.found}


def _lines_out(message: str) -> str:
    """Line numbers inside a message ("zuerst in Zeile 32") are the guide's own too."""
    return re.sub(r"Zeile \d+", "Zeile N", message)


_EXAMPLE = re.compile(r"^((?:managers|events)\.yaml):\d+: (.+)$")


def guide_examples() -> list[str]:
    text = (ROOT / "EDITING.md").read_text(encoding="utf-8")
    found, in_code = [], False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif in_code and (match := _EXAMPLE.match(line)):
            found.append(_lines_out(f"{match.group(1)}: {match.group(2)}"))
    return found


def test_the_guide_has_examples():
    assert len(guide_examples()) >= 12


def test_every_example_in_the_guide_is_what_the_check_says(tmp_path):
    said = messages(tmp_path, MANAGERS, EVENTS) | messages(tmp_path, TAB, "[]\n")
    for example in guide_examples():
        if example.endswith("…"):
            assert any(m.startswith(example[:-1].rstrip()) for m in said), example
        else:
            assert example in said, (example, sorted(said))
