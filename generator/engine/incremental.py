"""The preview's incremental builds: after a save, render and write only what changes.

`make serve` runs ``mkdocs serve --dirty`` (generator/preview.py). MkDocs 1.6.1 then
skips cleaning ``site_dir`` (mkdocs/commands/build.py, line 273), reads and renders only
the pages whose ``File.is_modified()`` is true (``_populate_page``, line 153;
``_build_page``, line 197) and copies only the modified other files
(``File.copy_file``, mkdocs/structure/files.py, line 475). MkDocs' own test for
"modified" (a source newer than its copy, files.py line 495) leaves the navigation
behind; :class:`IncrementalBuilds` replaces it with one that
cannot go stale, so the folder the preview serves equals a clean build's, file for file
(tests/test_preview_warm_cold.py):

- Everything is built, after cleaning ``site_dir`` as a build without ``--dirty`` does
  (line 271), when anything every page shows may have changed: the first build, the
  build after a failed one, the error list coming or going, ``mkdocs.yml``, a page in
  ``content/``, the theme, the templates, the settings or the build date (the adapter's
  ``site_key`` and the build cache's invariants).
- Otherwise a page is rendered again when what it is made of changed: a generated
  page's :class:`~generator.site.outputs.OutputFile` (its body, front matter and blocks,
  compared by value), a hand-written page's patch; a page that goes through Markdown also
  when the set of files changed (Markdown resolves its links against it); a new page.
- A page in the navigation that has not been read yet is read and rendered: the
  navigation shows its title, which MkDocs knows only after reading it. A page kept from
  the last build (below) has its title. When the navigation as every page shows it
  (titles, addresses, the front matter Material reads there) differs from the last
  build's, every page is read and rendered (:meth:`settle`).
- Another generated file (feeds, .ics) is written when its OutputFile changed; a file of
  the theme or ``content/`` when its size or modification time did, or it is new.
  MkDocs' ``sitemap.xml`` (with its .gz) when the pages' addresses or dates changed
  (:meth:`settle`; the theme it is rendered with is in ``site_key``).
- A generated file whose OutputFile is unchanged keeps its ``File`` and ``Page`` objects
  from the last build (:meth:`known`): MkDocs makes a Page only for a file without one
  (mkdocs/structure/nav.py, lines 150 and 212), and making 10,000 of them again, with
  their addresses, is most of what is left of a save. Both are made of the output, its
  path and ``mkdocs.yml`` alone; a page that is rendered again is read again into it.
  A hand-written page that is not rendered again keeps its File and Page the same way
  (:meth:`mark`): made of its source (size and modification time unchanged; its bytes
  are in ``site_key``), its path and ``mkdocs.yml``. So the pages in the navigation
  (the map page, the Termine page, the hand-written ones, through Markdown) are not
  read and rendered again after a save that leaves them as they were.
- The site search's index is made after the build from the written pages
  (generator/site/search.py), so it follows whatever was written.
- Files the last build wrote and this one does not make are deleted (:meth:`finish`).
- What the builds keep for the next ones is frozen out of Python's garbage collection
  after a build that made every page; a save's build runs without automatic
  collections and collects once at its end (generator/engine/serve_loop.py,
  :class:`~generator.engine.serve_loop.MemorySettler`).

``incremental: false`` in the plugin's options builds everything after every save.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs import utils
from mkdocs.commands.build import _populate_page
from mkdocs.structure.files import File, Files, InclusionLevel

from generator.engine.files import BackgroundWrites
from generator.engine.serve_loop import MemorySettler
from generator.site.outputs import OutputFile, SiteBuild

#: The theme template MkDocs renders from every page (``static_templates``).
SITEMAP = "sitemap.xml"
#: Material's page for a missing address (``static_templates``, 9.8.1 mkdocs_theme.yml):
#: of the pages it shows only the navigation.
NOT_FOUND = "404.html"
#: MkDocs 1.6.1 warns on every ``--dirty`` build (build.py, line 275); these builds keep
#: the navigation exact, so the warning would mislead editors.
DIRTY_WARNING = "A 'dirty' build is being performed"


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(DIRTY_WARNING)


@dataclass
class _Built:
    """What the last finished build wrote, by the file's ``src_uri``."""

    outputs: Mapping[str, OutputFile] = field(default_factory=dict)
    patches: Mapping[str, str] = field(default_factory=dict)
    sources: frozenset[str] = frozenset()
    #: Files from the theme or content/ (copied ones and pages): (size, mtime) of the
    #: source; None where there is none to stat.
    copied: dict[str, tuple[int, int] | None] = field(default_factory=dict)
    destinations: frozenset[str] = frozenset()
    nav: str = ""
    #: What the site map lists (:func:`_sitemap_key`).
    sitemap: tuple = ()
    #: The pages' File objects (each with its Page), by ``src_uri``.
    files: dict[str, File] = field(default_factory=dict)


class IncrementalBuilds:
    """The incremental builds of one `mkdocs serve --dirty` session (``enabled``); a
    one-off build and ``incremental: false`` build everything."""

    def __init__(self, serving: bool = False, dirty: bool = False, enabled: bool = True):
        self.serving, self.dirty, self.enabled = serving, dirty, enabled
        self.last: _Built | None = None
        self.full = True
        self.current = _Built()
        self.files: Files | None = None
        self.let_go_of_copies = False
        #: The generated files that are no pages, written beside the pages' rendering.
        self.writes = BackgroundWrites()
        self.nav = None
        self.memory = MemorySettler()
        if serving and dirty:
            logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())

    @property
    def active(self) -> bool:
        return self.serving and self.dirty

    def start(self, config, *, all_changed: bool) -> None:
        """``on_pre_build``: a full build cleans ``site_dir`` first, as MkDocs does
        without ``--dirty``."""
        self.full = not self.enabled or all_changed or self.last is None
        if self.active and self.full:
            utils.clean_directory(config.site_dir)
        self.memory.before_build(full=self.full)

    def known(self, output: OutputFile):
        """The File the last build made of ``output`` (an equal one), if any."""
        last = self.last
        if self.full or last is None or not _same(last.outputs.get(output.path), output):
            return None
        return last.files.get(output.path)

    def mark(self, files: Files, site: SiteBuild, *, shortcuts: bool) -> Files:
        """``on_files``: sets ``is_modified`` of every file as described above; ``files``
        with the unchanged hand-written pages' File objects of the last build."""
        outputs = {output.path: output for output in site.files}
        patches = {patch.path: patch.html for patch in site.patches}
        sources = frozenset(file.src_uri for file in files)
        self.files, self.let_go_of_copies = files, False
        # A one-off build keeps nothing for a next one (:meth:`written`).
        self.current = _Built(outputs, patches, sources) if self.serving else _Built()
        last = self.last if not self.full and self.last is not None else None
        set_changed = last is None or sources != last.sources
        kept: dict[str, File] = {}
        for file in files:
            src = file.src_uri
            output = outputs.get(src)
            page = file.is_documentation_page()
            if output is not None:
                self.current.files[src] = file
                markdown = page and not (shortcuts and output.html_body)
                changed = not _same(output, last.outputs.get(src)) if last else True
                changed = changed or (markdown and set_changed)
            elif page:
                changed = set_changed or patches.get(src) != last.patches.get(src)
                key = self.current.copied[src] = _stat(file)
                same = None if changed or not self.active else _same_source(file, key, last)
                if same is not None:
                    file = kept[src] = same
                self.current.files[src] = file
            else:
                changed = self._copy_needed(file, last)
            file.is_modified = _changed if changed or not self.active else _unchanged
        if kept:
            self.files = Files(kept.get(file.src_uri, file) for file in files)
        return self.files

    def _copy_needed(self, file, last: _Built | None) -> bool:
        key = self.current.copied[file.src_uri] = _stat(file)
        return key is None or last is None or last.copied.get(file.src_uri) != key

    def written(self, page, generated: dict[str, OutputFile]) -> None:
        """``on_post_page``: a one-off build lets go of what it has written, at 10,000
        events most of its memory. MkDocs 1.6.1 writes the page after this hook
        (mkdocs/commands/build.py, line 230) and keeps the Page to the end, which then
        needs only its address and anchors (line 342); the other generated files (the
        calendar files, the feeds) were copied before the first page (line 322). `mkdocs
        serve` keeps everything: the next save reuses what did not change."""
        if self.serving:
            return
        if not self.let_go_of_copies:
            self.let_go_of_copies = True
            for file in self.files or ():
                if file.src_uri in generated and not file.is_documentation_page():
                    del generated[file.src_uri]
                    file.content_string = ""
        generated.pop(page.file.src_uri, None)
        if page.file.generated_by:
            page.file.content_string = ""
        page.markdown = page.content = ""  # not None: Page.title would be None (pages.py, line 241)

    def in_nav(self, nav):
        """``on_nav``: the navigation's pages not read yet (new Page objects) are read
        and rendered: the navigation shows their titles."""
        self.nav = nav
        for page in nav.pages:
            if page.content is None:
                page.file.is_modified = _changed
        return nav

    def settle(self, config, files: Files) -> None:
        """``on_env`` (every page read, none rendered): when the navigation changed, the
        pages not read yet are read now and every page is rendered, 404.html too (it
        is not rendered again otherwise). The site map is written again only when what
        it lists changed."""
        self.current.nav = repr(_nav_key(self.nav.items))
        if not self.active:
            return
        self.current.sitemap = _sitemap_key(files)
        if self.full:
            return
        if self.current.sitemap == self.last.sitemap:
            config.theme.static_templates.discard(SITEMAP)  # this build's config only
        if self.current.nav == self.last.nav:
            config.theme.static_templates.discard(NOT_FOUND)  # this build's config only
            return
        for file in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
            if not file.is_modified():
                _populate_page(file.page, config, files, dirty=False)
                file.is_modified = _changed

    def finish(self, config) -> int:
        """``on_post_build``: deletes what the last build wrote and this one did not
        make; the build is the next one's reference. How many files were deleted."""
        self.writes.wait()
        files = self.files or ()
        destinations = frozenset(f.dest_uri for f in files if f.inclusion.is_in_serve())
        self.current.destinations = destinations
        stale = self.last.destinations - destinations if self.active and self.last else ()
        site = Path(config.site_dir)
        for uri in stale:
            path = site / uri
            path.unlink(missing_ok=True)
            for parent in path.parents:
                if parent == site or any(parent.iterdir()):
                    break
                parent.rmdir()
        keep = self.active and self.enabled
        self.last, self.current = (self.current if keep else None), _Built()
        if keep:  # what the next builds start from, out of the full collections' way
            self.memory.after_build(full=self.full)
        return len(stale)

    def failed(self) -> None:
        """``on_build_error``: the next build builds everything (and a file this one could
        not write is no error of the next)."""
        self.last = None
        with contextlib.suppress(OSError):
            self.writes.wait()
        self.memory.failed()


def _same_source(file: File, key: tuple[int, int] | None, last: _Built) -> File | None:
    """The last build's File (read, with its Page) of a hand-written page whose source,
    ``key`` (:func:`_stat`), is as it was then, if there is one."""
    old = last.files.get(file.src_uri)
    if key is None or old is None or old.page is None or old.page.content is None:
        return None
    same = old.abs_src_path == file.abs_src_path and old.dest_uri == file.dest_uri
    same = same and old.url == file.url and old.inclusion == file.inclusion
    return old if same and last.copied.get(file.src_uri) == key else None


def _same(output: OutputFile | None, other: OutputFile | None) -> bool:
    """Equal outputs; most are the very object the build cache gave the last build."""
    return output is other or output == other


def _sitemap_key(files: Files) -> tuple:
    """What MkDocs' sitemap.xml (and its .gz) shows: every included page's address and
    date, in order (mkdocs/templates/sitemap.xml; build.py, lines 29-58 and 103-117)."""
    return tuple(
        (file.page.is_link, file.page.canonical_url, file.page.abs_url, file.page.update_date)
        for file in files.documentation_pages()
        if file.page is not None
    )


def _stat(file) -> tuple[int, int] | None:
    """(size, modification time) of a file's source; None for a generated one."""
    try:
        stat = os.stat(file.abs_src_path)
    except (OSError, TypeError):
        return None
    return stat.st_size, stat.st_mtime_ns


def _nav_key(items) -> tuple:
    """The navigation as every page shows it: kind, title, address, the front matter
    Material's partials/nav-item.html reads (icon, subtitle, status), the children."""
    return tuple(
        (
            type(item).__name__,
            item.title,
            getattr(item, "url", None),
            dict(getattr(item, "meta", None) or {}),
            _nav_key(item.children or ()),
        )
        for item in items
    )
