"""The engine-neutral result of a build: files by path, produced by pure functions."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFile:
    """One generated file, its path relative to the docs root (POSIX separators).

    Markdown pages (``.md``) become pages of the site; everything else (``.ics``,
    ``.geojson``, ``.js`` …) is copied as it is. An adapter for another engine only
    has to write these files into its source folder.
    """

    path: str
    content: str | bytes

    @property
    def is_page(self) -> bool:
        return self.path.endswith(".md")
