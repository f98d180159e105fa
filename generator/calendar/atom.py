"""The Atom feed (RFC 4287) of upcoming events, for feed readers.

Every upcoming event is an entry, so a newly announced event appears in readers as a
new entry. Reproducible like the iCalendar files: ``updated`` (of the feed and of each
entry) is the build date, never the clock, and ids are ``urn:uuid`` names derived from
the event id, so they stay the same across builds and even if the site moves
(RFC 4287 4.2.6: an entry's id never changes). The XML is written by ElementTree, so
data text is escaped by construction; characters XML 1.0 cannot carry are dropped.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

from generator.calendar.dates import event_when_text
from generator.calendar.details import detail_lines
from generator.calendar.ical import place_text
from generator.data.models import Event

ATOM = "http://www.w3.org/2005/Atom"
#: The namespace of the feed's and entries' uuid names (fixed: ids must never change).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:familienmanager-nrw:termine")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_STATUS_PREFIX = {"abgesagt": "Abgesagt: ", "verschoben": "Verschoben: "}

ET.register_namespace("", ATOM)


def atom_id(name: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = _clean(text)
    return element


def entry_summary(event: Event) -> str:
    """When and where, the description, then the practical details, as plain text."""
    head = event_when_text(event)
    if place := place_text(event):
        head += f" · {place}"
    lines = [head, "", event.beschreibung]
    details = detail_lines(event)
    if details:
        lines.append("")
        lines += [f"{label}: {text}" for label, text in details]
    return "\n".join(lines)


def atom_entry(event: Event, stamp: str, href: str) -> bytes:
    """One event's ``entry``, serialized on its own as it stands in the feed (indented
    one level, without the namespace declaration the feed carries), so the build can
    memoize it: a save of one upcoming event writes one entry, not all of them."""
    entry = ET.Element(f"{{{ATOM}}}entry")
    _add(entry, "id", atom_id(f"event:{event.id}"))
    _add(entry, "title", _STATUS_PREFIX.get(event.status, "") + event.titel)
    _add(entry, "updated", stamp)
    _add(entry, "link", rel="alternate", type="text/html", href=href)
    _add(_add(entry, "author"), "name", event.veranstalter)
    _add(entry, "category", term=event.reihe)
    _add(entry, "summary", entry_summary(event), type="text")
    ET.indent(entry, level=1)
    return ET.tostring(entry, encoding="utf-8").replace(_NAMESPACE_DECLARATION, b"", 1)


#: What ElementTree writes into the start tag of an entry serialized on its own.
_NAMESPACE_DECLARATION = f' xmlns="{ATOM}"'.encode()


def events_to_atom(
    events: Sequence[Event],
    *,
    build_date: dt.date,
    title: str,
    subtitle: str,
    author: str,
    self_href: str | None,
    page_href: str,
    event_href: Callable[[Event], str],
    entry: Callable[[Event, str, str], bytes] = atom_entry,
) -> bytes:
    """The feed as UTF-8 bytes. ``self_href`` is the feed's absolute address (omitted
    while the site's address is unknown); the other hrefs are absolute or relative to
    the feed's own address. ``entry`` makes an event's entry (:func:`atom_entry`, or
    the build's memo of it); the entries go in as ElementTree would have indented them
    in the feed's tree (tests/test_calendar_atom.py compares with one tree)."""
    updated = dt.datetime.combine(build_date, dt.time(0), tzinfo=dt.UTC)
    stamp = updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "de"})
    _add(feed, "id", atom_id("feed"))
    _add(feed, "title", title)
    _add(feed, "subtitle", subtitle)
    _add(feed, "updated", stamp)
    _add(_add(feed, "author"), "name", author)
    if self_href:
        _add(feed, "link", rel="self", type="application/atom+xml", href=self_href)
    _add(feed, "link", rel="alternate", type="text/html", href=page_href)
    ET.indent(feed)
    head = ET.tostring(feed, encoding="utf-8", xml_declaration=True).removesuffix(b"</feed>")
    entries = [b"  " + entry(event, stamp, event_href(event)) + b"\n" for event in events]
    return head + b"".join(entries) + b"</feed>\n"
