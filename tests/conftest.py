"""Shared fixtures: one site build per session, served on 127.0.0.1, driven by headless Chromium."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

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
) -> subprocess.CompletedProcess:
    """Run a real ``mkdocs build --strict`` into ``destination``; ``site_url`` goes in
    as the deploy jobs pass it (mkdocs.yml: ``site_url: !ENV [SITE_URL, ""]``)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "SITE_URL": site_url}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
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
