"""`mkdocs serve` for editors: invalid data shows the German error list in the browser
(with live reload), and fixing the file brings the preview back by itself."""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TEST_EPOCH, copy_project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, seconds: float = 60) -> str:
    """The page once it contains ``text`` (the server rebuilds in the background)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = fetch(url)
        if text in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{url} never showed {text!r}; last page starts {page[:300]!r}")


@contextlib.contextmanager
def serving(project: Path) -> Iterator[str]:
    """The real `mkdocs serve` on ``project``; yields its address."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "NO_PROXY": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def served_project(tmp_path):
    project = copy_project(tmp_path / "project")
    with serving(project) as url:
        yield project, url


def test_invalid_data_shows_the_german_list_and_recovers(served_project):
    project, url = served_project
    map_page = url + "familienmanager/karte/"
    wait_for(map_page, "Wo gibt es sie?", seconds=90)

    managers = project / "managers.yaml"
    good = managers.read_text(encoding="utf-8")
    managers.write_text(good.replace("kommune:", "kommnue:", 1), encoding="utf-8")
    page = wait_for(map_page, "Die Daten enthalten Fehler")
    assert "managers.yaml:" in page and "kommnue: unbekanntes Feld. Meinten Sie „kommune“?" in page
    assert "livereload" in page  # the error page reloads itself when the file changes
    assert 'id="karte-bereich"' not in page  # no stale map pretending all is well

    managers.write_text(good, encoding="utf-8")
    page = wait_for(map_page, 'id="karte-bereich"')
    assert "Die Daten enthalten Fehler" not in page


def test_serve_starts_with_invalid_data_and_shows_the_list(tmp_path):
    project = copy_project(tmp_path / "project")
    events = project / "events.yaml"
    events.write_text(
        # quoted or not: the committed file is in the editing page's format
        re.sub(r'datum: "?2010-11-10"?', "datum: 2010-11-31", events.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    with serving(project) as url:
        page = wait_for(url, "Die Daten enthalten Fehler", seconds=90)
    assert "events.yaml:" in page and "2010-11-31" in page


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
