"""Scripts in hand-written pages: refused with a German message, or allowed by hash.

The site's Content-Security-Policy allows the inline scripts the theme and the generator
emit (:mod:`generator.site.csp`). A script pasted into ``content/`` is not one of them:
the build stops and names the file and line, unless ``mkdocs.yml`` lists the script's
hash under the plugin option ``erlaubte_skripte`` on purpose.

What counts as a script is judged on the HTML Markdown made of the page (and on the
front-matter values the theme puts into the page unescaped: ``title``, ``description``),
not on the Markdown text, so Markdown that turns into a script (a raw HTML block,
``{ onclick=… }`` through ``attr_list``, ``[x](javascript:…)``) is caught as well.

The scan is deliberately suspicious rather than exact: *every* ``<`` followed by a letter
is read as a start tag, also inside comments, ``<textarea>``, ``<style>``, ``<template>``
or attribute values. The browser's tag tokenizer reads a start tag the same way wherever
it starts, so every tag the browser can see is among the tags read here, whichever way
the tree builder (foreign content in ``<svg>``/``<math>``, ``<select>``, …) decides about
the text around it. The price is a message for a script that would not have run (say,
in an HTML comment): the editor deletes it.

Refused: ``<script>`` elements of any executable type (``<SCRIPT>``, ``type=module``,
``<svg><script>``, also with ``src``, since a file next to the page would run under
``'self'``), event-handler attributes (``on…=``, also through SVG's ``attributeName``),
``javascript:`` addresses in any attribute (after decoding character references and
dropping the tabs and line breaks a browser ignores), and ``srcdoc`` documents that hold
any of these. Only inline scripts can be allowed: a handler or a ``javascript:`` address
would need ``'unsafe-hashes'``, which the site's policy does not grant.
"""

from __future__ import annotations

import base64
import html as html_lib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.data.problems import DataError, Problem, shown
from generator.site.csp import JAVASCRIPT_TYPES, script_hash

#: The plugin option in mkdocs.yml that lists scripts allowed on purpose.
OPTION = "erlaubte_skripte"

#: Whitespace as the HTML tokenizer knows it (CR is folded into LF before tokenizing).
_WHITESPACE = "\t\n\f\r "
_TAG_START = re.compile(r"<([a-zA-Z][^\t\n\f\r />]*)")
_SCRIPT_END = re.compile(r"</script[\t\n\f\r />]", re.IGNORECASE)
#: A text that may put a script start tag into a page: the test for "untrusted" texts.
SCRIPT_START = re.compile(r"<script[\t\n\f\r />]", re.IGNORECASE)
_IGNORED_IN_URLS = re.compile("[\t\n\r]")
#: Shorter attribute values ("x", "1") would find the wrong line.
_SHORTEST = 6
_HASH = re.compile(r"'?(sha256-[A-Za-z0-9+/]{43}=)'?")


@dataclass(frozen=True)
class _Attribute:
    name: str  # lower case, as the browser stores it
    raw: str  # the value as written (character references not decoded)
    markup: str  # the attribute as written, for finding its line

    @property
    def value(self) -> str:
        return html_lib.unescape(self.raw)


@dataclass(frozen=True)
class _Tag:
    name: str
    attributes: tuple[_Attribute, ...]
    markup: str  # the start tag as written
    end: int  # index after the start tag


def _read_tag(page: str, start: int, name_end: int) -> _Tag:
    """The start tag at ``start`` as the HTML tokenizer reads it (tag name, before/after
    attribute name, attribute value states); an unfinished tag runs to the end."""
    attributes: list[_Attribute] = []
    i, n = name_end, len(page)
    while True:
        while i < n and page[i] in _WHITESPACE + "/":
            i += 1
        if i >= n or page[i] == ">":
            end = min(i + 1, n)
            tag = _Tag(page[start + 1 : name_end].lower(), tuple(attributes), page[start:end], end)
            return tag
        begin, i = i, i + 1  # the first character may be "=", quotes belong to the name
        while i < n and page[i] not in _WHITESPACE + "/>=":
            i += 1
        name = page[begin:i].lower()
        while i < n and page[i] in _WHITESPACE:
            i += 1
        raw = ""
        if i < n and page[i] == "=":
            i += 1
            while i < n and page[i] in _WHITESPACE:
                i += 1
            if i < n and page[i] in "\"'":
                close = page.find(page[i], i + 1)
                close = n if close < 0 else close
                raw, i = page[i + 1 : close], close + 1
            elif i < n and page[i] != ">":
                value_start = i
                while i < n and page[i] not in _WHITESPACE + ">":
                    i += 1
                raw = page[value_start:i]
        attributes.append(_Attribute(name, raw, page[begin:i]))


def _tags(page: str) -> Iterator[_Tag]:
    """Every start tag the page may hold, overlapping ones included (see module doc)."""
    for match in _TAG_START.finditer(page):
        yield _read_tag(page, match.start(), match.end())


@dataclass(frozen=True)
class Finding:
    """One script in a page: what the message names, and texts to find its line by."""

    #: "script" (inline), "file" (``src``), "handler", "address", "srcdoc"
    kind: str
    field: str
    needles: tuple[str, ...]
    #: For an inline script: its CSP hash source, ``'sha256-…'``.
    hash: str | None = None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _executable(tag: _Tag) -> bool:
    """Whether a ``<script>`` runs: any type but a data block (``application/json``, …).
    Suspicious like the rest: parameters after ``;`` are ignored."""
    kind = next((a.value for a in tag.attributes if a.name == "type"), "")
    return kind.split(";")[0].strip().lower() in JAVASCRIPT_TYPES


def find_scripts(page: str) -> list[Finding]:
    """Every script a browser may run from ``page`` (an HTML fragment or document)."""
    page = page.replace("\r\n", "\n").replace("\r", "\n")
    found: list[Finding] = []
    for tag in _tags(page):
        if tag.name == "script" and _executable(tag):
            if any(a.name in {"src", "href", "xlink:href"} for a in tag.attributes):
                found.append(Finding("file", "<script>", (_first_line(tag.markup), "<script")))
            else:
                end = _SCRIPT_END.search(page, tag.end)
                text = page[tag.end : end.start() if end else len(page)]
                needles = (_first_line(tag.markup), _first_line(text), "<script")
                found.append(Finding("script", "<script>", needles, script_hash(text)))
        for attribute in tag.attributes:
            value = attribute.value
            # The attribute as written, else its value (Markdown writes a link's address
            # as href="…"), else its name: the first found gives the line.
            values = [v for v in (attribute.raw, value) if len(v.strip()) >= _SHORTEST]
            needles = (_first_line(attribute.markup), *map(_first_line, values), attribute.name)
            if re.fullmatch(r"on[^\s]+", attribute.name) or (
                attribute.name == "attributename" and value.strip().lower().startswith("on")
            ):
                found.append(Finding("handler", attribute.name, needles))
            elif "javascript:" in _IGNORED_IN_URLS.sub("", value).lower():
                found.append(Finding("address", attribute.name, needles))
            if attribute.name == "srcdoc" and find_scripts(value):
                found.append(Finding("srcdoc", attribute.name, needles))
    return found


_MESSAGES = {
    "script": (
        "ein Skript in einer Inhaltsseite wird nicht veröffentlicht. Löschen Sie das "
        "<script>-Element. Ist es gewollt und geprüft, tragen Sie seinen Hash „{hash}“ "
        f"in mkdocs.yml beim Plugin familienmanager unter {OPTION} ein."
    ),
    "file": (
        "ein Skript aus einer Datei („<script src=…>“) gehört nicht in eine Inhaltsseite. "
        "Löschen Sie es; Skripte der Website gehören ins Theme (Ordner theme/)."
    ),
    "handler": (
        "„{field}=…“ startet ein Skript; die Website führt es nicht aus. Löschen Sie das "
        "Attribut (gewollte Skripte stehen nur als eigenes <script>-Element, siehe "
        f"{OPTION})."
    ),
    "address": (
        "eine Adresse mit „javascript:“ startet ein Skript; die Website führt es nicht "
        "aus. Schreiben Sie eine gewöhnliche Adresse (https://…) oder löschen Sie den Link."
    ),
    "srcdoc": (
        "das eingebettete Dokument („srcdoc“) enthält ein Skript. Löschen Sie das "
        "Skript oder das ganze eingebettete Dokument."
    ),
}


def _locate(lines: list[str], needles: tuple[str, ...], after: dict[str, int]) -> int:
    """The 1-based line of the first of ``needles`` found in ``lines`` (case-insensitive),
    after the line where the same needle was found last; 1 if none is found."""
    for needle in (n.lower() for n in needles if n):
        start = after.get(needle, 0)
        for number in range(start, len(lines)):
            if needle in lines[number]:
                after[needle] = number + 1
                return number + 1
        if start:  # found before: a repeat of the same text on the same line
            return start
    return 1


def allowed_hashes(entries: Iterable[str]) -> tuple[frozenset[str], list[str]]:
    """The hash sources listed in ``erlaubte_skripte`` (``sha256-…``, with or without
    quotes), and the entries that are no such hash."""
    allowed, wrong = set(), []
    for entry in entries:
        match = _HASH.fullmatch(str(entry).strip())
        if match and len(base64.b64decode(match[1][7:])) == 32:
            allowed.add(f"'{match[1]}'")
        else:
            wrong.append(str(entry))
    return frozenset(allowed), wrong


def content_script_problems(
    file: str,
    source: str,
    html: str,
    strings: Iterable[str] = (),
    allowed: frozenset[str] = frozenset(),
) -> tuple[list[Problem], set[str]]:
    """The problems of one hand-written page (``file`` as the message names it, its
    ``source`` text for the lines), judged on the ``html`` made of it and the front-matter
    ``strings`` the theme shows; and the allowed hashes the page uses."""
    lines = source.replace("\r\n", "\n").replace("\r", "\n").lower().split("\n")
    findings = [*find_scripts(html), *(f for text in strings for f in find_scripts(text))]
    problems: set[Problem] = set()
    used: set[str] = set()
    after: dict[str, int] = {}
    for finding in findings:
        line = _locate(lines, finding.needles, after)  # in page order, allowed ones too
        if finding.hash in allowed:
            used.add(finding.hash)
            continue
        plain_hash = (finding.hash or "").strip("'")
        message = _MESSAGES[finding.kind].format(hash=plain_hash, field=shown(finding.field))
        problems.add(Problem(file, line, finding.field, message))
    return sorted(problems), used


#: Files in content/ a browser may run scripts from, copied to the site as they are.
SCRIPTABLE_FILES = (".html", ".htm", ".xhtml", ".xht", ".svg", ".xml")


class ContentScripts:
    """The check of one build's hand-written pages: the problems, the allowed hashes they
    use, and the texts whose scripts the policy must not hash (defence in depth).

    ``config_file`` is ``mkdocs.yml`` (its options name the allowed hashes; messages name
    files relative to its folder). The engine hands over each rendered Markdown page
    (:meth:`read_page`); :meth:`finish` reads the HTML and SVG files of ``content/``,
    which are copied as they are, and returns the German report, if any.
    """

    def __init__(self, allowed: Iterable[str] = (), config_file: Path | None = None):
        self.root = config_file.parent if config_file else Path()
        self.allowed, wrong = allowed_hashes(allowed)
        text = config_file.read_text(encoding="utf-8") if config_file else ""
        lines = text.lower().split("\n")
        self.problems: list[Problem] = [
            Problem(
                config_file.name if config_file else "mkdocs.yml",
                _locate(lines, (entry, OPTION), {}),
                OPTION,
                f"„{shown(entry)}“ ist kein Skript-Hash. Schreiben Sie den Hash aus der "
                "Meldung zur Inhaltsseite ab, z. B. sha256-… (44 Zeichen nach „sha256-“).",
            )
            for entry in wrong
        ]
        self.used: set[str] = set()
        #: Page texts with a script start tag in them (see PolicyStamp.distrust).
        self.untrusted: list[str] = []

    def read_page(self, path: str, source: str, html: str, meta: object = None) -> None:
        """One hand-written page at ``path``: ``html`` is what Markdown made of its
        ``source``; ``meta`` its title and front matter, which the theme shows unescaped."""
        strings = front_matter_strings(meta)
        file = os.path.relpath(path, self.root)
        problems, used = content_script_problems(file, source, html, strings, self.allowed)
        self.problems += problems
        self.used |= used
        self.untrusted += [text for text in (html, *strings) if SCRIPT_START.search(text)]

    def problems_of(self, path: str) -> list[Problem]:
        """The problems found so far in the page at ``path``."""
        file = os.path.relpath(path, self.root)
        return [problem for problem in self.problems if problem.file == file]

    def finish(self, docs_dir: Path) -> str | None:
        """Check the files of ``docs_dir`` copied as they are; the report, if any."""
        for path in sorted(docs_dir.rglob("*")):
            if path.suffix.lower() in SCRIPTABLE_FILES and path.is_file():
                text = path.read_bytes().decode("utf-8", "replace")
                self.read_page(str(path), text, text)
        if not self.problems:
            return None
        return "Skripte in Inhaltsseiten:\n" + DataError(self.problems).report()


def front_matter_strings(meta: object) -> list[str]:
    """Every string in a page's front matter (nested lists and mappings too)."""
    if isinstance(meta, str):
        return [meta]
    if isinstance(meta, dict):
        return [s for value in meta.values() for s in front_matter_strings(value)]
    if isinstance(meta, list | tuple):
        return [s for value in meta for s in front_matter_strings(value)]
    return []
