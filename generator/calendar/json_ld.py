"""schema.org ``Event`` markup for search engines, only where it can be complete.

Google's Event structured data (https://developers.google.com/search/docs/appearance/
structured-data/event) requires ``name``, ``startDate`` and a ``location`` with a
``PostalAddress``. Events the reports know only to the month or year ("April 2008",
"Herbst 2008"), and events without a known town, cannot honour that: their pages carry
no Event markup at all rather than markup a search engine rejects (the page itself
still says everything that is known).

The dict goes through ``json.dumps`` (see ``site.rendering.script_json``), so data text
is escaped by construction. tests/test_calendar_json_ld.py checks the output against Google's
table of required and recommended properties.
"""

from __future__ import annotations

import datetime as dt
import re

from generator.calendar.grid import is_past
from generator.calendar.ical import event_coordinates, event_times
from generator.data.models import Event

SCHEMA = "https://schema.org/"
#: The state an address's town lies in: schema.org's addressRegion is "the region in
#: which the locality is, and which is in the country", a first-level division.
REGION = "Nordrhein-Westfalen"
COUNTRY = "DE"

#: Event.status -> schema.org EventStatusType. "verschoben" without a new date is
#: EventPostponed (Google: keep the original startDate until the new one is known).
EVENT_STATUS = {
    "abgesagt": "EventCancelled",
    "verschoben": "EventPostponed",
    "angekündigt": "EventScheduled",
    "stattgefunden": "EventScheduled",
    None: "EventScheduled",
}

_FREE = re.compile(r"\b(kostenlos|kostenfrei|gebührenfrei|unentgeltlich|frei)\b", re.IGNORECASE)
_AMOUNT = re.compile(r"(\d{1,5})(?:,(\d{2}))?\s*(?:€|euro\b|eur\b)", re.IGNORECASE)
#: Words that make a price depend on who pays or what is booked: "kostenlos für
#: Mitglieder, sonst 45 €" is not free, "45 € für Mitglieder" not the price for all.
_CONDITION = re.compile(
    r"\b(für|nur|sonst|außer|ausser|ab|bis|mitglied\w*|nichtmitglied\w*|ermäßigt\w*|"
    r"zzgl|zuzüglich|plus|spende\w*|oder|bzw|teilweise|zum teil|je nach)\b",
    re.IGNORECASE,
)


def has_event_markup(event: Event) -> bool:
    """A full start date and a town: what Google's required fields need."""
    return event.precision == "day" and bool(event.ort)


def price_of(kosten: str | None) -> str | None:
    """The price in Euro as schema.org writes it ("0", "45.00") where the editors' text
    leaves no doubt; else None (the text alone, on the page and in the feeds).

    Free ("0", and ``isAccessibleForFree``): a word for free of charge, no amount, no
    digit, no condition ("kostenlos", "Die Teilnahme ist kostenfrei."). A price: the
    text starts with the only amount in it and names no condition ("45 € mit
    Mittagessen"). "kostenlos für Mitglieder, sonst 45 €", "45 €, ermäßigt 30 €" or
    "ab 20 €" tell search engines nothing rather than something false.
    """
    if not kosten or _CONDITION.search(kosten):
        return None
    amounts = _AMOUNT.findall(kosten)
    if _FREE.search(kosten):
        return "0" if not amounts and not any(c.isdigit() for c in kosten) else None
    if len(amounts) == 1 and (match := _AMOUNT.match(kosten.strip())):
        euros, cents = match.groups()
        if int(euros) == 0 and int(cents or 0) == 0:
            return "0"
        return f"{int(euros)}.{cents or '00'}"
    return None


def _dates(event: Event) -> tuple[str, str | None]:
    start, end = event_times(event)
    if isinstance(start, dt.datetime):
        if event.end_time is not None and end is not None:
            return start.isoformat(), end.isoformat()
        return start.isoformat(), event.end_date.isoformat() if event.bis else None
    return event.start_date.isoformat(), event.end_date.isoformat() if event.bis else None


def _place(event: Event, location) -> dict:
    address = {"@type": "PostalAddress"}
    if event.adresse:
        address["streetAddress"] = event.adresse
    address |= {"addressLocality": event.ort, "addressRegion": REGION, "addressCountry": COUNTRY}
    place = {"@type": "Place", "name": event.veranstaltungsort or event.ort, "address": address}
    coordinates = event_coordinates(event, location)
    if coordinates is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": coordinates[0],
            "longitude": coordinates[1],
        }
    return place


def _organizer(event: Event) -> dict:
    organizer = {"@type": "Organization", "name": event.veranstalter}
    if event.veranstalter_web:
        organizer["url"] = event.veranstalter_web
    contact = event.kontakt
    if contact is not None and (contact.email or contact.telefon or contact.web):
        point = {"@type": "ContactPoint", "contactType": "Fragen zur Veranstaltung"}
        if contact.name:
            point["name"] = contact.name
        if contact.email:
            point["email"] = contact.email
        if contact.telefon:
            point["telephone"] = contact.telefon
        if contact.web:
            point["url"] = contact.web
        organizer["contactPoint"] = point
    return organizer


def _offers(event: Event, url: str | None) -> dict | None:
    price = price_of(event.kosten)
    if price is None:
        return None
    offer = {"@type": "Offer", "price": price, "priceCurrency": "EUR"}
    if event.anmeldung or url:
        offer["url"] = event.anmeldung or url
    if event.anmeldeschluss:
        offer["validThrough"] = event.anmeldeschluss
    return offer


def event_json_ld(
    event: Event, *, today: dt.date, location=None, url: str | None = None
) -> dict | None:
    """schema.org ``Event`` for the event's page, or None where the required fields
    cannot be honoured (see the module docstring)."""
    if not has_event_markup(event):
        return None
    start, end = _dates(event)
    data: dict = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.titel,
        "description": event.beschreibung,
        "startDate": start,
    }
    if end:
        data["endDate"] = end
    data["eventAttendanceMode"] = SCHEMA + "OfflineEventAttendanceMode"
    # An announced event that is over: whether it took place is not known, and
    # EventScheduled would say it did ("has taken place on the startDate as scheduled").
    if not (event.status == "angekündigt" and is_past(event, today)):
        data["eventStatus"] = SCHEMA + EVENT_STATUS[event.status]
    data["location"] = _place(event, location)
    data["organizer"] = _organizer(event)
    if url:
        data["url"] = url
    if event.zielgruppe:
        data["audience"] = {"@type": "Audience", "audienceType": event.zielgruppe}
    if (offers := _offers(event, url)) is not None:
        data["offers"] = offers
        if offers["price"] == "0":
            data["isAccessibleForFree"] = True
    data["inLanguage"] = "de"
    return data
