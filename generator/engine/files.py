"""The generated files among MkDocs' files: added, marked for `mkdocs serve --dirty`,
put in the order the Content-Security-Policy is stamped in."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from mkdocs.structure.files import File, Files, InclusionLevel

from generator.build_cache import fingerprint
from generator.engine.shortcuts import source_of
from generator.site.csp import write_order
from generator.site.outputs import OutputFile, SiteBuild

#: A data block (structured data), not a script: the policy does not cover it.
JSON_LD = '<script type="application/ld+json"'


def _unchanged() -> bool:
    return False


def _changed() -> bool:
    return True


def site_key(invariants: str, config_file: Path, docs_dir: Path, theme_dir: Path) -> str:
    """What every page shows (the navigation, the theme, the settings): when it changes,
    `mkdocs serve --dirty` renders all pages again."""
    pages = sorted(docs_dir.rglob("*.md"))
    return fingerprint(invariants, files=[config_file, *pages, *sorted(theme_dir.rglob("*.*"))])


def add_generated(
    files: Files,
    config,
    site: SiteBuild,
    *,
    before: Mapping[str, OutputFile],
    patches_before: Mapping[str, str],
    all_changed: bool,
    stamped: bool,
    shortcuts: bool,
) -> Files:
    """``files`` with the generated ones added (NOT_IN_NAV, as Material's blog plugin does:
    no "not included in the nav" line each), in :func:`generator.site.csp.write_order`
    when the pages are ``stamped``.

    ``before``, ``patches_before``: what the last build of this `mkdocs serve` generated
    and patched. `mkdocs serve --dirty` renders only what changed: MkDocs 1.6.1 treats
    every generated file as changed (File.is_modified, mkdocs/structure/files.py, line
    495), and every hand-written one as unchanged unless its source is newer; a
    hand-written page is rendered again when its patch (a report's way back to its
    event) changed, or when ``all_changed``."""
    scripted: set[str] = set()  # pages with inline scripts of their own (the map)
    for output in site.files:
        content = source_of(output, shortcuts)
        file = File.generated(
            config, output.path, content=content, inclusion=InclusionLevel.NOT_IN_NAV
        )
        if not all_changed and output == before.get(output.path):
            file.is_modified = _unchanged
        files.append(file)
        # Only an order: a data block (JSON-LD) is no script, and a miss costs time.
        page = stamped and file.is_documentation_page()
        if page and content.count("<script") > content.count(JSON_LD):
            scripted.add(file.dest_uri)
    generated = {output.path for output in site.files}
    patches = {patch.path: patch.html for patch in site.patches}
    for file in files:
        src = file.src_uri
        if src not in generated and (all_changed or patches.get(src) != patches_before.get(src)):
            file.is_modified = _changed
    return in_write_order(files, scripted) if stamped and shortcuts else files


def in_write_order(files: Files, scripted: set[str]) -> Files:
    """``files`` with the pages in :func:`generator.site.csp.write_order`: MkDocs 1.6.1
    writes the pages in the order of ``files`` (mkdocs/commands/build.py, lines 334-337), and
    in this order nearly every page gets the final policy at once."""
    pages = {f.dest_uri: f for f in files if f.is_documentation_page()}
    others = [f for f in files if not f.is_documentation_page()]
    return Files([*others, *(pages[uri] for uri in write_order(list(pages), scripted))])
