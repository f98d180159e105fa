"""The whole site at scale against plain MkDocs with the same number of pages.

Writes two temporary projects and builds them side by side, alternating, --runs times:

- "generator": this repository's content/, theme/ and mkdocs.yml with N synthetic events
  and M synthetic managers whose places are given by name only (the register's 396
  municipalities and 31 districts), so geocoding runs; the build date is 22 November
  2026 and the events lie between 2020 and 2030, so there are past and upcoming ones;
- "plain": the same theme and hand-written pages plus as many short Markdown pages as
  the generator site has generated pages, built by MkDocs without our plugin.

Reports the median wall time of each, their ratio (target: at most 1.0) and the peak
resident memory of each build process (target: at most 2.0 × plain), and of the search
indexer that runs beside ours (Pagefind, its own process). With --zensical, every run
also times the same generated site on Zensical: ``python -m generator export`` of the
generator project, then ``zensical build`` of the export (issue 26; pip install -e
'.[zensical]'). With --scaling, builds only
the generator site at the given event counts and reports seconds per 1,000 events; with
--check, the time of a cold ``python -m generator check`` (target at 10,000 events: 3 s).

    .venv/bin/python benchmarks/bench_site.py [--events 10000] [--managers 5000] [--runs 3]
    .venv/bin/python benchmarks/bench_site.py --zensical [--events 10000] [--runs 3]
    .venv/bin/python benchmarks/bench_site.py --scaling 1000 10000 50000
    .venv/bin/python benchmarks/bench_site.py --check
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

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import EPOCH, ROOT, SERIES, TEXT, build, build_measured, plain_page  # noqa: E402

DIENSTSTELLEN = ("Jugendamt", "Familienbüro", "Amt für Familie und Soziales", "Stabsstelle")


def places() -> list[tuple[str, str | None]]:
    """(name, Kreis) of every place a record may name: municipalities and districts."""
    sys.path.insert(0, str(ROOT))
    from generator.data import register
    from generator.data.municipalities import MUNICIPALITIES

    return [(m.name, m.kreis) for m in MUNICIPALITIES] + [(d, None) for d in register.DISTRICTS]


def synthetic_managers(count: int, seed: int = 2008) -> str:
    rng = random.Random(seed)
    where = places()
    entries = []
    for number in range(count):
        name, _ = where[number % len(where)]
        entry = {
            "id": f"m-{number:05d}",
            "kommune": name,
            "kurs": rng.randint(1, 20),
            "jahr": rng.randint(2006, 2025),
            "dienststelle": rng.choice(DIENSTSTELLEN),
        }
        if rng.random() < 0.45:
            entry["kontakt"] = {"email": f"familie{number}@kommune.example"}
        entries.append(entry)
    return "\n".join("- " + json.dumps(e, ensure_ascii=False) for e in entries) + "\n"


def synthetic_events(count: int, seed: int = 2010) -> str:
    rng = random.Random(seed)
    where = places()
    first, days = dt.date(2020, 1, 1), (dt.date(2030, 12, 31) - dt.date(2020, 1, 1)).days
    entries = []
    for number in range(count):
        start = first + dt.timedelta(days=rng.randrange(days))
        ort, kreis = where[number % len(where)]
        entry = {
            "id": f"{start.isoformat()}-veranstaltung-{number:05d}",
            "titel": f"Werkstatt {number}: Familienfreundliche Verwaltung in {ort}",
            "datum": start.isoformat(),
            "ort": ort,
            "veranstaltungsort": f"Rathaus {ort}, Sitzungssaal",
            "veranstalter": "IQZ im Auftrag des Familienministeriums NRW",
            "reihe": SERIES[number % len(SERIES)],
            "beschreibung": TEXT,
        }
        if kreis:
            entry["kreis"] = kreis
        kind = rng.random()
        if kind < 0.05:
            entry["datum"] = start.isoformat()[:7]
        elif kind < 0.15:
            entry["bis"] = (start + dt.timedelta(days=rng.randint(1, 3))).isoformat()
        elif kind < 0.75:
            entry["beginn"], entry["ende"] = "10:00", "16:00"
        entries.append(entry)
    return "\n".join("- " + json.dumps(e, ensure_ascii=False) for e in entries) + "\n"


def generator_project(base: Path, events: int, managers: int) -> Path:
    project = base / "generator"
    shutil.copytree(ROOT / "content", project / "content")
    shutil.copy(ROOT / "geocache.yaml", project / "geocache.yaml")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    (project / "events.yaml").write_text(synthetic_events(events), encoding="utf-8")
    (project / "managers.yaml").write_text(synthetic_managers(managers), encoding="utf-8")
    return project


def plain_project(base: Path, pages: int) -> Path:
    project = base / "plain"
    shutil.copytree(ROOT / "content", project / "content")
    (project / "content" / "termine").mkdir(exist_ok=True)
    (project / "content" / "termine" / "index.md").write_text("# Termine\n", encoding="utf-8")
    folder = project / "content" / "seiten"
    folder.mkdir()
    for number in range(pages):
        (folder / f"seite-{number:05d}.md").write_text(plain_page(number), encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    plain = re.sub(r"\n  - familienmanager:\n(?:      .*\n|\s*\n)*", "\n", config)
    if "familienmanager:" in plain:
        raise SystemExit("mkdocs.yml changed: cannot remove the familienmanager plugin")
    # A plain Material site searches with Material's plugin; ours indexes with Pagefind
    # inside the build (generator/site/search.py), so both builds include a search index.
    plain = plain.replace("\nplugins:\n", "\nplugins:\n  - search\n", 1)
    (project / "mkdocs.yml").write_text(plain, encoding="utf-8")
    return project


def timed(command: list[str], cwd: Path) -> tuple[float, int]:
    """(seconds, peak RSS in bytes) of one command; its error output if it fails."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def zensical_build(generator: Path, base: Path) -> tuple[float, float, int, Path]:
    """The generator project exported (generator/export.py) and built by Zensical:
    (export seconds, build seconds, peak RSS of the build, the built site)."""
    project = base / "zensical"
    shutil.rmtree(project, ignore_errors=True)
    export = [sys.executable, "-m", "generator", "--root", str(generator), "export", str(project)]
    exported, _ = timed(export, generator)
    built, rss = timed([sys.executable, "-m", "zensical", "build", "--clean"], project)
    return exported, built, rss, project / "site"


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html"))


def timed_check(project: Path) -> float:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check"], cwd=project, env=env, capture_output=True
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(result.stderr.decode()[-2000:])
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--managers", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scaling", type=int, nargs="*", help="event counts, generator only")
    parser.add_argument("--check", action="store_true", help="time a cold check")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument(
        "--zensical", action="store_true", help="also export and build with Zensical each run"
    )
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-site-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        if args.check:
            project = generator_project(base, args.events, args.managers)
            times = [timed_check(project) for _ in range(args.runs)]
            print(
                f"check, {args.events} events + {args.managers} managers: "
                f"median {statistics.median(times):.2f} s (runs: {', '.join(f'{t:.2f}' for t in times)})"
            )
            return 0
        if args.scaling:
            for count in args.scaling:
                project = generator_project(base / f"n{count}", count, args.managers)
                seconds, rss = build(project)
                print(
                    f"{count:6d} events + {args.managers} managers: {seconds:7.2f} s, "
                    f"{seconds / count * 1000:.2f} s per 1,000 events, {rss / 2**20:.0f} MiB, "
                    f"{html_pages(project / 'site')} pages",
                    flush=True,
                )
            return 0
        generator = generator_project(base, args.events, args.managers)
        seconds, rss, indexer = build_measured(generator)
        pages = html_pages(generator / "site")
        plain = plain_project(base, pages - sum(1 for _ in (ROOT / "content").rglob("*.md")) - 1)
        results = {"generator": [(seconds, rss, indexer)], "plain": []}
        print(f"warm-up: generator {seconds:.2f} s, {pages} HTML pages", flush=True)
        zensical: list[tuple[float, float, int]] = []
        for run in range(1, args.runs + 1):
            for name, project in (("plain", plain), ("generator", generator)):
                seconds, rss, indexer = build_measured(project)
                results[name].append((seconds, rss, indexer))
                print(
                    f"run {run}: {name:9s} {seconds:7.2f} s  {rss / 2**20:7.0f} MiB"
                    + (f" (Pagefind {indexer / 2**20:.0f} MiB)" if indexer > 2**20 * 40 else ""),
                    flush=True,
                )
            if args.zensical:
                exported, built, rss, site = zensical_build(generator, base)
                zensical.append((exported, built, rss))
                print(
                    f"run {run}: zensical  {exported + built:7.2f} s  {rss / 2**20:7.0f} MiB "
                    f"(export {exported:.2f} s + zensical build {built:.2f} s, "
                    f"{html_pages(site)} HTML pages)",
                    flush=True,
                )
        results["generator"] = results["generator"][1:]  # the warm-up does not count
        median = {n: statistics.median(s for s, _, _ in r) for n, r in results.items()}
        peak = {n: max(m for _, m, _ in r) for n, r in results.items()}
        indexer = max(i for _, _, i in results["generator"])
        print(
            f"\n{args.events} events + {args.managers} managers: generator site "
            f"{pages} HTML pages, plain site {html_pages(plain / 'site')}\n"
            f"median build: generator {median['generator']:.2f} s, plain MkDocs "
            f"{median['plain']:.2f} s, ratio {median['generator'] / median['plain']:.2f} "
            f"(target <= 1.0)\n"
            f"peak memory of the build process: generator {peak['generator'] / 2**20:.0f} MiB, "
            f"plain {peak['plain'] / 2**20:.0f} MiB, ratio "
            f"{peak['generator'] / peak['plain']:.2f} (target <= 2.0); the search indexer "
            f"(Pagefind, a process beside it) {indexer / 2**20:.0f} MiB"
        )
        if zensical:
            exported = statistics.median(e for e, _, _ in zensical)
            built = statistics.median(b for _, b, _ in zensical)
            total = statistics.median(e + b for e, b, _ in zensical)
            print(
                f"zensical: median export {exported:.2f} s + zensical build {built:.2f} s = "
                f"{total:.2f} s, ratio to plain MkDocs {total / median['plain']:.2f}, peak "
                f"memory of the build {max(m for _, _, m in zensical) / 2**20:.0f} MiB"
            )
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
