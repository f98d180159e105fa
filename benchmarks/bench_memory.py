"""Peak memory of the full build against plain MkDocs with the same number of pages.

For each size, writes the generator project of bench_site.py (N synthetic events, N/2
synthetic managers by default, places by name so geocoding runs) and the plain MkDocs
project with as many short Markdown pages as the generator site has pages, builds each
once with ``mkdocs build`` in a child process and reads that process's own peak resident
memory and the largest of its children's: the search's indexer (Pagefind, a process of
its own that runs beside the build since issue 24). Memory does not depend on the
machine's load, so one build per size is enough.

Prints a row per size (peak RSS of our build process / plain MkDocs' = ratio, target
<= 2.0 at 10,000 + 5,000; Pagefind's peak beside it) and how linear our peak is in the
number of events: a least-squares line through the points, its slope per 1,000 events,
and each point's distance from it (the same for Pagefind).

    .venv/bin/python benchmarks/bench_memory.py [--events 1000 2000 5000 10000 50000]
        [--managers-per-event 0.5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import ROOT, build_measured  # noqa: E402
from bench_site import generator_project, html_pages, plain_project  # noqa: E402

MIB = 2**20


def measure(base: Path, events: int, managers: int) -> tuple[int, int, int, int]:
    """(pages, our build's peak RSS, its indexer's, plain MkDocs' build's) in bytes."""
    generator = generator_project(base, events, managers)
    _, ours, indexer = build_measured(generator)
    pages = html_pages(generator / "site")
    shutil.rmtree(generator, ignore_errors=True)
    plain = plain_project(base, pages - sum(1 for _ in (ROOT / "content").rglob("*.md")) - 1)
    _, theirs, _ = build_measured(plain)
    shutil.rmtree(plain, ignore_errors=True)
    return pages, ours, indexer, theirs


def line(points: list[tuple[int, int]]) -> tuple[float, float]:
    """Least-squares (intercept, slope) of y over x."""
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    var = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / var
    return mean_y - slope * mean_x, slope


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[1000, 2000, 5000, 10000, 50000])
    parser.add_argument("--managers-per-event", type=float, default=0.5)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-memory-"))
    base.mkdir(parents=True, exist_ok=True)
    rows, indexers = [], []
    try:
        print(
            "events + managers: pages, peak RSS ours / plain MkDocs = ratio; Pagefind",
            flush=True,
        )
        for events in args.events:
            managers = round(events * args.managers_per_event)
            pages, ours, indexer, theirs = measure(base / f"n{events}", events, managers)
            rows.append((events, ours))
            indexers.append((events, indexer))
            print(
                f"{events:6d} + {managers:6d}: {pages:6d} pages, {ours / MIB:6.0f} MiB / "
                f"{theirs / MIB:6.0f} MiB = {ours / theirs:.2f}; Pagefind {indexer / MIB:.0f} MiB",
                flush=True,
            )
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    for name, points in (("ours", rows), ("Pagefind", indexers)):
        if len(points) <= 2:
            continue
        intercept, slope = line(points)
        print(
            f"\n{name} ≈ {intercept / MIB:.0f} MiB + {slope * 1000 / MIB:.1f} MiB per 1,000 events"
        )
        for events, peak in points:
            fitted = intercept + slope * events
            print(
                f"{events:6d}: {peak / MIB:6.0f} MiB, {100 * (peak - fitted) / fitted:+.1f} % off"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
