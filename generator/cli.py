"""Editor commands: ``python -m generator check|schema``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .loading import DataError, load_dataset
from .schema import write_schemas


def _paths(args) -> tuple[Path, Path, Path]:
    root = Path(args.root)
    return root / "managers.yaml", root / "events.yaml", root / "content"


def cmd_check(args) -> int:
    managers, events, docs = _paths(args)
    try:
        dataset = load_dataset(managers, events, docs)
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1
    print(
        f"Alles in Ordnung: {len(dataset.managers)} Familienmanagerinnen und -manager, "
        f"{len(dataset.events)} Veranstaltungen."
    )
    return 0


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
    schema = commands.add_parser("schema", help="JSON-Schemas in schema/ neu erzeugen")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)
