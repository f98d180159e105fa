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
- The pages in the navigation are always read and rendered (a handful): the navigation
  shows their titles, which MkDocs knows only after reading them. When the navigation
  as every page shows it (titles, addresses, the front matter Material reads there)
  differs from the last build's, every page is read and rendered (:meth:`settle`).
- Another generated file (feeds, .ics) is written when its OutputFile changed; a file of
  the theme or ``content/`` when its size or modification time did, or it is new.
- A generated file whose OutputFile is unchanged keeps its ``File`` and ``Page`` objects
  from the last build (:meth:`known`): MkDocs makes a Page only for a file without one
  (mkdocs/structure/nav.py, lines 150 and 212), and making 10,000 of them again, with
  their addresses, is most of what is left of a save. Both are made of the output, its
  path and ``mkdocs.yml`` alone; a page that is rendered again is read again into it.
- The site search's index is made after the build from the written pages
  (generator/site/search.py), so it follows whatever was written.
- Files the last build wrote and this one does not make are deleted (:meth:`finish`).

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
from mkdocs.structure.files import Files, InclusionLevel

from generator.engine.files import BackgroundWrites
from generator.site.outputs import OutputFile, SiteBuild

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
    #: Files copied from the theme or content/: (size, mtime) of the source.
    copied: dict[str, tuple[int, int]] = field(default_factory=dict)
    destinations: frozenset[str] = frozenset()
    nav: str = ""
    #: The generated files' File objects (each with its Page), by ``src_uri``.
    files: dict[str, object] = field(default_factory=dict)


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

    def known(self, output: OutputFile):
        """The File the last build made of ``output`` (an equal one), if any."""
        last = self.last
        if self.full or last is None or last.outputs.get(output.path) != output:
            return None
        return last.files.get(output.path)

    def mark(self, files: Files, site: SiteBuild, *, shortcuts: bool) -> None:
        """``on_files``: sets ``is_modified`` of every file as described above."""
        outputs = {output.path: output for output in site.files}
        patches = {patch.path: patch.html for patch in site.patches}
        sources = frozenset(file.src_uri for file in files)
        self.files, self.let_go_of_copies = files, False
        # A one-off build keeps nothing for a next one (:meth:`written`).
        self.current = _Built(outputs, patches, sources) if self.serving else _Built()
        last = self.last if not self.full and self.last is not None else None
        set_changed = last is None or sources != last.sources
        for file in files:
            src = file.src_uri
            output = outputs.get(src)
            page = file.is_documentation_page()
            if output is not None:
                self.current.files[src] = file
                markdown = page and not (shortcuts and output.html_body)
                changed = output != last.outputs.get(src) if last else True
                changed = changed or (markdown and set_changed)
            elif page:
                changed = set_changed or patches.get(src) != last.patches.get(src)
            else:
                changed = self._copy_needed(file, last)
            file.is_modified = _changed if changed or not self.active else _unchanged

    def _copy_needed(self, file, last: _Built | None) -> bool:
        try:
            stat = os.stat(file.abs_src_path)
        except (OSError, TypeError):
            return True
        key = (stat.st_size, stat.st_mtime_ns)
        self.current.copied[file.src_uri] = key
        return last is None or last.copied.get(file.src_uri) != key

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
        """``on_nav``: the navigation's pages are always read and rendered."""
        self.nav = nav
        for page in nav.pages:
            page.file.is_modified = _changed
        return nav

    def settle(self, config, files: Files) -> None:
        """``on_env`` (every page read, none rendered): when the navigation changed, the
        pages not read yet are read now and every page is rendered."""
        self.current.nav = repr(_nav_key(self.nav.items))
        pages = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        if self.full or not self.active or self.current.nav == self.last.nav:
            return
        for file in pages:
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
        return len(stale)

    def failed(self) -> None:
        """``on_build_error``: the next build builds everything (and a file this one could
        not write is no error of the next)."""
        self.last = None
        with contextlib.suppress(OSError):
            self.writes.wait()


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
