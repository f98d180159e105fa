"""The preview's incremental builds (generator/engine/incremental.py): after a save,
`make serve` renders and writes only what changed, and the folder it serves equals what
the same save gives with ``incremental: false`` (every file built again), byte for byte
(no normalisation). The search index is left out: the preview makes Pagefind's in the
background after each build (tests/test_search_index.py).

The builds run in this process as `mkdocs serve --dirty` runs them (mkdocs 1.6.1,
mkdocs/commands/serve.py: the config loaded again for each build, the plugins kept), so
the test costs builds, not server start-ups. What is reused is checked by what a
visitor would notice if it went stale, and by what is not written again.
"""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path

import pytest
from conftest import TEST_EPOCH, copy_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from generator.engine.files import site_key

SERVE_URL = "http://127.0.0.1:8000/"
OPTION = "      sample_data: true\n"
#: An event with a documentation page (its title shows in the report's box) and one without.
CHANGED = "termine/2010-11-10-bochum-marketing/index.html"
OTHER = "termine/2009-09-essen-vernetzung/index.html"
#: Pages in the navigation: the report on the changed event, and the map.
REPORT = "werkstattreihe/2010-11-bochum-marketing/index.html"
MAP_PAGE = "familienmanager/karte/index.html"


class Session:
    """One `mkdocs serve --dirty` session on ``project``: its first build, then
    :meth:`save` for each save."""

    def __init__(self, project: Path, site_dir: Path):
        # MkDocs keeps a plugin with on_startup for the whole process (config_options.py,
        # Plugins.plugin_cache): each session has its own.
        self.plugins: dict = {}
        self.project, self.site_dir = project, site_dir
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url=SERVE_URL, dirty=True)

    def _config(self):
        MkDocsConfig.plugins.plugin_cache = self.plugins
        config = load_config(
            config_file=str(self.project / "mkdocs.yml"), site_dir=str(self.site_dir)
        )
        config.site_url = SERVE_URL
        return config

    def save(self, edit) -> None:
        edit(self.project)
        build(self._config(), serve_url=SERVE_URL, dirty=True)

    def files(self) -> dict[str, bytes]:
        site = self.site_dir
        return {
            path.relative_to(site).as_posix(): path.read_bytes()
            for path in sorted(site.rglob("*"))
            if path.is_file() and not path.relative_to(site).as_posix().startswith("pagefind/")
        }

    def written(self) -> dict[str, int]:
        """Every file's modification time (ns)."""
        return {
            p.relative_to(self.site_dir).as_posix(): p.stat().st_mtime_ns
            for p in self.site_dir.rglob("*")
            if p.is_file() and not p.relative_to(self.site_dir).as_posix().startswith("pagefind/")
        }


def project_with(base: Path, name: str, *, incremental: bool, nav: str = "") -> Path:
    project = copy_project(base / name)
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert OPTION in text, "mkdocs.yml: the familienmanager plugin's options not found"
    text = text.replace(OPTION, OPTION + f"      incremental: {str(incremental).lower()}\n")
    if nav:
        assert "\n  - Impressum: impressum.md\n" in text, "mkdocs.yml: nav not found"
        text = text.replace(
            "\n  - Impressum: impressum.md\n", f"\n  - {nav}\n  - Impressum: impressum.md\n"
        )
    config.write_text(text, encoding="utf-8")
    return project


def replace(name: str, old: str, new: str):
    def edit(project: Path) -> None:
        path = project / name
        text = path.read_text(encoding="utf-8")
        assert old in text, old
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def remove_event(event_id: str):
    def edit(project: Path) -> None:
        path = project / "events.yaml"
        text = path.read_text(encoding="utf-8")
        entry = re.compile(rf'(?m)^- id: "?{re.escape(event_id)}"?\n(?:  .*\n|\n)*?(?=- id: |\Z)')
        assert entry.search(text), event_id
        path.write_text(entry.sub("", text, count=1), encoding="utf-8")

    return edit


def add_event_and_image(project: Path) -> None:
    events = project / "events.yaml"
    events.write_text(
        events.read_text(encoding="utf-8").rstrip("\n")
        + '\n\n- id: "2027-03-05-neu"\n  titel: "Werkstatt neu"\n  datum: "2027-03-05"\n'
        '  beginn: "10:00"\n  ende: "16:00"\n  ort: Kreuzau\n  veranstalter: IQZ\n'
        '  reihe: Werkstattreihe\n  beschreibung: "Ein neuer Workshop."\n',
        encoding="utf-8",
    )
    (project / "content" / "neu.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')


OLD_TITLE = "Kommunales Management für Familien braucht Marketing"
SAVES = [
    replace("events.yaml", OLD_TITLE, "Marketing für Familien, neu betitelt"),
    remove_event("2008-08-workshop-kreise"),
    add_event_and_image,
    replace(
        "managers.yaml", "dienststelle: Jugendamt, Familienbüro\n", "dienststelle: Familienbüro\n"
    ),
]


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", TEST_EPOCH)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    yield
    gc.enable()  # a preview collects only after its builds (serve_loop.MemorySettler)


def test_saves_write_only_what_changed_and_the_same_files_as_full_builds(tmp_path, epoch):
    on = Session(project_with(tmp_path, "on", incremental=True), tmp_path / "site-on")
    off = Session(project_with(tmp_path, "off", incremental=False), tmp_path / "site-off")
    assert on.files() == off.files()
    before, previous = on.written(), on.files()[MAP_PAGE]
    for number, save in enumerate(SAVES):
        prior = on.written()
        on.save(save)
        off.save(save)
        got, expected = on.files(), off.files()
        assert got.keys() == expected.keys(), (number, sorted(got.keys() ^ expected.keys())[:5])
        differ = [path for path in expected if got[path] != expected[path]]
        assert not differ, f"save {number}: {len(differ)} files differ, e.g. {differ[:5]}"
        if number == 0:  # a title: its event's page and the lists, not every page
            now = on.written()
            rewritten = {path for path in now if now[path] != before.get(path)}
            assert "Marketing für Familien, neu betitelt" in got[CHANGED].decode()
            assert CHANGED in rewritten
            assert (
                OTHER not in rewritten
                and "familienmanager/kommunen/essen/index.html" not in rewritten
            )
            assert len(rewritten) < len(now) / 4, len(rewritten)
            # The navigation's pages: the report that names the event is rendered again
            # with the new title; the map and the hand-written pages are kept.
            assert REPORT in rewritten
            assert "Marketing für Familien, neu betitelt" in got[REPORT].decode()
            assert not rewritten & {MAP_PAGE, "impressum/index.html", "index.html", "404.html"}
        if number == 3:  # a manager's office: the map is made again
            assert on.written()[MAP_PAGE] != prior[MAP_PAGE]
            office = "Jugendamt, Familienbüro"
            assert got[MAP_PAGE].count(office.encode()) == previous.count(office.encode()) - 1
        previous = got[MAP_PAGE]
    assert "termine/2008-08-workshop-kreise/index.html" not in got  # removed, and its folder
    assert not (on.site_dir / "termine" / "2008-08-workshop-kreise").exists()
    assert "neu.svg" in got and "termine/2027-03-05-neu/index.html" in got


def test_a_title_the_navigation_shows_renders_every_page_again(tmp_path, epoch):
    """With an event page in the navigation, its new title must reach every page."""
    nav = "termine/2010-11-10-bochum-marketing.md"
    on = Session(project_with(tmp_path, "on", incremental=True, nav=nav), tmp_path / "site-on")
    on.save(replace("events.yaml", OLD_TITLE, "Marketing, neu in der Navigation"))
    pages = {path: page for path, page in on.files().items() if path.endswith(".html")}
    stale = [
        path
        for path, page in pages.items()
        if b"Marketing, neu in der Navigation" not in page and not path.startswith("redaktion/")
    ]
    assert not stale, f"{len(stale)} pages with the old navigation, e.g. {stale[:5]}"
    fresh = tmp_path / "fresh"
    shutil.copytree(on.project, fresh)
    cold = Session(fresh, tmp_path / "site-cold")
    assert on.files() == cold.files()


def test_the_first_save_is_not_a_full_build_for_paths_given_relative(tmp_path, monkeypatch):
    """`python -m generator serve` passes ``mkdocs.yml`` and MkDocs' first config keeps
    ``theme`` as written, each later config has them absolute: the same project must give
    the same key, or the editor's first save rebuilds everything (28 s at 10,000 events)."""
    project = copy_project(tmp_path / "project")
    monkeypatch.chdir(project)
    relative = site_key("x", Path("mkdocs.yml"), Path("content"), Path("theme"))
    absolute = site_key("x", project / "mkdocs.yml", project / "content", project / "theme")
    assert relative == absolute
    (project / "theme" / "extra.css").write_text("p { color: red }\n", encoding="utf-8")
    assert site_key("x", Path("mkdocs.yml"), Path("content"), Path("theme")) != relative
