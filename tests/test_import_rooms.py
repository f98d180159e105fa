"""The rooms of generator/ import in one direction only (ARCHITECTURE.md).

Every module of generator/ belongs to a room; a room imports only from rooms below it
(calendar and map, side by side, not from each other), and only the adapter and the
commands import MkDocs or Material. Every import counts, also one inside a function.
ARCHITECTURE.md's table names every module in its room's row.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "generator"

#: Lowest first: (room, level, where its modules are). Rooms of one level are siblings.
ROOMS = (
    ("build_cache", 0, ("generator/build_cache.py",)),
    ("data", 1, ("generator/data/",)),
    ("geo", 2, ("generator/geo/",)),
    ("site", 3, ("generator/site/",)),
    ("calendar", 4, ("generator/calendar/",)),
    ("map", 4, ("generator/map/",)),
    ("redaktion", 4, ("generator/redaktion/",)),
    ("assembly", 5, ("generator/assembly.py",)),
    (
        "adapter",
        6,
        ("generator/mkdocs_plugin.py", "generator/mkdocs_config.py", "generator/engine/"),
    ),
    # The export for Zensical stands beside the MkDocs adapter: it may not import it.
    ("export", 6, ("generator/export.py",)),
    (
        "commands",
        7,
        (
            "generator/cli.py",
            "generator/__main__.py",
            "generator/__init__.py",
            "generator/bootstrap.py",
            "generator/preview.py",
            "generator/ci_reports.py",
        ),
    ),
)
LEVELS = {room: level for room, level, _ in ROOMS}
ENGINES = {"mkdocs", "material", "properdocs"}
ENGINE_ROOMS = {"adapter", "commands"}


def room_of_path(relative: str) -> tuple[str, int] | None:
    for room, level, places in ROOMS:
        if any(relative == p or (p.endswith("/") and relative.startswith(p)) for p in places):
            return room, level
    return None


def room_of_module(dotted: str) -> tuple[str, int] | None:
    """The room of ``generator.x.y`` (a module or a package)."""
    parts = dotted.split(".")
    for candidate in (
        "/".join(parts) + ".py",
        "/".join(parts) + "/__init__.py",
        "/".join(parts[:2]) + "/",
    ):
        found = room_of_path(candidate)
        if found:
            return found
    return None


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "generator":  # from generator import data
                found += [(node.lineno, f"generator.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.ImportFrom):
            raise AssertionError(f"{path}:{node.lineno}: relative import; write generator.…")
    return found


def test_every_module_has_a_room():
    homeless = [
        p.relative_to(ROOT).as_posix()
        for p in modules()
        if not room_of_path(p.relative_to(ROOT).as_posix())
    ]
    assert not homeless, f"add these to ROOMS and to ARCHITECTURE.md: {homeless}"


def test_no_import_runs_back_up_or_sideways():
    wrong = []
    for path in modules():
        relative = path.relative_to(ROOT).as_posix()
        room, level = room_of_path(relative)
        for line, name in imports_of(path):
            top = name.split(".")[0]
            if top in ENGINES and room not in ENGINE_ROOMS:
                wrong.append(f"{relative}:{line}: {name} (only the adapter imports the engine)")
            if top != "generator":
                continue
            target = room_of_module(name)
            assert target, f"{relative}:{line}: {name} is in no room"
            other, other_level = target
            if other_level > level or (other_level == level and other != room):
                wrong.append(f"{relative}:{line}: {room} imports {name} ({other})")
    assert not wrong, "imports against the direction of the rooms:\n" + "\n".join(wrong)


def test_the_check_sees_a_wrong_import(tmp_path):
    """The scan itself: the import that ran back up before the assembly moved."""
    module = tmp_path / "build.py"
    module.write_text("def f():\n    from generator.calendar.build import x\n", encoding="utf-8")
    assert imports_of(module) == [(2, "generator.calendar.build")]
    assert room_of_module("generator.calendar.build") == ("calendar", 4)
    assert room_of_path("generator/site/build.py") == ("site", 3)


@pytest.mark.parametrize("room, places", [(room, places) for room, _, places in ROOMS])
def test_architecture_names_every_module_in_its_rooms_row(room, places):
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| `generator/") and any(f"`{p}" in line.split("|")[1] for p in places)
    ]
    assert rows, f"ARCHITECTURE.md: no row for the room {room}"
    missing = [
        p.relative_to(ROOT).as_posix()
        for p in modules()
        if room_of_path(p.relative_to(ROOT).as_posix()) == (room, LEVELS[room])
        and p.stem != "__init__"
        and not any(f"`{p.stem}`" in row or f"{p.name}`" in row for row in rows)
    ]
    assert not missing, f"ARCHITECTURE.md names not these modules in the {room} row: {missing}"
