"""Weight and speed of the manager map at scale.

For each size, writes a temporary project (this repository's mkdocs.yml, content/,
theme/ and events, plus a synthetic managers.yaml: N managers in about 0.3 × N places,
at most the 427 places a manager can have, the 396 municipalities and 31 districts of
the register, with explicit lat/lon inside NRW, so geocoding is trivial), builds it
with the real plugin (``mkdocs build --strict``) and reports:

- the weight of what the map page loads: the page (HTML, which holds every manager
  once; markers and popups are built from its list) and the finder's data (loaded on
  first use), uncompressed and gzip-compressed (budget at 5,000 managers: at most
  1.5 MB and 400 KB together); the GeoJSON file, now only the open-data download, is
  listed apart; and the scripts and stylesheets the map loads (the same at every size);
- the time from navigation start to the first marker or cluster in headless Chromium,
  consent given beforehand and tiles answered locally with a tiny PNG (fresh browser
  context per run, median of --runs; budget: 1.0 s).

The records look like the sample data (managers.yaml): 45 % with an e-mail address,
35 % with a web address, 5 % with a phone number, 1 % with a name, addresses about as
long as the sample's (on the reserved .example domain); ``--contacts all`` gives every
record all four, as an upper bound.

    .venv/bin/python benchmarks/bench_map.py [--managers 100 1000 5000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.data import register as nrw  # noqa: E402

EPOCH = "1795348800"  # 2026-11-22, as in the tests
PAGE = "familienmanager/karte/index.html"
DATA = "familienmanager/familienmanager.geojson"
FINDER = "familienmanager/kommunen.json"
ASSETS = (
    "assets/javascripts/karte.js",
    "assets/stylesheets/karte.css",
    "assets/vendor/leaflet/leaflet.js",
    "assets/vendor/leaflet/leaflet.css",
    "assets/vendor/markercluster/leaflet.markercluster.js",
    "assets/vendor/markercluster/MarkerCluster.css",
    "assets/vendor/markercluster/MarkerCluster.Default.css",
    "assets/vendor/gesturehandling/leaflet-gesture-handling.min.js",
    "assets/vendor/gesturehandling/leaflet-gesture-handling.min.css",
)
DIENSTSTELLEN = (
    "Jugendamt, Familienbüro",
    "Fachbereich Jugend, Familie und Soziales",
    "Amt für Kinder, Jugend und Familie",
    "Stabsstelle Familienpolitik",
    "Büro des Bürgermeisters, Familienbeauftragte",
    "Fachdienst Familie, Generationen und Soziales",
    "Dezernat für Bildung, Jugend und Familie",
    "Familienbüro",
    "Sozialamt, Abteilung Familienförderung",
    "Amt für Jugendhilfe und Schule",
)
FIRST = ("Anna", "Jörg", "Sabine", "Thomas", "Müjde", "Katharina", "Özlem", "Hans-Peter")
LAST = ("Müller", "Schäfer", "Yılmaz", "Krüger", "Becker", "Weiß", "Hoffmann")


def _slug(text: str) -> str:
    return nrw.fold(text).replace(" ", "-")


#: Share of records with each contact field.
MIXES = {
    "sample": {"email": 0.45, "web": 0.35, "telefon": 0.05, "name": 0.01},
    "all": {"email": 1.0, "web": 1.0, "telefon": 1.0, "name": 1.0},
}


def synthetic_managers(count: int, mix: dict[str, float], seed: int = 2008) -> str:
    """managers.yaml text: ``count`` active managers in about 0.3 × count places."""
    from generator.data.municipalities import MUNICIPALITIES

    rng = random.Random(seed)
    names = [m.name for m in MUNICIPALITIES] + sorted(nrw.DISTRICTS)
    rng.shuffle(names)
    places = []
    for name in names[: max(1, min(len(names), round(count * 0.3)))]:
        lat = round(rng.uniform(nrw.LAT_MIN + 0.05, nrw.LAT_MAX - 0.05), 5)
        lon = round(rng.uniform(nrw.LON_MIN + 0.05, nrw.LON_MAX - 0.05), 5)
        places.append((name, lat, lon))
    entries = []
    for number in range(count):
        name, lat, lon = places[number % len(places)]
        slug = _slug(name)
        kontakt = {}
        if rng.random() < mix["name"]:
            kontakt["name"] = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if rng.random() < mix["email"]:
            kontakt["email"] = f"familie{number}@{slug}.example"
        if rng.random() < mix["telefon"]:
            kontakt["telefon"] = f"0{rng.randint(2000, 6999)} {rng.randint(10, 99)}-{number}"
        if rng.random() < mix["web"]:
            kontakt["web"] = f"https://www.{slug}.example/familie"
        entry = {
            "id": f"m-{number:05d}",
            "kommune": name,  # Kreis and Regierungsbezirk follow from the register
            "kurs": rng.randint(1, 20),
            "jahr": rng.randint(2006, 2025),
            "dienststelle": rng.choice(DIENSTSTELLEN),
            "lat": lat,
            "lon": lon,
        }
        if kontakt:
            entry["kontakt"] = kontakt
        entries.append(entry)
    # JSON is YAML: quoting everything keeps phone numbers and names as text.
    return "\n".join("- " + json.dumps(entry, ensure_ascii=False) for entry in entries) + "\n"


def write_project(directory: Path, managers: int, mix: dict[str, float]) -> Path:
    for folder in ("content", "theme"):
        shutil.copytree(ROOT / folder, directory / folder)
    for name in ("mkdocs.yml", "events.yaml", "geocache.yaml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, directory / name)
    (directory / "managers.yaml").write_text(synthetic_managers(managers, mix), encoding="utf-8")
    return directory / "mkdocs.yml"


def build(config: Path, site: Path) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    command += ["--config-file", str(config), "--site-dir", str(site)]
    result = subprocess.run(command, cwd=config.parent, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(result.stderr)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


#: Runs before the page's scripts: the time (ms since navigation start) of the first
#: frame after a marker or cluster entered the DOM.
OBSERVER = """
new MutationObserver((changes, observer) => {
  if (document.querySelector(".leaflet-marker-icon, .marker-cluster")) {
    observer.disconnect();
    requestAnimationFrame(() => { window.__markersAt = performance.now(); });
  }
}).observe(document, {childList: true, subtree: true});
localStorage.setItem("familienmanager-karte-kacheln", %s);
"""


def time_to_markers(site: Path, runs: int, tile_host: str) -> list[float]:
    from playwright.sync_api import sync_playwright

    tile = _png()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/familienmanager/karte/"
    times = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=["--no-sandbox", "--disable-gpu"],
            )
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.add_init_script(OBSERVER % json.dumps(tile_host))
                page.route(
                    lambda u: urlsplit(u).hostname != "127.0.0.1",
                    lambda route: route.fulfill(body=tile, content_type="image/png"),
                )
                page.goto(url)
                page.wait_for_function("window.__markersAt !== undefined", timeout=30_000)
                times.append(page.evaluate("window.__markersAt"))
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return times


def _png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunks = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xe8\xec\xde"))
    return b"\x89PNG\r\n\x1a\n" + chunks + chunk(b"IEND", b"")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--managers", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--contacts", choices=sorted(MIXES), default="sample")
    parser.add_argument("--keep", type=Path, help="keep the projects in this folder")
    args = parser.parse_args()
    from generator.map.tiles import DEFAULT_TILES, TILE_PRESETS, tile_host

    host = tile_host(TILE_PRESETS[DEFAULT_TILES].url)
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-map-"))
    print(f"{'managers':>8} {'places':>6} {'page KB':>8} {'finder KB':>9} {'sum KB':>7} "
          f"{'gzip KB':>7} {'budget':>6} {'markers ms (median, min-max)':>30} {'GeoJSON KB':>10}")  # fmt: skip
    failed = False
    try:
        for count in args.managers:
            project = work / f"managers-{count}"
            config = write_project(project, count, MIXES[args.contacts])
            build(config, project / "site")
            site = project / "site"
            page, data, finder = ((site / p).read_bytes() for p in (PAGE, DATA, FINDER))
            total = len(page) + len(finder)  # the GeoJSON is the download, not loaded
            packed = sum(len(gzip.compress(b, 9, mtime=0)) for b in (page, finder))
            places = len(json.loads(data)["features"])
            times = time_to_markers(site, args.runs, host)
            median = statistics.median(times)
            within = total <= 1_500_000 and packed <= 400_000 and median < 1000
            failed |= count == 5000 and not within
            print(
                f"{count:>8} {places:>6} {len(page) / 1000:>8.0f} {len(finder) / 1000:>9.0f} "
                f"{total / 1000:>7.0f} {packed / 1000:>7.0f} {'ok' if within else 'OVER':>6} "
                f"{median:>20.0f} ({min(times):.0f}-{max(times):.0f}) {len(data) / 1000:>10.0f}"
            )
        assets = sum((site / path).stat().st_size for path in ASSETS)
        print(f"scripts and stylesheets of the map (loaded once, any size): {assets / 1000:.0f} KB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
