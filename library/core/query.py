"""`ArticleQuery`: the one meaning of "which articles" for the app's filter, `reader list` and export.

Why one type: the filter was written three times (the library screen, the command line, the
export) and gave three answers to one question: a label on a span counted in one and not in
another, and one compared case-sensitively. Here a label matches an article tag or a span tag,
case-insensitively, everywhere.

A query is matched against `ArticleSummary` records, which carry every field it asks about
(span labels and annotators included), so filtering 10,000 articles is a list operation that
reads no article body. Full-text `text` is the exception: it needs the search index and is
applied by `Library.query`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from library.annotations.work_state import STATE_NEW, STATE_PROGRESS, state_of

if TYPE_CHECKING:
    from library.annotations.model import ArticleAnnotations, Highlight
    from library.model import Article


class QueryRecord(Protocol):
    """What a query reads of an article: `ArticleSummary` has it, and so has `record_of`."""

    @property
    def id(self) -> str: ...
    @property
    def site(self) -> str | None: ...
    @property
    def published(self) -> str | None: ...
    @property
    def read(self) -> bool: ...
    @property
    def labels(self) -> Sequence[str]: ...
    @property
    def annotators(self) -> Sequence[str]: ...
    @property
    def annotated(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class AnnotatedRecord:
    """An article and its annotations as a query sees them (for callers that hold both)."""

    id: str
    site: str | None
    published: str | None
    read: bool
    labels: tuple[str, ...]
    annotators: tuple[str, ...]
    annotated: bool
    state: str = STATE_NEW  # the work state of the annotator `record_of` was asked about
    work: Mapping[str, str] = field(default_factory=dict)  # recorded work states per annotator


def record_of(article: Article, ann: ArticleAnnotations, annotator: str = "") -> AnnotatedRecord:
    """The record a query matches for an article held with its annotations; `state` is
    `annotator`'s work state (the library's annotator, for a query without annotators)."""
    labels = [*ann.tag_names, *(t for h in ann.highlights for t in h.tags)]
    people = [t.annotator for t in ann.tags] + [h.annotator for h in ann.highlights]
    return AnnotatedRecord(
        id=article.id,
        site=article.meta.site,
        published=article.meta.published,
        read=ann.read,
        labels=tuple(dict.fromkeys(labels)),
        annotators=tuple(p for p in dict.fromkeys(people) if p),
        annotated=bool(ann.highlights or ann.tags or ann.note),
        state=state_of(ann, annotator),
        work=dict(ann.work),
    )


def _folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(v.casefold() for v in values if v)


def _involved(summary: QueryRecord) -> frozenset[str]:
    """Who worked on the article: tagged it, marked a span, or has a recorded work state."""
    return _folded([*summary.annotators, *(getattr(summary, "work", None) or {})])


@dataclass(frozen=True, slots=True)
class ArticleQuery:
    """Which articles: every field that is set must hold. Empty values mean "no restriction".

    labels: an article tag or a span tag, case-insensitive; all of them must be on the article,
        or any one of them when `any_label` (export: "articles and highlights with these tags").
    sites: any of these sites, case-insensitive.
    since / until: publication date bounds, inclusive, as YYYY-MM-DD or a prefix (YYYY, YYYY-MM:
        `until="2024"` takes the whole of 2024). Undated articles fail a date bound.
    read: True only read articles, False only unread, None both.
    annotators: an article tagged or a span marked by any of these people (or with a work state
        recorded for one of them).
    text: every word in the title or body (applied by `Library.query`, not by `matches`).
    ids: only these full article ids.
    annotated: True only articles with annotations (highlights, tags or a note), False only
        those without, None both.
    state: the work state (new, progress, done; library.annotations.work_state): of any one of
        `annotators` when they are given, else the summary's `state` (the library's annotator's).
    """

    labels: tuple[str, ...] = ()
    any_label: bool = False
    sites: tuple[str, ...] = ()
    since: str = ""
    until: str = ""
    read: bool | None = None
    annotators: tuple[str, ...] = ()
    text: str = ""
    ids: tuple[str, ...] = ()
    annotated: bool | None = None
    state: str = ""
    _wanted: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_wanted", _folded(self.labels))

    @property
    def active(self) -> bool:
        return self != ArticleQuery()

    def cleared(self) -> ArticleQuery:
        return ArticleQuery()

    def but(self, **changes: object) -> ArticleQuery:
        """A copy with some fields changed (a frozen dataclass's `replace`)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def describe(self) -> str:
        """A short plain-text line for a status bar."""
        parts = []
        if self.labels:
            parts.append(("tag~" if self.any_label else "tag=") + ",".join(self.labels))
        if self.sites:
            parts.append("site=" + ",".join(self.sites))
        if self.since or self.until:
            parts.append(f"date={self.since or '…'}..{self.until or '…'}")
        if self.read is not None:
            parts.append("read" if self.read else "unread")
        if self.annotators:
            parts.append("by=" + ",".join(self.annotators))
        if self.state:
            parts.append(f"state={self.state}")
        if self.text:
            parts.append(f"text={self.text}")
        if self.ids:
            parts.append(f"{len(self.ids)} id(s)")
        return " ".join(parts)

    # --- matching -------------------------------------------------------------------------
    def matches(self, summary: QueryRecord) -> bool:
        """Whether the summary (or `record_of` an article) passes every field but `text`."""
        if self.ids and summary.id not in self.ids:
            return False
        if self.sites and (summary.site or "").casefold() not in _folded(self.sites):
            return False
        if self.since or self.until:
            date = (summary.published or "")[:10]
            if not date or (self.since and date < self.since):
                return False
            if self.until and date[: len(self.until)] > self.until:
                return False
        if self.read is not None and summary.read != self.read:
            return False
        if self._wanted and not self._labels_match(summary.labels):
            return False
        if self.annotators and not self.state and not _folded(self.annotators) & _involved(summary):
            return False
        if self.annotated is not None and summary.annotated != self.annotated:
            return False
        return not (self.state and self.state not in self._states(summary))

    def _states(self, summary: QueryRecord) -> set[str]:
        """The work states the query compares: those of its annotators, else the summary's own."""
        if not self.annotators:
            return {str(getattr(summary, "state", STATE_NEW))}
        work = {k.casefold(): v for k, v in (getattr(summary, "work", None) or {}).items()}
        people = _folded(summary.annotators)
        return {
            work.get(who) or (STATE_PROGRESS if who in people else STATE_NEW)
            for who in _folded(self.annotators)
        }

    def labels_match(self, labels: Iterable[str]) -> bool:
        """Whether an article carrying `labels` passes the query's label part."""
        return self._labels_match(labels)

    def _labels_match(self, labels: Iterable[str]) -> bool:
        have = _folded(labels)
        return bool(self._wanted & have) if self.any_label else self._wanted <= have

    def keeps_highlight(self, ann: ArticleAnnotations, highlight: Highlight) -> bool:
        """Which highlights of a matching article an export holds: with labels, an article tagged
        with one keeps every highlight, otherwise only the highlights that carry one."""
        if not self._wanted:
            return True
        return bool(self._wanted & _folded(ann.tag_names)) or bool(self._wanted & _folded(highlight.tags))


__all__ = ["AnnotatedRecord", "ArticleQuery", "QueryRecord", "record_of"]
