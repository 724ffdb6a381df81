"""Filtering, searching and sorting the library list, without Textual.

The library screen keeps every `ArticleSummary` in memory once and derives the visible order from
it here, so a filter or a new sort is a list operation, not a store query (search is the exception:
it needs article bodies and goes through `Library.search`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

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


@dataclass(frozen=True, slots=True)
class Filters:
    """What the list is narrowed to. Empty strings mean "no restriction"."""

    tag: str = ""
    site: str = ""
    date_from: str = ""  # YYYY-MM-DD, inclusive
    date_to: str = ""  # YYYY-MM-DD, inclusive
    read: str = READ_ANY
    state: str = ""  # work state (new, progress, done); "" any (library/annotations/work_state.py)
    annotator: str = ""  # with `state`, whose state; alone, articles this annotator worked on

    @property
    def active(self) -> bool:
        return self != Filters()

    def describe(self) -> str:
        """A short plain-text line for the status bar."""
        parts = []
        if self.tag:
            parts.append(f"tag={self.tag}")
        if self.site:
            parts.append(f"site={self.site}")
        if self.date_from or self.date_to:
            parts.append(f"date={self.date_from or '…'}..{self.date_to or '…'}")
        if self.read != READ_ANY:
            parts.append(self.read)
        if self.annotator:
            parts.append(f"annotator={self.annotator}")
        if self.state:
            parts.append(f"state={self.state}")
        return " ".join(parts)

    def cleared(self) -> Filters:
        return replace(self, tag="", site="", date_from="", date_to="", read=READ_ANY, state="", annotator="")


@dataclass(slots=True)
class ListState:
    """Everything that decides which rows show and in what order."""

    filters: Filters = field(default_factory=Filters)
    search: str = ""
    search_ids: frozenset[str] | None = None  # result of Library.search for `search`
    work_ids: frozenset[str] | None = None  # result of Library.keeps_work for a filter by annotator
    label: str = ""  # from the labels view: articles using this label on a span or as a tag
    label_ids: frozenset[str] | None = None  # result of Library.articles_with_label for `label`
    sort: str = "date"
    reverse: bool = True  # newest first by default


def matches(summary: ArticleSummary, filters: Filters) -> bool:
    if filters.tag:
        wanted = filters.tag.casefold()
        if not any(t.casefold() == wanted for t in summary.tags):
            return False
    if filters.site and (summary.site or "").casefold() != filters.site.casefold():
        return False
    date = summary.published or ""
    if filters.date_from and (not date or date[:10] < filters.date_from):
        return False
    if filters.date_to and (not date or date[:10] > filters.date_to):
        return False
    if filters.read == READ_READ and not summary.read:
        return False
    if filters.state and not filters.annotator and summary.state != filters.state:
        return False
    return not (filters.read == READ_UNREAD and summary.read)


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
        if (state.search_ids is None or s.id in state.search_ids)
        and (state.work_ids is None or s.id in state.work_ids)
        and (state.label_ids is None or s.id in state.label_ids)
        and matches(s, state.filters)
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


def all_tags(summaries: Iterable[ArticleSummary]) -> list[str]:
    return sorted({t for s in summaries for t in s.tags}, key=str.casefold)


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
