"""Leaflet and its plugins, served from the site itself (XStatic packages), never from a CDN."""

from __future__ import annotations

import re
from pathlib import Path

from generator.site.outputs import OutputFile

VENDOR_DIR = "assets/vendor"


#: XStatic package -> (folder below VENDOR_DIR, files from the package's data folder).
VENDOR_FILES = {
    "leaflet": (
        "leaflet",
        (
            "leaflet.js",
            "leaflet.css",
            "images/marker-icon.png",
            "images/marker-icon-2x.png",
            "images/marker-shadow.png",
            # Only the layer switcher uses them, but leaflet.css names them.
            "images/layers.png",
            "images/layers-2x.png",
        ),
    ),
    "leaflet_markercluster": (
        "markercluster",
        ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"),
    ),
    "leaflet_gesturehandling": (
        "gesturehandling",
        ("leaflet-gesture-handling.min.js", "leaflet-gesture-handling.min.css"),
    ),
}
_SOURCE_MAP = re.compile(rb"\n?//# sourceMappingURL=\S+\s*$")


def vendor_assets() -> list[OutputFile]:
    """Leaflet and its plugins, copied from the XStatic packages (bytes, as shipped,
    minus the source-map comment whose .map file is not copied)."""
    import importlib

    outputs = []
    for package, (folder, names) in VENDOR_FILES.items():
        base = Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)
        for name in names:
            content = (base / name).read_bytes()
            if name.endswith(".js"):
                content = _SOURCE_MAP.sub(b"\n", content)
            outputs.append(OutputFile(f"{VENDOR_DIR}/{folder}/{name}", content))
    return outputs
