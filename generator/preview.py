"""The editors' preview and build, the same on Windows, macOS and Linux.

``python -m generator serve`` and ``python -m generator build`` need neither ``make``
nor a shell: they run MkDocs' own command line in this process. ``make serve`` and
``make site`` call them too, so there is one way, whatever the operating system.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import tempfile
from pathlib import Path

#: The preview's default port (MkDocs' own default).
DEFAULT_PORT = 8000
#: MkDocs keeps the preview's pages in a temporary folder: here it lies inside the
#: project, so the preview writes nothing elsewhere (removed when the preview stops).
PREVIEW_TEMP = ".preview"


def port_to_use(wanted: int, host: str = "127.0.0.1") -> int:
    """``wanted`` when it is free on ``host``, else a free port the system picks."""
    with socket.socket() as probe:
        try:
            probe.bind((host, wanted))
            return wanted
        except OSError:
            pass
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


def _mkdocs(root: Path, *args: str) -> int:
    """MkDocs' command line on the project in ``root``, in this process. Its temporary
    folders lie in the project (:data:`PREVIEW_TEMP`)."""
    from mkdocs.__main__ import cli

    temp = root / PREVIEW_TEMP
    temp.mkdir(exist_ok=True)
    tempfile.tempdir = str(temp)
    # Material prints a banner about MkDocs 2 on every build; the pin <2 is deliberate.
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    command, *options = args
    try:
        cli.main([command, "--config-file", str(root / "mkdocs.yml"), *options], "mkdocs")
    except SystemExit as exit:
        return exit.code if isinstance(exit.code, int) else 1
    return 0


def serve(root: Path, port: int, *, open_browser: bool = False) -> int:
    """Run `mkdocs serve --dirty` on the project in ``root`` until Ctrl+C. After each
    save the plugin renders and writes only what changed, and decides that itself
    (generator/engine/incremental.py): the served folder equals a clean build's, the
    navigation included; the search index follows in the background
    (generator/site/search.py, PreviewIndex). The theme is watched too, so a
    changed template shows without a restart."""
    chosen = port_to_use(port)
    if chosen != port:
        print(f"Port {port} ist belegt, die Vorschau nimmt Port {chosen}.")
    address = f"127.0.0.1:{chosen}"
    print(f"Vorschau: http://{address}/ (beenden mit Strg+C)", flush=True)
    options = ["--dev-addr", address, "--dirty", "--watch-theme"]
    options += ["--open"] if open_browser else []
    # Ended by an editor's IDE or a test (SIGTERM): as after Ctrl+C, MkDocs removes its
    # temporary site and the search indexer running in the background is stopped (atexit).
    if hasattr(signal, "SIGTERM") and os.name == "posix":
        signal.signal(signal.SIGTERM, signal.default_int_handler)
    return _mkdocs(root, "serve", *options)


def build(root: Path, site_dir: str = "site") -> int:
    """`mkdocs build --strict` into a fresh folder that replaces ``site_dir`` only when
    the build succeeded: invalid data leaves the last good site as it was."""
    target, fresh = root / site_dir, root / f".{site_dir}-build"
    shutil.rmtree(fresh, ignore_errors=True)
    returncode = _mkdocs(root, "build", "--strict", "--site-dir", str(fresh))
    if returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        print("Die Website wurde nicht gebaut; der Ordner „site“ bleibt, wie er war.")
        return returncode
    shutil.rmtree(target, ignore_errors=True)
    fresh.rename(target)
    print(f"Website gebaut: {target}")
    return 0
