"""Data problems in the formats CI systems show next to the changed line.

``python -m generator check`` always prints the German report for editors; inside
GitHub Actions it also prints workflow commands (``::error file=…,line=…::…``) so the
problems appear as annotations in the pull request, and inside GitLab CI it writes a
Code Quality report that GitLab shows in the merge request. Pure functions: the CLI
decides where the text goes.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO

from generator.data.problems import Problem

#: File name GitLab's ``artifacts:reports:codequality`` in .gitlab-ci.yml points to.
CODE_QUALITY_REPORT = "gl-code-quality-report.json"


def ci_system(environ: Mapping[str, str]) -> str | None:
    """``"github"``, ``"gitlab"`` or ``None``, from the variables each CI sets to ``true``."""
    if environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    if environ.get("GITLAB_CI") == "true":
        return "gitlab"
    return None


def _escape_data(text: str) -> str:
    # GitHub's rules for the message part of a workflow command (actions/toolkit, command.ts).
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    # Property values additionally must not contain the separators ":" and ",".
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_annotation(problem: Problem, path: str | None = None, level: str = "error") -> str:
    """One ``::error`` (or ``::warning``) workflow command; ``path`` is the file relative
    to the repository."""
    properties = {
        "file": path or problem.file,
        "line": str(problem.line),
        "title": problem.field,
    }
    joined = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{level} {joined}::{_escape_data(problem.message)}"


def github_annotations(
    problems: Iterable[Problem], paths: Mapping[str, str] | None = None
) -> list[str]:
    paths = paths or {}
    return [github_annotation(p, paths.get(p.file)) for p in problems]


def code_quality_report(
    problems: Iterable[Problem], paths: Mapping[str, str] | None = None
) -> list[dict]:
    """GitLab Code Quality issues (a subset of the Code Climate format).

    The fingerprint leaves out the line, so a problem keeps its identity when an
    editor adds lines above it; a counter keeps identical messages apart.
    """
    paths = paths or {}
    seen: Counter[tuple[str, str, str]] = Counter()
    issues = []
    for problem in problems:
        path = paths.get(problem.file, problem.file)
        key = (path, problem.field, problem.message)
        seen[key] += 1
        digest = hashlib.sha256("\0".join([*key, str(seen[key])]).encode("utf-8")).hexdigest()
        issues.append(
            {
                "type": "issue",
                "check_name": f"daten/{problem.field}",
                "description": f"{problem.field}: {problem.message}",
                "categories": ["Bug Risk"],
                # Invalid data stops the build and nothing is published.
                "severity": "blocker",
                "fingerprint": digest,
                "location": {"path": path, "lines": {"begin": problem.line}},
            }
        )
    return issues


def code_quality_json(problems: Iterable[Problem], paths: Mapping[str, str] | None = None) -> str:
    return json.dumps(code_quality_report(problems, paths), ensure_ascii=False, indent=2) + "\n"


def emit_ci_reports(
    problems: Iterable[Problem], root: Path, environ: Mapping[str, str], out: TextIO
) -> None:
    """Hand the problems to the CI system the command runs in, if any.

    GitHub: annotation lines on ``out``. GitLab: the Code Quality report in the
    working directory (the job's project folder), written also when there are no
    problems, so that a fixed problem disappears from the merge request.
    """
    problems = list(problems)
    paths = {p.file: Path(os.path.relpath(root / p.file)).as_posix() for p in problems}
    system = ci_system(environ)
    if system == "github":
        for line in github_annotations(problems, paths):
            print(line, file=out)
    elif system == "gitlab":
        Path(CODE_QUALITY_REPORT).write_text(code_quality_json(problems, paths), encoding="utf-8")


def emit_ci_notes(notes: Iterable[Problem], root: Path, environ: Mapping[str, str], out: TextIO):
    """Hints that stop nothing (e.g. one name under two ids) as GitHub warnings next to
    the line; other CI systems show them in the job's log only."""
    if ci_system(environ) != "github":
        return
    for note in notes:
        path = Path(os.path.relpath(root / note.file)).as_posix()
        print(github_annotation(note, path, level="warning"), file=out)
