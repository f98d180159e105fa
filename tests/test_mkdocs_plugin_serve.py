"""The editors' preview (`make serve`, i.e. ``python -m generator serve``): invalid data
shows the German error list on every page (with live reload), fixing the file brings
the preview back, and a changed template shows without a restart; ``mkdocs serve
--dirty`` too."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, copy_project
from preview_server import ERROR_HEADING, Preview, fetch

#: The walkthrough's broken saves: an impossible date, a typo in a municipality, a tab,
#: a wrong indentation, a missing required field; each with what the list must name.
BROKEN_SAVES = [
    ("events.yaml", 'datum: "2010-11-10"', 'datum: "2010-11-31"', "2010-11-31"),
    ("managers.yaml", "kommune: Essen", "kommune: Esen", "Esen"),
    ("events.yaml", "\n  titel:", "\n\ttitel:", "events.yaml:"),
    ("events.yaml", "\n  reihe: Werkstattreihe", "\n    reihe: Werkstattreihe", "events.yaml:"),
    ("managers.yaml", "\n  kommune: Essen\n", "\n", "kommune"),
]


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "project")


def serve(project, **options) -> Preview:
    preview = Preview(project, **options)
    preview.wait_for_build(0, seconds=600)
    return preview


@pytest.mark.parametrize("dirty", [False, True], ids=["make serve", "mkdocs serve --dirty"])
def test_every_broken_save_shows_the_list_on_every_page_and_a_fix_brings_the_site_back(
    project, dirty
):
    preview = serve(project, dirty=dirty)
    try:
        good = {name: (project / name).read_text(encoding="utf-8") for name in BROKEN_SAVES_FILES}
        pages = preview.pages()
        assert len(pages) > 400 and not any(ERROR_HEADING in page for page in pages.values())
        # make serve: all five; --dirty (not what editors run): the first two
        for name, old, new, named in BROKEN_SAVES[: 2 if dirty else None]:
            assert old in good[name], old
            preview.save(project / name, good[name].replace(old, new, 1))
            broken = preview.pages()
            assert broken.keys() == pages.keys()
            # every page, 404.html too; the editing page (/redaktion/) is the CMS's own app
            stale = [
                path
                for path, page in broken.items()
                if ERROR_HEADING not in page and not path.startswith("redaktion/")
            ]
            assert not stale, f"{old!r} -> {new!r}: {len(stale)} pages without the list"
            page = broken["index.html"]
            assert named in page and re.search(r"\w+\.yaml:\d+", page), page[:2000]
            assert "livereload" in fetch(preview.url)  # the list reloads itself
            preview.save(project / name, good[name])
            assert preview.pages() == pages  # the site as it was, every page
    finally:
        preview.stop()
    assert "inaccurate navigation" not in preview.log() or dirty


BROKEN_SAVES_FILES = sorted({name for name, *_ in BROKEN_SAVES})


def test_serve_starts_with_invalid_data_and_shows_the_list(project):
    events = project / "events.yaml"
    events.write_text(
        # quoted or not: the committed file is in the editing page's format
        re.sub(r'datum: "?2010-11-10"?', "datum: 2010-11-31", events.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    preview = serve(project)
    try:
        # the start page, the pages in the navigation the data makes, any other address
        for path in ("", "termine/", "familienmanager/karte/", "termine/2010-11-10-x/"):
            page = fetch(preview.url + path)
            assert ERROR_HEADING in page and "events.yaml:" in page and "2010-11-31" in page
        assert ">Termine<" in page and "None" not in page  # the navigation keeps its titles
    finally:
        preview.stop()


def test_a_script_pasted_into_a_page_shows_as_its_problem_list_until_removed(project):
    """The build stops on a script in content/; the preview showed the page, script and
    all (the preview has no policy), and named the problem only in the terminal. Now the
    page shows its problems instead, with file and line, until the script is removed."""
    preview = serve(project)
    source = project / "content" / "impressum.md"
    try:
        text = source.read_text(encoding="utf-8")
        line = text.count("\n") + 2
        page = fetch(preview.url + "impressum/")
        assert "Impressum" in page and "Diese Seite enthält ein Skript" not in page
        preview.save(source, text + '\n<script>alert("Hallo")</script>\n')
        shown = fetch(preview.url + "impressum/")
        assert "Diese Seite enthält ein Skript" in shown and 'role="alert"' in shown
        assert f"content/impressum.md:{line}: &lt;script&gt;:" in shown
        assert 'alert("Hallo")' not in shown and "alert(&#34;Hallo&#34;)" not in shown
        assert 'href="#kontakt"' in page and 'href="#kontakt"' not in shown  # no contents
        assert "livereload" in shown  # it goes away by itself
        # Other pages are as they were; the page comes back once the script is gone.
        assert "Diese Seite enthält ein Skript" not in fetch(preview.url + "datenschutz/")
        # Invalid data's list stands on every page, this one too.
        events = project / "events.yaml"
        good = events.read_text(encoding="utf-8")
        preview.save(events, good.replace('datum: "2010-11-10"', 'datum: "2010-11-31"', 1))
        assert ERROR_HEADING in fetch(preview.url + "impressum/")
        preview.save(events, good)
        assert "Diese Seite enthält ein Skript" in fetch(preview.url + "impressum/")
        preview.save(source, text)
        reload = re.compile(r"livereload\(\d+, \d+\)")  # the build's number
        assert reload.sub("", fetch(preview.url + "impressum/")) == reload.sub("", page)
    finally:
        preview.stop()
    assert "Skripte in Inhaltsseiten" in preview.log()  # and in the terminal


@pytest.mark.parametrize("dirty", [False, True], ids=["make serve", "mkdocs serve --dirty"])
def test_a_new_title_and_a_template_override_show_without_a_restart(project, dirty):
    """The report's box „Zur Veranstaltung“ shows the event's new title; a template
    override added to theme/familienmanager/ is used at once, and its removal too."""
    preview = serve(project, dirty=dirty)
    report = "werkstattreihe/2010-11-bochum-marketing/index.html"
    event_page = "termine/2010-11-10-bochum-marketing/index.html"
    try:
        events = project / "events.yaml"
        old = "Kommunales Management für Familien braucht Marketing"
        text = events.read_text(encoding="utf-8")
        assert old in preview.pages()[report]
        preview.save(events, text.replace(old, "Marketing für Familien, neu betitelt", 1))
        assert "Marketing für Familien, neu betitelt" in preview.pages()[report]

        override = project / "theme" / "familienmanager" / "termine_event.html"
        override.parent.mkdir(exist_ok=True)
        package = ROOT / "generator" / "templates" / "termine_event.html"
        marked = package.read_text(encoding="utf-8") + "<p>Eigene Vorlage</p>\n"
        preview.save(override, marked)
        assert "Eigene Vorlage" in preview.pages()[event_page]
        before = preview.builds()
        override.unlink()
        preview.wait_for_build(before)
        assert "Eigene Vorlage" not in preview.pages()[event_page]
    finally:
        preview.stop()


def test_check_runs_without_make_or_a_shell(project, tmp_path):
    """An editor's Windows PC: Python, no make, no POSIX shell. ``python -m generator
    check`` runs with nothing on PATH; the first run with a Python that lacks the
    dependencies hands over to the project's .venv (here the test's own, linked in).
    The preview's own command is what every Preview above starts."""
    bare = {"PATH": str(tmp_path / "no-tools"), "SYSTEMROOT": "", "NO_PROXY": "127.0.0.1"}

    def check(python: str) -> None:
        run = subprocess.run(
            [python, "-m", "generator", "check"],
            cwd=project,
            env=bare,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr
        assert "Alles in Ordnung" in run.stdout

    check(sys.executable)
    # A Python without the project's packages, as on a new computer.
    (project / "generator").symlink_to(ROOT / "generator")
    (project / ".venv").symlink_to(ROOT / ".venv")
    check(getattr(sys, "_base_executable", None) or shutil.which("python3"))


def test_a_port_in_use_is_replaced_by_a_free_one():
    import socket

    from generator.preview import port_to_use

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        other = port_to_use(port)
    assert other != port and port_to_use(other) == other


def test_templates_compiled_for_one_build_serve_the_next_until_they_change(tmp_path, monkeypatch):
    """MkDocs makes a new Jinja environment for every build of `mkdocs serve`: the theme's
    templates are compiled once, and again only when their source or the environment's
    way of compiling changes."""
    import jinja2

    from generator.site.rendering import TemplateCache

    cache = TemplateCache()
    page = tmp_path / "page.html"

    def render(**settings) -> str:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), **settings)
        env.bytecode_cache = cache
        return env.get_template("page.html").render(name="<b>")

    page.write_text("Hallo {{ name }}", encoding="utf-8")
    assert render() == "Hallo <b>"
    with monkeypatch.context() as patched:
        patched.setattr(jinja2.Environment, "compile", None)  # the next one must not compile
        assert render() == "Hallo <b>"
    page.write_text("Guten Tag {{ name }}", encoding="utf-8")
    assert render() == "Guten Tag <b>"
    assert render(autoescape=True) == "Guten Tag &lt;b&gt;"
    assert render() == "Guten Tag <b>"


def test_a_preview_ended_by_its_ide_leaves_nothing_running(project):
    """An IDE or a terminal's close ends the preview with SIGTERM: as after Ctrl+C, MkDocs
    removes its temporary site, and the search's indexer in the background is stopped
    with it instead of running on (seen: 16 left over after benchmark runs)."""
    preview = serve(project)
    preview.stop()
    assert "Shutting down" in preview.log()
    assert not list((project / ".preview").glob("mkdocs_*"))  # MkDocs' temporary site
    assert not list((project / ".preview").glob("suche-*"))  # the search's indexes
    left = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if str(project).encode() in cmdline.read_bytes():
                left.append(cmdline.read_bytes().replace(b"\0", b" ").decode())
        except OSError:  # ended meanwhile
            continue
    assert not left
