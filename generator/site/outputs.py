"""The engine-neutral result of a build: files by path, and additions to hand-written pages."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from markupsafe import Markup

from generator.site.csp import PagePolicy


@dataclass(frozen=True)
class OutputFile:
    """One generated file, its path relative to the docs root (POSIX separators).

    Markdown pages (``.md``) become pages of the site; everything else (``.ics``,
    ``.geojson``, ``.js`` …) is copied as it is. An adapter for another engine only
    has to write each file's :attr:`content` into its source folder.
    """

    path: str
    #: The file; for a page with ``meta``, the part after the front matter (a finished
    #: page's as UTF-8, :meth:`finished_page`).
    body: str | bytes
    #: The body is complete HTML, so Markdown would pass it through unchanged; an adapter
    #: may skip the Markdown step (Python-Markdown's raw-HTML parsing dominates the build
    #: time of thousands of event pages).
    html_body: bool = False
    #: The page's front matter as data (title, description, template …): an adapter that
    #: hands pages to its engine directly needs neither the YAML text nor a copy of the
    #: body behind it (10,000 event pages would be held twice).
    meta: Mapping[str, Any] | None = None
    #: Finished HTML blocks (long event lists) that a Markdown body names by
    #: :func:`block_marker`: an adapter may hand its Markdown engine the markers and put
    #: the blocks in afterwards (:func:`fill_blocks`), which is what the engine would
    #: have done with them, only without parsing them (most of the time of the lists).
    #: Held as UTF-8, as a finished page's body is (:meth:`finished_page`).
    blocks: tuple[bytes, ...] = ()

    @classmethod
    def finished_page(cls, path: str, meta: Mapping[str, Any], body: str) -> OutputFile:
        """A page whose body is complete HTML (surrounding whitespace dropped, as a
        Markdown engine drops it), held as UTF-8: Python stores a text with one character
        beyond U+00FF (an en dash in "10:00–16:00 Uhr", „quotes“) at two bytes per
        character, and 10,000 event pages are held until they are written (40 MiB less
        at 10,000 events). :attr:`text` is the body as text."""
        return cls(path, body.strip().encode("utf-8"), html_body=True, meta=meta)

    @property
    def text(self) -> str:
        """The body as text (a finished page's is held as UTF-8)."""
        return self.body.decode("utf-8") if self.html_body else self.body

    @property
    def content(self) -> str | bytes:
        """The file as it would be written: YAML front matter (if any), then the body,
        with its HTML blocks in place."""
        text = self.marked_content
        return fill_blocks(text, self.blocks) if self.blocks else text

    @property
    def marked_content(self) -> str | bytes:
        """:attr:`content` with the HTML blocks still as their markers."""
        if self.meta is None:
            return self.body
        return front_matter_text(self.meta) + self.text


class HtmlBlocks:
    """Collects the HTML blocks of one page while its template is rendered: each block
    goes into the page as its marker (``{{ html_block(event_list(...)) }}``)."""

    def __init__(self):
        self.blocks: list[bytes] = []

    def __call__(self, html: str) -> Markup:
        self.blocks.append(str(html).encode("utf-8"))
        return Markup(block_marker(len(self.blocks) - 1))


def block_marker(index: int) -> str:
    """An HTML comment on a line of its own: Markdown passes it through unchanged, and
    no text from the data can make one (Jinja escapes ``<``)."""
    return f"<!--fm-block-{index}-->"


_MARKER = re.compile(r"<!--fm-block-(\d+)-->")


def fill_blocks(text: str, blocks: Sequence[bytes]) -> str:
    """``text`` with every block marker replaced by its block."""
    return _MARKER.sub(lambda match: blocks[int(match[1])].decode("utf-8"), text)


#: libyaml's emitter: six times faster than PyYAML's own.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_NO_WRAP = 2**31 - 1


def front_matter_text(meta: Mapping[str, Any]) -> str:
    """YAML front matter, written by a YAML emitter: it quotes whatever needs quoting
    (emoji, "---", ": ", "#", leading "!" or "&"), so no value can end the block early or
    turn into another type."""
    body = yaml.dump(
        dict(meta), Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=_NO_WRAP
    )
    return "---\n" + body + "---\n\n"


@dataclass(frozen=True)
class PagePatch:
    """HTML to append to a hand-written page of ``content/`` (e.g. a workshop report's
    way back to its event). The page's source stays untouched; the adapter appends
    ``html`` to the page's Markdown before it is rendered."""

    path: str
    html: str


@dataclass(frozen=True)
class SiteBuild:
    """Everything the generator adds to a site: new files, patches to existing pages, and
    the Content-Security-Policy every finished page gets (:meth:`PagePolicy.apply`)."""

    files: tuple[OutputFile, ...]
    patches: tuple[PagePatch, ...] = ()
    policy: PagePolicy = field(default_factory=PagePolicy)
