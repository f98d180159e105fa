"""Check every internal link and anchor of a built site, offline.

MkDocs' ``--strict`` catches broken links between Markdown pages, but not links in
templates, in generated HTML blocks, to assets, or anchors on generated pages. This
checker reads what is actually published: every ``.html`` file (stdlib ``html.parser``)
and every ``.css`` file of the built site.

- Internal links (``href``/``src``/``srcset`` of a, area, link, script, img, source,
  iframe, and the search worker in Material's ``__config`` JSON) must lead to a file of
  the site; a link ending in ``/`` needs that folder's ``index.html``. Query strings are
  ignored (the file is the same), root-absolute links (``/assets/…``, as on
  ``404.html``) start at the site's root, ``site_url`` links count as internal.
- Anchors (``#id``, also on the same page) must name an ``id`` (or ``<a name>``) on the
  target page. Only anchors into HTML pages are checked.
- External links (``http(s)://``, ``//host``) are listed, never fetched: the build and
  the tests have no network, and a flaky foreign server must not block a release.
  ``mailto:``, ``tel:``, ``data:`` and ``javascript:`` are not links into the site.

Messages are German, one line each: ``werkstattreihe/index.html: Link auf „foo/“ führt
ins Leere``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

#: Attributes that load or lead to another URL, per element.
LINK_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
}
#: Schemes that do not point into the site and are not web pages to list.
IGNORED_SCHEMES = ("mailto", "tel", "data", "javascript")
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)""")


@dataclass(frozen=True)
class Link:
    page: str
    target: str
    line: int


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A link that leads nowhere; ``str()`` is the German message."""

    page: str
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.page}: Link auf „{self.target}“ {self.reason}"


@dataclass
class Report:
    broken: list[BrokenLink] = field(default_factory=list)
    #: External URL -> pages that link to it (sorted), for the listing.
    external: dict[str, list[str]] = field(default_factory=dict)
    pages: int = 0
    links: int = 0

    @property
    def ok(self) -> bool:
        return not self.broken


class _PageParser(HTMLParser):
    """Collects the ids, links and Material's config of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, int]] = []
        self.canonical: str | None = None
        self._config_script = False
        self.config_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        line = self.getpos()[0]
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        for attribute in LINK_ATTRIBUTES.get(tag, ()):
            value = values.get(attribute)
            if value is None:
                continue
            if attribute == "srcset":
                # "a.png 1x, b.png 2x": the URL is the first word of each candidate.
                for candidate in value.split(","):
                    if candidate.strip():
                        self.links.append((candidate.split()[0], line))
            else:
                self.links.append((value.strip(), line))
        if tag == "link" and "canonical" in (values.get("rel") or "").split():
            self.canonical = values.get("href")
        # Material reads the search worker's URL from this JSON at run time.
        self._config_script = tag == "script" and values.get("id") == "__config"

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        self._config_script = False

    def handle_endtag(self, tag):
        self._config_script = False

    def handle_data(self, data):
        if self._config_script:
            self.config_text.append(data)


@dataclass
class _Page:
    ids: set[str]
    links: list[Link]
    canonical: str | None


def _parse_html(path: Path, name: str) -> _Page:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    links = [Link(name, target, line) for target, line in parser.links]
    if parser.config_text:
        try:
            config = json.loads("".join(parser.config_text))
        except ValueError:
            config = {}
        worker = config.get("search") if isinstance(config, dict) else None
        if isinstance(worker, str) and worker:
            links.append(Link(name, worker, 0))
    return _Page(parser.ids, links, parser.canonical)


def _css_links(path: Path, name: str) -> list[Link]:
    text = path.read_text(encoding="utf-8", errors="replace")
    links = []
    for match in _CSS_URL.finditer(text):
        target = next(group for group in match.groups() if group is not None)
        line = text.count("\n", 0, match.start()) + 1
        links.append(Link(name, target.strip(), line))
    return links


def _site_prefix(site_url: str) -> tuple[str, str]:
    """(origin, path prefix ending in "/") of the published address."""
    parts = urlsplit(site_url)
    prefix = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"{parts.scheme}://{parts.netloc}".lower(), prefix


def check_site(site_dir: Path, site_url: str | None = None) -> Report:
    """Check all links of the built site in ``site_dir``.

    ``site_url`` is the published address; absolute links under it and root-absolute
    links under its path count as internal. ``None`` takes it from the home page's
    canonical link (MkDocs writes one when ``site_url`` is set in mkdocs.yml).
    """
    site_dir = Path(site_dir)
    pages: dict[str, _Page] = {}
    links: list[Link] = []
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        name = path.relative_to(site_dir).as_posix()
        if path.suffix == ".html":
            pages[name] = _parse_html(path, name)
            links += pages[name].links
        elif path.suffix == ".css":
            links += _css_links(path, name)
    if site_url is None:
        home = pages.get("index.html")
        site_url = home.canonical if home and home.canonical else ""
    origin, prefix = _site_prefix(site_url) if site_url else ("", "/")

    report = Report(pages=len(pages), links=len(links))
    external: dict[str, set[str]] = defaultdict(set)
    for link in links:
        problem = _check_link(link, site_dir, pages, origin, prefix, external)
        if problem:
            report.broken.append(BrokenLink(link.page, link.target, problem))
    report.broken = sorted(set(report.broken))
    report.external = {url: sorted(on) for url, on in sorted(external.items())}
    return report


def _join(directory: list[str], relative: str) -> str | None:
    """``relative`` resolved from ``directory`` (segments); None when it climbs above the root.

    Unlike urljoin, which silently stops at the root, a link that climbs out of the
    site is an error: it works only by accident of where the site is published.
    """
    segments = [s for s in directory if s not in ("", ".")]
    pieces = relative.split("/")
    for piece in pieces[:-1]:
        if piece in ("", "."):
            continue
        if piece == "..":
            if not segments:
                return None
            segments.pop()
        else:
            segments.append(piece)
    last = pieces[-1]
    if last in (".", ".."):
        if last == "..":
            if not segments:
                return None
            segments.pop()
        last = ""
    return "/".join([*segments, last])


def _check_link(
    link: Link,
    site_dir: Path,
    pages: dict[str, _Page],
    origin: str,
    prefix: str,
    external: dict[str, set[str]],
) -> str | None:
    """The German reason why ``link`` is broken, or None."""
    target = link.target
    scheme = urlsplit(target).scheme.lower()
    if scheme in IGNORED_SCHEMES:
        return None
    if scheme or target.startswith("//"):
        absolute = urljoin("https:", target) if target.startswith("//") else target
        parts = urlsplit(absolute)
        if not origin or f"{parts.scheme}://{parts.netloc}".lower() != origin:
            external[target].add(link.page)
            return None
        if not (parts.path + "/").startswith(prefix):
            return "führt aus der Website heraus"
        path, fragment = parts.path[len(prefix) :], parts.fragment
    else:
        parts = urlsplit(target)
        fragment = parts.fragment
        if target.startswith("/"):  # root-absolute: the site's path prefix is its root
            if not (parts.path + "/").startswith(prefix):
                return "führt aus der Website heraus"
            joined = _join([], parts.path[len(prefix) :])
        elif parts.path:
            joined = _join(list(PurePosixPath(link.page).parent.parts), parts.path)
        else:  # "#anchor" or "?query": this very page
            joined = link.page
        if joined is None:
            return "führt aus der Website heraus"
        path = joined

    path = unquote(path)
    page_name = path + "index.html" if path.endswith("/") or path == "" else path
    file = site_dir / page_name
    if not file.is_file():
        if (site_dir / path).is_dir() and (site_dir / path / "index.html").is_file():
            return (
                f"zeigt auf einen Ordner ohne „/“ am Ende: schreiben Sie „{target.split('#')[0]}/“"
            )
        return "führt ins Leere"
    if not fragment or not page_name.endswith(".html"):
        return None
    anchor = unquote(fragment)
    page = pages.get(page_name)
    if page is None or anchor in page.ids:
        return None
    where = "dieser Seite" if page_name == link.page else f"„{page_name}“"
    return f"führt ins Leere: den Abschnitt „#{anchor}“ gibt es auf {where} nicht"


def format_report(report: Report) -> Iterable[str]:
    """The German summary and the list of external links (one line each)."""
    count = len(report.broken)
    if count == 1:
        yield "1 Link führt ins Leere."
    elif count:
        yield f"{count} Links führen ins Leere."
    else:
        yield (
            f"Alle internen Links und Anker in Ordnung "
            f"({report.links} Links auf {report.pages} Seiten)."
        )
    if report.external:
        yield f"{len(report.external)} externe Adressen (nicht abgerufen, nur aufgelistet):"
        for url, on in report.external.items():
            yield f"  {url} ({len(on)} Seite{'n' if len(on) != 1 else ''})"
