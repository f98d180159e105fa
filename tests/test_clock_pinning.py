"""Guard against time bombs: no test and no build step may read the machine's clock.

"Today" reaches the build through SOURCE_DATE_EPOCH and the browser through the pinned
clock of ``conftest.open_context``. A new test that opens its own browser context, or
code that asks the machine for the date, fails here the day it is written instead of
the day the calendar passes some date.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

CLOCK_READS = re.compile(
    r"\b(?:date|datetime)\.(?:today|now|utcnow)\(|\btime\.(?:time|localtime|gmtime)\(\)"
)
OWN_CONTEXT = re.compile(r"\.new_context\(|\bbrowser\.new_page\(")
#: The editors' geocode command stamps cache entries with the day of the lookup: it runs
#: at an editor's desk, never in a build, and its tests pass the day explicitly.
ALLOWED_CLOCK_READS = {"generator/cli.py": 1}


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def test_generator_and_tests_never_read_the_clock():
    offenders = {}
    for path in python_files("generator") + python_files("tests"):
        relative = path.relative_to(ROOT).as_posix()
        if relative == "tests/test_clock_pinning.py":
            continue
        count = len(CLOCK_READS.findall(path.read_text(encoding="utf-8")))
        if count > ALLOWED_CLOCK_READS.get(relative, 0):
            offenders[relative] = count
    assert offenders == {}, "read the build date or the pinned clock instead"


def test_browser_contexts_come_only_from_the_pinned_helper():
    offenders = []
    for path in python_files("tests"):
        if path.name in {"conftest.py", "test_clock_pinning.py"}:
            continue
        text = path.read_text(encoding="utf-8")
        offenders += [
            f"{path.name}:{text[: m.start()].count(chr(10)) + 1}"
            for m in OWN_CONTEXT.finditer(text)
        ]
    assert offenders == [], "use conftest.open_context(browser, …), whose clock is pinned"


@pytest.mark.browser
def test_the_pinned_clock_is_what_pages_see(page):
    page.set_content("<p>x</p>")
    assert page.evaluate("new Date().toISOString()") == "2026-11-22T12:00:00.000Z"
