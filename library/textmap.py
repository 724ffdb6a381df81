"""Clean text that remembers where every character came from in the original file.

Parsers rebuild article text (unwrapping lines, turning `[text](#)` into `text`, joining split
paragraphs). Annotations must still be expressible as offsets into the original file, so every
piece of clean text is either copied from the source (a *run*, which maps one-to-one) or
synthesised (a joining space, a paragraph break), which maps to the nearest copied neighbour.
All offsets are Python code points; ends are exclusive.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Run:
    """`length` characters at `clean` in the clean text equal those at `source` in the source."""

    clean: int
    source: int
    length: int


_new = object.__new__
_SLOTS: Any = Run  # the slot descriptors, read off the class (not instance attributes to mypy)
_set_clean, _set_source, _set_length = _SLOTS.clean.__set__, _SLOTS.source.__set__, _SLOTS.length.__set__


def make_run(clean: int, source: int, length: int) -> Run:
    """`Run(clean, source, length)` in half the time: the slots are set directly, past the
    frozen dataclass's checked `__setattr__` (cleaning makes tens of thousands a batch)."""
    run = _new(Run)
    _set_clean(run, clean)
    _set_source(run, source)
    _set_length(run, length)
    return run


class TextBuilder:
    """Accumulates clean text from copied source slices and synthesised glue.

    Runs are kept as [clean, source, length] lists while they grow (a copy that continues the
    last run extends it in place) and become `Run`s when asked for."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._runs: list[list[int]] = []
        self._length = 0

    def __len__(self) -> int:
        return self._length

    def copy(self, source_start: int, text: str) -> None:
        """Append `text`, which must equal `source[source_start:source_start + len(text)]`."""
        if not text:
            return
        size = len(text)
        runs = self._runs
        if runs:
            last = runs[-1]
            if last[0] + last[2] == self._length and last[1] + last[2] == source_start:
                last[2] += size
                self._parts.append(text)
                self._length += size
                return
        runs.append([self._length, source_start, size])
        self._parts.append(text)
        self._length += size

    def insert(self, text: str) -> None:
        """Append synthesised text that has no counterpart in the source."""
        self._parts.append(text)
        self._length += len(text)

    def text(self) -> str:
        return "".join(self._parts)

    def runs(self) -> list[Run]:
        return [make_run(c, s, n) for c, s, n in self._runs]


class OffsetMap:
    """Converts spans between clean-text offsets and source offsets."""

    def __init__(self, runs: list[Run]) -> None:
        self.runs = sorted(runs, key=lambda r: r.clean)
        self._clean_starts = [r.clean for r in self.runs]
        self._by_source = sorted(self.runs, key=lambda r: r.source)
        self._source_starts = [r.source for r in self._by_source]

    def __bool__(self) -> bool:
        return bool(self.runs)

    def shifted(self, clean_delta: int) -> OffsetMap:
        return OffsetMap([Run(r.clean + clean_delta, r.source, r.length) for r in self.runs])

    def source_position(self, clean: int, *, end: bool = False) -> int | None:
        """Source offset of a clean boundary; a synthesised character snaps outward to copied text."""
        runs = self.runs
        if not runs:
            return None
        if end:
            # Boundary after character clean-1.
            i = bisect_right(self._clean_starts, clean - 1) - 1
            if i >= 0:
                r = runs[i]
                if clean - 1 < r.clean + r.length:
                    return r.source + (clean - r.clean)
                return r.source + r.length
            return runs[0].source
        i = bisect_right(self._clean_starts, clean) - 1
        if i >= 0:
            r = runs[i]
            if clean < r.clean + r.length:
                return r.source + (clean - r.clean)
        if i + 1 < len(runs):
            return runs[i + 1].source
        return runs[-1].source + runs[-1].length

    def to_source(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a clean span to the source span covering exactly its copied characters."""
        if not self.runs or end < start:
            return None
        s = self.source_position(start)
        e = self.source_position(end, end=True) if end > start else s
        if s is None or e is None:
            return None
        return (s, max(s, e))

    def clean_position(self, source: int, *, end: bool = False) -> int | None:
        """Clean offset of a source boundary; text dropped from the source snaps inward."""
        runs = self._by_source
        if not runs:
            return None
        if end:
            i = bisect_right(self._source_starts, source - 1) - 1
            if i < 0:
                return None
            r = runs[i]
            if source - 1 < r.source + r.length:
                return r.clean + (source - r.source)
            return r.clean + r.length
        i = bisect_right(self._source_starts, source) - 1
        if i >= 0:
            r = runs[i]
            if source < r.source + r.length:
                return r.clean + (source - r.source)
        if i + 1 < len(runs):
            return runs[i + 1].clean
        return None

    def to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """Map a source span into clean text, or None when none of it survives in the clean text."""
        s = self.clean_position(start)
        e = self.clean_position(end, end=True)
        if s is None or e is None or e <= s:
            return None
        return (s, e)
