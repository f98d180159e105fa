"""The build cache (generator/build_cache.py): what a warm build takes from it is what a
cold build makes, and nothing outlives a change of what the outputs are made of."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from generator.assembly import build_invariants, build_site
from generator.build_cache import BuildCache
from generator.data.dataset import load_dataset
from generator.geo.resolver import municipality_points, resolve_locations
from generator.site.rendering import render
from generator.site.settings import Settings

TODAY = dt.date(2026, 11, 22)


def test_another_fingerprint_starts_empty_and_a_finished_build_keeps_only_what_it_used():
    cache, made = BuildCache(), []

    def make(value):
        def run():
            made.append(value)
            return value

        return run

    cache.begin("a")
    assert cache.get("page", 1, make("one")) == "one"
    assert cache.get("page", 2, make("two")) == "two"
    cache.finish()
    cache.begin("a")
    assert cache.get("page", 1, make("again")) == "one"  # kept
    cache.finish()
    cache.begin("a")
    assert cache.get("page", 2, make("two, made anew")) == "two, made anew"  # not used last time
    cache.begin("b")
    assert cache.get("page", 2, make("other build")) == "other build"
    assert made == ["one", "two", "two, made anew", "other build"]
    off = BuildCache(enabled=False)
    assert [off.get("page", 1, make(n)) for n in ("x", "y")] == ["x", "y"]


def test_a_build_that_stopped_at_an_error_keeps_what_both_builds_made():
    cache = BuildCache()
    cache.begin("a")
    cache.get("entry", "first", lambda: 1)
    cache.finish()
    cache.begin("a")
    cache.get("entry", "second", lambda: 2)  # then the data turned out broken: no finish
    cache.begin("a")
    assert cache.get("entry", "first", lambda: "made again") == 1
    assert cache.get("entry", "second", lambda: "made again") == 2


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("managers.yaml", "events.yaml", "geocache.yaml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "overrides").mkdir()
    return tmp_path


def build(project: Path, settings: Settings, cache: BuildCache | None) -> dict:
    if cache is not None:
        cache.begin(build_invariants(settings))
    dataset = load_dataset(
        project / "managers.yaml",
        project / "events.yaml",
        project / "content",
        today=settings.build_date,
        cache=cache,
    )
    locations = resolve_locations(dataset, project / "geocache.yaml", cache)
    points = municipality_points(project / "geocache.yaml", cache)
    site = build_site(dataset, locations, settings, points, cache=cache)
    if cache is not None:
        cache.finish()
    return {output.path: output for output in site.files}


def test_warm_builds_equal_cold_ones_after_a_save_an_override_and_another_day(project):
    settings = Settings(
        build_date=TODAY, site_url="https://example.org/", theme_dirs=(str(project / "overrides"),)
    )
    cache = BuildCache()
    first = build(project, settings, cache)
    events = project / "events.yaml"
    text = events.read_text(encoding="utf-8")
    title = "Kommunales Management für Familien braucht Marketing"
    events.write_text(text.replace(title, "Ein neuer Titel", 1), encoding="utf-8")
    warm = build(project, settings, cache)
    assert warm == build(project, settings, None)
    changed = {path for path in warm if warm[path] is not first.get(path)}
    assert "termine/2010-11-10-bochum-marketing.md" in changed
    assert "termine/2008-erstes-familienmanagertreffen.md" not in changed  # taken over

    # An override that appears ahead of the package's template is used at once.
    package = ROOT / "generator" / "templates" / "termine_event.html"
    override = project / "overrides" / "termine_event.html"
    override.write_text(package.read_text(encoding="utf-8") + "<p>Eigene Vorlage</p>\n")
    warm = build(project, settings, cache)
    assert "Eigene Vorlage" in warm["termine/2010-11-10-bochum-marketing.md"].content
    assert warm == build(project, settings, None)
    override.unlink()
    warm = build(project, settings, cache)
    assert "Eigene Vorlage" not in warm["termine/2010-11-10-bochum-marketing.md"].content

    later = dataclasses.replace(settings, build_date=TODAY + dt.timedelta(days=400))
    assert build(project, later, cache) == build(project, later, None)


MAP = "familienmanager/karte.md"
ESSEN = "familienmanager/kommunen/essen.md"
FINDER = "familienmanager/kommunen.json"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_of_the_managers_or_the_geocache_reaches_the_map_and_its_pages(project):
    """The map's outputs are memoized by the managers, their places and the
    municipalities' points, places and points by geocache.yaml's entries: a save in
    events.yaml takes them over, a save of either other file makes them again, as a
    cold build makes them."""
    settings = Settings(build_date=TODAY, site_url="https://example.org/")
    cache = BuildCache()
    first = build(project, settings, cache)
    _replace(project / "events.yaml", "braucht Marketing", "braucht Werbung")
    warm = build(project, settings, cache)
    assert warm[MAP] is first[MAP] and warm[ESSEN] is first[ESSEN]

    _replace(
        project / "managers.yaml",
        "dienststelle: Jugendamt, Familienbüro\n",
        "dienststelle: Familienbüro am Markt\n",
    )
    warm = build(project, settings, cache)
    assert "Familienbüro am Markt" in warm[MAP].content
    assert "Familienbüro am Markt" in warm[ESSEN].content
    assert warm == build(project, settings, None)

    # Hürtgenwald's point comes from geocache.yaml: the finder's distances follow it.
    before = warm[FINDER].content
    _replace(project / "geocache.yaml", "lat: 50.7231", "lat: 50.9231")
    warm = build(project, settings, cache)
    assert warm[FINDER].content != before
    assert warm == build(project, settings, None)


def test_the_fingerprint_covers_settings_templates_and_overrides(tmp_path):
    settings = Settings(build_date=TODAY, theme_dirs=(str(tmp_path),))
    base = build_invariants(settings)
    assert build_invariants(dataclasses.replace(settings, build_date=TODAY.replace(day=23))) != base
    assert build_invariants(dataclasses.replace(settings, site_url="https://x.org/")) != base
    (tmp_path / "termine_event.html").write_text("eigene")
    assert build_invariants(settings) != base


def test_a_template_override_that_appears_later_is_rendered(tmp_path):
    """The generated pages' Jinja environment lives as long as the process; a template
    read from the package must give way to an override added later, without a restart."""
    theme = (str(tmp_path),)
    before = render("termine_backlink.html", theme_dirs=theme, links=[])
    (tmp_path / "termine_backlink.html").write_text("<p>Überschrieben</p>", encoding="utf-8")
    assert render("termine_backlink.html", theme_dirs=theme, links=[]) == "<p>Überschrieben</p>"
    (tmp_path / "termine_backlink.html").unlink()
    assert render("termine_backlink.html", theme_dirs=theme, links=[]) == before
