"""The optional practical details of an event (target group, cost, registration,
contact, the venue's accessibility): on the event page, in the .ics entry and in the
editors' JSON Schema, with German messages for mistakes."""

from __future__ import annotations

import datetime as dt
import json

import icalendar
import pytest
from conftest import check_rfc5545, make_event
from pydantic import ValidationError

from generator.calendar.build import build_event_outputs
from generator.calendar.ical import events_to_ics
from generator.data.schema import render_schemas

TODAY = dt.date(2026, 11, 22)
DETAILS = {
    "zielgruppe": "Familienmanagerinnen und -manager, Fachkräfte aus Jugendämtern",
    "kosten": "45 € mit Mittagessen",
    "anmeldung": "https://www.iqz.example/anmeldung",
    "anmeldeschluss": "2010-11-01",
    "kontakt": {
        "name": "Team Werkstattreihe",
        "email": "werkstatt@iqz.example",
        "telefon": "0234 32-0",
    },
    "barrierefreiheit": "Stufenloser Zugang, Aufzug, rollstuhlgerechtes WC",
    "veranstalter_web": "https://www.iqz.example/",
}


def test_details_on_the_event_page():
    outputs = build_event_outputs([make_event(**DETAILS)], {}, today=TODAY)
    page = next(o.content for o in outputs if o.path == "termine/2010-11-10-bochum-marketing.md")
    assert (
        "<dt data-pagefind-ignore>Zielgruppe</dt>\n<dd>Familienmanagerinnen und -manager, Fachkräfte aus Jugendämtern</dd>"
        in page
    )
    assert "<dt data-pagefind-ignore>Kosten</dt>\n<dd>45 € mit Mittagessen</dd>" in page
    assert (
        '<dd>bis Montag, 1. November 2010<br><a href="https://www.iqz.example/anmeldung" '
        'rel="noopener">Zur Anmeldung' in page
    )
    assert '<a href="mailto:werkstatt@iqz.example">werkstatt@iqz.example</a>' in page
    assert "Telefon 0234 32-0" in page
    assert (
        "<dt data-pagefind-ignore>Barrierefreiheit</dt>\n<dd>Stufenloser Zugang, Aufzug, rollstuhlgerechtes WC</dd>"
        in page
    )
    assert '<a href="https://www.iqz.example/" rel="noopener">IQZ<span class="fm-sr">' in page


def test_an_event_without_details_shows_none_of_their_headings():
    outputs = build_event_outputs([make_event()], {}, today=TODAY)
    page = next(o.content for o in outputs if o.path == "termine/2010-11-10-bochum-marketing.md")
    for label in ("Zielgruppe", "Kosten", "Anmeldung", "Kontakt", "Barrierefreiheit"):
        assert f">{label}</dt>" not in page


def test_details_in_the_ics_description_and_contact():
    data = events_to_ics([make_event(**DETAILS)], name="x", description="y", build_date=TODAY)
    assert check_rfc5545(data) == []
    entry = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    description = str(entry["DESCRIPTION"])
    assert (
        "\nZielgruppe: Familienmanagerinnen und -manager, Fachkräfte aus Jugendämtern\n"
        in description
    )
    assert "\nKosten: 45 € mit Mittagessen\n" in description
    assert (
        "\nAnmeldung: bis Montag, 1. November 2010: https://www.iqz.example/anmeldung\n"
        in description
    )
    assert "\nBarrierefreiheit: Stufenloser Zugang, Aufzug, rollstuhlgerechtes WC" in description
    assert str(entry["CONTACT"]) == "Team Werkstattreihe, werkstatt@iqz.example, 0234 32-0"


def test_the_schema_describes_the_new_fields_in_german():
    schema = json.loads(render_schemas()["events.schema.json"])
    properties = schema["$defs"]["Event"]["properties"]
    for name in (
        "zielgruppe",
        "anmeldung",
        "anmeldeschluss",
        "kosten",
        "kontakt",
        "barrierefreiheit",
    ):
        assert name in properties, name
    assert "Anmeldung" in properties["anmeldeschluss"]["description"]
    assert "Zugänglichkeit" in properties["barrierefreiheit"]["description"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"anmeldeschluss": "1.11.2010"}, "JJJJ-MM-TT"),
        ({"anmeldeschluss": "2010-02-30"}, "gibt es nicht"),
        ({"anmeldung": "www.iqz.example/anmeldung"}, "https://"),
        ({"kosten": "  "}, "darf nicht leer sein"),
    ],
)
def test_editor_mistakes_in_the_details_get_german_messages(fields, message):
    with pytest.raises(ValidationError) as caught:
        make_event(**fields)
    assert message in str(caught.value)
