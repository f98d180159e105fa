"""Editor commands: ``python -m generator check|serve|build|export|format|geocode|linkcheck|schema``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator.ci_reports import emit_ci_notes, emit_ci_reports
from generator.data.dataset import load_dataset
from generator.data.problems import DataError
from generator.data.schema import write_schemas
from generator.geo.nominatim import NOMINATIM_URL
from generator.geo.resolver import checked_data


class ConfigProblem(Exception):
    """mkdocs.yml cannot be read; ``str()`` is the German message."""


def _project(args):
    """The data paths and options from mkdocs.yml, read by MkDocs as the build reads them;
    without a mkdocs.yml, the defaults in the project folder."""
    from generator.mkdocs_config import Project, load_project

    root = Path(args.root)
    config = root / "mkdocs.yml"
    if not config.is_file():
        return Project(
            root / "managers.yaml",
            root / "events.yaml",
            root / "geocache.yaml",
            root / "content",
            None,
        )
    try:
        return load_project(config)
    except Exception as error:  # MkDocs raises several types for a broken config
        raise ConfigProblem(
            f"{config}: die Einstellungen lassen sich nicht lesen ({error}). "
            "Prüfen Sie mkdocs.yml, z. B. mit „make site“."
        ) from None


def _build_date():
    """The build's "today" (SOURCE_DATE_EPOCH, else today in Berlin), read as the build
    reads it, so `check` passes exactly when the build's validation does."""
    from generator.mkdocs_config import build_date

    return build_date()


def _content_scripts(root: Path, docs_dir: Path) -> str | None:
    """The build's report on scripts in hand-written pages (content/), if any: the build
    stops on them, so `check` names them too (the pages made HTML by Python-Markdown with
    mkdocs.yml's extensions, as the export reads them; generator/export.py)."""
    from generator.export import ExportProblem, ExportSource, checked_scripts, read_config

    config_file = root / "mkdocs.yml"
    if not config_file.is_file() or not docs_dir.is_dir():
        return None
    try:
        checked_scripts(ExportSource(config_file, docs_dir, None), read_config(config_file))
    except ExportProblem as problem:
        return str(problem)
    return None


def cmd_check(args) -> int:
    project = _project(args)
    scripts = _content_scripts(Path(args.root), project.docs_dir)
    try:
        dataset, locations = checked_data(  # offline
            project.managers, project.events, project.docs_dir, project.geocache,
            today=_build_date(),
        )  # fmt: skip
    except DataError as error:
        print(error.report(), file=sys.stderr)
        if scripts:
            print(scripts, file=sys.stderr)
        emit_ci_reports(error.problems, Path(args.root), os.environ, sys.stdout)
        return 1
    emit_ci_reports([], Path(args.root), os.environ, sys.stdout)
    if scripts:
        print(scripts, file=sys.stderr)
        return 1
    for note in dataset.notes:
        print(f"Hinweis: {note.safe()}", file=sys.stderr)
    emit_ci_notes([note.safe() for note in dataset.notes], Path(args.root), os.environ, sys.stdout)
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


def cmd_geocode(args) -> int:
    import datetime as dt

    from generator.geo import command, nominatim

    project = _project(args)
    try:
        dataset = load_dataset(
            project.managers, project.events, project.docs_dir, today=_build_date()
        )
        lookup = None
        if args.online:
            agent = args.user_agent or project.geocoder_user_agent or nominatim.USER_AGENT
            lookup = nominatim.nominatim_lookup(user_agent=agent, url=args.nominatim_url)
        return command.geocode_command(
            dataset,
            project.geocache,
            lookup=lookup,
            today=dt.date.today().isoformat(),
            out=sys.stdout,
            progress=sys.stderr,
        )
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1


def cmd_serve(args) -> int:
    from generator.preview import serve

    return serve(Path(args.root), args.port, open_browser=args.open)


def cmd_build(args) -> int:
    from generator.preview import build

    return build(Path(args.root))


def cmd_export(args) -> int:
    """The site as a plain project for Zensical (generator/export.py): the data checked
    as by ``check``, the generated files written as the plugin hands them to MkDocs."""
    from mkdocs.config import load_config

    from generator.assembly import generate
    from generator.export import ExportProblem, ExportSource, check_destination, export_project
    from generator.mkdocs_config import PLUGIN_NAME, PluginConfig, project_of, settings_of
    from generator.site.publication import publication_refusal

    root, destination = Path(args.root), Path(args.ziel)
    try:
        check_destination(destination)
    except ExportProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    config_file = root / "mkdocs.yml"
    try:
        config = load_config(str(config_file))
    except Exception as error:  # MkDocs raises several types for a broken config
        raise ConfigProblem(
            f"{config_file}: die Einstellungen lassen sich nicht lesen ({error})."
        ) from None
    plugin = config.plugins.get(PLUGIN_NAME)
    options = plugin.config if plugin is not None else PluginConfig()
    project, settings = project_of(config, options), settings_of(config, options)
    try:
        dataset, site = generate(
            project.managers, project.events, project.docs_dir, project.geocache, settings
        )
    except DataError as error:
        print(error.report(), file=sys.stderr)
        return 1
    refusal = publication_refusal(
        config.extra,
        settings.site_url,
        dataset,
        sample_data=options.sample_data,
        docs_dir=project.docs_dir,
    )
    if refusal:
        print(refusal, file=sys.stderr)
        return 1
    theme = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    source = ExportSource(Path(config.config_file_path), project.docs_dir, theme)
    try:
        counts = export_project(source, site, destination, site_url=settings.site_url)
    except ExportProblem as problem:
        print(problem, file=sys.stderr)
        return 1
    print(
        f"Projekt für Zensical geschrieben: {destination} ({counts['seiten']} Seiten aus "
        f"content/, {counts['erzeugt']} erzeugte Dateien, {counts['theme']} Theme-Dateien)."
    )
    print(f"Bauen mit: cd {destination} && zensical build")
    return 0


def cmd_schema(args) -> int:
    for path in write_schemas(Path(args.root) / "schema"):
        print(f"geschrieben: {path}")
    return 0


def cmd_format(args) -> int:
    """Write managers.yaml and events.yaml as the editing page writes them (or, with
    ``--check``, only say which differ): a form save then changes only its own entry."""
    from generator.data.canonical import FormatProblem, format_text
    from generator.data.models import Event, Manager
    from generator.data.source import read_source

    project = _project(args)
    differ, failed = [], False
    for path, model in ((project.managers, Manager), (project.events, Event)):
        text, problem = read_source(path)
        try:
            if problem is not None:
                raise FormatProblem(str(problem))
            formatted = format_text(text, model, path.name)
        except FormatProblem as error:
            print(error, file=sys.stderr)
            failed = True
            continue
        if formatted.encode("utf-8") == path.read_bytes():
            continue
        differ.append(path)
        if not args.check:
            path.write_text(formatted, encoding="utf-8", newline="\n")
            print(f"formatiert: {path}")
    if failed:
        return 1
    if args.check and differ:
        for path in differ:
            print(
                f"{path}: nicht im Format der Redaktionsseite. Führen Sie "
                "„python -m generator format“ aus und übernehmen Sie das Ergebnis.",
                file=sys.stderr,
            )
        return 1
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
    serve = commands.add_parser(
        "serve", help="Vorschau im Browser, die sich nach jedem Speichern erneuert"
    )
    serve.add_argument(
        "--port", type=int, default=8000, help="Port (Standard: 8000; belegt: ein freier)"
    )
    serve.add_argument("--open", action="store_true", help="die Vorschau im Browser öffnen")
    serve.set_defaults(func=cmd_serve)
    build = commands.add_parser("build", help="die Website in den Ordner site bauen")
    build.set_defaults(func=cmd_build)
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
        default=NOMINATIM_URL,
        help="Adresse des Nominatim-Dienstes (Standard: %(default)s)",
    )
    geocode.add_argument(
        "--user-agent",
        default=None,
        help="Kennung für Nominatim, am besten mit Kontaktadresse (Standard: geocoder_user_agent "
        "in mkdocs.yml, sonst die des Generators)",
    )
    geocode.set_defaults(func=cmd_geocode)
    fmt = commands.add_parser(
        "format",
        help="managers.yaml und events.yaml so schreiben, wie die Redaktionsseite sie speichert",
    )
    fmt.add_argument(
        "--check",
        action="store_true",
        help="nichts ändern, nur melden, welche Datei anders aussieht (für make lint)",
    )
    fmt.set_defaults(func=cmd_format)
    export = commands.add_parser(
        "export",
        help="die Website als einfaches Projekt ohne Plugin schreiben, das „zensical build“ baut",
    )
    export.add_argument("ziel", help="neuer oder leerer Ordner für das Projekt")
    export.set_defaults(func=cmd_export)
    schema = commands.add_parser("schema", help="JSON-Schemas in schema/ neu erzeugen")
    schema.set_defaults(func=cmd_schema)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ConfigProblem as problem:
        print(problem, file=sys.stderr)
        return 2
