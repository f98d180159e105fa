"""Shared by every generated page: relative links as MkDocs publishes them, the one
Jinja environment (autoescape) and YAML front matter."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from jinja2 import (
    BaseLoader,
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)
from jinja2.bccache import Bucket
from markupsafe import escape

from generator.data.source import clean_text
from generator.site.outputs import front_matter_text


@dataclass(frozen=True)
class Links:
    """Site-relative and absolute URLs of source paths, as MkDocs will publish them."""

    directory_urls: bool = True
    site_url: str = ""

    def url(self, src: str) -> str:
        """ "termine/2010/11.md" -> "termine/2010/11/" (other files keep their path)."""
        if not src.endswith(".md"):
            return src
        stem = src[:-3]
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5]
        return stem + "/" if self.directory_urls else stem + ".html"

    def href(self, from_src: str, to_src: str, fragment: str = "") -> str:
        """The relative link from one page to a page or file (computed by path segments:
        a large build asks this some 100,000 times)."""
        here = self.url(from_src)
        base = here[: here.rfind("/") + 1].split("/")[:-1]  # folders of the page's URL
        target = self.url(to_src)
        if not self.directory_urls and (target == "" or target.endswith("/")):
            target += "index.html"
        parts = target.split("/")
        common = 0
        while common < min(len(base), len(parts) - 1) and base[common] == parts[common]:
            common += 1
        relative = "../" * (len(base) - common) + "/".join(parts[common:])
        return (relative or "./") + (f"#{fragment}" if fragment else "")

    def absolute(self, src: str) -> str | None:
        """Full URL for feeds and JSON-LD; None while ``site_url`` is not configured."""
        if not self.site_url:
            return None
        return self.site_url.rstrip("/") + "/" + self.url(src)


#: Directory URLs, no site URL: MkDocs' defaults.
DEFAULT_LINKS = Links()


#: The folder below a theme directory (MkDocs' ``custom_dir``) whose files replace the
#: package's templates of the same name: ``theme/familienmanager/termine_event.html``.
#: MkDocs does not copy ``.html`` and ``.md`` files of a theme into the site.
THEME_OVERRIDES = "familienmanager"


#: The package's own templates.
PACKAGE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_files(theme_dirs: tuple[str, ...] = ()) -> list[Path]:
    """Every file the generated pages' templates can come from: the overrides in
    ``theme_dirs`` and the package's templates (for the build cache's fingerprint)."""
    folders = [Path(folder) for folder in theme_dirs] + [PACKAGE_TEMPLATES]
    return [path for folder in folders for path in sorted(folder.rglob("*")) if path.is_file()]


class _OverridesFirst(ChoiceLoader):
    """The theme's overrides first, the package's templates second. A template stays up
    to date only while no override of it appears ahead of the file it came from (Jinja's
    ChoiceLoader would keep the package's template after an editor adds an override)."""

    def __init__(self, theme_dirs: tuple[str, ...]):
        super().__init__(
            [FileSystemLoader(list(theme_dirs)), PackageLoader("generator", "templates")]
        )
        self.theme_dirs = theme_dirs

    # ChoiceLoader.load asks each loader in turn and never calls get_source below.
    load = BaseLoader.load

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        filename = os.path.normpath(filename)
        overrides = [os.path.normpath(os.path.join(folder, template)) for folder in self.theme_dirs]
        ahead = overrides[: overrides.index(filename)] if filename in overrides else overrides

        def still_chosen() -> bool:
            fresh = uptodate() if uptodate is not None else True
            return fresh and not any(os.path.exists(path) for path in ahead)

        return source, filename, still_chosen


@cache
def environment(theme_dirs: tuple[str, ...] = ()) -> Environment:
    """One autoescaping environment per set of theme folders: the theme's overrides
    first, the package's templates second (as Pelican and mkdocstrings do). Jinja checks
    each template's source before use (``auto_reload``), so it outlives a build."""
    return Environment(
        loader=_OverridesFirst(theme_dirs),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
    )


def render(template: str, /, theme_dirs: tuple[str, ...] = (), **context) -> str:
    """Render a package template (or its override in ``theme_dirs``) with autoescape."""
    return environment(theme_dirs).get_template(template).render(**context)


def page_meta(title: str, description: str, **extra) -> dict:
    """A generated page's front matter. Material writes ``title`` and ``description``
    into the page unescaped, so they are HTML-escaped here (and read back as text by
    browsers)."""
    return {
        "title": clean_text(str(escape(title))),
        "description": clean_text(str(escape(description))),
        **extra,
    }


def front_matter(title: str, description: str, **extra) -> str:
    """:func:`page_meta` as YAML front matter, for pages written as Markdown."""
    return front_matter_text(page_meta(title, description, **extra))


@lru_cache(maxsize=16)
def links_for(settings) -> Links:
    """URL rules from the build settings (site URL, directory URLs); the same object for
    the same settings (memo keys compare it 10,000 times a save)."""
    return Links(directory_urls=settings.use_directory_urls, site_url=settings.site_url)


def script_json(data: object) -> str:
    """JSON that can neither end its ``<script>`` element nor open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # Three replaces, not str.translate: a mapping table costs a dict lookup per character.
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_data_error(problems) -> str:
    """The page `mkdocs serve` shows while the data is invalid: the German problem list."""
    return render("datenfehler.html", lines=[str(problem) for problem in problems])


def render_script_error(problems) -> str:
    """What `mkdocs serve` shows instead of a hand-written page with a script in it (the
    build would stop on it): the page's German problem list."""
    return render("skriptfehler.html", lines=[str(problem) for problem in problems])


class TemplateCache(BytecodeCache):
    """Compiled templates kept in memory from one Jinja environment to the next: MkDocs
    makes a new environment for every build, so `mkdocs serve` would compile the whole
    theme again after each save. A template is taken from here only with the same
    source (Jinja checks a checksum of it) and the same environment settings."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        key = repr((name, filename, _compile_settings(environment)))
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        if (data := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(data)  # ignored unless the checksum matches

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _compile_settings(env: Environment) -> tuple:
    """What Jinja's compiler reads from an environment besides the source (jinja2 3.1,
    compiler.py)."""
    return (
        tuple(sorted(env.extensions)),
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.is_async,
        getattr(env.autoescape, "__qualname__", env.autoescape),
        getattr(env.finalize, "__qualname__", env.finalize),
        env.undefined,
        env.sandboxed,
        # Calls to filters and tests are compiled by how each takes its arguments, and
        # the optimizer calls those of constants.
        _functions(env.filters),
        _functions(env.tests),
    )


def _functions(functions: dict) -> tuple:
    return tuple(
        (
            name,
            getattr(f, "__module__", None),
            getattr(f, "__qualname__", repr(type(f))),
            str(getattr(f, "jinja_pass_arg", None)),  # set by jinja2.pass_context & co.
        )
        for name, f in sorted(functions.items())
    )
