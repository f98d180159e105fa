"""What the calendar says about an event's state: announced, cancelled, postponed, over.

An event the sources only announce is never called over: the reports of 2008 announce
a workshop and a meeting whose taking place nobody has recorded.
"""

from __future__ import annotations

import datetime as dt

from generator.calendar.grid import is_past
from generator.data.models import Event

#: Short labels in lists and month grids; None: nothing to point out.
_LABELS = {"abgesagt": "abgesagt", "verschoben": "verschoben", "angekündigt": "angekündigt"}


def effective_status(event: Event, today: dt.date) -> str | None:
    """The editor's status; without one, a past event is taken to have happened."""
    if event.status is not None:
        return event.status
    return "stattgefunden" if is_past(event, today) else None


def status_label(event: Event, today: dt.date) -> str | None:
    """A word for lists: only states a visitor must not overlook (a past announced
    event is labelled too, so the archive does not pass it off as held)."""
    status = effective_status(event, today)
    if status == "angekündigt" and not is_past(event, today):
        return None  # every upcoming event is announced
    return _LABELS.get(status)


def status_note(event: Event, today: dt.date) -> str | None:
    """The sentence at the top of the event page."""
    status, past = effective_status(event, today), is_past(event, today)
    if status == "abgesagt":
        return "Abgesagt: Diese Veranstaltung findet nicht statt."
    if status == "verschoben":
        return "Verschoben: Diese Veranstaltung findet nicht zum genannten Termin statt."
    if status == "angekündigt" and past:
        return (
            "Diese Veranstaltung wurde angekündigt. Ob und wann sie stattgefunden hat, "
            "ist hier nicht bekannt."
        )
    if status == "stattgefunden":
        return "Diese Veranstaltung hat bereits stattgefunden."
    return None
