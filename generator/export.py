"""The site as a plain project for Zensical, the successor of MkDocs + Material.

``python -m generator export DIR`` writes what our MkDocs plugin would hand MkDocs,
as ordinary files, into a project that ``zensical build`` turns into the site without
any plugin (Zensical 0.0.73 runs no MkDocs plugins):

- ``content/``: the hand-written pages with what the plugin does to them at page level
  baked in (``{{ extra.… }}`` filled in, a report's way back to its event appended),
  and every generated file exactly as its :class:`OutputFile` describes it (pages as
  Markdown with front matter, feeds, JSON-LD-bearing pages, data files, the editing
  page) — Zensical copies what is not Markdown, as MkDocs does;
- ``theme/``: our own templates and assets; not the copies of Material's templates
  (:data:`MATERIAL_COPIES`), which fit Material 9.8.1 only. In their place a
  ``main.html`` that gives every page the site's Content-Security-Policy as a
  ``<meta http-equiv>``, with the hashes of the generator's inline scripts and of the
  inline scripts of Zensical's theme (:data:`ZENSICAL_THEME_SCRIPTS`);
- ``mkdocs.yml``: ours without the plugin, ``site_url`` as the data was generated for,
  Zensical's ``classic`` variant (Material's look), ``extra.scope`` fixed so that the
  theme's set-up script is the same on every page (and so has one hash).

What Zensical cannot do for us is listed in README.md („Engines“) and asserted by
tests/test_zensical_export.py. Pure apart from writing the files; no engine import.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
import yaml

from generator.site.content_scripts import ContentScripts
from generator.site.csp import page_hashes, script_hash
from generator.site.outputs import SiteBuild
from generator.site.placeholders import substitute_placeholders

#: The Zensical release the export is made for and tested with. 0.0.74 and later need
#: a separate ``zensical-ui`` package, which the package index does not serve.
ZENSICAL_VERSION = "0.0.73"

#: Our plugin's name in mkdocs.yml (generator.mkdocs_config.PLUGIN_NAME; not imported:
#: the export stands beside the MkDocs adapter, not on it).
PLUGIN_NAME = "familienmanager"

#: Files of theme/ that are Material 9.8.1's templates with our edits, or that take the
#: parts the MkDocs shortcuts render once (generator/engine/shortcuts.py): Zensical has
#: templates of its own under these names, and ours would replace them with markup for
#: another theme's scripts and stylesheets (tests/material_upstream.json lists them).
MATERIAL_COPIES = ("base.html", "main.html", "partials/")

#: Scripts only our Material copies use.
MATERIAL_ONLY_ASSETS = ("assets/javascripts/fm-controls.js",)

#: The inline scripts Zensical 0.0.73's templates put into every page, with
#: ``extra.scope`` set (templates/partials/javascripts/base.html: the scope and the
#: storage helpers; partials/javascripts/palette.html: the colour scheme;
#: partials/javascripts/content.html: the tab a link's hash names). The export cannot
#: ask Zensical for them before it builds; tests/test_zensical_export.py builds the
#: site and fails when a page carries an inline script the policy does not name.
ZENSICAL_THEME_SCRIPTS = (
    '__md_scope=new URL("{scope}",location),__md_scope.pathname.endsWith("/")||'
    '(__md_scope=new URL(__md_scope.pathname+"/",location)),__md_hash=e=>[...e].reduce('
    "((e,t)=>(e<<5)-e+t.charCodeAt(0)),0),__md_get=(e,t=localStorage,_=__md_scope)=>"
    'JSON.parse(t.getItem(_.pathname+"."+e)),__md_set=(e,t,_=localStorage,a=__md_scope)=>'
    '{try{_.setItem(a.pathname+"."+e,JSON.stringify(t))}catch(e){}},'
    'document.documentElement.setAttribute("data-platform",navigator.platform)',
    'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"'
    '===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input='
    "document.querySelector(media.matches?\"[data-md-color-media='(prefers-color-scheme: "
    "light)']\":\"[data-md-color-media='(prefers-color-scheme: dark)']\");palette.color.media"
    '=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute('
    '"data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"'
    '),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of '
    'Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}',
    "var target=document.getElementById(location.hash.slice(1));target&&target.name&&"
    '(target.checked=target.name.startsWith("__tabbed_"))',
)


class ExportProblem(Exception):
    """The export cannot be written; ``str()`` is the German message."""


@dataclass(frozen=True)
class ExportSource:
    """Where the project's parts are: mkdocs.yml, the hand-written pages, the theme."""

    config_file: Path
    docs_dir: Path
    theme_dir: Path | None


def export_project(
    source: ExportSource, site: SiteBuild, destination: Path, *, site_url: str
) -> dict[str, int]:
    """Writes the project into ``destination`` (which must be empty or missing) and
    returns what it wrote: pages, generated files, theme files."""
    check_destination(destination)
    config = read_config(source.config_file)
    allowed = checked_scripts(source, config)
    hand_written = _hand_written(source.docs_dir, site, config.get("extra") or {})
    docs = destination / "content"
    counts = {"seiten": sum(1 for p in hand_written if p.endswith(".md")), "erzeugt": 0}
    for relative, content in hand_written.items():
        _write(docs / relative, content)
    for output in site.files:
        _write(docs / output.path, exported_content(output.path, output.content))
        counts["erzeugt"] += 1
    scope = urlsplit(site_url).path or "/"
    if not scope.endswith("/"):
        scope += "/"
    policy = site_policy(site, scope, allowed)
    theme = destination / "theme"
    counts["theme"] = _copy_theme(source.theme_dir, theme) if source.theme_dir else 0
    _write(theme / "main.html", main_template(policy))
    hidden = [o.path for o in site.files if any(p.startswith(".") for p in o.path.split("/"))]
    exported = exported_config(config, site_url=site_url, scope=scope, hidden=hidden)
    _write(destination / "mkdocs.yml", _config_text(exported))
    return counts


def check_destination(destination: Path) -> None:
    """The export writes only into a new or empty folder (it overwrites nothing)."""
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise ExportProblem(
            f"{destination}: der Ordner ist nicht leer. Geben Sie einen neuen oder leeren "
            "Ordner an; die Ausgabe überschreibt nichts."
        )


def _write(path: Path, content: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_bytes(content.encode("utf-8"))


def _hand_written(docs_dir: Path, site: SiteBuild, extra: Mapping) -> dict[str, str | bytes]:
    """content/ as the plugin shows it to MkDocs, by path: placeholders filled, patches
    appended (generator/mkdocs_plugin.py, on_page_markdown); other files as they are.
    Made before anything is written, so an unknown placeholder leaves no half export."""
    patches = {patch.path: patch.html for patch in site.patches}
    files: dict[str, str | bytes] = {}
    for path in sorted(docs_dir.rglob("*")):
        relative = path.relative_to(docs_dir).as_posix()
        if path.is_dir() or any(part.startswith(".") for part in relative.split("/")):
            continue
        if path.suffix != ".md":
            files[relative] = path.read_bytes()
            continue
        markdown = path.read_bytes().decode("utf-8")
        try:
            markdown = substitute_placeholders(markdown, extra)
        except KeyError as error:
            raise ExportProblem(f"{path}: {error.args[0]}") from None
        if relative in patches:
            markdown += "\n\n" + exported_content(relative, patches[relative])
        files[relative] = markdown
    return files


def _copy_theme(theme_dir: Path, theme: Path) -> int:
    copied = 0
    for path in sorted(theme_dir.rglob("*")):
        relative = path.relative_to(theme_dir).as_posix()
        if path.is_dir() or is_material_copy(relative):
            continue
        _write(theme / relative, path.read_bytes())
        copied += 1
    return copied


def is_material_copy(relative: str) -> bool:
    """Whether theme/``relative`` is for Material 9.8.1 only (not exported)."""
    return relative in MATERIAL_ONLY_ASSETS or any(
        relative == entry or (entry.endswith("/") and relative.startswith(entry))
        for entry in MATERIAL_COPIES
    )


def checked_scripts(source: ExportSource, config: Mapping) -> set[str]:
    """The check the plugin runs on every hand-written page before any is written
    (generator/site/content_scripts.py): a script in content/ stops the export with the
    same German report, unless mkdocs.yml allows its hash (``erlaubte_skripte``); the
    allowed hashes it uses. The pages are made HTML by Python-Markdown with the
    extensions of mkdocs.yml, as Zensical makes them."""
    options = _plugin_options(config)
    scripts = ContentScripts(options.get("erlaubte_skripte") or (), source.config_file)
    extensions, settings = _markdown_extensions(config)
    for path in sorted(source.docs_dir.rglob("*.md")):
        text = path.read_bytes().decode("utf-8")
        meta, body = _front_matter(text)
        html = markdown.Markdown(extensions=extensions, extension_configs=settings).convert(body)
        scripts.read_page(str(path), text, html, meta)
    report = scripts.finish(source.docs_dir)
    if report:
        raise ExportProblem(report)
    return scripts.used


def _plugin_options(config: Mapping) -> Mapping:
    for entry in config.get("plugins") or []:
        if isinstance(entry, Mapping) and PLUGIN_NAME in entry:
            return entry[PLUGIN_NAME] or {}
    return {}


def _markdown_extensions(config: Mapping) -> tuple[list[str], dict[str, Any]]:
    """mkdocs.yml's ``markdown_extensions`` and MkDocs' own (toc, tables, fenced_code)."""
    names, settings = ["toc", "tables", "fenced_code"], {}
    for entry in config.get("markdown_extensions") or []:
        name, options = next(iter(entry.items())) if isinstance(entry, Mapping) else (entry, {})
        names.append(name)
        settings[name] = {**settings.get(name, {}), **(options or {})}
    return list(dict.fromkeys(names)), settings


def _front_matter(text: str) -> tuple[dict, str]:
    """A page's YAML front matter (as MkDocs reads it) and the Markdown after it."""
    match = re.match(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", text, re.DOTALL)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match[1])
    except yaml.YAMLError:
        return {}, text
    return (meta if isinstance(meta, dict) else {}), text[match.end() :]


def site_policy(site: SiteBuild, scope: str, allowed: Iterable[str] = ()) -> str:
    """The policy for the Zensical site: the generated pages' inline scripts (the map's
    set-up; passed through Markdown unchanged), Zensical's theme scripts, and the hashes
    mkdocs.yml allows in hand-written pages. No other script of a hand-written page."""
    hashes = [
        set(allowed),
        *[
            page_hashes(str(exported_content(output.path, output.content)))
            for output in site.files
            if _is_page(output.path)
        ],
    ]
    theme = {script_hash(text.replace("{scope}", scope)) for text in ZENSICAL_THEME_SCRIPTS}
    policy = site.policy.for_hashes([*hashes, theme])
    styles = " ".join(["'self'", *ZENSICAL_STYLE_HASHES])
    return policy.replace("style-src 'self';", f"style-src {styles};", 1)


#: The stylesheet Zensical 0.0.73's search puts into its dialog (a ``<style>`` in a
#: shadow root, templates/assets/javascripts/bundle.77dd0ce9.min.js): without its hash
#: the browser refuses it and the search results stand unstyled.
ZENSICAL_STYLE_HASHES = ("'sha256-NwSx/R2V/U4jnW0Tq5pQ53Y/rzPVJ4dqE7D6UTA/J1k='",)


def _is_page(path: str) -> bool:
    return path.endswith(".md")


#: A script element (its text is no markup: left alone, its start tag read) …
_SCRIPT = re.compile(r"(<script\b[^>]*>)(.*?</script\s*>)", re.IGNORECASE | re.DOTALL)
#: … and the ``href`` and ``src`` values Zensical 0.0.73 resolves (tests/test_zensical_export.py).
_LINK = re.compile(r"(?P<before>\s(?:href|src)=\")(?P<url>[^\"]*)\"", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#|\?)")


def exported_content(path: str, content: str | bytes) -> str | bytes:
    """A generated file as Zensical needs it. Zensical 0.0.73 reads every relative
    ``href``/``src`` in a page, raw HTML included, as relative to the page's source file
    (as MkDocs reads Markdown links) and adds the ``../`` a directory URL needs; MkDocs
    1.6 leaves raw HTML alone, so the generator writes links relative to the page's
    address. A page ``a/b.md`` (address ``a/b/``) therefore gets its links relative to
    ``a/``; an index page's address is its source folder, so it stays as it is."""
    if not _is_page(path) or isinstance(content, bytes) or posixpath.basename(path) == "index.md":
        return content
    address = path[: -len(".md")] + "/"
    folder = posixpath.dirname(path) or "."

    def relative_to_source(match: re.Match) -> str:
        url = match["url"]
        if not url or _ABSOLUTE.match(url):
            return match[0]
        target, hash_mark, fragment = url.partition("#")
        joined = posixpath.normpath(posixpath.join(address, target))
        moved = posixpath.relpath(joined, folder)
        if target.endswith("/") and not moved.endswith("/"):
            moved += "/"
        return f'{match["before"]}{moved}{hash_mark}{fragment}"'

    def markup(text: str) -> str:
        return _LINK.sub(relative_to_source, text)

    parts, start = [], 0
    for script in _SCRIPT.finditer(content):
        parts += [markup(content[start : script.start()]), markup(script[1]), script[2]]
        start = script.end()
    return "".join([*parts, markup(content[start:])])


def main_template(policy: str) -> str:
    """theme/main.html for Zensical: its own base.html, with the policy at the end of
    the ``site_meta`` block, which opens the head and holds no script: the policy
    covers every script of the page."""
    escaped = policy.replace("&", "&amp;").replace('"', "&quot;")
    return (
        "{#- Written by `python -m generator export` (generator/export.py): Zensical's\n"
        "    base.html, and the site's Content-Security-Policy in every page. -#}\n"
        '{% extends "base.html" %}\n'
        "{% block site_meta %}\n"
        "  {{ super() }}\n"
        f'  <meta http-equiv="Content-Security-Policy" content="{escaped}">\n'
        "{% endblock %}\n"
    )


class _ConfigLoader(yaml.SafeLoader):
    """mkdocs.yml as MkDocs reads it, as far as the export needs: plain YAML and
    ``!ENV [NAME, default]`` (pyyaml_env_tag, which MkDocs uses)."""


def _env_tag(loader: _ConfigLoader, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        names, default = [loader.construct_scalar(node)], None
    else:
        items = [loader.construct_object(child) for child in node.value]
        names, default = (items[:-1], items[-1]) if len(items) > 1 else (items, None)
    for name in names:
        if name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


_ConfigLoader.add_constructor("!ENV", _env_tag)


def read_config(config_file: Path) -> dict:
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_ConfigLoader)  # noqa: S506
    except yaml.YAMLError as error:
        raise ExportProblem(
            f"{config_file}: die Einstellungen lassen sich nicht lesen ({error})."
        ) from None
    return config or {}


def exported_config(
    config: Mapping, *, site_url: str, scope: str, hidden: Sequence[str] = ()
) -> dict:
    """mkdocs.yml for Zensical: without our plugin, with Zensical's search, the address the data was generated
    for, Material's look (``variant: classic``), the theme's scope fixed, and the docs
    in content/ and the theme in theme/ of the exported project. ``hidden``: generated
    files whose name starts with a dot (``.htaccess``), which Zensical, like MkDocs,
    leaves out unless ``exclude_docs`` takes them back in (MkDocs' plugin adds them
    as generated files, past that rule)."""
    exported = dict(config)
    if hidden:
        rules = [str(config.get("exclude_docs") or "").rstrip("\n")]
        rules += [f"!/{path}" for path in hidden]
        exported["exclude_docs"] = "\n".join(rule for rule in rules if rule) + "\n"
    plugins = []
    for entry in config.get("plugins") or []:
        name = next(iter(entry)) if isinstance(entry, Mapping) else entry
        if name != PLUGIN_NAME:
            plugins.append(entry)
    # Our site search is a Pagefind index the plugin makes after the build
    # (generator/site/search.py); the Zensical site has Zensical's own.
    if "search" not in [next(iter(p)) if isinstance(p, Mapping) else p for p in plugins]:
        plugins.append("search")
    exported["plugins"] = plugins
    exported["site_url"] = site_url
    exported["docs_dir"] = "content"
    theme = dict(config.get("theme") or {})
    theme["custom_dir"] = "theme"
    theme.setdefault("variant", "classic")
    exported["theme"] = theme
    extra = dict(config.get("extra") or {})
    extra["scope"] = scope
    exported["extra"] = extra
    return exported


def _config_text(config: Mapping) -> str:
    header = (
        "# Written by `python -m generator export` for Zensical "
        f"{ZENSICAL_VERSION} (generator/export.py):\n"
        "# the site without the familienmanager plugin. Build with `zensical build`.\n"
    )
    body = yaml.safe_dump(dict(config), allow_unicode=True, sort_keys=False, width=100)
    return header + body
