"""The library: every article in one virtualised table, with sort, filters and full-text search.

Summaries are read from the store once; filters and sorts derive the visible order in memory
(`reader.app.catalogue`) and fill the table in one pass (cells made when drawn). Coming back from an article
refreshes only that article's row.

A library of more than `EAGER_ROWS` articles shows a page first and is read in the background
(`reader.app.screens.library_rows`).
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Input, Label, ProgressBar, Static
from textual.worker import Worker, WorkerState

from library import ArticleQuery, LibraryError, StoreError
from library.model import ArticleSummary
from library.safetext import display_text, one_line
from reader.app import catalogue
from reader.app.catalogue import ListState
from reader.app.messages import AnnotationsChanged, LibraryChanged, SearchFinished
from reader.app.screens.library_rows import EAGER_ROWS, LargeList
from reader.app.status import ReadOnlyBanner, SavedIndicator
from reader.app.widgets.article_table import ArticleTable, RowSnippet
from reader.app.widgets.footer import FittingFooter


class LibraryScreen(LargeList, Screen[None]):
    """Browse, sort, filter and search the library; Enter opens an article."""

    EAGER_ROWS = EAGER_ROWS

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
            "f",
            "filter",
            "Filter",
            id="library.filter",
            tooltip="Filter by tag, site, date, read and work state",
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
        self.loaded = True  # every summary is in `summaries` (False while a large list is read)
        self.total = 0  # articles in the library
        self._done = 0  # of them marked done (while not loaded)
        self._load_token = 0
        self._touched: dict[str, ArticleSummary] = {}  # rows refreshed while the list is read
        # A large library's summaries sorted by each column (ascending), made by the background
        # reader: a sort or a filter then keeps rows of one of these instead of sorting again.
        self._orders: dict[str, list[ArticleSummary]] = {}
        self._frozen = False  # the background reader froze what it read (see `_load_rows`)

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
        yield ArticleTable(id="articles")
        yield Static("", id="empty", markup=False)
        with Horizontal(id="progress"):
            yield Label("", id="progress-label", markup=False)
            yield ProgressBar(id="progress-bar", show_eta=False)
        yield FittingFooter()

    @property
    def table(self) -> ArticleTable:
        return self.query_one("#articles", ArticleTable)

    def on_mount(self) -> None:
        self.reload()
        if self.loaded:  # else the search index is built once the whole list is read
            self._start_search_index()

    def _start_search_index(self) -> None:
        start_index = getattr(self.app, "index_for_search", None)
        if start_index is not None:  # search index in the background once this screen is drawn
            self.call_after_refresh(start_index)

    # --- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every summary from the store again and rebuild the rows (after an import); a
        large library shows its first page now and is read whole in the background."""
        library = self.app.library
        self.total = len(library)
        self._load_token += 1
        self._orders = {}
        if self._frozen:  # the last list read is dropped: the collector may free it
            gc.unfreeze()
            self._frozen = False
        if self.total > self.EAGER_ROWS:
            self.loaded = False
            self.summaries = {}
            self._touched = {}
            self._done = library.work_done()
            self.rebuild()
            self._load_rows(self._load_token)
            return
        self.loaded = True
        self.summaries = {s.id: s for s in library.summaries()}
        if self.state.search and self.state.search_ids is not None:
            self.state.search_ids = frozenset(i for i in self.state.search_ids if i in self.summaries)
        self.rebuild()

    def rebuild(self, keep: str | None = None) -> None:
        """Fill the table from the summaries, the filters and the sort, in one pass."""
        table = self.table
        if keep is None:
            keep = self.current_id()
        if self.loaded:
            rows = self._visible()
            self.order = [s.id for s in rows]
            table.fill(rows)
        else:
            self._fill_unloaded()
        self._keep_cursor(keep)
        self._update_heading()

    def current_id(self) -> str | None:
        return self.table.cursor_id

    def show_article(self, article_id: str) -> None:
        """Put the cursor on an article's row (after an undo there), if the list shows it."""
        if article_id in self.table:
            self.table.move_cursor(row=self.table.get_row_index(article_id))

    def refresh_article(self, article_id: str) -> None:
        """Re-read one summary and update its row in place (after reading or annotating it)."""
        try:
            summary = self.app.library.summary(article_id)
        except LibraryError:  # gone meanwhile (ArticleNotFound) or unreadable (StoreError)
            return
        self.refresh_summary(summary)

    def refresh_summary(self, summary: ArticleSummary) -> None:
        """Show a fresh summary of an article in its row (and in the sorted orders)."""
        article_id = summary.id
        old = self.summary_of(article_id)
        if old is not None and (old.state == "done") != (summary.state == "done"):
            self._done += 1 if summary.state == "done" else -1
        if self.loaded:
            self.summaries[article_id] = summary
            if old is not None:
                for column, order in self._orders.items():
                    catalogue.move_in_order(order, old, summary, column)
        else:
            self._touched[article_id] = summary
        self.table.update_row(summary)
        self._update_heading()

    def _update_heading(self) -> None:
        total = len(self.summaries) if self.loaded else self.total
        shown = self.table.row_count if not self.loaded else len(self.order)
        direction = "↓" if self.state.reverse else "↑"
        if self.loaded:
            summaries = self.summaries
            if self._orders and len(self.order) == len(summaries):  # the whole list: counted once
                done = self._done
            else:
                done = sum(1 for i in self.order if summaries[i].state == "done")  # work progress
        elif self.table.partial:  # the whole list by date, newest first
            done = self._done
        else:
            done = sum(1 for i in self.order if (s := self.summary_of(i)) is not None and s.state == "done")
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
        line = "   ".join(criteria)
        bar = self.query_one("#criteria", Static)
        bar.update(Text(line, end=""))
        bar.display = bool(line)
        empty = self.query_one("#empty", Static)
        empty.display = shown == 0
        if not self.loaded and shown == 0 and not (self.state.search and self.state.search_ids is not None):
            empty.update(f"Reading the library ({total:,} articles)…")
        elif total == 0:
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
        if not self.loaded or len(self.summaries) > self.EAGER_ROWS:
            self._annotations_changed_large()
            return
        fresh = {s.id: s for s in self.app.library.summaries()}
        changed = [i for i, s in fresh.items() if self.summaries.get(i) != s]
        self.summaries = fresh
        for article_id in changed:
            self.table.update_row(fresh[article_id])
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
    @on(ArticleTable.RowSelected, "#articles")
    def _row_selected(self, event: ArticleTable.RowSelected) -> None:
        self._open(event.article_id)

    def _open(self, article_id: str) -> None:
        """Open an article; during a search, at the first match of the query in it."""
        self._opened = article_id
        found = self.table.snippet_of(article_id) if self.state.search else None
        matched = ""
        if found is not None and found.spans:
            start, end = found.spans[0]
            matched = found.text[start:end]
        self.app.open_article(article_id, search=matched)

    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def action_first(self) -> None:
        self.table.action_first()

    def action_last(self) -> None:
        self.table.action_last()

    def action_sort(self) -> None:
        self.state.sort = catalogue.next_sort(self.state.sort)
        self.state.reverse = self.state.sort in {"date", "highlights", "imported"}
        self.resort()

    def action_reverse(self) -> None:
        self.state.reverse = not self.state.reverse
        self.resort()

    def resort(self) -> None:
        """A new sort keeps the rows and only reorders them, and shows the top of the new order."""
        if not self.loaded or self._orders.get(self.state.sort) is not None:
            self.rebuild()
            self.table.move_cursor(row=0)
            return
        rows = catalogue.visible(
            (self.summaries[i] for i in self.order),
            ListState(sort=self.state.sort, reverse=self.state.reverse),
        )
        self.order = [s.id for s in rows]
        table = self.table
        table.reorder(self.order)
        table.move_cursor(row=0)
        self._update_heading()

    def action_toggle_read(self) -> None:
        article_id = self.current_id()
        if article_id is None or self.app.write_blocked():
            return
        summary = self.summary_of(article_id)
        if summary is None:
            return
        read = not summary.read
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

        summaries = list(self.summaries.values()) if self.loaded else list(self._touched.values())
        dialog = FilterDialog(self.state.filters, self._tag_names(), catalogue.all_sites(summaries))
        self.app.push_screen(dialog, self._apply_filters)

    def _tag_names(self) -> list[str]:
        """Every label in the library, article and span tags (kept by the store, not walked)."""
        try:
            return list(self.app.library.tags())
        except StoreError:
            return []

    def _apply_filters(self, filters: ArticleQuery | None) -> None:
        if filters is None:
            return
        self.state.filters = filters
        self.rebuild()
        self.table.focus()

    def action_labels(self) -> None:
        from reader.app.screens.labels_view import LabelsScreen

        self.app.push_screen(LabelsScreen(), self.show_label)

    def show_label(self, name: str | None) -> None:
        """List only the articles using label `name` (the labels view's "find"): the filter by
        that label, so Esc clears it like any filter."""
        if name is None:
            return
        self.state.filters = ArticleQuery(labels=(name,))
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
            self.table.set_snippets(None)
            self.rebuild()
            self.table.focus()
            return
        if self.state.filters.active:
            self.state.filters = self.state.filters.cleared()
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
        self.table.set_snippets(self._snippet_for(message.query))
        self.rebuild()

    def _snippet_for(self, query: str) -> Callable[[str], RowSnippet | None]:
        """Where `query` matched in an article, read when its row is first drawn."""

        def snippet(article_id: str) -> RowSnippet | None:
            try:
                found = self.app.library.search_snippet(article_id, query, width=160)
            except (KeyError, StoreError):
                return None
            return None if found is None else RowSnippet(display_text(found.text), found.spans)

        return snippet

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if (
            event.state == WorkerState.ERROR
            and event.worker.error is not None
            and event.worker.group == "library-rows"
        ):
            self.app.report_error(event.worker.error)
            return
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.state.search = ""
            self.state.search_ids = None
            self._update_heading()
            self.app.report_error(event.worker.error)
