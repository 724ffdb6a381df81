"""The library screen's large-list part: a library of more than `EAGER_ROWS` articles is not
read whole before its first screen.

The table shows the newest page from the catalogue's date index (`Library.by_date`) and reads
more as the cursor goes down; a tag filter reads only the articles carrying the tag (the label
index) and a short search only its hits; a thread reads every summary meanwhile (`_load_rows`:
it posts `RowsLoaded`, then `OrderReady` for each sort column, and touches no widget). From then
on the list works on the summaries in memory as for a small library, except that a sort keeps
rows of the column's whole order (`catalogue.visible_in`) instead of sorting a million again.

Why that reader freezes the garbage collector's view of what it read (`gc.freeze`, undone at the
next reload): a million summaries are millions of objects, and every full collection walked them
all again: measured at 1M articles, the read took minutes and each sort several seconds.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any

from textual import work
from textual.worker import get_current_worker

from library.model import ArticleSummary
from reader.app import catalogue
from reader.app.catalogue import ListState
from reader.app.messages import OrderReady, RowsLoaded
from reader.app.widgets.article_table import content_widths

if TYPE_CHECKING:
    from textual.geometry import Size

    from reader.app.widgets.article_table import ArticleTable

EAGER_ROWS = 20_000  # a library up to this size is read whole at once; a larger one a page first
MANY_CHANGED = 2_000  # annotated articles beyond which a change to all of them reloads the list
FEW_HITS = 5_000  # search hits shown before the whole list is read (each one a lookup)


def state_key(state: ListState) -> tuple[object, ...]:
    """What decides the rows and their order (to tell whether a sorted list is still current)."""
    return (state.filters, state.search, state.search_ids, state.sort, state.reverse)


class LargeList:
    """What `LibraryScreen` adds for a large library (see the module docstring); it keeps the
    screen's state: `loaded`, `summaries`, `_touched`, `_orders` and the load token."""

    app: Any
    state: ListState
    summaries: dict[str, ArticleSummary]
    order: list[str]
    loaded: bool
    total: int
    _done: int
    _load_token: int
    _touched: dict[str, ArticleSummary]
    _orders: dict[str, list[ArticleSummary]]
    _frozen: bool

    if TYPE_CHECKING:  # the screen's own (a stub here would hide Textual's)

        def post_message(self, message: Any) -> bool: ...
        def rebuild(self, keep: str | None = None) -> None: ...
        def current_id(self) -> str | None: ...
        def _update_heading(self) -> None: ...
        def _start_search_index(self) -> None: ...
        def refresh_summary(self, summary: ArticleSummary) -> None: ...
        def reload(self) -> None: ...
        @property
        def table(self) -> ArticleTable: ...
        @property
        def size(self) -> Size: ...

    def _annotations_changed_large(self) -> None:
        """Any article's annotations may have changed (an undo, a label renamed): only articles
        with annotations, now or as the list shows them, can have; their rows are read again
        (a million summaries are not)."""
        shown = self.summaries.values() if self.loaded else self._touched.values()
        ids = set(self.app.library.annotated_ids())
        ids.update(s.id for s in shown if s.tags or s.highlights or s.read or s.state != "new" or s.has_note)
        ids.update(i for i in self.table.ids if (s := self.summary_of(i)) is not None and (s.tags or s.read))
        if len(ids) > MANY_CHANGED:  # moving each in every order would cost more than reading all
            self.reload()
            return
        for summary in self.app.library.summaries_of(sorted(ids)):
            self.refresh_summary(summary)
        if not self.loaded:
            self._done = self.app.library.work_done()
            if self.state.filters.active:
                self.rebuild()
        self._update_heading()

    def _keep_cursor(self, keep: str | None) -> None:
        """Put the cursor back on `keep`'s row if the list shows it (found in the list of ids,
        so that a new sort of a million rows does not map every id to its row)."""
        if keep is None:
            return
        if len(self.order) > 50_000:
            try:
                row = self.order.index(keep)
            except ValueError:
                return
            self.table.move_cursor(row=row)
        elif keep in self.table:
            self.table.move_cursor(row=self.table.get_row_index(keep))

    def _visible(self) -> list[ArticleSummary]:
        """The rows for the list's state from the summaries in memory: a large library's label
        filter starts from the articles the store says carry the label, and its sorts keep rows
        of the column's whole order when the background reader has made it."""
        state = self.state
        if self._orders and (state.filters.labels or state.filters.ids):
            found = self.app.library.query(state.filters.but(text=""))
            return catalogue.visible((self.summaries.get(s.id, s) for s in found), state)
        order = self._orders.get(state.sort)
        if order is not None:
            return catalogue.visible_in(order, state)
        return catalogue.visible(self.summaries.values(), state)

    def _fill_unloaded(self) -> None:
        """The rows that can be shown before the whole list is read: the articles a tag filter
        or a short search names, or the list by date a page at a time; otherwise none yet."""
        state, library, table = self.state, self.app.library, self.table
        searching = bool(state.search)
        if searching and state.search_ids is None:
            rows = []
        elif (
            state.filters.labels
            or state.filters.ids
            or (searching and len(state.search_ids or ()) <= FEW_HITS)
        ):
            if state.filters.labels or state.filters.ids:
                found = library.query(state.filters)
            else:
                found = library.summaries_of(list(state.search_ids or ()))
            rows = catalogue.visible((self._touched.get(s.id, s) for s in found), state)
        elif not searching and not state.filters.active and state.sort == "date":
            pages = library.by_date(newest_first=state.reverse)
            if pages is not None:
                height = max(40, self.size.height * 2)
                ends = library.by_date(newest_first=not state.reverse)  # for End: the other end
                table.fill_partial(pages.upto(height), pages.total, pages.upto, ends.upto if ends else None)
                self.order = table.ids
                return
            rows = []
        else:
            rows = []
        self.order = [s.id for s in rows]
        table.fill(rows)

    @work(thread=True, exclusive=True, group="library-rows", exit_on_error=False, description="Reading")
    def _load_rows(self, token: int) -> None:
        """Runs in a thread: every summary, sorted for the list's state as it is now; posts
        `RowsLoaded` and touches no widget."""
        worker = get_current_worker()
        summaries: dict[str, ArticleSummary] = {}
        for chunk in self.app.library.summary_chunks(brief=True):
            if worker.is_cancelled:
                return
            self._frozen = True
            gc.freeze()  # what is read so far is kept: later collections need not walk it again
            if chunk is None:  # the catalogue changed: read again
                summaries.clear()
                continue
            for summary in chunk:
                summaries[summary.id] = summary
        state = ListState(
            filters=self.state.filters,
            search=self.state.search,
            search_ids=self.state.search_ids,
            sort=self.state.sort,
            reverse=self.state.reverse,
        )
        first = catalogue.in_order(summaries.values(), state.sort)
        order = catalogue.visible_in(first, state)
        needed = content_widths(order)
        if worker.is_cancelled:
            return
        self.post_message(RowsLoaded(token, summaries, list(order), state_key(state), needed))
        self.post_message(OrderReady(token, state.sort, list(first)))
        for column in catalogue.SORT_COLUMNS:  # the other sorts, ready before they are asked for
            if column.key != state.sort and not worker.is_cancelled:
                self.post_message(
                    OrderReady(token, column.key, list(catalogue.in_order(summaries.values(), column.key)))
                )
        gc.freeze()

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        if message.token != self._load_token:
            return  # a newer reload replaced it
        summaries = message.summaries
        summaries.update(self._touched)
        self._touched = {}
        if self.state.search and self.state.search_ids is not None:
            self.state.search_ids = frozenset(i for i in self.state.search_ids if i in summaries)
        self.summaries = summaries
        self.loaded = True
        self._done = sum(1 for s in summaries.values() if s.state == "done")
        keep = self.current_id()
        if state_key(self.state) == message.state_key:
            order = [summaries[s.id] for s in message.order]
            self.order = [s.id for s in order]
            self.table.fill(order, message.needed)
            self._keep_cursor(keep)
            self._update_heading()
        else:
            self.rebuild(keep)
        self._start_search_index()

    def on_order_ready(self, message: OrderReady) -> None:
        if message.token != self._load_token or not self.loaded:
            return
        order = message.order
        summaries = self.summaries
        # Rows refreshed since the reader took them sort where their fresh summaries do.
        for stale in [s for s in order if summaries.get(s.id) is not s]:
            current = summaries.get(stale.id)
            if current is not None:
                catalogue.move_in_order(order, stale, current, message.column)
        self._orders[message.column] = order

    def summary_of(self, article_id: str) -> ArticleSummary | None:
        """The summary the list holds for an article (None when it has not read it)."""
        found = self.summaries.get(article_id) or self._touched.get(article_id)
        if found is None and article_id in self.table:
            found = self.table.summary_at(self.table.get_row_index(article_id))
        return found
