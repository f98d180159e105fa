"""Live preview: how long after an editor saves a data file `mkdocs serve` shows the change.

Starts the real ``mkdocs serve`` on a copy of the project (the sample data, or
``--events N`` synthetic events from bench_events), then saves ``events.yaml`` with one
event's title changed, several times, and measures from the save until the event's page
(HTTP, as the reloading browser fetches it) carries the new title. Reports the median.

    .venv/bin/python benchmarks/bench_serve.py [--events 10000] [--saves 10] [--dirty | --both]
        [--upcoming]

``--upcoming``: the synthetic events spread over 2020-2031 instead of 2015-2024 (the
build date is 2026-11-22, so half of them are still to come: the Termine list, its
series lists and the Atom feed hold them), and the save changes the first upcoming
event of the file, what editors change most.

By default it runs what `make serve` runs (``python -m generator serve``, which is
``mkdocs serve --dirty`` with the plugin's exact incremental builds,
generator/engine/incremental.py); ``--dirty`` runs ``mkdocs serve --dirty`` itself (the
same builds, started through MkDocs' command line); ``--both`` runs the two one after
the other on the same project and prints both medians. Each result line gives the
machine's load average: timings on a busy machine are not comparable.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import EPOCH, ROOT, synthetic_events  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(url: str, text: str, timeout: float) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if text in fetch(url):
            return time.perf_counter() - started
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show {text!r} within {timeout} s")


def make_project(base: Path, events: int | None, upcoming: bool = False) -> Path:
    project = base / "project"
    shutil.copytree(ROOT / "content", project / "content")
    for name in ("managers.yaml", "events.yaml", "geocache.yaml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, project / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: theme", f"custom_dir: {ROOT / 'theme'}")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    if events:
        years = (2020, 2031) if upcoming else (2015, 2024)
        (project / "events.yaml").write_text(
            synthetic_events(events, years=years), encoding="utf-8"
        )
    return project


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=0, help="synthetic events (0: sample)")
    parser.add_argument("--saves", type=int, default=10)
    parser.add_argument("--dirty", action="store_true", help="mkdocs serve --dirty")
    parser.add_argument("--both", action="store_true", help="make serve's command, then --dirty")
    parser.add_argument("--upcoming", action="store_true", help="half the events to come")
    args = parser.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        project = make_project(base, args.events, args.upcoming)
        modes = [False, True] if args.both else [args.dirty]
        results = [(dirty, measure(project, args.saves, dirty, args.upcoming)) for dirty in modes]
    finally:
        shutil.rmtree(base, ignore_errors=True)
    label = f"{args.events} synthetic events" if args.events else "the sample data"
    label += ", an upcoming one saved" if args.upcoming else ""
    print()
    for dirty, times in results:
        mode = "mkdocs serve --dirty" if dirty else "python -m generator serve (make serve)"
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        median = statistics.median(times)
        print(f"{mode} on {label}: median {median:.2f} s from save to page (load {load})")
    return 0


def measure(project: Path, saves: int, dirty: bool, upcoming: bool = False) -> list[float]:
    """Seconds from each save to the changed page served."""
    events = project / "events.yaml"
    text = events.read_text(encoding="utf-8")
    after = r"(?:202[7-9]|203\d)-" if upcoming else ""  # the build date is 2026-11-22
    first = re.search(rf"id: \"?({after}[a-z0-9-]+)\"?\n\s+titel: \"?([^\"\n]+)\"?", text)
    event_id, title = first.group(1), first.group(2)
    port = free_port()
    url = f"http://127.0.0.1:{port}/termine/{event_id}/"
    address = f"127.0.0.1:{port}"
    if dirty:
        command = ["-m", "mkdocs", "serve", "--dirty", "--watch-theme", "--dev-addr", address]
    else:
        command = ["-m", "generator", "serve", "--port", str(port)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, *command],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        startup = wait_for(url, title, timeout=900)
        print(f"first build served after {startup:.2f} s", flush=True)
        times = []
        for save in range(1, saves + 1):
            marker = f"Geändert {save} {'dirty' if dirty else 'clean'}"
            changed = text.replace(f"titel: {title}", f"titel: {title} {marker}", 1)
            changed = changed.replace(f'titel: "{title}"', f'titel: "{title} {marker}"', 1)
            time.sleep(1.0)  # let the server settle between saves
            events.write_text(changed, encoding="utf-8")
            seconds = wait_for(url, marker, timeout=900)
            times.append(seconds)
            print(f"save {save}: page updated after {seconds:.2f} s", flush=True)
        events.write_text(text, encoding="utf-8")
        return times
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
