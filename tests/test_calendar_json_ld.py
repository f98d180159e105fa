"""schema.org Event markup against Google's documented fields: present only where the
required fields can be honoured, and then with every recommended field the data has."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import make_event

from generator.calendar.build import build_event_outputs
from generator.calendar.json_ld import event_json_ld, has_event_markup, price_of
from generator.site.rendering import Links

TODAY = dt.date(2026, 11, 22)

#: Google Search Central, "Event (Event) structured data", sections "Required properties"
#: and "Recommended properties":
#: https://developers.google.com/search/docs/appearance/structured-data/event
#: Dotted names are nested properties (``location.address`` is the Place's address).
GOOGLE_EVENT_FIELDS = {
    "required": (
        "location",  # Place (VirtualLocation for online events)
        "location.address",  # PostalAddress of the venue
        "name",
        "startDate",  # ISO 8601 date, or date and time
    ),
    "recommended": (
        "description",
        "endDate",
        "eventAttendanceMode",
        "eventStatus",
        "image",
        "location.name",
        "offers",
        "organizer",
        "organizer.name",
        "organizer.url",
        "performer",
        "previousStartDate",
    ),
}
#: Recommended fields our data has nothing for: no event images, no performers, and no
#: earlier start date of a postponed event ("verschoben" keeps its original date).
NOT_IN_OUR_DATA = {"image", "performer", "previousStartDate"}
#: The address parts Google lists for PostalAddress; we have no postal codes (no guessing).
ADDRESS_PARTS = ("streetAddress", "addressLocality", "addressRegion", "addressCountry")
EVENT_STATUS = {
    f"https://schema.org/{s}"
    for s in ("EventCancelled", "EventMovedOnline", "EventPostponed", "EventRescheduled")
} | {"https://schema.org/EventScheduled"}
ATTENDANCE = {f"https://schema.org/{m}EventAttendanceMode" for m in ("Offline", "Online", "Mixed")}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?[+-]\d{2}:\d{2})?$")


def field(data: dict, dotted: str):
    for part in dotted.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def google_problems(data: dict) -> list[str]:
    """Missing required fields and values Google would not accept."""
    problems = [
        f"missing {name}" for name in GOOGLE_EVENT_FIELDS["required"] if not field(data, name)
    ]
    if data.get("@type") != "Event" or data.get("@context") != "https://schema.org":
        problems.append("not a schema.org Event")
    for name in ("startDate", "endDate"):
        if name in data and not ISO_DATE.match(data[name]):
            problems.append(f"{name} {data[name]!r} is no full ISO 8601 date")
    if "eventStatus" in data and data["eventStatus"] not in EVENT_STATUS:
        problems.append(f"eventStatus {data['eventStatus']}")
    if "eventAttendanceMode" in data and data["eventAttendanceMode"] not in ATTENDANCE:
        problems.append(f"eventAttendanceMode {data['eventAttendanceMode']}")
    if field(data, "location.@type") != "Place":
        problems.append("location is no Place")
    address = field(data, "location.address") or {}
    if address.get("@type") != "PostalAddress":
        problems.append("location.address is no PostalAddress")
    if address.get("addressCountry") != "DE" or not address.get("addressLocality"):
        problems.append(f"address incomplete: {address}")
    for url in (data.get("url"), field(data, "organizer.url"), field(data, "offers.url")):
        if url is not None and not re.match(r"^https?://[^/\s]+", url):
            problems.append(f"relative URL {url}")
    if "offers" in data:
        offer = data["offers"]
        if (
            not re.match(r"^\d+\.\d{2}$|^0$", offer.get("price", ""))
            or offer.get("priceCurrency") != "EUR"
        ):
            problems.append(f"offer {offer}")
    return problems


def missing_recommended(data: dict) -> set[str]:
    return {name for name in GOOGLE_EVENT_FIELDS["recommended"] if field(data, name) is None}


FULL = {
    "veranstalter_web": "https://www.iqz.example/",
    "kosten": "45 € mit Mittagessen",
    "anmeldung": "https://www.iqz.example/anmeldung",
    "anmeldeschluss": "2027-02-20",
    "zielgruppe": "Familienmanagerinnen und -manager",
    "kontakt": {"name": "Team Werkstattreihe", "email": "werkstatt@iqz.example"},
    "adresse": "Universitätsstraße 150",
    "datum": "2027-03-04",
}


def test_a_complete_event_has_every_field_google_lists_that_our_data_can_have():
    data = event_json_ld(
        make_event(**FULL), today=TODAY, url="https://familie.nrw.example/termine/x/"
    )
    assert google_problems(data) == []
    assert missing_recommended(data) == NOT_IN_OUR_DATA
    assert [p for p in ADDRESS_PARTS if p not in data["location"]["address"]] == []
    assert data["location"]["address"]["addressRegion"] == "Nordrhein-Westfalen"
    assert data["startDate"] == "2027-03-04T10:00:00+01:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["offers"] == {
        "@type": "Offer",
        "price": "45.00",
        "priceCurrency": "EUR",
        "url": "https://www.iqz.example/anmeldung",
        "validThrough": "2027-02-20",
    }
    assert data["audience"] == {"@type": "Audience", "audienceType": FULL["zielgruppe"]}
    assert data["organizer"]["contactPoint"]["email"] == "werkstatt@iqz.example"
    assert data["url"] == "https://familie.nrw.example/termine/x/"


def test_without_an_organizer_url_the_organizer_has_its_name_only():
    """No URL is known for the IQZ: the recommended organizer.url stays out rather than
    pointing somewhere made up."""
    data = event_json_ld(make_event(), today=TODAY)
    assert data["organizer"] == {"@type": "Organization", "name": "IQZ"}
    assert google_problems(data) == []
    assert {"organizer.url", "offers"} <= missing_recommended(data)


@pytest.mark.parametrize(
    "fields",
    [
        {"datum": "2008-04", "beginn": None, "ende": None},
        {"datum": "2008", "zeitraum": "Herbst 2008", "beginn": None, "ende": None},
        {"ort": None, "veranstaltungsort": None},
        {"ort": None},  # a building alone is no address
    ],
    ids=["month-only", "year-only", "no-place", "building-without-town"],
)
def test_no_markup_where_the_required_fields_cannot_be_honoured(fields):
    event = make_event(**fields)
    assert not has_event_markup(event)
    assert event_json_ld(event, today=TODAY) is None


@pytest.mark.parametrize(
    ("status", "datum", "expected"),
    [
        ("abgesagt", "2027-03-04", "EventCancelled"),
        ("verschoben", "2027-03-04", "EventPostponed"),
        ("angekündigt", "2027-03-04", "EventScheduled"),
        (None, "2027-03-04", "EventScheduled"),
        ("stattgefunden", "2010-11-10", "EventScheduled"),
        (None, "2010-11-10", "EventScheduled"),
        ("angekündigt", "2010-11-10", None),  # whether it took place is not known
    ],
)
def test_event_status_follows_the_status_field(status, datum, expected):
    data = event_json_ld(make_event(status=status, datum=datum), today=TODAY)
    assert data.get("eventStatus") == (f"https://schema.org/{expected}" if expected else None)
    assert data["startDate"].startswith(datum)  # a postponed event keeps its date


def test_dates_of_all_day_multi_day_and_timed_events():
    day = event_json_ld(make_event(beginn=None, ende=None), today=TODAY)
    assert (day["startDate"], day.get("endDate")) == ("2010-11-10", None)
    days = event_json_ld(make_event(beginn=None, ende=None, bis="2010-11-12"), today=TODAY)
    assert (days["startDate"], days["endDate"]) == ("2010-11-10", "2010-11-12")
    summer = event_json_ld(make_event(datum="2027-06-02"), today=TODAY)
    assert (summer["startDate"], summer["endDate"]) == (
        "2027-06-02T10:00:00+02:00",
        "2027-06-02T16:00:00+02:00",
    )
    open_end = event_json_ld(make_event(ende=None, bis="2010-11-11"), today=TODAY)
    assert (open_end["startDate"], open_end["endDate"]) == (
        "2010-11-10T10:00:00+01:00",
        "2010-11-11",
    )


@pytest.mark.parametrize(
    ("text", "price"),
    [
        ("kostenlos", "0"),
        ("Kostenfrei, Anmeldung erbeten", "0"),
        ("45 € mit Mittagessen", "45.00"),
        ("12,50 Euro", "12.50"),
        ("30 EUR", "30.00"),
        ("ab 30 €", None),
        ("für Mitglieder frei, sonst 20 €", None),
        ("45 Euronen", None),
        (None, None),
    ],
)
def test_price_only_from_a_text_that_starts_with_it(text, price):
    assert price_of(text) == price


def test_free_events_say_so():
    data = event_json_ld(make_event(kosten="kostenlos"), today=TODAY)
    assert data["isAccessibleForFree"] is True and data["offers"]["price"] == "0"


def test_shipped_data_marks_up_exactly_the_dated_events_with_a_place(built_site):
    marked, unmarked = [], []
    for page in sorted((built_site / "termine").glob("*/index.html")):
        html = page.read_text(encoding="utf-8")
        scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        if not re.match(r"\d{4}-", page.parent.name) or page.parent.name.isdigit():
            assert scripts == [], page  # lists and month pages carry no Event markup
            continue
        if scripts:
            (script,) = scripts
            data = json.loads(script)
            assert google_problems(data) == [], page
            marked.append(page.parent.name)
        else:
            unmarked.append(page.parent.name)
    assert marked == [
        "2009-09-23-essen-vernetzung",
        "2010-02-22-herzogenrath-dienstleistungen",
        "2010-11-10-bochum-marketing",
    ]
    assert len(unmarked) == 6  # month or year only, or no place


def test_urls_in_the_markup_are_absolute_from_the_site_url():
    links = Links(site_url="https://familie.nrw.example/netz/")
    outputs = build_event_outputs([make_event()], {}, today=TODAY, links=links)
    page = next(o.content for o in outputs if o.path == "termine/2010-11-10-bochum-marketing.md")
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["url"] == "https://familie.nrw.example/netz/termine/2010-11-10-bochum-marketing/"
    assert google_problems(data) == []
