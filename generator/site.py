"""Everything the generator adds to the site, from the validated data, as plain files."""

from __future__ import annotations

from .loading import Dataset
from .outputs import OutputFile
from .settings import Settings


def build_outputs(dataset: Dataset, settings: Settings) -> list[OutputFile]:
    """All generated pages and files, sorted by path so every build lists them alike."""
    outputs: list[OutputFile] = []
    return sorted(outputs, key=lambda output: output.path)
