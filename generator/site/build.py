"""Everything the generator adds to the site, from the validated data, as plain files."""

from __future__ import annotations

from collections.abc import Mapping

from generator.calendar.build import event_calendar_outputs
from generator.data.dataset import Dataset
from generator.map.page import map_outputs
from generator.site.outputs import OutputFile
from generator.site.settings import Settings


def build_outputs(dataset: Dataset, locations: Mapping, settings: Settings) -> list[OutputFile]:
    """All generated pages and files, sorted by path so every build lists them alike.

    ``locations`` maps every record id (manager or event) to its resolved
    :class:`generator.geo.location.Location`.
    """
    outputs: list[OutputFile] = []
    outputs += map_outputs(dataset.managers, locations, settings)
    # The event calendar last: its pages link to the manager map when that page exists.
    outputs += event_calendar_outputs(dataset, locations, settings, {o.path for o in outputs})
    return sorted(outputs, key=lambda output: output.path)
