"""The finder and the map's robustness in headless Chromium: the combobox by keyboard,
before any consent; the shared folding table; the municipality pages without
JavaScript and in the site search; failing tiles, focus, cluster names, the header."""

from __future__ import annotations

import json

import pytest
from conftest import (
    BASEMAP,
    MAP,
    MARKERS,
    ROOT,
    agree,
    axe_violations,
    foreign_hosts,
    open_context,
    serve_tiles,
)

from generator.data import register as nrw
from generator.data.municipalities import MUNICIPALITIES, slugify

pytestmark = pytest.mark.browser

FOLDING = json.loads((ROOT / "tests/folding_cases.json").read_text(encoding="utf-8"))["cases"]


def test_finder_by_keyboard_before_any_consent(page, site_url):
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    # On a phone, too, the finder is the first thing after the heading.
    after_heading = "document.querySelector('article h1').nextElementSibling.id"
    assert page.evaluate(after_heading) == "finder"
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    assert box.get_attribute("aria-expanded") == "false"
    assert box.get_attribute("aria-autocomplete") == "list"
    box.focus()
    page.keyboard.type("kreu")
    status = page.locator("#finder-anzahl")
    status.filter(has_text="2 Vorschläge").wait_for()
    assert status.get_attribute("role") == "status"
    assert box.get_attribute("aria-expanded") == "true"
    options = page.get_by_role("option")
    assert [t.split()[0] for t in options.all_inner_texts()] == ["Kreuzau", "Kreuztal"]
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "finder-option-1"
    assert page.locator("#finder-option-1").get_attribute("aria-selected") == "true"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("Enter")
    result = page.locator("#finder-ergebnis")
    result.wait_for()
    text = result.inner_text()
    assert text.startswith("Kreuzau")
    # The sample site's results say what the notice below the finder says.
    assert "Beispieldaten: Diese Angaben zeigen nicht, wer tatsächlich zuständig ist." in text
    assert (
        "Für Kreuzau ist keine eigene Familienmanagerin und kein eigener Familienmanager "
        "eingetragen; zuständig ist der Kreis Düren." in text
    )
    assert "Kreis Düren: 2 Personen" in text
    assert "Düren: etwa 6 km, 1 Person" in text
    assert box.input_value() == "Kreuzau" and box.get_attribute("aria-expanded") == "false"
    assert "gemeinde=kreuzau" in page.url
    # The result leads to the contacts: the list entry and the municipality's page.
    result.get_by_role("link", name="Alles zu Kreuzau mit Kontaktdaten").click()
    page.wait_for_url("**/familienmanager/kommunen/kreuzau/")
    assert page.locator(".leaflet-container").count() == 0
    assert foreign_hosts(page) == set()


def test_finder_accepts_any_spelling_and_says_when_nothing_matches(page, site_url):
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    box.fill("muelheim")
    page.get_by_role("option", name="Mülheim an der Ruhr").wait_for()
    box.fill("Koeln")
    page.keyboard.press("Enter")  # the whole name, typed: chosen without a suggestion
    page.locator("#finder-ergebnis").filter(has_text="Köln").wait_for()
    box.fill("Atlantis")
    page.locator("#finder-anzahl").filter(has_text="Keine Stadt oder Gemeinde").wait_for()
    assert page.get_by_role("option").count() == 0
    page.keyboard.press("Escape")
    assert box.input_value() == ""


def test_finder_finds_municipalities_by_postcode(page, site_url):
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    box.fill("52385")
    page.keyboard.press("Enter")  # one municipality has it: chosen at once
    result = page.locator("#finder-ergebnis")
    result.filter(has_text="Nideggen").wait_for()
    assert "zuständig ist der Kreis Düren" in result.inner_text()
    box.fill("52525")  # a postcode two municipalities share: both are offered
    status = page.locator("#finder-anzahl")
    status.filter(has_text="2 Vorschläge").wait_for()
    options = page.get_by_role("option").all_inner_texts()
    assert options == [
        "Heinsberg Kreis Heinsberg, PLZ 52525",
        "Waldfeucht Kreis Heinsberg, PLZ 52525",
    ]
    box.fill("40721")  # Hilden's alone: Düsseldorf is no longer offered (issue 23)
    status.filter(has_text="1 Vorschlag").wait_for()
    assert page.get_by_role("option").all_inner_texts() == ["Hilden Kreis Mettmann, PLZ 40721"]
    box.fill("34582")  # Borken in Hessen, not Borken in Westfalen
    status.filter(has_text="Keine Stadt oder Gemeinde in NRW mit dieser Postleitzahl").wait_for()


def test_enter_on_a_shared_postcode_asks_which_municipality(page, site_url):
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    box.fill("52525")  # Heinsberg's and Waldfeucht's
    page.get_by_role("option").first.wait_for()
    page.keyboard.press("Enter")  # no suggestion highlighted: not nothing, but a question
    status = page.locator("#finder-anzahl")
    status.filter(has_text="Die Postleitzahl 52525 gehört zu 2 Städten und Gemeinden").wait_for()
    assert "Heinsberg und Waldfeucht. Bitte wählen Sie Ihre aus der Liste" in status.inner_text()
    assert status.is_visible() and page.locator("#finder-ergebnis").is_hidden()
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("#finder-ergebnis h3").filter(has_text="Waldfeucht").wait_for()


@pytest.mark.parametrize("width", [390, 1280])
def test_the_open_suggestion_list_never_covers_the_button(browser, site_url, width):
    context = open_context(browser, viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    box.fill("bad")  # eight suggestions, the longest list
    page.get_by_role("option").nth(7).wait_for()
    button = page.get_by_role("button", name="Zuständige anzeigen")
    button.scroll_into_view_if_needed()
    listbox = page.locator("#finder-vorschlaege").bounding_box()
    shown = button.bounding_box()
    assert shown["y"] >= listbox["y"] + listbox["height"]  # below the list, not under it
    x, y = shown["x"] + shown["width"] / 2, shown["y"] + shown["height"] / 2
    hit = "([x, y]) => document.elementFromPoint(x, y).closest('button')?.textContent"
    assert page.evaluate(hit, [x, y]) == "Zuständige anzeigen"
    button.click()  # a click reaches it while the list is open
    page.locator("#finder-anzahl").filter(has_text="Bitte wählen Sie Ihre aus der Liste").wait_for()
    context.close()


def test_ortsteile_say_what_to_type_instead(page, site_url):
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    status = page.locator("#finder-anzahl")
    box.fill("Porz")  # an Ortsteil alone: what to type instead
    status.filter(has_text="Ortsteile kennt die Suche nicht").wait_for()
    assert "Tippen Sie den Namen Ihrer Stadt oder Gemeinde oder Ihre Postleitzahl" in (
        status.inner_text()
    )
    assert page.get_by_role("option").count() == 0
    box.fill("Köln-Porz")  # the town is in it: offered, and said why
    status.filter(has_text="„Köln-Porz“ ist keine Stadt und keine Gemeinde in NRW").wait_for()
    assert "Meinen Sie Köln?" in status.inner_text()
    assert page.get_by_role("option").all_inner_texts() == ["Köln kreisfreie Stadt"]
    page.keyboard.press("Enter")
    result = page.locator("#finder-ergebnis")
    result.locator("h3").filter(has_text="Köln").wait_for()
    assert box.input_value() == "Köln"
    assert status.inner_text() == "„Köln-Porz“: Ortsteile kennt die Suche nicht. Gezeigt wird Köln."
    assert status.is_visible()


@pytest.mark.parametrize("typed", ["Monschau 52156", "52156 Monschau", "Monschau, 52156"])
def test_name_and_postcode_together_find_the_municipality(page, site_url, typed):
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    box.fill(typed)
    page.get_by_role("option", name="Monschau").wait_for()
    assert page.get_by_role("option").count() == 1
    page.keyboard.press("Enter")
    result = page.locator("#finder-ergebnis")
    result.locator("h3").filter(has_text="Monschau").wait_for()
    text = result.inner_text()
    assert "zuständig ist die Städteregion Aachen" in text
    # Nearby: towns only, and what such an entry means; never another district.
    assert "arbeiten für ihren eigenen Ort, nicht für Monschau" in text
    assert "Kreis Düren" not in text


def test_a_link_opens_the_finder_at_a_municipality(page, site_url):
    page.goto(site_url + MAP + "?gemeinde=nideggen#finder")
    page.locator("#finder-ergebnis").filter(has_text="Nideggen").wait_for()
    assert page.get_by_role("combobox").input_value() == "Nideggen"


def test_karte_js_folds_like_the_generator(page, site_url):
    page.goto(site_url + MAP)
    page.wait_for_function(
        "() => Boolean(window.__familienmanagerKarte && window.__familienmanagerKarte.fold)"
    )
    got = page.evaluate(
        """cases => cases.map(c => [window.__familienmanagerKarte.fold(c.text),
            window.__familienmanagerKarte.nameKeys(c.text)])""",
        FOLDING,
    )
    assert got == [[case["fold"], case["keys"]] for case in FOLDING]
    # The finder's data file leaves page names and place ids to karte.js.
    names = [m.name for m in MUNICIPALITIES] + list(nrw.DISTRICTS)
    slugs = page.evaluate("names => names.map(window.__familienmanagerKarte.slugOf)", names)
    assert slugs == [slugify(name) for name in names]


def test_municipality_pages_work_without_javascript(browser, site_url):
    context = open_context(browser, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "/familienmanager/kommunen/kreuzau/")
    text = page.locator("article").inner_text()
    assert "zuständig ist der Kreis Düren" in text
    assert "Kreisjugendamt" in text  # the Kreis's office, from the data
    assert "Jugendamt oder das Familienbüro" in text
    page.goto(site_url + "/familienmanager/kommunen/")
    page.get_by_role("link", name="Nideggen", exact=True).click()
    assert page.locator("h1").inner_text() == "Nideggen: Familienmanagerinnen und -manager"
    # Without JavaScript the finder's form leads to the index from A to Z.
    page.goto(site_url + MAP)
    page.get_by_label("Stadt, Gemeinde oder Postleitzahl in NRW").fill("Kreuzau")
    page.get_by_label("Stadt, Gemeinde oder Postleitzahl in NRW").press("Enter")
    page.wait_for_url("**/familienmanager/kommunen/?ort=Kreuzau")
    context.close()


def test_the_site_search_finds_a_municipality_without_managers(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site_url + "/")
    page.locator("input.md-search__input").click()
    page.keyboard.type("Kreuzau")  # the search runs as the visitor types
    hit = page.locator(".md-search-result a[href$='/kommunen/kreuzau/']").first
    hit.wait_for(state="attached")
    assert "Kreuzau" in hit.text_content()
    page.locator("input.md-search__input").fill("")
    page.keyboard.type("52385")  # by postcode, too
    page.locator(".md-search-result a[href$='/kommunen/nideggen/']").first.wait_for(
        state="attached"
    )


def test_failing_tiles_are_reported_and_the_map_stays_usable(page, site_url):
    agree(page, BASEMAP)
    page.route(lambda url: "127.0.0.1" not in url, lambda route: route.abort())
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    message = page.locator("#karte-meldung")
    message.filter(has_text="Kartenbilder konnten nicht geladen werden").wait_for()
    page.get_by_role("button", name="Auf der Karte zeigen: Bochum").click()
    page.locator(".leaflet-popup-content").filter(has_text="Bochum").wait_for()


def test_focus_lands_on_the_map_after_loading_it_by_keyboard(page, site_url):
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.get_by_role("button", name="Karte laden").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(MARKERS)
    assert page.evaluate("document.activeElement.id") == "map_karte"


def test_clusters_have_names_and_controls_stay_below_the_header(browser, site_url):
    context = open_context(browser, viewport={"width": 390, "height": 844})
    page = context.new_page()
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(".marker-cluster")
    label = page.locator(".marker-cluster").first.get_attribute("aria-label")
    assert label.split(" ", 2)[1] == "Orte:" and label.endswith("– vergrößern"), label
    # Scroll the zoom buttons under the sticky header: the header stays on top.
    zoom = page.locator(".leaflet-control-zoom-in")
    header = page.locator(".md-header").bounding_box()
    page.evaluate("y => window.scrollBy(0, y)", zoom.bounding_box()["y"] - header["height"] / 2)
    box = zoom.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert y < header["height"]
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y).closest('.md-header') !== null", [x, y]
    )
    assert on_top
    # No flag in the attribution: a public body's site names the library only.
    assert page.locator(".leaflet-control-attribution svg").count() == 0
    context.close()


def test_no_layout_shift_and_no_render_blocking_leaflet_styles(page, site_url):
    page.add_init_script(
        """window.__shift = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: "layout-shift", buffered: true});"""
    )
    agree(page, BASEMAP)
    serve_tiles(page, BASEMAP)
    page.goto(site_url + MAP)
    page.wait_for_selector(MARKERS)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__shift") < 0.02
    head = page.locator("head link[rel=stylesheet]").evaluate_all("ls => ls.map(l => l.href)")
    before = [href for href in head if "vendor" in href]
    assert before and all(  # added by karte.js after the page's own stylesheets
        head.index(href) > max(i for i, h in enumerate(head) if "karte.css" in h) for href in before
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_finder_and_municipality_page_have_no_wcag_violations(page, site_url, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + MAP)
    box = page.get_by_role("combobox", name="Stadt, Gemeinde oder Postleitzahl in NRW")
    box.fill("kreu")
    page.get_by_role("option").first.wait_for()
    assert axe_violations(page) == []
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.locator("#finder-ergebnis").wait_for()
    assert axe_violations(page) == []
    page.goto(site_url + "/familienmanager/kommunen/kreuzau/")
    assert axe_violations(page) == []
