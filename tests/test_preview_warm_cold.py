"""Warm equals cold: after any sequence of editor-like saves, every file the running
preview (`make serve`, with its build cache) serves equals what a preview started
afresh on the same files serves; while the data is broken, every page shows the list.

The short profile runs in `make test`; the nightly CI job runs the long one
(``PREVIEW_SAVES_EXAMPLES=25 PREVIEW_SAVES_STEPS=8``, benchmarks/warm_cold_long.py).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import ROOT, copy_project
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from preview_server import Preview

EXAMPLES = int(os.environ.get("PREVIEW_SAVES_EXAMPLES", "1"))
STEPS = int(os.environ.get("PREVIEW_SAVES_STEPS", "4"))
#: A long run explores; the short one in `make test` is the same on every run.
DERANDOMIZE = "PREVIEW_SAVES_EXAMPLES" not in os.environ


def _entries(text: str) -> tuple[str, list[str]]:
    head, *entries = re.split(r"(?m)^(?=- id: )", text)
    return head, entries


def edit_title(project: Path, n: int) -> None:
    events = project / "events.yaml"
    head, entries = _entries(events.read_text(encoding="utf-8"))
    i = n % len(entries)
    entries[i] = re.sub(r"(?m)^  titel: .*$", f'  titel: "Neuer Titel Nr. {n}"', entries[i])
    events.write_text(head + "".join(entries), encoding="utf-8")


def add_event(project: Path, n: int) -> None:
    events = project / "events.yaml"
    text = events.read_text(encoding="utf-8").rstrip("\n")
    day = 1 + n % 28
    text += (
        f"\n\n- id: 2027-03-{day:02d}-neu-{n}\n"
        f'  titel: "Werkstatt Nr. {n}"\n'
        f"  datum: 2027-03-{day:02d}\n"
        '  beginn: "10:00"\n'
        '  ende: "16:00"\n'
        "  ort: Kreuzau\n"
        "  veranstalter: IQZ\n"
        "  reihe: Werkstattreihe\n"
        f'  beschreibung: "Ein Workshop, Nummer {n}."\n'
    )
    events.write_text(text, encoding="utf-8")


def _remove_entry(data_file: Path, n: int) -> None:
    """Remove the n-th entry (counted round), as long as more than three are left."""
    head, entries = _entries(data_file.read_text(encoding="utf-8"))
    if len(entries) > 3:
        del entries[n % len(entries)]
    data_file.write_text(head + "".join(entries).rstrip("\n") + "\n", encoding="utf-8")


def remove_event(project: Path, n: int) -> None:
    _remove_entry(project / "events.yaml", n)


def add_manager(project: Path, n: int) -> None:
    managers = project / "managers.yaml"
    text = managers.read_text(encoding="utf-8").rstrip("\n")
    text += (
        f"\n\n- id: kreuzau-neu-{n}\n"
        "  kommune: Kreuzau\n"
        "  kreis: Kreis Düren\n"
        "  regierungsbezirk: Köln\n"
        "  kurs: 2\n"
        "  jahr: 2008\n"
        f'  dienststelle: "Amt Nr. {n}"\n'
    )
    managers.write_text(text, encoding="utf-8")


def remove_manager(project: Path, n: int) -> None:
    _remove_entry(project / "managers.yaml", n)


def break_or_repair(project: Path, n: int) -> None:
    """Break a data file (an impossible date, a tab) or, when broken, repair it."""
    events, good = project / "events.yaml", project / "events.yaml.good"
    if good.exists():
        shutil.move(good, events)
        return
    text = events.read_text(encoding="utf-8")
    good.write_text(text, encoding="utf-8")
    broken = (
        re.sub(r'(?m)^  datum: "?(\d{4})-\d\d-\d\d"?$', r'  datum: "\1-02-30"', text, count=1)
        if n % 2
        else text.replace("\n  titel:", "\n\ttitel:", 1)
    )
    assert broken != text, "break_or_repair: nothing to break in events.yaml"
    events.write_text(broken, encoding="utf-8")


def toggle_override(project: Path, n: int) -> None:
    override = project / "theme" / "familienmanager" / "termine_event.html"
    if override.exists():
        override.unlink()
        return
    override.parent.mkdir(exist_ok=True)
    package = ROOT / "generator" / "templates" / "termine_event.html"
    override.write_text(
        package.read_text(encoding="utf-8") + f"<p>Eigene Vorlage {n}</p>\n", encoding="utf-8"
    )


def change_extra(project: Path, n: int) -> None:
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = re.sub(
        r'(?m)^(    name: )"\[PLATZHALTER: Name der herausgebenden Stelle[^"]*\]"$',
        rf'\1"[PLATZHALTER: Name der herausgebenden Stelle {n}]"',
        text,
        count=1,
    )
    config.write_text(text, encoding="utf-8")


def add_content_page(project: Path, n: int) -> None:
    page = project / "content" / f"neu-{n}.md"
    page.write_text(f"# Neue Seite {n}\n\nVerlegt am {{{{ extra.herausgeber.name }}}}.\n")


SAVES = [
    edit_title,
    add_event,
    remove_event,
    add_manager,
    remove_manager,
    break_or_repair,
    toggle_override,
    change_extra,
    add_content_page,
]


def served_files(preview: Preview) -> dict[str, bytes]:
    """Every file the preview serves, its own address (the port) made neutral; in
    calendar files after unfolding their lines, where the address may be split."""
    site, address = preview.site(), f"127.0.0.1:{preview.port}".encode()
    files = {}
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.suffix == ".gz":  # sitemap.xml itself is compared
            continue
        content = path.read_bytes()
        if path.suffix == ".ics":
            content = content.replace(b"\r\n ", b"")
        files[str(path.relative_to(site))] = content.replace(address, b"127.0.0.1:PORT")
    return files


def is_broken(project: Path) -> bool:
    return (project / "events.yaml.good").exists()


def compare_with_a_fresh_preview(warm: dict[str, bytes], project: Path, base: Path) -> None:
    fresh_project = base / f"cold-{len(list(base.iterdir()))}"
    shutil.copytree(project, fresh_project, ignore=shutil.ignore_patterns(".preview", "*.log"))
    cold_preview = Preview(fresh_project)
    try:
        cold_preview.wait_for_build(0, seconds=600)
        cold = served_files(cold_preview)
    finally:
        cold_preview.stop()
    if not is_broken(project):
        missing, extra = sorted(cold.keys() - warm.keys()), sorted(warm.keys() - cold.keys())
        assert not missing and not extra, (missing[:5], extra[:5])
        differ = [path for path in cold if cold[path] != warm[path]]
        assert not differ, f"{len(differ)} files differ, e.g. {differ[:5]}"
        return
    # Broken: a fresh preview has only the hand-written pages (and a navigation without
    # the generated ones); the warm one still has the generated pages of the last good
    # state. Every page of both shows the same list.
    (expected,) = set(ERROR_LIST.findall(cold["index.html"].decode()))
    for path, page in [*warm.items(), *cold.items()]:
        if path.endswith(".html") and not path.startswith("redaktion/"):  # the CMS's own app
            assert ERROR_LIST.findall(page.decode()) == [expected], path


#: The error list the preview shows in place of a page's content.
ERROR_LIST = re.compile(r'<div class="admonition failure fm-datenfehler".*?</ul>\s*</div>', re.S)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    # A run takes seconds per save: report the failing sequence as found, unshrunk.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    saves=st.lists(
        st.tuples(st.sampled_from(SAVES), st.integers(0, 99)), min_size=1, max_size=STEPS
    )
)
def test_the_warm_preview_serves_what_a_fresh_one_serves(saves, tmp_path_factory):
    base = tmp_path_factory.mktemp("warm-cold")
    project = copy_project(base / "project")
    preview = Preview(project)
    try:
        preview.wait_for_build(0, seconds=600)
        for save, n in saves:
            before = preview.builds()
            save(project, n)
            preview.wait_for_build(before)
            compare_with_a_fresh_preview(served_files(preview), project, base)
    finally:
        preview.stop()
