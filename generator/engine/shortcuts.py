"""The speed shortcuts around MkDocs and Material, in one place.

Each shortcut does what MkDocs 1.6.1 or Material for MkDocs 9.8.1 would do for a page,
once instead of for every page, or without a step whose result is known in advance. They
rely on those versions' internals, cited at each; the plugin option ``shortcuts: false``
switches them all off (plain MkDocs + Material rendering), and
tests/test_golden_output.py builds the sample site both ways, with several sets of
``theme.features``, and requires the same files. When an upgrade breaks one, that test
fails, not the site; tests/test_material_partials.py names the Material partials our
copies in theme/partials/ follow.
"""

from __future__ import annotations

import functools
import posixpath
from types import SimpleNamespace

from markupsafe import Markup
from mkdocs.structure.toc import get_toc

from generator.site.outputs import OutputFile, fill_blocks

#: Material's navigation as base.html includes it (9.8.1, material/templates/base.html,
#: line 162), with the language macros (line 4) and the features (line 98) it sees there.
NAV = (
    '{% import "partials/language.html" as lang with context %}'
    "{% set features = config.theme.features or [] %}"
    '{% include "partials/fm-nav.html" %}'
)

#: Material's header as base.html includes it (9.8.1, base.html line 141); the page title
#: stands in as TITLE_MARK.
HEADER = (
    '{% import "partials/language.html" as lang with context %}'
    "{% set features = config.theme.features or [] %}"
    '{% include "partials/fm-header.html" %}'
)
TITLE_MARK = "\x00fm-title\x00"
#: With both, Material 9.8.1 puts the tabs into the header (partials/header.html, lines
#: 64-66), and the tabs mark the current section (partials/tabs-item.html, line 17): the
#: header then differs from page to page and is not rendered once.
HEADER_TABS = {"navigation.tabs", "navigation.tabs.sticky"}


def source_of(output: OutputFile, shortcuts: bool) -> str | bytes:
    """What MkDocs reads as the file's source. With the shortcuts, a finished page is its
    body only (:func:`skip_markdown` hands MkDocs its front matter) and long event lists
    are markers (:func:`filled`); without, the file as any engine would read it."""
    if not shortcuts:
        return output.content
    return output.body if output.html_body else output.marked_content


def filled(html: str, output: OutputFile | None) -> str:
    """The page's HTML with its blocks in place of their markers (:func:`source_of`).
    Python-Markdown 3.x (3.11 here) keeps an HTML comment on a line of its own as a raw
    block, unchanged (markdown/blockprocessors.py, the raw HTML stash); parsing the
    block itself would give the block back, only slower. The theme passes the page's
    content through unchanged too, so the blocks go into the page as it is written:
    MkDocs 1.6.1 converts every page before it writes the first
    (mkdocs/commands/build.py, line 310), and the filled long lists were held all that
    time (18 MiB at 10,000 events)."""
    return fill_blocks(html, output.blocks) if output and output.blocks else html


def skip_markdown(page, output: OutputFile) -> None:
    """A finished-HTML page skips Python-Markdown and the YAML front matter parser.

    MkDocs 1.6.1's Page.read_source (mkdocs/structure/pages.py, line 208) parses the
    front matter with the pure-Python YAML loader and keeps a copy of every body;
    Page.render (line 263) sets up a Markdown instance for every page, whose raw-HTML
    parsing would only copy the body: at 10,000 events most of the build. Both are
    replaced on this page instance only; MkDocs calls them from _populate_page
    (mkdocs/commands/build.py, line 310). The body itself becomes the page's content
    only when the page is written (:func:`finished_content`)."""
    page.read_source = functools.partial(_read_finished_page, page, output)
    page.render = functools.partial(_render_finished_html, page)


def _read_finished_page(page, output: OutputFile, config) -> None:
    page.markdown, page.meta = "", dict(output.meta or {})


def _render_finished_html(page, config, files) -> None:
    """Page.render for a body that is already HTML: the content is filled in as the page
    is written. The page is read now (MkDocs calls both once per build, after
    on_pre_page, which installs them again), and the two replacements hold the page's
    output: 12 MiB at 10,000 events until the end of the build."""
    page.content = ""
    del page.read_source, page.render


def finished_content(page, output: OutputFile) -> None:
    """``on_page_context``: a finished page's body becomes its content (and its
    "Markdown") just before its template is rendered. MkDocs 1.6.1 reads and renders
    every page before it writes the first (mkdocs/commands/build.py, lines 310 and 341):
    the bodies, held as UTF-8 (:meth:`OutputFile.finished_page`), are decoded one at a
    time instead of all being held as text at once (40 MiB at 10,000 events). Between
    reading and writing, the page's content is "" (not None: Page.title, line 249): a
    further plugin that reads generated pages in ``on_page_content`` needs
    ``shortcuts: false``."""
    page.markdown = page.content = output.text


def title_toc(page):
    """Not a shortcut, the same both ways: a finished page's table of contents is the
    heading Material adds to it (theme/partials/content.html, ``#inhalt``). Markdown's
    toc finds no heading in raw HTML, and Material shows its skip link only to a first
    table-of-contents entry (9.8.1, base.html line 103)."""
    return get_toc([{"level": 1, "id": "inhalt", "name": page.title or "", "children": []}])


class RenderedOnce:
    """Material's navigation, header and ``config`` block, rendered once per folder or
    depth instead of once per page; theme/partials/nav.html, theme/partials/header.html
    and theme/main.html take them (``fm_nav``, ``fm_header``, ``fm_config``) and render
    Material's own where they are missing."""

    def __init__(self, env=None):
        self.env = env
        self.nav_html: dict[str, Markup] = {}
        self.header_html: dict[int, str] = {}
        self.config_html: dict[int, str] = {}

    def fill(self, context, page, *, outside_nav: bool) -> None:
        """Puts the shared parts of ``page`` into its template ``context``.

        A generated page outside the nav (all but Termine and the map) has the same
        navigation as its siblings: its links are relative, and none points into the page
        (Material 9.8.1 marks only the current page and its sections, partials/nav-item.html
        line 57; MkDocs 1.6.1 marks none for a page outside the nav).
        The header and the settings block differ between pages of the same depth only in
        the title."""
        if outside_nav:
            key = posixpath.dirname(page.url.rstrip("/"))
            if key not in self.nav_html:
                self.nav_html[key] = Markup(self.env.from_string(NAV).render(context))
            context["fm_nav"] = self.nav_html[key]
        depth = page.url.count("/")  # the links in both are relative to the page
        if depth not in self.config_html:
            self.config_html[depth] = self._config_block(context)
        context["fm_config"] = Markup(self.config_html[depth])
        features = context["config"].theme.get("features") or []
        if set(features) >= HEADER_TABS:
            return  # Material renders the header for each page
        if depth not in self.header_html:
            self.header_html[depth] = self._header(context, page)
        title = page.meta.get("title") if page.meta else None
        header = self.header_html[depth].replace(TITLE_MARK, str(title or page.title))
        context["fm_header"] = Markup(header)

    def _header(self, context, page) -> str:
        """The header for pages of this page's depth, TITLE_MARK for the title (Material
        9.8.1 partials/header.html shows page.meta.title, else page.title)."""
        stand_in = SimpleNamespace(url=page.url, title=TITLE_MARK, meta={"title": TITLE_MARK})
        return self.env.from_string(HEADER).render({**context, "page": stand_in})

    def _config_block(self, context) -> str:
        """Material's ``config`` block (9.8.1, base.html lines 219-251), as base.html
        renders it for a page with this context: Jinja's compiled block function
        (``Template.blocks``) with base.html's ``lang`` and ``features``."""
        base = self.env.get_template("base.html")
        lang = self.env.get_template("partials/language.html").make_module(dict(context))
        features = context["config"].theme.get("features") or []
        block = base.blocks["config"](
            base.new_context({**context, "lang": lang, "features": features})
        )
        return "".join(block)
