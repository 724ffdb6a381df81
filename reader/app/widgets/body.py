"""The article body: a read-only TextArea that draws highlights and search matches.

A read-only TextArea gives a visible cursor, keyboard and mouse selection and lazy, wrapped
rendering of only the visible lines. Highlights are drawn by overriding `get_line`; the styles
for each document line are precomputed whenever the annotations change, so drawing a line costs
O(highlights on that line), never O(all highlights).

Offsets handed in and out are body offsets (code points, end exclusive). The text shown is the
body passed through `safetext.display_text` (one character for one character), so offsets stay valid.

Keys: the body reads its keys through the selection grammar (`reader.app.grammar`): motions, counts,
finds, text objects and `v` change the grammar's `Cursor`, which the body draws itself (the cursor
reverse and underlined, on the character it sits on; the selection on a grey fill, both end characters
included, so what looks selected is selected). Keys the grammar does not take fall through to the
screen's bindings; its commands (label, pick, search, repeat) go to the screen as `BodyView.Command`.
"""

from __future__ import annotations

import unicodedata
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Offset, Region, Spacing
from textual.message import Message
from textual.widgets.text_area import Selection

from library.safetext import display_text
from reader.app.grammar import Cursor, Grammar
from reader.app.selection import LineIndex
from reader.app.textual_compat import TextAreaHooks, use_cached_height
from reader.app.widgets.body_styles import LineStyles, StyleIndex
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
DIMMED_STYLE = Style(dim=True, italic=True)
# The cursor and the selection, each in a style of its own at every colour depth: the selection is
# a grey fill (ANSI bright black at 16 colours, a colour no highlight uses) with white ink; the cursor
# is the character under it reversed, underlined and bold, so it stands out on plain text, on the
# selection, on a highlight's fill and on a search match (reversed already, but not underlined).
SELECTION_STYLE = Style(color=INK_LIGHT, bgcolor="bright_black")
CURSOR_STYLE = Style(reverse=True, underline=True, bold=True)
# Keys the grammar reads under another name: arrows are h j k l.
_KEY_ALIASES = {"left": "h", "right": "l", "up": "k", "down": "j", "escape": "escape", "enter": "enter"}


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


class BodyView(TextAreaHooks):
    """Read-only article body with highlight drawing, the vi selection grammar and offset helpers."""

    class Command(Message):
        """A grammar command for the screen: "label" (arg: the label key's number), "pick",
        "search", "repeat"."""

        def __init__(self, command: str, arg: int | str | None) -> None:
            super().__init__()
            self.command = command
            self.arg = arg

    class CursorMoved(Message):
        """The cursor, the selection or the pending keys changed (for the status line)."""

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

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, reads_keys: bool = False
    ) -> None:
        """`reads_keys`: the body reads its keys through the selection grammar (the article screen);
        otherwise they go to the screen's bindings (the curation view has keys of its own)."""
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
        self.show_cursor = False  # the body draws the grammar's cursor itself (CURSOR_STYLE)
        self.match_cursor_bracket = False
        self.reads_keys = reads_keys
        self.grammar = Grammar("")
        self.cur = Cursor(0)
        self._placed: Selection | None = None  # the TextArea selection the body set last
        self.body = ""
        self.index = LineIndex("")
        self._new_styles()
        self._wrap_key: tuple[int, int, int] | None = None

    # --- content ------------------------------------------------------------------------------
    def document_set(self) -> None:
        use_cached_height(self.wrapped_document)  # same object, cached height (see textual_compat)

    def set_body(self, body: str) -> None:
        """Show a new body; marks and matches are cleared (set them again for the new text)."""
        self.body = body_display_text(body)
        self.index = LineIndex(self.body)
        self._new_styles()
        self.grammar = Grammar(self.body)
        self.cur = Cursor(0)
        self.load_text(self.body)
        self._place()

    # --- styles (highlights, set-aside text, search matches): see body_styles.py --------------------
    def _new_styles(self) -> None:
        """Empty styles for the current text; `_line_styles` is the dict `get_line` reads."""
        self._styles = StyleIndex(
            self.index,
            len(self.body),
            mark_style=_mark_style,
            dimmed_style=DIMMED_STYLE,
            match_style=MATCH_STYLE,
            overlaps=_overlaps,
        )
        self._line_styles: dict[int, LineStyles] = self._styles.lines

    def set_marks(self, marks: Iterable[Mark]) -> None:
        """Draw exactly these highlights; only the lines of those that changed are restyled."""
        self._styles_changed(self._styles.set_marks(marks))

    def change_marks(self, removed: Iterable[Mark] = (), added: Iterable[Mark] = ()) -> None:
        """Take some highlights away and draw others: one highlight changed costs its own lines."""
        self._styles_changed(self._styles.change_marks(removed, added))

    def set_dimmed(self, spans: Sequence[tuple[int, int]]) -> None:
        """Spans drawn dimmed and italic (text the cleaner set aside, shown in place)."""
        self._styles_changed(self._styles.set_dimmed(spans))

    def set_matches(self, matches: Sequence[tuple[int, int]]) -> None:
        self._styles_changed(self._styles.set_matches(matches))

    @property
    def marks(self) -> list[Mark]:
        return self._styles.marks

    def _styles_changed(self, rows: set[int]) -> None:
        if rows:
            self.notify_style_update()
            self.refresh()

    def _split_by_line(self, start: int, end: int) -> Iterable[tuple[int, int, int]]:
        """(row, start column, end column) pieces of a body span, one per line it touches."""
        return self._styles.split(start, end)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        entry = self._line_styles.get(line_index)
        if entry:
            for s, e, style in entry.spans:
                line.stylize(style, s, e)
        span = self.cur.span
        if span is not None:
            line_start, line_end = self.index.line_span(line_index)
            s, e = max(span[0], line_start), min(span[1], line_end)
            if e > s:
                line.stylize(SELECTION_STYLE, s - line_start, e - line_start)
        row, col = self.index.to_location(self.cur.pos)
        if row == line_index and self.body:
            if col >= len(line.plain):  # on a line's end (a blank line): a visible cell to draw on
                line.append(" ")
            line.stylize(CURSOR_STYLE, col, col + 1)
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

    # --- the grammar's cursor ----------------------------------------------------------------------
    def set_cursor(self, cur: Cursor, *, center: bool = False) -> None:
        """Make `cur` the cursor and selection, draw it and keep it in view."""
        last = max(0, len(self.body) - 1)
        pos = max(0, min(cur.pos, last))
        anchor = None if cur.anchor is None else max(0, min(cur.anchor, last))
        self.cur = Cursor(pos, anchor, cur.moved, cur.labelled) if self.body else Cursor(0)
        self._place(center=center)

    def _place(self, *, center: bool = False) -> None:
        self._placed = Selection.cursor(self.index.to_location(self.cur.pos))
        self.selection = self._placed
        self.notify_style_update()
        self.refresh()
        self.scroll_cursor_visible(center=center)
        self.post_message(self.CursorMoved())

    def on_resize(self, event: events.Resize) -> None:
        """A pane opened below (or the terminal shrank): the cursor stays in view, as in vi."""
        if self.body:
            self.call_after_refresh(self.scroll_cursor_visible)

    def scroll_cursor_visible(self, center: bool = False, animate: bool = False) -> Offset:
        """Keep the grammar's cursor in view. TextArea's own version does nothing when its cursor
        is hidden (read-only with `show_cursor` off), and the body hides it to draw its own."""
        x, y = self.wrapped_document.location_to_offset(self.cursor_location)
        return self.scroll_to_region(
            Region(x, y, width=3, height=1),
            spacing=Spacing(right=self.gutter_width),
            animate=animate,
            force=True,
            center=center,
        )

    def feed(self, key: str) -> bool:
        """Read one key through the grammar; True when the grammar took it."""
        out = self.grammar.feed(key, self.cur)
        if not out.handled:
            return False
        if out.command == "lines":
            assert isinstance(out.arg, int)
            self.set_cursor(self.grammar.move_to(out.cursor, self._line_move(out.cursor.pos, out.arg)))
            return True
        self.set_cursor(out.cursor)
        if out.command is not None:
            self.post_message(self.Command(out.command, out.arg))
        return True

    def _line_move(self, pos: int, lines: int) -> int:
        """`pos` moved down (or up) by screen lines, as wrapped."""
        location = self.index.to_location(pos)
        for _ in range(abs(lines)):
            if lines > 0:
                location = self.navigator.get_location_below(location)
            else:
                location = self.navigator.get_location_above(location)
        return self.index.to_offset(location)

    async def on_key(self, event: events.Key) -> None:
        if not self.reads_keys:
            return
        key = _KEY_ALIASES.get(event.key)
        if key is None and event.character and len(event.character) == 1 and event.is_printable:
            key = event.character
        if key is None and event.character is None:
            key = _named_character(event.key)
        if key is not None and self.feed(key):
            event.stop()
            event.prevent_default()

    def on_text_area_selection_changed(self, event: BodyView.SelectionChanged) -> None:
        """A selection made another way (the mouse, page keys) becomes the grammar's."""
        if event.selection == self._placed or event.selection != self.selection:
            return  # the body's own placing, or a stale event (keys typed faster than messages)
        self.grammar.reset()
        start, end = event.selection
        a, b = self.index.to_offset(start), self.index.to_offset(end)
        if a == b:
            self.cur = Cursor(min(b, max(0, len(self.body) - 1)))
        else:
            lo, hi = min(a, b), max(a, b)
            self.cur = (
                Cursor(hi - 1, anchor=lo, moved=True) if b > a else Cursor(lo, anchor=hi - 1, moved=True)
            )
        self._placed = event.selection
        self.notify_style_update()
        self.refresh()

    @property
    def pending(self) -> str:
        """Keys typed of an unfinished command (a count, `f`, `i` ...), for the status line."""
        return self.grammar.pending

    # --- offsets ------------------------------------------------------------------------------
    @property
    def cursor_offset(self) -> int:
        return self.cur.pos

    @property
    def selecting(self) -> bool:
        return self.cur.selecting

    @selecting.setter
    def selecting(self, value: bool) -> None:
        if value != self.cur.selecting:
            self.set_cursor(Cursor(self.cur.pos, self.cur.pos if value else None))

    @property
    def anchor_offset(self) -> int:
        """The selection's fixed end (the cursor itself when nothing is selected)."""
        return self.cur.pos if self.cur.anchor is None else self.cur.anchor

    @property
    def selection_offsets(self) -> tuple[int, int]:
        """(start, end) of the selection in body offsets, both end characters included."""
        span = self.cur.span
        return span if span is not None else (self.cur.pos, self.cur.pos)

    @property
    def has_selection(self) -> bool:
        return self.cur.selecting

    @property
    def selected_text(self) -> str:
        start, end = self.selection_offsets
        return self.body[start:end]

    def select_offsets(self, start: int, end: int) -> None:
        """Select [start, end); the cursor goes onto its last character."""
        if end <= start:
            self.set_cursor(Cursor(start), center=True)
            return
        self.set_cursor(Cursor(end - 1, anchor=start, moved=True), center=True)

    def keep_labelled(self, span: tuple[int, int]) -> None:
        """After labelling `span`: it stays selected with the cursor inside it, so digits add labels
        and `n`, `x`, `*` act on the new highlight; the next motion starts afresh."""
        start, end = span
        backwards = self.cur.anchor is not None and self.cur.pos < self.cur.anchor
        cur = Cursor(start, end - 1) if backwards else Cursor(end - 1, start)
        self.set_cursor(Grammar.labelled(cur))

    def move_to_offset(self, offset: int, *, select: bool | None = None, center: bool = False) -> None:
        """Move the cursor; extends a selection when `select` says so (by default, while selecting)."""
        extend = self.selecting if select is None else select
        if extend and self.cur.selecting:
            self.set_cursor(self.grammar.move_to(self.cur, offset), center=center)
        else:
            self.set_cursor(Cursor(offset), center=center)

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


def _named_character(key: str) -> str | None:
    """The printable character a key name names ("right_double_quotation_mark" -> "”"), for keys
    that arrive by name without their character (Textual's test pilot sends typographic quotes so)."""
    if len(key) < 2 or "+" in key:
        return None
    try:
        char = unicodedata.lookup(key.replace("_", " "))
    except KeyError:
        return None
    return char if char.isprintable() and not char.isspace() else None


_MARK_STYLES: dict[tuple[str | None, bool, tuple[str, str]], Style] = {}


def _mark_style(mark: Mark) -> Style:
    """A mark's style, made once per tag and colour (thousands of marks share a few labels)."""
    key = (mark.tag, mark.mine, tag_colours(mark.tag))
    style = _MARK_STYLES.get(key)
    if style is None:
        style = _MARK_STYLES[key] = tag_style(mark.tag) if mark.mine else other_style(mark.tag)
    return style


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
