"""Build time and peak memory of the event calendar at scale.

Generates two temporary projects and builds them side by side, alternating, several times:

- "generator": the site with 10,000 synthetic events over ten years (explicit lat/lon, so
  geocoding is trivial): every month grid, event page, list and feed;
- "plain": the same theme and hand-written pages plus 10,000 Markdown pages of similar
  size that are not in the nav, built by plain MkDocs without our plugin.

Reports the median wall time of each, their ratio (target: at most 1.5) and the peak
resident memory of each build process (target: under 1 GB), measured with
``os.wait4`` (``resource.getrusage`` of exactly that child).

    .venv/bin/python benchmarks/bench_events.py [--events 10000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1795348800"  # 2026-11-22, as in the tests
SERIES = ("Werkstattreihe", "Familienmanagertreffen", "Zertifikatskurs", "Fachkongress")
PLACES = [
    ("Bochum", 51.4818, 7.2162),
    ("Essen", 51.4556, 7.0116),
    ("Köln", 50.9375, 6.9603),
    ("Düsseldorf", 51.2277, 6.7735),
    ("Münster", 51.9607, 7.6261),
    ("Bielefeld", 52.0302, 8.5325),
    ("Dortmund", 51.5136, 7.4653),
    ("Aachen", 50.7753, 6.0839),
    ("Paderborn", 51.7189, 8.7575),
    ("Siegen", 50.8748, 8.0243),
]
TEXT = (
    "Workshop für Beschäftigte aus Kommunalverwaltungen zum kommunalen Management für "
    "Familien: Praxisbeispiele, Austausch in Arbeitsgruppen und Ergebnisse für die eigene "
    "Kommune. Die Teilnahme ist kostenfrei; eine Anmeldung ist erforderlich."
)


def synthetic_events(count: int, seed: int = 2010, years: tuple[int, int] = (2015, 2024)) -> str:
    """events.yaml text: ``count`` events spread over ``years`` (first and last), some
    multi-day or month-only."""
    rng = random.Random(seed)
    first, last = dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)
    days = (last - first).days
    lines = []
    for number in range(count):
        start = first + dt.timedelta(days=rng.randrange(days))
        ort, lat, lon = PLACES[number % len(PLACES)]
        entry = {
            "id": f"{start.isoformat()}-veranstaltung-{number:05d}",
            "titel": f"Werkstatt {number}: Familienfreundliche Verwaltung in {ort}",
            "datum": start.isoformat(),
            "ort": ort,
            "veranstaltungsort": f"Rathaus {ort}, Sitzungssaal",
            "veranstalter": "IQZ im Auftrag des Familienministeriums NRW",
            "reihe": SERIES[number % len(SERIES)],
            "beschreibung": TEXT,
            "lat": lat,
            "lon": lon,
        }
        kind = rng.random()
        if kind < 0.05:
            entry["datum"] = start.isoformat()[:7]
        elif kind < 0.15:
            entry["bis"] = (start + dt.timedelta(days=rng.randint(1, 3))).isoformat()
        elif kind < 0.75:
            entry["beginn"], entry["ende"] = "10:00", "16:00"
        lines.append(
            "- "
            + "\n  ".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in entry.items())
        )
    return "\n".join(lines) + "\n"


def plain_page(number: int) -> str:
    """A hand-written page about as long as a generated event page's Markdown."""
    return (
        f"---\ntitle: Werkstatt {number}\n---\n\n"
        f"# Werkstatt {number}: Familienfreundliche Verwaltung\n\n"
        f"- **Datum:** Mittwoch, 10. November 2010, 10:00–16:00 Uhr\n"
        f"- **Ort:** Rathaus Bochum, Sitzungssaal, Bochum\n"
        f"- **Veranstalter:** IQZ im Auftrag des Familienministeriums NRW\n"
        f"- **Reihe:** Werkstattreihe\n\n{TEXT}\n\n"
        f"[In meinen Kalender](#) · [Im Monatskalender](#) · [Alle Termine](#)\n"
    )


def make_projects(base: Path, count: int) -> tuple[Path, Path]:
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")

    generator = base / "generator"
    shutil.copytree(ROOT / "content", generator / "content")
    for name in ("managers.yaml", "geocache.yaml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, generator / name)
    (generator / "events.yaml").write_text(synthetic_events(count), encoding="utf-8")
    (generator / "mkdocs.yml").write_text(config, encoding="utf-8")

    plain = base / "plain"
    shutil.copytree(ROOT / "content", plain / "content")
    # The hand-written Termine page, which the generator otherwise provides.
    (plain / "content" / "termine").mkdir(exist_ok=True)
    (plain / "content" / "termine" / "index.md").write_text("# Termine\n", encoding="utf-8")
    pages = plain / "content" / "seiten"
    pages.mkdir()
    for number in range(count):
        (pages / f"seite-{number:05d}.md").write_text(plain_page(number), encoding="utf-8")
    # Same configuration without our plugin: drop its entry and the indented lines under it.
    plain_config = re.sub(r"\n  - familienmanager:\n(?:      .*\n|\s*\n)*", "\n", config)
    if plain_config == config or "familienmanager:" in plain_config:
        raise SystemExit("mkdocs.yml changed: cannot remove the familienmanager plugin")
    # Plain Material searches with its plugin; ours indexes with Pagefind in the build.
    plain_config = plain_config.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1)
    (plain / "mkdocs.yml").write_text(plain_config, encoding="utf-8")
    return generator, plain


#: ``mkdocs build`` in a Python that writes, at its exit, its own peak resident memory and
#: the largest of its child processes' (the search's indexer, Pagefind) to a file.
_MEASURED = """
import atexit, os, resource, sys
def report():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(os.environ["BENCH_RSS_FILE"], "w") as f:
        f.write(f"{own} {children}")
atexit.register(report)
sys.argv = ["mkdocs", *sys.argv[1:]]
from mkdocs.__main__ import cli
cli()
"""


def build_measured(project: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS of the build's own process, peak RSS of its largest child
    process) in bytes, of one ``mkdocs build`` (not strict: the plain project's
    placeholder pages are not in the nav and link nowhere)."""
    site = project / "site"
    shutil.rmtree(site, ignore_errors=True)
    report = project / ".bench-rss"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    env["BENCH_RSS_FILE"] = str(report)
    command = [sys.executable, "-c", _MEASURED, "build", "--quiet", "--site-dir", str(site)]
    started = time.perf_counter()
    process = subprocess.run(command, cwd=project, env=env, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build of {project.name} failed:\n{process.stderr.decode()}")
    own, children = (int(n) * 1024 for n in report.read_text().split())  # KiB on Linux
    report.unlink()
    return elapsed, own, children


def build(project: Path) -> tuple[float, int]:
    """(seconds, peak RSS in bytes of the largest process of the build: its own or the
    search indexer's) of one ``mkdocs build``."""
    elapsed, own, children = build_measured(project)
    return elapsed, max(own, children)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-events-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        generator, plain = make_projects(base, args.events)
        results: dict[str, list[tuple[float, int]]] = {"generator": [], "plain": []}
        for run in range(1, args.runs + 1):
            for name, project in (("plain", plain), ("generator", generator)):
                seconds, rss = build(project)
                results[name].append((seconds, rss))
                print(f"run {run}: {name:9s} {seconds:7.2f} s  {rss / 2**20:7.0f} MiB", flush=True)
        median = {name: statistics.median(s for s, _ in runs) for name, runs in results.items()}
        peak = {name: max(r for _, r in runs) for name, runs in results.items()}
        ratio = median["generator"] / median["plain"]
        pages = sum(1 for _ in (generator / "site").rglob("*.html"))
        print(
            f"\n{args.events} events, {pages} HTML pages in the generator site\n"
            f"median build: generator {median['generator']:.2f} s, "
            f"plain MkDocs {median['plain']:.2f} s, "
            f"ratio {ratio:.2f} (target <= 1.5)\n"
            f"peak memory: generator {peak['generator'] / 2**20:.0f} MiB, "
            f"plain {peak['plain'] / 2**20:.0f} MiB (target < 1024 MiB)"
        )
        ok = ratio <= 1.5 and peak["generator"] < 2**30
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
