"""Data that passes `check` but would publish something false: each case is refused
with a German message at file, line and field that says what to write instead, or is
read so that every output states the same (issue 23; issue 21, "all the errors at once").

Most cases run in-process through the same function `check` and the build use
(:func:`generator.geo.resolver.checked_data`); the ones about time and memory run the
real command under the limits of tests/test_data_hostile.py.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from test_data_hostile import EVENT, MANAGER, check, project, refused

from generator.calendar.ical import events_to_ics
from generator.calendar.json_ld import event_json_ld, price_of
from generator.calendar.lists import place_options
from generator.data.problems import DataError
from generator.geo.resolver import checked_data

TODAY = dt.date(2026, 11, 22)  # the day of TEST_EPOCH
#: The manager without the optional region lines, for other municipalities.
BARE_MANAGER = MANAGER.replace("  kreis: Städteregion Aachen\n  regierungsbezirk: Köln\n", "")


def load(tmp_path: Path, managers: str = MANAGER, events: str = EVENT, today=TODAY):
    root = project(tmp_path, managers=managers, events=events)
    return checked_data(
        root / "managers.yaml",
        root / "events.yaml",
        root / "content",
        root / "geocache.yaml",
        today=today,
    )


def problems(tmp_path: Path, **files) -> list[str]:
    with pytest.raises(DataError) as caught:
        load(tmp_path, **files)
    return [str(problem) for problem in caught.value.problems]


def one_problem(tmp_path: Path, expected: str, **files) -> str:
    found = problems(tmp_path, **files)
    matching = [p for p in found if p.startswith(expected)]
    assert matching, found
    return matching[0]


def event_with(*lines: str, datum: str = "2010-11-10") -> str:
    return EVENT.replace("datum: 2010-11-10", f"datum: {datum}") + "".join(
        f"  {line}\n" for line in lines
    )


# --- time that does not exist ----------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected", "meant"),
    [
        (['beginn: "02:30"', 'ende: "03:30"'], "events.yaml:8: beginn: die Uhrzeit 02:30", "03:30"),
        (['beginn: "01:00"', 'ende: "02:15"'], "events.yaml:9: ende: die Uhrzeit 02:15", "03:15"),
        (['beginn: "02:00"'], "events.yaml:8: beginn: die Uhrzeit 02:00", "03:00"),
    ],
)
def test_a_time_the_clocks_skip_is_refused(tmp_path, lines, expected, meant):
    message = one_problem(tmp_path, expected, events=event_with(*lines, datum="2027-03-28"))
    assert "gibt es am 28.03.2027 nicht" in message
    assert f'„{expected.split(": ")[1]}: "{meant}"“' in message


def test_the_repeated_october_hour_is_read_alike_by_every_output(tmp_path):
    """02:30 on the last Sunday of October exists twice: it is the first (summer time)
    in the JSON-LD and in the .ics, which calendars read as that first one too."""
    dataset, _ = load(
        tmp_path, events=event_with('beginn: "02:30"', 'ende: "02:45"', datum="2026-10-25")
    )
    [event] = dataset.events
    data = event_json_ld(event, today=TODAY)
    assert data["startDate"] == "2026-10-25T02:30:00+02:00"
    assert data["endDate"] == "2026-10-25T02:45:00+02:00"
    ics = events_to_ics([event], name="x", description="x", build_date=TODAY).decode()
    assert "DTSTART;TZID=Europe/Berlin:20261025T023000" in ics


def test_times_on_an_ordinary_day_pass(tmp_path):
    load(tmp_path, events=event_with('beginn: "02:30"', 'ende: "03:30"', datum="2027-03-27"))


# --- status and deadline against the dates ------------------------------------------


@pytest.mark.parametrize(
    ("datum", "refused_status"),
    [("2027-03-28", True), ("2026-11-22", True), ("2026-11", True), ("2026-11-21", False)],
)
def test_stattgefunden_needs_an_event_that_is_over(tmp_path, datum, refused_status):
    events = event_with("status: stattgefunden", datum=datum)
    if not refused_status:
        load(tmp_path, events=events)
        return
    message = one_problem(
        tmp_path, "events.yaml:8: status: „stattgefunden“ stimmt noch nicht", events=events
    )
    assert "(2026-11-22)" in message and "Löschen Sie die Zeile „status“" in message


def test_the_build_date_decides_not_the_clock(tmp_path):
    """The same file passes with a later build date: "today" comes from the settings."""
    events = event_with("status: stattgefunden", datum="2027-03-28")
    load(tmp_path, events=events, today=dt.date(2027, 3, 29))


def test_a_deadline_after_the_event_is_refused(tmp_path):
    one_problem(
        tmp_path,
        "events.yaml:8: anmeldeschluss: der Anmeldeschluss (2010-11-12) liegt nach dem letzten "
        "Tag der Veranstaltung (2010-11-10)",
        events=event_with("anmeldeschluss: 2010-11-12"),
    )
    load(tmp_path, events=event_with("anmeldeschluss: 2010-11-10"))  # the day itself is fine


def test_a_deadline_within_a_multi_day_event_passes(tmp_path):
    load(tmp_path, events=event_with("bis: 2010-11-12", "anmeldeschluss: 2010-11-11"))


def test_the_deadline_year_is_checked_like_the_event_date(tmp_path):
    message = one_problem(
        tmp_path,
        "events.yaml:8: anmeldeschluss: das Jahr 0201 ist nicht plausibel",
        events=event_with("anmeldeschluss: 0201-03-01"),
    )
    assert "„2001-03-01“" in message


# --- places -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ort", "namesake"),
    [
        ('"Halle (Saale)"', "Halle (Westf.)"),
        ('"Borken (Hessen)"', "Borken"),
        ("Halle/Saale", "Halle (Westf.)"),
        ('"Hamm (Sieg)"', "Hamm"),
    ],
)
def test_a_namesake_outside_nrw_is_refused(tmp_path, ort, namesake):
    message = one_problem(
        tmp_path,
        "events.yaml:4: ort: „",
        events=EVENT.replace("ort: Bochum", f"ort: {ort}"),
    )
    assert "ist keine Stadt oder Gemeinde in NRW" in message
    assert f"In NRW gibt es nur „{namesake}“" in message


def test_a_place_with_an_unknown_qualifier_is_not_taken_for_a_town_in_nrw(tmp_path):
    """The gazetteer dropped any bracket when nothing matched: "Neustadt (Wied)" became
    some Neustadt in NRW."""
    one_problem(
        tmp_path,
        "events.yaml:4: ort: „Neustadt (Wied)“ steht weder in geocache.yaml noch im Ortsverzeichnis",
        events=EVENT.replace("ort: Bochum", 'ort: "Neustadt (Wied)"'),
    )


def test_the_same_namesake_is_refused_as_kommune(tmp_path):
    one_problem(
        tmp_path,
        "managers.yaml:2: kommune: „Halle (Saale)“ ist keine Stadt oder Gemeinde in NRW",
        managers=BARE_MANAGER.replace("kommune: Herzogenrath", 'kommune: "Halle (Saale)"'),
    )


MUENSTER = ["Münster", "Mu\u0308nster", "MÜNSTER", "muenster", "Stadt Münster"]


def test_one_town_is_one_filter_option_whatever_its_spelling(tmp_path):
    events = "".join(
        EVENT.replace("2010-11-10-bochum-marketing", f"termin-{n}")
        .replace("titel: Marketing", f"titel: Termin {n}")
        .replace("ort: Bochum", f'ort: "{spelling}"')
        for n, spelling in enumerate(MUENSTER)
    )
    dataset, locations = load(tmp_path, events=events)
    assert {event.ort for event in dataset.events} == {"Münster"}
    assert place_options(dataset.events)["orte"] == ["Münster"]
    assert len({(loc.lat, loc.lon) for loc in locations.events.values()}) == 1


def test_a_zero_width_space_in_a_place_is_refused_not_a_second_place(tmp_path):
    one_problem(
        tmp_path,
        "events.yaml:4: ort: enthält an Stelle 4 ein unsichtbares Zeichen (U+200B",
        events=EVENT.replace("ort: Bochum", 'ort: "Mün\\u200bster"'),
    )


def test_other_places_are_written_alike(tmp_path):
    second = EVENT.replace("2010-11-10-bochum-marketing", "zwei").replace(
        "ort: Bochum", "ort: WATTENSCHEID"
    )
    first = EVENT.replace("ort: Bochum", "ort: Wattenscheid")
    one_problem(
        tmp_path,
        "events.yaml:11: ort: „WATTENSCHEID“ ist derselbe Ort wie „Wattenscheid“ (Zeile 4)",
        events=first + second,
    )


def test_a_town_brings_its_kreis_and_a_wrong_one_is_refused(tmp_path):
    dataset, _ = load(tmp_path, events=EVENT.replace("ort: Bochum", "ort: Kreuzau"))
    assert dataset.events[0].kreis == "Kreis Düren"
    assert place_options(dataset.events)["kreise"] == ["Kreis Düren"]
    one_problem(
        tmp_path,
        "events.yaml:5: kreis: Kreuzau gehört zu „Kreis Düren“, nicht zu „Kreis Euskirchen“",
        events=EVENT.replace("ort: Bochum", "ort: Kreuzau\n  kreis: Kreis Euskirchen"),
    )


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Hansestadt Herford", "Herford"),
        ('"Kerpen, Kolpingstadt"', "Kerpen"),
        ("Mülheim/Ruhr", "Mülheim an der Ruhr"),
        ("Mülheim a. d. Ruhr", "Mülheim an der Ruhr"),
        ("Universitätsstadt Siegen", "Siegen"),
        ("Alte Hansestadt Lemgo", "Lemgo"),
        ('"Lemgo, Alte Hansestadt"', "Lemgo"),
        ("Klingenstadt Solingen", "Solingen"),
        ('"Halle (Westfalen)"', "Halle (Westf.)"),
        ('"Stolberg (Rheinland)"', "Stolberg (Rhld.)"),
        ("Fröndenberg", "Fröndenberg/Ruhr"),
    ],
)
def test_official_titles_and_spellings_are_recognised(tmp_path, written, official):
    managers = BARE_MANAGER.replace("kommune: Herzogenrath", f"kommune: {written}")
    dataset, _ = load(tmp_path, managers=managers)
    assert dataset.managers[0].kommune == official


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("Mülheim", "Mülheim an der Ruhr"),
        ("Fröndenburg", "Fröndenberg/Ruhr"),
        ("Frondenbreg", "Fröndenberg/Ruhr"),
    ],
)
def test_suggestions_name_the_town_meant(tmp_path, written, suggested):
    message = one_problem(
        tmp_path,
        f"managers.yaml:2: kommune: „{written}“ ist keine Stadt",
        managers=BARE_MANAGER.replace("kommune: Herzogenrath", f"kommune: {written}"),
    )
    assert f"Meinten Sie „{suggested}“?" in message


# --- invisible characters, lengths, types --------------------------------------------


@pytest.mark.parametrize(
    "char", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u200b", "\ufeff", "\U000e0041"]
)
@pytest.mark.parametrize(
    ("field", "line"),
    [("titel", 2), ("beschreibung", 7), ("veranstalter", 5), ("ort", 4)],
)
def test_invisible_controls_are_refused_in_every_text_field(tmp_path, char, field, line):
    original = {
        "titel": "Marketing",
        "beschreibung": "Workshop",
        "veranstalter": "IQZ",
        "ort": "Bochum",
    }[field]
    for value in (
        json.dumps(f"Anmeldung {char}gro.elpmaxe", ensure_ascii=False),
        json.dumps(f"Anmeldung {char}gro.elpmaxe"),
    ):
        # the character itself, and as the escape JSON tools write ("\\u202e", "\\udb40\\udc41")
        events = EVENT.replace(f"{field}: {original}", f"{field}: {value}")
        message = one_problem(
            tmp_path, f"events.yaml:{line}: {field}: enthält an Stelle 11", events=events
        )
        assert f"U+{ord(char):04X}" in message


def test_invisible_controls_are_refused_in_nested_and_address_fields(tmp_path):
    managers = (
        MANAGER
        + '  kontakt:\n    name: "Erika \\u202eMuster"\n    web: "https://example.org/\\u202ex"\n'
    )
    found = problems(tmp_path, managers=managers)
    assert any(p.startswith("managers.yaml:9: kontakt.name: enthält an Stelle 7") for p in found), (
        found
    )
    assert any(
        p.startswith("managers.yaml:10: kontakt.web: enthält an Stelle 21") for p in found
    ), found


def test_joiners_of_emoji_and_soft_hyphens_stay_allowed(tmp_path):
    title = json.dumps("Familien\u00admanagement 👨\u200d👩\u200d👧")
    dataset, _ = load(tmp_path, events=EVENT.replace("titel: Marketing", f"titel: {title}"))
    assert "\u200d" in dataset.events[0].titel


@pytest.mark.parametrize(
    ("field", "original", "limit"),
    [
        ("titel", "Marketing", 200),
        ("beschreibung", "Workshop", 2000),
        ("veranstalter", "IQZ", 200),
        ("ort", "Bochum", 100),
    ],
)
def test_texts_longer_than_their_use_are_refused(tmp_path, field, original, limit):
    events = EVENT.replace(f"{field}: {original}", f"{field}: {'x' * (limit + 1)}")
    message = one_problem(tmp_path, "events.yaml:", events=events)
    assert (
        f": {field}: der Text ist {limit + 1:_} Zeichen lang, höchstens {limit:_}".replace("_", ".")
        in message
    )
    load(
        tmp_path,
        events=EVENT.replace(f"{field}: {original}", f"{field}: {'x' * limit}")
        if field != "ort"
        else EVENT,
    )


def test_a_200_kb_office_is_refused(tmp_path):
    managers = MANAGER.replace("dienststelle: Jugendamt", "dienststelle: " + "Amt " * 50_000)
    one_problem(
        tmp_path,
        "managers.yaml:7: dienststelle: der Text ist 199.999 Zeichen lang",
        managers=managers,
    )


def test_a_one_megabyte_title_is_refused_quickly_in_bounded_memory(tmp_path):
    """The real command, under test_data_hostile's 1 GiB address-space limit and time
    limit; the echoed message never carries the value."""
    started = time.monotonic()
    err = refused(
        tmp_path,
        "events.yaml:2: titel: der Text ist 1.048.576 Zeichen lang, höchstens 200",
        events=EVENT.replace("titel: Marketing", "titel: " + "T" * (1 << 20)),
    )
    assert time.monotonic() - started < 25
    assert "T" * 100 not in err


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            ("kurs: 3", "kurs: yes"),
            "managers.yaml:5: kurs: ganze Zahl erwartet, aber YAML hat einen Ja/Nein-Wert",
        ),
        (
            ("kurs: 3", "kurs: true"),
            "managers.yaml:5: kurs: ganze Zahl erwartet, aber YAML hat einen Ja/Nein-Wert",
        ),
        (
            ("kurs: 3", 'kurs: "3"'),
            "managers.yaml:5: kurs: ganze Zahl ohne Anführungszeichen erwartet",
        ),
        (("kurs: 3", "kurs: 3.0"), "managers.yaml:5: kurs: ganze Zahl erwartet"),
        (("jahr: 2008", "jahr: on"), "managers.yaml:6: jahr: ganze Zahl erwartet, aber YAML"),
        (("dienststelle: Jugendamt", "aktiv: 1"), "managers.yaml:7: aktiv: true oder false"),
        (("dienststelle: Jugendamt", 'aktiv: "false"'), "managers.yaml:7: aktiv: true oder false"),
        (
            ("dienststelle: Jugendamt", "lat: true\n  lon: 6.1"),
            "managers.yaml:7: lat: Zahl mit Dezimalpunkt erwartet",
        ),
        (
            ("dienststelle: Jugendamt", 'lat: "50.8"\n  lon: 6.1'),
            "managers.yaml:7: lat: Zahl mit Dezimalpunkt ohne Anführungszeichen",
        ),
    ],
)
def test_no_value_is_silently_coerced(tmp_path, replace, expected):
    one_problem(tmp_path, expected, managers=MANAGER.replace(*replace))


def test_einordnung_monat_true_is_refused(tmp_path):
    one_problem(
        tmp_path,
        "events.yaml:8: einordnung_monat: ganze Zahl erwartet, aber YAML hat einen Ja/Nein-Wert",
        events=event_with("einordnung_monat: true", datum="2010"),
    )


def test_whole_numbers_for_coordinates_stay_numbers(tmp_path):
    dataset, _ = load(tmp_path, managers=MANAGER + "  lat: 51\n  lon: 6\n")
    assert (dataset.managers[0].lat, dataset.managers[0].lon) == (51, 6)


# --- price ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kosten", "price"),
    [
        ("kostenlos", "0"),
        ("Die Teilnahme ist kostenfrei.", "0"),
        ("Eintritt frei", "0"),
        ("0 €", "0"),
        ("45 € mit Mittagessen", "45.00"),
        ("45,50 Euro", "45.50"),
        ("kostenlos für Mitglieder, sonst 45 €", None),
        ("kostenlos für Mitglieder", None),
        ("45 € für Mitglieder", None),
        ("45 €, ermäßigt 30 €", None),
        ("ab 20 €", None),
        ("kostenlos, Spende erbeten", None),
        ("kostenlos (2 Termine)", None),
    ],
)
def test_a_price_only_where_the_text_leaves_no_doubt(kosten, price):
    assert price_of(kosten) == price


def test_a_conditional_free_text_tells_search_engines_nothing(tmp_path):
    events = event_with('kosten: "kostenlos für Mitglieder, sonst 45 €"')
    dataset, _ = load(tmp_path, events=events)
    data = event_json_ld(dataset.events[0], today=TODAY)
    assert "offers" not in data and "isAccessibleForFree" not in data


# --- the same person twice ------------------------------------------------------------

PERSON = "  kontakt:\n    name: Dr. Erika Muster\n"


def test_the_same_person_twice_in_one_place_is_an_error(tmp_path):
    second = (MANAGER + PERSON).replace("herzogenrath-1", "herzogenrath-2").replace("Dr. ", "Frau ")
    one_problem(
        tmp_path,
        "managers.yaml:18: kontakt.name: „Frau Erika Muster“ steht schon unter der Kennung "
        "„herzogenrath-1“ (Zeile 9) für Herzogenrath",
        managers=MANAGER + PERSON + second,
    )


def test_the_same_person_in_two_places_gets_a_hint(tmp_path):
    second = (
        (BARE_MANAGER + PERSON)
        .replace("herzogenrath-1", "wuerselen-1")
        .replace("Herzogenrath", "Würselen")
    )
    dataset, _ = load(tmp_path, managers=MANAGER + PERSON + second)
    [note] = dataset.notes
    assert str(note).startswith(
        "managers.yaml:16: kontakt.name: „Dr. Erika Muster“ steht auch unter der Kennung „herzogenrath-1“"
    )
    root = project(tmp_path, managers=MANAGER + PERSON + second)
    result = check(root, github=True)
    assert result.returncode == 0, result.stderr
    assert "Hinweis: managers.yaml:16: kontakt.name:" in result.stderr
    [warning] = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert warning.startswith("::warning file=")  # the path relative to where check runs
    assert "managers.yaml,line=16,title=kontakt.name::„Dr. Erika Muster“ steht auch" in warning


def test_a_former_entry_marked_inactive_is_no_duplicate(tmp_path):
    second = (MANAGER + PERSON).replace("herzogenrath-1", "herzogenrath-2")
    dataset, _ = load(tmp_path, managers=MANAGER + "  aktiv: false\n" + PERSON + second)
    assert dataset.notes == ()


# --- all the errors at once (issue 21) ----------------------------------------------


def test_a_syntax_error_in_one_file_does_not_hide_the_other_files_places(tmp_path):
    found = problems(
        tmp_path,
        managers="- id: [\n",
        events=EVENT.replace("ort: Bochum", "ort: Nirgendwo"),
    )
    assert found[0].startswith("events.yaml:4: ort: „Nirgendwo“ steht weder in geocache.yaml")
    assert found[1].startswith("managers.yaml:2: YAML: Syntaxfehler")


def test_an_unquoted_number_does_not_hide_a_wrong_kreis(tmp_path):
    managers = MANAGER.replace("dienststelle: Jugendamt", "dienststelle: 123").replace(
        "kreis: Städteregion Aachen", "kreis: Kreis Düren"
    )
    found = problems(tmp_path, managers=managers)
    assert found == [
        "managers.yaml:3: kreis: Herzogenrath gehört zu „Städteregion Aachen“, nicht zu „Kreis "
        "Düren“. Schreiben Sie „kreis: Städteregion Aachen“ oder löschen Sie die Zeile (der "
        "Kreis ergibt sich aus der Gemeinde).",
        "managers.yaml:7: dienststelle: Text erwartet, aber YAML hat eine Zahl gelesen. Setzen "
        'Sie den Wert in Anführungszeichen, z. B. dienststelle: "…" (führende Nullen gehen '
        "sonst verloren).",
    ]


def test_a_wrong_title_does_not_hide_wrong_dates(tmp_path):
    events = EVENT.replace("titel: Marketing", "titel: 2010") + "  bis: 2010-11-01\n"
    found = problems(tmp_path, events=events)
    assert any(p.startswith("events.yaml:2: titel: Text erwartet") for p in found), found
    assert any(
        p.startswith("events.yaml:8: bis: „bis“ (2010-11-01) liegt vor dem Beginn") for p in found
    )


def test_a_wrong_date_is_not_checked_against_a_stand_in(tmp_path):
    """datum takes part in the checks across fields: no second pass with a made-up one."""
    events = EVENT.replace("datum: 2010-11-10", "datum: 2010-13-10") + "  bis: 2010-11-12\n"
    assert problems(tmp_path, events=events) == [
        "events.yaml:3: datum: „2010-13-10“: einen Monat 13 gibt es nicht. Prüfen Sie die "
        "Reihenfolge JJJJ-MM-TT."
    ]


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("31.02.2027", "„2027-02-28“"),
        ("29.02.2028", "„2028-02-29“"),
        ("31.04.2027", "„2027-04-30“"),
        ("10.11.2010", "„2010-11-10“"),
        ("02.31.2027", "„2027-02-28“"),
    ],
)
def test_a_german_date_gets_a_suggestion_that_exists(tmp_path, typed, suggested):
    message = one_problem(
        tmp_path,
        "events.yaml:3: datum: ",
        events=EVENT.replace("datum: 2010-11-10", f"datum: {typed}"),
    )
    assert suggested in message
    iso = suggested.strip("„“")
    dt.date.fromisoformat(iso)  # the suggestion is a day of the calendar


def test_a_nonexistent_iso_date_says_how_long_the_month_is(tmp_path):
    one_problem(
        tmp_path,
        "events.yaml:3: datum: den Tag „2010-02-30“ gibt es nicht im Kalender: der Februar 2010 hat 28 Tage.",
        events=EVENT.replace("datum: 2010-11-10", "datum: 2010-02-30"),
    )


# --- more of the same kind ------------------------------------------------------------


def test_coordinates_far_from_the_named_town_are_refused(tmp_path):
    """The page and the JSON-LD would name Bochum at a point in Köln."""
    one_problem(
        tmp_path,
        "events.yaml:8: lat: die Koordinaten (50.94, 6.96) liegen 63 km von Bochum entfernt",
        events=EVENT + "  lat: 50.94\n  lon: 6.96\n",
    )
    load(tmp_path, events=EVENT + "  lat: 51.48\n  lon: 7.22\n")  # in Bochum


def test_coordinates_place_what_the_offline_chain_does_not_know(tmp_path):
    dataset, locations = load(
        tmp_path,
        events=EVENT.replace("ort: Bochum", "ort: Nirgendwo") + "  lat: 51.4\n  lon: 7.2\n",
    )
    assert locations.events[dataset.events[0].id].source == "yaml"


def test_a_text_of_invisible_characters_only_is_empty(tmp_path):
    one_problem(
        tmp_path,
        "events.yaml:2: titel: darf nicht leer sein",
        events=EVENT.replace("titel: Marketing", 'titel: "\\u00ad\\u200d"'),
    )


def test_a_yes_or_no_in_words_gets_the_plain_advice(tmp_path):
    assert problems(tmp_path, managers=MANAGER + "  aktiv: nein\n") == [
        "managers.yaml:8: aktiv: true oder false erwartet (nicht „nein“)."
    ]


def test_the_same_event_under_two_ids_is_refused(tmp_path):
    one_problem(
        tmp_path,
        "events.yaml:8: id: diese Veranstaltung steht schon unter der Kennung "
        "„2010-11-10-bochum-marketing“ (Zeile 1)",
        events=EVENT + EVENT.replace("2010-11-10-bochum-marketing", "zwei"),
    )


@pytest.mark.parametrize(
    ("datum", "zeitraum", "expected"),
    [
        ("2008", "Herbst 2009", "„Herbst 2009“ nennt 2009, „datum“ aber 2008."),
        ("2008-04", "Ende Mai 2008", "„Ende Mai 2008“ nennt den Mai, „datum“ aber den April."),
        ("2008", "Herbst 2008", None),
        ("2008-04", "Ende April 2008", None),
        ("2008", "Winter 2008/2009", None),
    ],
)
def test_zeitraum_in_words_names_the_time_of_datum(tmp_path, datum, zeitraum, expected):
    events = EVENT.replace("datum: 2010-11-10", f"datum: {datum}") + f"  zeitraum: {zeitraum}\n"
    if expected is None:
        load(tmp_path, events=events)
    else:
        one_problem(tmp_path, f"events.yaml:8: zeitraum: {expected}", events=events)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  reihe: " + "W" * 30_000_000 + "\n", "events.yaml:6: reihe: „"),
        ("  " + "f" * 30_000_000 + ": 1\n", "events.yaml:8: "),
        ("  id: " + "a" * 30_000_000 + "\n", "events.yaml:1: id: "),
    ],
    ids=["choice", "field-name", "id"],
)
def test_a_huge_value_in_any_field_is_refused_in_bounded_time_and_memory(tmp_path, line, expected):
    """30 MB where a choice, a field name or an id belongs: the suggestion machinery
    (difflib) would index every character; the real command runs under the 1 GiB limit."""
    if line.startswith("  reihe"):
        events = EVENT.replace("  reihe: Werkstattreihe\n", line)
    elif line.startswith("  id"):
        events = EVENT.replace("- id: 2010-11-10-bochum-marketing\n", "-" + line[1:])
    else:
        events = EVENT + line
    refused(tmp_path, expected, events=events)
