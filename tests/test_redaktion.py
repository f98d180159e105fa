"""The editing page (/redaktion/): forms made from the models, the canonical file format
written alike by Python and by the page, the vendored CMS, and the page's own security.

The browser tests of the editing itself are in tests/test_redaktion_browser.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, indexed_pages, open_context, serve_directory

from generator.data import municipalities as gv
from generator.data import register as nrw
from generator.data.canonical import field_layout, format_entries, format_text, header_of
from generator.data.models import Event, Manager
from generator.redaktion.config import cms_config, data_files, format_rules
from generator.redaktion.page import page_policy, redaktion_outputs
from generator.site.settings import EditingSettings

VENDOR = ROOT / "generator" / "redaktion" / "vendor"
FORMAT_JS = ROOT / "generator" / "redaktion" / "format.js"
GITHUB = EditingSettings(
    repo="beispiel/familienmanager", auth_url="https://anmeldung.example.org", site_name="Test"
)


def _list_fields(config: dict, collection: str) -> list[dict]:
    found = next(c for c in config["collections"] if c["name"] == collection)
    fields = found["files"][0]["fields"]
    assert [f["name"] for f in fields] == ["kopf", "eintraege"]
    return fields[1]["fields"]


def _names(fields: list[dict]) -> dict:
    """Field names, nested groups as dicts."""
    return {f["name"]: _names(f["fields"]) if "fields" in f else None for f in fields}


def _model_names(model) -> dict:
    return {
        name: _model_names(nested) if (nested := _nested_model(info)) else None
        for name, info in model.model_fields.items()
    }


def _nested_model(info):
    from pydantic import BaseModel

    from generator.data.canonical import unwrap

    target = unwrap(info.annotation)
    return target if isinstance(target, type) and issubclass(target, BaseModel) else None


@pytest.mark.parametrize(
    ("collection", "model"), [("veranstaltungen", Event), ("familienmanager", Manager)]
)
def test_every_model_field_has_a_form_field_and_no_other(collection, model):
    config = cms_config(GITHUB, data_files("managers.yaml", "events.yaml"))
    assert _names(_list_fields(config, collection)) == _model_names(model)


@pytest.mark.parametrize(
    ("collection", "model"), [("veranstaltungen", Event), ("familienmanager", Manager)]
)
def test_labels_help_and_required_marks_come_from_the_model(collection, model):
    config = cms_config(GITHUB, data_files("managers.yaml", "events.yaml"))
    for field in _list_fields(config, collection):
        info = model.model_fields[field["name"]]
        assert field["required"] is info.is_required(), field["name"]
        assert field["label"].endswith("(Pflichtfeld)") is info.is_required(), field["name"]
        if info.description:
            assert field["hint"] == info.description
        assert not re.search(r"[A-Z][a-z]+ [A-Z][a-z]+$", field["label"]), field["label"]


def test_widgets_pickers_and_choices():
    config = cms_config(GITHUB, data_files("managers.yaml", "events.yaml"))
    events = {f["name"]: f for f in _list_fields(config, "veranstaltungen")}
    managers = {f["name"]: f for f in _list_fields(config, "familienmanager")}
    # kommune: every municipality and district, values as the register spells them.
    places = managers["kommune"]
    assert places["widget"] == "select"
    values = [o["value"] for o in places["options"]]
    assert len(values) == len(gv.MUNICIPALITIES) + len(nrw.DISTRICTS) == 396 + 31
    assert set(values) == set(gv.place_names())
    assert {"label": "Kreuzau (Kreis Düren)", "value": "Kreuzau"} in places["options"]
    assert {"label": "Kreis Düren (ganzer Kreis)", "value": "Kreis Düren"} in places["options"]
    assert managers["kreis"]["options"] == sorted(nrw.DISTRICTS, key=nrw.fold)
    assert events["kreis"]["options"] == managers["kreis"]["options"]
    assert managers["regierungsbezirk"]["options"] == list(nrw.REGIERUNGSBEZIRKE)
    assert events["status"] == events["status"] | {"widget": "select", "required": False}
    assert events["status"]["options"] == ["angekündigt", "abgesagt", "verschoben", "stattgefunden"]
    # Pickers that store exactly what the model accepts, and no "now" by default.
    for name in ("bis", "anmeldeschluss"):
        assert (
            events[name] | {"format": "YYYY-MM-DD", "time_format": False, "default": ""}
            == (events[name])
        )
    for name in ("beginn", "ende"):
        assert events[name]["widget"] == "datetime"
        assert events[name]["format"] == "HH:mm" and events[name]["date_format"] is False
    assert events["datum"]["widget"] == "fm-datum"
    assert re.fullmatch(events["datum"]["pattern"][0], "2008-04")
    assert (
        managers["jahr"] | {"widget": "number", "value_type": "int", "min": 2005}
        == (managers["jahr"])
    )
    assert managers["aktiv"] | {"widget": "boolean", "default": True} == managers["aktiv"]


def test_a_new_constraint_in_the_model_reaches_the_form():
    """Another developer adds limits to the models: the form follows without an edit."""
    from typing import Annotated

    from pydantic import Field, create_model

    from generator.redaktion.config import form_fields

    limited = create_model(
        "Limited",
        titel=(Annotated[str, Field(max_length=120, description="Titel.")], ...),
        kurz=(str | None, Field(None, min_length=2, max_length=5, pattern=r"^[a-z]+$")),
        uhr=(str | None, Field(None, pattern=r"^([01]\d|2[0-3]):[0-5]\d$")),
        tag=(str | None, Field(None, pattern=r"^20\d\d-[01]\d-[0-3]\d$")),
        kennung=(str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")),
    )
    fields = {f["name"]: f for f in form_fields(limited)}
    pattern, message = fields["titel"]["pattern"]
    assert re.search(pattern, "x" * 120) and not re.search(pattern, "x" * 121)
    assert "höchstens 120 Zeichen" in message
    pattern, message = fields["kurz"]["pattern"]
    assert re.search(pattern, "abc") and not re.search(pattern, "a")
    assert not re.search(pattern, "abcdef") and not re.search(pattern, "ABC")
    # A stricter time or day pattern keeps its picker; an id that happens to accept
    # "2010-11-10" stays text.
    assert fields["uhr"]["widget"] == "datetime" and fields["uhr"]["format"] == "HH:mm"
    assert fields["tag"]["widget"] == "datetime" and fields["tag"]["format"] == "YYYY-MM-DD"
    assert fields["kennung"]["widget"] == "string"


# --- the canonical format: Python and the page write the same bytes --------------------

TRICKY_ENTRIES = [
    {
        "id": "2026-01-15-test",
        "titel": "yes",
        "datum": 2026,
        "beschreibung": 'Zeile 1\nZeile 2 mit "Anführung", Backslash \\ und Tab\t.',
        "ort": "Mülheim an der Ruhr",
        "veranstalter": "IQZ: Institut",
        "reihe": "Werkstattreihe",
        "kosten": "45 € (mit Mittagessen)",
        "zielgruppe": "  führende Leerzeichen",
        "kontakt": {"web": "https://example.org/a#b", "name": "", "email": None},
        "status": "abgesagt",
        "barrierefreiheit": "Null",
        "zeitraum": "# kein Kommentar",
        "unbekannt": ["a", {"b": 1}],
        "lat": 51.5,
        "lon": 7.0,
        "veranstaltungsort": "Raum\u2028Trenner\u0085und\ufeffBOM",
    },
    {"id": "leer", "kontakt": {}, "aktiv": True},
    {"kommune": "Essen", "id": "essen-9", "aktiv": False, "kurs": 4},
]


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("Node.js is required in CI for the editing page's format test.")
        pytest.skip("Node.js not installed")
    return node


def _format_js(header: str, entries: list, model) -> str:
    script = (
        "const f = require(process.argv[1]);"
        "const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "const w = f.makeWriter(input.rules);"
        "process.stdout.write(w.fileText(f.headerOf(input.header), input.entries, input.rules.layout));"
    )
    result = subprocess.run(
        [_node(), "-e", script, str(FORMAT_JS)],
        input=json.dumps({"rules": format_rules(model), "header": header, "entries": entries}),
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@pytest.mark.parametrize(("path", "model"), [("managers.yaml", Manager), ("events.yaml", Event)])
def test_the_page_writes_the_committed_files_byte_for_byte(path, model):
    """What the page's format.js writes from the data is the committed file: a save that
    changes nothing changes no line (and `python -m generator format --check` passes)."""
    import yaml

    text = (ROOT / path).read_text(encoding="utf-8")
    assert format_text(text, model, path) == text
    entries = yaml.safe_load(text)
    assert _format_js(text, entries, model) == text


@pytest.mark.parametrize("model", [Event, Manager])
def test_python_and_the_page_agree_on_tricky_values(model):
    header = "# Kopf\n#   eingerückt   \n"
    python = format_entries(header_of(header), TRICKY_ENTRIES, field_layout(model))
    assert _format_js(header, TRICKY_ENTRIES, model) == python
    # What YAML reads back is the data (empty values and defaults left out).
    import yaml

    again = yaml.safe_load(python)
    first = again[0]
    assert first["titel"] == "yes"
    # A year typed as a number is text in events (the model's datum), kept elsewhere.
    assert first["datum"] == ("2026" if model is Event else 2026)
    assert first["beschreibung"] == TRICKY_ENTRIES[0]["beschreibung"]
    assert first["zielgruppe"] == "  führende Leerzeichen"
    assert first["barrierefreiheit"] == "Null" and first["zeitraum"] == "# kein Kommentar"
    assert first["veranstaltungsort"] == TRICKY_ENTRIES[0]["veranstaltungsort"]
    assert first["kontakt"] == {"web": "https://example.org/a#b"}
    assert first["unbekannt"] == ["a", {"b": 1}]
    # kontakt is empty; aktiv: true is a manager's default (an event has no such field).
    assert again[1] == ({"id": "leer"} if model is Manager else {"id": "leer", "aktiv": True})
    assert python.startswith("# Kopf\n#   eingerückt\n\n- ")


def test_format_command_and_its_check(tmp_path):
    (tmp_path / "managers.yaml").write_text(
        "# Kopf\n- kommune: Essen\n  id: 'essen-1'\n  aktiv: true\n", encoding="utf-8"
    )
    (tmp_path / "events.yaml").write_text((ROOT / "events.yaml").read_text(), encoding="utf-8")

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "generator", "--root", str(tmp_path), "format", *args],
            capture_output=True,
            text=True,
        )

    check = run("--check")
    assert check.returncode == 1
    assert "managers.yaml: nicht im Format der Redaktionsseite" in check.stderr
    assert "events.yaml" not in check.stderr
    assert run().returncode == 0
    assert (tmp_path / "managers.yaml").read_text() == "# Kopf\n\n- id: essen-1\n  kommune: Essen\n"
    assert run("--check").returncode == 0


# --- the vendored CMS ---------------------------------------------------------------


def test_vendored_files_match_their_checksums_and_pins():
    sums = (VENDOR / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in sums:
        digest, name = line.split("  ")
        listed[name] = digest
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    on_disk = {p.relative_to(VENDOR).as_posix() for p in VENDOR.rglob("*") if p.is_file()} - {
        "SHA256SUMS"
    }
    assert on_disk == set(listed)
    script = (ROOT / "scripts" / "update_redaktion_vendor.py").read_text()
    for package in ("decap-cms", "js-yaml"):
        version, integrity = (VENDOR / package / "VERSION").read_text().split("\n")[:2]
        assert f'"{version.split()[1]}"' in script
        assert f'"{integrity.split()[-1]}"' in script
        assert "MIT" in version and (VENDOR / package / "LICENSE").is_file()
    assert "decap-cms/decap-cms.js" in listed


def test_no_cdn_and_no_source_map_requests_in_the_page_files():
    outputs = {o.path: o.content for o in redaktion_outputs(GITHUB)}
    html = outputs["redaktion/index.html"]
    for src in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert not urlsplit(src).netloc, src
        if not src.startswith("../"):  # ../assets/images/favicon.png is Material's
            assert f"redaktion/{src}" in outputs, src


# --- the built site: the page is there, apart from the public pages --------------------


def test_built_site_has_the_page_with_its_own_policy_and_noindex(built_site):
    page = (built_site / "redaktion" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    own = re.search(
        r'<meta http-equiv="Content-Security-Policy" data-own-policy content="([^"]*)"', page
    )
    assert own and page.count("Content-Security-Policy") == 1
    assert "'unsafe-eval'" in own.group(1).replace("&#39;", "'")
    # The public pages keep the strict policy, and nothing leads there from them.
    for public in ("index.html", "termine/index.html", "familienmanager/karte/index.html"):
        text = (built_site / public).read_text(encoding="utf-8")
        policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', text)
        assert "'unsafe-eval'" not in policy.group(1) and "unsafe-inline" not in policy.group(1)
        assert "redaktion/" not in text
    assert "redaktion" not in (built_site / "sitemap.xml").read_text()
    assert not [url for url in indexed_pages(built_site) if "redaktion" in url]


def test_editing_policy_names_only_what_the_backend_needs():
    github = page_policy(GITHUB)
    assert "connect-src 'self' https://api.github.com;" in github
    assert "gitlab" not in github and "127.0.0.1" not in github
    gitlab = page_policy(
        EditingSettings(
            backend="gitlab", repo="g/p", app_id="x", gitlab_url="https://git.example.de/"
        )
    )
    assert "connect-src 'self' https://git.example.de;" in gitlab
    assert "github" not in gitlab
    local = page_policy(EditingSettings(local_url="http://127.0.0.1:8081/api/v1"))
    assert "http://127.0.0.1:8081" in local
    for policy in (github, gitlab, local):
        assert (
            "default-src 'none'" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]
        )


@pytest.mark.browser
def test_before_sign_in_the_page_asks_only_its_own_site(browser, tmp_path):
    """GitHub configured as in production: opening the page loads the CMS from the site
    and contacts nothing else; the policy is not violated; the sign-in button is German."""
    for output in redaktion_outputs(GITHUB):
        target = tmp_path / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = output.content
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    server, url = serve_directory(tmp_path)
    context = open_context(browser)
    page = context.new_page()
    requested, violations, errors = [], [], []
    page.on("request", lambda request: requested.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    try:
        page.goto(url + "/redaktion/")
        page.get_by_role("button", name=re.compile("GitHub")).wait_for()
        page.wait_for_timeout(500)
        page.screenshot(path=tmp_path / "anmeldung.png")
    finally:
        context.close()
        server.shutdown()
    assert errors == [] and violations == []
    assert requested and all(u.startswith(url + "/") for u in requested), requested
    assert any(u.endswith("/redaktion/vendor/decap-cms/decap-cms.js") for u in requested)


@pytest.mark.browser
def test_unconfigured_page_says_so_in_german(browser, tmp_path):
    for output in redaktion_outputs(EditingSettings()):
        target = tmp_path / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        content = output.content
        target.write_bytes(content if isinstance(content, bytes) else content.encode())
    server, url = serve_directory(tmp_path)
    context = open_context(browser)
    page = context.new_page()
    try:
        page.goto(url + "/redaktion/")
        notice = page.get_by_role("heading", name="Die Redaktionsseite ist noch nicht eingerichtet")
        notice.wait_for()
        assert notice.is_visible()
    finally:
        context.close()
        server.shutdown()
