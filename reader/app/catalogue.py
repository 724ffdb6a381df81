"""Filtering, searching and sorting the library list, without Textual.

The library screen keeps every `ArticleSummary` in memory once and derives the visible order from
it here, so a filter or a new sort is a list operation, not a store query. The filter is the
domain's `ArticleQuery` (the same meaning as `reader list` and the export); search is the
exception: it needs article bodies and goes through `Library.search`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from library import ArticleQuery
from library.model import ArticleSummary

READ_ANY = "any"
READ_UNREAD = "unread"
READ_READ = "read"
READ_STATES = (READ_ANY, READ_UNREAD, READ_READ)


@dataclass(frozen=True, slots=True)
class SortColumn:
    key: str
    label: str


# Order in which `o` cycles through the columns.
SORT_COLUMNS = (
    SortColumn("date", "date"),
    SortColumn("title", "title"),
    SortColumn("site", "site"),
    SortColumn("highlights", "highlights"),
    SortColumn("imported", "import order"),
)


@dataclass(slots=True)
class ListState:
    """Everything that decides which rows show and in what order."""

    filters: ArticleQuery = field(default_factory=ArticleQuery)  # the domain's one query (no text)
    search: str = ""
    search_ids: frozenset[str] | None = None  # result of Library.search for `search`
    sort: str = "date"
    reverse: bool = True  # newest first by default


def read_choice(read: bool | None) -> str:
    """The filter dialog's read-state choice for a query's `read`."""
    return READ_ANY if read is None else READ_READ if read else READ_UNREAD


def read_value(choice: str) -> bool | None:
    """A query's `read` for the filter dialog's choice."""
    return None if choice not in (READ_READ, READ_UNREAD) else choice == READ_READ


def _sort_key(column: str):  # type: ignore[no-untyped-def]
    if column == "title":
        return lambda s: ((s.title or "").casefold(), s.id)
    if column == "site":
        return lambda s: ((s.site or "").casefold(), s.published or "", s.id)
    if column == "highlights":
        return lambda s: (s.highlights, s.published or "", s.id)
    if column == "imported":
        return lambda s: (s.imported, s.id)
    return lambda s: (s.published or "", (s.title or "").casefold(), s.id)


def visible(summaries: Iterable[ArticleSummary], state: ListState) -> list[ArticleSummary]:
    """The summaries that pass the filters and the search, in display order."""
    rows = [
        s
        for s in summaries
        if (state.search_ids is None or s.id in state.search_ids) and state.filters.matches(s)
    ]
    rows.sort(key=_sort_key(state.sort), reverse=state.reverse)
    return rows


def next_sort(current: str) -> str:
    keys = [c.key for c in SORT_COLUMNS]
    try:
        return keys[(keys.index(current) + 1) % len(keys)]
    except ValueError:
        return keys[0]


def sort_label(key: str) -> str:
    return next((c.label for c in SORT_COLUMNS if c.key == key), key)


def all_sites(summaries: Iterable[ArticleSummary]) -> list[str]:
    return sorted({s.site for s in summaries if s.site}, key=str.casefold)


def valid_date(text: str) -> bool:
    """YYYY-MM-DD, or a prefix of one (YYYY, YYYY-MM) for a whole year or month."""
    import re

    return bool(re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text))


def widen_to(date: str) -> str:
    """An end bound given as YYYY or YYYY-MM covers the whole year or month."""
    if len(date) == 4:
        return date + "-12-31"
    if len(date) == 7:
        return date + "-31"
    return date
