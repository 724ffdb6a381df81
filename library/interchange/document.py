"""The primary export document: articles' metadata with their highlights and tags, as plain data.

Every other format is rendered from this document, so what an export holds is decided in one
place. Offsets: `source_start`/`source_end` point into the original file text and never change;
`start`/`end` point into the clean body as currently classified (null when the span lies outside
it); all are code points, end exclusive, with UTF-16 twins on request.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from library.annotations.anchoring import Utf16Index, body_span
from library.annotations.model import ANCHOR_ORPHAN, ArticleAnnotations, Highlight, now_iso
from library.core.query import ArticleQuery, record_of
from library.model import Article

SCHEMA_NAME = "newsnotes-reader/annotations"
SCHEMA_VERSION = 1


@dataclass
class ExportFilters:
    """The export's options for which articles and highlights it holds, as the command line and
    the export dialog give them. The matching itself is `ArticleQuery`'s (`query`): a tag is an
    article tag or a span tag, case-insensitive, and any of several tags will do. Empty filters
    keep every annotated article."""

    tags: list[str] = field(default_factory=list)
    sites: list[str] = field(default_factory=list)
    since: str | None = None  # YYYY-MM-DD, inclusive
    until: str | None = None  # YYYY-MM-DD, inclusive
    ids: list[str] = field(default_factory=list)  # full article ids
    include_unannotated: bool = False
    # Work filters (library/annotations/work_state.py), matched by `ArticleQuery`: articles this
    # annotator worked on (and only their highlights and tags: `only_annotator`), and articles in
    # this work state (of `annotator`, else of the library's annotator).
    annotator: str | None = None
    state: str | None = None

    @property
    def query(self) -> ArticleQuery:
        return ArticleQuery(
            labels=tuple(self.tags),
            any_label=True,
            sites=tuple(self.sites),
            since=self.since or "",
            until=self.until or "",
            ids=tuple(self.ids),
            annotated=None if self.ids or self.include_unannotated else True,
            annotators=(self.annotator,) if self.annotator else (),
            state=self.state or "",
        )

    def keeps_article(self, article: Article, ann: ArticleAnnotations) -> bool:
        return self.query.matches(record_of(article, ann))

    def keeps_highlight(self, ann: ArticleAnnotations, highlight: Highlight) -> bool:
        """With tag filters, an article tagged with one keeps all highlights; others keep the tagged ones."""
        return self.query.keeps_highlight(ann, highlight)


def as_query(filters: ExportFilters | ArticleQuery | None) -> ArticleQuery:
    """The query an export runs: its options' query, or the default (every annotated article)."""
    if filters is None:
        return ExportFilters().query
    return filters.query if isinstance(filters, ExportFilters) else filters


def has_annotations(ann: ArticleAnnotations) -> bool:
    return bool(ann.highlights or ann.tags or ann.note)


def highlight_entry(article: Article, h: Highlight, *, utf16: Utf16Index | None = None) -> dict[str, Any]:
    span = None if h.anchor == ANCHOR_ORPHAN else body_span(article, h.source_start, h.source_end)
    entry: dict[str, Any] = {
        "id": h.id,
        "start": span[0] if span else None,
        "end": span[1] if span else None,
        "source_start": h.source_start,
        "source_end": h.source_end,
        "quote": h.quote,
        "prefix": h.prefix,
        "suffix": h.suffix,
        "tags": list(h.tags),
        "note": h.note,
        "annotator": h.annotator,
        "created": h.created,
        "updated": h.updated,
        "anchor": h.anchor,
        "confidence": h.confidence,
    }
    if h.provenance:
        entry["provenance"] = dict(h.provenance)
    if utf16 is not None:
        entry["start_utf16"] = utf16.to_utf16(span[0]) if span else None
        entry["end_utf16"] = utf16.to_utf16(span[1]) if span else None
    return entry


def article_entry(
    article: Article,
    ann: ArticleAnnotations,
    *,
    with_body: bool = False,
    utf16: bool = False,
    filters: ExportFilters | ArticleQuery | None = None,
) -> dict[str, Any]:
    meta = article.meta
    entry: dict[str, Any] = {
        "id": article.id,
        "external_id": meta.external_id,
        "title": meta.title,
        "authors": list(meta.authors),
        "published": meta.published,
        "site": meta.site,
        "url": meta.url,
        "region": list(meta.region),
        "themes": list(meta.themes),
        "in_depth_report": meta.in_depth_report,
        "original_source": meta.original_source,
        "origin": {"path": article.origin.path, "record": article.origin.record},
        "tags": [t.to_json() for t in ann.tags],
        "note": ann.note,
    }
    if with_body:
        entry["body"] = article.body
    index = Utf16Index(article.body) if utf16 else None
    query = None if filters is None else as_query(filters)
    highlights = [h for h in ann.highlights if query is None or query.keeps_highlight(ann, h)]
    highlights.sort(key=lambda h: (h.source_start, h.source_end, h.id))
    entry["highlights"] = [highlight_entry(article, h, utf16=index) for h in highlights]
    return entry


def build_document(
    items: Iterable[tuple[Article, ArticleAnnotations]],
    *,
    with_bodies: bool = False,
    utf16: bool = False,
    filters: ExportFilters | ArticleQuery | None = None,
    annotator: str | None = None,
    exported: str | None = None,
) -> dict[str, Any]:
    """The export document for (article, annotations) pairs, filtered, in the order given."""
    query = as_query(filters)
    doc: dict[str, Any] = {
        "schema": SCHEMA_NAME,
        "version": SCHEMA_VERSION,
        "exported": exported or now_iso(),
    }
    if annotator:
        doc["annotator"] = annotator
    doc["articles"] = [
        article_entry(a, ann, with_body=with_bodies, utf16=utf16, filters=query)
        for a, ann in items
        if query.matches(record_of(a, ann, annotator or ""))
    ]
    return doc
