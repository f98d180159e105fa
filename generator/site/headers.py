"""Security headers for the common static hosts, written into the site's root.

Every page already carries its Content-Security-Policy as a ``<meta>`` (see
:mod:`generator.site.csp`). A ``<meta>`` policy cannot say who may frame the page
(``frame-ancestors`` is ignored there), and ``nosniff``, the referrer policy and the
permissions policy exist only as headers. So the host sends these:

- ``_headers``: Netlify and Cloudflare Pages read it from the published folder.
- ``.htaccess``: Apache with ``AllowOverride FileInfo`` (mod_headers).
- nginx has no per-site file; the README shows the matching ``add_header`` lines.

The header policy holds only directives that do not compete with the page's own: a page
is bound by both policies, so a header ``script-src`` without the page's hashes would
block Material's inline scripts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.site.outputs import OutputFile

#: The policy in the header: what a <meta> policy cannot do, and the page's hard limits again.
HEADER_POLICY = "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"

#: Header name and value, in the order the files list them.
SECURITY_HEADERS: tuple[tuple[str, str], ...] = (
    ("Content-Security-Policy", HEADER_POLICY),
    # For browsers without frame-ancestors.
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    # The browsers' default, stated: the tile host sees the site's origin, never the page
    # (OpenStreetMap's tile usage policy asks for a valid Referer).
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), geolocation=(), microphone=(), payment=(), usb=()"),
)


def netlify_headers() -> str:
    """``_headers`` for Netlify and Cloudflare Pages: every path gets the headers."""
    lines = ["# Security headers (Netlify, Cloudflare Pages); written by the generator.", "/*"]
    lines += [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    return "\n".join(lines) + "\n"


def apache_htaccess(site_url: str = "") -> str:
    """``.htaccess`` for Apache; the 404 page at the site's path (root when unknown)."""
    base = urlsplit(site_url).path or "/"
    if not base.endswith("/"):
        base += "/"
    lines = [
        "# Security headers for Apache (needs mod_headers and AllowOverride FileInfo);",
        "# written by the generator. Every page also carries its own",
        "# Content-Security-Policy as <meta http-equiv>.",
        "<IfModule mod_headers.c>",
    ]
    lines += [f'    Header always set {name} "{value}"' for name, value in SECURITY_HEADERS]
    lines += ["</IfModule>", f"ErrorDocument 404 {base}404.html"]
    return "\n".join(lines) + "\n"


def nginx_snippet() -> str:
    """The ``add_header`` lines for an nginx ``server`` block (shown in the README)."""
    return "".join(f'add_header {name} "{value}" always;\n' for name, value in SECURITY_HEADERS)


def header_outputs(site_url: str = "") -> list[OutputFile]:
    return [
        OutputFile(".htaccess", apache_htaccess(site_url)),
        OutputFile("_headers", netlify_headers()),
    ]
