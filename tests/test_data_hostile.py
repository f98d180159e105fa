"""Hostile and clumsy data files: `check` ends quickly, in bounded memory, with a German
message at file, line and field, never a traceback.

Every case runs the real command in a subprocess with a time limit (the subprocess
timeout, not a timed assertion) and an address-space limit, so a file that made the
command hang or expand in memory fails here instead of passing slowly.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TEST_EPOCH, build_site, copy_project

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
  ort: Bochum
  veranstalter: IQZ
  reihe: Werkstattreihe
  beschreibung: Workshop
"""
#: 1 GiB of address space: the Python process with the gazetteer needs a few hundred MB;
#: an expanding alias bomb needs gigabytes.
MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 30


def _limit_memory():  # runs in the child before exec
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def check(
    root: Path, *, epoch: str = TEST_EPOCH, github: bool = False
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": epoch,
        "GITHUB_ACTIONS": "true" if github else "",
        "GITLAB_CI": "",
    }
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
    )


def project(tmp_path: Path, managers: str | bytes = MANAGER, events: str | bytes = EVENT) -> Path:
    (tmp_path / "content").mkdir(exist_ok=True)
    for name, data in (("managers.yaml", managers), ("events.yaml", events)):
        path = tmp_path / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return tmp_path


def refused(tmp_path: Path, expected: str, **files) -> str:
    """Run `check`; assert it fails with ``expected`` in its report and no traceback."""
    result = check(project(tmp_path, **files))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert expected in result.stderr, result.stderr
    assert result.stderr.rstrip().endswith("Es wurde nichts veröffentlicht.")
    return result.stderr


def test_the_valid_project_passes(tmp_path):
    result = check(project(tmp_path))
    assert result.returncode == 0, result.stderr


# --- 1. YAML that editors never need ------------------------------------------------

BILLION_LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(9)
)


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        (BILLION_LAUGHS, "events.yaml:1: YAML: der Anker „&a“ ist nicht erlaubt"),
        (
            EVENT
            + EVENT.replace("2010-11-10-bochum", "zwei").replace(
                "veranstalter: IQZ", "veranstalter: *iqz"
            ),
            "events.yaml:12: YAML: der Verweis „*iqz“ (YAML-Alias) ist nicht erlaubt",
        ),
        (
            EVENT.replace("  titel: Marketing\n", "  <<: {titel: Marketing}\n"),
            "events.yaml:2: YAML: der Zusammenführungsschlüssel „<<“ ist nicht erlaubt",
        ),
        (
            EVENT.replace("titel: Marketing", "titel: !wichtig Marketing"),
            "events.yaml:2: YAML: die Typangabe „!wichtig“ ist nicht erlaubt",
        ),
        (
            EVENT.replace("titel: Marketing", "titel: !!python/object/apply:os.system [ls]"),
            "events.yaml:2: YAML: die Typangabe „!!python/object/apply:os.system“",
        ),
        (
            EVENT.replace("titel: Marketing", "titel: !!binary TWFya2V0aW5n"),
            "events.yaml:2: YAML: die Typangabe „!!binary“ ist nicht erlaubt",
        ),
        (
            EVENT + "  lat: !!float 51.4\n",
            "events.yaml:8: YAML: die Typangabe „!!float“ ist nicht erlaubt",
        ),
        (
            EVENT + "  veranstaltungsort: " + "[" * 1000 + "]" * 1000 + "\n",
            "events.yaml:8: YAML: mehr als 20 Ebenen ineinander",
        ),
        (
            EVENT + "  veranstaltungsort: " + "[" * 50_000 + "]" * 50_000 + "\n",
            "events.yaml:8: YAML: mehr als 20 Ebenen ineinander",
        ),
        (
            EVENT + "  veranstaltungsort: " + "[" * 50_000 + "\n",  # never closed
            "events.yaml:8: YAML: mehr als 20 Ebenen ineinander",
        ),
        (EVENT + "---\n" + EVENT, "events.yaml:8: YAML: ein zweites Dokument („---“)"),
        (
            EVENT + "# " + "x" * 40_100_000 + "\n",
            "events.yaml:1: Datei: die Datei ist größer als 40 MB",
        ),
        (  # over 2 MB: the syntax error in libyaml's words, translated the same way
            EVENT.replace("2010-11-10-bochum", "e") * 20_000 + "  titel: Zwei: Doppelpunkte\n",
            "events.yaml:140001: YAML: Syntaxfehler: unerwarteter Doppelpunkt",
        ),
        (
            "- x\n" * 2_000_100,
            "events.yaml:2000000: Datei: mehr als 2.000.000 Werte in einer Datei",
        ),
    ],
    ids=[
        "billion-laughs",
        "alias",
        "merge-key",
        "custom-tag",
        "python-tag",
        "binary-tag",
        "float-tag",
        "deep-1000",
        "deep-50000",
        "deep-unclosed",
        "two-documents",
        "too-large",
        "syntax-error-in-a-large-file",
        "too-many-values",
    ],
)
def test_yaml_features_editors_never_need_are_refused(tmp_path, events, expected):
    refused(tmp_path, expected, events=events)


# --- 2. Encodings ---------------------------------------------------------------------


def test_windows_1252_entry_is_reported_at_its_line(tmp_path):
    latin = MANAGER.encode("utf-8") + MANAGER.replace("herzogenrath-1", "m-2").replace(
        "Jugendamt", "Jugendamt, Familienbüro"
    ).encode("cp1252")
    # The first character that is not UTF-8 is the "ä" of "Städteregion" in the second entry.
    err = refused(
        tmp_path, "managers.yaml:10: Datei: diese Zeile ist nicht in UTF-8", managers=latin
    )
    assert "das Zeichen „ä“ an Stelle 12" in err and "Windows-1252" in err
    assert "Ebenso 2 weitere Zeile(n) danach." in err
    assert "Codierung: UTF-8" in err and "VS Code" in err
    assert "invalid start byte" not in err


def test_whole_file_in_latin_1(tmp_path):
    err = refused(
        tmp_path,
        "managers.yaml:3: Datei: diese Zeile ist nicht in UTF-8",
        managers=MANAGER.encode("latin-1"),
    )
    assert "Ebenso 1 weitere Zeile(n) danach." in err  # "Köln" in line 4


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_is_named(tmp_path, codec):
    refused(
        tmp_path,
        "managers.yaml:1: Datei: die Datei ist in UTF-16",
        managers=MANAGER.encode(codec),
    )


def test_nul_byte_is_reported_at_its_line(tmp_path):
    data = MANAGER.replace("kurs: 3", "kurs: 3\x00").encode("utf-8")
    refused(
        tmp_path, "managers.yaml:5: Datei: in dieser Zeile steht ein Nullzeichen", managers=data
    )


def test_utf8_with_byte_order_mark_is_fine(tmp_path):
    result = check(project(tmp_path, managers=b"\xef\xbb\xbf" + MANAGER.encode("utf-8")))
    assert result.returncode == 0, result.stderr


def test_a_data_path_that_is_a_folder(tmp_path):
    root = project(tmp_path)
    (root / "events.yaml").unlink()
    (root / "events.yaml").mkdir()
    result = check(root)
    assert result.returncode == 1
    assert "events.yaml:1: Datei: „events.yaml“ ist ein Ordner, keine Datei" in result.stderr
    assert "Traceback" not in result.stderr


def test_geocache_in_the_wrong_encoding(tmp_path):
    root = project(tmp_path)
    (root / "geocache.yaml").write_bytes(
        "Würselen:\n  lat: 50.82\n  lon: 6.13\n  source: manual\n".encode("cp1252")
    )
    result = check(root)
    assert result.returncode == 1
    assert "geocache.yaml:1: Datei: diese Zeile ist nicht in UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


# --- 3. Emptied files -----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# nur ein Kommentar\n# noch einer\n"])
def test_an_emptied_file_is_an_error(tmp_path, text):
    refused(tmp_path, "managers.yaml:1: Datei: die Datei ist leer", managers=text)
    refused(tmp_path, "events.yaml:1: Datei: die Datei ist leer", events=text)


def test_an_empty_list_of_managers_is_an_error(tmp_path):
    refused(tmp_path, "managers.yaml:1: Datei: die Liste ist leer", managers="[]\n")


def test_an_explicitly_empty_event_list_is_allowed(tmp_path):
    assert check(project(tmp_path, events="[]\n")).returncode == 0


# --- 4. Ids ---------------------------------------------------------------------------


def test_an_event_may_not_take_a_managers_id(tmp_path):
    clash = EVENT.replace("2010-11-10-bochum-marketing", "herzogenrath-1")
    refused(
        tmp_path,
        "events.yaml:1: id: die Kennung „herzogenrath-1“ gibt es schon (managers.yaml, Zeile 1)",
        events=clash,
    )


@pytest.mark.parametrize("record_id", ["index", "termine", "archiv", "reihe", '"2010"'])
def test_reserved_event_ids_are_caught_by_check(tmp_path, record_id):
    shown = record_id.strip('"')
    refused(
        tmp_path,
        f"events.yaml:1: id: die Kennung „{shown}“ ist für eine Seite der Website reserviert",
        events=EVENT.replace("2010-11-10-bochum-marketing", record_id),
    )


def test_an_id_too_long_for_a_file_name(tmp_path):
    long_id = "-".join(["workshop"] * 40)
    err = refused(
        tmp_path,
        "events.yaml:1: id: die Kennung ist 359 Zeichen lang, höchstens 100",
        events=EVENT.replace("2010-11-10-bochum-marketing", long_id),
    )
    assert long_id not in err  # echoed values are shortened


# --- 5. Plausibility ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2201-05-03", "Meinten Sie 2021? Dann schreiben Sie „2021-05-03“."),
        ("2102-05-03", "Meinten Sie 2012?"),
        ("0201-05-03", "Meinten Sie 2001?"),
        ("1999-05-03", "Prüfen Sie die Jahreszahl."),  # no close plausible year
        ("2101", "Meinten Sie 2011?"),
    ],
)
def test_implausible_years_get_a_suggestion(tmp_path, typed, expected):
    err = refused(
        tmp_path,
        f"events.yaml:3: datum: das Jahr {typed[:4]} ist nicht plausibel: möglich sind 2000 bis 2031",
        events=EVENT.replace("datum: 2010-11-10", f"datum: {typed}"),
    )
    assert expected in err


def test_an_event_longer_than_two_weeks(tmp_path):
    err = refused(
        tmp_path,
        "events.yaml:8: bis: die Veranstaltung dauert so 1097 Tage",
        events=EVENT + "  bis: 2013-11-10\n",
    )
    assert "Meinten Sie „bis: 2010-11-10“?" not in err  # that would be one day
    err = refused(
        tmp_path,
        "events.yaml:4: bis: die Veranstaltung dauert so 367 Tage",
        events=EVENT.replace("2010-11-10\n", "2010-11-10\n  bis: 2011-11-11\n"),
    )
    assert "Meinten Sie „bis: 2010-11-11“?" in err


# --- 8. Text in every output --------------------------------------------------------

UNUSUAL = (
    EVENT.replace("titel: Marketing", 'titel: "😀 MARKETING --- für Familien: #1 \\e[31m"')
    .replace(
        "beschreibung: Workshop",
        'beschreibung: "Zeile eins\\vZeile zwei\\fSeite\\0 ::add-mask::geheim"',
    )
    .replace("veranstalter: IQZ", "veranstalter: IQZ\x0b(aus Word)")
)


def test_unusual_but_valid_text_builds_pages_and_feeds_intact(tmp_path):
    root = copy_project(tmp_path / "project")
    (root / "events.yaml").write_text(UNUSUAL, encoding="utf-8")
    assert check(root).returncode == 0
    site = tmp_path / "site"
    result = build_site(site, config=root / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    page = (site / "termine" / "2010-11-10-bochum-marketing" / "index.html").read_text("utf-8")
    reference = (site / "termine" / "index.html").read_text("utf-8")
    # The front matter was read as front matter: the page has its layout and no YAML text.
    assert "😀 MARKETING --- für Familien: #1 [31m" in page
    assert "\ndescription:" not in page and "\ntemplate:" not in page
    assert page.count('rel="stylesheet"') == reference.count('rel="stylesheet"')
    assert "termine.js" in page
    for path in [*site.rglob("*.ics"), *site.rglob("*.html"), *site.rglob("*.geojson")]:
        text = path.read_text("utf-8")
        assert not any(ch in text for ch in "\x00\x0b\x0c\x1b"), path
    ics = (site / "termine" / "2010-11-10-bochum-marketing.ics").read_text("utf-8")
    assert "Zeile eins Zeile zwei Seite ::add-mask::geheim" in ics.replace("\r\n ", "")


def test_values_echoed_in_check_output_are_escaped_and_short(tmp_path):
    hostile = EVENT.replace(
        "reihe: Werkstattreihe",
        'reihe: "Werkstatt\\n::error file=x::gefälscht\\r::add-mask::x ' + "y" * 300 + '"',
    ).replace("  ort: Bochum\n", '  "::error::feld\\nzwei": 1\n  ort: Bochum\n')
    root = project(tmp_path, events=hostile)
    env_result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "GITHUB_ACTIONS": "true"},
        timeout=TIME_LIMIT,
    )
    assert env_result.returncode == 1
    output = env_result.stdout + env_result.stderr
    lines = output.splitlines()
    # The only workflow commands are the ones the command writes itself.
    assert [line for line in lines if line.startswith(("::", "##["))] == [
        line for line in env_result.stdout.splitlines() if line.startswith("::error file=")
    ]
    assert not any(
        line.startswith(("::add-mask::", "::error::", "::error file=x")) for line in lines
    )
    assert "\\n::error file=x::gefälscht\\r::add-mask::x" in env_result.stderr
    assert "y" * 100 not in output
    assert "events.yaml:4: ::error::feld\\nzwei: unbekanntes Feld" in env_result.stderr


# --- 7. URLs and paths ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "  url: https://www.essen.example:8o/familie\n",
            "events.yaml:8: url: keine gültige Internetadresse: „8o“ nach dem Doppelpunkt ist keine Portnummer",
        ),
        (
            "  url: https://www.essen example.de/\n",
            "events.yaml:8: url: keine gültige Internetadresse",
        ),
        (
            "  url: https://familie/\n",
            "events.yaml:8: url: keine gültige Internetadresse: „familie“",
        ),
        ("  url: javascript:alert(1)\n", "events.yaml:8: url: keine gültige Internetadresse"),
    ],
)
def test_urls_are_accepted_only_as_a_browser_accepts_them(tmp_path, line, expected):
    refused(tmp_path, expected, events=EVENT + line)


def test_an_email_address_a_mail_program_cannot_use(tmp_path):
    refused(
        tmp_path,
        "managers.yaml:9: kontakt.email: keine gültige E-Mail-Adresse",
        managers=MANAGER + "  kontakt:\n    email: familie@essen..de\n",
    )


@pytest.mark.parametrize(
    "path", ["../README.md", "../FEHLT.md", "/etc/passwd.md", "werkstattreihe/../../x.md", ".x.md"]
)
def test_documentation_stays_inside_content(tmp_path, path):
    (tmp_path / "README.md").write_text("outside", encoding="utf-8")
    err = refused(
        tmp_path,
        "events.yaml:8: dokumentation: der Pfad muss im Ordner content/ bleiben",
        events=EVENT + f"  dokumentation: {path}\n",
    )
    assert "gibt es" not in err  # nothing tells whether a file exists outside content/


def test_documentation_is_found_only_with_its_exact_spelling(tmp_path):
    root = project(tmp_path, events=EVENT + "  dokumentation: Werkstattreihe/Bericht.md\n")
    (root / "content" / "werkstattreihe").mkdir()
    (root / "content" / "werkstattreihe" / "bericht.md").write_text("# Bericht\n", "utf-8")
    result = check(root)
    assert result.returncode == 1
    assert (
        "events.yaml:8: dokumentation: die Seite „Werkstattreihe/Bericht.md“ gibt es in content/ nicht"
        in result.stderr
    )


# --- in-process details -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("- id: a\n  b: [1, 2\n  c: 3\n", 2, "die eckige Klammer „[“ wird nicht geschlossen"),
        ("- id: a\n  b: {x: 1\n  c: 2\n", 2, "die geschweifte Klammer „{“ wird nicht geschlossen"),
        ('- id: a\n  titel: "offen\n  c: 2\n', 2, "ein Anführungszeichen"),
        ("- id: a\n  b: @x\n", 2, "ein Zeichen am Anfang des Werts ist in YAML reserviert"),
        ("- id: a\n  b: '<<'\n", None, None),  # a quoted "<<" is an ordinary (unknown) key
    ],
)
def test_syntax_errors_point_to_where_the_editor_must_look(text, line, expected):
    from generator.data.yaml_lines import parse_yaml

    parsed = parse_yaml(text, "events.yaml")
    if expected is None:
        assert parsed.problems == []
        return
    [problem] = parsed.problems
    assert (problem.line, problem.field) == (line, "YAML")
    assert expected in problem.message


def test_control_characters_never_reach_the_records(tmp_path):
    from generator.data.dataset import load_dataset

    root = project(
        tmp_path, events=EVENT.replace("titel: Marketing", 'titel: "Mar\\eke\\x07ting\\vneu"')
    )
    dataset = load_dataset(root / "managers.yaml", root / "events.yaml", root / "content")
    assert dataset.events[0].titel == "Marketing neu"


def test_places_are_kept_apart_by_file_even_for_equal_ids(tmp_path):
    """The root cause of the moved marker: places were keyed by id alone."""
    from generator.data.dataset import EVENTS, MANAGERS, Dataset, load_dataset
    from generator.geo.resolver import resolve_locations

    root = project(tmp_path, events=EVENT)
    loaded = load_dataset(root / "managers.yaml", root / "events.yaml", root / "content")
    manager = loaded.managers[0]
    event = loaded.events[0].model_copy(update={"id": manager.id})
    origins = {
        (MANAGERS, manager.id): loaded.origins[(MANAGERS, manager.id)],
        (EVENTS, manager.id): loaded.origins[(EVENTS, loaded.events[0].id)],
    }
    dataset = Dataset((manager,), (event,), origins)
    locations = resolve_locations(dataset, root / "geocache.yaml")
    assert "Herzogenrath" in locations.managers[manager.id].display_name
    assert "Bochum" in locations.events[manager.id].display_name
    assert dataset.where(event, "ort") == ("events.yaml", 4)
    assert dataset.where(manager, "kommune") == ("managers.yaml", 2)


def test_a_report_lists_at_most_200_problems():
    from generator.data.problems import DataError, Problem

    error = DataError([Problem("events.yaml", n, "id", "Kennung fehlt.") for n in range(1, 501)])
    lines = error.report().splitlines()
    assert len(error.problems) == 200 and error.count == 500
    assert lines[-2] == "… und 300 weitere (beheben Sie zuerst die gezeigten)."
    assert lines[-1] == "500 Fehler gefunden. Es wurde nichts veröffentlicht."


@pytest.mark.parametrize("value", ["<<", "=", "'<<'", "~", "2010-11-10"])
def test_text_that_looks_like_yaml_syntax_stays_text_or_gets_a_message(tmp_path, value):
    """A title like "<<" is plain text for the editor; it must never crash the check."""
    from generator.data.yaml_lines import parse_yaml

    parsed = parse_yaml(f"- titel: {value}\n  ort: Bochum\n", "events.yaml")
    assert parsed.data[0]["ort"] == "Bochum"
    if value in ("<<", "="):
        assert parsed.data[0]["titel"] == value and not parsed.problems
    result = check(project(tmp_path, events=EVENT.replace("titel: Marketing", f"titel: {value}")))
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode in (0, 1)
