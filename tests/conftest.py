"""Shared fixtures: one site build per session, served on 127.0.0.1, driven by headless Chromium."""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.data.models import Event

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Fixed build date for the tests' site (2026-11-22 12:00 UTC), so "today" is known.
TEST_EPOCH = "1795348800"
#: The browser's "now" in every browser test unless a test sets another: the build date,
#: so pages that compare their events with the visitor's clock behave alike on any day.
TEST_NOW = "2026-11-22T13:00:00+01:00"


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), *CHROMIUM_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def build_site(
    destination: Path,
    config: Path = ROOT / "mkdocs.yml",
    epoch: str = TEST_EPOCH,
    site_url: str = "",
    engine: str = "mkdocs",
) -> subprocess.CompletedProcess:
    """Run a real ``mkdocs build --strict`` into ``destination``; ``site_url`` goes in
    as the deploy jobs pass it (mkdocs.yml: ``site_url: !ENV [SITE_URL, ""]``);
    ``engine="properdocs"`` builds with the MkDocs fork instead."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "SITE_URL": site_url}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            engine,
            "build",
            "--strict",
            "--config-file",
            str(config),
            "--site-dir",
            str(destination),
        ],
        cwd=config.parent,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The shipped data built once per test session."""
    destination = tmp_path_factory.mktemp("site")
    result = build_site(destination)
    assert result.returncode == 0, result.stderr
    return destination


def indexed_pages(site: Path) -> dict[str, dict]:
    """The pages in a built site's search index (Pagefind's fragments: gzip, a signature,
    then JSON with the page's address, text and metadata), by address."""
    pages = {}
    for fragment in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd"), fragment
        page = json.loads(data[len(b"pagefind_dcd") :])
        pages[page["url"]] = page
    return pages


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


def serve_directory(directory: Path) -> tuple[ThreadingHTTPServer, str]:
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="session")
def site_url(built_site) -> Iterator[str]:
    """Base URL of the built site, served on loopback."""
    server, url = serve_directory(built_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright; missing Chromium fails in CI, skips elsewhere."""
    executable = chromium_path()
    if executable is None:
        if os.environ.get("CI"):
            pytest.fail(
                "Chromium is required for the browser tests in CI (apt-get install chromium)."
            )
        pytest.skip("Chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield instance
        instance.close()


def open_context(browser, **options):
    """The only way tests open a browser context: German, Berlin time, clock pinned to TEST_NOW.

    A page never sees the machine's clock, so no browser test can start failing on a
    later day (tests/test_clock_pinning.py keeps other ways out of the suite).
    """
    context = browser.new_context(**{"locale": "de-DE", "timezone_id": "Europe/Berlin", **options})
    context.clock.set_fixed_time(TEST_NOW)
    return context


@pytest.fixture
def page(browser):
    """A fresh page (own context: no stored consent) that records every requested URL."""
    context = open_context(browser)
    tab = context.new_page()
    tab.requested_urls = []
    tab.on("request", lambda request: tab.requested_urls.append(request.url))
    yield tab
    context.close()


def axe_violations(page, *, exclude_rules: tuple[str, ...] = ()) -> list[dict]:
    """WCAG 2.0/2.1 A and AA violations axe-core finds on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    results = Axe().run(page, options=options)
    return [v for v in results.response["violations"] if v["id"] not in exclude_rules]


# --- shared by several test modules (from test_calendar_ical.py) ---


BUILD_DATE = dt.date(2026, 11, 22)


HOSTILE_TITLE = (
    'Böse </script><script>alert(1)</script> & "Anführung"; Semikolon, Komma {{ extra.nope }}'
)


HOSTILE_TEXT = (
    "Zeile eins, mit Komma; und Semikolon.\n"
    "Zeile zwei: Umlaute äöüß ÄÖÜ – „Zitat“ </script><!-- \\ Backslash\n"
    "{{ extra.herausgeber.name }} <img src=x onerror=alert(2)> ]]> & &amp;"
)


HOSTILE_PLACE = "Saal <b>1</b>; Etage 2, Raum \\N"


def make_event(**fields) -> Event:
    base = {
        "id": "2010-11-10-bochum-marketing",
        "titel": "Kommunales Management für Familien braucht Marketing",
        "datum": "2010-11-10",
        "beginn": "10:00",
        "ende": "16:00",
        "ort": "Bochum",
        "veranstaltungsort": "Veranstaltungszentrum der Ruhr-Universität Bochum",
        "veranstalter": "IQZ",
        "reihe": "Werkstattreihe",
        "beschreibung": "Workshop zu Marketing für Familien.",
    }
    return Event.model_validate(base | fields)


def check_rfc5545(data: bytes) -> list[str]:
    """Problems with the raw bytes: CRLF line ends, folding at 75 octets, balanced
    components, required properties, VTIMEZONE for every TZID used."""
    problems = []
    if not data.endswith(b"\r\n"):
        problems.append("does not end with CRLF")
    if re.search(rb"(?<!\r)\n", data) or re.search(rb"\r(?!\n)", data):
        problems.append("bare LF or CR")
    physical = data.split(b"\r\n")[:-1]
    for number, line in enumerate(physical, 1):
        if len(line) > 75:
            problems.append(f"line {number} has {len(line)} octets")
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 character")
    # Unfold (a CRLF followed by one space or tab continues the line).
    logical = re.sub(rb"\r\n[ \t]", b"", data).decode("utf-8").split("\r\n")[:-1]
    stack: list[str] = []
    properties: list[set[str]] = []
    tzids_used, tzids_defined = set(), set()
    for line in logical:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        value = line.split(":", 1)[1] if ":" in line else ""
        if name == "BEGIN":
            stack.append(value)
            properties.append(set())
        elif name == "END":
            if not stack or stack[-1] != value:
                problems.append(f"END:{value} does not close {stack[-1:]}")
                continue
            done, props = stack.pop(), properties.pop()
            if done == "VEVENT" and not props >= REQUIRED_IN_VEVENT:
                problems.append(f"VEVENT lacks {REQUIRED_IN_VEVENT - props}")
            if done == "VEVENT" and "DTEND" in props and "DURATION" in props:
                problems.append("VEVENT has DTEND and DURATION")
            if done == "VCALENDAR" and not {"VERSION", "PRODID"} <= props:
                problems.append("VCALENDAR lacks VERSION or PRODID")
        else:
            if not properties:
                problems.append(f"property outside a component: {line[:30]}")
                continue
            properties[-1].add(name)
            if name == "TZID" and stack[-1] == "VTIMEZONE":
                tzids_defined.add(value)
            for match in re.finditer(r";TZID=([^;:]+)", line.split(":", 1)[0]):
                tzids_used.add(match.group(1))
    if stack:
        problems.append(f"unclosed {stack}")
    if tzids_used - tzids_defined:
        problems.append(f"no VTIMEZONE for {tzids_used - tzids_defined}")
    return problems


# --- shared by several test modules (from test_calendar_grid.py) ---


def event(id: str, datum: str, **fields) -> Event:
    base = {
        "id": id,
        "titel": f"Titel {id}",
        "datum": datum,
        "ort": "Bochum",
        "veranstalter": "IQZ",
        "reihe": "Werkstattreihe",
        "beschreibung": "Beschreibung.",
    }
    return Event.model_validate(base | fields)


# --- shared by several test modules (from test_mkdocs_plugin_build.py) ---


PROJECT_FILES = (
    "mkdocs.yml",
    "managers.yaml",
    "events.yaml",
    "geocache.yaml",
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
)


def copy_project(destination: Path) -> Path:
    """A throw-away copy of the project to break on purpose."""
    destination.mkdir()
    for name in PROJECT_FILES:
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, destination / name)
    for folder in ("content", "theme", "schema"):
        shutil.copytree(ROOT / folder, destination / folder)
    return destination


# --- shared by several test modules (from test_map_browser.py) ---


MAP = "/familienmanager/karte/"


BASEMAP = "sgx.geodatenzentrum.de"


MARKERS = ".leaflet-marker-icon, .marker-cluster"


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xe8\xec\xde")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


TILE = _png()


def serve_tiles(page, host: str) -> None:
    """The network is closed: tiles from ``host`` get a tiny PNG, anything else foreign fails."""

    def handle(route):
        if urlsplit(route.request.url).hostname == host:
            route.fulfill(body=TILE, content_type="image/png")
        else:
            route.abort()

    page.route(lambda url: urlsplit(url).hostname != "127.0.0.1", handle)


def foreign_hosts(page) -> set[str]:
    return {urlsplit(url).hostname for url in page.requested_urls} - {"127.0.0.1"}


def agree(page, host: str) -> None:
    """Consent stored before the page runs, as after an earlier "Karte laden"."""
    page.add_init_script(f"localStorage.setItem({STORE_KEY!r}, {host!r})")


REQUIRED_IN_VEVENT = {"UID", "DTSTAMP", "DTSTART"}

STORE_KEY = "familienmanager-karte-kacheln"


# --- iCalendar clients in Node (ical.js, node-ical) ---------------------------------

CLIENTS = ROOT / "tests" / "ical_clients"
#: The Node processes run in a zone far from Berlin and UTC: a parser that fell back to
#: local time instead of reading the TZID would show up as wrong instants.
NODE_TZ = "Pacific/Auckland"


def _missing(what: str) -> None:
    message = f"{what} is required for the iCalendar client tests"
    if os.environ.get("CI"):
        pytest.fail(f"{message} in CI (apt-get install nodejs npm).")
    pytest.skip(f"{message}; not installed")


@pytest.fixture(scope="session")
def node_clients():
    """A function: iCalendar bytes -> what ical.js and node-ical read (read_events.mjs)."""
    node = shutil.which("node")
    if node is None:
        _missing("Node.js")
    if not (CLIENTS / "node_modules").is_dir():
        npm = shutil.which("npm")
        if npm is None:
            _missing("npm")
        result = subprocess.run(
            [npm, "ci", "--prefix", str(CLIENTS), "--no-audit", "--no-fund", "--prefer-offline"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"npm ci in {CLIENTS} failed:\n{result.stderr}"

    def read(data: bytes) -> dict:
        result = subprocess.run(
            [node, str(CLIENTS / "read_events.mjs")],
            input=data,
            capture_output=True,
            env={**os.environ, "TZ": NODE_TZ},
            timeout=60,
        )
        assert result.returncode == 0, result.stderr.decode()
        return json.loads(result.stdout)

    return read
