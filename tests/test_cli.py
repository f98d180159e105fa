"""The editor commands read mkdocs.yml through MkDocs, as the build does."""

from __future__ import annotations

import shutil

from conftest import ROOT

from generator import cli


def test_check_uses_the_data_paths_and_docs_dir_of_mkdocs_yml(tmp_path, monkeypatch, capsys):
    (tmp_path / "daten").mkdir()
    shutil.copy(ROOT / "managers.yaml", tmp_path / "daten" / "personen.yaml")
    shutil.copy(ROOT / "events.yaml", tmp_path / "daten" / "termine.yaml")
    shutil.copytree(ROOT / "content", tmp_path / "seiten")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\n"
        "docs_dir: !ENV [SEITEN, seiten]\n"
        "plugins:\n"
        "  - familienmanager:\n"
        "      managers: daten/personen.yaml\n"
        "      events: daten/termine.yaml\n",
        encoding="utf-8",
    )
    monkeypatch.delenv("SEITEN", raising=False)
    assert cli.main(["--root", str(tmp_path), "check"]) == 0
    assert "Alles in Ordnung" in capsys.readouterr().out

    # The documentation paths are checked against the docs_dir MkDocs resolves.
    (tmp_path / "leer").mkdir()
    monkeypatch.setenv("SEITEN", "leer")
    assert cli.main(["--root", str(tmp_path), "check"]) == 1
    assert "dokumentation: die Seite „werkstattreihe/" in capsys.readouterr().err


def test_a_broken_mkdocs_yml_gets_a_german_message(tmp_path, capsys):
    (tmp_path / "mkdocs.yml").write_text("site_name: [kaputt\n", encoding="utf-8")
    assert cli.main(["--root", str(tmp_path), "check"]) == 2
    err = capsys.readouterr().err
    assert "mkdocs.yml: die Einstellungen lassen sich nicht lesen" in err
    assert "Traceback" not in err


def test_check_names_a_script_pasted_into_a_hand_written_page(tmp_path, capsys):
    """The build stops on a script in content/ (generator/site/content_scripts.py), so the
    editors' check names it too, with file and line, before anything is built."""
    for name in ("managers.yaml", "events.yaml", "geocache.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\nplugins:\n  - familienmanager\n", encoding="utf-8"
    )
    assert cli.main(["--root", str(tmp_path), "check"]) == 0
    page = tmp_path / "content" / "impressum.md"
    text = page.read_text(encoding="utf-8")
    line = text.count("\n") + 2
    page.write_text(text + '\n<script>alert("Hallo")</script>\n', encoding="utf-8")
    assert cli.main(["--root", str(tmp_path), "check"]) == 1
    err = capsys.readouterr().err
    assert f"content/impressum.md:{line}: <script>: ein Skript in einer" in err
    assert "erlaubte_skripte" in err
