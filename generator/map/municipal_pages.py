"""One page per municipality (396) and an index from A to Z: who is there and why.

Every page is rendered from one template with data computed once per build
(:mod:`generator.map.responsibility`): no page looks at all managers. The pages are
finished HTML (no Markdown step), out of the nav, in the site search, and work
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from generator.data import register as nrw
from generator.map.places import MapPlace
from generator.map.responsibility import Responsibility, in_kreis, nearby_intro, reason
from generator.site.outputs import OutputFile
from generator.site.rendering import Links, page_meta, render

FOLDER = "familienmanager/kommunen"
INDEX = f"{FOLDER}/index.md"


def page_src(slug: str) -> str:
    return f"{FOLDER}/{slug}.md"


def _place_href(links: Links, src: str, map_page: str, place: MapPlace, slugs: set[str]) -> str:
    """A municipality's page where there is one, else the place in the map page's list."""
    slug = place.id
    if slug in slugs:
        return links.href(src, page_src(slug))
    return links.href(src, map_page, f"ort-{place.id}")


def municipality_page(
    entry: Responsibility,
    *,
    links: Links,
    map_page: str,
    slugs: set[str],
    contact_links,
    theme_dirs: tuple[str, ...] = (),
    sample_data: bool = False,
) -> OutputFile:
    municipality = entry.municipality
    src = page_src(municipality.slug)
    shown = [place for place in (entry.own, entry.kreis) if place]
    body = render(
        "kommune.html",
        theme_dirs=theme_dirs,
        sample_data=sample_data,
        m=municipality,
        where=in_kreis(municipality.kreis) if municipality.kreis else None,
        reason=reason(entry),
        nearby_intro=nearby_intro(entry),
        shown=shown,
        contact_links=contact_links,
        place_map_href={p.id: links.href(src, map_page, f"ort-{p.id}") for p in shown},
        nearby=[(n, _place_href(links, src, map_page, n.place, slugs)) for n in entry.nearby],
        map_href=links.href(src, map_page) + f"?gemeinde={municipality.slug}#finder",
        index_href=links.href(src, INDEX),
        about_href=links.href(src, "familienmanager/index.md"),
    )
    where = in_kreis(municipality.kreis) if municipality.kreis else "kreisfreie Stadt"
    meta = page_meta(
        f"{municipality.name}: Familienmanagerinnen und -manager",
        f"Wer ist für {municipality.name} ({where}) zuständig? Familienmanagerinnen und "
        "-manager in und um " + municipality.name + ", mit Kontakt.",
        hide=["navigation", "toc"],
    )
    return OutputFile.finished_page(src, meta, body)


def index_page(
    entries: Sequence[Responsibility],
    *,
    links: Links,
    map_page: str,
    theme_dirs: tuple[str, ...] = (),
) -> OutputFile:
    """All municipalities from A to Z: the finder's way without JavaScript."""
    ordered = sorted(entries, key=lambda e: (nrw.fold(e.municipality.name), e.municipality.ags))
    letters = [
        (letter, [(e, links.href(INDEX, page_src(e.municipality.slug))) for e in group])
        for letter, group in groupby(ordered, key=lambda e: nrw.fold(e.municipality.name)[0])
    ]
    body = render(
        "kommunen.html",
        theme_dirs=theme_dirs,
        letters=letters,
        map_href=links.href(INDEX, map_page, "finder"),
    )
    meta = page_meta(
        "Alle Städte und Gemeinden in NRW von A bis Z",
        "Für jede der 396 Städte und Gemeinden in Nordrhein-Westfalen: wer als "
        "Familienmanagerin oder Familienmanager zuständig ist.",
        hide=["navigation", "toc"],
    )
    return OutputFile.finished_page(INDEX, meta, body)


def municipal_outputs(
    entries: Sequence[Responsibility],
    *,
    links: Links,
    map_page: str,
    contact_links,
    theme_dirs: tuple[str, ...] = (),
    sample_data: bool = False,
) -> list[OutputFile]:
    slugs = {entry.municipality.slug for entry in entries}
    pages = [
        municipality_page(
            entry,
            links=links,
            map_page=map_page,
            slugs=slugs,
            contact_links=contact_links,
            theme_dirs=theme_dirs,
            sample_data=sample_data,
        )
        for entry in entries
    ]
    return [index_page(entries, links=links, map_page=map_page, theme_dirs=theme_dirs), *pages]
