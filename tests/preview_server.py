"""The editors' preview as `make serve` runs it (``python -m generator serve``), or plain
``mkdocs serve --dirty``, on a throw-away project: its log, its builds and the folder
it serves from (MkDocs' temporary site folder, which the preview keeps in the project)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import TEST_EPOCH

#: MkDocs' log lines: a build starts; the first one ends before the server starts, every
#: later one with the browsers reloaded or with the server's error message. Not
#: "Documentation built in …": MkDocs 1.6.1 drops a build-log message identical to an
#: earlier one (utils.DuplicateFilter, mkdocs/__main__.py line 55), so a build exactly as
#: long as an earlier one, to the hundredth of a second, ends without it.
STARTED, SERVING = "Building documentation...", "Serving on"
ENDED = ("Reloading browsers", "An error happened during the rebuild")


def finished_builds(log: str) -> int:
    return (SERVING in log) + sum(log.count(line) for line in ENDED)


ERROR_HEADING = "Die Daten enthalten Fehler"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, seconds: float = 120) -> str:
    """The page at ``url``; a busy server gets ``seconds`` to answer (a 404 is a page)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                return ""
            time.sleep(0.5)


class Preview:
    """A running preview; ``dirty`` runs ``mkdocs serve --dirty`` instead of make serve's
    command. Output goes to a file, so a full pipe can never stall the server."""

    def __init__(self, project: Path, *, dirty: bool = False, port: int | None = None):
        self.project, self.port = project, port or free_port()
        self.log_path = project / "preview.log"
        address = f"127.0.0.1:{self.port}"
        if dirty:
            command = ["-m", "mkdocs", "serve", "--dirty", "--watch-theme", "--dev-addr", address]
        else:  # what `make serve` runs
            command = ["-m", "generator", "serve", "--port", str(self.port)]
        preview = str(project / ".preview")
        env = {**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "NO_PROXY": "127.0.0.1"}
        env |= {"TMPDIR": preview, "TEMP": preview, "TMP": preview}
        (project / ".preview").mkdir(exist_ok=True)
        self._log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, *command],
            cwd=project,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def builds(self) -> int:
        """Finished builds so far."""
        return finished_builds(self.log())

    def wait_for_build(self, after: int, seconds: float = 240) -> None:
        """Until a build after the first ``after`` has finished and no other is running."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError("the preview stopped:\n" + self.log()[-3000:])
            log = self.log()
            if finished_builds(log) > after and log.count(STARTED) == finished_builds(log):
                time.sleep(1.0)  # a second save event may start another build
                log = self.log()
                if log.count(STARTED) == finished_builds(log):
                    return
            time.sleep(0.2)
        raise AssertionError(f"no build after {after} within {seconds} s:\n{self.log()[-3000:]}")

    def save(self, path: Path, text: str) -> None:
        """Write ``text`` as an editor's save and wait for the build it starts."""
        before = self.builds()
        path.write_text(text, encoding="utf-8")
        self.wait_for_build(before)

    def site(self) -> Path:
        """The folder the preview serves (MkDocs' temporary site folder)."""
        (folder,) = (self.project / ".preview").glob("mkdocs_*")
        return folder

    def pages(self) -> dict[str, str]:
        """Every HTML page the preview serves, by path."""
        site = self.site()
        return {
            str(path.relative_to(site)): path.read_text(encoding="utf-8")
            for path in sorted(site.rglob("*.html"))
        }

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()
