"""The one cache of a build: what the build made, for the next build of the same
`mkdocs serve`.

The adapter owns a :class:`BuildCache` and hands it to the core (``load_dataset``,
``build_site``); a one-off build passes none and keeps nothing. Each value is keyed by
everything it is made of:

- its own inputs, in its memo key (an entry's text, an event record, its place, …);
- the build's invariants, in the cache's ``fingerprint`` (the settings with the build
  date, the sources of the package's and the override templates, the register's
  tables): a build with another fingerprint starts empty.

A build keeps only the values it used: those the previous build made and this one did
not ask for are dropped when it finishes (:meth:`BuildCache.finish`), so the cache of a
long `mkdocs serve` session holds one build's worth, not every edit's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


class BuildCache:
    """Memos of one build, or of the builds of one `mkdocs serve`.

    ``enabled=False`` is the long way: every value is made again each time (the test
    that warm builds equal cold ones compares both).
    """

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.fingerprint: str | None = None
        #: What the running build asked for, by memo: (key, value) by key. The stored key
        #: is the first build's: a later build that finds it adds no object of its own
        #: that outlives the build (the collector has nothing new to look at).
        self._used: dict[str, dict[_Hashed, tuple[_Hashed, object]]] = {}
        #: What earlier builds with the same fingerprint made and this one has not used yet.
        self._kept: dict[str, dict[_Hashed, tuple[_Hashed, object]]] = {}

    def begin(self, fingerprint: str) -> None:
        """A build starts: with another fingerprint nothing made before is valid."""
        if fingerprint != self.fingerprint:
            self._kept = {}
        else:  # after a finished build all it used; after one that stopped, what both made
            for memo, entries in self._used.items():
                kept = self._kept.get(memo)
                if kept is None:
                    self._kept[memo] = entries
                else:
                    kept.update(entries)
        self._used = {}
        self.fingerprint = fingerprint

    def finish(self) -> None:
        """The build succeeded: let go of what it did not use."""
        self._kept = {}

    def carried(self, name: Hashable) -> object | None:
        """What the last build of the same fingerprint left under ``name`` for the next
        one (:meth:`carry`), else None: a build that can start from the last one's result
        (the data files' entries, generator/data/dataset.py)."""
        if not self.enabled:
            return None
        hashed = _Hashed(name)
        for memos in (self._used, self._kept):
            entry = memos.get(_CARRIED, {}).get(hashed)
            if entry is not None:
                return entry[1]
        return None

    def carry(self, name: Hashable, value: object) -> None:
        """Leaves ``value`` for the next build under ``name``; kept like a memo's value."""
        if self.enabled:
            hashed = _Hashed(name)
            self._used.setdefault(_CARRIED, {})[hashed] = (hashed, value)
            self._kept.get(_CARRIED, {}).pop(hashed, None)

    def get(self, memo: str, key: Hashable, make: Callable[[], T]) -> T:
        """The value of ``memo`` for ``key``, made by ``make()`` unless a build of the same
        fingerprint made it already."""
        if not self.enabled:
            return make()
        hashed = _Hashed(key)  # keys hold records whose hash costs: hashed once, not 4 times
        used = self._used.get(memo)
        if used is None:
            used = self._used[memo] = {}
        entry = used.get(hashed)
        if entry is not None:
            return entry[1]  # type: ignore[return-value]
        kept = self._kept.get(memo)
        entry = kept.pop(hashed, None) if kept else None
        if entry is None:
            entry = (hashed, make())
        used[entry[0]] = entry
        return entry[1]  # type: ignore[return-value]


#: The memo that holds what builds carry to the next (:meth:`BuildCache.carry`).
_CARRIED = "\0carried"


class _Hashed:
    """A memo key with its hash computed once (a tuple computes it on every lookup,
    and a pydantic record's hash goes through all its fields)."""

    __slots__ = ("key", "hash")

    def __init__(self, key: Hashable) -> None:
        self.key, self.hash = key, hash(key)

    def __hash__(self) -> int:
        return self.hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Hashed) and self.hash == other.hash and self.key == other.key


def memo(cache: BuildCache | None, name: str, key: Hashable, make: Callable[[], T]) -> T:
    """``cache.get(name, key, make)``, or ``make()`` without a cache."""
    return make() if cache is None else cache.get(name, key, make)


def fingerprint(*parts: object, files: Iterable[Path] = ()) -> str:
    """A digest of ``parts`` (by ``repr``) and of the names and bytes of ``files``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode() + b"\0")
    for path in files:
        digest.update(str(path).encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
