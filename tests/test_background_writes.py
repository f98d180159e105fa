"""The generated files that are no pages are written beside the pages' rendering
(generator/engine/files.py); the golden-output test requires the same site both ways."""

from __future__ import annotations

import pytest

from generator.engine.files import BackgroundWrites


def test_every_file_is_written_when_wait_returns(tmp_path):
    writes = BackgroundWrites()
    for number in range(300):
        writes.put(str(tmp_path / "termine" / f"t{number}" / "termin.ics"), f"BEGIN:{number}\n")
    writes.put(str(tmp_path / "karte.json"), b'{"ort": "K\\u00f6ln"}')
    writes.wait()
    assert (tmp_path / "termine" / "t299" / "termin.ics").read_text() == "BEGIN:299\n"
    assert len(list((tmp_path / "termine").iterdir())) == 300
    assert (tmp_path / "karte.json").read_bytes() == b'{"ort": "K\\u00f6ln"}'


def test_a_file_that_cannot_be_written_stops_the_build_once(tmp_path):
    (tmp_path / "termine").write_text("a file where a folder should be")
    writes = BackgroundWrites()
    writes.put(str(tmp_path / "termine" / "t1.ics"), "BEGIN:VCALENDAR\n")
    writes.put(str(tmp_path / "ok.ics"), "BEGIN:VCALENDAR\n")
    with pytest.raises(OSError):
        writes.wait()
    assert (tmp_path / "ok.ics").is_file()  # the others are still written
    writes.wait()  # the next build does not inherit the error
