"""What the preview adds to MkDocs' serve loop: the data files watched without polling's
delay, and the state a preview keeps between saves left out of Python's cyclic garbage
collection.

Watching. MkDocs 1.6.1 watches with watchdog's ``PollingObserver`` every 0.5 s
(mkdocs/livereload/__init__.py, ``LiveReloadServer.__init__``, lines 105 and 134): on
average a save waits a quarter second, at worst half a second, before its build starts.
:func:`watch_data_files` schedules the data files on a native observer too
(``watchdog.observers.Observer``: inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows; watchdog 7.1.0), which reports a save at once, and
keeps MkDocs' polling as the fallback (a file system without native events). Both
report to one handler that starts a rebuild as MkDocs' own watch callback does (lines
150-156: ``_want_rebuild`` set and ``_rebuild_cond`` notified under that condition,
after which MkDocs waits ``build_delay``, 0.1 s, for more changes, lines 117 and 204), but
only once per state of a file (size, modification time, inode), so the polling observer,
which sees the same save later, does not build it a second time. The native observer
watches each data file's folder (not recursive) and picks the file's events: an editor
that saves by writing a new file and renaming it over the old one keeps being seen.

Polling. ``--watch-theme`` (``make serve`` passes it) polls the installed theme's
folders too; :func:`watch` stops that, see there. It also halves MkDocs' wait for
more changes before a build (:data:`BUILD_DELAY`). For the same reason the installed
theme's files are listed once per preview, not on every build
(:class:`InstalledThemeListing`).

Memory. After the first build a preview holds some half a million objects (every
page's File and Page, the build cache), and Python's full collection walked all of
them during the next save's build (0.3 s of a 1.6 s save at 10,000 events), besides
some hundred young collections (another 0.1 s). :class:`MemorySettler` collects once
after a build that made every page and freezes what is left (``gc.freeze``): later
collections look only at what later builds made. After every other build it collects
once what is not frozen (the last build's cycles: its config, its environment, the
pages made again), and until the end of the next build there are no automatic
collections: a save's build leaves little garbage that only the collector frees, and
it is collected at the build's end. A build that makes every page (many Markdown
instances, each a cycle) collects as usual. What was frozen and becomes garbage later
(a page made again) waits for the next full build, which unfreezes and collects
first: at most one full build's worth.
"""

from __future__ import annotations

import contextlib
import gc
import os
import threading
from collections.abc import Iterable
from pathlib import Path

from jinja2 import FileSystemLoader
from mkdocs.utils import markdown_extensions
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

#: How long MkDocs waits after a change for the next one before it builds (its
#: ``LiveReloadServer.build_delay``, 0.1 s, livereload/__init__.py lines 117 and 204).
#: A save reaches the native observer as one burst of events within milliseconds; a
#: writer that pauses longer between parts of one save gets a build of the part
#: written and, at its next part, another build: the preview ends on the saved file.
BUILD_DELAY = 0.05


def _state(path: str) -> tuple[int, int, int] | None:
    """What tells one save of a file from the next: size, modification time, inode (a
    save that renames a new file over the old one)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


class DataWatch(FileSystemEventHandler):
    """Starts one rebuild of ``server`` (a MkDocs ``LiveReloadServer``) per new state of
    one of ``paths``, however many observers report it."""

    def __init__(self, server, paths: Iterable[Path]):
        self.server = server
        self.paths = {os.path.abspath(path) for path in paths}
        self.seen = {path: _state(path) for path in self.paths}
        self.lock = threading.Lock()
        self.native = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        touched = {os.fsdecode(event.src_path), os.fsdecode(event.dest_path or "")}
        for path in sorted(touched & self.paths):
            with self.lock:
                state = _state(path)
                if state == self.seen[path]:
                    continue
                self.seen[path] = state
            self.rebuild()

    def rebuild(self) -> None:
        """What MkDocs' watch callback does (mkdocs/livereload/__init__.py, lines 150-156)."""
        with self.server._rebuild_cond:
            self.server._want_rebuild = True
            self.server._rebuild_cond.notify_all()


def installed_theme_dirs(config) -> list[str]:
    """The theme's folders but the project's own (``custom_dir``): those of installed
    packages (Material's templates, MkDocs' own)."""
    own = config.theme.custom_dir
    own = os.path.abspath(own) if own else None
    return [d for d in config.theme.dirs if os.path.abspath(d) != own]


class InstalledThemeListing:
    """The installed theme's files, listed once per preview instead of on every save.

    MkDocs 1.6.1 adds the theme's static files to every build
    (``Files.add_files_from_theme``, mkdocs/structure/files.py lines 146-166): Jinja's
    ``list_templates`` walks all theme folders (Material's 14,500 files) and MkDocs'
    filter matches every name against a dozen patterns, 0.05 s of each save at 10,000
    events. The installed folders change only with an upgrade, which needs a restart
    (see :func:`watch`); the project's ``custom_dir`` is listed afresh each time. The
    filter is MkDocs' own: it depends on the name, the theme's ``static_templates`` and
    Markdown's extensions only, so its result per installed folder is kept by those."""

    def __init__(self) -> None:
        self.names: dict[tuple, list[str]] = {}

    def install(self, config) -> None:
        """``on_config`` (serve): this build's theme lists through :meth:`listed`."""
        theme, installed = config.theme, installed_theme_dirs(config)
        get_env = theme.get_env

        def env_listing_once():
            env = get_env()
            original = env.list_templates
            env.list_templates = lambda extensions=None, filter_func=None: (
                original(extensions, filter_func)
                if extensions or filter_func is None
                else self.listed(env.loader.searchpath, installed, theme, filter_func)
            )
            return env

        theme.get_env = env_listing_once

    def listed(self, folders, installed, theme, keep) -> list[str]:
        """What ``Environment.list_templates(filter_func=keep)`` gives for ``folders``:
        every name in any of them that ``keep`` keeps, sorted."""
        names: set[str] = set()
        for folder in folders:
            if folder not in installed:
                names.update(filter(keep, FileSystemLoader(folder).list_templates()))
                continue
            key = (folder, tuple(sorted(theme.static_templates)), tuple(markdown_extensions))
            if key not in self.names:
                self.names[key] = list(filter(keep, FileSystemLoader(folder).list_templates()))
            names.update(self.names[key])
        return sorted(names)


def watch(server, config, data_files: Iterable[Path], log) -> DataWatch:
    """``on_serve``: the installed theme's folders are not polled (``--watch-theme``,
    serve.py lines 93-95, polls all of ``config.theme.dirs``: Material's 14,500 files
    took 0.09 s of Python, holding the interpreter, every 0.5 s, which made a build
    at 10,000 events half a second longer; they change only with an upgrade, which
    needs a restart anyway); the project's ``theme/`` is. Then :func:`watch_data_files`."""
    for folder in installed_theme_dirs(config):
        # LiveReloadServer.unwatch, livereload/__init__.py line 163; a KeyError: not
        # watched (`mkdocs serve` without --watch-theme).
        with contextlib.suppress(KeyError):
            server.unwatch(folder)
    server.build_delay = BUILD_DELAY
    return watch_data_files(server, data_files, log)


def watch_data_files(server, paths: Iterable[Path], log) -> DataWatch:
    """Watch ``paths`` with MkDocs' polling observer and a native one."""
    handler = DataWatch(server, paths)
    for path in sorted(handler.paths):
        server.observer.schedule(handler, path, recursive=False)
    native = Observer()
    try:
        for folder in sorted({os.path.dirname(path) for path in handler.paths}):
            native.schedule(handler, folder, recursive=False)
        native.daemon = True
        native.start()
    except OSError as error:  # no native events here (or no watches left): polling only
        log.debug("Datendateien: nur Abfrage alle 0,5 s (%s)", error)
    else:
        handler.native = native
    return handler


class MemorySettler:
    """Python's cyclic garbage collection in a preview: after a build that made every
    page, one full collection and :func:`gc.freeze`; after any other build one
    collection of what is not frozen. Between them, and during the next save's
    generation, no automatic collections (``gc.disable``); a build that makes every
    page renders with them (:meth:`before_build`)."""

    def __init__(self) -> None:
        self.frozen = False

    def before_build(self, *, full: bool) -> None:
        """``on_pre_build``: a build that makes every page collects as it goes."""
        if full:
            gc.enable()

    def after_build(self, *, full: bool) -> None:
        if full or not self.frozen:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.frozen = True
        else:
            gc.collect()  # what this build and the last left, not the frozen objects
        gc.disable()

    def failed(self) -> None:
        gc.enable()
