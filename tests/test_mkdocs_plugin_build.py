"""Invalid data stops the build with German messages and publishes nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, build_site, copy_project


def break_managers(project: Path) -> None:
    text = (project / "managers.yaml").read_text(encoding="utf-8")
    (project / "managers.yaml").write_text(
        text.replace("kommune:", "kommnue:", 1), encoding="utf-8"
    )


def test_invalid_data_fails_mkdocs_build_and_leaves_site_dir_alone(tmp_path):
    project = copy_project(tmp_path / "project")
    break_managers(project)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("previous build", encoding="utf-8")
    result = build_site(site, config=project / "mkdocs.yml")
    assert result.returncode != 0
    assert (
        "managers.yaml:" in result.stderr
        and "kommnue: unbekanntes Feld. Meinten Sie „kommune“?" in result.stderr
    )
    assert "Es wurde nichts veröffentlicht." in result.stderr
    assert (site / "index.html").read_text(encoding="utf-8") == "previous build"


def test_make_site_keeps_the_published_site_when_data_is_invalid(tmp_path):
    project = copy_project(tmp_path / "project")
    break_managers(project)
    (project / "site").mkdir()
    (project / "site" / "index.html").write_text("previous build", encoding="utf-8")
    # Reuse this venv instead of installing a new one in the copy.
    (project / ".venv").symlink_to(Path(sys.prefix))
    result = subprocess.run(
        ["make", "-o", ".venv/.installed-stamp", "site"],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1795348800"},
    )
    assert result.returncode != 0
    assert "kommnue" in result.stderr
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == "previous build"


def test_check_command_reports_problems_with_exit_code(tmp_path):
    project = copy_project(tmp_path / "project")
    break_managers(project)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(project), "check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "managers.yaml:" in result.stderr and "Meinten Sie „kommune“?" in result.stderr


def test_shipped_site_has_all_workshop_pages_with_umlauts(built_site):
    pages = sorted((built_site / "werkstattreihe").glob("*/index.html"))
    assert len(pages) >= 5
    marketing = (built_site / "werkstattreihe/2010-11-bochum-marketing/index.html").read_text(
        encoding="utf-8"
    )
    assert "Kommunales Management für Familien braucht Marketing" in marketing
    assert "Ã" not in marketing


def test_placeholders_are_filled_from_mkdocs_extra(built_site):
    imprint = (built_site / "impressum/index.html").read_text(encoding="utf-8")
    assert "{{" not in imprint
    assert "[PLATZHALTER: Name der herausgebenden Stelle]" in imprint


def test_no_page_loads_fonts_or_scripts_from_third_parties(built_site):
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, page


def test_no_theme_file_names_another_host_but_in_a_link():
    """The built pages are checked with the shipped configuration; a theme template can
    load from elsewhere under another one (Material's base.html loads Google Fonts
    whenever theme.font is set). In theme/, an address on another host is only ever
    the target of a link a citizen follows."""
    # An address in quotes or url(...), with or without its scheme.
    address = re.compile(r"""(?<=["'(])(?:https?:)?//[a-z0-9-]+\.[a-z0-9.-]+""", re.I)
    for path in sorted((ROOT / "theme").rglob("*")):
        if path.suffix not in {".html", ".js", ".css"}:
            continue
        text = path.read_text(encoding="utf-8")
        for found in address.finditer(text):
            before = text[max(found.start() - 9, 0) : found.start()]
            assert re.search(r"<a href=[\"']$", before), f"{path.relative_to(ROOT)}: {found[0]}"


def test_theme_overrides_a_generated_page_template(tmp_path):
    """Editors change the texts of generated pages in theme/familienmanager/, not in the package."""
    project = copy_project(tmp_path / "project")
    override = project / "theme" / "familienmanager" / "termine_backlink.html"
    override.parent.mkdir()
    override.write_text(
        '<p class="eigener-text">Hier geht es zur Veranstaltung: '
        "{% for link in links %}{{ link.title }}{% endfor %}</p>\n",
        encoding="utf-8",
    )
    result = build_site(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    report = (tmp_path / "site/werkstattreihe/2010-11-bochum-marketing/index.html").read_text(
        encoding="utf-8"
    )
    assert '<p class="eigener-text">Hier geht es zur Veranstaltung: ' in report
    assert "Zur Veranstaltung" not in report  # the package's box is replaced
    assert not (tmp_path / "site/familienmanager/termine_backlink.html").exists()
    assert "not included in the nav" not in result.stderr
