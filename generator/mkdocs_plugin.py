"""MkDocs adapter: loads the data once, hands the generated files to MkDocs.

With ``mkdocs_config``, the only module that imports MkDocs; everything else produces a plain
:class:`~generator.site.outputs.SiteBuild` from pure functions.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.data.dataset import Dataset, load_dataset
from generator.data.problems import DataError
from generator.geo.resolver import municipality_points, resolve_locations
from generator.map.tiles import tile_provider
from generator.mkdocs_config import PluginConfig, build_date, project_of
from generator.site.build import build_site
from generator.site.csp import with_policy
from generator.site.outputs import OutputFile, SiteBuild
from generator.site.placeholders import substitute_placeholders
from generator.site.publication import publication_problems, publication_report
from generator.site.rendering import THEME_OVERRIDES, render_data_error
from generator.site.settings import Settings

log = get_plugin_logger(__name__)


def _render_finished_html(page, config, files) -> None:
    """Page.render for a body that is already HTML: no Markdown, no table of contents."""
    page.content = page.markdown.strip()
    page.toc = get_toc([])


class FamilienmanagerPlugin(BasePlugin[PluginConfig]):
    def __init__(self):
        self.dataset: Dataset | None = None
        self.site = SiteBuild(files=())
        self.data_files: list[Path] = []
        #: `mkdocs serve`: invalid data becomes an error page instead of a stopped server.
        self.serving = False
        self.data_error: str | None = None
        self.generated: dict[str, OutputFile] = {}
        self.patches: dict[str, str] = {}

    # Defining on_startup keeps this instance across the rebuilds of `mkdocs serve`.
    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"

    # Runs before MkDocs cleans site_dir: invalid data stops the build with nothing published.
    # In `mkdocs serve` the editor sees the same list in the browser, and the last good
    # generated pages stay, so fixing the file brings the preview back by itself.
    def on_config(self, config):
        if not self.config.enabled:
            return config
        project = project_of(config, self.config)
        # watchdog cannot watch a file that does not exist (yet); the cache is optional.
        optional = [project.geocache] if project.geocache.exists() else []
        self.data_files = [project.managers, project.events, *optional]
        self.data_error = None
        try:
            settings = self._settings(config)
            self.dataset = load_dataset(
                project.managers, project.events, project.docs_dir, today=settings.build_date
            )
            # offline only: YAML coordinates, geocache.yaml, the GeoNames gazetteer
            locations = resolve_locations(self.dataset, project.geocache)
            points = municipality_points(project.geocache)
            self.site = build_site(self.dataset, locations, settings, points)
        except DataError as error:
            if not self.serving:
                raise PluginError("Die Daten enthalten Fehler:\n" + error.report()) from None
            self.data_error = render_data_error(error.problems)
            log.error("Die Daten enthalten Fehler:\n%s", error.report())
            return config
        # A production build (`make site PUBLISH=1`, the deploy jobs) refuses what is unfinished.
        if os.environ.get("PUBLISH", "").strip().lower() in {"1", "true", "yes"}:
            problems = publication_problems(
                extra=config.extra,
                site_url=config.site_url or "",
                sample_data=self.config.sample_data,
                dataset=self.dataset,
                docs_dir=project.docs_dir,
            )
            if problems:
                raise PluginError(publication_report(problems))
        log.info(
            "%d Familienmanager, %d Veranstaltungen, %d erzeugte Dateien",
            len(self.dataset.managers),
            len(self.dataset.events),
            len(self.site.files),
        )
        return config

    def _settings(self, config) -> Settings:
        theme_dirs = (Path(folder) / THEME_OVERRIDES for folder in config.theme.dirs)
        return Settings(
            build_date=build_date(),
            site_url=config.site_url or "",
            use_directory_urls=config.use_directory_urls,
            tiles=(self._tiles(),),
            theme_dirs=tuple(str(folder) for folder in theme_dirs if folder.is_dir()),
            sample_data=self.config.sample_data,
        )

    def _tiles(self):
        try:
            return tile_provider(
                self.config.tiles,
                url=self.config.tiles_url,
                attribution=self.config.tiles_attribution,
                max_zoom=self.config.tiles_max_zoom,
                needs_consent=self.config.tiles_consent,
                operator=self.config.tiles_operator,
            )
        except ValueError as error:
            raise PluginError(f"familienmanager: {error}") from None

    # Generated pages join the hand-written ones here, so MkDocs renders them like any page.
    # NOT_IN_NAV, as Material's blog plugin does: no "not included in the nav" line each.
    def on_files(self, files: Files, config) -> Files:
        for output in self.site.files:
            files.append(
                File.generated(
                    config,
                    output.path,
                    content=output.content,
                    inclusion=InclusionLevel.NOT_IN_NAV,
                )
            )
        self.generated = {output.path: output for output in self.site.files}
        self.patches = {patch.path: patch.html for patch in self.site.patches}
        return files

    # Placeholders only in hand-written pages: data text such as "{{ extra.x }}" in a
    # generated page stays text. Finished-HTML pages skip Markdown: its raw-HTML parser
    # would only copy them, slowly. Patches (a report's way back to its event) are added
    # here, so content/ stays untouched.
    def on_page_markdown(self, markdown, page, config, files):
        src = page.file.src_uri
        if src in self.generated:
            return markdown
        try:
            markdown = substitute_placeholders(markdown, config.extra)
        except KeyError as error:
            raise PluginError(f"{src}: {error.args[0]}") from None
        patch = self.patches.get(src)
        return markdown + "\n\n" + patch if patch else markdown

    # Finished-HTML pages skip Python-Markdown: MkDocs' Page.render (mkdocs 1.6.1,
    # mkdocs/structure/pages.py) sets up a Markdown instance for every page, and its
    # raw-HTML parsing would only copy the page; at 10,000 events that is most of the build.
    def on_pre_page(self, page, config, files):
        output = self.generated.get(page.file.src_uri)
        if output is not None and output.html_body:
            page.render = functools.partial(_render_finished_html, page)
        return page

    def on_page_content(self, html, page, config, files):
        return self.data_error or html

    # The policy hashes the inline scripts of every finished page, so it is added last,
    # to all pages at once: with instant navigation the first page's policy governs the
    # pages swapped in after it. `mkdocs serve` injects an inline livereload script when
    # serving (mkdocs 1.6.1, mkdocs/livereload/__init__.py, _inject_js_into_html): the
    # preview goes without a policy.
    def on_post_build(self, config):
        if not self.config.enabled or self.serving:
            return
        pages = sorted(Path(config.site_dir).rglob("*.html"))
        policy = self.site.policy.for_pages(p.read_bytes().decode() for p in pages)
        for path in pages:
            try:
                path.write_bytes(with_policy(path.read_bytes().decode(), policy).encode())
            except ValueError as error:
                raise PluginError(f"{path.relative_to(config.site_dir)}: {error}") from None

    # `mkdocs serve` rebuilds when an editor saves a data file.
    def on_serve(self, server, config, builder):
        for path in self.data_files:
            server.watch(str(path))
        return server
