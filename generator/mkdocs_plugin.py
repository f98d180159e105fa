"""MkDocs adapter: loads the data once, hands the generated files to MkDocs.

With ``mkdocs_config``, the only module that imports MkDocs; everything else produces a plain
:class:`~generator.site.outputs.SiteBuild` from pure functions.
"""

from __future__ import annotations

import functools
import os
import posixpath
from pathlib import Path
from types import SimpleNamespace

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import get_toc

from generator.build_cache import BuildCache, fingerprint
from generator.data.problems import DataError
from generator.geo.resolver import checked_data, municipality_points
from generator.mkdocs_config import PluginConfig, project_of, settings_of
from generator.site.build import build_invariants, build_site, stand_in_site
from generator.site.content_scripts import ContentScripts
from generator.site.csp import PolicyStamp, write_order
from generator.site.outputs import OutputFile, SiteBuild, fill_blocks
from generator.site.placeholders import substitute_placeholders
from generator.site.publication import publication_problems, publication_report
from generator.site.rendering import TemplateCache, render_data_error

log = get_plugin_logger(__name__)
#: Material's navigation as base.html includes it: with its language macros and features.
NAV = (
    '{% import "partials/language.html" as lang with context %}'
    "{% set features = config.theme.features or [] %}"
    '{% include "partials/fm-nav.html" %}'
)

#: Material's header as base.html includes it; the page title stands in as TITLE_MARK.
HEADER = (
    '{% import "partials/language.html" as lang with context %}'
    "{% set features = config.theme.features or [] %}"
    '{% include "partials/fm-header.html" %}'
)
TITLE_MARK = "\x00fm-title\x00"
#: A data block (structured data), not a script: the policy does not cover it.
JSON_LD = '<script type="application/ld+json"'


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True


def _in_write_order(files: Files, scripted: set[str]) -> Files:
    """``files`` with the pages in the order MkDocs should write them (it writes them in
    the order of ``files``): :func:`generator.site.csp.write_order`."""
    pages = {f.dest_uri: f for f in files if f.is_documentation_page()}
    others = [f for f in files if not f.is_documentation_page()]
    return Files([*others, *(pages[uri] for uri in write_order(list(pages), scripted))])


def _read_finished_page(page, output: OutputFile, config) -> None:
    """Page.read_source for a generated page: its body and front matter as they are, not
    parsed out of a YAML text (MkDocs would parse it with the pure-Python YAML loader
    and keep a copy of every body)."""
    page.markdown, page.meta = output.body, dict(output.meta or {})


def _render_finished_html(page, config, files) -> None:
    """Page.render for a body that is already HTML: no Markdown. The table of contents
    holds only the page's heading, which Material adds (theme/partials/content.html):
    Material shows its skip link only to a first table-of-contents entry."""
    page.content = page.markdown
    page.toc = get_toc([{"level": 1, "id": "inhalt", "name": page.title or "", "children": []}])


class FamilienmanagerPlugin(BasePlugin[PluginConfig]):
    def __init__(self):
        self.site = SiteBuild(files=())
        self.data_files: list[Path] = []
        #: `mkdocs serve`: invalid data becomes an error page instead of a stopped server.
        self.serving = False
        self.data_error: str | None = None
        self.generated: dict[str, OutputFile] = {}
        self.patches: dict[str, str] = {}
        self.env = None
        #: `mkdocs serve`: what the generated site was made of at the last build.
        self.data_key: str | None = None
        #: `mkdocs serve`: what the last build made, for the next (generator/build_cache.py).
        self.cache: BuildCache | None = None
        #: `mkdocs serve --dirty`: every page is rendered again at the next build (the
        #: error page came or went, or something all pages show changed).
        self.all_changed = True
        self.site_key: str | None = None
        self.nav_html: dict[str, Markup] = {}
        self.header_html: dict[int, str] = {}
        self.config_html: dict[int, str] = {}
        #: `mkdocs serve`: the theme's compiled templates, for the next build's environment.
        self.templates = TemplateCache()
        #: Puts the Content-Security-Policy into each page as MkDocs writes it.
        self.csp: PolicyStamp | None = None
        #: Scripts in hand-written pages (generator/site/content_scripts.py).
        self.scripts = ContentScripts()

    # Defining on_startup keeps this instance across the rebuilds of `mkdocs serve`.
    def on_startup(self, *, command, dirty):
        self.serving = command == "serve"
        if self.serving:
            self.cache = BuildCache(enabled=self.config.build_cache)

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
        settings = settings_of(config, self.config)
        invariants = build_invariants(settings)
        # What every page shows (the navigation, the theme, the settings): --dirty renders
        # all pages again when it changed, or when the error page came or went.
        pages = sorted(project.docs_dir.rglob("*.md"))
        theme = Path(config.theme.custom_dir or project.docs_dir)
        site_key = fingerprint(
            invariants,
            files=[Path(config.config_file_path), *pages, *sorted(theme.rglob("*.*"))],
        )
        self.all_changed = self.data_error is not None or site_key != self.site_key
        self.site_key = site_key
        # `mkdocs serve`: unchanged data (an edit in content/ or theme/) is not generated
        # again.
        key = fingerprint(site_key, files=self.data_files)
        if key == self.data_key:
            return config
        self.data_error, self.data_key = None, key
        if self.cache is not None:
            self.cache.begin(invariants)
        try:
            # The data is held only while the site is generated: the generated files keep
            # what the pages need, and at 10,000 events the records are some 80 MB.
            # offline only: YAML coordinates, geocache.yaml, the GeoNames gazetteer
            dataset, locations = checked_data(
                project.managers,
                project.events,
                project.docs_dir,
                project.geocache,
                today=settings.build_date,
                cache=self.cache,  # a save reads again only the entries it changed
            )
            points = municipality_points(project.geocache)
            self.site = build_site(dataset, locations, settings, points, cache=self.cache)
            if self.cache is not None:
                self.cache.finish()
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
        if os.environ.get("PUBLISH", "").strip().lower() in {"1", "true", "yes"}:
            problems = publication_problems(
                extra=config.extra,
                site_url=config.site_url or "",
                sample_data=self.config.sample_data,
                dataset=dataset,
                docs_dir=project.docs_dir,
            )
            if problems:
                raise PluginError(publication_report(problems))
        log.info(
            "%d Familienmanager, %d Veranstaltungen, %d erzeugte Dateien",
            len(dataset.managers),
            len(dataset.events),
            len(self.site.files),
        )
        return config

    # `mkdocs serve` injects an inline livereload script when serving (mkdocs 1.6.1,
    # mkdocs/livereload/__init__.py, _inject_js_into_html): the preview goes without a
    # policy.
    def on_pre_build(self, config):
        serving = self.serving or not self.config.enabled
        self.csp = None if serving else PolicyStamp(self.site.policy)
        self.scripts = ContentScripts(self.config.erlaubte_skripte, Path(config.config_file_path))

    # Generated pages join the hand-written ones here, so MkDocs renders them like any page.
    # NOT_IN_NAV, as Material's blog plugin does: no "not included in the nav" line each.
    def on_files(self, files: Files, config) -> Files:
        before = self.generated  # what the last build of this `mkdocs serve` produced
        scripted: set[str] = set()  # pages with inline scripts of their own (the map)
        for output in self.site.files:
            # A finished page's body only: on_pre_page hands MkDocs its front matter.
            content = output.body if output.html_body else output.marked_content
            file = File.generated(
                config, output.path, content=content, inclusion=InclusionLevel.NOT_IN_NAV
            )
            # `mkdocs serve --dirty` renders only what changed (File.is_modified, mkdocs
            # 1.6.1, treats every generated file as changed).
            if not self.all_changed and output == before.get(output.path):
                file.is_modified = _unchanged
            files.append(file)
            # Only an order: a data block (JSON-LD) is no script, and a miss costs time.
            stamped = self.csp and file.is_documentation_page()
            if stamped and content.count("<script") > content.count(JSON_LD):
                scripted.add(file.dest_uri)
        self.generated = {output.path: output for output in self.site.files}
        patches = {patch.path: patch.html for patch in self.site.patches}
        # --dirty: a hand-written page is rendered again when its patch (a report's way
        # back to its event) changed, or when every page must be.
        for file in files:
            src = file.src_uri
            if src not in self.generated and (
                self.all_changed or patches.get(src) != self.patches.get(src)
            ):
                file.is_modified = _changed
        self.patches = patches
        return _in_write_order(files, scripted) if self.csp else files

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
    # They skip reading a YAML front matter too (Page.read_source): the plugin has it.
    def on_pre_page(self, page, config, files):
        output = self.generated.get(page.file.src_uri)
        if output is not None and output.html_body:
            page.read_source = functools.partial(_read_finished_page, page, output)
            page.render = functools.partial(_render_finished_html, page)
        return page

    # Every page is rendered, none written yet: a hand-written page's scripts stop the build
    # here, and the policy learns which texts are the pages' own.
    def on_env(self, env, config, files):
        if self.config.enabled:
            self._check_scripts(config)
        self.env, self.nav_html, self.header_html, self.config_html = env, {}, {}, {}
        env.bytecode_cache = self.templates
        return env

    # Pages outside the nav (all generated ones but Termine and the map) have the same
    # navigation as their siblings: its links are relative, and none points into the page.
    # Rendered once per parent folder (theme/partials/nav.html), not once per page. The
    # header and Material's settings block differ between pages of the same depth only in
    # the title: rendered once per depth (theme/partials/header.html, theme/main.html).
    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri in self.generated and page not in nav.pages:
            key = posixpath.dirname(page.url.rstrip("/"))
            if key not in self.nav_html:
                self.nav_html[key] = Markup(self.env.from_string(NAV).render(context))
            context["fm_nav"] = self.nav_html[key]
        depth = page.url.count("/")  # the links in both are relative to the page
        if depth not in self.header_html:
            self.header_html[depth] = self._header(context, page)
            self.config_html[depth] = self._config_block(context)
        title = page.meta.get("title") if page.meta else None
        header = self.header_html[depth].replace(TITLE_MARK, str(title or page.title))
        context["fm_header"] = Markup(header)
        context["fm_config"] = Markup(self.config_html[depth])
        return context

    def _header(self, context, page) -> str:
        """Material's header for pages of this page's depth, TITLE_MARK for the title."""
        stand_in = SimpleNamespace(url=page.url, title=TITLE_MARK, meta={"title": TITLE_MARK})
        return self.env.from_string(HEADER).render({**context, "page": stand_in})

    def _config_block(self, context) -> str:
        """Material's ``config`` block of base.html, as base.html renders it for a page
        with this context (with its language macros and features)."""
        base = self.env.get_template("base.html")
        lang = self.env.get_template("partials/language.html").make_module(dict(context))
        features = context["config"].theme.get("features") or []
        block = base.blocks["config"](
            base.new_context({**context, "lang": lang, "features": features})
        )
        return "".join(block)

    def _check_scripts(self, config) -> None:
        report = self.scripts.finish(Path(config.docs_dir))
        if report and not self.serving:
            raise PluginError(report)
        if report:
            log.error(report)
        if self.csp:
            self.csp.distrust(self.scripts.untrusted, self.scripts.used)

    # Long event lists skip Markdown too: the page's Markdown holds markers for them.
    # A hand-written page's HTML is checked for scripts (the title and description of
    # its front matter reach the page unescaped, so they are checked too).
    def on_page_content(self, html, page, config, files):
        if page.file.src_uri not in self.generated and page.file.abs_src_path:
            meta = [page.title, page.meta]
            self.scripts.read_page(page.file.abs_src_path, page.file.content_string, html, meta)
        if self.data_error:
            return self.data_error
        output = self.generated.get(page.file.src_uri)
        return fill_blocks(html, output.blocks) if output and output.blocks else html

    # The theme's own pages (404.html) show the error list too, while there is one.
    def on_template_context(self, context, template_name, config):
        context["fm_data_error"] = Markup(self.data_error) if self.data_error else None
        return context

    # Last of all plugins: the hashes must be those of the page as it is written. MkDocs
    # writes the theme's templates (404.html) before the pages.
    @event_priority(-100)
    def on_post_template(self, output, template_name, config):
        if self.csp and template_name.endswith(".html"):
            return self.csp.stamp(str(Path(config.site_dir) / template_name), output)
        return output

    @event_priority(-100)
    def on_post_page(self, output, page, config):
        if self.csp:
            return self.csp.stamp(page.file.abs_dest_path, output)
        return output

    # One policy for the whole site (generator/site/csp.py): the pages written before the
    # last new inline script appeared get it now.
    def on_post_build(self, config):
        if self.csp:
            try:
                again = self.csp.finish(Path(config.site_dir))
            except ValueError as error:
                raise PluginError(str(error)) from None
            log.debug("Content-Security-Policy: %d Seiten nachträglich ergänzt", again)
            self.csp = None

    # `mkdocs serve` rebuilds when an editor saves a data file.
    def on_serve(self, server, config, builder):
        for path in self.data_files:
            server.watch(str(path))
        return server
