"""Property-based: editor-like files, valid and mutated, never break `check` or the build.

For every generated pair of files: loading ends without any exception but DataError;
when it passes, the pure build (every page and feed) passes too and every generated
page's front matter reads back; when it fails, every message names file, line and
field and is German. A few generated data sets also go through the real commands.
Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from conftest import ROOT, TEST_EPOCH, build_site, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.assembly import build_site as build_outputs
from generator.data.dataset import load_dataset
from generator.data.problems import DataError
from generator.geo.resolver import resolve_locations
from generator.site.settings import Settings

TODAY = dt.date(2026, 11, 22)  # the day of TEST_EPOCH
#: Real places with their Kreis and Regierungsbezirk, from the shipped data.
PLACES = sorted(
    {
        (m["kommune"], m.get("kreis"), m["regierungsbezirk"])
        for m in yaml.safe_load((ROOT / "managers.yaml").read_text(encoding="utf-8"))
    },
    key=str,
)
SERIES = ["Werkstattreihe", "Familienmanagertreffen", "Zertifikatskurs", "Fachkongress"]
#: More examples for a local bug hunt: HYPOTHESIS_MAX_EXAMPLES=2000 pytest tests/test_data_properties.py
COMMON = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "50")),
    # Generous for a loaded CI machine; a hang or a runaway calendar takes minutes.
    deadline=dt.timedelta(seconds=20),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Text an editor might paste: letters, umlauts, emoji, quotes, YAML's special characters,
#: and the control characters Word and terminals leave behind.
PIECES = list("abcXYZ äöüßÄ„“\"'#:-&*!%@`{}[]|>?,.()0123456789😀🎉–") + [
    "\t",
    "\x0b",
    "\x0c",
    "\x1b",
    "\u2028",
    "\x85",
    "\\",
    "::error::",
    "---",
]
text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join)


def quoted(value: str) -> str:
    """A double-quoted YAML scalar, as a careful editor (or the schema's IDE) writes it."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def manager(draw, number: int) -> str:
    kommune, kreis, bezirk = draw(st.sampled_from(PLACES))
    lines = [
        f"- id: person-{number}",
        f"  kommune: {kommune}",
        *([f"  kreis: {kreis}"] if kreis else []),
        f"  regierungsbezirk: {bezirk}",
        f"  kurs: {draw(st.integers(1, 12))}",
        f"  jahr: {draw(st.integers(2005, 2026))}",
        f"  dienststelle: {quoted(draw(text))}",
    ]
    if draw(st.booleans()):
        lines += ["  kontakt:", f"    name: {quoted(draw(text))}"]
    return "\n".join(lines) + "\n"


@st.composite
def event(draw, number: int, longest: int = 20) -> str:
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2031, 12, 31)))
    precision = draw(st.sampled_from(["day", "day", "month", "year"]))
    datum = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}
    lines = [
        f"- id: termin-{number}",
        f"  titel: {quoted(draw(text))}",
        f"  datum: {datum[precision]}",
        f"  veranstalter: {quoted(draw(text))}",
        f"  reihe: {draw(st.sampled_from(SERIES))}",
        f"  beschreibung: {quoted(draw(text))}",
    ]
    if precision == "day" and draw(st.booleans()):
        lines.append(f"  bis: {day + dt.timedelta(days=draw(st.integers(1, longest)))}")
    if precision == "day" and draw(st.booleans()):
        lines += ['  beginn: "10:00"', '  ende: "16:30"']
    if draw(st.booleans()):
        lines.append(f"  ort: {draw(st.sampled_from(PLACES))[0]}")
    return "\n".join(lines) + "\n"


MUTATIONS = ["none", "delete", "duplicate", "indent", "insert", "swap-digits", "bytes"]


@st.composite
def mutated(draw, document: str, mutate: bool = True) -> bytes:
    """The file, possibly with one clumsy edit."""
    kind = draw(st.sampled_from(MUTATIONS)) if mutate else "none"
    lines = document.splitlines(keepends=True)
    at = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "indent":
        lines[at] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[at].lstrip(" ")
    elif kind == "insert":
        position = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:position] + draw(text) + lines[at][position:]
    elif kind == "swap-digits":
        lines[at] = re.sub(r"(\d)(\d)", r"\2\1", lines[at], count=1)
    data = "".join(lines).encode("utf-8")
    if kind == "bytes":
        position = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xfc", b"\xe4\xf6", b"\x00", b"\xff\xfe", b"\x80"]))
        data = data[:position] + junk + data[position:]
    return data


@st.composite
def project_files(draw, mutate: bool = True) -> tuple[bytes, bytes]:
    """managers.yaml and events.yaml; without ``mutate`` valid but for unusual text."""
    longest = 20 if mutate else 13
    managers = "".join(draw(manager(i)) for i in range(draw(st.integers(1, 3))))
    events = "".join(draw(event(i, longest)) for i in range(draw(st.integers(1, 3))))
    return draw(mutated(managers, mutate)), draw(mutated(events, mutate))


GERMAN = re.compile(
    r"[äöüßÄÖÜ„“]|\b(Sie|die|der|das|ist|sind|nicht|keine?|Zeile|Datei|Wert|Feld|unbekanntes)\b"
)
ENGLISH = re.compile(
    r"\b(the|invalid|expected|found|could|Error|Exception|Traceback|should|must)\b"
)


def write(folder: Path, managers: bytes, events: bytes) -> None:
    (folder / "content").mkdir(exist_ok=True)
    (folder / "managers.yaml").write_bytes(managers)
    (folder / "events.yaml").write_bytes(events)


def assert_well_reported(error: DataError, files: dict[str, bytes]) -> None:
    for problem in error.problems:
        assert problem.file in files, problem
        assert 1 <= problem.line <= files[problem.file].count(b"\n") + 1, problem
        assert problem.field.strip(), problem
        assert GERMAN.search(problem.message), problem
        assert not ENGLISH.search(problem.message), problem
        assert "\n" not in str(problem), problem


@COMMON
@given(files=project_files())
def test_check_never_raises_and_passing_data_builds(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("p")
    write(folder, *files)
    try:
        dataset = load_dataset(
            folder / "managers.yaml", folder / "events.yaml", folder / "content", today=TODAY
        )
        locations = resolve_locations(dataset, folder / "geocache.yaml")
    except DataError as error:
        assert_well_reported(error, {"managers.yaml": files[0], "events.yaml": files[1]})
        return
    site = build_outputs(dataset, locations, Settings(build_date=TODAY))
    paths = [output.path for output in site.files]
    assert len(paths) == len(set(paths))  # no page overwrites another
    assert len(paths) < 1000  # the calendar spans plausible years only
    for output in site.files:
        if output.path.endswith(".md"):
            _, meta = get_data(output.content)
            assert meta.get("title"), output.path
        if output.path.endswith(".ics"):
            assert not re.search(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", output.content)


def run_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(folder), "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "GITHUB_ACTIONS": ""},
        timeout=60,
    )


# The subprocesses bound the time here (check: 60 s); a real build takes seconds.
@settings(COMMON, max_examples=3, deadline=None)
@given(files=project_files(mutate=False))
def test_when_check_passes_the_real_build_passes(tmp_path_factory, files):
    folder = copy_project(tmp_path_factory.mktemp("b") / "project")
    write(folder, *files)
    checked = run_check(folder)
    assert "Traceback" not in checked.stderr
    assert checked.returncode == 0, checked.stderr  # unusual text, but valid
    built = build_site(folder / "site", config=folder / "mkdocs.yml")
    assert built.returncode == 0, built.stderr


@settings(COMMON, max_examples=200)
@given(title=st.text(), description=st.text())
def test_front_matter_reads_back_whatever_the_text(title, description):
    from markupsafe import escape

    from generator.data.source import clean_text
    from generator.site.rendering import front_matter

    page = front_matter(title, description, template="termine.html") + "Inhalt\n"
    body, meta = get_data(page)
    assert body.strip() == "Inhalt"
    assert meta == {
        "title": clean_text(str(escape(title))),
        "description": clean_text(str(escape(description))),
        "template": "termine.html",
    }
