"""A list of rows that renders only what is on screen, for panes of thousands of rows.

Why not Textual's `OptionList`: it measures every option by wrapping it, and forgets every
measure on any change (a new option, a changed prompt), so a pane of 5,000 highlights paid for
5,000 wraps on each keypress that touched it. Here a row's height comes from a cheap rule its
owner gives (`row_height`), the rows' first lines are prefix sums, and a row is drawn (wrapped,
cut or padded to exactly that height) only when it is on screen. Inserting, removing or
changing one row costs that row plus a pass over a list of integers.

The interface follows `OptionList` where the app and its tests use it (`options`,
`option_count`, `get_option_at_index`, `get_option_index`, `highlighted`,
`highlighted_option`, an `OptionSelected` message on Enter or a click), with the same keys
and look.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style


class Row:
    """One row: an id (None for a heading), whether it can be chosen, and what it shows.

    `prompt` is made on first use from `make_prompt` (a row off screen never builds its text);
    `data` is the owner's (for the highlights pane, a `HighlightRow`)."""

    __slots__ = ("id", "disabled", "data", "_make_prompt", "_prompt", "_strips")

    def __init__(
        self, id: str | None, data: Any, make_prompt: Callable[[], Content], *, disabled: bool = False
    ) -> None:
        self.id = id
        self.data = data
        self.disabled = disabled
        self._make_prompt = make_prompt
        self._prompt: Content | None = None
        self._strips: tuple[Any, list[Strip]] | None = None  # (key, strips) of the last drawing

    @property
    def prompt(self) -> Content:
        if self._prompt is None:
            self._prompt = self._make_prompt()
        return self._prompt


class RowList(ScrollView, can_focus=True):
    """The virtual list (see the module docstring). Subclasses give `row_height` and
    `row_paragraphs`, which must agree: paragraph i is drawn in exactly its given number of lines."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "option-list--option",
        "option-list--option-disabled",
        "option-list--option-highlighted",
    }

    DEFAULT_CSS = """
    RowList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .option-list--option-disabled {
            color: $text-disabled;
        }
    }
    """

    class OptionSelected(Message):
        """Enter or a click on a row that can be chosen."""

        def __init__(self, row_list: RowList, option: Row, index: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.option = option
            self.option_index = index

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._rows: list[Row] = []
        self._index: dict[str, int] = {}  # row id -> position
        self._heights: list[int] = []
        self._tops: list[int] = [0]  # first line of each row, then the total
        self._width = 0
        self._highlighted: int | None = None

    # --- what subclasses give -------------------------------------------------------------------
    def row_height(self, row: Row, width: int) -> int:
        """Lines the row takes at `width`; cheap, since every row is measured."""
        raise NotImplementedError

    def row_paragraphs(self, row: Row, width: int) -> Sequence[tuple[Content, int]]:
        """The row's paragraphs and the lines each is drawn in (adding up to `row_height`)."""
        raise NotImplementedError

    # --- the OptionList-like interface ---------------------------------------------------------------
    @property
    def options(self) -> list[Row]:
        return list(self._rows)

    @property
    def option_count(self) -> int:
        return len(self._rows)

    def get_option_at_index(self, index: int) -> Row:
        return self._rows[index]

    def get_option_index(self, option_id: str) -> int:
        return self._index[option_id]

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._rows) - 1)) if self._rows else None
        if index == self._highlighted:
            return
        old, self._highlighted = self._highlighted, index
        for i in (old, index):
            if i is not None and i < len(self._rows):
                self.refresh_row(i)
        self.scroll_to_highlight()

    @property
    def highlighted_option(self) -> Row | None:
        i = self._highlighted
        return self._rows[i] if i is not None and i < len(self._rows) else None

    # --- changing rows --------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[Row]) -> None:
        """Replace every row (the cursor stays on the same row id when it is still there)."""
        keep = self.highlighted_option.id if self.highlighted_option else None
        self._rows = list(rows)
        self._reindex(0)
        self._measure_all()
        self._highlighted = self._index.get(keep) if keep else None
        self.refresh()

    def insert_row(self, index: int, row: Row) -> None:
        self._rows.insert(index, row)
        self._heights.insert(index, self.row_height(row, self._width) if self._width else 1)
        self._reindex(index)
        self._retop()
        if self._highlighted is not None and self._highlighted >= index:
            self._highlighted += 1
        self.refresh()

    def remove_row(self, index: int) -> Row:
        row = self._rows.pop(index)
        del self._heights[index]
        if row.id is not None:
            self._index.pop(row.id, None)
        self._reindex(index)
        self._retop()
        h = self._highlighted
        if h is not None:
            if h > index or (h == index and h >= len(self._rows)):
                h -= 1
            self._highlighted = self._enabled_near(h) if self._rows else None
        self.refresh()
        return row

    def replace_row(self, index: int, row: Row) -> None:
        old = self._rows[index]
        if old.id is not None and old.id != row.id:
            self._index.pop(old.id, None)
        self._rows[index] = row
        if row.id is not None:
            self._index[row.id] = index
        height = self.row_height(row, self._width) if self._width else 1
        if height != self._heights[index]:
            self._heights[index] = height
            self._retop()
            self.refresh()
        else:
            self.refresh_row(index)

    def refresh_row(self, index: int) -> None:
        """Draw the row again (its text or its cursor changed)."""
        self._rows[index]._strips = None
        self.refresh_lines(self._tops[index], self._heights[index])

    # --- layout -----------------------------------------------------------------------------------
    def _reindex(self, start: int) -> None:
        if start == 0:
            self._index = {r.id: i for i, r in enumerate(self._rows) if r.id is not None}
            return
        for i in range(start, len(self._rows)):
            row_id = self._rows[i].id
            if row_id is not None:
                self._index[row_id] = i

    def _measure_all(self) -> None:
        width = self._width
        self._heights = [self.row_height(r, width) for r in self._rows] if width else [1] * len(self._rows)
        for row in self._rows:
            row._strips = None
        self._retop()

    def _retop(self) -> None:
        self._tops = [0, *accumulate(self._heights)]
        self.virtual_size = Size(self._width, self._tops[-1])

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def on_resize(self, event: events.Resize) -> None:
        width = self._content_width()
        if width != self._width:
            self._width = width
            self._measure_all()
            self.scroll_to_highlight()

    def on_mount(self) -> None:
        self._width = self._content_width()
        self._measure_all()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def row_at_line(self, line: int) -> int | None:
        if not self._rows or line < 0 or line >= self._tops[-1]:
            return None
        return bisect_right(self._tops, line) - 1

    # --- drawing ----------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self._content_width()
        line = self.scroll_offset.y + y
        index = self.row_at_line(line)
        base = self.get_visual_style("option-list--option")
        if index is None:
            return Strip.blank(width, base.rich_style)
        strips = self._row_strips(index, width)
        offset = line - self._tops[index]
        return strips[offset] if offset < len(strips) else Strip.blank(width, base.rich_style)

    def _row_style(self, index: int, row: Row) -> Style:
        if row.disabled:
            return self.get_visual_style("option-list--option", "option-list--option-disabled")
        if index == self._highlighted:
            return self.get_visual_style("option-list--option", "option-list--option-highlighted")
        return self.get_visual_style("option-list--option")

    def _row_strips(self, index: int, width: int) -> list[Strip]:
        row = self._rows[index]
        style = self._row_style(index, row)
        key = (width, style, self.has_focus)
        if row._strips is not None and row._strips[0] == key:
            return row._strips[1]
        strips: list[Strip] = []
        for paragraph, lines in self.row_paragraphs(row, width):
            wrapped = paragraph.wrap(width) if paragraph.cell_length > width else [paragraph]
            if len(wrapped) > lines:
                wrapped = wrapped[:lines]
                wrapped[-1] = (wrapped[-1].rstrip() + "…").truncate(width, ellipsis=True)
            wrapped += [Content("")] * (lines - len(wrapped))
            for piece in wrapped:
                segments = piece.render_segments(style)
                strips.append(Strip(segments, piece.cell_length).extend_cell_length(width, style.rich_style))
        row._strips = (key, strips)
        return strips

    def notify_style_update(self) -> None:
        super().notify_style_update()
        for row in self._rows:  # the theme or the CSS changed: draw every row anew
            row._strips = None
        self.refresh()

    def on_focus(self) -> None:
        self._redraw_cursor()

    def on_blur(self) -> None:
        self._redraw_cursor()

    def _redraw_cursor(self) -> None:
        if self._highlighted is not None and self._highlighted < len(self._rows):
            self.refresh_row(self._highlighted)

    # --- moving -----------------------------------------------------------------------------------
    def _enabled_near(self, index: int, step: int = 1) -> int | None:
        """The first row that can be chosen from `index` on in the `step` direction, else the other way."""
        for direction in (step, -step):
            i = index
            while 0 <= i < len(self._rows):
                if not self._rows[i].disabled:
                    return i
                i += direction
        return None

    def _move(self, index: int, step: int) -> None:
        target = self._enabled_near(max(0, min(index, len(self._rows) - 1)), step)
        if target is not None:
            self.highlighted = target

    def action_cursor_down(self) -> None:
        start = 0 if self._highlighted is None else self._highlighted + 1
        if start < len(self._rows):
            self._move(start, 1)

    def action_cursor_up(self) -> None:
        start = len(self._rows) - 1 if self._highlighted is None else self._highlighted - 1
        if start >= 0:
            self._move(start, -1)

    def action_first(self) -> None:
        self._move(0, 1)

    def action_last(self) -> None:
        self._move(len(self._rows) - 1, -1)

    def _page(self, direction: int) -> None:
        if not self._rows:
            return
        current = self._highlighted or 0
        line = self._tops[current] + direction * max(1, self.scrollable_content_region.height)
        line = max(0, min(line, self._tops[-1] - 1))
        target = self.row_at_line(line)
        if target is not None:
            self._move(target, direction)

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        row = self.highlighted_option
        if row is not None and not row.disabled and self._highlighted is not None:
            self.post_message(self.OptionSelected(self, row, self._highlighted))

    async def _on_click(self, event: events.Click) -> None:
        index = self.row_at_line(event.y + self.scroll_offset.y)
        if index is not None and not self._rows[index].disabled:
            self.highlighted = index
            self.action_select()

    def scroll_to_highlight(self) -> None:
        index = self._highlighted
        if index is None or not self.is_mounted or index >= len(self._rows) or not self.size.height:
            return  # (a hidden list has no height: it scrolls when shown)
        region = Region(0, self._tops[index], max(1, self._width), self._heights[index])
        self.scroll_to_region(region, animate=False, force=True, immediate=True)
