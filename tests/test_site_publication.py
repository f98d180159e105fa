"""Sample data is never mistaken for the real network, and a production build refuses
what is unfinished (placeholders, sample data, example addresses, no site URL)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, TEST_EPOCH, build_site

from generator.data.dataset import load_dataset
from generator.site.publication import publication_problems


def test_preview_build_shows_the_sample_data_notice(built_site):
    page = (built_site / "familienmanager/karte/index.html").read_text(encoding="utf-8")
    notice = page[page.index("fm-beispieldaten") :][:600]
    assert "Beispieldaten" in notice and "nicht, wer in welcher Kommune tatsächlich" in notice
    assert page.index("fm-beispieldaten") < page.index('id="karte-bereich"')  # above the map
    data = json.loads((built_site / "familienmanager/familienmanager.geojson").read_text("utf-8"))
    assert data["beispieldaten"].startswith("Beispieldaten:")
    # Every page with manager data says so: the municipality pages too.
    kreuzau = (built_site / "familienmanager/kommunen/kreuzau/index.html").read_text("utf-8")
    assert "fm-beispieldaten" in kreuzau and kreuzau.index("Beispieldaten") < kreuzau.index(
        "Wer ist zuständig?"
    )


#: Everyone the workshop reports name (content/werkstattreihe/), and the offices and
#: bodies they speak for: sample entries must not read like any of them.
REPORT_PEOPLE = (
    "Ricken-Melchert", "Renzel", "Zohren", "Engelbert", "Frings", "Bogumil",
    "Strohmeier", "Allmann", "Litmeyer", "Schwarze",
)  # fmt: skip
REPORT_OFFICES = (
    "Beigeordnete", "Bürgermeister", "Bündnis für Familie", "Familien-GPS",
    "FrauenKommunikationsZentrum", "Besondere soziale Dienste", "Marketingabteilung",
    "Referat Kommunale Familienpolitik", "IQZ", "ZEFIR",
)  # fmt: skip
PLACEHOLDER_NAMES = {"Erika Mustermann"}


def test_sample_data_names_no_real_person_and_no_office_from_the_reports():
    reports = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "content/werkstattreihe").glob("*.md")
    )
    assert all(name in reports for name in REPORT_PEOPLE)  # the list is the reports' own
    managers = load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml", ROOT / "content").managers
    names = {m.kontakt.name for m in managers if m.kontakt and m.kontakt.name}
    assert names == PLACEHOLDER_NAMES  # one name, to show how names look, and it is no one
    raw = (ROOT / "managers.yaml").read_text(encoding="utf-8")
    assert [p for p in REPORT_PEOPLE if p in raw] == []
    offices = [(m.id, m.dienststelle or "") for m in managers]
    assert [(i, o) for i, o in offices for word in REPORT_OFFICES if word in o] == []


def test_map_page_claims_a_certificate_only_where_the_data_has_one(built_site):
    managers = load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml", ROOT / "content").managers
    active = [m for m in managers if m.aktiv]
    certified = [m for m in active if m.kurs or m.jahr]
    assert 0 < len(certified) < len(active)  # the sample has entries without a course
    page = (built_site / "familienmanager/karte/index.html").read_text(encoding="utf-8")
    text = page[page.index('id="karte"') :][:1500]
    assert f"{len(active)} Personen an" in text
    assert f"Bei {len(certified)} von ihnen ist der Zertifikatskurs eingetragen" in text
    about = (built_site / "familienmanager/index.html").read_text(encoding="utf-8")
    for html in (page, about):
        assert "zertifizierte Fachleute" not in html
        assert "viele zertifizierte Familienmanagerinnen" not in html


def production_build(project: Path, site: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "PUBLISH": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
    )


def test_production_build_of_the_shipped_repository_lists_what_is_missing(tmp_path):
    site = tmp_path / "site"
    result = production_build(ROOT, site)
    assert result.returncode != 0
    report = result.stderr
    assert "Veröffentlichung abgelehnt (PUBLISH=1)" in report
    assert "mkdocs.yml: extra.herausgeber.name: noch ein Platzhalter" in report
    assert "mkdocs.yml: site_url ist leer." in report
    assert "sample_data ist true" in report
    assert "managers.yaml:" in report and "kontakt.email: eine Beispieladresse" in report
    assert not site.exists()  # nothing published


def remove_placeholder_notes(docs: Path) -> None:
    """What the publisher does last: delete the "Platzhalter" boxes of the legal pages."""
    for page in docs.rglob("*.md"):
        lines = page.read_text(encoding="utf-8").splitlines(keepends=True)
        kept, skipping = [], False
        for line in lines:
            if line.startswith('!!! warning "Platzhalter"'):
                skipping = True
                continue
            if skipping and line.startswith("    "):
                continue
            skipping = False
            kept.append(line)
        page.write_text("".join(kept), encoding="utf-8")


def test_a_finished_project_passes_the_guard(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    remove_placeholder_notes(tmp_path / "content")
    managers = (ROOT / "managers.yaml").read_text(encoding="utf-8")
    for domain in ("example.org", "example.com", "example.net"):
        managers = managers.replace(domain, "familie-nrw.de")
    (tmp_path / "managers.yaml").write_text(managers, encoding="utf-8")
    dataset = load_dataset(tmp_path / "managers.yaml", ROOT / "events.yaml", tmp_path / "content")
    extra = {"herausgeber": {"name": "Ministerium", "email": "poststelle@mkjfgfi.nrw.de"}}
    problems = publication_problems(
        extra=extra,
        site_url="https://familie.nrw/",
        sample_data=False,
        dataset=dataset,
        docs_dir=tmp_path / "content",
    )
    assert problems == []
    # One leftover placeholder in a page is enough to refuse.
    page = tmp_path / "content" / "impressum.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[PLATZHALTER: Telefon]\n", "utf-8")
    problems = publication_problems(
        extra=extra,
        site_url="https://familie.nrw/",
        sample_data=False,
        dataset=dataset,
        docs_dir=tmp_path / "content",
    )
    assert len(problems) == 1 and problems[0].startswith("content/impressum.md:")


def test_preview_build_still_passes(tmp_path):
    result = build_site(tmp_path / "site")
    assert result.returncode == 0, result.stderr
