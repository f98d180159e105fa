"""Everything the generator adds to the site, from the validated data, as plain files."""

from __future__ import annotations

from collections.abc import Mapping

from .loading import Dataset
from .outputs import OutputFile
from .settings import Settings


def build_outputs(dataset: Dataset, locations: Mapping, settings: Settings) -> list[OutputFile]:
    """All generated pages and files, sorted by path so every build lists them alike.

    ``locations`` maps every record id (manager or event) to its resolved
    :class:`generator.geocoding.Location`.
    """
    outputs: list[OutputFile] = []
    return sorted(outputs, key=lambda output: output.path)
