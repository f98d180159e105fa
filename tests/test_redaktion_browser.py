"""The editing page (/redaktion/) end to end, offline, in headless Chromium.

Playwright drives the real Decap CMS of the built site against decap-server, Decap's
local git backend (npm, tests/decap_server/, package-lock.json committed), which this
module starts on 127.0.0.1 on a free port and stops again. decap-server runs in git
mode: each save is a commit on a branch ``cms/<collection>/<file>`` (the editorial
workflow, as a pull/merge request on GitHub/GitLab) and "Jetzt veröffentlichen"
merges it into ``main``, in a throw-away git copy of the project.

Without Node.js the tests fail under CI=true and skip elsewhere, like the other
browser and Node tests.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import (
    ROOT,
    TEST_EPOCH,
    axe_violations,
    build_site,
    copy_project,
    open_context,
    serve_directory,
)

from generator.data.canonical import field_layout, format_entries, header_of
from generator.data.models import Event, Manager

# Alone, after the parallel part of `make test`: Decap re-renders its form while another
# worker loads both cores, and a field it is typing into detaches.
pytestmark = [pytest.mark.browser, pytest.mark.serial]

SERVER_DIR = ROOT / "tests" / "decap_server"
SERVER = SERVER_DIR / "node_modules" / "decap-server" / "dist" / "index.js"
EDITOR = "/redaktion/"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Redaktion Test",
    "GIT_AUTHOR_EMAIL": "redaktion@example.org",
    "GIT_COMMITTER_NAME": "Redaktion Test",
    "GIT_COMMITTER_EMAIL": "redaktion@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}
NEW_EVENT = {
    "id": "2026-12-03-bochum-werkstatt",
    "titel": "Werkstatt: Familienzeit in der Kommune",
    "datum": "2026-12-03",
    "beginn": "10:00",
    "ende": "16:00",
    "ort": "Bochum",
    "veranstalter": "IQZ",
    "reihe": "Werkstattreihe",
    "beschreibung": "Austausch über Familienzeit in der Kommune – mit „Zitaten“ & Umlauten.",
}
CANCELLED = "2010-11-10-bochum-marketing"
EDITED_MANAGER = "essen-2"
NEW_OFFICE = "Jugendamt, Büro für Familien (neu)"


def _office_of(manager_id: str) -> str:
    """The office the committed managers.yaml gives ``manager_id`` (the sample data changes)."""
    entries = yaml.safe_load((ROOT / "managers.yaml").read_text(encoding="utf-8"))
    return next(entry["dienststelle"] for entry in entries if entry["id"] == manager_id)


def _missing(what: str) -> None:
    message = f"{what} is required for the editing page's browser tests"
    if os.environ.get("CI"):
        pytest.fail(f"{message} in CI (apt-get install nodejs npm).")
    pytest.skip(f"{message}; not installed")


@pytest.fixture(scope="module")
def decap_server() -> list[str]:
    """The command that starts decap-server (``npm ci`` in tests/decap_server/ once)."""
    node = shutil.which("node")
    if node is None:
        _missing("Node.js")
    if not SERVER.is_file():
        npm = shutil.which("npm")
        if npm is None:
            _missing("npm")
        result = subprocess.run(
            [npm, "ci", "--prefix", str(SERVER_DIR), "--no-audit", "--no-fund", "--prefer-offline"],
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"npm ci in {SERVER_DIR} failed:\n{result.stderr}"
    return [node, str(SERVER)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_editing_page(destination: Path, config: Path, local_url: str) -> None:
    """The editing page's files as the build makes them from ``config`` (mkdocs.yml read
    by MkDocs, with REDAKTION_LOKAL set), written into ``destination``/redaktion/.
    Only these files: the rest of the site would take a full build, and the tests here
    build the whole site once, from the edited repository."""
    from generator.mkdocs_config import PLUGIN_NAME, load_config, settings_of
    from generator.redaktion.page import redaktion_outputs

    previous = os.environ.get("REDAKTION_LOKAL")
    os.environ["REDAKTION_LOKAL"] = local_url
    try:
        loaded = load_config(str(config))
    finally:
        if previous is None:
            os.environ.pop("REDAKTION_LOKAL", None)
        else:
            os.environ["REDAKTION_LOKAL"] = previous
    settings = settings_of(loaded, loaded.plugins[PLUGIN_NAME].config)
    assert settings.editing.local_url == local_url
    for output in redaktion_outputs(settings.editing, settings.site_url):
        target = destination / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = output.content
        target.write_bytes(content if isinstance(content, bytes) else content.encode())


@pytest.fixture(scope="module")
def editing_site(tmp_path_factory, decap_server):
    """The editing page pointed at decap-server on a free port, served on 127.0.0.1;
    yields (port, site URL). Each test starts its own server on that port."""
    port = free_port()
    destination = tmp_path_factory.mktemp("redaktion-site")
    write_editing_page(destination, ROOT / "mkdocs.yml", f"http://127.0.0.1:{port}/api/v1")
    server, url = serve_directory(destination)
    yield port, url
    server.shutdown()


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV},
        check=True,
    )
    return result.stdout


@pytest.fixture
def repository(tmp_path) -> Path:
    """A git copy of the project on branch main: what an editor's repository holds."""
    repo = copy_project(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Stand vor der Redaktion")
    return repo


@contextlib.contextmanager
def running_server(command: list[str], repo: Path, port: int, log: Path):
    """decap-server in git mode for ``repo`` on 127.0.0.1:port; stopped afterwards."""
    env = {
        **os.environ,
        **GIT_ENV,
        "PORT": str(port),
        "BIND_HOST": "127.0.0.1",
        "MODE": "git",
        "GIT_REPO_DIRECTORY": str(repo),
        "LOG_LEVEL": "info",
    }
    with log.open("w") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 20
            while "listening" not in log.read_text():
                assert process.poll() is None, log.read_text()
                assert time.monotonic() < deadline, "decap-server did not start"
                time.sleep(0.1)
            yield process
        finally:
            process.terminate()
            process.wait(timeout=10)


class Editor:
    """An editor's hands on the editing page."""

    def __init__(self, page, url: str):
        self.page = page
        self.url = url
        # Decap asks "really publish?" with window.confirm.
        page.on("dialog", lambda dialog: dialog.accept())

    def sign_in(self) -> None:
        self.page.goto(self.url + EDITOR)
        self.page.get_by_role("button", name="Login").click()
        self.page.get_by_text("Veranstaltungen").first.wait_for()

    def open_file(self, collection: str) -> None:
        """The collection's page, then its one file, as an editor clicks through (going
        from one file's form straight to another's by address keeps the first file's
        entries in Decap 3.16's form)."""
        self.page.goto(f"{self.url}{EDITOR}#/collections/{collection}")
        self.page.locator(f'a[href$="/collections/{collection}/entries/{collection}"]').click()
        self.page.locator('[id^="id-field-"]').first.wait_for(state="attached")
        # The entry is loaded (Decap renders the form again when it has read the file).
        self.page.wait_for_load_state("networkidle")

    def field(self, name: str):
        """The field ``name`` of the entry being edited (the only one expanded)."""
        return self.page.locator(f'[id^="{name}-field-"]:visible').last

    def replace(self, name: str, value: str) -> None:
        """Overwrite a text field as an editor does: select all, type over it (Playwright's
        fill() on Decap's text input keeps the old text in front of the new)."""
        field = self.field(name)
        field.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.press("Delete")
        field.fill(value)
        assert field.input_value() == value

    def choose(self, name: str, option: str) -> None:
        self.field(name).click()
        self.page.keyboard.type(option)
        self.page.keyboard.press("Enter")

    def expand(self, summary: str) -> None:
        """Open the collapsed entry with this summary line by its fold button, as a screen
        reader names it (redaktion.js), until it says it stays open: a form Decap renders
        again folds its entries."""
        button = self.page.get_by_role("button", name=f"Eintrag „{summary}“", exact=True)
        for _ in range(3):
            if button.get_attribute("aria-expanded") != "true":
                button.click()
            self.page.wait_for_timeout(500)
            if button.get_attribute("aria-expanded") == "true":
                return
        raise AssertionError(f"the entry „{summary}“ does not stay open")

    def save(self, repo: Path) -> None:
        """Save, and wait for decap-server's commit on the entry's branch."""
        before = git(repo, "rev-list", "--all", "--count")
        self.page.get_by_role("button", name="Speichern", exact=True).click()
        deadline = time.monotonic() + 20
        while git(repo, "rev-list", "--all", "--count") == before:
            assert time.monotonic() < deadline, "the change was not saved"
            time.sleep(0.2)

    def publish(self, repo: Path) -> None:
        """Set the change request to ready and publish it: decap-server merges the
        entry's branch into main (on GitHub/GitLab: the pull/merge request is merged)."""
        self.page.get_by_role("button", name="Status: Entwurf").click()
        self.page.get_by_text("Abgeschlossen", exact=True).click()
        self.page.get_by_role("button", name="Status: Abgeschlossen").wait_for()
        self.page.get_by_role("button", name="Veröffentlichen").click()
        self.page.get_by_text("Jetzt veröffentlichen").click()
        deadline = time.monotonic() + 20
        while "cms/" in git(repo, "branch", "--all"):
            assert time.monotonic() < deadline, "the change was not published"
            time.sleep(0.2)
        self.page.get_by_role("button", name="Veröffentlicht").wait_for()


MONATE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
          "September", "Oktober", "November", "Dezember")  # fmt: skip
#: What Decap 3.16 names in English and redaktion.js in German.
ENGLISH = re.compile(r"\b(Expand|Collapse|to now|dropdown|view option|draggable|field)\b")


def assert_accessible(page) -> None:
    """What a screen reader gets on the page: every button named, in German (Chromium's
    accessibility tree), and no WCAG 2.1 A/AA finding of axe-core."""
    page.evaluate("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")
    tree = page.locator("body").aria_snapshot()
    unnamed = [line for line in tree.splitlines() if re.fullmatch(r"\s*- button:?", line)]
    assert unnamed == [], tree
    assert not ENGLISH.search(tree), ENGLISH.search(tree)
    findings = [
        (v["id"], n["html"][:200], n.get("failureSummary", ""))
        for v in axe_violations(page)
        for n in v["nodes"]
    ]
    assert findings == []


def _expected(original: str, model, change) -> str:
    """The file as it should be after the change: the canonical format of the edited data."""
    entries = yaml.safe_load(original)
    change(entries)
    return format_entries(header_of(original), entries, field_layout(model))


def _changed_lines(repo: Path, start: str, path: str) -> list[str]:
    """The lines git adds or removes in ``path`` since ``start``."""
    diff = git(repo, "diff", "--unified=0", start, "HEAD", "--", path)
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_add_edit_cancel_through_the_page_changes_only_those_entries(
    browser, editing_site, decap_server, repository, tmp_path
):
    port, url = editing_site
    events_before = (repository / "events.yaml").read_text(encoding="utf-8")
    managers_before = (repository / "managers.yaml").read_text(encoding="utf-8")
    start = git(repository, "rev-parse", "HEAD").strip()
    context = open_context(browser, viewport={"width": 1280, "height": 900})
    # Decap saves through decap-server and git; with the suite on both cores a step can
    # take longer than Playwright's default.
    context.set_default_timeout(45000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The page's own policy allows all the CMS does while editing and publishing.
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        with running_server(decap_server, repository, port, tmp_path / "server.log"):
            editor = Editor(page, url)
            editor.sign_in()

            # 1. A new event, with the date picker's and the time pickers' values.
            editor.open_file("veranstaltungen")
            page.get_by_role("button", name="Veranstaltung hinzufügen", exact=True).click()
            for name in ("id", "titel", "ort", "veranstalter", "beschreibung"):
                editor.field(name).fill(NEW_EVENT[name])
            page.get_by_label("Tag im Kalender wählen").last.fill(NEW_EVENT["datum"])
            editor.field("beginn").fill(NEW_EVENT["beginn"])
            editor.field("ende").fill(NEW_EVENT["ende"])
            editor.choose("reihe", NEW_EVENT["reihe"])
            editor.save(repository)
            # The change waits on the workflow board, dated in German.
            page.goto(url + EDITOR + "#/workflow")
            card_date = page.locator('[class*="-CardDateContainer"]').first
            card_date.wait_for()
            page.wait_for_timeout(100)
            assert re.match(rf"\d{{1,2}}\. ({'|'.join(MONATE)})\b", card_date.inner_text())
            assert_accessible(page)

            # 2. An event cancelled: its status. The form, folded and open, is named in
            # German for a screen reader, and axe-core finds nothing.
            editor.open_file("veranstaltungen")
            assert_accessible(page)
            editor.expand("2010-11-10 · Kommunales Management für Familien braucht Marketing")
            assert_accessible(page)
            editor.choose("status", "abgesagt")
            editor.save(repository)
            editor.publish(repository)

            # 3. A manager's office changed.
            editor.open_file("familienmanager")
            editor.expand(f"Essen · {EDITED_MANAGER}")
            editor.replace("dienststelle", NEW_OFFICE)
            editor.save(repository)
            editor.publish(repository)
    except Exception:
        page.screenshot(path=tmp_path / "letzter-stand.png")  # what the editor saw
        raise
    finally:
        context.close()
    assert errors == []

    # The files on disk: exactly the canonical format of the edited data.
    def add_and_cancel(entries):
        entries.append(dict(NEW_EVENT))
        next(e for e in entries if e["id"] == CANCELLED)["status"] = "abgesagt"

    def change_office(entries):
        next(e for e in entries if e["id"] == EDITED_MANAGER)["dienststelle"] = NEW_OFFICE

    assert git(repository, "branch", "--show-current").strip() == "main"
    assert git(repository, "status", "--porcelain") == ""
    events_after = (repository / "events.yaml").read_text(encoding="utf-8")
    managers_after = (repository / "managers.yaml").read_text(encoding="utf-8")
    assert events_after == _expected(events_before, Event, add_and_cancel)
    assert managers_after == _expected(managers_before, Manager, change_office)

    # git: one merge per file onto main, and only the touched entries' lines differ.
    touched = git(repository, "diff", "--name-only", start, "HEAD").split()
    assert sorted(touched) == ["events.yaml", "managers.yaml"]
    assert _changed_lines(repository, start, "events.yaml") == [
        "+  status: abgesagt",
        "+",
        f'+- id: "{NEW_EVENT["id"]}"',
        f'+  titel: "{NEW_EVENT["titel"]}"',
        f'+  datum: "{NEW_EVENT["datum"]}"',
        '+  beginn: "10:00"',
        '+  ende: "16:00"',
        "+  ort: Bochum",
        "+  veranstalter: IQZ",
        "+  reihe: Werkstattreihe",
        '+  beschreibung: "Austausch über Familienzeit in der Kommune – mit „Zitaten“ & Umlauten."',
    ]
    assert _changed_lines(repository, start, "managers.yaml") == [
        f"-  dienststelle: {_office_of(EDITED_MANAGER)}",
        f"+  dienststelle: {NEW_OFFICE}",
    ]
    assert "Redaktionsseite" in git(repository, "log", "--format=%s", f"{start}..HEAD")

    # CI's check passes, and the site built from the repository shows the changes.
    check = run_check(repository)
    assert check.returncode == 0, check.stderr
    site = tmp_path / "site"
    result = build_site(site, config=repository / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    new_page = (site / "termine" / NEW_EVENT["id"] / "index.html").read_text(encoding="utf-8")
    assert "Werkstatt: Familienzeit in der Kommune" in new_page
    cancelled = (site / "termine" / CANCELLED / "index.html").read_text(encoding="utf-8")
    assert re.search(r"[Aa]bgesagt", cancelled)
    shown = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in site.rglob("*")
        if p.suffix in (".html", ".geojson", ".json") and "redaktion" not in p.parts
    )
    assert NEW_OFFICE in shown.replace("&#39;", "'")


def test_an_invalid_value_is_refused_by_the_form_or_named_by_the_check(
    browser, editing_site, decap_server, repository, tmp_path
):
    port, url = editing_site
    start = git(repository, "rev-parse", "HEAD").strip()
    context = open_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        with running_server(decap_server, repository, port, tmp_path / "server.log"):
            editor = Editor(page, url)
            editor.sign_in()
            # Straight from one file's form to the other's by address: the page loads
            # afresh, so the second form holds the second file's entries.
            editor.open_file("veranstaltungen")
            page.goto(f"{url}{EDITOR}#/collections/familienmanager/entries/familienmanager")
            page.get_by_text(f"Essen · {EDITED_MANAGER}", exact=True).wait_for()
            assert page.get_by_text("2008 · Erstes Treffen", exact=False).count() == 0

            editor.open_file("veranstaltungen")
            page.get_by_role("button", name="Veranstaltung hinzufügen", exact=True).click()
            # The form refuses an id with capitals and spaces, and a missing title.
            editor.field("id").fill("Falsche Kennung")
            editor.field("datum").fill("2026-12-03")
            editor.field("veranstalter").fill("IQZ")
            editor.field("beschreibung").fill("Beschreibung.")
            editor.choose("reihe", "Werkstattreihe")
            page.get_by_role("button", name="Speichern", exact=True).click()
            page.get_by_text("Bitte eintragen: die Form, die der Hilfetext").first.wait_for()
            page.get_by_text("ist erforderlich").first.wait_for()
            assert "cms/" not in git(repository, "branch", "--all")

            # What the form cannot know: a deadline after the event, a place that does
            # not exist. Saved as a change request; CI's check on its branch names both
            # with file and line, before anything is published.
            editor.replace("id", "2026-12-03-nirgendwo")
            editor.field("titel").fill("Werkstatt an einem unbekannten Ort")
            editor.field("ort").fill("Nirgendwohausen")
            editor.field("anmeldeschluss").fill("2026-12-10")
            editor.save(repository)
    except Exception:
        page.screenshot(path=tmp_path / "letzter-stand.png")
        raise
    finally:
        context.close()
    branch = "cms/veranstaltungen/veranstaltungen"
    assert git(repository, "rev-parse", "main").strip() == start  # nothing published
    assert git(repository, "diff", "--name-only", "main", branch).split() == ["events.yaml"]
    git(repository, "checkout", "-q", branch)  # what CI checks out for the request
    text = (repository / "events.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    deadline_line = lines.index('  anmeldeschluss: "2026-12-10"') + 1
    place_line = lines.index("  ort: Nirgendwohausen") + 1
    assert run_check(repository).stderr.startswith(
        f"events.yaml:{deadline_line}: anmeldeschluss: der Anmeldeschluss (2026-12-10) liegt "
        "nach dem letzten Tag der Veranstaltung (2026-12-03)."
    )
    # With the deadline put right, the next run names the place no gazetteer knows.
    fixed = text.replace('anmeldeschluss: "2026-12-10"', 'anmeldeschluss: "2026-12-01"')
    (repository / "events.yaml").write_text(fixed, encoding="utf-8")
    check = run_check(repository)
    assert f"events.yaml:{place_line}: ort:" in check.stderr
    assert "Nirgendwohausen" in check.stderr


def run_check(repo: Path) -> subprocess.CompletedProcess:
    """CI's check (make check) in the repository, with the tests' build date."""
    return subprocess.run(
        [sys.executable, "-m", "generator", "check"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH},
    )
