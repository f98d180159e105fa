"""Two builds of the same sources give byte-identical sites.

The second build runs from another absolute folder, with another hash seed, time zone
and locale, so that set ordering, random ids, absolute paths or the clock in any output
file show up here, by name.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

from conftest import TEST_EPOCH, build_site


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _first_difference(a: bytes, b: bytes) -> str:
    index = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    start, end = max(0, index - 40), index + 40
    return f"at byte {index}: {a[start:end]!r} vs {b[start:end]!r}"


def test_two_builds_are_byte_identical(built_site, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONHASHSEED", "4711")
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    second = tmp_path / "an" / "other" / "place" / "site"
    result = build_site(second, epoch=TEST_EPOCH)
    assert result.returncode == 0, result.stderr

    first_files, second_files = _files(built_site), _files(second)
    assert sorted(first_files) == sorted(second_files), "the two builds wrote different files"
    differing = {
        name: _first_difference(content, second_files[name])
        for name, content in first_files.items()
        if content != second_files[name]
    }
    assert differing == {}, "files differ between two builds:\n" + "\n".join(
        f"{name}: {where}" for name, where in differing.items()
    )
    for content in first_files.values():  # no build folder leaks into the output
        assert os.fsencode(built_site) not in content and os.fsencode(second) not in content


def test_sitemap_gzip_header_uses_the_build_date(built_site):
    # MkDocs stamps sitemap.xml.gz with the pages' update date, which follows SOURCE_DATE_EPOCH.
    raw = (built_site / "sitemap.xml.gz").read_bytes()
    mtime = int.from_bytes(raw[4:8], "little")
    day = int(TEST_EPOCH) // 86400 * 86400
    assert mtime == day
    assert gzip.decompress(raw) == (built_site / "sitemap.xml").read_bytes()
