"""The map's set-up as JavaScript, built by folium.

The skeleton (map with frame, bounds and gesture handling, tile layer, marker
cluster) is wrapped in a function that ``theme/assets/javascripts/karte.js`` calls
once the visitor agrees to load tiles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.data import register as nrw
from generator.site.settings import TileProvider

if TYPE_CHECKING:
    from branca.element import Element

#: Map frame: NRW's bounding box, and a margin around it the visitor cannot leave.
NRW_BOUNDS = [[nrw.LAT_MIN, nrw.LON_MIN], [nrw.LAT_MAX, nrw.LON_MAX]]
PAN_MARGIN = 1.0
#: Zoomed out further, NRW is a few pixels wide.
MIN_ZOOM = 6
#: GestureHandling's own German texts are wrong on a Mac ("⌘" only) and depend on the
#: browser language; the page is German, so the texts are set here.
GESTURE_TEXT = {
    "touch": "Verschieben Sie die Karte mit zwei Fingern.",
    "scroll": "Zum Zoomen der Karte Strg und Mausrad zusammen verwenden.",
    "scrollMac": "Zum Zoomen der Karte ⌘ und Mausrad zusammen verwenden.",
}
#: Element ids the skeleton and karte.js agree on (folium's own ids are random).
MAP_ID, TILES_ID, CLUSTER_ID = "karte", "kacheln", "orte"


def _stabilise_ids(root: Element) -> None:
    """folium names elements with random ids; number them in tree order instead."""
    stack, counter = [root], 0
    while stack:
        element = stack.pop(0)
        element._id = f"e{counter}"
        counter += 1
        stack[:0] = list(element._children.values())


def render_map_script(provider: TileProvider) -> str:
    """The map skeleton as JavaScript: ``window.familienmanagerKarte = function (L) {…}``.

    folium builds the Leaflet calls (map with frame, bounds and gesture handling,
    the tile layer, the cluster group). The tile layer is created but not added
    (``show=False``): karte.js adds it only after consent. Only folium's script part
    is used; its document (CDN links, full-page CSS, jQuery) is not.
    """
    # Imported here: folium takes half a second to import, and `check` never needs it.
    import folium
    from folium.plugins import MarkerCluster

    fmap = folium.Map(
        location=[(nrw.LAT_MIN + nrw.LAT_MAX) / 2, (nrw.LON_MIN + nrw.LON_MAX) / 2],
        zoom_start=7,
        tiles=None,
        # As Leaflet options: folium's min_zoom/max_zoom only reach a tile layer it makes.
        minZoom=MIN_ZOOM,
        maxZoom=provider.max_zoom,
        # Quarter steps when framing the markers (karte.js fits them with room for the
        # icons): whole steps left NRW half as wide as a phone-wide map. The buttons
        # still zoom in whole steps.
        zoomSnap=0.25,
        zoomDelta=1,
        max_bounds=True,
        min_lat=nrw.LAT_MIN - PAN_MARGIN,
        max_lat=nrw.LAT_MAX + PAN_MARGIN,
        min_lon=nrw.LON_MIN - PAN_MARGIN,
        max_lon=nrw.LON_MAX + PAN_MARGIN,
        gestureHandling=True,
        gestureHandlingOptions={"text": GESTURE_TEXT, "duration": 2000},
    )
    # Per instance, not class: the class lists are shared by every map in the process.
    fmap.default_js, fmap.default_css = [], []
    tiles = folium.TileLayer(
        provider.url,
        attr=provider.attribution,
        name=provider.name,
        max_zoom=provider.max_zoom,
        min_zoom=MIN_ZOOM,
        show=False,
    )
    cluster = MarkerCluster(
        showCoverageOnHover=False,
        chunkedLoading=True,
        maxClusterRadius=60,
        spiderfyOnMaxZoom=True,
    )
    cluster.default_js, cluster.default_css = [], []
    fmap.add_child(tiles)
    fmap.add_child(cluster)
    # NRW's box at once: animated, this zoom ran after karte.js had framed the markers
    # and undid it. karte.js then frames the markers themselves (no animation either).
    frame = folium.map.FitBounds(NRW_BOUNDS)
    frame.options["animate"] = False
    fmap.add_child(frame)
    figure = fmap.get_root()
    _stabilise_ids(figure)
    fmap._id, tiles._id, cluster._id = MAP_ID, TILES_ID, CLUSTER_ID
    figure.render()
    body = "\n".join(line.strip() for line in figure.script.render().splitlines() if line.strip())
    names = {"map": fmap, "tiles": tiles, "cluster": cluster}
    result = ", ".join(f"{key}: {element.get_name()}" for key, element in names.items())
    return f"window.familienmanagerKarte = function (L) {{\n{body}\nreturn {{{result}}};\n}};"


def map_element_id() -> str:
    """The id of the map container, as folium names it (``map_karte``)."""
    return f"map_{MAP_ID}"
