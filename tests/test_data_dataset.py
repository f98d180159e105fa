"""Editors' mistakes give one German message per problem, naming file, line and field."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.build_cache import BuildCache
from generator.data.dataset import load_dataset
from generator.data.problems import DataError
from generator.data.schema import render_schemas

ROOT = Path(__file__).resolve().parent.parent

MANAGER = """\
- id: herzogenrath-1
  kommune: Herzogenrath
  kreis: Städteregion Aachen
  regierungsbezirk: Köln
  kurs: 3
  jahr: 2008
  dienststelle: Jugendamt
"""

EVENT = """\
- id: 2010-11-10-bochum-marketing
  titel: Marketing
  datum: 2010-11-10
  beginn: 10:00
  ende: "16:00"
  ort: Bochum
  veranstalter: IQZ
  reihe: Werkstattreihe
  beschreibung: Workshop
"""


def load(tmp_path: Path, managers: str = MANAGER, events: str = EVENT):
    (tmp_path / "managers.yaml").write_text(textwrap.dedent(managers), encoding="utf-8")
    (tmp_path / "events.yaml").write_text(textwrap.dedent(events), encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    return load_dataset(tmp_path / "managers.yaml", tmp_path / "events.yaml", tmp_path / "content")


def problems(tmp_path: Path, **files) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(tmp_path, **files)
    return [str(p) for p in caught.value.problems]


def test_valid_files_load_with_typed_values(tmp_path):
    data = load(tmp_path)
    event = data.events[0]
    assert event.start_time.hour == 10  # unquoted 10:00 is a time, not YAML's 600
    assert event.start_date.isoformat() == "2010-11-10"
    assert data.managers[0].kreis == "Städteregion Aachen"
    assert data.where(data.managers[0], "jahr") == ("managers.yaml", 6)


@pytest.mark.parametrize(
    ("managers", "expected"),
    [
        (
            MANAGER.replace("  kommune:", "  kommnue:"),
            "managers.yaml:2: kommnue: unbekanntes Feld. Meinten Sie „kommune“?",
        ),
        (
            MANAGER.replace("jahr: 2008", "jahr: zweitausendacht"),
            "managers.yaml:6: jahr: ganze Zahl erwartet",
        ),
        (
            MANAGER.replace("  kommune: Herzogenrath\n", ""),
            "managers.yaml:1: kommune: Pflichtfeld fehlt",
        ),
        (
            MANAGER + "  kontakt:\n    email: familie(at)herzogenrath.de\n",
            "managers.yaml:9: kontakt.email: keine gültige E-Mail-Adresse",
        ),
        (
            MANAGER + "  kontakt:\n    web: www.herzogenrath.de\n",
            "managers.yaml:9: kontakt.web: keine gültige Internetadresse",
        ),
        (
            MANAGER + "  kontakt:\n    telefon: 02406123\n",
            "managers.yaml:9: kontakt.telefon: Text erwartet, aber YAML hat eine Zahl gelesen",
        ),
        (
            MANAGER + "  lat: 6.1\n  lon: 50.8\n",
            "managers.yaml:8: lat: die Koordinaten (6.1, 50.8) liegen außerhalb von NRW",
        ),
        (
            MANAGER.replace("regierungsbezirk: Köln", "regierungsbezirk: Koeln"),
            "managers.yaml:4: regierungsbezirk: „Koeln“ ist nicht erlaubt. Meinten Sie „Köln“?",
        ),
        (
            MANAGER.replace("regierungsbezirk: Köln", "regierungsbezirk: Münster"),
            "managers.yaml:4: regierungsbezirk: Herzogenrath liegt im Regierungsbezirk Köln",
        ),
        (
            MANAGER.replace("kreis: Städteregion Aachen", "kreis: Kreis Aachn"),
            "managers.yaml:3: kreis: „Kreis Aachn“ ist kein Kreis in NRW",
        ),
        (
            MANAGER + MANAGER,
            "managers.yaml:8: id: die Kennung „herzogenrath-1“ gibt es schon (Zeile 1)",
        ),
        (
            MANAGER.replace("id: herzogenrath-1", "id: Herzogenrath 1"),
            "managers.yaml:1: id: „Herzogenrath 1“ ist keine gültige Kennung",
        ),
        (
            MANAGER + "  jahr: 2009\n",
            "managers.yaml:8: jahr: steht in diesem Eintrag doppelt (zuerst in Zeile 6)",
        ),
        (
            MANAGER.replace("kreis: Städteregion Aachen", "kreis: Kreis Höxter"),
            "managers.yaml:3: kreis: Herzogenrath gehört zu „Städteregion Aachen“",
        ),
        (
            MANAGER.replace("kommune: Herzogenrath", "kommune: ''"),
            "managers.yaml:2: kommune: darf nicht leer sein",
        ),
        ("kommune: Bochum\n", "managers.yaml:1: Datei: die Datei muss eine Liste"),
        (MANAGER.replace("  kurs: 3", " kurs: 3"), "managers.yaml:5: YAML: Syntaxfehler"),
        (
            MANAGER.replace("  kurs: 3", "\tkurs: 3"),
            "managers.yaml:5: YAML: Syntaxfehler: Tabulator gefunden",
        ),
    ],
    ids=[
        "unknown-key",
        "wrong-type",
        "missing-field",
        "email",
        "url",
        "phone-as-number",
        "outside-nrw",
        "literal-typo",
        "region-mismatch",
        "unknown-district",
        "duplicate-id",
        "bad-id",
        "duplicate-key",
        "kreis-of-another-municipality",
        "empty-text",
        "not-a-list",
        "indentation",
        "tab",
    ],
)
def test_manager_mistakes(tmp_path, managers, expected):
    found = problems(tmp_path, managers=managers)
    assert any(p.startswith(expected) for p in found), found


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (
            EVENT.replace("2010-11-10\n", "2010-02-30\n"),
            "events.yaml:3: datum: den Tag „2010-02-30“ gibt es nicht",
        ),
        (
            EVENT.replace("2010-11-10\n", "2010-13\n"),
            "events.yaml:3: datum: „2010-13“: einen Monat 13 gibt es nicht",
        ),
        (
            EVENT.replace("2010-11-10\n", "10.11.2010\n"),
            "events.yaml:3: datum: Datum bitte im Format JJJJ-MM-TT schreiben: „2010-11-10“",
        ),
        (
            EVENT + "  bis: 2010-11-09\n",
            "events.yaml:10: bis: „bis“ (2010-11-09) liegt vor dem Beginn",
        ),
        (
            EVENT.replace('ende: "16:00"', 'ende: "09:00"'),
            "events.yaml:5: ende: „ende“ (09:00) liegt nicht nach „beginn“",
        ),
        (
            EVENT.replace("beginn: 10:00", "beginn: 25:00"),
            "events.yaml:4: beginn: „25:00“ ist keine Uhrzeit",
        ),
        (
            EVENT.replace("beginn: 10:00", "beginn: 10"),
            "events.yaml:4: beginn: Uhrzeit bitte in Anführungszeichen",
        ),
        (
            EVENT.replace("reihe: Werkstattreihe", "reihe: Workshop"),
            "events.yaml:8: reihe: „Workshop“ ist nicht erlaubt",
        ),
        (
            EVENT.replace("2010-11-10\n", "2010-11\n"),
            "events.yaml:3: datum: bei einer Monats- oder Jahresangabe",
        ),
        (
            EVENT + "  dokumentation: werkstattreihe/fehlt.md\n",
            "events.yaml:10: dokumentation: die Seite „werkstattreihe/fehlt.md“ gibt es",
        ),
        (
            EVENT + "  zeitraum: Herbst 2010\n",
            "events.yaml:10: zeitraum: „zeitraum“ ist nur bei ungenauen Daten",
        ),
        (
            EVENT + "  url: ftp://example.org\n",
            "events.yaml:10: url: keine gültige Internetadresse",
        ),
        (
            EVENT.replace("  titel: Marketing\n", "  titel: Marketing\n  title: x\n"),
            "events.yaml:3: title: unbekanntes Feld. Meinten Sie „titel“?",
        ),
    ],
    ids=[
        "impossible-day",
        "impossible-month",
        "german-date",
        "end-before-start",
        "end-time",
        "bad-time",
        "time-as-number",
        "series-typo",
        "month-with-times",
        "missing-doc-page",
        "period-with-exact-date",
        "non-http-url",
        "english-key",
    ],
)
def test_event_mistakes(tmp_path, events, expected):
    found = problems(tmp_path, events=events)
    assert any(p.startswith(expected) for p in found), found


def test_imprecise_dates_keep_their_precision(tmp_path):
    events = (
        EVENT.replace('  beginn: 10:00\n  ende: "16:00"\n', "")
        + EVENT.replace("2010-11-10-bochum-marketing", "kurs-4")
        .replace("2010-11-10\n", "2008\n  zeitraum: Herbst 2008\n")
        .replace('  beginn: 10:00\n  ende: "16:00"\n', "")
        + EVENT.replace("2010-11-10-bochum-marketing", "april")
        .replace("2010-11-10\n", "2008-04\n")
        .replace('  beginn: 10:00\n  ende: "16:00"\n', "")
    )
    day, year, month = load(tmp_path, events=events).events
    assert (day.precision, year.precision, month.precision) == ("day", "year", "month")
    assert year.zeitraum == "Herbst 2008" and year.start_date.isoformat() == "2008-01-01"
    assert month.month_only and month.start_date.isoformat() == "2008-04-01"


def test_every_problem_of_both_files_is_reported_at_once(tmp_path):
    found = problems(
        tmp_path,
        managers=MANAGER.replace("jahr: 2008", "jahr: x").replace("kurs: 3", "kurs: y"),
        events=EVENT.replace("reihe: Werkstattreihe", "reihe: x"),
    )
    assert [p.split(":")[0:2] for p in found] == [
        ["events.yaml", "8"],
        ["managers.yaml", "5"],
        ["managers.yaml", "6"],
    ]


def test_html_in_text_is_kept_as_text_for_later_escaping(tmp_path):
    hostile = EVENT.replace("titel: Marketing", "titel: '<script>alert(1)</script>'")
    assert load(tmp_path, events=hostile).events[0].titel == "<script>alert(1)</script>"


def test_report_is_german_and_says_nothing_was_published(tmp_path):
    with pytest.raises(DataError) as caught:
        load(tmp_path, managers=MANAGER.replace("jahr: 2008", "jahr: x"))
    assert caught.value.report().endswith("1 Fehler gefunden. Es wurde nichts veröffentlicht.")


def test_shipped_data_is_valid():
    data = load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml", ROOT / "content")
    places = {m.place_key for m in data.managers}
    assert len(data.managers) >= 60 and len(places) >= 40
    assert {m.regierungsbezirk for m in data.managers} == {
        "Arnsberg",
        "Detmold",
        "Düsseldorf",
        "Köln",
        "Münster",
    }


def test_committed_schemas_match_the_models():
    for name, text in render_schemas().items():
        assert (ROOT / "schema" / name).read_text(encoding="utf-8") == text, (
            f"schema/{name} is stale: run python -m generator schema"
        )


def test_yaml_files_reference_their_schema():
    for data_file, schema in (("managers.yaml", "managers"), ("events.yaml", "events")):
        first = (ROOT / data_file).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=schema/{schema}.schema.json"


def load_by_entry(
    tmp_path: Path, managers: str = MANAGER, events: str = EVENT, cache: BuildCache | None = None
):
    """A load as `mkdocs serve` makes it: with a build cache, entry by entry."""
    (tmp_path / "managers.yaml").write_text(textwrap.dedent(managers), encoding="utf-8")
    (tmp_path / "events.yaml").write_text(textwrap.dedent(events), encoding="utf-8")
    (tmp_path / "content").mkdir(exist_ok=True)
    return load_dataset(
        tmp_path / "managers.yaml",
        tmp_path / "events.yaml",
        tmp_path / "content",
        cache=cache or BuildCache(),
    )


def test_a_load_after_a_save_reuses_what_did_not_change(tmp_path):
    """`mkdocs serve`: an unchanged file's records and an unchanged entry's record come
    back as the same objects (also below a line the save added); a changed value and a
    value of another type are read anew."""
    second = EVENT.replace("2010-11-10-bochum-marketing", "2010-11-11-essen").replace(
        "2010-11-10", "2010-11-11"
    )
    cache = BuildCache()
    first = load_by_entry(tmp_path, events=EVENT + second, cache=cache)
    renamed = second.replace("titel: Marketing", "titel: Neu")
    again = load_by_entry(tmp_path, events=EVENT + renamed, cache=cache)
    assert again.managers[0] is first.managers[0]
    assert again.events[0] is first.events[0]
    assert again.events[1].titel == "Neu" and first.events[1].titel == "Marketing"
    moved = load_by_entry(tmp_path, events="# neu\n" + EVENT + second, cache=cache)
    assert moved.events[1] is first.events[1]
    assert moved.where(moved.events[1], "titel") == (
        "events.yaml",
        first.where(first.events[1], "titel")[1] + 1,
    )
    # 2008 and 0x7D8 are the same number to the model, not the same text: no reuse.
    other = load_by_entry(
        tmp_path, managers=MANAGER.replace("jahr: 2008", "jahr: 0x7D8"), cache=cache
    )
    assert other.managers[0] == first.managers[0]
    assert other.managers[0] is not first.managers[0]


SECOND = EVENT.replace("2010-11-10-bochum-marketing", "2010-11-11-essen").replace(
    "2010-11-10", "2010-11-11"
)
THIRD = SECOND.replace("2010-11-11-essen", "2010-11-11-dortmund")


@pytest.mark.parametrize(
    "events",
    [
        EVENT + SECOND,
        "---\n# Kopf\n\n" + EVENT + "# zwischen\n\n" + SECOND,
        (EVENT + SECOND).replace("\n", "\r\n"),
        EVENT + SECOND.replace("titel: Marketing", "titl: Marketing"),  # a field's mistake
        EVENT + SECOND.replace("datum: 2010-11-11", "datum: 2010-02-30"),
        EVENT + SECOND.replace("2010-11-11-essen", "2010-11-10-bochum-marketing"),  # same id
        EVENT + "...\n" + SECOND,  # a second document
        EVENT + "---\n" + SECOND,
        EVENT + "ort: Bochum\n" + SECOND,  # a line without indentation
        "  "
        + EVENT.rstrip().replace("\n", "\n  ")
        + "\n"
        + SECOND
        + THIRD,  # the first entry indented
        EVENT.replace("ort: Bochum", "ort: &o Bochum") + SECOND.replace("ort: Bochum", "ort: *o"),
        EVENT.replace("beschreibung: Workshop", 'beschreibung: "Work\n- shop"') + SECOND,
        EVENT + "-\n" + SECOND,  # an empty entry
        EVENT.replace("\n", "\r", 3) + SECOND + THIRD,  # a lone CR is a line break too
    ],
)
def test_reading_entry_by_entry_finds_what_reading_the_file_finds(tmp_path, events):
    """The entry-by-entry reading of `mkdocs serve` gives the same records, lines and
    messages as reading the whole file, also where an entry alone would read otherwise."""

    def outcome(read):
        try:
            data = read(tmp_path, events=events)
        except DataError as error:
            return [str(p) for p in error.problems]
        return data.managers, data.events, data.origins

    assert outcome(load_by_entry) == outcome(load)


FOURTH = SECOND.replace("2010-11-11-essen", "2010-11-11-hagen").replace("Marketing", "Vierter")
BASE = (
    "# Termine\n\n"
    + EVENT
    + SECOND.replace("Marketing", "Zweiter")
    + "# zwischen\n"
    + THIRD.replace("Marketing", "Dritter")
    + FOURTH
)


@pytest.mark.parametrize(
    "saved",
    [
        BASE.replace("titel: Marketing", "titel: Neu", 1),  # the first entry
        BASE.replace("titel: Vierter", "titel: Neu"),  # the last entry
        BASE.replace("# zwischen\n", "# zwischen\n# und noch eine Zeile\n"),  # a line more
        BASE.replace("# zwischen\n", ""),  # a line less
        BASE.replace("# Termine\n", "# Termine 2010\n"),  # the comment above the first
        BASE.replace(EVENT, ""),  # the first entry deleted
        BASE.replace(THIRD.replace("Marketing", "Dritter"), ""),  # one in the middle
        BASE.replace(FOURTH, ""),  # the last
        BASE + FOURTH.replace("hagen", "hamm"),  # one added at the end
        BASE.replace("# zwischen\n", FOURTH.replace("hagen", "hamm")),  # and in the middle
        BASE.replace("\n- id: 2010-11-11-hagen", "\n-  id: 2010-11-11-hagen"),  # at an entry's "-"
        BASE.replace(
            "- id: 2010-11-11-dortmund", "-id: 2010-11-11-dortmund"
        ),  # no entry of its own
        BASE.replace("\n- id: 2010-11-11-hagen", " - id: 2010-11-11-hagen"),  # nor this one
        BASE.replace("# zwischen\n", "---\n"),  # a second document
        BASE.replace("2010-11-11-dortmund", "2010-11-10-bochum-marketing"),  # same id
        BASE.replace("\n", "\r\n"),
        BASE,
    ],
)
def test_a_reading_after_a_save_finds_what_a_fresh_reading_finds(tmp_path, saved):
    """`mkdocs serve` reads a saved file starting from its last reading (the unchanged
    entries before and after the change kept as they were): the same records, lines and
    messages as reading the saved file afresh."""

    def outcome(read, **options):
        try:
            data = read(tmp_path, events=saved, **options)
        except DataError as error:
            return [str(p) for p in error.problems]
        return data.managers, data.events, data.origins

    cache = BuildCache()
    load_by_entry(tmp_path, events=BASE, cache=cache)
    assert outcome(load_by_entry, cache=cache) == outcome(load)


def test_a_registration_deadline_after_the_event(tmp_path):
    """The editing page cannot compare two fields; the check names the deadline's line."""
    found = problems(tmp_path, events=EVENT + "  anmeldeschluss: 2010-11-11\n")
    assert found == [
        "events.yaml:10: anmeldeschluss: der Anmeldeschluss (2010-11-11) liegt nach dem letzten "
        "Tag der Veranstaltung (2010-11-10). Prüfen Sie beide Daten; der Anmeldeschluss liegt "
        "am oder vor dem Tag der Veranstaltung."
    ]
    # On the last day of a two-day event, or before it: fine.
    load(tmp_path, events=EVENT + "  bis: 2010-11-11\n  anmeldeschluss: 2010-11-11\n")
    load(tmp_path, events=EVENT + "  anmeldeschluss: 2010-11-01\n")
