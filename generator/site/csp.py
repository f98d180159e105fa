"""The site's Content-Security-Policy, delivered in every page as a ``<meta http-equiv>``.

Static hosts differ in how (and whether) they let a site set response headers, so every
page carries the policy itself. Inline scripts the theme and the generator emit —
Material's (palette, scope, hash target) and ours (the map's folium set-up) — are allowed
by their SHA-256 hashes, computed from the finished HTML: the hash covers exactly the
text the browser runs, so a script changed after the build is refused. A script in a
hand-written page is not hashed: the build refuses it before
(:mod:`generator.site.content_scripts`), and should one slip through, :class:`PolicyStamp`
still leaves out every script that starts inside that page's own text, so the browser
refuses it; ``mkdocs.yml`` can allow one by its hash on purpose (``erlaubte_skripte``).
Event handlers and ``javascript:`` addresses need ``'unsafe-hashes'`` or
``'unsafe-inline'``, which the policy never grants. Pure functions, and
:class:`PolicyStamp`, which collects the hashes as the engine writes the pages; the same
pages give the same policy, byte for byte.

One policy for the whole site, with the hashes of the theme's and the generator's inline
scripts of every page: with Material's instant navigation the policy of the first page a
visitor opens stays in force while later pages are swapped in and their inline scripts
re-created, so the start page must already allow the map page's set-up script.

What a ``<meta>`` policy cannot carry (``frame-ancestors``, ``report-uri``, ``sandbox``,
CSP Level 3 §6.1.2 / HTML "http-equiv Content-Security-Policy") goes into the header
files of :mod:`generator.site.headers`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

#: ``type`` values that make a ``<script>`` run (HTML: a JavaScript MIME type essence,
#: "module", "importmap"); any other type is a data block (``application/json``,
#: ``application/ld+json``), which the browser never executes and CSP does not check.
JAVASCRIPT_TYPES = frozenset(
    {
        "",
        "module",
        "importmap",
        "application/ecmascript",
        "application/javascript",
        "application/x-ecmascript",
        "application/x-javascript",
        "text/ecmascript",
        "text/javascript",
        "text/javascript1.0",
        "text/javascript1.1",
        "text/javascript1.2",
        "text/javascript1.3",
        "text/javascript1.4",
        "text/javascript1.5",
        "text/jscript",
        "text/livescript",
        "text/x-ecmascript",
        "text/x-javascript",
    }
)

#: The directives after ``script-src`` and ``img-src``, the same on every page.
_SHARED = (
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    # The site search (Pagefind) runs its index in a web worker from pagefind/.
    ("worker-src", "'self'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    # The search form of the 404 page and the finder's form submit to the site itself.
    ("form-action", "'self'"),
)


#: The HTML tokenizer's view, as far as scripts are concerned: comments and start tags
#: are taken whole (so "<script>" inside a comment or an attribute value is no script),
#: and a ``<script>`` element's text (script data) ends only at the first ``</script``
#: followed by whitespace, ``/`` or ``>``. Quoted attribute values may hold ``>``. On
#: the 10,584 pages of the benchmark site this finds the same scripts as
#: :class:`html.parser.HTMLParser` in a seventh of the time (3.8 s against 25 s).
_SCRIPT_OR_COMMENT = re.compile(
    r"<!--(?:-?>|.*?(?:--!?>|\Z))"  # "<!-->" and "<!--->" are whole comments, "--!>" ends one
    # any other start tag, skipped as a whole: an attribute value may hold "<script>"
    r"|<(?!script[\s/>])[a-zA-Z](?:[^>\"']|\"[^\"]*\"|'[^']*')*>"
    r"|<script(?=[\s/>])(?P<attributes>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"(?P<text>.*?)(?:</script(?=[\s/>])|\Z)",
    re.IGNORECASE | re.DOTALL,
)
_ATTRIBUTE = re.compile(r"""([^\s/>="']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?""")


def _runs(attributes: str) -> bool:
    """Whether a script with these start-tag attributes runs inline: no ``src`` and a
    JavaScript type (the first of repeated attributes counts, as in the browser)."""
    seen: dict[str, str] = {}
    for name, *values in _ATTRIBUTE.findall(attributes):
        seen.setdefault(name.lower(), html.unescape("".join(values)))
    return "src" not in seen and seen.get("type", "").strip().lower() in JAVASCRIPT_TYPES


def _newlines(text: str) -> str:
    """The HTML parser turns CR LF and lone CR into LF before anything is hashed."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _scripts(page: str) -> Iterator[tuple[int, str]]:
    """Where each executable inline script of ``page`` starts, and its text."""
    for match in _SCRIPT_OR_COMMENT.finditer(page):
        if match["attributes"] is not None and _runs(match["attributes"]):
            yield match.start(), match["text"]


def inline_scripts(page: str) -> list[str]:
    """The text of each executable inline script, in page order, as the browser sees it."""
    return [text for _, text in _scripts(_newlines(page))]


def page_hashes(page: str, untrusted: Sequence[str] = ()) -> frozenset[str]:
    """The hash sources of a finished page's inline scripts, leaving out every script
    that starts inside a copy of one of the ``untrusted`` texts (a hand-written page's
    content, a title from its front matter): those are not the theme's or ours."""
    page = _newlines(page)
    spans = [
        (start, start + len(text))
        for text in untrusted
        for start in _occurrences(page, _newlines(text))
    ]
    return frozenset(
        script_hash(text)
        for start, text in _scripts(page)
        if not any(begin <= start < end for begin, end in spans)
    )


def _occurrences(page: str, text: str) -> Iterator[int]:
    start = page.find(text)
    while text and start >= 0:
        yield start
        start = page.find(text, start + 1)


def script_hash(text: str) -> str:
    """The CSP hash source of one inline script: ``'sha256-<base64>'`` of its UTF-8 text."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def image_source(url: str) -> str | None:
    """The CSP host source of a tile URL template: scheme, host and port; a ``{s}``
    subdomain placeholder becomes ``*``. None for a template on the site itself."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    host = re.sub(r"\{[^}]*\}", "*", parts.netloc.rsplit("@", 1)[-1]).lower()
    return f"{parts.scheme.lower()}://{host}"


@dataclass(frozen=True)
class PagePolicy:
    """The site's policy; :meth:`for_pages` fills in the hashes of the pages' scripts."""

    #: Hosts beyond the site that may serve images: the configured map tile host.
    image_sources: tuple[str, ...] = ()

    @classmethod
    def for_tile_urls(cls, urls: Iterable[str]) -> PagePolicy:
        sources = (image_source(url) for url in urls)
        return cls(image_sources=tuple(dict.fromkeys(s for s in sources if s)))

    def for_pages(self, pages: Iterable[str]) -> str:
        """The policy string for a site of these finished pages."""
        return self.for_hashes(page_hashes(html) for html in pages)

    def for_hashes(self, hashes_by_page: Iterable[Iterable[str]]) -> str:
        """The policy string for a site whose pages' inline scripts have these hashes
        (sorted, so the order in which pages are read does not matter)."""
        hashes = sorted({source for page in hashes_by_page for source in page})
        directives = [
            ("default-src", "'self'"),
            ("script-src", " ".join(["'self'", *hashes])),
            # Neither Material nor Leaflet nor our templates put <style> elements or style
            # attributes into markup (they style through the CSSOM, which CSP leaves
            # alone), so styles need no 'unsafe-inline' either.
            ("style-src", "'self'"),
            # data: for the icons Material's stylesheet embeds as data:image/svg+xml.
            ("img-src", " ".join(["'self'", "data:", *self.image_sources])),
            *_SHARED,
        ]
        return "; ".join(f"{name} {value}" for name, value in directives)


#: What marks a page with the site search (theme/partials/search.html): Pagefind runs its
#: index in WebAssembly, in a web worker or, where a worker cannot start, in the page,
#: which CSP allows only with ``'wasm-unsafe-eval'`` (WebAssembly CSP integration); that
#: source allows WebAssembly only, never JavaScript's ``eval``. Pages without the search
#: (the map's frame, the editing page) go without it.
SEARCH_MARK = 'id="fm-search"'


def for_page(policy: str, html: str) -> str:
    """The site's ``policy`` as the page ``html`` needs it: with ``'wasm-unsafe-eval'``
    where the page has the site search."""
    if SEARCH_MARK not in html:
        return policy
    return policy.replace("script-src 'self'", "script-src 'self' 'wasm-unsafe-eval'", 1)


def with_policy(html: str, policy: str) -> str:
    """``html`` with ``policy`` as a ``<meta http-equiv>``, the first element of ``<head>``
    after ``<meta charset>`` (which must stay within the first 1024 bytes); a policy
    applies only to what comes after it, so before any script."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    if _META.search(html):  # a dirty build (`mkdocs build --dirty`) kept an older page
        return _META.sub(lambda _: meta, html, count=1)
    charset = re.search(r"<head[^>]*>\s*<meta charset=[^>]*>", html, re.IGNORECASE)
    head = charset or re.search(r"<head[^>]*>", html, re.IGNORECASE)
    if head is None:
        raise ValueError("page without <head>: no place for the Content-Security-Policy")
    return html[: head.end()] + "\n    " + meta + html[head.end() :]


_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')

#: The attribute that marks a page's own policy (the editing page, generator/redaktion/):
#: :meth:`PolicyStamp.finish` leaves such a page as it is instead of giving it the site's.
OWN_POLICY = "data-own-policy"
_OWN_META = re.compile(
    rf'<head[^>]*>\s*<meta charset=[^>]*>\s*<meta http-equiv="Content-Security-Policy" {OWN_POLICY}',
    re.IGNORECASE,
)


def write_order(dest_uris: Sequence[str], scripted: Collection[str] = ()) -> list[str]:
    """The pages (by their output path) in an order that shows :class:`PolicyStamp` every
    kind of inline script early: first the pages known to carry scripts of their own,
    then the first page of each folder depth (Material's set-up script names the site's
    root relative to the page), then all others in their order."""
    first_of_depth: dict[int, str] = {}
    for uri in dest_uris:
        first_of_depth.setdefault(uri.count("/"), uri)
    scripted_pages = [uri for uri in dest_uris if uri in scripted]
    front = list(dict.fromkeys([*scripted_pages, *first_of_depth.values()]))
    chosen = set(front)
    return front + [uri for uri in dest_uris if uri not in chosen]


class PolicyStamp:
    """Puts the site-wide policy into every page as the engine writes it, and afterwards
    into the few pages written before the last new script appeared.

    The policy allows the scripts the theme and the generator emit, and nothing a
    hand-written page brings along: :meth:`distrust` names the texts of those pages
    (content, front-matter values) before the first page is written, and scripts that
    start inside a copy of one of them are not hashed; the hashes ``mkdocs.yml`` allows
    on purpose come in through :meth:`distrust` too. Pages the engine copies without
    handing them over (HTML files in ``content/``) are hand-written as a whole: they get
    the policy, their scripts no hash.

    Each page gets the policy for the scripts seen so far, its own included. The theme's
    scripts differ only by a page's depth (Material's ``__md_scope``), so when the pages
    are written in :func:`write_order`, nearly every page carries the final policy at
    once and the site is not read and written a second time. :meth:`finish` corrects
    the pages stamped earlier and adds the policy to any page written without passing
    through :meth:`stamp`.
    """

    def __init__(self, policy: PagePolicy):
        self.policy = policy
        self.hashes: set[str] = set()
        self.current = policy.for_hashes([])
        #: The policy each written page carries, by its path.
        self.stamped: dict[str, str] = {}
        #: Texts of hand-written pages that hold a script (see :meth:`distrust`).
        self.untrusted: tuple[str, ...] = ()

    def distrust(self, texts: Iterable[str], allowed: Iterable[str] = ()) -> None:
        """Hash no script that starts inside a copy of one of ``texts`` (only those that
        hold a ``<script`` can start one), but allow the hash sources ``allowed``."""
        self.untrusted = tuple(t for t in texts if re.search("<script", t, re.IGNORECASE))
        self._add(set(allowed))

    def _add(self, hashes: set[str]) -> None:
        if hashes - self.hashes:
            self.hashes |= hashes
            self.current = self.policy.for_hashes([self.hashes])

    def stamp(self, path: str, html: str) -> str:
        """``html`` of the page at ``path`` with the policy for every script seen so far."""
        self._add(page_hashes(html, self.untrusted))
        self.stamped[path] = self.current
        return with_policy(html, for_page(self.current, html))

    def finish(self, site_dir: Path) -> int:
        """Give every page under ``site_dir`` the final policy; returns how many pages
        had to be written again."""
        others = [p for p in sorted(site_dir.rglob("*.html")) if str(p) not in self.stamped]
        # The editing page (generator/redaktion) carries its own policy: left as it is.
        others = [p for p in others if not _OWN_META.search(p.read_bytes().decode()[:2048])]
        final = self.current
        again = [Path(p) for p, policy in self.stamped.items() if policy != final]
        for page in [*again, *others]:
            text = page.read_bytes().decode()
            try:
                page.write_bytes(with_policy(text, for_page(final, text)).encode())
            except ValueError as error:
                raise ValueError(f"{page.relative_to(site_dir)}: {error}") from None
        return len(again) + len(others)
