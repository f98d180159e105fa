"""The generated files among MkDocs' files: added, and put in the order the
Content-Security-Policy is stamped in."""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from generator.build_cache import fingerprint
from generator.engine.shortcuts import source_of
from generator.site.csp import write_order
from generator.site.outputs import OutputFile, SiteBuild

#: A data block (structured data), not a script: the policy does not cover it.
JSON_LD = '<script type="application/ld+json"'
JSON_LD_BYTES = JSON_LD.encode()


def site_key(invariants: str, config_file: Path, docs_dir: Path, theme_dir: Path) -> str:
    """What every page shows (the navigation, the theme, the settings): when it changes,
    `mkdocs serve --dirty` renders all pages again. The paths are made absolute: MkDocs
    1.6.1 serve's first config holds them as given on the command line (``mkdocs.yml``,
    ``theme``), each later one absolute, and a name that differs made the first save a
    full build."""
    config_file, docs_dir, theme_dir = (p.resolve() for p in (config_file, docs_dir, theme_dir))
    pages = sorted(docs_dir.rglob("*.md"))
    return fingerprint(invariants, files=[config_file, *pages, *sorted(theme_dir.rglob("*.*"))])


def add_generated(
    files: Files,
    config,
    site: SiteBuild,
    *,
    stamped: bool,
    shortcuts: bool,
    known: Callable[[OutputFile], File | None] = lambda output: None,
    writes: BackgroundWrites | None = None,
) -> Files:
    """``files`` with the generated ones added (NOT_IN_NAV, as Material's blog plugin does:
    no "not included in the nav" line each), in :func:`generator.site.csp.write_order`
    when the pages are ``stamped``. Which of them `mkdocs serve --dirty` renders again is
    generator/engine/incremental.py's decision; ``known`` gives the File (and its Page) the
    last build made of the same output, which serves again. With the shortcuts, the other
    generated files are written by ``writes`` (:class:`WrittenAside`)."""
    scripted: set[str] = set()  # pages with inline scripts of their own (the map)
    for output in site.files:
        content = source_of(output, shortcuts)
        aside = shortcuts and writes is not None and not output.path.endswith(".md")
        file = known(output) or (WrittenAside if aside else File).generated(
            config, output.path, content=content, inclusion=InclusionLevel.NOT_IN_NAV
        )
        if isinstance(file, WrittenAside):
            file.writes = writes
        files.append(file)
        if stamped and file.is_documentation_page() and _own_scripts(content):
            scripted.add(file.dest_uri)
    return in_write_order(files, scripted) if stamped and shortcuts else files


def _own_scripts(content: str | bytes) -> bool:
    """Whether a page has inline scripts of its own (the map). Only an order: a data block
    (JSON-LD) is no script, and a miss costs time. A finished page's source is UTF-8."""
    script, data = ("<script", JSON_LD) if isinstance(content, str) else (b"<script", JSON_LD_BYTES)
    return content.count(script) > content.count(data)


def in_write_order(files: Files, scripted: set[str]) -> Files:
    """``files`` with the pages in :func:`generator.site.csp.write_order`: MkDocs 1.6.1
    writes the pages in the order of ``files`` (mkdocs/commands/build.py, lines 334-337), and
    in this order nearly every page gets the final policy at once."""
    pages = {f.dest_uri: f for f in files if f.is_documentation_page()}
    others = [f for f in files if not f.is_documentation_page()]
    return Files([*others, *(pages[uri] for uri in write_order(list(pages), scripted))])


class BackgroundWrites:
    """Writes files in a thread of their own, in the order given; :meth:`wait` returns
    when all are written (and raises the first error). Opening a new file is a system
    call that waits for the file system, and Python lets another thread run meanwhile."""

    def __init__(self):
        self.queue: queue.Queue[tuple[str, str | bytes]] = queue.Queue()
        self.errors: list[OSError] = []
        self.thread: threading.Thread | None = None

    def put(self, path: str, content: str | bytes) -> None:
        if self.thread is None:
            self.thread = threading.Thread(target=self._write, daemon=True)
            self.thread.start()
        self.queue.put((path, content))

    def wait(self) -> None:
        self.queue.join()
        if self.errors:
            error, self.errors = self.errors[0], []
            raise error

    def _write(self) -> None:
        while True:
            path, content = self.queue.get()
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "wb") as file:
                    file.write(content.encode("utf-8") if isinstance(content, str) else content)
            except OSError as error:
                self.errors.append(error)
            finally:
                self.queue.task_done()


class WrittenAside(File):
    """A generated file that is no page (a calendar file, a feed, the map's data), written
    by :class:`BackgroundWrites` while MkDocs renders the pages. MkDocs 1.6.1 copies such
    files one after the other before the first page (Files.copy_static_files,
    mkdocs/structure/files.py, line 113, calling File.copy_file, line 473): at 10,000
    events, opening 9,700 new files kept the build waiting 3.5 s. The adapter waits for
    the writes when the pages are written (IncrementalBuilds.finish)."""

    writes: BackgroundWrites

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():
            return
        self.writes.put(self.abs_dest_path, self._content)
