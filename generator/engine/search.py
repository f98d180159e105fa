"""The site search of each build (generator/site/search.py): `mkdocs build` hands each
page to Pagefind as MkDocs writes it (``search_streaming: false``: the written pages
after the build, the long way to the same index); the preview indexes the written site
in the background."""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files, InclusionLevel

from generator.site.search import (
    FOLDER,
    PreviewIndex,
    SearchIndexError,
    StreamingIndex,
    build_search_index,
    index_written_site,
    streaming_possible,
)


class SiteSearch:
    """One build's (or one preview's) search index step."""

    def __init__(self, log):
        self.log = log
        self.preview = PreviewIndex(log.info)
        self.stream: StreamingIndex | None = None
        self.pages: list[str] = []

    def before_pages(self, files: Files, *, streaming: bool) -> None:
        """``on_env`` (every page read, none written): a build starts Pagefind with the
        pages MkDocs 1.6.1 will write (mkdocs/commands/build.py, line 334: the included
        documentation pages)."""
        self.stop()
        pages = files.documentation_pages(inclusion=InclusionLevel.is_included)
        self.pages = [file.dest_uri for file in pages]
        if streaming and pages and streaming_possible():
            output = Path(pages[0].dest_dir) / FOLDER  # dest_dir: the site's folder
            self.stream = self._checked(StreamingIndex, self.pages, output)

    def page(self, dest_uri: str, html: str) -> None:
        if self.stream is not None:
            self._checked(self.stream.add, dest_uri, html)

    def after_build(self, site_dir: Path, *, serving: bool) -> None:
        """`mkdocs build`: the index, or a German error that stops the build; `mkdocs
        serve`: the last index at once, a new one in the background."""
        site_dir = Path(site_dir)
        if serving:
            self._checked(self.preview.after_build, site_dir)
            return
        if self.stream is not None:
            stream, self.stream = self.stream, None
            report = self._checked(stream.write)
        elif streaming_possible():
            report = self._checked(index_written_site, site_dir, self.pages)
        else:  # the command line, which writes its files to the end before it exits
            report = self._checked(build_search_index, site_dir)
        self.log.info("Suche: %d Seiten im Index (%.1f s)", report.pages, report.seconds)

    def stop(self) -> None:
        """A build stopped at an error: Pagefind stops too."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None

    def _checked(self, step, *args):
        try:
            return step(*args)
        except SearchIndexError as error:
            self.stop()
            raise PluginError(str(error)) from None
