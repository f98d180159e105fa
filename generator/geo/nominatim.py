"""Nominatim, for the editors' command only: the build never goes online."""

from __future__ import annotations

import http.client
import math
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from generator.data import register as nrw
from generator.data.problems import shown
from generator.data.source import clean_text
from generator.geo.cache import CacheEntry, GeoCache, save_cache
from generator.geo.gazetteer import Gazetteer, km_between
from generator.geo.location import Location, PlaceError
from generator.geo.resolver import KREIS_RADIUS_KM, Pending, district_seat

NOMINATIM_URL = "https://nominatim.openstreetmap.org"
USER_AGENT = (
    "familienmanager-nrw-generator/0.1 "
    "(Redaktionswerkzeug der Familienmanager-Seiten NRW; python -m generator geocode)"
)
#: NRW's bounding box as Nominatim's viewbox: (south-west, north-east).
NRW_VIEWBOX = ((nrw.LAT_MIN, nrw.LON_MIN), (nrw.LAT_MAX, nrw.LON_MAX))


class LookupFailed(Exception):
    """An online lookup that gave no usable answer; ``str()`` is the German reason."""


class PauseRequested(LookupFailed):
    """The server asks for a pause longer than the command waits: stop asking."""


#: The longest pause a server may ask for (Retry-After) that the command waits out.
MAX_WAIT_SECONDS = 60.0


def _status(error: Exception) -> int | None:
    return getattr(error.__cause__, "status_code", None)


def _retry_after(error: Exception) -> float | None:
    from geopy.adapters import get_retry_after

    seconds = getattr(error, "retry_after", None)
    if seconds is None:
        headers = getattr(error.__cause__, "headers", None) or {}
        seconds = get_retry_after(headers)
    return seconds


def _retryable(error: Exception) -> bool:
    from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable

    if isinstance(error, (GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable)):
        return True
    status = _status(error)
    return status is not None and status >= 500


def _reason(error: Exception) -> str:
    """A short German reason: never the server's body, never an exception's name."""
    from geopy.exc import (
        GeocoderParseError,
        GeocoderRateLimited,
        GeocoderTimedOut,
        GeocoderUnavailable,
    )

    status = _status(error)
    if isinstance(error, GeocoderRateLimited) or status == 429:
        return (
            "Nominatim bittet um Pause (HTTP 429, zu viele Anfragen). "
            "Versuchen Sie es später noch einmal."
        )
    if status == 503:
        return "Nominatim ist vorübergehend überlastet oder in Wartung (HTTP 503). Versuchen Sie es später noch einmal."
    if status is not None:
        return f"Nominatim hat mit einem Fehler geantwortet (HTTP {status})."
    if isinstance(error, GeocoderTimedOut):
        return "Nominatim hat nicht rechtzeitig geantwortet (Zeitüberschreitung)."
    if isinstance(error, GeocoderUnavailable):
        return "Nominatim ist nicht erreichbar. Prüfen Sie die Internetverbindung."
    if isinstance(error, GeocoderParseError):
        return (
            "Nominatim hat keine lesbaren Daten geschickt (vermutlich eine Fehlerseite). "
            "Versuchen Sie es später noch einmal."
        )
    return (
        "die Verbindung zu Nominatim ist abgebrochen. Prüfen Sie die Internetverbindung "
        "und versuchen Sie es noch einmal."
    )


def _pause_requested(seconds: float) -> PauseRequested:
    minutes = max(1, round(seconds / 60))
    return PauseRequested(
        f"Nominatim bittet um eine Pause von etwa {minutes} Minute(n) (Retry-After). "
        "Die übrigen Orte werden jetzt nicht abgefragt; starten Sie den Befehl später neu."
    )


def nominatim_lookup(
    *,
    user_agent: str = USER_AGENT,
    url: str = NOMINATIM_URL,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
    deadline: float | None = None,
) -> Callable[[str], Location]:
    """A lookup function for free-text queries: at most one request per second, NRW only.

    geopy's RateLimiter spaces every request, retries included; it neither retries nor
    swallows errors here, because only 429, 5xx and timeouts deserve another try (with
    growing pauses) and every other failure must reach the editor. The HTTP adapter
    itself must not retry either, or it would bypass the rate limiter. ``timeout``
    bounds each read, ``deadline`` a whole request (:mod:`generator.geo.adapter`;
    by default its ``REQUEST_DEADLINE``). geopy is imported only here: `check` stays
    offline and need not pay for it.
    """
    from geopy.exc import GeopyError
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    from generator.geo.adapter import REQUEST_DEADLINE, DeadlineAdapter

    deadline = REQUEST_DEADLINE if deadline is None else deadline
    adapter = type("Adapter", (DeadlineAdapter,), {"deadline": deadline})
    parts = urlsplit(url)
    geolocator = Nominatim(
        user_agent=user_agent,
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme or "https",
        timeout=timeout,
        # Not geopy's default RequestsAdapter: its urllib3 retries resend a timed-out
        # request at once, past the rate limiter.
        adapter_factory=adapter,
    )
    geocode = RateLimiter(
        geolocator.geocode, min_delay_seconds=1, max_retries=0, swallow_exceptions=False
    )

    def lookup(query: str) -> Location:
        for attempt in range(retries + 1):
            try:
                result = geocode(
                    query,
                    exactly_one=True,
                    country_codes="de",
                    viewbox=NRW_VIEWBOX,
                    bounded=True,
                    language="de",
                )
                break
            except GeopyError as error:
                retry_after = _retry_after(error) or 0
                if retry_after > MAX_WAIT_SECONDS:
                    raise _pause_requested(retry_after) from error
                if attempt == retries or not _retryable(error):
                    raise LookupFailed(_reason(error)) from error
                sleep(min(MAX_WAIT_SECONDS, max(retry_after, backoff * 2**attempt)))
            except (OSError, http.client.HTTPException) as error:  # reset while reading
                raise LookupFailed(_reason(error)) from error
            except (ValueError, TypeError) as error:  # "lat": "abc" and the like
                raise LookupFailed(
                    "Nominatim hat keine gültigen Koordinaten geschickt. Versuchen Sie es "
                    "später noch einmal oder tragen Sie lat und lon selbst ein."
                ) from error
        if result is None:
            raise LookupFailed(
                "Nominatim kennt diesen Ort nicht. Prüfen Sie Schreibweise und Adresse."
            )
        lat, lon = round(result.latitude, 6), round(result.longitude, 6)
        if not (math.isfinite(lat) and math.isfinite(lon)) or not nrw.in_nrw(lat, lon):
            raise LookupFailed(
                f"Nominatim fand „{shown(result.address)}“ ({lat}, {lon}), das liegt außerhalb von NRW."
            )
        return Location(lat, lon, "nominatim", clean_text(str(result.address))[:300])

    return lookup


def fetch_pending(
    pending: Iterable[Pending],
    cache: GeoCache,
    cache_path: Path,
    lookup: Callable[[str], Location],
    gazetteer: Gazetteer,
    *,
    today: str,
) -> tuple[list[tuple[Pending, Location]], list[tuple[Pending, str]]]:
    """Look up each query online and save the cache after every new entry.

    Saving each time (atomically) means a run killed after an hour keeps that hour's
    answers; at one request per second the writes cost nothing.
    """
    found, failed = [], []
    for item in pending:
        try:
            location = lookup(item.query)
            if item.kreis:
                district, seat = district_seat(item.kreis, gazetteer)
                km = km_between(location, seat)
                if km > KREIS_RADIUS_KM:
                    raise LookupFailed(
                        f"Nominatim fand „{location.display_name}“, {km:.0f} km von {seat.name}: "
                        f"das passt nicht zu „{district}“."
                    )
        except PauseRequested as error:  # asking on would only be refused again
            failed.append((item, str(error)))
            break
        except (LookupFailed, PlaceError) as error:
            failed.append((item, str(error)))
            continue
        cache.add(
            item.query,
            CacheEntry(location.lat, location.lon, "nominatim", location.display_name, today),
        )
        save_cache(cache, cache_path)
        found.append((item, location))
    return found, failed
