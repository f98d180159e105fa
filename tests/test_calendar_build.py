"""Generated calendar files: paths, links, reserved ids and the workshop back links."""

from __future__ import annotations

import datetime as dt
import posixpath

import pytest
from conftest import event

from generator.build_cache import BuildCache
from generator.calendar.build import build_event_outputs, documentation_backlinks
from generator.calendar.paths import INDEX
from generator.site.outputs import block_marker, fill_blocks
from generator.site.rendering import Links

TODAY = dt.date(2026, 11, 22)
SOURCES = [
    "index.md",
    "termine/index.md",
    "termine/2010/11.md",
    "termine/2010-11-10-bochum-marketing.md",
    "termine/reihe/werkstattreihe.md",
    "termine/termine.ics",
    "termine/x.ics",
    "werkstattreihe/2010-11-bochum-marketing.md",
    "familienmanager/karte.md",
]


def reference_href(links: Links, from_src: str, to_src: str) -> str:
    """The slow, obvious way: posixpath.relpath between the published URLs."""
    here = links.url(from_src)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    target = links.url(to_src)
    if not links.directory_urls and (target == "" or target.endswith("/")):
        target += "index.html"
    relative = posixpath.relpath(target.rstrip("/") or ".", base or ".")
    if target.endswith("/") or target == "":
        relative = "./" if relative == "." else relative + "/"
    return relative


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_match_relpath(directory_urls):
    links = Links(directory_urls=directory_urls)
    for a in SOURCES:
        if not a.endswith(".md"):
            continue
        for b in SOURCES:
            assert links.href(a, b) == reference_href(links, a, b), (a, b)
    assert Links().href("termine/2010/11.md", "termine/2010-11-10-x.md") == "../../2010-11-10-x/"
    assert Links().href("termine/index.md", "termine/index.md", "2010") == "./#2010"


def test_outputs_paths_and_month_only_events_without_ics():
    events = [
        event("2010-11-10-a", "2010-11-10", dokumentation="werkstattreihe/a.md"),
        event("april", "2008-04"),
        event("herbst", "2008", zeitraum="Herbst 2008"),
    ]
    outputs = {o.path: o.content for o in build_event_outputs(events, {}, today=TODAY)}
    assert "termine/2010-11-10-a.ics" in outputs and "termine/april.ics" not in outputs
    assert {"termine/index.md", "termine/termine.ics", "termine/2026/11.md"} <= set(outputs)
    assert "termine/2008/04.md" in outputs and "termine/2010/11.md" in outputs
    assert "termine/2008/01.md" not in outputs  # the year-only event stretches nothing
    assert "keinen Kalendereintrag" in outputs["termine/april.md"]
    april = outputs["termine/2008/04.md"]
    assert "Ohne genauen Tag" in april and "Titel april" in april
    index = outputs["termine/index.md"]
    assert index.index("Titel april") < index.index("Titel herbst")  # "Herbst" after April
    assert "{{" not in "".join(v for v in outputs.values() if isinstance(v, str))


def test_backlinks_point_from_report_to_event():
    events = [event("2010-11-10-a", "2010-11-10", dokumentation="werkstattreihe/a.md")]
    box = documentation_backlinks(events)["werkstattreihe/a.md"]
    assert 'href="../../termine/2010-11-10-a/"' in box
    assert "Zur Veranstaltung" in box and "Mittwoch, 10. November 2010" in box


def test_large_archive_gets_a_page_per_year(monkeypatch):
    from generator.calendar import lists

    monkeypatch.setattr(lists, "ARCHIVE_INLINE_LIMIT", 2)
    events = [event(f"e{i}", f"{2008 + i % 3}-0{1 + i}-1{i}") for i in range(6)]
    events.append(event("kommend", "2027-03-01"))
    outputs = {o.path: o.content for o in build_event_outputs(events, {}, today=TODAY)}
    index = outputs["termine/index.md"]
    assert 'href="archiv/2010/"' in index and "(2 Termine)" in index
    assert "Titel kommend" in index and "Titel e0" not in index
    year = outputs["termine/archiv/2008.md"]
    assert "Titel e0" in year and "Titel e3" in year and "exclude: true" in year
    assert "termine/reihe/werkstattreihe/2009.md" in outputs


def test_event_lists_reach_markdown_as_markers_and_come_back_whole():
    events = [event("e1", "2009-01-10"), event("kommend", "2027-03-01")]
    outputs = {o.path: o for o in build_event_outputs(events, {}, today=TODAY)}
    index = outputs["termine/index.md"]
    assert len(index.blocks) == 2  # the upcoming events and the archive year 2009
    marked = index.marked_content
    assert "Titel kommend" not in marked and block_marker(0) in marked
    assert fill_blocks(marked, index.blocks) == index.content
    assert "Titel kommend" in index.content and "Titel e1" in index.content
    assert "<!--fm-block" not in index.content
    # Text from the data cannot make a marker: Jinja escapes "<".
    tricky = [event("x", "2027-03-01", titel="<!--fm-block-0-->")]
    page = next(o for o in build_event_outputs(tricky, {}, today=TODAY) if o.path == INDEX)
    assert "&lt;!--fm-block-0--&gt;" in page.content


def test_place_filter_knows_the_kreis_of_every_town():
    from generator.calendar.lists import event_kreis, place_options

    events = [
        event("a", "2010-11-10", ort="Düren"),  # the seat of the Kreis Düren
        event("b", "2010-11-11", ort="Herzogenrath", kreis="Städteregion Aachen"),
        event("c", "2010-11-12", ort="Bochum"),  # kreisfreie Stadt: no Kreis
        event("d", "2010-11-13", ort="Nideggen"),  # the model adds its Kreis Düren
        event("e", "2010", ort=None),
    ]
    assert [event_kreis(e) for e in events] == [
        "Kreis Düren",
        "Städteregion Aachen",
        None,
        "Kreis Düren",
        None,
    ]
    assert place_options(events) == {
        "kreise": ["Kreis Düren", "Städteregion Aachen"],
        "orte": ["Bochum", "Düren", "Herzogenrath", "Nideggen"],
    }
    outputs = {o.path: o.content for o in build_event_outputs(events, {}, today=TODAY)}
    index = outputs["termine/index.md"]
    assert '<option value="kreis:Kreis Düren">Kreis Düren</option>' in index
    assert 'data-ort="Herzogenrath" data-kreis="Städteregion Aachen"' in index


def test_a_rebuild_renders_again_only_what_changed():
    """`mkdocs serve` after a save: an unchanged event's page and VEVENT are taken from
    the last build; a changed event's are made anew and show the change, everywhere."""
    first = [event("2010-11-10-a", "2010-11-10"), event("2010-11-12-b", "2010-11-12")]
    second = [first[0], event("2010-11-12-b", "2010-11-12", titel="Neuer Titel")]
    cache = BuildCache()
    before = {o.path: o for o in build_event_outputs(first, {}, today=TODAY, cache=cache)}
    after = {o.path: o for o in build_event_outputs(second, {}, today=TODAY, cache=cache)}
    unchanged, changed = "termine/2010-11-10-a.md", "termine/2010-11-12-b.md"
    assert after[unchanged] is before[unchanged]
    assert "Neuer Titel" in after[changed].content and "Neuer Titel" not in before[changed].content
    assert b"SUMMARY:Neuer Titel" in after["termine/2010-11-12-b.ics"].content
    assert b"SUMMARY:Neuer Titel" in after["termine/termine.ics"].content
    # A different build date is a different build: nothing is taken over.
    later = {o.path: o for o in build_event_outputs(second, {}, today=TODAY.replace(day=23))}
    assert later[unchanged] is not after[unchanged]


def test_a_rebuild_shows_a_change_on_every_page_and_feed_that_lists_the_event(monkeypatch):
    """Month, list and year pages and the feeds are memoized by what they show: a changed
    event appears anew on each of them (also when it moves to another month and series),
    and the pages that do not show it are taken from the last build."""
    from generator.calendar import lists

    monkeypatch.setattr(lists, "ARCHIVE_INLINE_LIMIT", 1)  # a page per archive year
    first = [
        event("2009-03-02-a", "2009-03-02"),
        event("2010-11-10-b", "2010-11-10"),
        event("2027-01-05-c", "2027-01-05", reihe="Fachkongress"),
    ]
    second = [
        first[0],
        event("2010-11-10-b", "2010-11-10", titel="Neuer Titel"),
        event("2027-01-05-c", "2027-02-05", reihe="Zertifikatskurs", titel="Verlegt"),
    ]
    cache = BuildCache()
    before = {o.path: o for o in build_event_outputs(first, {}, today=TODAY, cache=cache)}
    after = {o.path: o for o in build_event_outputs(second, {}, today=TODAY, cache=cache)}
    for path in (
        "termine/2010/11.md",
        "termine/archiv/2010.md",
        "termine/reihe/werkstattreihe/2010.md",
    ):
        assert "Neuer Titel" in after[path].content and "Neuer Titel" not in before[path].content
    for path in (
        "termine/index.md",
        "termine/reihe/zertifikatskurs.md",
        "termine/2027/02.md",
        "termine/termine.atom",
        "termine/termine.ics",
    ):
        assert "Verlegt" in str(after[path].content) and "Verlegt" not in str(before[path].content)
    january = after["termine/2027/01.md"].content  # empty now: it names the next event
    assert "Januar 2027: keine Termine" in january and "Verlegt</a>" in january
    assert "Titel 2027-01-05-c" not in after["termine/reihe/fachkongress.md"].content
    for path in ("termine/archiv/2009.md", "termine/reihe/werkstattreihe/2009.md"):
        assert after[path] is before[path]
    # A new title only: the other months keep their pages (every month page shows the
    # month picker with each month's number of events, so a move renders them all).
    third = [first[0], event("2010-11-10-b", "2010-11-10", titel="Dritter Titel"), second[2]]
    again = {o.path: o for o in build_event_outputs(third, {}, today=TODAY, cache=cache)}
    assert "Dritter Titel" in again["termine/2010/11.md"].content
    assert again["termine/2009/03.md"] is after["termine/2009/03.md"]
    assert again["termine/reihe/zertifikatskurs.md"] is after["termine/reihe/zertifikatskurs.md"]
    # Another build date is another build: no page is taken over.
    later = build_event_outputs(second, {}, today=TODAY.replace(day=23), cache=cache)
    assert all(o is not after[o.path] for o in later if o.path.endswith(".md"))
    # Without a cache nothing is taken over, and the files are the same.
    cold = build_event_outputs(third, {}, today=TODAY)
    assert all(o is not again[o.path] for o in cold)
    assert {o.path: o for o in cold} == again
