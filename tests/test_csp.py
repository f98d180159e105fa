"""The Content-Security-Policy: hashes of exactly the scripts a page runs, a <meta> before
any script on every page, the header files for static hosts, and zero violations in
Chromium on every page type, before and after map consent, while an unknown script is
refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, TEST_NOW
from test_a11y_engines import PAGES, open_page_type
from test_map_browser import BASEMAP, MAP, MARKERS, agree, serve_tiles

from generator.map.tiles import TILE_PRESETS
from generator.site.csp import (
    OWN_POLICY,
    PagePolicy,
    PolicyStamp,
    image_source,
    inline_scripts,
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
    # A page the engine wrote without handing it over brings a script of its own.
    (tmp_path / "d.html").write_text("<head><script>z()</script></head>")
    assert stamp.finish(tmp_path) == 4  # a, b and c are written again, d gets its policy
    policies = {META.search((tmp_path / f"{n}.html").read_text()).group(1) for n in "abcd"}
    assert len(policies) == 1
    policy = policies.pop()
    assert all(script_hash(f"{f}()") in policy for f in "xyz")
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
    assert script_hash("z()") in policy and script_hash("cms()") not in policy
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
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    script_src = re.search(r"script-src ([^;]*);", policy).group(1).split()
    assert script_src == ["'self'", *sorted(hashes)]
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
    """The consent click loads tiles from the configured host; the search worker starts."""
    page.clock.set_system_time(TEST_NOW)  # Material's search needs a running clock
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
    page.locator(".md-search-result__item").first.wait_for()
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
    assert tiles.for_pages(without) == policy
