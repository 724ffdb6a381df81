"""Filtering, searching and sorting the library list, without Textual.

The library screen keeps every `ArticleSummary` in memory once and derives the visible order from
it here, so a filter or a new sort is a list operation, not a store query. The filter is the
domain's `ArticleQuery` (the same meaning as `reader list` and the export); search is the
exception: it needs article bodies and goes through `Library.search`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

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


def _sort_key(column: str) -> Callable[[ArticleSummary], tuple[Any, ...]]:
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


def sort_text(column: str) -> Callable[[ArticleSummary], str]:
    """`_sort_key` as one string: its parts joined by NUL (which sorts below every character),
    numbers zero-padded. Sorting a million summaries by strings is several times faster than by
    tuples, and a list sorted by it can be searched by bisection (`move_in_order`)."""
    if column == "title":
        return lambda s: f"{(s.title or '').casefold()}\0{s.id}"
    if column == "site":
        return lambda s: f"{(s.site or '').casefold()}\0{s.published or ''}\0{s.id}"
    if column == "highlights":
        return lambda s: f"{s.highlights:012d}\0{s.published or ''}\0{s.id}"
    if column == "imported":
        return lambda s: f"{s.imported}\0{s.id}"
    return lambda s: f"{s.published or ''}\0{(s.title or '').casefold()}\0{s.id}"


def in_order(summaries: Iterable[ArticleSummary], column: str) -> list[ArticleSummary]:
    """Every summary by `column`, ascending (the list shows it reversed when it is reversed)."""
    return sorted(summaries, key=sort_text(column))


def visible_in(order: list[ArticleSummary], state: ListState) -> list[ArticleSummary]:
    """`visible` of the summaries of `order` (all of them, `in_order` of the state's column):
    the filters and the search keep rows of it, and nothing is sorted again."""
    rows: Iterable[ArticleSummary] = reversed(order) if state.reverse else order
    if state.search_ids is None and not state.filters.active:
        return list(rows)
    ids, query = state.search_ids, state.filters
    return [s for s in rows if (ids is None or s.id in ids) and query.matches(s)]


def move_in_order(order: list[ArticleSummary], old: ArticleSummary, new: ArticleSummary, column: str) -> None:
    """Replace `old` by `new` in `order` (sorted by `in_order`), where `new` sorts."""
    key = sort_text(column)
    before, after = key(old), key(new)
    at = bisect.bisect_left(order, before, key=key)
    if at < len(order) and order[at].id == old.id:
        if before == after:
            order[at] = new
            return
        del order[at]
    order.insert(bisect.bisect_left(order, after, key=key), new)


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
