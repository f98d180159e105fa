"""The engine-neutral result of a build: files by path, and additions to hand-written pages."""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.site.csp import PagePolicy


@dataclass(frozen=True)
class OutputFile:
    """One generated file, its path relative to the docs root (POSIX separators).

    Markdown pages (``.md``) become pages of the site; everything else (``.ics``,
    ``.geojson``, ``.js`` …) is copied as it is. An adapter for another engine only
    has to write these files into its source folder.
    """

    path: str
    content: str | bytes
    #: The page body (after the front matter) is complete HTML, so Markdown would pass it
    #: through unchanged; an adapter may skip the Markdown step (Python-Markdown's raw-HTML
    #: parsing dominates the build time of thousands of event pages).
    html_body: bool = False


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
