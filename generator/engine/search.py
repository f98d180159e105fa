"""The site search after each build: the index is made from the written pages
(generator/site/search.py); the preview builds it in the background."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.site.search import PreviewIndex, SearchIndexError, build_search_index


class SiteSearch:
    """One build's (or one preview's) search index step."""

    def __init__(self, log):
        self.log = log
        self.preview = PreviewIndex(log.info)

    def after_build(self, site_dir: Path, *, serving: bool) -> None:
        """`mkdocs build`: the index, or a German error that stops the build; `mkdocs
        serve`: the last index at once, a new one in the background."""
        try:
            if serving:
                self.preview.after_build(Path(site_dir))
                return
            report = build_search_index(Path(site_dir))
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        self.log.info("Suche: %d Seiten im Index (%.1f s)", report.pages, report.seconds)
