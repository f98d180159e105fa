"""The "Kalender abonnieren" box: every calendar feed with its addresses.

A calendar app subscribes to an address, so the box shows absolute ones: the https
address to paste, and the same address as ``webcal://``, which browsers hand to the
calendar app. Both need the site's address (``site_url``); a local build without it
links the files relatively and the page's script shows the address the browser knows.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.calendar.paths import ALL_FEED, ATOM_FEED, series_ics
from generator.data.fields import SERIES
from generator.site.rendering import Links


def webcal_url(absolute: str | None) -> str | None:
    """ "https://host/path.ics" -> "webcal://host/path.ics" (None without an address)."""
    if not absolute:
        return None
    parts = urlsplit(absolute)
    return "webcal://" + parts.netloc + parts.path


def calendar_feeds(
    links: Links, from_src: str, labels: dict[str, str], reihe: str | None = None
) -> list[dict]:
    """All events first, then each series (on a series page: that series first)."""
    specs = [(ALL_FEED, "Alle Termine")]
    specs += [(series_ics(r), f"Nur {labels[r]}") for r in SERIES]
    if reihe is not None:
        own = (series_ics(reihe), f"Nur {labels[reihe]}")
        specs = [own] + [spec for spec in specs if spec != own]
    feeds = []
    for feed_src, label in specs:
        absolute = links.absolute(feed_src)
        feeds.append(
            {
                "label": label,
                "href": links.href(from_src, feed_src),
                "url": absolute,
                "webcal": webcal_url(absolute),
            }
        )
    return feeds


def subscription_box(
    links: Links, from_src: str, labels: dict[str, str], reihe: str | None = None
) -> dict:
    """What the box needs: the calendar feeds and the Atom feed."""
    return {
        "feeds": calendar_feeds(links, from_src, labels, reihe),
        "atom_href": links.href(from_src, ATOM_FEED),
        "atom_url": links.absolute(ATOM_FEED),
    }
