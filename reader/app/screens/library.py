"""The library: every article in one virtualised table, with sort, filters and full-text search.

Summaries are read from the store once; filters and sorts derive the visible order in memory
(`reader.app.catalogue`) and fill the table in one pass (cells made when drawn). Coming back from an article
refreshes only that article's row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Self

from rich.text import Text
from textual import on, work
from textual._two_way_dict import TwoWayDict
from textual.app import ComposeResult
from textual.binding import Binding
from textual.cache import LRUCache
from textual.containers import Horizontal
from textual.coordinate import Coordinate
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Label, ProgressBar, Static
from textual.widgets.data_table import DuplicateKey, Row, RowDoesNotExist, RowKey
from textual.worker import Worker, WorkerState

from library import StoreError
from library.model import ArticleSummary
from library.safetext import one_line
from reader.app import catalogue
from reader.app.catalogue import Filters, ListState
from reader.app.messages import AnnotationsChanged, LibraryChanged, SearchFinished
from reader.app.status import ReadOnlyBanner, SavedIndicator

COLUMNS = (
    ("title", "Title"),
    ("site", "Site"),
    ("date", "Date"),
    ("tags", "Tags"),
    ("highlights", "HL"),
    ("read", "Read"),
    ("state", "Work"),
)
# Fixed widths (cells) of the columns after the title; the title takes what is left.
FIXED_WIDTHS = {"site": 16, "date": 10, "tags": 18, "highlights": 3, "read": 4, "state": 4}
NARROW_WIDTHS = {"site": 12, "date": 10, "tags": 10, "highlights": 3, "read": 4, "state": 4}
STATE_CELLS = {"new": "new", "progress": "wip", "done": "done"}  # the work state column
MIN_TITLE = 20


def row_cells(summary: ArticleSummary) -> tuple[Text, ...]:
    """The row for one article; every string is safe text, never markup."""
    meta = summary.meta
    title = one_line(meta.title or "", 300) or "(untitled)"
    return (
        Text(title, no_wrap=True, overflow="ellipsis", end=""),
        Text(one_line(meta.site or "", 60), no_wrap=True, overflow="ellipsis", end=""),
        Text((meta.published or "")[:10], no_wrap=True, end=""),
        Text(one_line(", ".join(summary.tags), 120), no_wrap=True, overflow="ellipsis", end=""),
        Text(str(summary.highlights) if summary.highlights else "", justify="right", end=""),
        Text("✓" if summary.read else "•", justify="center", end=""),
        Text(STATE_CELLS.get(summary.state, ""), end=""),
    )


class LazyCells(dict):  # type: ignore[type-arg]
    """One row's cells, made the first time anything looks at them.

    Why: a table of 10,000 articles draws about 40 rows; building 60,000 `Text` cells up front
    is most of the first screen's time. Every way `DataTable` reads a row (indexing, `get`,
    iteration, `values`, `items`) fills it first, so the table sees an ordinary dict.
    """

    __slots__ = ("_summary", "_keys")

    def __init__(self, summary: ArticleSummary, keys: list[Any]) -> None:
        super().__init__()
        self._summary: ArticleSummary | None = summary
        self._keys = keys

    def _fill(self) -> None:
        summary = self._summary
        if summary is not None:
            self._summary = None
            dict.update(self, zip(self._keys, row_cells(summary), strict=True))

    def __setitem__(self, key: Any, value: Text) -> None:
        self._fill()  # an update must not be overwritten by a later fill
        dict.__setitem__(self, key, value)

    def __delitem__(self, key: Any) -> None:
        self._fill()
        dict.__delitem__(self, key)

    def __missing__(self, key: Any) -> Text:
        self._fill()
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)  # type: ignore[no-any-return]
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        self._fill()
        return dict.__contains__(self, key)

    def __iter__(self) -> Iterator[Any]:
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)

    def get(self, key: Any, default: Any = None) -> Any:
        self._fill()
        return dict.get(self, key, default)

    def keys(self):  # type: ignore[no-untyped-def]
        self._fill()
        return dict.keys(self)

    def values(self):  # type: ignore[no-untyped-def]
        self._fill()
        return dict.values(self)

    def items(self):  # type: ignore[no-untyped-def]
        self._fill()
        return dict.items(self)


class ArticleTable(DataTable[Text]):
    """The article list. Every column has a fixed width and every row one line, so the table never
    needs to measure its 60,000 cells after a rebuild (DataTable measures every new cell otherwise)."""

    BINDINGS = [
        Binding(
            "enter", "select_cursor", "Open", id="library.open", tooltip="Open the article under the cursor"
        ),
    ]

    def _update_dimensions(self, new_rows: object) -> None:  # noqa: ARG002 - widths are fixed
        header = self.header_height if self.show_header else 0
        width = sum(column.get_render_width(self) for column in self.columns.values())
        height = self.row_count  # every row is one line (`fill`), so no per-row sum is needed
        self.virtual_size = Size(width + self._row_label_column_width, height + header)

    def fill(self, summaries: list[ArticleSummary]) -> None:
        """Replace every row: what `clear()` and one `add_row` per article do, with each row's cells
        made only when the row is first drawn or read (see `LazyCells`)."""
        self.clear()
        keys = [column.key for column in self.ordered_columns]
        row_keys = [RowKey(summary.id) for summary in summaries]
        if len(set(row_keys)) != len(row_keys):
            raise DuplicateKey("an article id appears twice")
        self._row_locations = TwoWayDict({key: index for index, key in enumerate(row_keys)})
        self._data.update(
            (key, LazyCells(summary, keys)) for key, summary in zip(row_keys, summaries, strict=True)
        )
        ordered = [Row(key, 1, None, False) for key in row_keys]
        self.rows.update(zip(row_keys, ordered, strict=True))
        self._update_count += 1
        # The row order and line offsets are known here: seed the caches DataTable would fill
        # by walking every row again.
        self._ordered_row_cache[(len(ordered), self._update_count)] = ordered
        self._offset_cache[self._update_count] = [(key, 0) for key in row_keys]
        self._require_update_dimensions = True
        self.cursor_coordinate = self.cursor_coordinate
        if self.row_count and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()
        self.check_idle()
        self.refresh()

    def _clear_caches(self) -> None:
        """Keep the row order and line offsets across resizes and style changes.

        Both are keyed by the table's update count, which every row change bumps (`clear` is
        made to bump it too), and every row is one line high, so neither depends on the size
        or the styles; rebuilding them for 10,000 rows on each resize of start-up costs
        more than drawing the screen.
        """
        kept = (self._offset_cache, self._ordered_row_cache)
        self._offset_cache, self._ordered_row_cache = LRUCache(1), LRUCache(1)
        try:
            super()._clear_caches()
        finally:
            self._offset_cache, self._ordered_row_cache = kept

    def clear(self, columns: bool = False) -> Self:
        self._update_count += 1  # the kept caches are keyed by it
        return super().clear(columns)

    def reorder(self, ids: list[str]) -> None:
        """Show the same rows in a new order without rebuilding them (public `sort` by cell identity)."""
        rank = {id(self.get_cell(article_id, "title")): i for i, article_id in enumerate(ids)}
        self.sort("title", key=lambda title: rank.get(id(title), len(rank)))


class LibraryScreen(Screen[None]):
    """Browse, sort, filter and search the library; Enter opens an article."""

    AUTO_FOCUS = "#articles"

    BINDINGS = [
        Binding("j", "cursor_down", "Down", id="library.down", show=False),
        Binding("k", "cursor_up", "Up", id="library.up", show=False),
        Binding("g", "first", "First", id="library.first", show=False, tooltip="Go to the first article"),
        Binding("G", "last", "Last", id="library.last", show=False, tooltip="Go to the last article"),
        Binding(
            "slash", "search", "Search", id="library.search", key_display="/", tooltip="Full-text search"
        ),
        Binding(
            "f", "filter", "Filter", id="library.filter", tooltip="Filter by tag, site, date, read state"
        ),
        Binding("o", "sort", "Sort", id="library.sort", tooltip="Cycle the sort column"),
        Binding(
            "O", "reverse", "Reverse", id="library.reverse", show=False, tooltip="Reverse the sort order"
        ),
        Binding("m", "toggle_read", "Read/unread", id="library.toggle_read", show=False),
        Binding(
            "L", "labels", "Labels", id="library.labels", tooltip="Labels with counts: rename, merge, find"
        ),
        Binding(
            "escape", "back", "Clear", id="library.back", show=False, tooltip="Clear search, then filters"
        ),
        Binding("q", "quit", "Quit", id="library.quit", tooltip="Quit the app"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summaries: dict[str, ArticleSummary] = {}
        self.state = ListState()
        self.order: list[str] = []  # ids in display order
        self._opened: str | None = None
        self._title_width = 0

    # --- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Label("", id="heading", markup=False)
            yield SavedIndicator(id="saved")
        yield ReadOnlyBanner()
        yield Input(
            placeholder="Search title and text; Enter to search, Esc to clear", id="search", compact=True
        )
        yield Static("", id="criteria", markup=False)
        table = ArticleTable(id="articles", cursor_type="row", zebra_stripes=False)
        yield table
        yield Static("", id="empty", markup=False)
        with Horizontal(id="progress"):
            yield Label("", id="progress-label", markup=False)
            yield ProgressBar(id="progress-bar", show_eta=False)
        yield Footer()

    @property
    def table(self) -> ArticleTable:
        return self.query_one("#articles", ArticleTable)

    def on_mount(self) -> None:
        table = self.table
        width = self._title_width_for(self.app.size.width)
        for key, label in COLUMNS:
            table.add_column(label, key=key, width=width if key == "title" else self._widths()[key])
        self._title_width = width
        self.reload()
        start_index = getattr(self.app, "index_for_search", None)
        if start_index is not None:  # search index in the background once this screen is drawn
            self.call_after_refresh(start_index)

    def _widths(self) -> dict[str, int]:
        return NARROW_WIDTHS if self.app.size.width < 100 else FIXED_WIDTHS

    def _title_width_for(self, total: int) -> int:
        widths = self._widths()
        padding = 2 * len(COLUMNS) + 2  # cell padding and the scrollbar
        return max(MIN_TITLE, total - sum(widths.values()) - padding)

    def on_resize(self) -> None:
        width = self._title_width_for(self.app.size.width)
        if width == self._title_width or not self.table.columns:
            return
        self._title_width = width
        widths = self._widths()
        for column in self.table.columns.values():
            key = column.key.value or ""
            column.width = width if key == "title" else widths.get(key, column.width)
        self._refresh_table_layout()

    def _refresh_table_layout(self) -> None:
        table = self.table
        table._require_update_dimensions = True  # noqa: SLF001 - DataTable has no public "widths changed"
        table._clear_caches()  # noqa: SLF001
        table.refresh(layout=True)

    # --- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every summary from the store again and rebuild the rows (after an import)."""
        self.summaries = {s.id: s for s in self.app.library.summaries()}
        self._update_work_ids()
        if self.state.label:
            self.state.label_ids = frozenset(self.app.library.articles_with_label(self.state.label))
        if self.state.search and self.state.search_ids is not None:
            self.state.search_ids = frozenset(i for i in self.state.search_ids if i in self.summaries)
        self.rebuild()

    def rebuild(self, keep: str | None = None) -> None:
        """Fill the table from the summaries, the filters and the sort, in one pass."""
        table = self.table
        if keep is None:
            keep = self.current_id()
        rows = catalogue.visible(self.summaries.values(), self.state)
        self.order = [s.id for s in rows]
        table.fill(rows)
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False, scroll=True)
        self._update_heading()

    def current_id(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        try:
            key, _ = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0))
        except (RowDoesNotExist, Exception):  # noqa: BLE001 - an empty or shrinking table has no cursor
            return None
        return key.value

    def refresh_article(self, article_id: str) -> None:
        """Re-read one summary and update its row in place (after reading or annotating it)."""
        try:
            summary = self.app.library.summary(article_id)
        except (KeyError, StoreError):
            return
        self.summaries[article_id] = summary
        table = self.table
        if article_id not in table.rows:
            return
        for (key, _label), cell in zip(COLUMNS, row_cells(summary), strict=True):
            table.update_cell(article_id, key, cell)
        self._update_heading()

    def _update_heading(self) -> None:
        total = len(self.summaries)
        shown = len(self.order)
        direction = "↓" if self.state.reverse else "↑"
        done = sum(1 for i in self.order if self.summaries[i].state == "done")  # work progress
        heading = (
            f"Library · {shown:,} of {total:,} articles · done {done:,} of {shown:,}"
            f" · sort: {catalogue.sort_label(self.state.sort)} {direction}"
        )
        self.query_one("#heading", Label).update(Text(heading, end=""))
        criteria = []
        if self.state.search:
            found = "searching…" if self.state.search_ids is None else f"{len(self.state.search_ids):,} found"
            criteria.append(f"search “{one_line(self.state.search, 60)}”: {found}")
        if self.state.filters.active:
            criteria.append(f"filter: {one_line(self.state.filters.describe(), 120)}")
        if self.state.label:
            criteria.append(f"label: {one_line(self.state.label, 60)} (Esc clears)")
        line = "   ".join(criteria)
        bar = self.query_one("#criteria", Static)
        bar.update(Text(line, end=""))
        bar.display = bool(line)
        empty = self.query_one("#empty", Static)
        empty.display = shown == 0
        if total == 0:
            empty.update(
                "The library is empty. Press i to import a file or folder (or run: reader import PATH)."
            )
        else:
            empty.update("No articles match. Esc clears the search and the filters.")

    # --- events from the app ------------------------------------------------------------
    def on_screen_resume(self) -> None:
        if self._opened is not None:
            opened, self._opened = self._opened, None
            self.refresh_article(opened)

    @on(AnnotationsChanged)
    def _annotations_changed(self, message: AnnotationsChanged) -> None:
        if message.article_id is not None:
            self.refresh_article(message.article_id)
            return
        fresh = {s.id: s for s in self.app.library.summaries()}
        changed = [i for i, s in fresh.items() if self.summaries.get(i) != s]
        self.summaries = fresh
        for article_id in changed:
            if article_id in self.table.rows:
                for (key, _label), cell in zip(COLUMNS, row_cells(fresh[article_id]), strict=True):
                    self.table.update_cell(article_id, key, cell)
        self._update_heading()

    @on(LibraryChanged)
    def _library_changed(self) -> None:
        self.reload()

    def show_progress(self, done: int, total: int | None, label: str, verb: str = "Importing") -> None:
        self.query_one("#progress").display = True
        bar = self.query_one("#progress-bar", ProgressBar)
        bar.update(total=total, progress=done)
        what = f"{verb} {label}: " if label else f"{verb}: "
        count = f"{done:,} of {total:,} articles" if total else f"{done:,} articles"
        self.query_one("#progress-label", Label).update(Text(what + count, end=""))

    def hide_progress(self) -> None:
        self.query_one("#progress").display = False

    # --- actions ------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#articles")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self._open(event.row_key.value)

    def _open(self, article_id: str) -> None:
        self._opened = article_id
        self.app.open_article(article_id)

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_first(self) -> None:
        if self.table.row_count:
            self.table.move_cursor(row=0, animate=False)

    def action_last(self) -> None:
        if self.table.row_count:
            self.table.move_cursor(row=self.table.row_count - 1, animate=False)

    def action_sort(self) -> None:
        self.state.sort = catalogue.next_sort(self.state.sort)
        self.state.reverse = self.state.sort in {"date", "highlights", "imported"}
        self.resort()

    def action_reverse(self) -> None:
        self.state.reverse = not self.state.reverse
        self.resort()

    def resort(self) -> None:
        """A new sort keeps the rows and only reorders them; the cursor stays on its article."""
        keep = self.current_id()
        rows = catalogue.visible(
            (self.summaries[i] for i in self.order),
            ListState(sort=self.state.sort, reverse=self.state.reverse),
        )
        self.order = [s.id for s in rows]
        table = self.table
        table.reorder(self.order)
        if keep is not None:
            table.move_cursor(row=table.get_row_index(keep), animate=False, scroll=True)
        self._update_heading()

    def action_toggle_read(self) -> None:
        article_id = self.current_id()
        if article_id is None or self.app.write_blocked():
            return
        read = not self.summaries[article_id].read
        try:
            self.app.library.set_reading_state(article_id, read=read)
        except StoreError as err:
            self.app.report_error(err)
            return
        self.refresh_article(article_id)
        self.app.show_saved("Marked read" if read else "Marked unread")

    def action_search(self) -> None:
        search = self.query_one("#search", Input)
        search.display = True
        search.focus()

    def action_filter(self) -> None:
        from reader.app.screens.filter_dialog import FilterDialog

        summaries = list(self.summaries.values())
        dialog = FilterDialog(
            self.state.filters, catalogue.all_tags(summaries), catalogue.all_sites(summaries)
        )
        self.app.push_screen(dialog, self._apply_filters)

    def _apply_filters(self, filters: Filters | None) -> None:
        if filters is None:
            return
        self.state.filters = filters
        self._update_work_ids()
        self.rebuild()
        self.table.focus()

    def _update_work_ids(self) -> None:
        """A filter naming an annotator is answered by the store (summaries hold only your state)."""
        f = self.state.filters
        self.state.work_ids = (
            frozenset(
                self.app.library.keeps_work(
                    list(self.summaries), annotator=f.annotator, state=f.state or None
                )
            )
            if f.annotator
            else None
        )

    def action_labels(self) -> None:
        from reader.app.screens.labels_view import LabelsScreen

        self.app.push_screen(LabelsScreen(), self.show_label)

    def show_label(self, name: str | None) -> None:
        """List only the articles using label `name` (the labels view's "find")."""
        if name is None:
            return
        self.state.label = name
        self.state.label_ids = frozenset(self.app.library.articles_with_label(name))
        self.rebuild()
        self.table.focus()

    def action_back(self) -> None:
        """Esc: leave the search box, then clear the search, then the filters, then quit."""
        search = self.query_one("#search", Input)
        if self.state.search or search.display:
            search.value = ""
            search.display = False
            self.state.search = ""
            self.state.search_ids = None
            self.rebuild()
            self.table.focus()
            return
        if self.state.filters.active or self.state.label:
            self.state.filters = self.state.filters.cleared()
            self.state.work_ids = None
            self.state.label, self.state.label_ids = "", None
            self.rebuild()
            return
        self.app.exit()

    def action_quit(self) -> None:
        self.app.exit()

    # --- search -------------------------------------------------------------------------
    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            self.action_back()
            return
        self.state.search = query
        self.state.search_ids = None
        self._update_heading()
        self.table.focus()
        self._run_search(query)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False, description="Searching")
    def _run_search(self, query: str) -> None:
        ids = frozenset(self.app.library.search(query))
        self.post_message(SearchFinished(query, ids))

    @on(SearchFinished)
    def _search_finished(self, message: SearchFinished) -> None:
        if message.query != self.state.search:
            return  # a newer search replaced this one
        self.state.search_ids = message.ids
        self.rebuild()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.state.search = ""
            self.state.search_ids = None
            self._update_heading()
            self.app.report_error(event.worker.error)
