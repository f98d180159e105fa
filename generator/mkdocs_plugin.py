"""MkDocs adapter: loads the data once, hands the generated files to MkDocs.

Only hooks: the data and the site come from pure functions (generator/assembly.py), the
MkDocs and Material specifics from generator/engine/; the options from mkdocs_config.py.
"""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.toc import get_toc

from generator.assembly import build_invariants, generate, stand_in_site
from generator.build_cache import BuildCache, fingerprint
from generator.data.problems import DataError
from generator.engine import shortcuts
from generator.engine.files import add_generated, site_key
from generator.engine.guards import PageGuards
from generator.engine.incremental import IncrementalBuilds
from generator.engine.search import SiteSearch
from generator.engine.serve_loop import InstalledThemeListing, watch
from generator.mkdocs_config import PluginConfig, project_of, settings_of
from generator.site.outputs import OutputFile, SiteBuild
from generator.site.placeholders import substitute_placeholders
from generator.site.publication import publication_refusal
from generator.site.rendering import TemplateCache, render_data_error, render_script_error

log = get_plugin_logger(__name__)


class FamilienmanagerPlugin(BasePlugin[PluginConfig]):
    def __init__(self):
        self.site = SiteBuild(files=())
        self.data_files: list[Path] = []
        #: `mkdocs serve`: invalid data becomes an error page instead of a stopped server.
        self.serving = False
        self.data_error: str | None = None
        self.generated: dict[str, OutputFile] = {}
        self.patches: dict[str, str] = {}
        #: `mkdocs serve`: the last build's inputs and products (generator/build_cache.py).
        self.data_key: str | None = None
        self.cache: BuildCache | None = None
        self.all_changed = True  # build everything (the error list came or went, …)
        self.builds = IncrementalBuilds()  # `mkdocs serve --dirty`: what changed only
        self.site_key: str | None = None
        self.once = shortcuts.RenderedOnce()
        self.templates = TemplateCache()  # `mkdocs serve`: compiled, for the next build
        self.guards = PageGuards()
        self.search = SiteSearch(log)
        self.theme_listing = InstalledThemeListing()  # `mkdocs serve`: listed once

    # Defining on_startup keeps this instance across the rebuilds of `mkdocs serve`.
    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        self.builds = IncrementalBuilds(self.serving, dirty, self.config.incremental)
        if self.serving:
            self.cache = BuildCache(enabled=self.config.build_cache)

    # Runs before MkDocs cleans site_dir: invalid data stops the build with nothing published.
    # In `mkdocs serve` the editor sees the same list in the browser, and the last good
    # generated pages stay, so fixing the file brings the preview back by itself.
    def on_config(self, config):
        if not self.config.enabled:
            return config
        if self.serving and self.config.incremental:
            self.theme_listing.install(config)
        project = project_of(config, self.config)
        # watchdog cannot watch a file that does not exist (yet); the cache is optional.
        optional = [project.geocache] if project.geocache.exists() else []
        self.data_files = [project.managers, project.events, *optional]
        settings = settings_of(config, self.config)
        invariants = build_invariants(settings)
        theme = Path(config.theme.custom_dir or project.docs_dir)
        key = site_key(invariants, Path(config.config_file_path), project.docs_dir, theme)
        self.all_changed = self.data_error is not None or key != self.site_key
        self.site_key = key
        # `mkdocs serve`: unchanged data (an edit in content/ or theme/) is not generated again.
        key = fingerprint(key, files=self.data_files)
        if key == self.data_key:
            return config
        self.data_error, self.data_key = None, key
        try:
            data = (project.managers, project.events, project.docs_dir, project.geocache)
            dataset, self.site = generate(*data, settings, cache=self.cache, invariants=invariants)
        except DataError as error:
            if not self.serving:
                raise PluginError("Die Daten enthalten Fehler:\n" + error.report()) from None
            self.data_error, self.data_key = render_data_error(error.problems), None
            self.all_changed = True  # every page shows the list
            if not self.site.files:  # no good build yet to show the list on
                self.site = stand_in_site()
            log.error("Die Daten enthalten Fehler:\n%s", error.report())
            return config
        # A production build (`make site PUBLISH=1`, the deploy jobs) refuses what is unfinished.
        options = {"sample_data": self.config.sample_data, "docs_dir": project.docs_dir}
        if refusal := publication_refusal(config.extra, config.site_url or "", dataset, **options):
            raise PluginError(refusal)
        counts = (len(dataset.managers), len(dataset.events), len(self.site.files))
        log.info("%d Familienmanager, %d Veranstaltungen, %d erzeugte Dateien", *counts)
        return config

    def on_pre_build(self, config):
        policy = None if self.serving or not self.config.enabled else self.site.policy
        allowed = self.config.erlaubte_skripte
        self.guards = PageGuards(policy, allowed, Path(config.config_file_path))
        self.builds.start(config, all_changed=self.all_changed)

    # Generated pages join the hand-written ones here, so MkDocs renders them like any page.
    def on_files(self, files: Files, config) -> Files:
        options = {"stamped": self.guards.stamp is not None, "shortcuts": self.config.shortcuts}
        options |= {"known": self.builds.known, "writes": self.builds.writes}
        files = add_generated(files, config, self.site, **options)
        self.generated = {output.path: output for output in self.site.files}
        self.patches = {patch.path: patch.html for patch in self.site.patches}
        files = self.builds.mark(files, self.site, shortcuts=self.config.shortcuts)
        self.site = self.site if self.serving else SiteBuild(files=())  # kept for a next save
        return files

    def on_nav(self, nav, config, files):
        return self.builds.in_nav(nav)

    # Placeholders only in hand-written pages: data text such as "{{ extra.x }}" in a
    # generated page stays text. Patches (a report's way back to its event) are added
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

    def on_pre_page(self, page, config, files):
        output = self.generated.get(page.file.src_uri)
        if self.config.shortcuts and output is not None and output.html_body:
            shortcuts.skip_markdown(page, output)
        return page

    # Every page is rendered, none written yet.
    def on_env(self, env, config, files):
        self.builds.settle(config, files)
        if self.config.enabled:
            self.guards.check(Path(config.docs_dir), serving=self.serving, log=log)
        self.once = shortcuts.RenderedOnce(env)
        env.bytecode_cache = self.templates
        self.search.before_pages(files, streaming=self.config.search_streaming and not self.serving)
        return env

    def on_page_context(self, context, page, config, nav):
        # The preview shows a page with a script (which the build refuses) as its list;
        # invalid data's list, which every page shows, goes first.
        if self.serving and not self.data_error and (problems := self.guards.script_problems(page)):
            page.content, page.toc = render_script_error(problems), get_toc([])
        if self.config.shortcuts:
            output = self.generated.get(page.file.src_uri)
            if output is not None and output.html_body and not self.data_error:
                shortcuts.finished_content(page, output)
            self.once.fill(context, page, outside_nav=output is not None and page not in nav.pages)
        return context

    def on_page_content(self, html, page, config, files):
        if page.file.src_uri not in self.generated and page.file.abs_src_path:
            self.guards.read_page(page, html)
        output = self.generated.get(page.file.src_uri)
        if output is not None and output.html_body:
            page.toc = shortcuts.title_toc(page)  # the skip link's target
        return self.data_error or html  # the blocks go in as it is written (on_post_page)

    # The theme's own pages (404.html) show the error list too, while there is one.
    def on_template_context(self, context, template_name, config):
        context["fm_data_error"] = Markup(self.data_error) if self.data_error else None
        return context

    # Last of all plugins: the hashes must be those of the page as it is written. MkDocs
    # writes the theme's templates (404.html) before the pages.
    @event_priority(-100)
    def on_post_template(self, output, template_name, config):
        if template_name.endswith(".html"):
            return self.guards.stamped(Path(config.site_dir) / template_name, output)
        return output

    @event_priority(-100)
    def on_post_page(self, output, page, config):
        output = shortcuts.filled(output, self.generated.get(page.file.src_uri))
        output = self.guards.stamped(page.file.abs_dest_path, output)
        self.search.page(page.file.dest_uri, output)  # generator/engine/search.py
        self.builds.written(page, self.generated)  # a one-off build lets go of it
        return output

    def on_post_build(self, config):
        again, stale = self.guards.finish(Path(config.site_dir)), self.builds.finish(config)
        log.debug("%d Seiten mit neuer CSP, %d veraltete Dateien gelöscht", again, stale)
        self.search.after_build(Path(config.site_dir), serving=self.serving)  # the written pages

    def on_build_error(self, error):
        self.builds.failed()
        self.search.stop()

    # `mkdocs serve` rebuilds when an editor saves a data file.
    def on_serve(self, server, config, builder):
        watch(server, config, self.data_files, log)  # at once, not after up to 0.5 s
        return server
