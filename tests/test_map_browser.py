"""The manager map in headless Chromium: consent before any tile request, markers and
popups from the data file, the filter, keyboard access, axe-core, hostile data and
Material's instant navigation."""

from __future__ import annotations

import shutil

import pytest
from conftest import (
    BASEMAP,
    MAP,
    MARKERS,
    ROOT,
    STORE_KEY,
    agree,
    axe_violations,
    build_site,
    foreign_hosts,
    open_context,
    serve_directory,
    serve_tiles,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

OSM = "tile.openstreetmap.org"
#: Counts of what karte.js put on the map (its state is shared on window).
CLUSTER = "window.__familienmanagerKarte.current.cluster.getLayers().length"


def test_before_consent_no_request_leaves_the_site(page, site_url):
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_load_state("networkidle")
    placeholder = page.locator("#karte-zustimmung")
    assert placeholder.is_visible()
    assert BASEMAP in placeholder.inner_text()
    privacy = placeholder.get_by_role("link", name="Datenschutzerklärung")
    assert privacy.evaluate("a => a.href") == site_url + "/datenschutz/"
    assert page.locator(".leaflet-container").count() == 0
    assert page.locator("#karte-liste h5").count() > 10  # the list needs no consent
    assert foreign_hosts(page) == set()


def test_consent_loads_markers_and_tiles_from_the_configured_host_only(page, site_url):
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    with page.expect_request(lambda request: BASEMAP in request.url) as tile:
        page.get_by_role("button", name="Karte laden").click()
    assert "/GLOBAL_WEBMERCATOR/" in tile.value.url
    page.wait_for_selector(MARKERS)
    # The scroll wheel scrolls the page and a German hint says how to zoom.
    region = page.get_by_role("region", name="Karte der Orte mit Familienmanagerinnen")
    assert "Strg" in region.get_attribute("data-gesture-handling-scroll-content")
    zoom = "window.__familienmanagerKarte.current.map.getZoom()"
    before = page.evaluate(zoom)
    region.hover()
    page.mouse.wheel(0, -400)
    page.wait_for_selector(".leaflet-gesture-handling-scroll-warning")
    assert page.evaluate(zoom) == before
    assert "basemap.de" in page.locator(".leaflet-control-attribution").inner_text()
    page.wait_for_load_state("networkidle")
    assert foreign_hosts(page) == {BASEMAP}

    # The choice is remembered, and can be taken back.
    page.reload()
    page.wait_for_selector(MARKERS)
    page.get_by_role("button", name="Karte nicht mehr laden").click()
    assert page.locator("#karte-zustimmung").is_visible()
    assert page.locator("#map_karte").is_hidden()
    assert page.locator(".leaflet-pane").count() == 0
    assert page.evaluate(f"localStorage.getItem({STORE_KEY!r})") is None


def test_filter_narrows_the_list_and_the_markers(page, site_url):
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    everything = page.evaluate(CLUSTER)
    assert everything == page.locator(".karte-zeigen").count() > 10

    page.get_by_label("Orte filtern nach Stadt, Gemeinde oder Kreis").fill("kreis duren")
    status = page.get_by_role("status")
    status.filter(has_text="gefunden").wait_for()
    # textContent, not innerText: the list is laid out lazily (content-visibility: auto),
    # and Chromium reports an empty innerText for parts not yet rendered.
    shown = [t.strip() for t in page.locator("#karte-liste li:visible > h5").all_text_contents()]
    assert "Düren" in shown and "Köln" not in shown
    assert status.inner_text() == f"{len(shown)} Orte gefunden"
    assert page.evaluate(CLUSTER) == page.locator(".karte-zeigen:visible").count() < everything
    districts = page.locator("#karte-liste h4:visible").all_text_contents()
    assert [t.strip() for t in districts] == ["Kreis Düren"]

    page.get_by_label("Orte filtern nach Stadt, Gemeinde oder Kreis").fill("xyz")
    status.filter(has_text="Keine Orte gefunden").wait_for()
    assert page.evaluate(CLUSTER) == 0
    page.get_by_label("Orte filtern nach Stadt, Gemeinde oder Kreis").fill("")
    # wait_for_function takes arrow functions throughout: Playwright evaluates a bare
    # expression with eval() in the page, which the Content-Security-Policy refuses.
    page.wait_for_function(f"() => {CLUSTER} === {everything}")


def test_keyboard_reaches_a_marker_popup_through_the_list(page, site_url):
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    button = page.get_by_role("button", name="Auf der Karte zeigen: Bochum")
    button.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert popup.inner_text().startswith("Bochum\nRegierungsbezirk Arnsberg")
    assert "Kurs " in popup.inner_text()  # the list entry, cloned
    page.wait_for_function("() => document.activeElement.classList.contains('karte-popup')")
    page.keyboard.press("Escape")
    popup.wait_for(state="detached")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Auf der Karte zeigen: Bochum"
    )


#: Each marker and cluster icon with its distances to the map's edges (left, right, top, bottom).
ICON_EDGES = """() => { const m = document.querySelector('.karte__map').getBoundingClientRect();
  return [...document.querySelectorAll('.leaflet-marker-icon')].map(e => {
    const r = e.getBoundingClientRect();
    return [e.getAttribute('aria-label'), r.left - m.left, m.right - r.right, r.top - m.top, m.bottom - r.bottom];
  }); }"""


@pytest.mark.parametrize("width", [320, 375, 390, 1280])
def test_every_marker_is_whole_inside_the_first_view(browser, site_url, width):
    context = open_context(browser, viewport={"width": width, "height": 844})
    page = context.new_page()
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    page.wait_for_function("() => window.__familienmanagerKarte.current.map.getZoom() > 0")
    icons = page.evaluate(ICON_EDGES)
    names = {icon[0] for icon in icons}
    assert any(name.startswith("Höxter") for name in names), names  # the easternmost
    cut = [icon for icon in icons if min(icon[1:]) < 4]
    assert cut == [], cut
    # Framed to the markers, NRW is not left half as wide as a phone's map.
    assert page.evaluate("window.__familienmanagerKarte.current.map.getZoom()") >= 6.5
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_map_page_has_no_wcag_violations(page, site_url, scheme):
    page.emulate_media(color_scheme=scheme)
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    page.get_by_role("button", name="Auf der Karte zeigen: Bochum").click()
    page.locator(".leaflet-popup-content").wait_for()
    # Leaflet fades popups in: axe would measure contrast halfway through.
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.leaflet-popup')).opacity === '1'"
    )
    assert axe_violations(page) == []


# --- a project of our own: hostile data, OpenStreetMap tiles, instant navigation ------

#: Markup, a script end tag, attribute break-outs and a plugin placeholder in every field.
IMG = '"><img src=x onerror="window.__pwned=2">'
HOSTILE_YAML = f"""
- id: boese-1
  kommune: Nideggen
  kreis: Kreis Düren
  regierungsbezirk: Köln
  kurs: 4
  jahr: 2009
  dienststelle: '{IMG}Jugendamt</script>'
  lat: 50.69
  lon: 6.48
  kontakt:
    name: '</script><script>window.__pwned=3</script>{{{{ extra.herausgeber.name }}}}'
    email: boese@example.org
    web: 'https://example.org/"><svg/onload=window.__pwned=4>'
- id: koeln-1
  kommune: Köln
  regierungsbezirk: Köln
  kurs: 1
  jahr: 2006
  dienststelle: Jugendamt & Familienbüro
  lat: 50.94
  lon: 6.96
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile")
    for folder in ("content", "theme"):
        shutil.copytree(ROOT / folder, project / folder)
    for name in ("events.yaml", "geocache.yaml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, project / name)
    (project / "managers.yaml").write_text(HOSTILE_YAML, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (
        # A provider without consent (fine for a test, not for publishing with OSM).
        ("tiles: basemap.de\n", "tiles: openstreetmap\n      tiles_consent: false\n"),
        ("    - navigation.top\n", "    - navigation.top\n    - navigation.instant\n"),
    ):
        assert old in config, f"mkdocs.yml changed: {old!r} not found"
        config = config.replace(old, new)
    # Instant navigation only follows links listed in sitemap.xml, matched with their
    # port: the site URL is the server's, so the server starts before the build.
    server, url = serve_directory(project / "site")
    (project / "mkdocs.yml").write_text(config, encoding="utf-8")
    result = build_site(project / "site", config=project / "mkdocs.yml", site_url=f"{url}/")
    assert result.returncode == 0, result.stderr
    yield url
    server.shutdown()


def test_hostile_text_shows_as_text_and_runs_nothing(page, hostile_site):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    serve_tiles(page, OSM)  # no consent asked: the project sets tiles_consent: false
    page.goto(hostile_site + MAP)
    page.wait_for_selector(MARKERS)
    assert page.locator("#karte-zustimmung").is_hidden()
    assert page.get_by_role("button", name="Karte nicht mehr laden").is_hidden()
    place = page.locator("#ort-nideggen")
    # The list is laid out lazily (content-visibility: auto): read it where a visitor
    # would, once the browser has rendered it there.
    place.scroll_into_view_if_needed()
    expect(place.locator("h5")).to_have_text("Nideggen")
    expect(place).to_contain_text(IMG + "Jugendamt</script>")
    expect(place).to_contain_text("{{ extra.herausgeber.name }}")  # not filled in

    place.get_by_role("button", name="Auf der Karte zeigen").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert text.startswith("Nideggen\nKreis Düren, Regierungsbezirk Köln")
    assert IMG + "Jugendamt</script>" in text and "</script><script>window.__pwned=3" in text
    web = popup.get_by_role("link", name="example.org", exact=True)
    assert web.get_attribute("href") == 'https://example.org/"><svg/onload=window.__pwned=4>'
    assert page.locator(".leaflet-popup-content svg").count() == 0
    page.get_by_alt_text("Nideggen (Kreis Düren)").hover()
    assert page.locator(".leaflet-tooltip").inner_text() == "Nideggen (Kreis Düren)"
    page.get_by_role("button", name="Auf der Karte zeigen: Köln").click()
    popup.filter(has_text="Jugendamt & Familienbüro").wait_for()

    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    leaflet_images = ":not(.leaflet-tile):not(.leaflet-marker-icon):not(.leaflet-marker-shadow)"
    assert page.locator(f"#karte-bereich img{leaflet_images}").count() == 0
    assert not [url for url in page.requested_urls if url.endswith("/x")]
    assert foreign_hosts(page) == {OSM}


MAP_STATE = """() => {
  const area = document.getElementById("karte-bereich"), current = window.__familienmanagerKarte.current;
  const map = current && current.map;
  return {url: location.href, area: Boolean(area), ready: Boolean(area && area.hasAttribute("data-bereit")),
    sameArea: Boolean(current && current.area === area), map: Boolean(map), size: map && map.getSize(),
    zoom: map && map.getZoom(), clustered: current && current.cluster && current.cluster.getLayers().length,
    markers: current && Object.keys(current.markers).length,
    message: document.getElementById("karte-meldung") && document.getElementById("karte-meldung").textContent};
}"""


def wait_for_markers(page, timeout=30_000):
    """Like wait_for_selector(MARKERS), but a timeout says what state the map was in."""
    try:
        page.wait_for_selector(MARKERS, timeout=timeout)
    except PlaywrightTimeout:
        raise AssertionError(f"no markers; map state: {page.evaluate(MAP_STATE)}") from None


def test_instant_navigation_sets_the_map_up_on_every_visit(page, hostile_site):
    serve_tiles(page, OSM)
    page.goto(hostile_site + "/familienmanager/")
    page.evaluate("window.__fullLoad = true")  # gone after a full page load
    page.locator("article").get_by_role("link", name="Wo gibt es sie? Karte und Liste").click()
    page.wait_for_url("**" + MAP)
    page.wait_for_selector(MARKERS)
    assert page.evaluate("window.__fullLoad") is True  # Material swapped the page in place
    assert page.evaluate(CLUSTER) == 2
    page.locator("nav.md-nav--primary").get_by_role("link", name="Termine").first.click()
    page.wait_for_url("**/termine/")
    page.wait_for_function("() => window.__familienmanagerKarte.current === null")  # map freed
    page.go_back()
    wait_for_markers(page)
    assert page.locator(".leaflet-container").count() == 1
    assert page.evaluate(CLUSTER) == 2
    assert page.evaluate("window.__fullLoad") is True
    assert foreign_hosts(page) == {OSM}
