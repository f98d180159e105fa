"""The site search's index (generator/site/search.py, Pagefind) in the built site and in
the preview."""

from __future__ import annotations

import gzip
import shutil
import time
from pathlib import Path

import pytest
from conftest import indexed_pages

from generator.site import search
from generator.site.search import (
    PreviewIndex,
    SearchIndexError,
    StreamingIndex,
    build_search_index,
    index_written_site,
    searchable_part,
)


def test_the_built_site_has_the_index_and_only_what_the_search_uses(built_site):
    folder = built_site / "pagefind"
    assert (folder / "pagefind.js").is_file() and (folder / "pagefind-worker.js").is_file()
    assert (folder / "wasm.de.pagefind").is_file()  # the German stemmer
    assert not list(folder.glob("pagefind-ui*")) and not list(folder.glob("*highlight*"))
    assert not (built_site / "search" / "search_index.json").exists()  # Material's is gone


def test_every_searchable_page_is_indexed_and_nothing_else(built_site):
    pages = indexed_pages(built_site)
    marked = {
        "/" + path.parent.relative_to(built_site).as_posix().removeprefix(".") + "/"
        for path in built_site.rglob("index.html")
        if "data-pagefind-body" in path.read_text(encoding="utf-8")
    }
    assert set(pages) == {url.replace("//", "/") for url in marked}
    assert "/termine/2010-11-10-bochum-marketing/" in pages
    assert "/familienmanager/kommunen/kreuzau/" in pages
    # Excluded from search: the month pages (the same events as their own pages), the
    # 404 page, the editing page.
    assert not [url for url in pages if url.startswith("/termine/2010/")]
    assert not [url for url in pages if "404" in url or "redaktion" in url]


def test_results_know_what_they_are(built_site):
    pages = indexed_pages(built_site)
    event = pages["/termine/2010-11-10-bochum-marketing/"]
    assert event["meta"]["typ"] == "Termin"
    assert event["meta"]["datum"] == "Mittwoch, 10. November 2010"
    assert event["meta"]["title"] == "Kommunales Management für Familien braucht Marketing"
    assert pages["/familienmanager/kommunen/kreuzau/"]["meta"]["typ"] == "Kommune"
    assert "typ" not in pages["/impressum/"]["meta"]  # a page: "Seite" in the results
    # The permalink sign of headings is no part of titles or text.
    assert not [url for url, page in pages.items() if "¶" in page["meta"]["title"]]
    # The municipality pages' contact lists are left out (data-pagefind-ignore).
    assert "In der Nähe" not in pages["/familienmanager/kommunen/kreuzau/"]["content"]


def page(title: str) -> str:
    return (
        f'<!doctype html><html lang="de"><head><title>{title}</title></head>'
        f"<body><article data-pagefind-body><h1>{title}</h1><p>Text über {title}.</p>"
        "</article></body></html>"
    )


def test_an_index_is_rebuilt_whole(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(page("Mülheim"), encoding="utf-8")
    assert build_search_index(tmp_path).pages == 1
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "index.html").write_text(page("Hürth"), encoding="utf-8")
    assert build_search_index(tmp_path).pages == 2
    assert set(indexed_pages(tmp_path)) == {"/a/", "/b/"}


def test_only_the_marked_article_goes_to_the_index():
    whole = page("Kreuzau").replace("<body>", "<body><nav>Navigation mit 400 Einträgen</nav>")
    part = searchable_part(whole)
    assert part.startswith("<!DOCTYPE html>") and "<h1>Kreuzau</h1>" in part
    assert "Navigation" not in part and part.endswith("</article></body></html>")
    assert searchable_part("<html><body><article><h1>Suche</h1></article></body></html>") is None


def test_pages_rendered_in_any_order_make_the_same_index(tmp_path):
    """MkDocs writes the pages in the policy's order (generator/site/csp.py): the index
    takes them by path, so it does not depend on that order, nor on the file system's
    order in which Pagefind's command line finds the written pages."""
    names = ["koeln", "muelheim", "huerth", "aachen/nord", "aachen"]
    for name in names:
        (tmp_path / "site" / name).mkdir(parents=True, exist_ok=True)
        (tmp_path / "site" / name / "index.html").write_text(page(name.title()), "utf-8")
    pages = [f"{name}/index.html" for name in names]
    written = index_written_site(tmp_path / "site", pages)
    assert written.pages == 5
    streamed = StreamingIndex(pages, tmp_path / "streamed")
    for dest_uri in reversed(pages):
        streamed.add(dest_uri, (tmp_path / "site" / dest_uri).read_text("utf-8"))
    assert streamed.write().pages == 5
    ours = {p.relative_to(tmp_path / "streamed") for p in (tmp_path / "streamed").rglob("*")}
    theirs = tmp_path / "site" / "pagefind"
    assert ours == {p.relative_to(theirs) for p in theirs.rglob("*")}
    for path in ours:
        if (theirs / path).is_file():
            assert (tmp_path / "streamed" / path).read_bytes() == (theirs / path).read_bytes()


def test_a_pagefind_that_stops_stops_the_build_in_german(monkeypatch):
    monkeypatch.setattr(search, "pagefind_executable", lambda: Path(shutil.which("false")))
    with pytest.raises(SearchIndexError, match=r"Der Suchindex \(Pagefind\) wurde nicht gebaut"):
        StreamingIndex(["index.html"], Path("pagefind"))


def test_a_site_without_searchable_pages_stops_the_build_in_german(tmp_path):
    (tmp_path / "index.html").write_text("<html><body></body></html>", encoding="utf-8")
    with pytest.raises(SearchIndexError, match=r"Der Suchindex \(Pagefind\) wurde nicht gebaut"):
        build_search_index(tmp_path)


def test_a_missing_pagefind_is_named_with_the_fix(monkeypatch):
    import pagefind.service

    monkeypatch.setattr(pagefind.service, "get_executable", lambda: None)
    with pytest.raises(SearchIndexError, match="Pagefind fehlt.*make check"):
        search.pagefind_executable()


def test_the_preview_links_the_last_index_at_once_and_renews_it(tmp_path):
    """A save empties the preview's folder: the last index is there again at once (a
    link), and the new one replaces it when it is done."""
    site = tmp_path / "mkdocs_site"
    site.mkdir()
    (site / "index.html").write_text(page("Köln"), encoding="utf-8")
    messages: list[str] = []
    preview = PreviewIndex(messages.append)
    preview.after_build(site)
    wait_for(lambda: any("im Index" in m for m in messages))
    wait_for(lambda: (site / "pagefind" / "pagefind.js").is_file())
    assert set(indexed_pages(site)) == {"/"}

    # The next build: MkDocs empties the folder and writes the pages again.
    for path in site.iterdir():
        path.unlink() if path.is_symlink() or path.is_file() else None
    (site / "neu").mkdir()
    (site / "index.html").write_text(page("Köln"), encoding="utf-8")
    (site / "neu" / "index.html").write_text(page("Hürth"), encoding="utf-8")
    messages.clear()
    preview.after_build(site)
    assert (site / "pagefind" / "pagefind.js").is_file()  # the last index, at once
    wait_for(lambda: any("im Index" in m for m in messages))
    assert set(indexed_pages(site)) == {"/", "/neu/"}
    preview.close()
    assert not (tmp_path / "suche-mkdocs_site").exists()


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_pagefind_reading_the_whole_written_pages_makes_the_same_records(built_site, tmp_path):
    """The build gives Pagefind only each page's article: reading the whole written
    pages (its command line, as the preview runs it) makes the same record of every page,
    byte for byte (a fragment's name is the hash of its record)."""
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy, ignore=shutil.ignore_patterns("pagefind"))
    assert build_search_index(copy).pages > 400
    names = {p.name for p in (built_site / "pagefind" / "fragment").iterdir()}
    assert names == {p.name for p in (copy / "pagefind" / "fragment").iterdir()}


def test_every_file_of_the_index_is_whole(built_site):
    """Pagefind's service answers before its last writes are done, and exits when its
    input closes: the build waits until it holds no file of the index open."""
    folder = built_site / "pagefind"
    compressed = [p for p in folder.rglob("*") if p.suffix.startswith(".pf_")]
    compressed += list(folder.glob("wasm.*.pagefind"))
    assert len(compressed) > 400
    for path in compressed:
        assert gzip.decompress(path.read_bytes()), path  # a cut-off file raises EOFError
    assert (folder / "pagefind.js").read_text(encoding="utf-8").rstrip().endswith(";")
