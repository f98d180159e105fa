"""First run on a new computer: the project's dependencies in the project's ``.venv``.

Standard library only: this runs before anything is installed. The same ``.venv`` the
Makefile uses (``.venv/bin`` on Linux and macOS, ``.venv\\Scripts`` on Windows), with
the pinned versions of ``requirements.lock``; nothing is installed outside the project.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def venv_python(folder: Path = VENV) -> Path:
    """The interpreter of a virtual environment, on any operating system."""
    if os.name == "nt":
        return folder / "Scripts" / "python.exe"
    return folder / "bin" / "python"


def _inside(folder: Path) -> bool:
    return Path(sys.prefix).resolve() == folder.resolve()


def run_in_project_environment(argv: list[str], missing: str | None) -> int:
    """Run ``python -m generator argv`` with the project's ``.venv``, creating it and
    installing the pinned dependencies first where needed."""
    python = venv_python()
    if python.exists() and not _inside(VENV):
        return subprocess.call([str(python), "-m", "generator", *argv])
    if sys.version_info < (3, 11):  # noqa: UP036 (an editor may start it with an old Python)
        print("Python 3.11 oder neuer wird benötigt (python.org).", file=sys.stderr)
        return 2
    print(
        f"Einmalige Einrichtung: Das Paket „{missing}“ fehlt noch. Die nötigen Programme "
        f"werden jetzt in den Ordner {VENV} geladen (einige Minuten, mit Internet) …",
        file=sys.stderr,
    )
    if not python.exists():
        venv.create(VENV, with_pip=True)
    install = [str(python), "-m", "pip", "install", "--quiet"]
    install += ["-c", str(ROOT / "requirements.lock"), "-e", str(ROOT)]
    if subprocess.call(install) != 0:
        print(
            "Die Einrichtung ist nicht gelungen. Prüfen Sie die Internetverbindung und "
            "versuchen Sie es noch einmal; hilft das nicht, löschen Sie den Ordner .venv.",
            file=sys.stderr,
        )
        return 1
    return subprocess.call([str(python), "-m", "generator", *argv])
