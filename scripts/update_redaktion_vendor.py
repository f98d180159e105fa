"""Fetch the editing page's JavaScript from the npm registry into ``generator/redaktion/vendor/``.

The editing page (/redaktion/) runs Decap CMS and reads YAML with js-yaml. Both are
served from the site itself, never from a CDN: this script takes the pinned versions
from the npm registry with ``npm pack`` (which checks the tarball against the
registry's integrity hash), compares that hash with the one pinned below, copies the
files the page needs and writes ``SHA256SUMS`` for them. The result is committed and
reviewed like code; ``tests/test_redaktion.py`` checks the files against SHA256SUMS.

To update: change a version, run the script once with ``--trust-new-integrity``, read
the printed integrity, pin it below, run again without the flag, then run the tests.

    .venv/bin/python scripts/update_redaktion_vendor.py

Decap CMS's npm tarball carries no LICENSE file (only the licences of what it bundles,
``decap-cms.js.LICENSE.txt``); ``vendor/decap-cms/LICENSE`` is the MIT licence from
Decap's repository and is kept as committed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "generator" / "redaktion" / "vendor"

#: package -> (version, npm integrity of the tarball, licence, files: tarball path ->
#: vendored name; a trailing "*" copies every file of the folder with that suffix).
PACKAGES = {
    "decap-cms": (
        "3.16.3",
        "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
        "MIT",
        {
            "package/dist/decap-cms.js": "decap-cms.js",
            "package/dist/decap-cms.js.LICENSE.txt": "decap-cms.js.LICENSE.txt",
            # The chunks the bundle loads on demand (locales, widgets), next to it.
            # Not copied: source maps, the second build (cms.js) and the WebAssembly
            # image encoders of the media library, which the editing page has no use for.
            "package/dist/*.decap-cms.js": "",
        },
    ),
    "js-yaml": (
        "4.1.1",
        "sha512-qQKT4zQxXl8lLwBtHMWwaTcGfFOZviOJet3Oy/xmGk2gZH677CJM9EvtfdSkgWcATZhj/55JZ0rmy3myCT5lsA==",
        "MIT",
        {
            "package/dist/js-yaml.min.js": "js-yaml.min.js",
            "package/LICENSE": "LICENSE",
        },
    ),
}


def npm_pack(name: str, version: str, folder: Path) -> tuple[Path, str]:
    result = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--pack-destination", str(folder)],
        capture_output=True,
        text=True,
        check=True,
    )
    info = json.loads(result.stdout)[0]
    return folder / info["filename"], info["integrity"]


def copy_files(tarball: Path, files: dict[str, str], target: Path) -> list[str]:
    copied = []
    with tarfile.open(tarball) as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        for source, name in files.items():
            if source.endswith("*") or "*" in source:
                folder, _, pattern = source.rpartition("/")
                suffix = pattern.lstrip("*")
                chosen = [
                    m
                    for m in members
                    if m.startswith(folder + "/")
                    and "/" not in m[len(folder) + 1 :]
                    and m.endswith(suffix)
                    and m[len(folder) + 1 :] != suffix.lstrip(".")
                ]
            else:
                chosen = [source]
            for member in sorted(chosen):
                out = name or member.rpartition("/")[2]
                data = archive.extractfile(members[member]).read()
                (target / out).write_bytes(data)
                copied.append(out)
    return copied


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trust-new-integrity", action="store_true")
    args = parser.parse_args()
    sums = []
    with tempfile.TemporaryDirectory() as temp:
        for name, (version, integrity, licence, files) in PACKAGES.items():
            tarball, actual = npm_pack(name, version, Path(temp))
            if integrity is None or actual != integrity:
                print(f"{name}@{version}: integrity {actual}")
                if not args.trust_new_integrity and integrity is not None:
                    print(f"  expected {integrity}: not copied", file=sys.stderr)
                    return 1
            target = VENDOR / name
            keep = {"LICENSE"} if name == "decap-cms" else set()
            if target.exists():
                for old in target.iterdir():
                    if old.name not in keep:
                        old.unlink()
            target.mkdir(parents=True, exist_ok=True)
            copied = copy_files(tarball, files, target)
            size = tarball.stat().st_size
            print(f"{name}@{version}: {len(copied)} files; tarball {size / 1e6:.1f} MB")
            (target / "VERSION").write_text(
                f"{name} {version} ({licence})\nnpm integrity {actual}\n", encoding="utf-8"
            )
            for file in sorted(p for p in target.iterdir() if p.name != "SHA256SUMS"):
                digest = hashlib.sha256(file.read_bytes()).hexdigest()
                sums.append(f"{digest}  {name}/{file.name}")
    (VENDOR / "SHA256SUMS").write_text("\n".join(sorted(sums, key=lambda s: s[66:])) + "\n")
    shutil.rmtree(VENDOR / "__pycache__", ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
