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


#: How many events each feed holds, by series (None: the feed of all events); the
#: Atom feed's under "atom". Absent: unknown, nothing is said.
FeedCounts = dict[str | None, int]


def calendar_feeds(
    links: Links,
    from_src: str,
    labels: dict[str, str],
    reihe: str | None = None,
    counts: FeedCounts | None = None,
) -> list[dict]:
    """All events first, then each series (on a series page: that series first).

    ``empty`` marks a feed without events (a series with no dated events yet: events
    known only by month or year are not in the calendar files), so the box can say so
    instead of offering it like the others."""
    specs = [(ALL_FEED, "Alle Termine", None)]
    specs += [(series_ics(r), f"Nur {labels[r]}", r) for r in SERIES]
    if reihe is not None:
        own = (series_ics(reihe), f"Nur {labels[reihe]}", reihe)
        specs = [own] + [spec for spec in specs if spec != own]
    feeds = []
    for feed_src, label, key in specs:
        absolute = links.absolute(feed_src)
        feeds.append(
            {
                "label": label,
                "href": links.href(from_src, feed_src),
                "url": absolute,
                "webcal": webcal_url(absolute),
                "series": key is not None,
                "empty": counts is not None and counts.get(key, 0) == 0,
            }
        )
    return feeds


def subscription_box(
    links: Links,
    from_src: str,
    labels: dict[str, str],
    reihe: str | None = None,
    counts: FeedCounts | None = None,
) -> dict:
    """What the box needs: the calendar feeds and the Atom feed; ``webcal`` tells the
    how-to whether an "Abonnieren" button is shown (only with the site's address)."""
    feeds = calendar_feeds(links, from_src, labels, reihe, counts)
    return {
        "feeds": feeds,
        "webcal": any(feed["webcal"] for feed in feeds),
        "atom_href": links.href(from_src, ATOM_FEED),
        "atom_url": links.absolute(ATOM_FEED),
        "atom_empty": counts is not None and counts.get("atom", 0) == 0,
    }
