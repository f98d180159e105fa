"""The site search's index: Pagefind, fed with the written pages.

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
The index is made of the pages as they are written (:class:`StreamingIndex`; the
preview's, of the written site in the background: :class:`PreviewIndex`) into
``pagefind/`` of the site; the search's script is theme/assets/javascripts/fm-search.js.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

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


#: The pages say lang="de"; the stemmer and the index are German whatever a page says.
LANGUAGE = "de"
#: Not the "¶" of the headings' permalinks (Markdown's toc extension) in titles and text.
EXCLUDED = ".headerlink"


def _command(site_dir: Path, output: Path, quiet: bool) -> list[str]:
    command = [str(pagefind_executable()), "--site", str(site_dir), "--output-path", str(output)]
    command += ["--force-language", LANGUAGE, "--silent" if quiet else "--verbose"]
    return command + ["--exclude-selectors", EXCLUDED]


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


#: Where the searchable part of a page begins: theme/base.html marks the article.
_BODY = re.compile(r"<article\b[^>]*\sdata-pagefind-body[\s>=]")


def searchable_part(html: str) -> str | None:
    """The part of a written page that Pagefind reads (the article marked
    ``data-pagefind-body`` and what is inside it), as a page of its own; None for a page
    not in the search. The marks, the metadata and the title (the first heading) all lie
    inside the article, so Pagefind makes the same record of it as of the whole page."""
    start = _BODY.search(html)
    end = html.rfind("</article>")
    if start is None or end < start.start():
        return None
    return f"<!DOCTYPE html><html><body>{html[start.start() : end]}</article></body></html>"


def streaming_possible() -> bool:
    """Whether :class:`StreamingIndex` can see that Pagefind has finished writing (it
    reads the process's open files from /proc, as on Linux: the CI and the deploy jobs);
    elsewhere the command line indexes the written site."""
    return Path(f"/proc/{os.getpid()}/fd").is_dir()


def index_order(dest_uri: str) -> PurePosixPath:
    """The order in which the pages are added to the index: by path, folder by folder."""
    return PurePosixPath(dest_uri)


class StreamingIndex:
    """`mkdocs build`: each page goes to Pagefind as soon as it is rendered.

    Run on the written site after the build, Pagefind read 10,585 pages (267 MB of HTML)
    at 10,000 events: 8.3 s on top of the build. Here it gets only each page's searchable
    part (:func:`searchable_part`, a tenth of the page) while MkDocs renders the next ones,
    and reads it on the second core; only writing the index waits for the last page.

    It talks to ``pagefind --service``, the protocol of Pagefind's own Node and Python
    wrappers (each message the base64 of its JSON, then a comma). The Python wrapper
    (pagefind 1.5.2, pagefind/service/__init__.py, ``_wait_for_responses``) reads one
    answer per 0.1 s, 17 minutes for 10,000 pages, so this speaks the protocol itself.

    Pagefind numbers the pages in the order they are added, and its command line adds
    them in the order the file system lists them, which differs between machines. Here
    they are added sorted by path (:func:`index_order`; a page rendered early waits for
    its turn), so the index is the same on every machine, and byte for byte the one
    :func:`index_written_site` makes of the written site (tests/test_search_index.py).
    """

    def __init__(self, pages: Iterable[str], output: Path):
        self.order = sorted(pages, key=index_order)
        self.output = Path(output).resolve()
        self.writing: int | None = None  # the message that asked Pagefind to write
        self.next = 0
        self.waiting: dict[str, str | None] = {}
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.process = subprocess.Popen(
            [str(pagefind_executable()), "--service"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.answers: dict[int, dict] = {}
        self.problems: list[str] = []
        self.changed = threading.Condition()
        self.sent = 0
        self.ended = False  # Pagefind closed its output: it has stopped
        threading.Thread(target=self._read, daemon=True).start()
        config = {"force_language": LANGUAGE, "exclude_selectors": [EXCLUDED]}
        self.index = self._ask({"type": "NewIndex", "config": config})["index_id"]

    def add(self, dest_uri: str, html: str) -> None:
        """A page as written; sent when all pages before it in the order were."""
        self.waiting[dest_uri] = searchable_part(html)
        self._send_waiting()

    def write(self) -> IndexReport:
        """Waits for the index in ``output`` (replaced whole); Pagefind began writing it
        when the last page was added, while MkDocs was still finishing the build."""
        start = time.perf_counter()
        for dest_uri in self.order[self.next :]:  # not rendered: not in the index either
            self.waiting.setdefault(dest_uri, None)
        self._send_waiting()
        if self.writing is None:  # no page at all
            self._start_writing()
        self._answer_to(self.writing)
        self._wait_for_open_files()
        self.close()
        if self.problems:
            raise _failed("\n".join(self.problems))
        return IndexReport(pages=_finish(self.output), seconds=time.perf_counter() - start)

    def _send_waiting(self) -> None:
        while self.next < len(self.order) and self.order[self.next] in self.waiting:
            dest_uri = self.order[self.next]
            part = self.waiting.pop(dest_uri)
            if part is not None:
                file = {"file_path": dest_uri, "url": None, "file_contents": part}
                self._send({"type": "AddFile", "index_id": self.index, **file})
            self.next += 1
            if self.next == len(self.order):
                self._start_writing()

    def _start_writing(self) -> None:
        shutil.rmtree(self.output, ignore_errors=True)
        payload = {"type": "WriteFiles", "index_id": self.index, "output_path": str(self.output)}
        self.writing = self._send(payload)

    def _wait_for_open_files(self, seconds: float = 120) -> None:
        """Pagefind 1.5.2 answers WriteFiles before its last writes reach the files (each
        goes to a thread of tokio's, and no file is flushed: pagefind/src/output/mod.rs,
        ``write``), and its service exits at once when its input closes
        (pagefind/src/service/mod.rs: ``std::process::exit`` at the end of input), which
        cut files short (seen on ``wasm.unknown.pagefind`` under load). So its input is
        closed only when it holds no file of the index open any more."""
        descriptors = Path(f"/proc/{self.process.pid}/fd")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            paths = []
            for descriptor in descriptors.iterdir():
                with contextlib.suppress(OSError):  # closed meanwhile
                    paths.append(os.readlink(descriptor))
            if not any(path.startswith(str(self.output)) for path in paths):
                return
            time.sleep(0.005)
        raise _failed("Pagefind hat den Suchindex nicht zu Ende geschrieben.")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.errors.close()

    def _send(self, payload: dict) -> int:
        self.sent += 1
        message = {"message_id": self.sent, "payload": payload}
        try:
            self.process.stdin.write(base64.b64encode(json.dumps(message).encode()) + b",")
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise self._gone() from None
        return self.sent

    def _ask(self, payload: dict) -> dict:
        """Sends ``payload`` and waits for its answer."""
        return self._answer_to(self._send(payload))

    def _answer_to(self, number: int) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: number in self.answers or self.ended)
            if number not in self.answers:
                raise self._gone()
            answer = self.answers.pop(number)
        if answer.get("type") == "Error":
            raise _failed(answer.get("message", ""))
        return answer

    def _read(self) -> None:
        rest = b""
        try:
            while chunk := self.process.stdout.read1(1 << 16):
                *messages, rest = (rest + chunk).split(b",")
                for message in messages:
                    self._answer(json.loads(base64.b64decode(message)))
        finally:
            with self.changed:
                self.ended = True
                self.changed.notify_all()

    def _answer(self, answer: dict) -> None:
        payload = answer.get("payload") or {}
        with self.changed:
            if payload.get("type") == "Error":
                self.problems.append(payload.get("message", ""))
            if payload.get("type") in {"NewIndex", "WriteFiles", "Error"}:
                self.answers[answer.get("message_id")] = payload
            self.changed.notify_all()

    def _gone(self) -> SearchIndexError:
        self.process.wait()
        self.errors.seek(0)
        return _failed(self.errors.read().decode("utf-8", "replace") or "Pagefind wurde beendet.")


def index_written_site(site_dir: Path, pages: Iterable[str]) -> IndexReport:
    """The long way of :class:`StreamingIndex`: the written ``pages`` (paths in
    ``site_dir``), read after the build."""
    index = StreamingIndex(pages, site_dir / FOLDER)
    try:
        for dest_uri in list(index.order):
            index.add(dest_uri, (site_dir / dest_uri).read_text(encoding="utf-8"))
    except BaseException:
        index.close()
        raise
    return index.write()


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
