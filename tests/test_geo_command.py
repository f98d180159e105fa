"""The online path and the editors' command, against a local fake Nominatim.

The real geopy client talks HTTP to a server on 127.0.0.1 that answers in Nominatim's
JSON format; nothing here touches the internet.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from generator import cli
from generator.data.dataset import load_dataset
from generator.geo import nominatim as nominatim_module
from generator.geo.cache import CACHE_HEADER, CacheEntry, load_cache, save_cache
from generator.geo.location import Location
from generator.geo.nominatim import LookupFailed, nominatim_lookup
from generator.geo.resolver import resolve_locations

ROOT = Path(__file__).resolve().parent.parent
AGENT = "familienmanager-nrw-tests/1.0 (redaktion@example.org)"


def answer(query: str, count: int) -> tuple[int, object, float]:
    """(status, JSON body, delay) for a query; ``count`` is how often it was asked before."""
    if "Drossel" in query and count < int(query.rsplit(" ", 1)[-1]):
        return 429, {"error": "Too Many Requests"}, 0
    if "Fehler" in query and count == 0:
        return 500, {"error": "Internal Server Error"}, 0
    if "Kaputt" in query:
        return 400, {"error": "Bad Request"}, 0
    if "Langsam" in query:
        return 200, [], 1.5
    if "Nichts" in query:
        return 200, [], 0
    lat, lon = (48.8566, 2.3522) if "Ausland" in query else (50.8123, 6.4567)
    if "Koordinaten" in query:
        lat, lon = "fünfzig", "sechs"
    town = "Paris, Île-de-France, France" if "Ausland" in query else "Kreis Düren, NRW, Deutschland"
    hit = {
        "place_id": 1,
        "licence": "Data © OpenStreetMap contributors, ODbL 1.0. http://osm.org/copyright",
        "osm_type": "relation",
        "osm_id": 1,
        "lat": str(lat),
        "lon": str(lon),
        "class": "boundary",
        "type": "administrative",
        "place_rank": 16,
        "importance": 0.5,
        "addresstype": "town",
        "name": query.split(",")[0],
        "display_name": f"{query.split(',')[0]}, {town}",
        "boundingbox": ["50.7", "50.9", "6.4", "6.5"],
    }
    return 200, [hit], 0


class FakeNominatim(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Handler)
        #: (monotonic time, query, all parameters, User-Agent) of every request.
        self.requests: list[tuple[float, str, dict, str]] = []
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def assert_at_most_one_per_second(self) -> None:
        """Requests arrive a second apart; arrival jitter on a busy machine is allowed for
        each gap (a missing rate limiter gives gaps of milliseconds), not for the total."""
        times = [r[0] for r in self.requests]
        gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
        assert min(gaps) >= 0.8, gaps
        assert times[-1] - times[0] >= len(gaps) - 0.2, gaps


ERROR_PAGE = b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1>" + b"x" * 5000


class Handler(BaseHTTPRequestHandler):
    def fault(self, query: str) -> bool:
        """Misbehaving servers, by query: True when the request was answered here."""
        if "Tropfen" in query:  # a valid answer, one byte every 0.3 s (about 15 s)
            data = json.dumps(answer("Treffer", 0)[1][:1]).encode()[:50]
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.3)
            return True
        if "Reset" in query:  # the connection dies with an RST mid-answer
            self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n[{")
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return True
        pages = {
            "HTML": (200, {}),
            "Wartung": (503, {"Retry-After": "1"}),
            "Pause": (429, {"Retry-After": "3600"}),
        }
        for word, (status, headers) in pages.items():
            if word in query:
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(ERROR_PAGE)))
                self.end_headers()
                self.wfile.write(ERROR_PAGE)
                return True
        return False

    def do_GET(self):  # noqa: N802 - name from the base class
        server: FakeNominatim = self.server  # type: ignore[assignment]
        params = parse_qs(urlsplit(self.path).query)
        query = params.get("q", [""])[0]
        with server.lock:
            count = sum(1 for r in server.requests if r[1] == query)
            server.requests.append((time.monotonic(), query, params, self.headers["User-Agent"]))
        try:
            if self.fault(query):
                return
        except OSError:
            return  # the client gave up
        status, body, delay = answer(query, count)
        time.sleep(delay)
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (timeout test)

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


@pytest.fixture
def nominatim(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = FakeNominatim()
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def make_lookup(server, **options):
    options = {"user_agent": AGENT, "url": server.url, "timeout": 5, "backoff": 0, **options}
    return nominatim_lookup(**options)


# --- the online client --------------------------------------------------------


def test_a_hit_is_asked_politely_and_restricted_to_nrw(nominatim):
    location = make_lookup(nominatim)("Treffer, Kreis Düren")
    assert (location.lat, location.lon, location.source) == (50.8123, 6.4567, "nominatim")
    assert location.display_name.startswith("Treffer, Kreis Düren")
    [(_, query, params, agent)] = nominatim.requests
    assert query == "Treffer, Kreis Düren"
    assert agent == AGENT
    assert params["countrycodes"] == ["de"]
    assert params["bounded"] == ["1"]
    assert params["viewbox"] == ["5.86,50.32,9.46,52.53"]
    assert params["format"] == ["json"] and params["limit"] == ["1"]


def test_no_result(nominatim):
    with pytest.raises(LookupFailed, match="kennt diesen Ort nicht"):
        make_lookup(nominatim)("Nichts")


def test_a_hit_outside_nrw_is_rejected(nominatim):
    with pytest.raises(LookupFailed, match="außerhalb von NRW"):
        make_lookup(nominatim)("Ausland")


def test_client_errors_are_not_retried(nominatim):
    with pytest.raises(LookupFailed, match="HTTP 400"):
        make_lookup(nominatim, retries=3)("Kaputt")
    assert len(nominatim.requests) == 1


def test_at_most_one_request_per_second_retries_included(nominatim):
    lookup = make_lookup(nominatim, retries=1)  # backoff 0: only the rate limiter spaces them
    lookup("Treffer A")
    assert lookup("Drossel 1").source == "nominatim"  # 429 once, then the answer
    lookup("Treffer B")
    assert [r[1] for r in nominatim.requests] == [
        "Treffer A",
        "Drossel 1",
        "Drossel 1",
        "Treffer B",
    ]
    nominatim.assert_at_most_one_per_second()


def test_persistent_429_gives_up_with_a_german_reason(nominatim):
    with pytest.raises(LookupFailed, match="HTTP 429"):
        make_lookup(nominatim, retries=1)("Drossel 9")
    assert len(nominatim.requests) == 2


def test_server_error_is_retried(nominatim):
    assert make_lookup(nominatim, retries=1)("Fehler einmal").lat == 50.8123
    assert len(nominatim.requests) == 2


def test_timeout_is_retried_then_reported(nominatim):
    with pytest.raises(LookupFailed, match="Zeitüberschreitung"):
        make_lookup(nominatim, retries=1, timeout=0.3)("Langsam")
    assert len(nominatim.requests) == 2
    nominatim.assert_at_most_one_per_second()


# --- misbehaving servers: short German reasons, bounded time -------------------------


def test_a_server_sending_one_byte_at_a_time_meets_the_deadline(nominatim):
    # Each byte comes well within the read timeout; only the deadline ends the request
    # (without it the lookup would succeed after some 15 seconds).
    lookup = make_lookup(nominatim, retries=0, timeout=2, deadline=1.5)
    with pytest.raises(LookupFailed, match="Zeitüberschreitung"):
        lookup("Tropfen")


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("Koordinaten", "Nominatim hat keine gültigen Koordinaten geschickt."),
        ("HTML", "Nominatim hat keine lesbaren Daten geschickt (vermutlich eine Fehlerseite)."),
        ("Wartung", "Nominatim ist vorübergehend überlastet oder in Wartung (HTTP 503)."),
        ("Reset", "die Verbindung zu Nominatim ist abgebrochen."),
    ],
)
def test_faults_give_a_short_german_reason(nominatim, query, reason):
    with pytest.raises(LookupFailed) as caught:
        make_lookup(nominatim, retries=1)(query)
    message = str(caught.value)
    assert message.startswith(reason)
    assert len(message) < 200
    assert "<" not in message and "Error" not in message and "Exception" not in message


def test_a_long_retry_after_is_reported_not_waited_out(nominatim):
    waited = []
    lookup = make_lookup(nominatim, retries=3, sleep=waited.append)
    with pytest.raises(LookupFailed, match="Pause von etwa 60 Minute"):
        lookup("Pause")
    assert waited == [] and len(nominatim.requests) == 1


def test_the_command_stops_at_a_long_pause_and_keeps_the_cache(tmp_path, capsys, nominatim):
    root = project(tmp_path, "Pause", "Treffer")
    before = (root / "geocache.yaml").read_bytes()
    code = cli.main(["--root", str(root), "geocode", "--online", "--nominatim-url", nominatim.url])
    out = capsys.readouterr().out
    assert code == 1
    assert "„Pause, Kreis Düren“ (events.yaml:4): Nominatim bittet um eine Pause" in out
    assert [r[1] for r in nominatim.requests] == ["Pause, Kreis Düren"]
    assert (root / "geocache.yaml").read_bytes() == before


# --- the editors' command ---------------------------------------------------------

MANAGER = """\
- id: {id}
  kommune: {kommune}
  kreis: Kreis Düren
  regierungsbezirk: Köln
  kurs: 1
  jahr: 2008
  dienststelle: Jugendamt
"""
OLD_CACHE = """\
Schloß Holte-Stukenbrock:
  lat: 51.8833
  lon: 8.6167
  source: manual
  display_name: Schloß Holte-Stukenbrock, Kreis Gütersloh
  date: '2026-11-22'
"""


#: A manager's kommune must be in the register; places the network has to find are
#: events' places (``ort`` may be any place).
EVENT = """\
- id: {id}
  titel: Treffen
  datum: 2009-05-04
  ort: {ort}
  kreis: Kreis Düren
  veranstalter: IQZ
  reihe: Werkstattreihe
  beschreibung: Ein Treffen.
"""


def project(tmp_path: Path, *places: str) -> Path:
    (tmp_path / "managers.yaml").write_text(MANAGER.format(id="m-0", kommune="Düren"), "utf-8")
    events = "".join(EVENT.format(id=f"e-{i}", ort=p) for i, p in enumerate(places))
    (tmp_path / "events.yaml").write_text(events, encoding="utf-8")
    (tmp_path / "geocache.yaml").write_text(CACHE_HEADER + OLD_CACHE, encoding="utf-8")
    return tmp_path


def test_user_agent_comes_from_mkdocs_yml_unless_given(tmp_path, capsys, nominatim):
    root = project(tmp_path, "Treffer")
    (root / "content").mkdir()
    (root / "mkdocs.yml").write_text(
        "site_name: Test\ndocs_dir: content\nplugins:\n  - search\n  - familienmanager:\n"
        '      geocoder_user_agent: "redaktion-test/1.0 (familie@example.org)"\n',
        encoding="utf-8",
    )
    assert (
        cli.main(["--root", str(root), "geocode", "--online", "--nominatim-url", nominatim.url])
        == 0
    )
    assert [r[3] for r in nominatim.requests] == ["redaktion-test/1.0 (familie@example.org)"]


def test_offline_run_lists_what_needs_the_network(tmp_path, capsys):
    root = project(tmp_path, "Düren", "Treffer")
    before = (root / "geocache.yaml").read_bytes()
    assert cli.main(["--root", str(root), "geocode"]) == 1
    out = capsys.readouterr().out
    assert "python -m generator geocode --online" in out
    assert "„Treffer, Kreis Düren“ (nicht gefunden; events.yaml:12)" in out
    assert "2 aus dem Ortsverzeichnis GeoNames" in out  # the manager and the event in Düren
    assert (root / "geocache.yaml").read_bytes() == before


def test_online_run_adds_only_new_entries_and_summarises(tmp_path, capsys, nominatim):
    root = project(tmp_path, "Düren", "Treffer", "Nichts")
    code = cli.main(
        ["--root", str(root), "geocode", "--online", "--nominatim-url", nominatim.url]
        + ["--user-agent", AGENT]
    )
    out = capsys.readouterr().out
    assert code == 1  # "Nichts" still has no place
    text = (root / "geocache.yaml").read_text(encoding="utf-8")
    assert OLD_CACHE in text  # the old entry, byte for byte
    cache = load_cache(root / "geocache.yaml")
    assert set(cache.entries) == {"Schloß Holte-Stukenbrock", "Treffer, Kreis Düren"}
    new = cache.entries["Treffer, Kreis Düren"]
    assert (new.lat, new.lon, new.source) == (50.8123, 6.4567, "nominatim")
    assert len(new.date) == 10
    assert [r[1] for r in nominatim.requests] == ["Nichts, Kreis Düren", "Treffer, Kreis Düren"]
    assert "Neu über Nominatim gefunden und in geocache.yaml gespeichert:" in out
    assert "„Nichts, Kreis Düren“ (events.yaml:20): Nominatim kennt diesen Ort nicht" in out
    assert "1 aus geocache.yaml (Nominatim/OpenStreetMap)" in out
    # The next run needs the network no more for "Treffer".
    assert cli.main(["--root", str(root), "geocode"]) == 1
    assert "Treffer" not in capsys.readouterr().out.split("Einträge haben")[0]


def test_ctrl_c_keeps_what_was_found(tmp_path, capsys, monkeypatch):
    root = project(tmp_path, "Erstens", "Zweitens")
    asked = []

    def lookup(query):
        asked.append(query)
        if len(asked) == 2:
            raise KeyboardInterrupt
        return Location(50.81, 6.45, "nominatim", query)

    monkeypatch.setattr(nominatim_module, "nominatim_lookup", lambda **_: lookup)
    assert cli.main(["--root", str(root), "geocode", "--online"]) == 130
    assert "Abgebrochen" in capsys.readouterr().out
    assert set(load_cache(root / "geocache.yaml").entries) == {
        "Schloß Holte-Stukenbrock",
        "Erstens, Kreis Düren",
    }


def test_a_failure_while_writing_leaves_the_old_file(tmp_path, monkeypatch):
    root = project(tmp_path)
    before = (root / "geocache.yaml").read_bytes()
    cache = load_cache(root / "geocache.yaml")
    cache.add("Neu", CacheEntry(50.8, 6.4, "manual", "Neu", "2026-11-22"))

    def crash(fd):
        raise KeyboardInterrupt  # as if Ctrl-C came mid-write

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        save_cache(cache, root / "geocache.yaml")
    assert (root / "geocache.yaml").read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == [
        "events.yaml",
        "geocache.yaml",
        "managers.yaml",
    ]


def test_a_killed_run_leaves_a_parseable_cache_with_its_progress(tmp_path, nominatim):
    root = project(tmp_path, *(f"Treffer {n}" for n in ("Eins", "Zwei", "Drei", "Vier", "Fünf")))
    env = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    command = [sys.executable, "-m", "generator", "--root", str(root), "geocode", "--online"]
    process = subprocess.Popen(
        [*command, "--nominatim-url", nominatim.url],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while len(nominatim.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(nominatim.requests) >= 2, "the command never reached the fake server"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    entries = yaml.safe_load((root / "geocache.yaml").read_text(encoding="utf-8"))
    assert "Schloß Holte-Stukenbrock" in entries
    cache = load_cache(root / "geocache.yaml")
    assert 1 <= len(cache.entries) - 1 < 5  # progress kept, run not finished


def test_check_reports_unresolvable_places_with_file_and_line(tmp_path, capsys):
    root = project(tmp_path, "Düren", "Nirgendwo")
    assert cli.main(["--root", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "events.yaml:12: ort: „Nirgendwo“ steht weder in geocache.yaml" in err
    assert "python -m generator geocode --online" in err


def test_an_address_is_looked_up_once_and_then_comes_from_the_cache(tmp_path, capsys, nominatim):
    root = project(tmp_path, "Düren")
    with (root / "managers.yaml").open("a", encoding="utf-8") as managers:
        managers.write("  adresse: Markt 1\n")
    assert cli.main(["--root", str(root), "geocode"]) == 0  # the town is enough for the build
    assert "„Markt 1, Düren, Kreis Düren“ (genauere Adresse; managers.yaml:8)" in (
        capsys.readouterr().out
    )
    assert (
        cli.main(["--root", str(root), "geocode", "--online", "--nominatim-url", nominatim.url])
        == 0
    )
    assert [r[1] for r in nominatim.requests] == ["Markt 1, Düren, Kreis Düren"]
    dataset = load_dataset(root / "managers.yaml", root / "events.yaml")
    location = resolve_locations(dataset, root / "geocache.yaml").managers["m-0"]
    assert (location.lat, location.source) == (50.8123, "nominatim")
