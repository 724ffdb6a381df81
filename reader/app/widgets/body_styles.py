"""Per-line styles of the article body, kept up to date one change at a time.

Why a module of its own: an article can carry thousands of highlights, and rebuilding every
line's styles after each change cost more than a frame. Each source of styles (dimmed set-aside
text, highlight marks, search matches) is kept per document line, so a change restyles only the
lines its spans touch; drawing a line costs O(styles on that line). The body widget owns the
drawing (`BodyView.get_line`); this holds what it draws.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.style import Style

from reader.app.selection import LineIndex

Span = tuple[int, int]
# Past this many changed marks a full rebuild is cheaper than restyling line by line.
REBUILD_FRACTION = 0.5


@dataclass(slots=True)
class LineStyles:
    """What one document line draws: style spans in columns (applied in order) and the marks on it."""

    spans: list[tuple[int, int, Style]] = field(default_factory=list)
    marks: list[Any] = field(default_factory=list)


@dataclass(slots=True)
class _Sources:
    """One line's inputs, kept apart so each can change alone."""

    dimmed: list[tuple[int, int]] = field(default_factory=list)
    marks: list[tuple[int, int, int, Any]] = field(default_factory=list)  # (seq, start col, end col, mark)
    matches: list[tuple[int, int]] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.dimmed or self.marks or self.matches)


class StyleIndex:
    """The styles of every line of one body text.

    `lines` is the dict the widget reads (row -> `LineStyles`); it is changed in place, so a
    reference to it stays valid. Every setter returns the rows it restyled.

    `mark_style(mark)` gives a mark's style; marks with `mine` false are drawn first, so your own
    fill goes over another annotator's underline and sets the text colour.
    """

    def __init__(
        self,
        index: LineIndex,
        length: int,
        *,
        mark_style: Callable[[Any], Style],
        dimmed_style: Style,
        match_style: Style,
        overlaps: Callable[[list[tuple[int, int, Style]]], list[tuple[int, int, Style]]],
    ) -> None:
        self.index = index
        self.length = length
        self.lines: dict[int, LineStyles] = {}
        self._mark_style = mark_style
        self._dimmed_style = dimmed_style
        self._match_style = match_style
        self._overlaps = overlaps
        self._sources: dict[int, _Sources] = {}
        self._marks: dict[Any, int] = {}  # mark -> its sequence number (the order it came in)
        self._seq = 0
        self._dimmed: list[Span] = []
        self._matches: list[Span] = []

    # --- what is drawn ----------------------------------------------------------------------------
    @property
    def marks(self) -> list[Any]:
        """Every mark, by (start, end), ties in the order they came."""
        return sorted(self._marks, key=lambda m: (m.start, m.end, self._marks[m]))

    def set_marks(self, marks: Iterable[Any]) -> set[int]:
        """Draw exactly `marks`: only those that differ from the marks drawn now are restyled."""
        wanted = list(dict.fromkeys(marks))
        new = set(wanted)
        removed = [m for m in self._marks if m not in new]
        added = [m for m in wanted if m not in self._marks]
        if len(removed) + len(added) > REBUILD_FRACTION * max(1, len(wanted)) and len(wanted) > 8:
            return self._rebuild_marks(wanted)
        return self.change_marks(removed, added)

    def change_marks(self, removed: Iterable[Any] = (), added: Iterable[Any] = ()) -> set[int]:
        """Take `removed` marks away and draw `added` ones (after those drawn now)."""
        dirty: set[int] = set()
        for mark in removed:
            if self._marks.pop(mark, None) is None:
                continue
            for row, _, _ in self.split(mark.start, mark.end):
                source = self._sources.get(row)
                if source is not None:
                    source.marks = [entry for entry in source.marks if entry[3] != mark]
                    dirty.add(row)
        for mark in added:
            if mark in self._marks:
                continue
            self._seq += 1
            self._marks[mark] = self._seq
            for row, s, e in self.split(mark.start, mark.end):
                self._source(row).marks.append((self._seq, s, e, mark))
                dirty.add(row)
        self._restyle(dirty)
        return dirty

    def set_dimmed(self, spans: Sequence[Span]) -> set[int]:
        """Spans drawn dimmed and italic (text the cleaner set aside, shown in place)."""
        spans = list(spans)
        if spans == self._dimmed:
            return set()
        dirty = self._replace_spans(self._dimmed, spans, "dimmed")
        self._dimmed = spans
        return dirty

    def set_matches(self, spans: Sequence[Span]) -> set[int]:
        """Search matches, drawn reversed over everything else."""
        spans = list(spans)
        if spans == self._matches:
            return set()
        dirty = self._replace_spans(self._matches, spans, "matches")
        self._matches = spans
        return dirty

    # --- where spans fall -----------------------------------------------------------------------
    def split(self, start: int, end: int) -> Iterable[tuple[int, int, int]]:
        """(row, start column, end column) pieces of a body span, one per line it touches."""
        start = max(0, min(start, self.length))
        end = max(start, min(end, self.length))
        row, col = self.index.to_location(start)
        end_row, end_col = self.index.to_location(end)
        while row < end_row:
            line_start, line_end = self.index.line_span(row)
            if line_end - line_start > col:
                yield row, col, line_end - line_start
            row, col = row + 1, 0
        if end_col > col:
            yield row, col, end_col

    # --- keeping the lines --------------------------------------------------------------------
    def _source(self, row: int) -> _Sources:
        source = self._sources.get(row)
        if source is None:
            source = self._sources[row] = _Sources()
        return source

    def _replace_spans(self, old: list[Span], new: list[Span], kind: str) -> set[int]:
        dirty: set[int] = set()
        for start, end in old:
            for row, _, _ in self.split(start, end):
                source = self._sources.get(row)
                if source is not None:
                    setattr(source, kind, [])
                    dirty.add(row)
        for start, end in new:
            for row, s, e in self.split(start, end):
                getattr(self._source(row), kind).append((s, e))
                dirty.add(row)
        self._restyle(dirty)
        return dirty

    def _rebuild_marks(self, marks: list[Any]) -> set[int]:
        dirty = {row for row, source in self._sources.items() if source.marks}
        for source in self._sources.values():
            source.marks = []
        self._marks = {}
        for mark in marks:
            self._seq += 1
            self._marks[mark] = self._seq
            for row, s, e in self.split(mark.start, mark.end):
                self._source(row).marks.append((self._seq, s, e, mark))
                dirty.add(row)
        self._restyle(dirty)
        return dirty

    def _restyle(self, rows: Iterable[int]) -> None:
        for row in rows:
            source = self._sources.get(row)
            if source is None or source.empty():
                self._sources.pop(row, None)
                self.lines.pop(row, None)
                continue
            self.lines[row] = self._line(source)

    def _line(self, source: _Sources) -> LineStyles:
        """One line's spans in drawing order: dimmed text, others' marks, your marks (each in
        (start, end) order), overlaps, search matches."""
        entry = LineStyles()
        for s, e in source.dimmed:
            entry.spans.append((s, e, self._dimmed_style))
        ordered = sorted(source.marks, key=lambda m: (m[3].mine, m[3].start, m[3].end, m[0]))
        for _, s, e, mark in ordered:
            entry.spans.append((s, e, self._mark_style(mark)))
            entry.marks.append(mark)
        if len(entry.marks) > 1:
            entry.spans.extend(self._overlaps(entry.spans))
        for s, e in source.matches:
            entry.spans.append((s, e, self._match_style))
        return entry
