"""The workshop documentation and the events point at each other consistently."""

from __future__ import annotations

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
