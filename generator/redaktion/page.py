"""The editing page at /redaktion/: its files, as generated outputs.

Not a page of the site's navigation and not for search engines (``noindex``): a plain
HTML document that loads the vendored Decap CMS (``vendor/``, see
``scripts/update_redaktion_vendor.py``) and the configuration made from the models
(:mod:`generator.redaktion.config`). It carries its own Content-Security-Policy, marked
so the site's policy (:class:`generator.site.csp.PolicyStamp`) leaves it alone: the CMS
needs styles it injects at run time and the backend's API, nothing the public pages
need, and the public pages keep their strict policy.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from urllib.parse import urlsplit

from markupsafe import escape

from generator.redaktion.config import (
    DataFile,
    cms_config,
    data_files,
    format_name,
    format_rules,
)
from generator.site.csp import OWN_POLICY
from generator.site.outputs import OutputFile
from generator.site.settings import EditingSettings as Backend

PAGE_DIR = "redaktion"
VENDOR_FILES = ("decap-cms", "js-yaml")
#: Where the CMS's own files live below the page.
VENDOR_DIR = f"{PAGE_DIR}/vendor"

#: Hosts the browser talks to after an editor signs in, per backend: the API and the
#: avatars the CMS shows next to the editor's name.
GITHUB_SOURCES = {
    "connect": ["https://api.github.com"],
    "img": ["https://avatars.githubusercontent.com"],
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def page_policy(backend: Backend) -> str:
    """The editing page's policy: what Decap CMS needs, nothing more.

    - scripts only from the site (no inline script: the configuration is a file), and
      ``'unsafe-eval'``: Decap checks its configuration with Ajv, which compiles each
      JSON Schema into a function (``new Function``); without it the CMS does not start;
    - ``style-src 'unsafe-inline'``: Decap's components are styled by emotion, which
      writes ``<style>`` elements at run time;
    - ``connect-src``: the site, the backend's API, and decap-server on this computer
      when a local backend is configured;
    - images from the site, ``data:``/``blob:`` (the CMS's icons) and the backend's avatars.
    """
    connect, images = ["'self'"], ["'self'", "data:", "blob:"]
    if backend.backend == "github":
        connect += GITHUB_SOURCES["connect"]
        images += GITHUB_SOURCES["img"]
    else:
        connect.append(_origin(backend.gitlab_url))
        images += [_origin(backend.gitlab_url), "https://secure.gravatar.com"]
    if backend.local_url:
        connect.append(_origin(backend.local_url))
    directives = [
        ("default-src", "'none'"),
        ("script-src", "'self' 'unsafe-eval'"),
        ("style-src", "'self' 'unsafe-inline'"),
        ("img-src", " ".join(images)),
        ("font-src", "'self' data:"),
        ("connect-src", " ".join(connect)),
        ("manifest-src", "'none'"),
        ("object-src", "'none'"),
        ("base-uri", "'self'"),
        ("form-action", "'none'"),
    ]
    return "; ".join(f"{name} {value}" for name, value in directives)


def _vendor_outputs() -> list[OutputFile]:
    base = resources.files("generator.redaktion") / "vendor"
    sums = {}
    for line in (base / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    outputs = []
    for name, digest in sorted(sums.items()):
        content = (base / name).read_bytes()
        if hashlib.sha256(content).hexdigest() != digest:
            raise ValueError(f"generator/redaktion/vendor/{name}: checksum differs from SHA256SUMS")
        outputs.append(OutputFile(f"{VENDOR_DIR}/{name}", content))
    return outputs


def _setup_script(backend: Backend, files: tuple[DataFile, ...], site_url: str) -> str:
    setup = {
        "configured": backend.configured,
        "config": cms_config(backend, files, site_url),
        "formats": {
            format_name(data_file): {"file": data_file.path, **format_rules(data_file.model)}
            for data_file in files
        },
    }
    text = json.dumps(setup, ensure_ascii=False, indent=1, sort_keys=True)
    return (
        "// Generated from the models (generator/redaktion/config.py); do not edit.\n"
        "window.CMS_MANUAL_INIT = true;\n"
        f"window.FM_REDAKTION = {text};\n"
    )


def _index_html(backend: Backend, site_name: str) -> str:
    title = escape(f"Redaktion – {site_name}")
    policy = escape(page_policy(backend))
    scripts = (
        "konfiguration.js",
        "vendor/js-yaml/js-yaml.min.js",
        "format.js",
        "vendor/decap-cms/decap-cms.js",
        "redaktion.js",
    )
    tags = "\n".join(f'  <script src="{src}"></script>' for src in scripts)
    return f"""<!doctype html>
<html lang="de">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" {OWN_POLICY} content="{policy}">
  <meta name="robots" content="noindex, nofollow">
  <meta name="referrer" content="same-origin">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
  <link rel="icon" href="../assets/images/favicon.png">
  <link rel="stylesheet" href="redaktion.css">
</head>
<body>
  <noscript><p class="fm-hinweis">Die Redaktionsseite braucht JavaScript.</p></noscript>
  <div id="fm-nicht-eingerichtet" class="fm-hinweis" hidden>
    <h1>Die Redaktionsseite ist noch nicht eingerichtet</h1>
    <p>In <code>mkdocs.yml</code> fehlt das Repository, in dem die Daten liegen
    (<code>redaktion_repo</code>). Wie eine Administratorin oder ein Administrator das
    einmal einrichtet, steht in <code>EDITING.md</code> im Abschnitt
    „Einrichtung der Redaktionsseite“.</p>
  </div>
{tags}
</body>
</html>
"""


STYLE = """/* The editing page; the CMS styles itself. */
.fm-hinweis { max-width: 40rem; margin: 3rem auto; padding: 0 1rem;
  font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1b; }
.fm-datum { display: flex; gap: 0.5rem; align-items: center; }
.fm-datum input[type="text"] { flex: 1; font: inherit; border: 0; background: transparent;
  color: inherit; }
.fm-datum input[type="date"] { font: inherit; }
/* Decap's grey text (#798291: 3.9:1 on white, 3.4:1 on its light grey) is below the
   4.5:1 of WCAG 1.4.3; here a darker grey (6.6:1 and 5.8:1). The current page's link keeps
   its blue, a pointed-at one its hover colour. Decap's class names carry the component's
   name; :root outweighs its single class. */
:root [class*="-AppHeaderButton"]:not([aria-current], :hover),
:root [class*="-SidebarNavLink"]:not([aria-current], :hover),
:root [class*="-CollectionTopDescription"],
:root [class*="-WorkflowTopDescription"],
:root [class*="-CardDateContainer"],
:root [class*="-ColumnCount"] { color: #555d6b; }
:root [class*="-WorkflowTopRow"] [class*="-StyledDropdownButton"]:not(:hover) {
  background-color: #555d6b; }
/* Its teal status and publish buttons (#17a2b8: 2.7:1 on light teal, 3.0:1 under white
   text) and its messages (white on #07bc0c is 2.6:1) in darker shades, 4.9:1 or more. */
:root [class*="-StatusButton"] { color: #0e6574; }
:root [class*="-PublishButton"]:not([disabled]) { background-color: #0e6574; }
html:root {
  --toastify-color-success: #1e7b34;
  --toastify-color-error: #c0392b;
  --toastify-color-info: #1f6fa8;
  --toastify-color-warning: #8a6d00;
}
"""


def redaktion_outputs(backend: Backend, site_url: str = "") -> list[OutputFile]:
    """Every file of the editing page."""
    package = resources.files("generator.redaktion")
    files = data_files(backend.managers_path, backend.events_path)
    site_name = backend.site_name
    return [
        OutputFile(f"{PAGE_DIR}/index.html", _index_html(backend, site_name)),
        OutputFile(f"{PAGE_DIR}/redaktion.css", STYLE),
        OutputFile(f"{PAGE_DIR}/konfiguration.js", _setup_script(backend, files, site_url)),
        OutputFile(f"{PAGE_DIR}/format.js", (package / "format.js").read_text(encoding="utf-8")),
        OutputFile(
            f"{PAGE_DIR}/redaktion.js", (package / "redaktion.js").read_text(encoding="utf-8")
        ),
        *_vendor_outputs(),
    ]
