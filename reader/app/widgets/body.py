"""The article body: a read-only TextArea that draws highlights and search matches.

A read-only TextArea gives a visible cursor, keyboard and mouse selection and lazy, wrapped
rendering of only the visible lines. Highlights are drawn by overriding `get_line`; the styles
for each document line are precomputed whenever the annotations change, so drawing a line costs
O(highlights on that line), never O(all highlights).

Offsets handed in and out are body offsets (code points, end exclusive). The text shown is the
body passed through `safetext.display_text` (one character for one character), so offsets stay valid.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rich.style import Style
from rich.text import Text
from textual.widgets.text_area import Selection

from library.safetext import display_text
from reader.app.selection import LineIndex
from reader.app.textual_compat import TextAreaHooks, use_cached_height
from reader.app.widgets.fastwrap import fast_wrapping

# Background colours from the 16-colour ANSI set, each with the foreground that reads best on it
# in common dark palettes: pure black on light backgrounds, pure white on dark ones. (ANSI
# "black" and "white" are dark and light greys in many themes, too dim on a coloured fill; true
# black/white fall back to ANSI 0/15 on a 16-colour terminal.) Tag -> colour is a CRC of the tag
# name, so a tag keeps its colour across runs and articles.
INK_DARK = "#000000"
INK_LIGHT = "#ffffff"
TAG_PALETTE: tuple[tuple[str, str], ...] = (
    (INK_DARK, "yellow"),
    (INK_DARK, "cyan"),
    (INK_DARK, "green"),
    (INK_LIGHT, "magenta"),
    (INK_LIGHT, "blue"),
    (INK_LIGHT, "red"),
    (INK_DARK, "bright_yellow"),
    (INK_DARK, "bright_cyan"),
    (INK_DARK, "bright_green"),
    (INK_DARK, "bright_magenta"),
)
UNTAGGED = (INK_DARK, "white")
# Where two or more highlights overlap the text is also bold and underlined: not colour alone.
OVERLAP_STYLE = Style(bold=True, underline=True)
MATCH_STYLE = Style(reverse=True)


# Colours a label scheme gives its labels: label -> (ink, fill). Filled by the app from the
# library's scheme (reader/app/widgets/legend.py `use_scheme_colours`); other tags keep the CRC colour.
SCHEME_COLOURS: dict[str, tuple[str, str]] = {}


def tag_colours(tag: str | None) -> tuple[str, str]:
    """(foreground, background) for a tag; stable across runs."""
    if not tag:
        return UNTAGGED
    chosen = SCHEME_COLOURS.get(tag)
    if chosen is not None:
        return chosen
    return TAG_PALETTE[zlib.crc32(tag.encode("utf-8")) % len(TAG_PALETTE)]


def tag_style(tag: str | None) -> Style:
    fg, bg = tag_colours(tag)
    return Style(color=fg, bgcolor=bg)


def other_style(tag: str | None) -> Style:
    """Another annotator's highlight: italic and underlined in the tag's colour, no fill, so it
    reads apart from your own (filled) highlights without relying on colour alone."""
    _, bg = tag_colours(tag)
    return Style(color=bg, italic=True, underline=True)


# Characters `str.splitlines` treats as line breaks that display_text leaves alone. The document
# must split only at "\n" so that (row, column) locations map back to body offsets.
_EXTRA_BREAKS = str.maketrans({"\u2028": "\u21b5", "\u2029": "\u00b6"})


def body_display_text(body: str) -> str:
    """The body as shown: unsafe characters made visible, one character for one character."""
    return display_text(body).translate(_EXTRA_BREAKS)


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlight as drawn: its body span, the tag that picks its colour, its id, and whether it
    is the user's own (filled) or another annotator's (underlined, no fill)."""

    start: int
    end: int
    tag: str | None
    id: str
    mine: bool = True


@dataclass(slots=True)
class _LineStyles:
    spans: list[tuple[int, int, Style]] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


class BodyView(TextAreaHooks):
    """Read-only article body with highlight drawing, a vi-like selection mode and offset helpers."""

    DEFAULT_CSS = """
    BodyView {
        border: none;
        padding: 0 1;
        width: 1fr;
        max-width: 80;
        height: 1fr;
        scrollbar-gutter: stable;  /* a scrollbar appearing must not change the wrap width */
    }
    BodyView:focus {
        border: none;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(
            "",
            read_only=True,
            soft_wrap=True,
            show_cursor=True,
            highlight_cursor_line=False,
            tab_behavior="focus",
            id=id,
            classes=classes,
        )
        self.cursor_blink = False  # calm to read in, and deterministic for screenshots
        self.selecting = False  # `v` mode: motions extend the selection
        self.body = ""
        self.index = LineIndex("")
        self._line_styles: dict[int, _LineStyles] = {}
        self._marks: list[Mark] = []
        self._matches: list[tuple[int, int]] = []
        self._wrap_key: tuple[int, int, int] | None = None

    # --- content ------------------------------------------------------------------------------
    def document_set(self) -> None:
        use_cached_height(self.wrapped_document)  # same object, cached height (see textual_compat)

    def set_body(self, body: str) -> None:
        """Show a new body; marks and matches are cleared (set them again for the new text)."""
        self.body = body_display_text(body)
        self.index = LineIndex(self.body)
        self._marks = []
        self._matches = []
        self._line_styles = {}
        self.selecting = False
        self.load_text(self.body)

    def set_marks(self, marks: Iterable[Mark]) -> None:
        self._marks = sorted(marks, key=lambda m: (m.start, m.end))
        self._rebuild_styles()

    def set_matches(self, matches: Sequence[tuple[int, int]]) -> None:
        self._matches = list(matches)
        self._rebuild_styles()

    @property
    def marks(self) -> list[Mark]:
        return list(self._marks)

    def _rebuild_styles(self) -> None:
        """Precompute per-line style spans (highlights, overlaps, search matches)."""
        lines: dict[int, _LineStyles] = {}
        # Others' marks first: your own fill is then stylized over them and sets the text colour,
        # so an overlap never draws text in the same colour as its background.
        for mark in sorted(self._marks, key=lambda m: m.mine):
            for row, s, e in self._split_by_line(mark.start, mark.end):
                entry = lines.setdefault(row, _LineStyles())
                entry.spans.append((s, e, tag_style(mark.tag) if mark.mine else other_style(mark.tag)))
                entry.marks.append(mark)
        for entry in lines.values():
            if len(entry.marks) > 1:
                entry.spans.extend(_overlaps(entry.spans))
        for start, end in self._matches:
            for row, s, e in self._split_by_line(start, end):
                lines.setdefault(row, _LineStyles()).spans.append((s, e, MATCH_STYLE))
        self._line_styles = lines
        self.notify_style_update()
        self.refresh()

    def _split_by_line(self, start: int, end: int) -> Iterable[tuple[int, int, int]]:
        """(row, start column, end column) pieces of a body span, one per line it touches."""
        start = max(0, min(start, len(self.body)))
        end = max(start, min(end, len(self.body)))
        row, col = self.index.to_location(start)
        end_row, end_col = self.index.to_location(end)
        while row < end_row:
            line_start, line_end = self.index.line_span(row)
            if line_end - line_start > col:
                yield row, col, line_end - line_start
            row, col = row + 1, 0
        if end_col > col:
            yield row, col, end_col

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        entry = self._line_styles.get(line_index)
        if entry:
            for s, e, style in entry.spans:
                line.stylize(style, s, e)
        return line

    def rewrap(self) -> None:
        """Skip re-wrapping a long body when neither the text nor the width changed.

        TextArea re-wraps the whole document whenever the vertical scrollbar appears or hides;
        with a stable scrollbar gutter the wrap width does not change, so that work is wasted
        (about 100 ms for a 100,000-word article).
        """
        wrapped = self.wrapped_document
        key = (id(wrapped), self.wrap_width, self.indent_width)
        if key == getattr(self, "_wrap_key", None):  # (called from TextArea.__init__ too)
            self.refresh_without_rewrap()
            return
        self._wrap_key = key  # before wrapping: the wrap can re-enter here via the scrollbar watcher
        with fast_wrapping():  # the same offsets, about three times sooner (see fastwrap.py)
            self.rewrap_all()

    # --- offsets ------------------------------------------------------------------------------
    @property
    def cursor_offset(self) -> int:
        return self.index.to_offset(self.cursor_location)

    @property
    def selection_offsets(self) -> tuple[int, int]:
        """(start, end) of the selection in body offsets, start <= end."""
        a = self.index.to_offset(self.selection.start)
        b = self.index.to_offset(self.selection.end)
        return (a, b) if a <= b else (b, a)

    @property
    def has_selection(self) -> bool:
        start, end = self.selection_offsets
        return end > start

    def select_offsets(self, start: int, end: int) -> None:
        """Select [start, end); the cursor goes to `end`."""
        self.selection = Selection(self.index.to_location(start), self.index.to_location(end))
        self.scroll_cursor_visible(center=True)

    def move_to_offset(self, offset: int, *, select: bool | None = None, center: bool = False) -> None:
        """Move the cursor; extends the selection in selection mode (or when `select` says so)."""
        extend = self.selecting if select is None else select
        self.move_cursor(self.index.to_location(offset), select=extend, center=center)

    def marks_at(self, offset: int) -> list[Mark]:
        """Highlights covering `offset` (the character after the cursor), from that line's marks."""
        row, _ = self.index.to_location(offset)
        entry = self._line_styles.get(row)
        if not entry:
            return []
        seen: dict[str, Mark] = {}
        for m in entry.marks:
            if m.start <= offset < m.end or (m.start < offset == m.end and offset == self._line_end(row)):
                seen.setdefault(m.id, m)
        return list(seen.values())

    def _line_end(self, row: int) -> int:
        return self.index.line_span(row)[1]

    # --- selection mode: cursor actions extend the selection while `selecting` ----------------
    def action_cursor_left(self, select: bool = False) -> None:
        super().action_cursor_left(select or self.selecting)

    def action_cursor_right(self, select: bool = False) -> None:
        super().action_cursor_right(select or self.selecting)

    def action_cursor_up(self, select: bool = False) -> None:
        super().action_cursor_up(select or self.selecting)

    def action_cursor_down(self, select: bool = False) -> None:
        super().action_cursor_down(select or self.selecting)

    def action_cursor_line_start(self, select: bool = False) -> None:
        super().action_cursor_line_start(select or self.selecting)

    def action_cursor_line_end(self, select: bool = False) -> None:
        super().action_cursor_line_end(select or self.selecting)

    def action_cursor_word_left(self, select: bool = False) -> None:
        super().action_cursor_word_left(select or self.selecting)

    def action_cursor_word_right(self, select: bool = False) -> None:
        super().action_cursor_word_right(select or self.selecting)


def _overlaps(spans: list[tuple[int, int, Style]]) -> list[tuple[int, int, Style]]:
    """Column ranges covered by two or more of `spans`, styled as overlaps."""
    events: list[tuple[int, int]] = []
    for s, e, _ in spans:
        events.append((s, 1))
        events.append((e, -1))
    events.sort()
    out: list[tuple[int, int, Style]] = []
    depth = 0
    opened = 0
    for pos, delta in events:
        before = depth
        depth += delta
        if before < 2 <= depth:
            opened = pos
        elif before >= 2 > depth and pos > opened:
            out.append((opened, pos, OVERLAP_STYLE))
    return out
