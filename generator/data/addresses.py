"""Web and e-mail addresses, accepted only as a browser accepts them.

The map's popups and the event pages hand these addresses to the browser; Python's
``urlsplit`` accepts things a browser refuses ("https://www.essen.example:8o/familie"
has no valid port), so they are parsed with ada, the WHATWG URL parser Node.js uses.
"""

from __future__ import annotations

import re

import ada_url

URL_HINT = (
    "Schreiben Sie sie vollständig mit „https://“, ohne Leerzeichen, z. B. "
    "„https://www.beispielstadt.de/familie“."
)
_WHITESPACE = re.compile(r"\s")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}$"
)


def url_problem(value: str) -> str | None:
    """None for an address a browser opens as a web page, else the German reason."""
    if _WHITESPACE.search(value):
        return (
            "keine gültige Internetadresse: sie enthält Leerzeichen oder Zeilenumbrüche. "
            + URL_HINT
        )
    try:
        url = ada_url.URL(value)
    except ValueError:
        port = re.match(r"^[a-z]+://[^/?#]*:([^/?#@]*)(?:[/?#]|$)", value, re.IGNORECASE)
        if port and not port.group(1).isdigit():
            return (
                f"keine gültige Internetadresse: „{port.group(1)}“ nach dem Doppelpunkt ist keine "
                "Portnummer (nur Ziffern). Meist gehört der Doppelpunkt nicht dorthin. " + URL_HINT
            )
        return "keine gültige Internetadresse (ein Browser kann sie nicht öffnen). " + URL_HINT
    if url.protocol not in ("http:", "https:"):
        return "keine gültige Internetadresse: sie muss mit „https://“ beginnen. " + URL_HINT
    host = url.hostname.strip("[]")
    if "." not in host or host.endswith(".") or ".." in host:
        return (
            f"keine gültige Internetadresse: „{url.hostname}“ ist kein vollständiger Domainname. "
            + URL_HINT
        )
    if url.username or url.password:
        return (
            "keine gültige Internetadresse: Benutzername oder Passwort gehören nicht hinein. "
            + URL_HINT
        )
    return None


def email_problem(value: str) -> str | None:
    """None for an address a mail program accepts in a ``mailto:`` link."""
    domain = value.rpartition("@")[2]
    if (
        not _EMAIL.match(value)
        or not ada_url.check_url(f"mailto:{value}")
        or not ada_url.check_url(f"https://{domain}/")
    ):
        return (
            "keine gültige E-Mail-Adresse. Schreiben Sie sie vollständig, z. B. "
            "„familienbuero@beispielstadt.de“ (ohne „mailto:“ und ohne Leerzeichen)."
        )
    return None
