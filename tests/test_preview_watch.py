"""What the preview adds to MkDocs' serve loop (generator/engine/serve_loop.py): a save
of a data file starts one rebuild at once, through MkDocs' own server; the installed
theme is not polled; the state a preview keeps is frozen out of full collections."""

from __future__ import annotations

import gc
import shutil
import time
from pathlib import Path
from types import SimpleNamespace

from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import Files
from watchdog.events import FileModifiedEvent, FileMovedEvent

from generator.engine.serve_loop import (
    DataWatch,
    InstalledThemeListing,
    MemorySettler,
    watch,
    watch_data_files,
)

ROOT = Path(__file__).resolve().parent.parent


def _server(tmp_path: Path) -> LiveReloadServer:
    """MkDocs' real server, not started (the constructor binds nothing)."""
    return LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))


def _wants_rebuild(server: LiveReloadServer) -> bool:
    # MkDocs 1.6.1's internals that DataWatch.rebuild sets, as its own watch callback does.
    with server._rebuild_cond:
        wanted, server._want_rebuild = server._want_rebuild, False
    return wanted


def test_one_rebuild_per_new_state_of_a_data_file_however_many_observers_report_it(tmp_path):
    events = tmp_path / "events.yaml"
    events.write_text("- id: a\n", encoding="utf-8")
    server = _server(tmp_path)
    handler = DataWatch(server, [events])
    handler.on_any_event(FileModifiedEvent(str(events)))
    assert not _wants_rebuild(server)  # as it was when the preview started
    events.write_text("- id: ab\n", encoding="utf-8")
    handler.on_any_event(FileModifiedEvent(str(events)))
    assert _wants_rebuild(server)
    handler.on_any_event(FileModifiedEvent(str(events)))  # the polling observer, later
    assert not _wants_rebuild(server)
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    handler.on_any_event(FileModifiedEvent(str(tmp_path / "notes.txt")))
    assert not _wants_rebuild(server)
    # An editor that saves a new file and renames it over the old one.
    saved = tmp_path / ".events.yaml.swp"
    saved.write_text("- id: abc\n", encoding="utf-8")
    saved.replace(events)
    handler.on_any_event(FileMovedEvent(str(saved), str(events)))
    assert _wants_rebuild(server)


def test_a_save_reaches_the_server_through_the_native_observer_at_once(tmp_path):
    events = tmp_path / "events.yaml"
    events.write_text("- id: a\n", encoding="utf-8")
    server = _server(tmp_path)  # its polling observer is never started here
    handler = watch_data_files(server, [events], log=SimpleNamespace(debug=print))
    try:
        assert handler.native is not None, "no native file system events on this machine"
        time.sleep(0.2)
        events.write_text("- id: b\n", encoding="utf-8")
        deadline = time.monotonic() + 5
        while not server._want_rebuild and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _wants_rebuild(server)
    finally:
        handler.native.stop()
        handler.native.join()


def test_the_installed_theme_is_not_polled_but_the_project_theme_is(tmp_path):
    server = _server(tmp_path)
    own, material, mkdocs = tmp_path / "theme", tmp_path / "material", tmp_path / "mkdocs"
    for folder in (own, material, mkdocs):
        folder.mkdir()
        server.watch(str(folder))  # what `mkdocs serve --watch-theme` does
    config = SimpleNamespace(
        theme=SimpleNamespace(custom_dir=str(own), dirs=[str(own), str(material), str(mkdocs)])
    )
    data = tmp_path / "events.yaml"
    data.write_text("", encoding="utf-8")
    handler = watch(server, config, [data], log=SimpleNamespace(debug=print))
    try:
        assert set(server._watched_paths) == {str(own)}
        assert server.build_delay == 0.05  # MkDocs' own: 0.1 s
    finally:
        if handler.native:
            handler.native.stop()


def test_a_full_build_collects_and_freezes_an_incremental_one_collects_what_is_new(monkeypatch):
    calls = []
    for name in ("freeze", "unfreeze", "collect", "enable", "disable"):
        monkeypatch.setattr(gc, name, lambda name=name: calls.append(name))
    memory = MemorySettler()
    memory.before_build(full=True)
    memory.after_build(full=True)  # the first build
    assert calls == ["enable", "unfreeze", "collect", "freeze", "disable"]
    calls.clear()
    memory.before_build(full=False)  # a save: no automatic collections, one at its end
    memory.after_build(full=False)
    assert calls == ["collect", "disable"]
    calls.clear()
    memory.before_build(full=False)
    memory.failed()  # a build that failed: the next one makes every page
    memory.before_build(full=True)
    memory.after_build(full=True)
    assert calls == ["enable", "enable", "unfreeze", "collect", "freeze", "disable"]


def _theme_files(config) -> list[tuple[str, str]]:
    """The theme's static files as MkDocs 1.6.1 adds them to a build."""
    files = Files([])
    files.add_files_from_theme(config.theme.get_env(), config)
    return [(file.src_uri, file.abs_src_path) for file in files]


def test_the_installed_theme_is_listed_once_and_the_project_theme_on_every_build(tmp_path):
    """The preview lists Material's 14,500 files once: each build still gets the static
    files MkDocs' own listing gives, a file new in the project's theme/ included."""
    own = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", own)
    listing = InstalledThemeListing()

    def config():
        theme = {"name": "material", "custom_dir": str(own), "language": "de"}
        return load_config(str(ROOT / "mkdocs.yml"), theme=theme)

    plain = _theme_files(config())
    assert any(src.startswith("assets/javascripts/bundle.") for src, _ in plain)
    for _ in range(2):  # listed, then taken from what was listed
        once = config()
        listing.install(once)
        assert _theme_files(once) == plain
    assert len(listing.names) == 2  # Material's folder and MkDocs' own, once each
    (own / "assets" / "neu.js").write_text("", encoding="utf-8")
    once = config()
    listing.install(once)
    assert _theme_files(once) == _theme_files(config())
    assert ("assets/neu.js", str(own / "assets" / "neu.js")) in _theme_files(once)
