"""``{{ extra.… }}`` in hand-written pages: the publisher's details from mkdocs.yml.

Only pages of ``content/`` are substituted; generated pages carry data text, which
stays text even when it looks like a placeholder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{\{\s*extra\.([A-Za-z0-9_.]+)\s*\}\}")


def substitute_placeholders(markdown: str, extra: Mapping) -> str:
    """Replace ``{{ extra.a.b }}`` with the value from mkdocs.yml; an unknown key raises
    KeyError with the German message."""

    def value(match: re.Match) -> str:
        node = extra
        for part in match.group(1).split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(
                    f"Platzhalter „{match.group(0)}“ ist in mkdocs.yml unter „extra:“ "
                    "nicht definiert."
                )
            node = node[part]
        return str(node)

    return PLACEHOLDER.sub(value, markdown)
