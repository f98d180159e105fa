"""Everything the generator adds to the site, from the validated data, as plain files."""

from __future__ import annotations

from collections.abc import Mapping

from .events_pages import event_calendar_outputs
from .loading import Dataset
from .mapping import map_outputs
from .outputs import OutputFile
from .settings import Settings


def build_outputs(dataset: Dataset, locations: Mapping, settings: Settings) -> list[OutputFile]:
    """All generated pages and files, sorted by path so every build lists them alike.

    ``locations`` maps every record id (manager or event) to its resolved
    :class:`generator.geocoding.Location`.
    """
    outputs: list[OutputFile] = []
    outputs += map_outputs(dataset.managers, locations, settings)
    # The event calendar last: its pages link to the manager map when that page exists.
    outputs += event_calendar_outputs(dataset, locations, settings, {o.path for o in outputs})
    return sorted(outputs, key=lambda output: output.path)
