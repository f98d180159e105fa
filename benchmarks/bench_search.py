"""The first search of a visitor, measured in headless Chromium.

Builds a site (the repository's sample data, or N synthetic events and M managers as
benchmarks/bench_site.py makes them), or takes a built one (--site), serves it on
127.0.0.1 and, --runs times in a fresh browser context (nothing cached), opens the
header search at phone width (390 px, the search button), types the query and waits
for the first result. Reports the medians of:

- the time from the click on the search button, with the whole query entered at once,
  to the first result on the screen (Pagefind's script, its web worker and WebAssembly,
  the index chunks of the query and the fragments of the results shown are all loaded
  in that time: nothing of the search loads before it is opened);
- the bytes transferred for it (response bodies and headers, from a server without
  compression: Pagefind's index files are compressed already, its scripts are not) and
  the number of requests;
- with --throttle R, the same with the CPU slowed R times (Chrome DevTools Protocol
  Emulation.setCPUThrottlingRate; it slows the page, not Pagefind's web worker);
- the time to build the search index (generator/site/search.py) on the built site.

Targets at 10,000 events + 5,000 managers: at most 1 s and 300 KB for the first query.
Every request must stay on the local server (a request elsewhere stops the benchmark).

    .venv/bin/python benchmarks/bench_search.py --sample
    .venv/bin/python benchmarks/bench_search.py --events 10000 --managers 5000 --keep /tmp/b10k
    .venv/bin/python benchmarks/bench_search.py --site /tmp/b10k/generator/site --throttle 4
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_events import EPOCH, ROOT  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass


def build_sample(target: Path) -> Path:
    """The repository's site (sample data), built as `make site` builds it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(target)]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return target


def build_synthetic(base: Path, events: int, managers: int) -> Path:
    from bench_site import generator_project

    project = generator_project(base, events, managers)
    site = project / "site"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
    subprocess.run(command, cwd=project, env=env, check=True)
    return site


def index_seconds(site: Path, runs: int) -> list[float]:
    sys.path.insert(0, str(ROOT))
    from generator.site.search import build_search_index

    return [build_search_index(site).seconds for _ in range(runs)]


#: Records when the first result appears in the list (the page's own clock).
_WATCH = """() => {
  const list = document.querySelector('.md-search-result__list');
  window.__firstResult = null;
  new MutationObserver((_, observer) => {
    if (list.querySelector('.md-search-result__item')) {
      window.__firstResult = performance.now();
      observer.disconnect();
    }
  }).observe(list, { childList: true });
}"""
_TYPE = """(query) => {
  const started = performance.now();
  document.querySelector('.md-header__button[data-fm-toggle=__search]').click();
  const field = document.querySelector('.md-search__input');
  field.value = query;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  return started;
}"""


def first_query(browser, url: str, query: str, throttle: float) -> tuple[float, int, int]:
    """(seconds to the first result, bytes, requests) of one first search."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="de-DE", timezone_id="Europe/Berlin"
    )
    page = context.new_page()
    page.goto(url, wait_until="load")
    if throttle > 1:
        session = context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
    requests: list = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.evaluate(_WATCH)
    # The search opens and the whole query arrives at once (as pasted, or typed faster
    # than a keystroke takes), in the page, so the driver's own latency is not measured.
    started = page.evaluate(_TYPE, query)
    page.wait_for_function("() => window.__firstResult !== null", timeout=60_000)
    shown = page.evaluate("() => window.__firstResult")
    page.wait_for_load_state("networkidle")
    elsewhere = [r.url for r in requests if not r.url.startswith(url)]
    if elsewhere:
        raise SystemExit(f"requests that leave the site: {elsewhere}")
    size = 0
    for request in requests:
        sizes = request.sizes()
        size += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return (shown - started) / 1000, size, len(requests)


def measure(site: Path, query: str, runs: int, throttle: float) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            samples = [first_query(browser, url, query, throttle) for _ in range(runs)]
            browser.close()
    finally:
        server.shutdown()
    seconds, sizes, counts = zip(*samples, strict=True)
    return {
        "seconds": statistics.median(seconds),
        "kilobytes": statistics.median(sizes) / 1000,
        "requests": statistics.median(counts),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--site", type=Path, help="a built site to measure")
    source.add_argument("--sample", action="store_true", help="build the repository's site")
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--managers", type=int, default=5_000)
    parser.add_argument("--keep", type=Path, help="build the synthetic site here and keep it")
    parser.add_argument("--query", default="Kreuzau")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--index-runs", type=int, default=1)
    parser.add_argument("--throttle", type=float, default=0, help="also with the CPU slowed R×")
    args = parser.parse_args(argv)

    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-search-"))
    base.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if args.site:
        site, what = args.site, str(args.site)
    elif args.sample:
        site, what = build_sample(base / "site"), "sample site"
    else:
        site = build_synthetic(base, args.events, args.managers)
        what = f"{args.events} events + {args.managers} managers"
    if not args.site:
        print(f"built {what} in {time.perf_counter() - started:.0f} s")
    pages = sum(1 for _ in site.rglob("*.html"))
    indexed = statistics.median(index_seconds(site, args.index_runs))
    print(f"{what}: {pages} pages, search index built in {indexed:.1f} s (median)")
    for rate in [1.0, *([args.throttle] if args.throttle > 1 else [])]:
        result = measure(site, args.query, args.runs, rate)
        label = "CPU as is" if rate == 1 else f"CPU throttled {rate:g}x"
        print(
            f"first query {args.query!r} at 390 px, {label}: "
            f"{result['seconds']:.2f} s to the first result, "
            f"{result['kilobytes']:.0f} KB in {result['requests']:.0f} requests "
            f"(medians of {args.runs})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
