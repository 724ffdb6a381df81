"""The library's article list: a line-API widget that draws only the rows on screen.

Why not `DataTable`: a table of 10,000 articles needs neither per-cell measuring nor per-row
objects, and fitting columns to their content needs widths `DataTable` only offers through its
private members. Like Textualize's toolong log view, this is a `ScrollView` whose `render_line`
draws the visible line of a row from the article summaries; columns are sized once per fill from
their content (an empty column shrinks to its heading), and the title takes the rest.

A fill may be partial (`fill_partial`): the table then holds the first rows of a longer list,
and asks its source for more as the cursor or the scroll reaches them; rows further on than a
few pages are drawn as "…" until the whole list arrives (at a million articles, the first screen
reads one page, not the catalogue).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from library.model import ArticleSummary
from library.safetext import one_line

COLUMNS = (
    ("title", "Title"),
    ("site", "Site"),
    ("date", "Date"),
    ("tags", "Tags"),
    ("highlights", "HL"),
    ("read", "Read"),
    ("state", "Work"),
)
# The most a column after the title may take (cells), on narrow (< 100 columns) and wide screens.
NARROW_CAPS = {"site": 14, "date": 10, "tags": 12, "highlights": 4, "read": 4, "state": 4}
WIDE_CAPS = {"site": 20, "date": 10, "tags": 24, "highlights": 4, "read": 4, "state": 4}
STATE_CELLS = {"new": "new", "progress": "wip", "done": "done"}  # the work state column
MIN_TITLE = 20
GAP = 1  # cells between two columns
BIG_FILL = 20_000  # rows beyond which a fill checks nothing and sizes columns from a sample
LOOKAHEAD = 5000  # rows a partial table reads ahead of what it holds; further on it draws "…"
PENDING = "…"  # a row of a partial table not read yet


def row_cells(summary: ArticleSummary) -> tuple[Text, ...]:
    """The row for one article; every string is safe text, never markup."""
    meta = summary.meta
    title = one_line(meta.title or "", 300) or "(untitled)"
    return (
        Text(title, end=""),
        Text(one_line(meta.site or "", 60), end=""),
        Text((meta.published or "")[:10], end=""),
        Text(one_line(", ".join(summary.tags), 120), end=""),
        Text(str(summary.highlights) if summary.highlights else "", justify="right", end=""),
        Text("✓" if summary.read else "•", justify="center", end=""),
        Text(STATE_CELLS.get(summary.state, ""), end=""),
    )


def content_widths(summaries: Iterable[ArticleSummary]) -> dict[str, int]:
    """The widest cell of each column after the title (one pass; no summary builds its
    `Metadata`, so 10,000 rows take milliseconds)."""
    rows = list(summaries)
    sites = (len(site) for row in rows if (site := row.site))
    dates = (min(10, len(date)) for row in rows if (date := row.published))
    tags = (len(", ".join(row.tags)) for row in rows if row.tags)
    highlights = max((row.highlights for row in rows), default=0)
    return {
        "site": max(sites, default=0),
        "date": max(dates, default=0),
        "tags": max(tags, default=0),
        "highlights": len(str(highlights)) if highlights else 0,
        "read": 1,
        "state": 4,
    }


def fit_widths(summaries: Iterable[ArticleSummary] | dict[str, int], total: int) -> dict[str, int]:
    """Each column's width for a table `total` cells wide: the columns after the title take what
    their widest cell (or heading) needs, up to a cap; the title takes the rest (at least
    `MIN_TITLE`, narrowing the other columns when the screen is too small). `summaries` may be
    their `content_widths` already."""
    needed = summaries if isinstance(summaries, dict) else content_widths(summaries)
    caps = NARROW_CAPS if total < 100 else WIDE_CAPS
    labels = dict(COLUMNS)
    widths = {key: min(cap, max(len(labels[key]), needed[key])) for key, cap in caps.items()}
    gaps = GAP * len(COLUMNS) + 1  # a gap before each column and a margin at the right
    title = total - sum(widths.values()) - gaps
    for key in ("tags", "site"):  # too narrow: these give way to the title first
        if title >= MIN_TITLE:
            break
        give = min(widths[key] - len(labels[key]), MIN_TITLE - title)
        widths[key] -= give
        title += give
    widths["title"] = max(MIN_TITLE, title)
    return widths


def fit(text: Text, width: int) -> Text:
    """`text` cut to `width` cells (ending in "…" when cut) and padded to it."""
    text = text.copy()
    text.truncate(width, overflow="ellipsis")
    text.align(text.justify if text.justify in ("left", "center", "right") else "left", width)
    return text


def _sample(rows: list[ArticleSummary]) -> list[ArticleSummary]:
    """The rows whose cells size the columns: all of a list up to `BIG_FILL`, else the first
    and last rows and an even spread between (a million rows are not measured on every sort;
    a cell wider than its column is cut with "…", as it would be at its cap)."""
    if len(rows) <= BIG_FILL:
        return rows
    step = len(rows) // BIG_FILL + 1
    return rows[:2000] + rows[2000:-2000:step] + rows[-2000:]


@dataclass(frozen=True, slots=True)
class RowSnippet:
    """The line under a search result: where the query matched (spans into `text`)."""

    text: str
    spans: tuple[tuple[int, int], ...]


class ArticleTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of articles with a cursor; Enter (or a click) posts `RowSelected`.

    With snippets set (during a search) every row has a second line showing where it matched.
    """

    DEFAULT_CSS = """
    ArticleTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    ArticleTable > .article-table--header {
        text-style: bold;
        color: $foreground;
        background: $primary 40%;
    }
    ArticleTable > .article-table--cursor {
        background: $block-cursor-blurred-background;
    }
    ArticleTable:focus > .article-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    ArticleTable > .article-table--snippet {
        color: $text-muted;
    }
    ArticleTable > .article-table--match {
        color: $text-warning;
        text-style: bold;
    }
    """

    HELP_SCOPE = "The list"  # the help screen's "Where" column

    COMPONENT_CLASSES = {
        "article-table--header",
        "article-table--cursor",
        "article-table--snippet",
        "article-table--match",
    }

    BINDINGS = [
        Binding(
            "enter", "select_cursor", "Open", id="library.open", tooltip="Open the article under the cursor"
        ),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
    ]

    cursor_row: reactive[int] = reactive(0, repaint=False, always_update=True)

    @dataclass
    class RowSelected(Message):
        """Enter or a click on a row: open `article_id`."""

        table: ArticleTable
        article_id: str

        @property
        def control(self) -> ArticleTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._rows: list[ArticleSummary] = []
        self._index_of: dict[str, int] | None = {}  # id -> row, made on first need (see `_index`)
        self._cells: LRUCache[str, tuple[Text, ...]] = LRUCache(512)
        self._widths: dict[str, int] = {}
        self._widths_for = -1
        self._needed: dict[str, int] | None = None  # content_widths of the rows
        self._snippet_source: Callable[[str], RowSnippet | None] | None = None
        self._snippets: dict[str, RowSnippet | None] = {}
        self._total = 0  # rows of the list: more than `_rows` while the fill is partial
        self._more: Callable[[int], list[ArticleSummary]] | None = None  # the first n rows
        self._tail: list[ArticleSummary] = []  # a partial table's last rows, the last first
        self._tail_more: Callable[[int], list[ArticleSummary]] | None = None  # the last n, so

    # --- data -------------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        """Rows of the list shown (a partial table counts the rows it has not read yet)."""
        return self._total

    @property
    def partial(self) -> bool:
        """Whether some rows are not read yet (see `fill_partial`)."""
        return len(self._rows) + len(self._tail) < self._total

    @property
    def read_rows(self) -> int:
        """How many rows the table holds summaries for."""
        return len(self._rows)

    @property
    def row_height(self) -> int:
        return 2 if self._snippet_source is not None else 1

    @property
    def ids(self) -> list[str]:
        return [summary.id for summary in self._rows] + [summary.id for summary in reversed(self._tail)]

    @property
    def built_rows(self) -> int:
        """How many rows have their cells made (only those drawn or read: the rest cost nothing)."""
        return len(self._cells)

    @property
    def _index(self) -> dict[str, int]:
        """id -> row of the rows held: made when first asked after a fill, not by the fill (a
        new sort of a million rows need not map them all)."""
        if self._index_of is None:
            self._index_of = {summary.id: i for i, summary in enumerate(self._rows)}
            last = self._total - 1
            self._index_of.update((summary.id, last - k) for k, summary in enumerate(self._tail))
            if len(self._index_of) != len(self._rows) + len(self._tail):
                raise ValueError("an article id appears twice")
        return self._index_of

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._index

    def fill(self, summaries: list[ArticleSummary], needed: dict[str, int] | None = None) -> None:
        """Show these rows (in this order); the cursor stays on its row number, within range.
        `needed`: their `content_widths`, when the caller made them already (off the UI thread)."""
        self._fill(list(summaries), len(summaries), None, needed)

    def fill_partial(
        self,
        first: list[ArticleSummary],
        total: int,
        more: Callable[[int], list[ArticleSummary]],
        last: Callable[[int], list[ArticleSummary]] | None = None,
    ) -> None:
        """Show a list of `total` rows of which `first` are read; `more(n)` gives the first n
        (fewer at its end), asked when the cursor or the scroll goes past what is held, and
        `last(n)` the last n, the last first (for End), when the caller can say."""
        self._fill(list(first), max(total, len(first)), more, None)
        self._tail_more = last if self._more is not None else None

    def _fill(
        self,
        rows: list[ArticleSummary],
        total: int,
        more: Callable[[int], list[ArticleSummary]] | None,
        needed: dict[str, int] | None,
    ) -> None:
        self._rows = rows
        self._total = total
        self._more = more if len(rows) < total else None
        self._tail = []
        self._tail_more = None
        self._index_of = None
        if len(rows) <= BIG_FILL and len({summary.id for summary in rows}) != len(rows):
            raise ValueError("an article id appears twice")
        self._cells.clear()
        self._needed = needed
        self._widths_for = -1
        self._update_virtual_size()
        self.cursor_row = min(self.cursor_row, max(0, self.row_count - 1))
        self.refresh()

    def _row(self, row: int) -> ArticleSummary | None:
        """The summary shown at `row`, reading it when it is near what is held; None if not."""
        if 0 <= row < len(self._rows):
            return self._rows[row]
        if row < 0 or row >= self._total or not self._read_to(row):
            return None
        if row < len(self._rows):
            return self._rows[row]
        return self._tail[self._total - 1 - row]

    def _read_tail(self, row: int) -> bool:
        """Hold the last rows down to `row` when it is near the end (End on a partial list)."""
        back = self._total - 1 - row
        if back < len(self._tail):
            return True
        if self._tail_more is None or back >= len(self._tail) + LOOKAHEAD:
            return False
        page = max(100, 2 * self.scrollable_content_region.height)
        tail = self._tail_more(back + page)
        if len(self._rows) + len(tail) >= self._total or len(tail) < back + page:
            # The two ends met (or the list is shorter than it said): read it from the top instead.
            self._tail, self._tail_more = [], None
            self._index_of = None
            return self._read_to(row) if self._more is not None else False
        self._tail = list(tail)
        self._index_of = None
        return True

    def _read_to(self, row: int) -> bool:
        """Hold the summaries up to `row` when it is near enough (see `LOOKAHEAD`), or from the
        end down to it; whether it is held now."""
        if row < len(self._rows):
            return True
        if self._total - 1 - row < len(self._tail):
            return True
        if self._more is None or row >= len(self._rows) + LOOKAHEAD:
            return self._read_tail(row)
        if self._tail:  # reading on from the top: the end is read again when it is reached
            self._tail, self._tail_more = [], self._tail_more
            self._index_of = None
        page = max(100, 2 * self.scrollable_content_region.height)
        rows = self._more(row + page)
        if self._index_of is not None:
            for i in range(len(self._rows), len(rows)):
                self._index_of[rows[i].id] = i
        self._rows = list(rows)
        if len(self._rows) < row + page:  # the source ended: the list is this long
            self._total = len(self._rows)
            self._more = None
            self._update_virtual_size()
        elif len(self._rows) >= self._total:
            self._more = None
        return row < len(self._rows)

    def reorder(self, ids: list[str]) -> None:
        """Show the same rows in a new order (no cell is rebuilt)."""
        self._rows = [self._rows[self._index[article_id]] for article_id in ids]
        self._total = len(self._rows)
        self._index_of = None
        self.refresh()

    def update_row(self, summary: ArticleSummary) -> None:
        """Redraw one article's row from a fresh summary."""
        index = self._index.get(summary.id)
        if index is None:
            return
        if index < len(self._rows):
            self._rows[index] = summary
        else:
            self._tail[self._total - 1 - index] = summary
        self._cells.discard(summary.id)
        needed = content_widths([summary])
        if self._needed is not None and any(needed[k] > self._needed[k] for k in needed):
            self._needed = {k: max(v, self._needed[k]) for k, v in needed.items()}
            self._widths_for = -1  # its tags may need a wider column
        self.refresh()

    def set_snippets(self, source: Callable[[str], RowSnippet | None] | None) -> None:
        """Show a line under each row with where it matched, from `source(article_id)` (asked
        once per row, when the row is first drawn); None stops showing them."""
        self._snippet_source = source
        self._snippets = {}
        self._update_virtual_size()
        self.scroll_to_cursor()
        self.refresh()

    def get_row_at(self, index: int) -> tuple[Text, ...]:
        """The cells of the row at `index` (in display order), as plain `Text`."""
        summary = self._row(index)
        if summary is None:
            raise IndexError(index)
        return self._cells_of(summary)

    def summary_at(self, index: int) -> ArticleSummary | None:
        """The summary at row `index` (None while it is not read)."""
        return self._row(index)

    def get_row_index(self, article_id: str) -> int:
        return self._index[article_id]

    def id_at(self, index: int) -> str | None:
        """The article at row `index`; None past the end or while that row is not read yet."""
        summary = self._row(index)
        return None if summary is None else summary.id

    @property
    def cursor_id(self) -> str | None:
        return self.id_at(self.cursor_row)

    def column_widths(self) -> dict[str, int]:
        """The width of every column at the current size (the title's included)."""
        width = self.scrollable_content_region.width or self.size.width
        if width != self._widths_for:
            if self._needed is None:
                self._needed = content_widths(_sample(self._rows))
            self._widths = fit_widths(self._needed, width)
            self._widths_for = width
        return self._widths

    def _cells_of(self, summary: ArticleSummary) -> tuple[Text, ...]:
        cells = self._cells.get(summary.id)
        if cells is None:
            cells = row_cells(summary)
            self._cells[summary.id] = cells
        return cells

    # --- cursor -----------------------------------------------------------------------------
    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.row_count - 1)) if self.row_count else 0

    def watch_cursor_row(self) -> None:
        self.scroll_to_cursor()

    def move_cursor(self, *, row: int, animate: bool = False, scroll: bool = True) -> None:  # noqa: ARG002
        self.cursor_row = row

    def scroll_to_cursor(self) -> None:
        """Scroll just enough for the cursor's row to be seen."""
        height = self.row_height
        top = self.cursor_row * height
        visible = max(1, self.scrollable_content_region.height - 1)  # below the heading
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif top + height > self.scroll_y + visible:
            self.scroll_to(y=top + height - visible, animate=False, immediate=True)
        self.refresh()

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.size.width, self.row_count * self.row_height + 1)

    def on_resize(self) -> None:
        self._update_virtual_size()

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_page_down(self) -> None:
        self.cursor_row += max(1, (self.scrollable_content_region.height - 1) // self.row_height)

    def action_page_up(self) -> None:
        self.cursor_row -= max(1, (self.scrollable_content_region.height - 1) // self.row_height)

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = self.row_count - 1

    def action_select_cursor(self) -> None:
        article_id = self.cursor_id
        if article_id is not None:
            self.post_message(self.RowSelected(self, article_id))

    def on_click(self, event: events.Click) -> None:
        line = event.y + int(self.scroll_y) - 1
        if event.y < 1 or line < 0:
            return
        row = line // self.row_height
        if row < self.row_count:
            self.cursor_row = row
            self.action_select_cursor()

    # --- drawing ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base + self.get_component_rich_style("article-table--header"))
        line = y - 1 + int(self.scroll_y)
        height = self.row_height
        row, part = divmod(line, height)
        if row >= self.row_count:
            return Strip.blank(width, base)
        style = base
        if row == self.cursor_row:
            style = base + self.get_component_rich_style("article-table--cursor")
        summary = self._row(row)
        if summary is None:
            text = PENDING if part == 0 else ""
            return Strip([Segment(" " * GAP + text, style)]).adjust_cell_length(width, style)
        if part == 1:
            return self._snippet_line(summary.id, width, style)
        widths = self.column_widths()
        segments: list[Segment] = [Segment(" " * GAP, style)]
        for (key, _label), cell in zip(COLUMNS, self._cells_of(summary), strict=True):
            fitted = fit(cell, widths[key])
            segments.extend(
                Segment(seg.text, style + seg.style if seg.style else style)
                for seg in fitted.render(self.app.console)
            )
            segments.append(Segment(" " * GAP, style))
        return Strip(segments).adjust_cell_length(width, style)

    def _header(self, width: int, style: Style) -> Strip:
        widths = self.column_widths()
        text = Text(" " * GAP, end="")
        for key, label in COLUMNS:
            text.append(fit(Text(label, justify="right" if key == "highlights" else "left"), widths[key]))
            text.append(" " * GAP)
        return Strip([Segment(text.plain, style)]).adjust_cell_length(width, style)

    def snippet_of(self, article_id: str) -> RowSnippet | None:
        """The snippet shown under an article's row (made on first use), if any."""
        if self._snippet_source is None:
            return None
        if article_id not in self._snippets:
            self._snippets[article_id] = self._snippet_source(article_id)
        return self._snippets[article_id]

    def _snippet_line(self, article_id: str, width: int, style: Style) -> Strip:
        found = self.snippet_of(article_id)
        indent = "    "
        if found is None:
            return Strip([Segment(indent, style)]).adjust_cell_length(width, style)
        dim = style + self.get_component_rich_style("article-table--snippet")
        match = style + self.get_component_rich_style("article-table--match")
        text = Text(indent + found.text, end="")
        for start, end in found.spans:
            text.stylize(match, start + len(indent), end + len(indent))
        text = fit(text, width - GAP)
        segments = [
            Segment(seg.text, dim + seg.style if seg.style else dim) for seg in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, style)
