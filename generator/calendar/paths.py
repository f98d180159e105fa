"""Where each calendar file lives (paths relative to the docs root).

- ``termine/index.md``: "Alle Termine", upcoming first, then the archive by year
- ``termine/reihe/<reihe>.md`` and ``.ics``: the same for one series, with its feed
- ``termine/<jahr>/<monat>.md``: one month grid (``termine/2010/11/``)
- ``termine/<id>.md`` and ``termine/<id>.ics``: one event and its calendar entry
- ``termine/termine.ics``: every event
- ``termine/termine.atom``: the upcoming events as an Atom feed
- ``termine/sitemap.xml``: points at the site's sitemap (see ``build.feed_folder_sitemap``)
"""

from __future__ import annotations

from collections.abc import Iterable

from generator.data.ids import RESERVED_EVENT_IDS, is_reserved_event_id
from generator.data.models import Event

INDEX = "termine/index.md"
ALL_FEED = "termine/termine.ics"
ATOM_FEED = "termine/termine.atom"
FEED_FOLDER_SITEMAP = "termine/sitemap.xml"
#: Event ids that would take the name of a generated file or folder: validation refuses
#: them (generator.data.ids, which must list every name used below termine/ here).
RESERVED_IDS = RESERVED_EVENT_IDS


def series_slug(reihe: str) -> str:
    return reihe.lower()


def month_src(year: int, month: int) -> str:
    return f"termine/{year:04d}/{month:02d}.md"


def event_src(event: Event) -> str:
    return f"termine/{event.id}.md"


def event_ics(event: Event) -> str:
    return f"termine/{event.id}.ics"


def series_src(reihe: str) -> str:
    return f"termine/reihe/{series_slug(reihe)}.md"


def series_ics(reihe: str) -> str:
    return f"termine/reihe/{series_slug(reihe)}.ics"


def archive_src(year: int, reihe: str | None = None) -> str:
    """One year of the archive: ``termine/archiv/2015.md`` or ``termine/reihe/<reihe>/2015.md``."""
    if reihe is None:
        return f"termine/archiv/{year}.md"
    return f"termine/reihe/{series_slug(reihe)}/{year}.md"


def reserved_ids(events: Iterable[Event]) -> list[Event]:
    """Events whose id would collide with a generated file (validation reports them)."""
    return [e for e in events if is_reserved_event_id(e.id)]
