"""Editor commands: ``python -m generator check|geocode|linkcheck|schema``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.ci_reports import emit_ci_reports
from generator.data.dataset import load_dataset
from generator.data.problems import DataError
from generator.data.schema import write_schemas
from generator.geo.resolver import resolve_locations


def _paths(args) -> tuple[Path, Path, Path]:
    root = Path(args.root)
    return root / "managers.yaml", root / "events.yaml", root / "content"


def cmd_check(args) -> int:
    managers, events, docs = _paths(args)
    try:
        dataset = load_dataset(managers, events, docs)
        locations = resolve_locations(dataset, Path(args.root) / "geocache.yaml")  # offline
    except DataError as error:
        print(error.report(), file=sys.stderr)
        emit_ci_reports(error.problems, Path(args.root), os.environ, sys.stdout)
        return 1
    emit_ci_reports([], Path(args.root), os.environ, sys.stdout)
    print(
        f"Alles in Ordnung: {len(dataset.managers)} Familienmanagerinnen und -manager, "
        f"{len(dataset.events)} Veranstaltungen."
    )
    print(f"Alle {len(locations)} Orte gefunden (ohne Internet).")
    return 0


def cmd_linkcheck(args) -> int:
    from generator.site.linkcheck import check_site, format_report

    site = Path(args.site)
    if not (site / "index.html").is_file():
        print(
            f"{site}: hier liegt keine gebaute Website (index.html fehlt). "
            "Bauen Sie sie zuerst mit „make site“.",
            file=sys.stderr,
        )
        return 2
    report = check_site(site, args.site_url)
    for broken in report.broken:
        print(broken)
    for line in format_report(report):
        print(line)
    return 0 if report.ok else 1


def _plugin_option(args, name: str):
    """An option of our plugin in mkdocs.yml (the editor commands share the site's config)."""
    import yaml

    try:
        config = yaml.safe_load((Path(args.root) / "mkdocs.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    for plugin in (config or {}).get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("familienmanager"), dict):
            return plugin["familienmanager"].get(name)
    return None


def cmd_geocode(args) -> int:
    import datetime as dt

    from generator.geo import command, nominatim

    managers, events, docs = _paths(args)
    try:
        dataset = load_dataset(managers, events, docs)
        lookup = None
        if args.online:
            agent = (
                args.user_agent
                or _plugin_option(args, "geocoder_user_agent")
                or nominatim.USER_AGENT
            )
            lookup = nominatim.nominatim_lookup(user_agent=agent, url=args.nominatim_url)
        return command.geocode_command(
            dataset,
            Path(args.root) / "geocache.yaml",
            lookup=lookup,
            today=dt.date.today().isoformat(),
            out=sys.stdout,
            progress=sys.stderr,
        )
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1


def cmd_schema(args) -> int:
    for path in write_schemas(Path(args.root) / "schema"):
        print(f"geschrieben: {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m generator",
        description="Werkzeuge für die Redaktion der Familienmanager-Seiten.",
    )
    parser.add_argument("--root", default=".", help="Projektordner (Standard: aktueller Ordner)")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="managers.yaml und events.yaml prüfen")
    check.set_defaults(func=cmd_check)
    linkcheck = commands.add_parser(
        "linkcheck", help="interne Links und Anker der gebauten Website prüfen (ohne Internet)"
    )
    linkcheck.add_argument(
        "site", nargs="?", default="site", help="Ordner der gebauten Website (Standard: site)"
    )
    linkcheck.add_argument(
        "--site-url",
        default=None,
        help="veröffentlichte Adresse; Standard: aus dem canonical-Link der Startseite",
    )
    linkcheck.set_defaults(func=cmd_linkcheck)
    geocode = commands.add_parser(
        "geocode", help="fehlende Orte finden und in geocache.yaml speichern"
    )
    geocode.add_argument(
        "--online", action="store_true", help="Orte, die offline fehlen, bei Nominatim abfragen"
    )
    geocode.add_argument(
        "--nominatim-url",
        default="https://nominatim.openstreetmap.org",
        help="Adresse des Nominatim-Dienstes (Standard: %(default)s)",
    )
    geocode.add_argument(
        "--user-agent",
        default=None,
        help="Kennung für Nominatim, am besten mit Kontaktadresse (Standard: geocoder_user_agent "
        "in mkdocs.yml, sonst die des Generators)",
    )
    geocode.set_defaults(func=cmd_geocode)
    schema = commands.add_parser("schema", help="JSON-Schemas in schema/ neu erzeugen")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
