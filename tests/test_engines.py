"""The plugin builds the site unchanged under ProperDocs, the maintained fork of MkDocs 1.x.

ProperDocs (optional dependency group ``properdocs``, part of ``test``) runs MkDocs
plugins and themes through aliases of the ``mkdocs`` modules. Its build of the shipped
site must equal MkDocs' file for file, byte for byte, except the one line that names the
engine (Material's ``<meta name="generator">``). Without ProperDocs installed the test
is skipped, except in CI (``CI=true``), where a missing engine is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path

import pytest
from conftest import build_site

GENERATOR_META = re.compile(rb'<meta name="generator" content="[^"]*">')


def files_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def without_engine_name(data: bytes) -> bytes:
    return GENERATOR_META.sub(b'<meta name="generator">', data)


def test_properdocs_builds_the_same_site_as_mkdocs(built_site, tmp_path):
    if importlib.util.find_spec("properdocs") is None:
        message = "ProperDocs is not installed: pip install -e '.[properdocs]'"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    result = build_site(tmp_path / "site", engine="properdocs")
    assert result.returncode == 0, result.stderr
    assert "ProperDocs" in (tmp_path / "site/index.html").read_text(encoding="utf-8")
    ours, theirs = files_of(built_site), files_of(tmp_path / "site")
    assert sorted(theirs) == sorted(ours)
    differing = [
        path
        for path in sorted(ours)
        if without_engine_name(ours[path].read_bytes())
        != without_engine_name(theirs[path].read_bytes())
    ]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"
