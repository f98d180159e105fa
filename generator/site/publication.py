"""The publication guard: what must be replaced before the site goes public.

A preview build (pull request, ``make site``) shows sample data with a notice; a
production build (``make site PUBLISH=1``, the deploy jobs) stops with this list.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.data.dataset import Dataset

PLACEHOLDER_MARK = "[PLATZHALTER"
#: Reserved example domains (RFC 2606): addresses there reach nobody.
EXAMPLE_DOMAIN = re.compile(r"(?i)(?:@|//|\.|^)example\.(?:org|com|net)\b")


def _strings(value, path: str) -> Iterator[tuple[str, str]]:
    """(dotted path, text) of every string in nested mappings and lists."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}")


def publication_problems(
    *, extra: Mapping, site_url: str, sample_data: bool, dataset: Dataset, docs_dir: Path
) -> list[str]:
    """German lines, one per thing that keeps the site from being published."""
    problems = []
    for path, text in _strings(extra, "extra"):
        if PLACEHOLDER_MARK in text:
            problems.append(f"mkdocs.yml: {path}: noch ein Platzhalter („{text}“).")
        elif EXAMPLE_DOMAIN.search(text):
            problems.append(f"mkdocs.yml: {path}: eine Beispieladresse („{text}“).")
    if not site_url:
        problems.append(
            "mkdocs.yml: site_url ist leer. Tragen Sie die Adresse der Website ein "
            "(in GitHub Pages und GitLab Pages setzt der Deploy-Job sie als SITE_URL)."
        )
    if sample_data:
        problems.append(
            "mkdocs.yml: familienmanager: sample_data ist true – managers.yaml enthält "
            "Beispieldaten. Ersetzen Sie sie durch die echten Daten und löschen Sie die Zeile."
        )
    for page in sorted(docs_dir.rglob("*.md")):
        for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
            if PLACEHOLDER_MARK in line:
                where = page.relative_to(docs_dir).as_posix()
                problems.append(f"{docs_dir.name}/{where}:{number}: noch ein Platzhalter.")
    for record in (*dataset.managers, *dataset.events):
        for field, value in record.model_dump(exclude_none=True).items():
            for path, text in _strings(value, field):
                if EXAMPLE_DOMAIN.search(text):
                    file, line = dataset.where(record, field)
                    problems.append(
                        f"{file}:{line}: {path}: eine Beispieladresse („{text}“) – "
                        "tragen Sie die echte Adresse ein oder löschen Sie sie."
                    )
    return problems


def publication_refusal(
    extra: Mapping, site_url: str, dataset: Dataset, *, sample_data: bool, docs_dir: Path
) -> str | None:
    """In a production build (``PUBLISH=1``: `make site PUBLISH=1`, the deploy jobs) the
    German report of what keeps the site from being published, if anything does."""
    if os.environ.get("PUBLISH", "").strip().lower() not in {"1", "true", "yes"}:
        return None
    options = {"extra": extra, "site_url": site_url, "sample_data": sample_data}
    problems = publication_problems(**options, dataset=dataset, docs_dir=docs_dir)
    return publication_report(problems) if problems else None


def publication_report(problems: list[str]) -> str:
    return (
        "Veröffentlichung abgelehnt (PUBLISH=1): vorher fehlt noch Folgendes.\n"
        + "\n".join(f"- {problem}" for problem in problems)
        + "\nEine Vorschau ohne diese Prüfung baut „make site“."
    )
