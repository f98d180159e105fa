"""Take the screenshots of EDITING.md (docs/bilder/redaktion-*.png) from the real
editing page, offline: decap-server (tests/decap_server/, `npm ci` there first) on a
throw-away git copy of the project, and headless Chromium.

    .venv/bin/python scripts/redaktion_screenshots.py

The sign-in picture shows the page as configured for GitHub; the others the local
backend, whose forms are the same.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import chromium_path, copy_project, serve_directory  # noqa: E402
from test_redaktion_browser import (  # noqa: E402
    SERVER,
    Editor,
    free_port,
    git,
    running_server,
    write_editing_page,
)

from generator.redaktion.page import redaktion_outputs  # noqa: E402
from generator.site.settings import EditingSettings  # noqa: E402

OUT = ROOT / "docs" / "bilder"
SIZE = {"width": 1100, "height": 720}


def shot(page, name: str) -> None:
    page.wait_for_timeout(400)
    page.screenshot(path=OUT / f"redaktion-{name}.png")
    print(f"docs/bilder/redaktion-{name}.png")


def main() -> int:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temp, sync_playwright() as playwright:
        temp = Path(temp)
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--lang=de-DE"],
            # Date and time inputs follow the browser's language, as on a German PC.
            env={**os.environ, "LANG": "de_DE.UTF-8", "LANGUAGE": "de"},
        )
        context = browser.new_context(locale="de-DE", viewport=SIZE, timezone_id="Europe/Berlin")
        context.set_default_timeout(15000)
        page = context.new_page()

        # 1. Sign-in, as an editor sees it on the published site (GitHub configured).
        github = temp / "github"
        settings = EditingSettings(repo="beispiel/familienmanager", auth_url="https://x.example")
        for output in redaktion_outputs(settings):
            target = github / output.path
            target.parent.mkdir(parents=True, exist_ok=True)
            content = output.content
            target.write_bytes(content if isinstance(content, bytes) else content.encode())
        server, url = serve_directory(github)
        page.goto(url + "/redaktion/")
        page.get_by_role("button", name=re.compile("GitHub")).wait_for()
        shot(page, "1-anmelden")
        server.shutdown()

        # 2. The forms, against decap-server on a git copy of the project.
        repo = copy_project(temp / "repo")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "Stand")
        port = free_port()
        site = temp / "site"
        write_editing_page(site, ROOT / "mkdocs.yml", f"http://127.0.0.1:{port}/api/v1")
        server, url = serve_directory(site)
        with running_server(["node", str(SERVER)], repo, port, temp / "server.log"):
            editor = Editor(page, url)
            editor.sign_in()
            shot(page, "2-uebersicht")
            editor.open_file("veranstaltungen")
            page.get_by_role("button", name="Veranstaltung hinzufügen", exact=True).click()
            editor.field("id").fill("2026-12-03-bochum-werkstatt")
            editor.field("titel").fill("Werkstatt: Familienzeit in der Kommune")
            page.get_by_label("Tag im Kalender wählen").last.fill("2026-12-03")
            editor.field("beginn").fill("10:00")
            editor.field("ende").fill("16:00")
            editor.field("ort").fill("Bochum")
            editor.field("titel").evaluate("e => e.scrollIntoView({block: 'start'})")
            page.evaluate("window.scrollBy(0, -40)")
            shot(page, "3-veranstaltung-neu")
            editor.field("veranstalter").fill("IQZ")
            editor.choose("reihe", "Werkstattreihe")
            editor.field("beschreibung").fill("Austausch über Familienzeit in der Kommune.")
            editor.save(repo)
            page.get_by_role("button", name="Status: Entwurf").wait_for()
            page.get_by_text("Beitrag gespeichert").wait_for(state="hidden")
            shot(page, "4-gespeichert")

            editor.open_file("veranstaltungen")
            editor.expand("2010-11-10 · Kommunales Management für Familien braucht Marketing")
            editor.field("status").click()
            editor.field("status").scroll_into_view_if_needed()
            shot(page, "5-absagen")
            page.keyboard.type("abgesagt")
            page.keyboard.press("Enter")
            editor.save(repo)
            page.get_by_role("button", name="Status: Entwurf").click()
            shot(page, "6-status")
            page.keyboard.press("Escape")
            editor.publish(repo)

            editor.open_file("familienmanager")
            page.get_by_role("button", name="Eintrag hinzufügen", exact=True).click()
            editor.field("id").fill("kreuzau-1")
            editor.field("kommune").click()
            page.keyboard.type("Kreu")
            editor.field("id").scroll_into_view_if_needed()
            shot(page, "7-kommune-suchen")
            page.keyboard.press("Enter")
            editor.save(repo)
            page.goto(url + "/redaktion/#/workflow")
            page.get_by_text(re.compile(r"^1 Beitrag", re.IGNORECASE)).first.wait_for()
            shot(page, "8-arbeitsablauf")
        server.shutdown()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
