"""Golden output: the speed shortcuts change nothing a visitor gets.

The sample site is built twice, with the shortcuts (generator/engine/shortcuts.py: the
header, navigation and settings block rendered once per depth, finished pages past
Python-Markdown, event lists as markers, pages written in the policy's order) and with
``shortcuts: false`` (plain MkDocs + Material rendering) and ``search_streaming: false``
(Pagefind reads the written pages after the build instead of getting each page as it is
rendered), and every file must be byte-identical, the search index included (its pages
are added in the order of their paths, not in the order they were written).

Each build runs with the ``theme.features`` of mkdocs.yml and with features the site does
not use (navigation.tabs with navigation.tabs.sticky put Material's tabs, which mark the
current section, into the header the shortcuts render once per depth), so a Material
behaviour the shortcuts do not model fails here instead of on the site.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from conftest import build_site, copy_project

OURS = (
    "navigation.sections",
    "navigation.indexes",
    "navigation.top",
    "navigation.footer",
    "content.action.none",
)
#: Features the site does not use, chosen for what they change in the parts the
#: shortcuts render once: tabs in the header, the page's toc in the navigation,
#: breadcrumbs above the content.
NOT_OURS = (
    "navigation.tabs",
    "navigation.tabs.sticky",
    "toc.integrate",
    "navigation.path",
    "navigation.instant",
)
#: The plugin's switches between its shortcuts and the long way, all on or all off.
SHORTCUTS = ("shortcuts", "search_streaming")
FEATURES = re.compile(r"(?m)^  features:\n(?:    - .*\n)+")


def project_with(tmp_path: Path, name: str, features: tuple[str, ...], shortcuts: bool) -> Path:
    project = copy_project(tmp_path / name)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert FEATURES.search(text), "mkdocs.yml: theme.features not found"
    listed = "".join(f"    - {feature}\n" for feature in features)
    text = FEATURES.sub(lambda _: "  features:\n" + listed, text, count=1)
    option = "      sample_data: true\n"
    assert option in text, "mkdocs.yml: the familienmanager plugin's options not found"
    switches = "".join(f"      {name}: {str(shortcuts).lower()}\n" for name in SHORTCUTS)
    text = text.replace(option, option + switches)
    config.write_text(text, encoding="utf-8")
    return config


def files_of(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "features",
    [OURS, OURS + NOT_OURS],
    ids=["features-of-mkdocs-yml", "with-tabs-sticky-toc-integrate-path"],
)
def test_shortcuts_build_the_same_site_as_plain_mkdocs_and_material(tmp_path, features):
    sites = {}
    for shortcuts in (True, False):
        name = "shortcuts" if shortcuts else "plain"
        config = project_with(tmp_path, f"project-{name}", features, shortcuts)
        result = build_site(tmp_path / name, config=config)
        assert result.returncode == 0, result.stderr
        sites[name] = files_of(tmp_path / name)
    fast, plain = sites["shortcuts"], sites["plain"]
    assert sorted(fast) == sorted(plain)
    assert len(fast) > 500  # the generated pages are there
    assert any(path.startswith("pagefind/fragment/") for path in fast)
    differing = [
        path for path in sorted(fast) if fast[path].read_bytes() != plain[path].read_bytes()
    ]
    if differing:
        first = differing[0]
        diff = difflib.unified_diff(
            plain[first].read_text(encoding="utf-8", errors="replace").splitlines(),
            fast[first].read_text(encoding="utf-8", errors="replace").splitlines(),
            "plain",
            "shortcuts",
            lineterm="",
            n=2,
        )
        shown = "\n".join(list(diff)[:40])
        pytest.fail(f"{len(differing)} files differ, e.g. {first}:\n{shown}")
