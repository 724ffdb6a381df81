"""In-article search: the field under the body, the query, its matches and `n`/`N` between them.

Why a widget of its own: the search has its own state (the query and the match spans) and its
own keys' meaning, apart from the screen that hosts it. The screen gives it the body to search
and a callback that redraws its status and bindings when the search changes; while a search is
active `n`/`N` move between matches (the screen's `check_action` asks `active`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on
from textual.widgets import Input

from library.safetext import one_line
from library.textsearch import find_occurrences
from reader.app.widgets.body import BodyView


class ArticleSearch(Input):
    """Search within the article's body (case ignored); matches are drawn by the body."""

    DEFAULT_CSS = """
    ArticleSearch { display: none; height: 3; }
    ArticleSearch.-shown { display: block; }
    """

    def __init__(
        self, body: Callable[[], BodyView], on_change: Callable[[], None], *, id: str | None = None
    ) -> None:
        super().__init__(placeholder="Search in this article (Enter; then n/N, Esc ends)", id=id)
        self._body = body
        self._on_change = on_change
        self.search_query = ""
        self.matches: list[tuple[int, int]] = []

    @property
    def active(self) -> bool:
        """Whether a search is in force (its matches drawn, `n`/`N` moving between them)."""
        return bool(self.search_query)

    @property
    def shown(self) -> bool:
        """Whether the field is open for typing."""
        return self.has_class("-shown")

    def open(self) -> None:
        """Show the field with the current query, focused."""
        self.add_class("-shown")
        self.value = self.search_query
        self.focus()

    def close(self) -> None:
        """Hide the field and give the keys back to the body (the search stays in force)."""
        self.remove_class("-shown")
        self._body().focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.close()
        query = event.value.strip()
        if not query:
            self.end()
            return
        self.run(query, jump=True)

    def run(self, query: str, *, jump: bool) -> None:
        """Find `query` in the body, draw the matches, and with `jump` go to the first from the cursor."""
        body = self._body()
        self.search_query = query
        self.matches = find_occurrences(body.body, query)
        body.set_matches(self.matches)
        if not self.matches:
            self.notify(f"No match for “{one_line(query, 60)}”.", markup=False)
        elif jump:
            self.goto(1, include_current=True)
        self._on_change()

    def rerun(self) -> None:
        """Find the query again in a new body (after a reload), without moving."""
        self.matches = []
        if self.search_query:
            self.run(self.search_query, jump=False)

    def end(self) -> None:
        """End the search: no query, no matches drawn."""
        self.search_query = ""
        self.matches = []
        self._body().set_matches([])
        self._on_change()

    def goto(self, direction: int, *, include_current: bool = False) -> None:
        """Move the cursor to the next (1) or previous (-1) match, wrapping around. Over a selection
        being made the match moves its moving end (`v`, `/word`, Enter extends the selection)."""
        if not self.matches:
            return
        body = self._body()
        pos = body.cursor_offset
        if direction > 0:
            target = next(
                (m for m in self.matches if m[0] > pos or (include_current and m[0] == pos)),
                self.matches[0],
            )
        else:
            target = next((m for m in reversed(self.matches) if m[0] < pos), self.matches[-1])
        body.move_to_offset(target[0], select=body.has_selection, center=True)
        self._on_change()
