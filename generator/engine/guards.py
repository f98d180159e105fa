"""What guards each page as MkDocs writes it: scripts in hand-written pages stop the build
(generator/site/content_scripts.py), and every page gets the site's
Content-Security-Policy (generator/site/csp.py)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mkdocs.exceptions import PluginError

from generator.site.content_scripts import ContentScripts
from generator.site.csp import PagePolicy, PolicyStamp


class PageGuards:
    """One build's script check and policy stamp. ``policy`` is None for the preview:
    `mkdocs serve` injects an inline livereload script (mkdocs 1.6.1,
    mkdocs/livereload/__init__.py, _inject_js_into_html), so it goes without a policy."""

    def __init__(
        self,
        policy: PagePolicy | None = None,
        allowed: Iterable[str] = (),
        config_file: Path | None = None,
    ):
        self.stamp = PolicyStamp(policy) if policy is not None else None
        self.scripts = ContentScripts(allowed, config_file)

    def read_page(self, page, html: str) -> None:
        """A hand-written page's HTML; the title and front matter reach the page unescaped,
        so they are read too."""
        meta = [page.title, page.meta]
        self.scripts.read_page(page.file.abs_src_path, page.file.content_string, html, meta)

    def check(self, docs_dir: Path, *, serving: bool, log) -> None:
        """After every page is rendered, before any is written: a script in a hand-written
        page stops the build (the preview logs the report and shows each page's part
        instead of the page, :meth:`script_problems`), and the policy learns which texts
        are the pages' own."""
        report = self.scripts.finish(docs_dir)
        if report and not serving:
            raise PluginError(report)
        if report:
            log.error(report)
        if self.stamp:
            self.stamp.distrust(self.scripts.untrusted, self.scripts.used)

    def script_problems(self, page) -> list:
        """The problems of a hand-written page's scripts (the preview shows them instead of
        the page; a build stops on them in :meth:`check`)."""
        path = page.file.abs_src_path
        return self.scripts.problems_of(path) if path and self.scripts.problems else []

    def stamped(self, path: str | Path, html: str) -> str:
        return self.stamp.stamp(str(path), html) if self.stamp else html

    def finish(self, site_dir: Path) -> int:
        """One policy for the whole site: the pages written before the last new inline
        script appeared get it now; how many."""
        if not self.stamp:
            return 0
        try:
            return self.stamp.finish(site_dir)
        except ValueError as error:
            raise PluginError(str(error)) from None
        finally:
            self.stamp = None
