"""CI output of `python -m generator check`: GitHub annotations and GitLab Code Quality."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from generator import cli
from generator.ci_reports import (
    CODE_QUALITY_REPORT,
    ci_system,
    code_quality_report,
    emit_ci_reports,
    github_annotation,
)
from generator.data.problems import Problem

ROOT = Path(__file__).resolve().parent.parent
PROBLEM = Problem("managers.yaml", 17, "kommune", "„Düren“ ist keine kreisfreie Stadt.")


def test_ci_system_from_environment():
    assert ci_system({"GITHUB_ACTIONS": "true"}) == "github"
    assert ci_system({"GITLAB_CI": "true", "CI": "true"}) == "gitlab"
    assert ci_system({"CI": "true"}) is None
    assert ci_system({"GITHUB_ACTIONS": "false"}) is None


def test_github_annotation_format():
    assert github_annotation(PROBLEM) == (
        "::error file=managers.yaml,line=17,title=kommune::„Düren“ ist keine kreisfreie Stadt."
    )


def test_github_annotation_escapes_per_workflow_command_rules():
    problem = Problem("a,b:c.yaml", 3, "x%y", "100 % falsch\nzweite Zeile\r")
    line = github_annotation(problem)
    assert (
        line == "::error file=a%2Cb%3Ac.yaml,line=3,title=x%25y::100 %25 falsch%0Azweite Zeile%0D"
    )
    assert "\n" not in line


def test_github_annotation_uses_repository_path():
    assert github_annotation(PROBLEM, "daten/managers.yaml").startswith(
        "::error file=daten/managers.yaml,"
    )


def test_code_quality_report_fields():
    (issue,) = code_quality_report([PROBLEM])
    assert issue["location"] == {"path": "managers.yaml", "lines": {"begin": 17}}
    assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
    assert issue["description"] == "kommune: „Düren“ ist keine kreisfreie Stadt."
    assert len(issue["fingerprint"]) == 64


def test_code_quality_fingerprints_are_unique_and_survive_line_shifts():
    moved = Problem(PROBLEM.file, 30, PROBLEM.field, PROBLEM.message)
    assert (
        code_quality_report([PROBLEM])[0]["fingerprint"]
        == code_quality_report([moved])[0]["fingerprint"]
    )
    twice = code_quality_report([PROBLEM, moved])
    assert twice[0]["fingerprint"] != twice[1]["fingerprint"]


def test_emit_writes_nothing_outside_ci(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()
    emit_ci_reports([PROBLEM], tmp_path, {}, out)
    assert out.getvalue() == ""
    assert list(tmp_path.iterdir()) == []


def _broken_project(tmp_path: Path) -> Path:
    for name in ("managers.yaml", "events.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    events = tmp_path / "events.yaml"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.lstrip().startswith("datum:"))
    indent = lines[number][: len(lines[number]) - len(lines[number].lstrip())]
    lines[number] = f'{indent}datum: "2010-02-30"\n'
    events.write_text("".join(lines), encoding="utf-8")
    return number + 1


def test_check_prints_github_annotations(tmp_path, monkeypatch, capsys):
    line = _broken_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.delenv("GITLAB_CI", raising=False)
    assert cli.main(["check"]) == 1
    captured = capsys.readouterr()
    # The German report as without CI, plus one annotation per problem.
    assert (
        f"events.yaml:{line}: datum: den Tag „2010-02-30“ gibt es nicht im Kalender" in captured.err
    )
    annotations = [row for row in captured.out.splitlines() if row.startswith("::error ")]
    assert annotations == [
        f"::error file=events.yaml,line={line},title=datum::"
        "den Tag „2010-02-30“ gibt es nicht im Kalender: der Februar 2010 hat 28 Tage. Prüfen Sie Tag und Monat."
    ]


def test_annotation_paths_are_relative_to_the_working_directory(tmp_path, monkeypatch, capsys):
    (tmp_path / "daten").mkdir()
    _broken_project(tmp_path / "daten")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert cli.main(["--root", "daten", "check"]) == 1
    assert "::error file=daten/events.yaml," in capsys.readouterr().out


def test_check_writes_gitlab_code_quality_report(tmp_path, monkeypatch, capsys):
    line = _broken_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert cli.main(["check"]) == 1
    assert "::error" not in capsys.readouterr().out
    (issue,) = json.loads((tmp_path / CODE_QUALITY_REPORT).read_text(encoding="utf-8"))
    assert issue["location"] == {"path": "events.yaml", "lines": {"begin": line}}
    assert issue["check_name"] == "daten/datum"


def test_check_clears_gitlab_report_when_data_is_valid(tmp_path, monkeypatch, capsys):
    for name in ("managers.yaml", "events.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GITLAB_CI", "true")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert cli.main(["check"]) == 0
    assert json.loads((tmp_path / CODE_QUALITY_REPORT).read_text(encoding="utf-8")) == []
