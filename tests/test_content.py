"""The workshop documentation and the events point at each other consistently."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from generator.data.dataset import load_dataset

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted(p for p in (ROOT / "content/werkstattreihe").glob("*.md") if p.name != "index.md")


def front_matter(page: Path) -> dict:
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n"), page
    return yaml.safe_load(text.split("---\n", 2)[1])


def test_one_documentation_page_per_seed_report():
    assert len(DOCS) == 5


def test_each_documentation_page_names_date_topic_and_its_event():
    events = {
        e.id: e
        for e in load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml", ROOT / "content").events
    }
    for page in DOCS:
        meta = front_matter(page)
        assert meta.get("title") and meta.get("thema"), page.name
        event = events[meta["veranstaltung"]]
        assert event.dokumentation == f"werkstattreihe/{page.name}"
        assert str(meta["datum"]) == event.datum, page.name
        assert meta.get("ort") == event.ort, page.name


def test_overview_lists_every_documentation_newest_first():
    overview = (ROOT / "content/werkstattreihe/index.md").read_text(encoding="utf-8")
    positions = {page.name: overview.find(f"({page.name})") for page in DOCS}
    assert all(pos >= 0 for pos in positions.values()), positions
    dated = sorted((str(front_matter(p)["datum"]), positions[p.name]) for p in DOCS)
    werkstatt = [pos for datum, pos in dated if len(datum) > 4]
    assert werkstatt == sorted(werkstatt, reverse=True)


def page_text(path: str) -> str:
    return (ROOT / "content" / path).read_text(encoding="utf-8").split("---\n", 2)[2]


def test_leichte_sprache_explains_the_finder_in_short_sentences():
    text = page_text("leichte-sprache.md")
    # The finder answers directly and takes postcodes; the page says how to use it.
    assert "Wer ist für meinen Wohn·ort zuständig?" in text
    assert "(familienmanager/karte.md#finder)" in text
    assert "Post·leit·zahl" in text and "Zuständige anzeigen" in text
    assert "Köln-Porz" in text  # Ortsteile: what to type instead
    # Leichte Sprache: one statement per line, and short ones (links count as their text).
    for line in text.splitlines():
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line.strip()).lstrip("- ")
        if not line or line.startswith("#"):
            continue
        assert len(re.findall(r"(?<!\d)[.!?](?:\s|$)", line)) <= 1, line
        assert len(line.split()) <= 14, line


def test_pages_say_only_what_the_reports_say():
    """Corrections from the fact check against the five reports (issue 25)."""
    leicht, start = page_text("leichte-sprache.md"), page_text("index.md")
    # The reports know four courses up to autumn 2008 and speak of them in the past.
    assert "Es gibt einen Kurs." not in leicht and "Die Berichte nennen 4 Kurse." in leicht
    assert "einen\nZertifikatskurs" not in start and "einen Zertifikatskurs" not in start
    assert "Wer erfolgreich teilnahm, erhielt ein Zertifikat." in start
    about = page_text("familienmanager/index.md")
    assert "So lassen sich Doppelstrukturen auflösen" not in about
    assert "besondere Herausforderung" in about
    assert "Es fand vor August 2008 statt." not in about
    assert "eine Schlussfolgerung, keine Angabe des Berichts" in about
    assert "Wer das Marketingkonzept erarbeitet hat, sagt der Bericht nicht." in about
    # Only the Essen and Herzogenrath reports say „im Auftrag“.
    impressum = page_text("impressum.md")
    assert "Das IQZ hat diese Veranstaltungen im Auftrag" not in impressum
    assert "Essen (2009) und Herzogenrath (2010)" in impressum
    assert "mit Unterstützung" in impressum
    # Essen: the workshop was aimed at Leitungskräfte; representatives of 17 came.
    essen = next(
        e
        for e in load_dataset(ROOT / "managers.yaml", ROOT / "events.yaml", ROOT / "content").events
        if e.id == "2009-09-23-essen-vernetzung"
    )
    assert "Leitungskräfte aus 17" not in essen.beschreibung
    assert "Vertreterinnen und Vertreter aus 17" in essen.beschreibung
    overview = page_text("werkstattreihe/index.md")
    assert "Leitungskräfte vieler Fachbereiche und Ämter suchten" not in overview
