"""The library list read a page at a time: what the app's first screen shows at a million articles.

Why: the list's default order is by publication date, newest first. Sorting every summary for
that read and parsed the whole catalogue (600 MB at a million articles) before the first row
could be drawn. The catalogue's indexes hold each entry's date in sorted order
(`Catalog.by_date`), so the first page costs a page of index lines and a page of entries; the
whole list is read afterwards, a chunk at a time (`QueryingPart.summary_chunks`), by a caller
that can wait (the app's background worker).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from threading import RLock

from library.model import ArticleSummary


def date_key(summary: ArticleSummary) -> tuple[str, str, str]:
    """The list's date order (the app's `catalogue` sorts by the same key): date, title, id."""
    return (summary.published or "", (summary.title or "").casefold(), summary.id)


class DatePages:
    """Every live article by date (newest first unless `newest_first` is False), in the order a
    sort of all summaries by `date_key` gives, made as far as it has been asked for.

    Articles of one date are read together and sorted by title and id, so the order is exact
    though the index orders only by date and id. Not thread-safe on its own: every read takes
    the library's lock."""

    def __init__(
        self,
        stream: Iterator[tuple[str, str]],
        summaries_of: Callable[[list[str]], list[ArticleSummary]],
        total: int,
        lock: RLock,
        *,
        newest_first: bool = True,
    ) -> None:
        self._stream = stream
        self._summaries_of = summaries_of
        self._lock = lock
        self.total = total
        self.newest_first = newest_first
        self.rows: list[ArticleSummary] = []  # made so far, in order
        self._pending: tuple[str, str] | None = None  # the first line of the next date
        self.done = False

    def __len__(self) -> int:
        return self.total

    def upto(self, count: int) -> list[ArticleSummary]:
        """The first `count` rows (fewer at the end), reading more of the index as needed."""
        with self._lock:
            while len(self.rows) < count and not self.done:
                self._next_date()
        return self.rows[:count]

    def _next_date(self) -> None:
        group: list[str] = []
        date: str | None = None
        if self._pending is not None:
            date, first = self._pending
            group.append(first)
            self._pending = None
        for published, aid in self._stream:
            if date is None:
                date = published
            if published != date:
                self._pending = (published, aid)
                break
            group.append(aid)
        else:
            self.done = True
        rows = self._summaries_of(group)
        rows.sort(key=date_key, reverse=self.newest_first)
        self.rows.extend(rows)
        if self.done:
            self.total = len(self.rows)  # what the indexes hold, should the manifest's count differ
