"""The editors' files as text: size, encoding and invisible characters checked first.

Editors save on German Windows PCs, in browsers and in Word-fed editors: a file in
Windows-1252, UTF-16 or with stray control characters must give a German message at
the line where it happens, never a traceback or a parser's English words.
"""

from __future__ import annotations

import re
from pathlib import Path

from generator.data.problems import Problem

#: Largest data file read. The shipped files are about 30 KB; the generator is built for
#: archives of 50,000 events (about 25 MB of YAML), and 40 MB leaves room above that.
#: Syntax errors in files over 2 MB take libyaml's message, not the slower parser's.
MAX_FILE_BYTES = 40_000_000

SAVE_AS_UTF8 = (
    "Speichern Sie die Datei als UTF-8: im Windows-Editor über „Datei › Speichern unter …“ "
    "mit „Codierung: UTF-8“; in VS Code unten rechts in der Statusleiste auf die Codierung "
    "klicken und „Mit Codierung speichern › UTF-8“ wählen. Prüfen Sie danach die Umlaute."
)

#: Line and page separators (vertical tab from Word's Shift+Enter, form feed, NEL, the
#: Unicode separators): YAML would count some as line breaks, shifting every line number
#: after them. They become spaces; other control characters are dropped.
_SEPARATORS = "\x0b\x0c\x85\u2028\u2029"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")


#: UTF-16 halves: YAML's "\\ud83d\\ude00" escapes (what JSON tools write for an emoji)
#: give two of them, which no page, feed or log can encode.
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNWANTED = re.compile(f"{_CONTROL.pattern[:-1]}\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters (tab, line feed and carriage return stay),
    escaped UTF-16 pairs joined into their character, a lone half dropped."""
    if not _UNWANTED.search(text):  # one scan for nearly every text
        return text
    if _SURROGATE.search(text):
        text = _SURROGATE.sub(
            "", text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
        )
    return _CONTROL.sub(lambda m: " " if m.group() in _SEPARATORS else "", text)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _looks_like_utf16(data: bytes) -> bool:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = data[:200]
    # ASCII text in UTF-16: every other byte is NUL.
    return len(sample) >= 4 and sample[1::2].count(0) + sample[0::2].count(0) >= len(sample) // 3


def decode(data: bytes, name: str) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a byte order mark is fine), or a German problem at the first bad line."""
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or _looks_like_utf16(data):
        return None, Problem(
            name,
            1,
            "Datei",
            "die Datei ist in UTF-16 („Unicode“) gespeichert, erwartet wird UTF-8. " + SAVE_AS_UTF8,
        )
    if (nul := data.find(b"\x00")) >= 0:
        return None, Problem(
            name,
            _line_of(data, nul),
            "Datei",
            "in dieser Zeile steht ein Nullzeichen (NUL): die Datei ist beschädigt oder keine "
            "Textdatei. Löschen Sie das unsichtbare Zeichen (z. B. die Zeile neu tippen) oder "
            "stellen Sie die letzte gute Fassung wieder her.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        column = error.start - data.rfind(b"\n", 0, error.start)
        bad = data[error.start : error.end + 1]
        guess = bad.decode("cp1252", errors="replace")[:1]
        shown = f"„{guess}“ " if guess.isprintable() and guess != "\ufffd" else ""
        later = sum(1 for row in data.split(b"\n")[line:] if not _is_utf8(row))
        more = f" Ebenso {later} weitere Zeile(n) danach." if later else ""
        return None, Problem(
            name,
            line,
            "Datei",
            f"diese Zeile ist nicht in UTF-8 gespeichert: das Zeichen {shown}an Stelle "
            f"{column} stammt vermutlich aus "
            f"Windows-1252 (ANSI, Latin-1).{more} " + SAVE_AS_UTF8,
        )
    return clean_text(text), None


def _is_utf8(row: bytes) -> bool:
    try:
        row.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def read_source(path: Path) -> tuple[str | None, Problem | None]:
    """The text of a data file, or a German problem (missing, folder, too large, encoding)."""
    name = path.name
    if path.is_dir():
        return None, Problem(
            name,
            1,
            "Datei",
            f"„{name}“ ist ein Ordner, keine Datei. Die Daten gehören in eine Datei dieses "
            "Namens; prüfen Sie den Pfad in mkdocs.yml.",
        )
    if not path.exists():
        return None, Problem(name, 1, "Datei", "Datei nicht gefunden.")
    if not path.is_file():
        return None, Problem(name, 1, "Datei", "keine gewöhnliche Datei. Prüfen Sie den Pfad.")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        return None, Problem(
            name, 1, "Datei", f"die Datei lässt sich nicht lesen ({error.strerror or 'Fehler'})."
        )
    if len(data) > MAX_FILE_BYTES:
        return None, Problem(
            name,
            1,
            "Datei",
            f"die Datei ist größer als {MAX_FILE_BYTES // 1_000_000} MB: das ist keine "
            "Datendatei, wie sie die Redaktion pflegt. Prüfen Sie, ob versehentlich etwas "
            "anderes hineinkopiert wurde.",
        )
    return decode(data, name)
