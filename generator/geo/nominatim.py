"""Nominatim, for the editors' command only: the build never goes online."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from generator.data import register as nrw
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


def _retryable(error: Exception) -> bool:
    from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable

    if isinstance(error, (GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable)):
        return True
    status = getattr(error.__cause__, "status_code", None)
    return status is not None and status >= 500


def _reason(error: Exception) -> str:
    from geopy.exc import GeocoderRateLimited, GeocoderTimedOut, GeocoderUnavailable

    status = getattr(error.__cause__, "status_code", None)
    if isinstance(error, GeocoderRateLimited):
        return (
            "Nominatim bittet um Pause (HTTP 429, zu viele Anfragen). "
            "Versuchen Sie es später noch einmal."
        )
    if isinstance(error, GeocoderTimedOut):
        return "Nominatim hat nicht rechtzeitig geantwortet (Zeitüberschreitung)."
    if isinstance(error, GeocoderUnavailable):
        return "Nominatim ist nicht erreichbar. Prüfen Sie die Internetverbindung."
    if status is not None:
        return f"Nominatim hat mit einem Fehler geantwortet (HTTP {status})."
    return f"Nominatim-Abfrage fehlgeschlagen ({type(error).__name__}: {error})."


def nominatim_lookup(
    *,
    user_agent: str = USER_AGENT,
    url: str = NOMINATIM_URL,
    timeout: float = 10.0,
    retries: int = 3,
    backoff: float = 2.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Callable[[str], Location]:
    """A lookup function for free-text queries: at most one request per second, NRW only.

    geopy's RateLimiter spaces every request, retries included; it neither retries nor
    swallows errors here, because only 429, 5xx and timeouts deserve another try (with
    growing pauses) and every other failure must reach the editor. The HTTP adapter
    itself must not retry either, or it would bypass the rate limiter.
    """
    from geopy.adapters import URLLibAdapter
    from geopy.exc import GeopyError
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    parts = urlsplit(url)
    geolocator = Nominatim(
        user_agent=user_agent,
        domain=parts.netloc + parts.path.rstrip("/"),
        scheme=parts.scheme or "https",
        timeout=timeout,
        # Not geopy's default RequestsAdapter: its urllib3 retries resend a timed-out
        # request at once, past the rate limiter.
        adapter_factory=URLLibAdapter,
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
                if attempt == retries or not _retryable(error):
                    raise LookupFailed(_reason(error)) from error
                retry_after = getattr(error, "retry_after", None) or 0
                sleep(min(60.0, max(retry_after, backoff * 2**attempt)))
        if result is None:
            raise LookupFailed(
                "Nominatim kennt diesen Ort nicht. Prüfen Sie Schreibweise und Adresse."
            )
        lat, lon = round(result.latitude, 6), round(result.longitude, 6)
        if not nrw.in_nrw(lat, lon):
            raise LookupFailed(
                f"Nominatim fand „{result.address}“ ({lat}, {lon}), das liegt außerhalb von NRW."
            )
        return Location(lat, lon, "nominatim", result.address)

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
