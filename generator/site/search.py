"""The site search's index: Pagefind, run on the finished pages.

Material's search plugin wrote one ``search_index.json`` of every page's text, which the
browser loaded whole and indexed before the first result (8 MB and 4.8 s at 10,000
events). Pagefind writes a static index split into chunks by word and a fragment per
page; a query loads only the chunks of its words and the fragments of the results it
shows, so the first result costs about the same at 500 and at 50,000 pages. Its
indexer is a Rust binary that the PyPI package ``pagefind[bin]`` ships, so the build
needs nothing but Python packages.

What is indexed is marked in the pages themselves: ``data-pagefind-body`` on the article
of every page not excluded from search (theme/base.html), ``data-pagefind-ignore`` on
long lists that have pages of their own, ``data-pagefind-meta`` for what a result is
(``typ``: Termin, Kommune; other pages are "Seite") and an event's date (``datum``).
The index comes from the written pages, so it is written after MkDocs wrote them, into
``pagefind/`` of the site; the search's script is theme/assets/javascripts/fm-search.js.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: The folder of the site that holds the index and Pagefind's script.
FOLDER = "pagefind"
#: What Pagefind writes for its own ready-made interfaces, which the site does not use
#: (fm-search.js talks to pagefind.js): left out of the published site.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-component-ui.*",
    "pagefind-highlight.js",
)


class SearchIndexError(RuntimeError):
    """The index could not be built; the message says why, in German."""


@dataclass(frozen=True)
class IndexReport:
    pages: int
    seconds: float


def pagefind_executable() -> Path:
    """The Pagefind binary of the installed ``pagefind[bin]`` package."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    found = get_executable() if get_executable else None
    if found is None:
        raise SearchIndexError(
            "Pagefind fehlt: Die Suche kann nicht gebaut werden. Abhilfe: "
            "`make check` (oder `pip install -c requirements.lock -e .`) installiert es."
        )
    return Path(found)


def _command(site_dir: Path, output: Path, quiet: bool) -> list[str]:
    command = [str(pagefind_executable()), "--site", str(site_dir), "--output-path", str(output)]
    # The pages say lang="de"; the stemmer and the index are German whatever a page says.
    command += ["--force-language", "de", "--silent" if quiet else "--verbose"]
    # Not the "¶" of the headings' permalinks (Markdown's toc extension) in titles and text.
    return command + ["--exclude-selectors", ".headerlink"]


def _finish(output: Path) -> int:
    """Leave out what the site does not use; how many pages the index holds."""
    for pattern in UNUSED:
        for path in output.glob(pattern):
            path.unlink()
    pages = len(list((output / "fragment").glob("*.pf_fragment")))
    if pages == 0:
        raise SearchIndexError("Der Suchindex (Pagefind) ist leer: Keine Seite ist durchsuchbar.")
    return pages


def _failed(result_text: str) -> SearchIndexError:
    return SearchIndexError(f"Der Suchindex (Pagefind) wurde nicht gebaut:\n{result_text.strip()}")


def build_search_index(site_dir: Path, *, quiet: bool = True) -> IndexReport:
    """Index the pages under ``site_dir`` into ``site_dir/pagefind`` (replaced whole)."""
    site_dir = Path(site_dir)
    start = time.perf_counter()
    output = site_dir / FOLDER
    shutil.rmtree(output, ignore_errors=True)
    env = {**os.environ, "NO_COLOR": "1"}
    command = _command(site_dir, output.resolve(), quiet)
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    if result.returncode != 0:
        raise _failed(result.stderr or result.stdout)
    return IndexReport(pages=_finish(output), seconds=time.perf_counter() - start)


def _background(command: list[str]) -> list[str]:
    """The preview's indexer yields the processor to the next save's build: Pagefind uses
    every core, and at 10,000 events it ran beside each build (`nice` where there is
    one; on Windows the process gets a lower priority class)."""
    nice = shutil.which("nice")
    return [nice, "-n", "10", *command] if nice and os.name == "posix" else command


class PreviewIndex:
    """The preview's search: indexing 10,000 events takes seconds, and a save's build
    writes the pages it changed (a full one empties the folder first). So the preview
    never waits for the index: after each build the last index is linked into the site
    at once (the search answers, at most one save behind), and a new one is built in
    the background beside the site; a save while it runs stops it and starts over. A
    finished index replaces the last one in one rename."""

    def __init__(self, log: Callable[[str], None]):
        self.log = log
        self.lock = threading.Lock()
        self.process: subprocess.Popen | None = None
        self.wanted = 0
        self.store: Path | None = None

    def after_build(self, site_dir: Path) -> None:
        site_dir = Path(site_dir)
        if self.store is None:
            self.store = site_dir.parent / f"suche-{site_dir.name}"
            atexit.register(self.close)
        self._link(site_dir)
        with self.lock:
            self.wanted += 1
            turn = self.wanted
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()  # indexes pages that are gone
        threading.Thread(target=self._index, args=(site_dir, turn), daemon=True).start()

    def _link(self, site_dir: Path) -> None:
        current = self.store / "aktuell"
        link = site_dir / FOLDER
        if not current.is_dir() or link.exists():
            return
        try:
            link.symlink_to(current.resolve(), target_is_directory=True)
        except OSError:  # Windows without the right to link: a copy
            shutil.copytree(current, link)

    def _index(self, site_dir: Path, turn: int) -> None:
        fresh = self.store / f"neu-{turn}"
        shutil.rmtree(fresh, ignore_errors=True)
        env = {**os.environ, "NO_COLOR": "1"}
        with self.lock:
            if turn != self.wanted:
                return
            self.process = subprocess.Popen(
                _background(_command(site_dir, fresh.resolve(), quiet=True)),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                creationflags=getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0),
            )
            process = self.process
        _, errors = process.communicate()
        try:
            with self.lock:
                if turn != self.wanted or process.returncode != 0:
                    if turn == self.wanted:
                        self.log(str(_failed(errors)))
                    return
                pages = _finish(fresh)
                current, old = self.store / "aktuell", self.store / f"alt-{turn}"
                if current.exists():
                    current.rename(old)
                fresh.rename(current)
                shutil.rmtree(old, ignore_errors=True)
                self._link(site_dir)
            self.log(f"Suche: {pages} Seiten im Index")
        except (OSError, SearchIndexError) as error:
            self.log(f"Der Suchindex der Vorschau wurde nicht erneuert: {error}")
        finally:
            shutil.rmtree(fresh, ignore_errors=True)

    def close(self) -> None:
        with self.lock:
            self.wanted += 1
            if self.process is not None and self.process.poll() is None:
                self.process.terminate()
        if self.store is not None:
            shutil.rmtree(self.store, ignore_errors=True)
