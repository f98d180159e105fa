"""Our copies of Material's templates against the installed Material.

tests/material_upstream.json records, for each template in theme/ that began as a copy
of a Material template, the upstream file and its SHA-256 as it was when we copied it
(Material 9.8.1), and the Material templates generator/engine/shortcuts.py relies on.
When an upgrade changes one of them, the test names our file and what to carry over;
after carrying it over, record the new hash (the failure message says how).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import re
from pathlib import Path

import material
import pytest
from conftest import ROOT

RECORD = Path(__file__).with_name("material_upstream.json")
UPSTREAM = Path(material.__file__).resolve().parent / "templates"
#: A template's leading Jinja comment (ours says what we changed; Material's that the file
#: was generated).
LEADING_COMMENT = re.compile(r"\A\{#-.*?-#\}\n", re.S)


def record() -> dict:
    return json.loads(RECORD.read_text(encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def installed() -> str:
    return importlib.metadata.version("mkdocs-material")


@pytest.mark.parametrize("ours", sorted(record()["copies"]))
def test_upstream_of_our_copy_is_unchanged(ours):
    entry = record()["copies"][ours]
    upstream = UPSTREAM / entry["upstream"]
    assert upstream.is_file(), f"Material {installed()} has no {entry['upstream']} (for {ours})"
    assert sha256(upstream) == entry["sha256"], (
        f"Material {installed()} changed {entry['upstream']} since {record()['material']}: "
        f"carry the change over into {ours} (diff the two Material versions' file), then "
        f"record the new hash in {RECORD.name}"
    )


@pytest.mark.parametrize("template", sorted(record()["relied_on"]))
def test_templates_the_shortcuts_rely_on_are_unchanged(template):
    entry = record()["relied_on"][template]
    assert sha256(UPSTREAM / template) == entry["sha256"], (
        f"Material {installed()} changed {template} since {record()['material']}: "
        f"{entry['note']}; check the cited lines, run tests/test_golden_output.py, then "
        f"record the new hash in {RECORD.name}"
    )


def test_every_template_of_the_theme_is_recorded():
    """A new copy of a Material template cannot slip in without its upstream hash."""
    data = record()
    templates = {
        path.relative_to(ROOT).as_posix()
        for folder in ("theme", "theme/partials")
        for path in (ROOT / folder).glob("*.html")
    }
    assert templates == set(data["copies"]) | set(data["own"])
