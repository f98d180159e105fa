"""The built-in link checker: planted mistakes are found, the shipped site has none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import cli
from generator.site.linkcheck import check_site


def _plant(page: Path, html: str) -> None:
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("</article>", html + "</article>", 1), encoding="utf-8")


@pytest.fixture
def site_copy(built_site, tmp_path) -> Path:
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    return copy


def test_shipped_site_has_no_broken_links(built_site):
    report = check_site(built_site)
    assert [str(b) for b in report.broken] == []
    assert report.pages > 5 and report.links > 100


# The planted tests look only at what planting added, so that they test the checker
# even while the shipped site has a problem of its own (that is the test above).


def _new_problems(site: Path, before: set[str]) -> list[str]:
    return [str(b) for b in check_site(site).broken if str(b) not in before]


def test_planted_broken_link_is_caught(site_copy, capsys):
    before = {str(b) for b in check_site(site_copy).broken}
    _plant(site_copy / "werkstattreihe/index.html", '<a href="foo/">kaputt</a>')
    assert _new_problems(site_copy, before) == [
        "werkstattreihe/index.html: Link auf „foo/“ führt ins Leere"
    ]
    assert cli.main(["linkcheck", str(site_copy)]) == 1
    out = capsys.readouterr().out
    assert "werkstattreihe/index.html: Link auf „foo/“ führt ins Leere" in out.splitlines()
    summary = [line for line in out.splitlines() if line.endswith(" ins Leere.")]
    assert len(summary) == 1 and summary[0].startswith(f"{len(before) + 1} Link")


def test_planted_broken_anchors_are_caught(site_copy):
    before = {str(b) for b in check_site(site_copy).broken}
    page = site_copy / "werkstattreihe/index.html"
    _plant(page, '<a href="../impressum/#gibt-es-nicht">a</a><a href="#auch-nicht">b</a>')
    assert _new_problems(site_copy, before) == [
        "werkstattreihe/index.html: Link auf „#auch-nicht“ führt ins Leere: "
        "den Abschnitt „#auch-nicht“ gibt es auf dieser Seite nicht",
        "werkstattreihe/index.html: Link auf „../impressum/#gibt-es-nicht“ führt ins Leere: "
        "den Abschnitt „#gibt-es-nicht“ gibt es auf „impressum/index.html“ nicht",
    ]


def test_removed_asset_is_caught(site_copy):
    (site_copy / "assets/images/favicon.png").unlink()
    report = check_site(site_copy)
    # Every page links Material's favicon, 404.html from the root ("/assets/…").
    missing = [b for b in report.broken if b.target.endswith("assets/images/favicon.png")]
    assert len(missing) == report.pages
    assert {b.target.split("assets/")[0] for b in missing} >= {"", "../", "/"}
    assert all(b.reason == "führt ins Leere" for b in missing)


def test_cli_without_built_site(tmp_path, capsys):
    assert cli.main(["linkcheck", str(tmp_path / "fehlt")]) == 2
    assert "make site" in capsys.readouterr().err


# Small hand-made sites for the rules, without a build.


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def _messages(site: Path, **kwargs) -> list[str]:
    return [str(b) for b in check_site(site, **kwargs).broken]


def test_rules_for_internal_links(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": """
                <link rel="stylesheet" href="assets/main.css?v=3">
                <script src="assets/app.js"></script>
                <img src="bilder/karte.png" srcset="bilder/karte.png 1x, bilder/karte%402x.png 2x">
                <a href="seite/">ok</a> <a href="seite/#abschnitt">ok</a> <a href="#oben">ok</a>
                <a href="">ok</a> <a href="#">ok</a> <a href="f%C3%BCr/">ok</a>
                <a href="seite">ohne Schrägstrich</a>
                <a href="../draussen.html">zu weit</a>
                <h1 id="oben">x</h1>""",
            "seite/index.html": '<h2 id="abschnitt">x</h2><a href="..">ok</a>'
            '<a href="../..">zu weit</a>'
            '<iframe src="../karte/index.html" title="Karte"></iframe>',
            "für/index.html": "",
            "assets/main.css": 'body{background:url("../bilder/fehlt.png")} '
            "a{background:url(data:image/png;base64,AA==)}",
            "assets/app.js": "",
            "bilder/karte.png": "",
            "bilder/karte@2x.png": "",
        },
    )
    assert _messages(site) == [
        "assets/main.css: Link auf „../bilder/fehlt.png“ führt ins Leere",
        "index.html: Link auf „../draussen.html“ führt aus der Website heraus",
        "index.html: Link auf „seite“ zeigt auf einen Ordner ohne „/“ am Ende: "
        "schreiben Sie „seite/“",
        "seite/index.html: Link auf „../..“ führt aus der Website heraus",
        "seite/index.html: Link auf „../karte/index.html“ führt ins Leere",
    ]


def test_external_links_are_listed_not_fetched(tmp_path):
    site = _site(
        tmp_path,
        {
            "index.html": '<a href="https://www.ldi.nrw.de">a</a><a href="//example.org/x">b</a>'
            '<a href="mailto:a@b.de">c</a><a href="tel:+4921100">d</a>',
            "b/index.html": '<a href="https://www.ldi.nrw.de">a</a>',
        },
    )
    report = check_site(site)
    assert report.ok
    assert report.external == {
        "//example.org/x": ["index.html"],
        "https://www.ldi.nrw.de": ["b/index.html", "index.html"],
    }


def test_own_address_counts_as_internal(tmp_path):
    home = '<link rel="canonical" href="https://familie.nrw.example/netz/">'
    site = _site(
        tmp_path,
        {
            "index.html": home + '<a href="https://familie.nrw.example/netz/termine/">a</a>'
            '<a href="https://familie.nrw.example/netz/fehlt/">b</a>'
            '<a href="/netz/termine/">c</a><a href="/anderswo/">d</a>',
            "termine/index.html": "",
        },
    )
    assert _messages(site) == [
        "index.html: Link auf „/anderswo/“ führt aus der Website heraus",
        "index.html: Link auf „https://familie.nrw.example/netz/fehlt/“ führt ins Leere",
    ]
    assert check_site(site).external == {}


def test_material_search_worker_is_checked(tmp_path):
    config = (
        '<script id="__config" type="application/json">'
        '{"base": ".", "search": "assets/search.js"}</script>'
    )
    site = _site(tmp_path, {"index.html": config})
    assert _messages(site) == ["index.html: Link auf „assets/search.js“ führt ins Leere"]
