"""The Content-Security-Policy: hashes of exactly the scripts a page runs, a <meta> before
any script on every page, the header files for static hosts, and zero violations in
Chromium on every page type, before and after map consent, while an unknown script is
refused."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, TEST_EPOCH, build_site, copy_project, serve_directory
from test_a11y_engines import PAGES, open_page_type
from test_map_browser import BASEMAP, MAP, MARKERS, agree, serve_tiles

from generator.map.tiles import TILE_PRESETS
from generator.site.content_scripts import (
    ContentScripts,
    allowed_hashes,
    content_script_problems,
    find_scripts,
)
from generator.site.csp import (
    OWN_POLICY,
    PagePolicy,
    PolicyStamp,
    for_page,
    image_source,
    inline_scripts,
    page_hashes,
    script_hash,
    with_policy,
    write_order,
)
from generator.site.headers import HEADER_POLICY, apache_htaccess, nginx_snippet

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


# --- the pure module ---------------------------------------------------------------------


def test_hash_matches_the_example_of_the_csp_specification():
    # CSP Level 2/3, "hash-source" example: <script>alert('Hello, world.');</script>
    expected = "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
    assert script_hash("alert('Hello, world.');") == expected


def test_only_scripts_that_run_are_hashed():
    html = (
        "<head><script>a()</script><script src='x.js'></script>"
        '<script type="application/json">{"b": 1}</script>'
        '<script type="application/ld+json">{"@type": "Event"}</script>'
        '<script type="module">c()</script><SCRIPT TYPE="text/javascript">d()\r\n</SCRIPT>'
        "<script>if (1 < 2) e('</p>')</script></head>"
    )
    assert inline_scripts(html) == ["a()", "c()", "d()\n", "if (1 < 2) e('</p>')"]


def test_scripts_are_found_as_the_browser_tokenizes_them():
    html = (
        "<!-- an old <script> in a comment --><script data-note='a > b'>f()</script>"
        "<!--><script>i()</script><!-- x --!><script>j()</script>"
        '<p title="<script>g()</script>">text</p>'
        "<script>h('</scripts>')</script >"
        '<script type="application/json" type="module">{}</script>'
    )
    # A comment and an attribute value hold no script; "</scripts" does not end one; the
    # first of two type attributes counts.
    assert inline_scripts(html) == ["f()", "i()", "j()", "h('</scripts>')"]


def test_tile_hosts_become_image_sources():
    basemap = TILE_PRESETS["basemap.de"].url
    assert image_source(basemap) == "https://sgx.geodatenzentrum.de"
    assert image_source("https://{s}.Tile.example.org:8443/{z}/{x}/{y}.png") == (
        "https://*.tile.example.org:8443"
    )
    assert image_source("/kacheln/{z}/{x}/{y}.png") is None
    policy = PagePolicy.for_tile_urls([basemap, basemap, "/kacheln/{z}/{x}/{y}.png"])
    assert policy.image_sources == ("https://sgx.geodatenzentrum.de",)


def test_meta_comes_after_the_charset_and_before_every_script():
    html = '<html><head>\n<meta charset="utf-8">\n<script>x()</script></head></html>'
    done = with_policy(html, PagePolicy().for_pages([html, "<head><script>y()</script>"]))
    assert done.index('<meta charset="utf-8">') < done.index("Content-Security-Policy")
    assert done.index("Content-Security-Policy") < done.index("<script>")
    policy = META.search(done).group(1)
    both = sorted([script_hash("x()"), script_hash("y()")])
    assert f"script-src 'self' {both[0]} {both[1]};" in policy
    # A dirty build rewrites the policy of a page it kept instead of adding a second.
    again = with_policy(done, "default-src 'none'")
    assert META.findall(again) == ["default-src 'none'"]
    with pytest.raises(ValueError, match="<head>"):
        with_policy("<p>no head</p>", policy)


def test_pages_stamped_before_a_new_script_get_the_final_policy(tmp_path):
    stamp = PolicyStamp(PagePolicy())
    written = {
        "a.html": "<head><meta charset=utf-8><script>x()</script></head>",
        "b.html": "<head><script>x()</script><script>y()</script></head>",
        "c.html": "<head><script>y()</script></head>",
    }
    for name, html in written.items():
        (tmp_path / name).write_text(stamp.stamp(str(tmp_path / name), html))
    # A page the engine copied without handing it over (an HTML file in content/) is
    # hand-written: it gets the policy, its script no hash.
    (tmp_path / "d.html").write_text("<head><script>z()</script></head>")
    assert stamp.finish(tmp_path) == 2  # a is written again, d gets its policy
    policies = {META.search((tmp_path / f"{n}.html").read_text()).group(1) for n in "abcd"}
    assert len(policies) == 1
    policy = policies.pop()
    assert all(script_hash(f"{f}()") in policy for f in "xy")
    assert script_hash("z()") not in policy
    again = PolicyStamp(PagePolicy())
    for name in ("b.html", "a.html"):  # the first page has every script: no second write
        again.stamp(str(tmp_path / name), written[name])
    (tmp_path / "d.html").unlink()
    (tmp_path / "c.html").unlink()
    assert again.finish(tmp_path) == 0


def test_a_page_with_its_own_policy_is_left_alone(tmp_path):
    """The editing page (/redaktion/) carries the policy Decap CMS needs, marked as its
    own: the site's policy neither replaces it nor learns its scripts."""
    own = (
        "<!doctype html><html><head><meta charset=utf-8>\n"
        f'<meta http-equiv="Content-Security-Policy" {OWN_POLICY} content="script-src \'self\'">'
        "<script>cms()</script></head></html>"
    )
    (tmp_path / "redaktion.html").write_text(own)
    (tmp_path / "other.html").write_text("<head><script>z()</script></head>")
    stamp = PolicyStamp(PagePolicy())
    assert stamp.finish(tmp_path) == 1
    assert (tmp_path / "redaktion.html").read_text() == own
    policy = META.search((tmp_path / "other.html").read_text()).group(1)
    # a page MkDocs did not stamp was copied from content/: its scripts get no hash
    assert script_hash("z()") not in policy and script_hash("cms()") not in policy
    # A marker elsewhere in a page (say, in text) does not exempt it.
    (tmp_path / "other.html").write_text(f"<head><meta charset=utf-8></head><p>{OWN_POLICY}</p>")
    assert PolicyStamp(PagePolicy()).finish(tmp_path) == 1
    assert META.search((tmp_path / "other.html").read_text())


def test_pages_with_their_own_scripts_and_one_of_each_depth_are_written_first():
    pages = ["index.html", "a/index.html", "a/b/index.html", "a/c/index.html", "karte/index.html"]
    assert write_order(pages, {"karte/index.html"}) == [
        "karte/index.html",
        "index.html",
        "a/index.html",
        "a/b/index.html",
        "a/c/index.html",
    ]


# --- scripts in hand-written pages --------------------------------------------------------

#: Markup that runs (or may run) a script, each with what the message names.
HOSTILE = {
    "<script>alert(1)</script>": "<script>",
    "<SCRIPT>alert(1)</SCRIPT>": "<script>",
    "<script type=module>alert(1)</script>": "<script>",
    '<script type="text/javascript; charset=utf-8">alert(1)</script>': "<script>",
    "<script/x>alert(1)</script>": "<script>",
    '<script src="/assets/eigenes.js"></script>': "<script>",
    "<svg><script>alert(1)</script></svg>": "<script>",
    "<img src=x onerror=alert(1)>": "onerror",
    '<img/src="x"/onerror=alert(1)>': "onerror",
    "<svg onload=alert(1)>": "onload",
    "<details open ONTOGGLE  =  alert(1)>": "ontoggle",
    # The quote belongs to the name a"b, so the tag does not end at the ">" in the value.
    """<p a"b='>' onclick=alert(1)>x</p>""": "onclick",
    # Inside <textarea> "<!--" starts no comment: the browser runs the image's handler.
    "<textarea><!--</textarea><img src=x onerror=alert(1)>--></textarea>": "onerror",
    '<a href="&#106;avascript:alert(1)">x</a>': "href",
    '<a href="jav&#x09;ascript&colon;alert(1)">x</a>': "href",
    '<a href=" \tJaVa\nScRiPt:alert(1)">x</a>': "href",
    '<form><button formaction="javascript:alert(1)">x</button></form>': "formaction",
    '<svg><a><animate attributeName="href" values="javascript:alert(1)"/></a></svg>': "values",
    '<svg><set attributeName="onclick" to="alert(1)"/></svg>': "attributename",
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>': "srcdoc",
    '<iframe srcdoc="<img src=x onerror=alert(1)>"></iframe>': "onerror",
    '<meta http-equiv="refresh" content="0; url=javascript:alert(1)">': "content",
}

#: Markup and text that runs nothing.
HARMLESS = [
    '<script type="application/ld+json">{"@type": "Organization"}</script>',
    "<p>&lt;script&gt;alert(1)&lt;/script&gt; ist nur Text.</p>",
    "<p>Anmeldung online=ja, Ablauf: javascript: lernen</p>",
    '<p><a href="https://example.org/javascript">Kurs</a> <img alt="" src="bild.png"></p>',
    '<p class="one" data-onclick="x">Text</p>',
    # An unquoted value runs to the next space: "/onerror=…" is part of the address.
    "<img src=x/onerror=alert(1)>",
]


@pytest.mark.parametrize("markup", list(HOSTILE))
def test_every_way_to_a_script_is_found(markup):
    fields = {finding.field for finding in find_scripts(markup)}
    assert HOSTILE[markup] in fields, fields


@pytest.mark.parametrize("markup", HARMLESS)
def test_text_and_data_blocks_are_no_scripts(markup):
    assert find_scripts(markup) == []


IMPRESSUM = """---
title: Impressum
description: "Angaben nach § 5 DDG"
---

# Impressum

Text mit [Link](https://example.org){ onclick="alert(2)" }.

<script>
alert("Hallo");
</script>

<div markdown>
<script>alert("Hallo")</script>
</div>

[weiter](javascript:alert(3))
"""


def test_a_pasted_script_is_named_by_file_line_and_hash():
    html = (
        '<h1 id="impressum">Impressum</h1>\n<p>Text mit <a href="https://example.org" '
        'onclick="alert(2)">Link</a>.</p>\n<script>\nalert("Hallo");\n</script>\n'
        '<div markdown>\n<script>alert("Hallo")</script>\n</div>\n'
        '<p><a href="javascript:alert(3)">weiter</a></p>'
    )
    problems, used = content_script_problems("content/impressum.md", IMPRESSUM, html)
    assert used == set()
    lines = [(p.line, p.field) for p in problems]
    assert lines == [(8, "onclick"), (10, "<script>"), (15, "<script>"), (18, "href")]
    first = next(p for p in problems if p.line == 10)
    plain = script_hash('\nalert("Hallo");\n').strip("'")
    assert str(first).startswith("content/impressum.md:10: <script>: ein Skript in einer")
    assert f"Hash „{plain}“ in mkdocs.yml beim Plugin familienmanager unter erlaubte_skripte" in (
        first.message
    )
    # Allowed by its hash: that script passes, the other one does not.
    allowed, wrong = allowed_hashes([plain])
    problems, used = content_script_problems("content/impressum.md", IMPRESSUM, html, (), allowed)
    assert [p.line for p in problems] == [8, 15, 18]
    assert used == {f"'{plain}'"} and wrong == []


def test_front_matter_the_theme_shows_unescaped_is_checked():
    source = "---\ntitle: Impressum\ndescription: 'x\"><script>alert(1)</script>'\n---\n"
    problems, _ = content_script_problems(
        "content/impressum.md", source, "<p>Text</p>", ["Impressum", 'x"><script>alert(1)</script>']
    )
    assert [(p.line, p.field) for p in problems] == [(3, "<script>")]


def test_allowed_hashes_are_checked(tmp_path):
    good = script_hash("x()").strip("'")
    allowed, wrong = allowed_hashes([good, f"'{good}'", "sha256-kurz", "sha384-" + "A" * 64])
    assert allowed == {f"'{good}'"}
    assert wrong == ["sha256-kurz", "sha384-" + "A" * 64]
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "plugins:\n  - familienmanager:\n      erlaubte_skripte:\n        - sha256-kurz\n"
    )
    scripts = ContentScripts(["sha256-kurz"], config)
    assert [str(p) for p in scripts.problems] == [
        "mkdocs.yml:4: erlaubte_skripte: „sha256-kurz“ ist kein Skript-Hash. Schreiben Sie "
        "den Hash aus der Meldung zur Inhaltsseite ab, z. B. sha256-… (44 Zeichen nach "
        "„sha256-“)."
    ]


def test_the_policy_hashes_no_script_from_a_page_of_its_own_text():
    """Defence in depth: should a content script slip past the check, it gets no hash."""
    theme = "<head><meta charset=utf-8><script>__md_scope = 1</script></head>"
    content = '<p>Text</p><script>alert("pasted")</script>'
    title = 'T<script>alert("title")'  # unfinished: runs on to the theme's next </script>
    page = theme + f"<body><article>{content}</article><nav>{title}</nav>"
    page += "<footer><script>footer()</script></footer></body>"
    taken_over = 'alert("title")</nav><footer><script>footer()'
    assert page_hashes(page) == {
        script_hash("__md_scope = 1"),
        script_hash('alert("pasted")'),
        script_hash(taken_over),
    }
    assert page_hashes(page, [content, title]) == {script_hash("__md_scope = 1")}
    stamp = PolicyStamp(PagePolicy())
    stamp.distrust([content, title, "<p>ohne Skript</p>"], ["'sha256-erlaubt'"])
    assert stamp.untrusted == (content, title)
    stamped = META.search(stamp.stamp("x.html", page)).group(1)
    assert "'sha256-erlaubt'" in stamped and script_hash('alert("pasted")') not in stamped


# --- the built site ----------------------------------------------------------------------


def test_every_page_carries_the_policy_with_the_hashes_of_all_pages(built_site):
    """One policy everywhere: with instant navigation the first page's policy must allow
    the scripts of every page swapped in after it."""
    # The editing page has its own policy (tests/test_redaktion.py).
    pages = [
        path
        for path in sorted(built_site.rglob("*.html"))
        if path.relative_to(built_site).parts[0] != "redaktion"
    ]
    assert len(pages) > 400
    hashes: set[str] = set()
    found: set[str] = set()
    for path in pages:
        html = path.read_text(encoding="utf-8")
        policies = META.findall(html)
        assert len(policies) == 1, path
        found.add(policies[0])
        first_script = html.find("<script")
        assert first_script == -1 or html.index("Content-Security-Policy") < first_script, path
        hashes |= {script_hash(text) for text in inline_scripts(html)}
    assert len(found) == 1
    policy = found.pop()
    assert "unsafe-inline" not in policy and "'unsafe-eval'" not in policy
    script_src = re.search(r"script-src ([^;]*);", policy).group(1).split()
    # Every page has the header search, whose index runs in WebAssembly (Pagefind):
    # 'wasm-unsafe-eval' allows that and no JavaScript eval.
    assert script_src == ["'self'", "'wasm-unsafe-eval'", *sorted(hashes)]
    assert "worker-src 'self';" in policy  # Pagefind's worker, from the site itself
    # Material's palette and hash-target scripts, its scope script at five depths
    # (root, 404 page, 1-3 levels) and the map's set-up: nothing else runs inline.
    assert len(hashes) == 8
    assert "img-src 'self' data: https://sgx.geodatenzentrum.de;" in policy
    assert "object-src 'none'; base-uri 'self'; form-action 'self'" in policy


def test_header_files_for_static_hosts_are_in_the_site_root(built_site):
    headers = (built_site / "_headers").read_text(encoding="utf-8")
    assert headers.splitlines()[1] == "/*"
    assert f"  Content-Security-Policy: {HEADER_POLICY}" in headers
    assert "  X-Content-Type-Options: nosniff" in headers
    htaccess = (built_site / ".htaccess").read_text(encoding="utf-8")
    assert f'Header always set Content-Security-Policy "{HEADER_POLICY}"' in htaccess
    assert "ErrorDocument 404 /404.html" in htaccess
    assert "frame-ancestors 'none'" in HEADER_POLICY


def test_htaccess_finds_the_404_page_under_the_site_path():
    assert "ErrorDocument 404 /familie/404.html" in apache_htaccess("https://example.org/familie")


def test_readme_shows_the_nginx_lines_the_generator_knows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for line in nginx_snippet().splitlines():
        assert line in readme


# --- Chromium ----------------------------------------------------------------------------

#: Records every violation the page reports, from the first script on.
RECORD = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.effectiveDirective} blocked ${e.blockedURI} ${e.sample}`));
"""


def watch(page) -> list[str]:
    """Violation events and Chromium's "Refused to …" console messages of ``page``."""
    refused: list[str] = []
    page.add_init_script(RECORD)
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or message.text.startswith("Refused to")
            else None
        ),
    )
    return refused


def violations(page, refused: list[str]) -> list[str]:
    return [*page.evaluate("window.__csp"), *refused]


def open_map_after_consent(page, site_url: str) -> None:
    """Consent from an earlier visit: the map starts with the page, a popup opens."""
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    page.get_by_role("button", name="Auf der Karte zeigen: Bochum").click()
    page.locator(".leaflet-popup-content").wait_for()


def open_finder_result(page, site_url: str) -> None:
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW").fill("Kreuzau")
    page.get_by_role("option").first.click()
    page.locator("#finder-ergebnis").wait_for()


def open_missing_page(page, site_url: str) -> None:
    """404.html served for a missing address, as a web server does."""
    missing = site_url + "/termine/2099/01/gibt-es-nicht/"
    body = page.request.get(site_url + "/404.html").text()
    page.route(
        missing, lambda route: route.fulfill(status=404, body=body, content_type="text/html")
    )
    page.goto(missing)


CSP_PAGES = {
    **PAGES,
    "map-after-consent-stored": open_map_after_consent,
    "finder": open_finder_result,
    "municipality": "/familienmanager/kommunen/kreuzau/",
    "404-deep": open_missing_page,
}


@pytest.mark.browser
@pytest.mark.parametrize("kind", list(CSP_PAGES))
def test_no_violations_on_any_page_type(page, site_url, built_site, kind):
    refused = watch(page)
    target = CSP_PAGES[kind]
    if kind in PAGES:
        open_page_type(page, site_url, built_site, kind)
    elif callable(target):
        target(page, site_url)
    else:
        page.goto(site_url + target)
    page.wait_for_load_state("networkidle")
    # The hashed inline scripts ran: Material's scope script and its bundle after it.
    assert page.evaluate("typeof __md_get") == "function"
    assert page.locator("html.js").count() == 1
    if kind.startswith("map"):
        assert page.evaluate("typeof window.familienmanagerKarte") == "function"
    assert violations(page, refused) == []


@pytest.mark.browser
def test_no_violations_when_the_visitor_agrees_and_searches(page, site_url):
    """The consent click loads tiles from the configured host; the search's worker and
    WebAssembly start (Pagefind) and find the place."""
    refused = watch(page)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    with page.expect_request(lambda request: BASEMAP in request.url):
        page.get_by_role("button", name="Karte laden").click()
    page.wait_for_selector(MARKERS)
    page.wait_for_load_state("networkidle")
    query = page.get_by_role("textbox", name="Suche")
    query.click()
    query.press_sequentially("Herzogenrath")
    page.locator(".md-search-result a[href$='/kommunen/herzogenrath/']").first.wait_for()
    assert violations(page, refused) == []


def tampered(page, site_url: str, path: str, change) -> None:
    """Serve ``path`` with ``change`` applied to its HTML (the policy stays as built)."""
    html = page.request.get(site_url + path).text()
    page.route(
        site_url + path, lambda route: route.fulfill(body=change(html), content_type="text/html")
    )
    page.goto(site_url + path)
    page.wait_for_load_state("load")


@pytest.mark.browser
def test_an_injected_script_is_refused(page, site_url):
    refused = watch(page)
    injected = "<script>window.__injected = true</script>"
    tampered(
        page,
        site_url,
        "/impressum/",
        lambda html: html.replace("</article>", injected + "</article>"),
    )
    assert page.evaluate("typeof window.__injected") == "undefined"
    found = violations(page, refused)
    assert any(v.startswith("script-src-elem blocked inline") for v in found), found
    # Material's own, hashed scripts still ran.
    assert page.evaluate("typeof __md_get") == "function"


@pytest.mark.browser
def test_a_changed_script_loses_its_hash(page, site_url):
    refused = watch(page)
    tampered(
        page,
        site_url,
        MAP,
        lambda html: html.replace(
            "window.familienmanagerKarte =", "window.familienmanagerKarte  ="
        ),
    )
    assert page.evaluate("typeof window.familienmanagerKarte") == "undefined"
    assert any("script-src-elem" in v for v in violations(page, refused))


@pytest.mark.browser
def test_an_image_from_a_foreign_host_is_refused(page, site_url):
    refused = watch(page)
    page.route("https://bilder.example.org/**", lambda route: route.abort())
    image = '<img alt="" src="https://bilder.example.org/x.png">'
    tampered(
        page, site_url, "/impressum/", lambda html: html.replace("</article>", image + "</article>")
    )
    found = violations(page, refused)
    assert any(v.startswith("img-src blocked https://bilder.example.org/x.png") for v in found), (
        found
    )


def test_built_policy_is_what_the_module_computes(built_site: Path):
    pages = [p.read_text(encoding="utf-8") for p in sorted(built_site.rglob("*.html"))]
    policy = META.search(pages[0]).group(1)
    without = [META.sub("", html, count=1) for html in reversed(pages)]
    tiles = PagePolicy.for_tile_urls([TILE_PRESETS["basemap.de"].url])
    assert for_page(tiles.for_pages(without), pages[0]) == policy


def test_webassembly_is_allowed_only_where_the_search_is():
    """'wasm-unsafe-eval' (Pagefind's index in the header search) on pages with the
    search, not on others; never 'unsafe-eval'."""
    policy = PagePolicy().for_hashes([])
    searching = '<html><head><meta charset="utf-8"></head><body><div id="fm-search"></div>'
    plain = '<html><head><meta charset="utf-8"></head><body><p>Karte</p>'
    assert "script-src 'self' 'wasm-unsafe-eval';" in for_page(policy, searching)
    assert for_page(policy, plain) == policy and "wasm" not in policy
    stamp = PolicyStamp(PagePolicy())
    assert "'wasm-unsafe-eval'" in stamp.stamp("a.html", searching)
    assert "'wasm-unsafe-eval'" not in stamp.stamp("b.html", plain)
    assert "'unsafe-eval'" not in stamp.stamp("c.html", searching)


# --- a hand-written page with a script, built --------------------------------------------

PASTED = "<script>window.__pasted = true</script>"


def paste_into_impressum(project: Path, markup: str = PASTED) -> int:
    """Append ``markup`` to content/impressum.md; returns its line."""
    page = project / "content" / "impressum.md"
    text = page.read_text(encoding="utf-8").rstrip("\n") + "\n\n"
    page.write_text(text + markup + "\n", encoding="utf-8")
    return text.count("\n") + 1


def test_a_script_in_a_content_page_stops_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    line = paste_into_impressum(project)
    result = build_site(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode != 0
    plain = script_hash("window.__pasted = true").strip("'")
    assert (
        f"content/impressum.md:{line}: <script>: ein Skript in einer Inhaltsseite wird nicht "
        f"veröffentlicht. Löschen Sie das <script>-Element. Ist es gewollt und geprüft, "
        f"tragen Sie seinen Hash „{plain}“ in mkdocs.yml beim Plugin familienmanager unter "
        "erlaubte_skripte ein."
    ) in result.stderr
    assert "Es wurde nichts veröffentlicht." in result.stderr
    assert not (tmp_path / "site" / "impressum").exists()


def test_a_script_allowed_by_its_hash_builds(tmp_path):
    project = copy_project(tmp_path / "project")
    paste_into_impressum(project)
    plain = script_hash("window.__pasted = true").strip("'")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace(
        "      sample_data: true\n", f"      sample_data: true\n      erlaubte_skripte: [{plain}]\n"
    )
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build_site(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode == 0, result.stderr
    policy = META.search((tmp_path / "site" / "index.html").read_text()).group(1)
    assert f"'{plain}'" in policy
    assert len(re.search(r"script-src ([^;]*);", policy).group(1).split()) == 2 + 8 + 1


#: The build with the check switched off, as if a script had slipped past it.
WITHOUT_CHECK = (
    "import generator.site.content_scripts as c\n"
    "c.content_script_problems = lambda *args: ([], set())\n"
    "from mkdocs.__main__ import cli\n"
    "cli()"
)


@pytest.fixture(scope="module")
def slipped_through(tmp_path_factory) -> Path:
    """A site whose Impressum holds a script the check did not see."""
    folder = tmp_path_factory.mktemp("slipped")
    project = copy_project(folder / "project")
    paste_into_impressum(project)
    site = folder / "site"
    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_CHECK, "build", "--site-dir", str(site)],
        cwd=project,
        env={**os.environ, "SOURCE_DATE_EPOCH": TEST_EPOCH, "SITE_URL": ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert PASTED in (site / "impressum" / "index.html").read_text(encoding="utf-8")
    return site


def test_a_script_that_slipped_through_gets_no_hash(slipped_through):
    pages = [p.read_text() for p in slipped_through.rglob("*.html")]
    # the editing page carries a policy of its own (test_a_page_with_its_own_policy_…)
    policies = {META.search(page).group(1) for page in pages if OWN_POLICY not in page}
    assert len(policies) == 1
    policy = policies.pop()
    assert script_hash("window.__pasted = true") not in policy
    assert len(re.search(r"script-src ([^;]*);", policy).group(1).split()) == 2 + 8


@pytest.mark.browser
def test_a_script_that_slipped_through_is_refused_by_the_browser(page, slipped_through):
    server, url = serve_directory(slipped_through)
    try:
        refused = watch(page)
        page.goto(url + "/impressum/")
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.__pasted") == "undefined"
        found = violations(page, refused)
        assert any(v.startswith("script-src-elem blocked inline") for v in found), found
        # The theme's own, hashed scripts ran.
        assert page.evaluate("typeof __md_get") == "function"
    finally:
        server.shutdown()


#: Markdown that turns into a script, each with the field the message names.
MARKDOWN_WAYS = [
    ("## Kontakt { onclick=alert(1) }", "onclick"),
    ("[Formular][f]\n\n[f]: javascript:alert(2)", "href"),
    ("![Bild](javascript:alert(3))", "src"),
    ('<div>\n<a href="&#106;avascript:alert(4)">x</a>\n</div>', "href"),
    ("<SCRIPT>alert(5)</SCRIPT>", "<script>"),
    ("<!-- <script>alert(6)</script> -->", "<script>"),
    ('<svg><a><animate attributeName="href" values="javascript:alert(7)"/></a></svg>', "values"),
    ('<iframe title="x" srcdoc="&lt;img src=x onerror=alert(8)&gt;"></iframe>', "srcdoc"),
]


def test_markdown_that_turns_into_a_script_is_named_by_its_line(tmp_path):
    project = copy_project(tmp_path / "project")
    lines = [paste_into_impressum(project, markdown) for markdown, _ in MARKDOWN_WAYS]
    # Shown as code, a script is text: no message.
    paste_into_impressum(project, "`<script>alert(9)</script>`\n\n    <script>alert(10)</script>")
    # A hand-written HTML file and the front matter of another page.
    (project / "content" / "alt.html").write_text(
        "<!doctype html>\n<title>alt</title>\n<p onmouseover='alert(11)'>x</p>\n"
    )
    index = project / "content" / "familienmanager" / "index.md"
    text = index.read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: Familienmanagerinnen und -manager\n")
    text = text.replace("title: Familienmanagerinnen", 'title: "<script>alert(12)</script>', 1)
    index.write_text(text.replace("-manager\n", '-manager"\n', 1), encoding="utf-8")
    result = build_site(tmp_path / "site", config=project / "mkdocs.yml")
    assert result.returncode != 0
    reported = re.findall(r"^(\S+?):(\d+): (\S+): ", result.stderr, re.MULTILINE)
    # The line of the script is the line with its "alert(": a link's definition, say.
    expected = {
        (
            "content/impressum.md",
            str(line + markdown[: markdown.index("alert(")].count("\n")),
            field,
        )
        for line, (markdown, field) in zip(lines, MARKDOWN_WAYS, strict=True)
    }
    expected |= {
        ("content/alt.html", "3", "onmouseover"),
        ("content/familienmanager/index.md", "2", "<script>"),
    }
    assert set(reported) == expected, result.stderr
    assert f"{len(expected)} Fehler gefunden. Es wurde nichts veröffentlicht." in result.stderr
