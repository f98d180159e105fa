"""Property-based: editor-like files, valid and mutated, never break `check` or the build.

For every generated pair of files: loading ends without any exception but DataError;
when it passes, the pure build (every page and feed) passes too and every generated
page's front matter reads back; when it fails, every message names file, line and
field and is German. A few generated data sets also go through the real commands.
Derandomized, so CI sees the same examples every run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import ROOT, TEST_EPOCH, build_site, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from generator.assembly import build_site as build_outputs
from generator.data.dataset import load_dataset
from generator.data.fields import BERLIN
from generator.data.problems import DataError
from generator.geo.resolver import resolve_locations
from generator.site.settings import Settings

TODAY = dt.date(2026, 11, 22)  # the day of TEST_EPOCH
#: Real places with their Kreis and Regierungsbezirk, from the shipped data.
PLACES = sorted(
    {
        (m["kommune"], m.get("kreis"), m["regierungsbezirk"])
        for m in yaml.safe_load((ROOT / "managers.yaml").read_text(encoding="utf-8"))
    },
    key=str,
)
MANAGER_FILE = b"- id: herzogenrath-1\n  kommune: Herzogenrath\n  dienststelle: Jugendamt\n"
SERIES = ["Werkstattreihe", "Familienmanagertreffen", "Zertifikatskurs", "Fachkongress"]
#: More examples for a local bug hunt: HYPOTHESIS_MAX_EXAMPLES=2000 pytest tests/test_data_properties.py
COMMON = settings(
    max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "50")),
    # Generous for a loaded CI machine; a hang or a runaway calendar takes minutes.
    deadline=dt.timedelta(seconds=20),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

#: Text an editor might paste: letters, umlauts, emoji, quotes, YAML's special characters,
#: and the control characters Word and terminals leave behind.
PIECES = list("abcXYZ äöüßÄ„“\"'#:-&*!%@`{}[]|>?,.()0123456789😀🎉–") + [
    "\t",
    "\x0b",
    "\x0c",
    "\x1b",
    "\u2028",
    "\x85",
    "\\",
    "::error::",
    "---",
]
text = st.lists(st.sampled_from(PIECES), min_size=1, max_size=20).map("".join)


def quoted(value: str) -> str:
    """A double-quoted YAML scalar, as a careful editor (or the schema's IDE) writes it."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def manager(draw, number: int) -> str:
    kommune, kreis, bezirk = draw(st.sampled_from(PLACES))
    lines = [
        f"- id: person-{number}",
        f"  kommune: {kommune}",
        *([f"  kreis: {kreis}"] if kreis else []),
        f"  regierungsbezirk: {bezirk}",
        f"  kurs: {draw(st.integers(1, 12))}",
        f"  jahr: {draw(st.integers(2005, 2026))}",
        f"  dienststelle: {quoted(draw(text))}",
    ]
    if draw(st.booleans()):
        lines += ["  kontakt:", f"    name: {quoted(draw(text))}"]
    return "\n".join(lines) + "\n"


@st.composite
def event(draw, number: int, longest: int = 20) -> str:
    day = draw(st.dates(dt.date(2000, 1, 1), dt.date(2031, 12, 31)))
    precision = draw(st.sampled_from(["day", "day", "month", "year"]))
    datum = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}
    lines = [
        f"- id: termin-{number}",
        f"  titel: {quoted(draw(text))}",
        f"  datum: {datum[precision]}",
        f"  veranstalter: {quoted(draw(text))}",
        f"  reihe: {draw(st.sampled_from(SERIES))}",
        f"  beschreibung: {quoted(draw(text))}",
    ]
    if precision == "day" and draw(st.booleans()):
        lines.append(f"  bis: {day + dt.timedelta(days=draw(st.integers(1, longest)))}")
    if precision == "day" and draw(st.booleans()):
        lines += ['  beginn: "10:00"', '  ende: "16:30"']
    if draw(st.booleans()):
        lines.append(f"  ort: {draw(st.sampled_from(PLACES))[0]}")
    return "\n".join(lines) + "\n"


MUTATIONS = ["none", "delete", "duplicate", "indent", "insert", "swap-digits", "bytes"]


@st.composite
def mutated(draw, document: str, mutate: bool = True) -> bytes:
    """The file, possibly with one clumsy edit."""
    kind = draw(st.sampled_from(MUTATIONS)) if mutate else "none"
    lines = document.splitlines(keepends=True)
    at = draw(st.integers(0, len(lines) - 1))
    if kind == "delete":
        del lines[at]
    elif kind == "duplicate":
        lines.insert(at, lines[at])
    elif kind == "indent":
        lines[at] = draw(st.sampled_from(["", " ", "   ", "\t"])) + lines[at].lstrip(" ")
    elif kind == "insert":
        position = draw(st.integers(0, len(lines[at])))
        lines[at] = lines[at][:position] + draw(text) + lines[at][position:]
    elif kind == "swap-digits":
        lines[at] = re.sub(r"(\d)(\d)", r"\2\1", lines[at], count=1)
    data = "".join(lines).encode("utf-8")
    if kind == "bytes":
        position = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\xfc", b"\xe4\xf6", b"\x00", b"\xff\xfe", b"\x80"]))
        data = data[:position] + junk + data[position:]
    return data


@st.composite
def project_files(draw, mutate: bool = True) -> tuple[bytes, bytes]:
    """managers.yaml and events.yaml; without ``mutate`` valid but for unusual text."""
    longest = 20 if mutate else 13
    managers = "".join(draw(manager(i)) for i in range(draw(st.integers(1, 3))))
    events = "".join(draw(event(i, longest)) for i in range(draw(st.integers(1, 3))))
    return draw(mutated(managers, mutate)), draw(mutated(events, mutate))


GERMAN = re.compile(
    r"[äöüßÄÖÜ„“]|\b(Sie|die|der|das|ist|sind|nicht|keine?|Zeile|Datei|Wert|Feld|unbekanntes)\b"
)
ENGLISH = re.compile(
    r"\b(the|invalid|expected|found|could|Error|Exception|Traceback|should|must)\b"
)


def write(folder: Path, managers: bytes, events: bytes) -> None:
    (folder / "content").mkdir(exist_ok=True)
    (folder / "managers.yaml").write_bytes(managers)
    (folder / "events.yaml").write_bytes(events)


def assert_well_reported(error: DataError, files: dict[str, bytes]) -> None:
    for problem in error.problems:
        assert problem.file in files, problem
        assert 1 <= problem.line <= files[problem.file].count(b"\n") + 1, problem
        assert problem.field.strip(), problem
        assert GERMAN.search(problem.message), problem
        assert not ENGLISH.search(problem.message), problem
        assert "\n" not in str(problem), problem


@COMMON
@given(files=project_files())
def test_check_never_raises_and_passing_data_builds(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("p")
    write(folder, *files)
    try:
        dataset = load_dataset(
            folder / "managers.yaml", folder / "events.yaml", folder / "content", today=TODAY
        )
        locations = resolve_locations(dataset, folder / "geocache.yaml")
    except DataError as error:
        assert_well_reported(error, {"managers.yaml": files[0], "events.yaml": files[1]})
        return
    site = build_outputs(dataset, locations, Settings(build_date=TODAY))
    paths = [output.path for output in site.files]
    assert len(paths) == len(set(paths))  # no page overwrites another
    assert len(paths) < 1000  # the calendar spans plausible years only
    for output in site.files:
        if output.path.endswith(".md"):
            _, meta = get_data(output.content)
            assert meta.get("title"), output.path
        if output.path.endswith(".ics"):
            assert not re.search(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", output.content)


def run_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "--root", str(folder), "check"],
        capture_output=True,
        text=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "GITHUB_ACTIONS": ""},
        timeout=60,
    )


# The subprocesses bound the time here (check: 60 s); a real build takes seconds.
@settings(COMMON, max_examples=3, deadline=None)
@given(files=project_files(mutate=False))
def test_when_check_passes_the_real_build_passes(tmp_path_factory, files):
    folder = copy_project(tmp_path_factory.mktemp("b") / "project")
    write(folder, *files)
    checked = run_check(folder)
    assert "Traceback" not in checked.stderr
    assert checked.returncode == 0, checked.stderr  # unusual text, but valid
    built = build_site(folder / "site", config=folder / "mkdocs.yml")
    assert built.returncode == 0, built.stderr


@settings(COMMON, max_examples=200)
@given(title=st.text(), description=st.text())
def test_front_matter_reads_back_whatever_the_text(title, description):
    from markupsafe import escape

    from generator.data.source import clean_text
    from generator.site.rendering import front_matter

    page = front_matter(title, description, template="termine.html") + "Inhalt\n"
    body, meta = get_data(page)
    assert body.strip() == "Inhalt"
    assert meta == {
        "title": clean_text(str(escape(title))),
        "description": clean_text(str(escape(description))),
        "template": "termine.html",
    }


# --- what check accepts, every output states alike ------------------------------------
#
# For random events that `check` accepts, the event page (what a reader sees), the
# JSON-LD (read by rdflib's JSON-LD parser, not the json module that wrote it) and the
# .ics (read by ical.js, Thunderbird's parser) agree on start, end and status. The days
# the clocks change come up often, with times around 02:00.

#: Days the clocks change in Berlin (spring forward, fall back) and ordinary days.
CLOCK_DAYS = [
    dt.date(2025, 3, 30),
    dt.date(2025, 10, 26),
    dt.date(2026, 3, 29),
    dt.date(2026, 10, 25),
    dt.date(2027, 3, 28),
    dt.date(2027, 10, 31),
]
NIGHT = [f"{h:02d}:{m:02d}" for h in range(0, 5) for m in (0, 15, 30, 45)]
ANY_TIME = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
TOWNS = ["Bochum", "Essen", "Herzogenrath", "Bielefeld", "Kreuzau", "Münster"]
STATUSES = [None, None, "abgesagt", "verschoben", "angekündigt", "stattgefunden"]


@st.composite
def dated_event(draw, number: int) -> str:
    day = draw(
        st.one_of(st.sampled_from(CLOCK_DAYS), st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    )
    clock = st.sampled_from(NIGHT) | st.sampled_from(ANY_TIME)
    lines = [
        f"- id: termin-{number}",
        f"  titel: Termin {number}",
        f"  datum: {day.isoformat()}",
        "  veranstalter: IQZ",
        f"  reihe: {draw(st.sampled_from(SERIES))}",
        "  beschreibung: Ein Treffen.",
    ]
    if draw(st.booleans()):
        lines.append(f"  bis: {day + dt.timedelta(days=draw(st.integers(1, 3)))}")
    if draw(st.booleans()):
        lines.append(f'  beginn: "{draw(clock)}"')
        if draw(st.booleans()):
            lines.append(f'  ende: "{draw(clock)}"')
    if (town := draw(st.sampled_from([None, *TOWNS]))) is not None:
        lines.append(f"  ort: {town}")
    if (status := draw(st.sampled_from(STATUSES))) is not None:
        lines.append(f"  status: {status}")
    return "\n".join(lines) + "\n"


MONTHS_DE = {
    name: number
    for number, name in enumerate(
        ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
         "September", "Oktober", "November", "Dezember"],
        start=1,
    )
}  # fmt: skip
_LONG_DATE = re.compile(r"(\d{1,2})\. (" + "|".join(MONTHS_DE) + r") (\d{4})")
_END_TIME = re.compile(r"(?:–|Ende )(\d\d:\d\d) Uhr")
#: The remote context cannot be fetched offline; schema.org's context maps every term to
#: its vocabulary, which is what this stand-in says (eventStatus values are IRIs).
_CONTEXT = {"@vocab": "https://schema.org/", "eventStatus": {"@type": "@id"}}


class _PageReader(HTMLParser):
    """What an event page states: the <time> (its datetime and its text), the status
    sentence, the JSON-LD script."""

    def __init__(self):
        super().__init__()
        self.datetime, self.when, self.status, self.json_ld = None, "", "", None
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "time" and self.datetime is None:
            self.datetime, self._in = attrs["datetime"], "when"
        elif tag == "p" and "fm-event__past" in (attrs.get("class") or ""):
            self._in = "status"
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in, self.json_ld = "json_ld", ""

    def handle_endtag(self, tag):
        if tag in ("time", "p", "script"):
            self._in = None

    def handle_data(self, data):
        if self._in == "when":
            self.when += data
        elif self._in == "status":
            self.status += data
        elif self._in == "json_ld":
            self.json_ld += data


def read_page(markdown: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(markdown)
    return reader


def read_json_ld(text: str | None) -> dict[str, str]:
    """startDate, endDate, eventStatus as rdflib's JSON-LD parser reads them."""
    if text is None:
        return {}
    import rdflib

    data = json.loads(text)
    data["@context"] = _CONTEXT
    graph = rdflib.Graph().parse(data=json.dumps(data), format="json-ld")
    schema = rdflib.Namespace("https://schema.org/")
    [event] = graph.subjects(rdflib.RDF.type, schema.Event)
    found = {}
    for name in ("startDate", "endDate", "eventStatus"):
        value = graph.value(event, schema[name])
        if value is not None:
            found[name] = str(value).removeprefix("https://schema.org/")
    return found


def instant(text: str) -> dt.datetime | dt.date:
    """An ISO date, or a date-time with offset (JSON-LD) or "Z" (ical.js) as UTC."""
    if "T" not in text:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)


def ics_time(value: dict) -> dt.datetime | dt.date:
    return instant(value.get("utc") or value["date"])


def wall(moment: dt.datetime) -> tuple[dt.date, str]:
    """The Berlin wall clock of an instant: what a reader of the page must see."""
    local = moment.astimezone(BERLIN)
    return local.date(), f"{local:%H:%M}"


def assert_outputs_agree(event_id: str, page: _PageReader, ld: dict, ics: dict, status):
    start, end = ics_time(ics["start"]), ics_time(ics["end"])
    page_dates = [
        dt.date(int(y), MONTHS_DE[m], int(d)) for d, m, y in _LONG_DATE.findall(page.when)
    ]
    page_end_day = page_dates[-1]
    page_end_time = _END_TIME.search(page.when)
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        # Whole days: RFC 5545's end is the day after the last.
        assert page.datetime == start.isoformat(), event_id
        assert page_end_day == end - dt.timedelta(days=1), event_id
        if ld:  # an event with a town; a one-day event has no endDate
            assert ld["startDate"] == start.isoformat(), event_id
            assert ld.get("endDate", ld["startDate"]) == page_end_day.isoformat(), event_id
    else:
        # The page's time is the wall clock of the instant every calendar shows.
        day, clock = wall(start)
        assert page.datetime == f"{day.isoformat()}T{clock}", (event_id, page.datetime, start)
        if "startDate" in ld:
            assert instant(ld["startDate"]) == start, event_id
        if page_end_time:  # an end time: the same instant everywhere, after the start
            assert wall(end) == (page_end_day, page_end_time.group(1)), (event_id, page.when, end)
            assert end > start, (event_id, page.when)
            if ld:
                assert instant(ld["endDate"]) == end, event_id
        elif end == start:  # "ab 10:00 Uhr" on one day: no end
            assert page_end_day == day and "endDate" not in ld, event_id
        else:  # several days from a start time: to the end of the last day
            last = (end - dt.timedelta(seconds=1)).astimezone(BERLIN).date()
            assert page_end_day == last, event_id
            if ld:
                assert ld["endDate"] == last.isoformat(), event_id
    # Status: a cancellation or postponement is said by all three or by none, and the
    # page says "took place" only of an event whose end lies before the build date.
    ld_status = ld.get("eventStatus")
    cancelled = status == "CANCELLED"
    assert cancelled == page.status.startswith("Abgesagt"), (event_id, page.status)
    if ld:
        assert cancelled == (ld_status == "EventCancelled"), event_id
        postponed = ld_status == "EventPostponed"
        assert postponed == page.status.startswith("Verschoben"), (event_id, page.status)
    if page.status.startswith("Verschoben"):
        assert status == "TENTATIVE", event_id
    if "hat bereits stattgefunden" in page.status:
        over = end if isinstance(end, dt.datetime) else dt.datetime.combine(end, dt.time(), BERLIN)
        assert over <= dt.datetime.combine(TODAY, dt.time(), BERLIN), (event_id, end)
        assert status == "CONFIRMED" and ld_status in (None, "EventScheduled"), event_id
    if status == "CONFIRMED" and ld:
        assert ld_status == "EventScheduled", event_id


@settings(COMMON, max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "8")))
@given(events=st.integers(1, 4).flatmap(lambda n: st.tuples(*(dated_event(i) for i in range(n)))))
def test_what_check_accepts_every_output_states_alike(tmp_path_factory, node_clients, events):
    from generator.calendar.build import build_event_outputs
    from generator.calendar.ical import event_uid
    from generator.calendar.paths import ALL_FEED, event_src
    from generator.geo.resolver import checked_data

    folder = tmp_path_factory.mktemp("o")
    text = "".join(events).encode("utf-8")
    write(folder, MANAGER_FILE, text)
    try:
        dataset, locations = checked_data(
            folder / "managers.yaml",
            folder / "events.yaml",
            folder / "content",
            ROOT / "geocache.yaml",
            today=TODAY,
        )
    except DataError as error:  # refused: with a message, never published
        assert_well_reported(error, {"managers.yaml": MANAGER_FILE, "events.yaml": text})
        return
    outputs = {
        o.path: o.content
        for o in build_event_outputs(dataset.events, locations.events, today=TODAY)
    }
    feed = node_clients(outputs[ALL_FEED])["ical.js"]
    for event in dataset.events:
        page = read_page(outputs[event_src(event)])
        uid = event_uid(event)
        assert_outputs_agree(
            event.id, page, read_json_ld(page.json_ld), feed["events"][uid], feed["status"][uid]
        )
