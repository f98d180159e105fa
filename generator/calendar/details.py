"""An event's practical details (target group, cost, registration, contact, access) as
labelled plain text, for the outputs that have no markup: iCalendar and Atom."""

from __future__ import annotations

import datetime as dt

from generator.calendar.dates import long_date
from generator.data.models import Contact, Event


def contact_text(contact: Contact | None) -> str | None:
    """ "Name, E-Mail, Telefon, Web", those given."""
    if contact is None:
        return None
    parts = [p for p in (contact.name, contact.email, contact.telefon, contact.web) if p]
    return ", ".join(parts) or None


def registration_text(event: Event) -> str | None:
    """ "bis Sonntag, 1. November 2026: https://…", "https://…" or "bis …"."""
    deadline = (
        f"bis {long_date(dt.date.fromisoformat(event.anmeldeschluss))}"
        if event.anmeldeschluss
        else None
    )
    if event.anmeldung and deadline:
        return f"{deadline}: {event.anmeldung}"
    return event.anmeldung or deadline


def detail_lines(event: Event) -> list[tuple[str, str]]:
    """(label, text) for each detail the event names, in the event page's order."""
    lines = [
        ("Zielgruppe", event.zielgruppe),
        ("Kosten", event.kosten),
        ("Anmeldung", registration_text(event)),
        ("Kontakt", contact_text(event.kontakt)),
        ("Barrierefreiheit", event.barrierefreiheit),
    ]
    return [(label, text) for label, text in lines if text]
