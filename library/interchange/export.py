"""Exporting the library's annotations: one primary JSON document, rendered in several formats.

`export_library` is what the command line and the app's export key call.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.annotations.work_state import only_annotator
from library.interchange.document import (
    SCHEMA_NAME,
    SCHEMA_VERSION,
    ExportFilters,
    build_document,
    has_annotations,
)
from library.interchange.formats import FORMATS, Rendered, render
from library.interchange.writer import ExportError, write_file

if TYPE_CHECKING:
    from library import Library

__all__ = [
    "FORMATS",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "ExportError",
    "ExportFilters",
    "ExportResult",
    "build_document",
    "export_library",
    "load_schema",
    "render",
    "write_file",
]


@dataclass
class ExportResult:
    """What an export produced; `data` holds the bytes (also when they went to a file)."""

    format: str
    path: Path | None
    data: bytes
    articles: int
    highlights: int
    records: int
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        where = str(self.path) if self.path else "standard output"
        return (
            f"exported {self.articles} article(s), {self.highlights} highlight(s) as {self.format} to {where}"
        )


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema of the primary export (shipped as package data)."""
    text = (
        resources.files("library.interchange").joinpath("schema/annotations.schema.json").read_text("utf-8")
    )
    return json.loads(text)


def collect(lib: Library, filters: ExportFilters) -> list[tuple[Any, Any]]:
    """(Article, ArticleAnnotations) pairs that pass the filters, in the library's order.

    Site, date and id filters are checked on the summaries first so unrelated bodies are never read.
    """
    pairs = []
    summaries = lib.summaries()
    # Work filters: by annotator and state (see work_state.keeps), then only that annotator's work.
    working = set(lib.keeps_work([s.id for s in summaries], annotator=filters.annotator, state=filters.state))
    for s in summaries:
        if s.id not in working:
            continue
        if filters.ids and s.id not in filters.ids:
            continue
        if filters.sites and (s.meta.site or "").casefold() not in {x.casefold() for x in filters.sites}:
            continue
        if filters.since or filters.until:
            date = (s.meta.published or "")[:10]
            if (
                not date
                or (filters.since and date < filters.since)
                or (filters.until and date > filters.until)
            ):
                continue
        ann = lib.annotations(s.id)
        if filters.annotator is not None:
            ann = only_annotator(ann, filters.annotator)
        if not filters.ids and not filters.include_unannotated and not has_annotations(ann):
            continue
        article = lib.article(s.id)
        if filters.keeps_article(article, ann):
            pairs.append((article, ann))
    return pairs


def export_library(
    lib: Library,
    fmt: str,
    out_path: Path | str | None,
    *,
    filters: ExportFilters | None = None,
    with_bodies: bool = False,
    utf16: bool = False,
    force: bool = False,
    annotator: str | None = None,
) -> ExportResult:
    """Export the library's annotations in `fmt` to `out_path` (atomic; refuses to overwrite an
    existing file unless `force`), or only into `ExportResult.data` when `out_path` is None.

    Raises ExportError (file exists, cannot write) or ValueError (unknown format)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    filters = filters or ExportFilters()
    pairs = collect(lib, filters)
    doc = build_document(
        pairs,
        with_bodies=with_bodies or fmt == "doccano",
        utf16=utf16,
        filters=filters,
        annotator=annotator or getattr(lib, "annotator", None),
    )
    rendered: Rendered = render(fmt, doc, utf16=utf16)
    path = Path(out_path) if out_path is not None else None
    if path is not None:
        write_file(path, rendered.data, force=force)
    return ExportResult(
        format=fmt,
        path=path,
        data=rendered.data,
        articles=len(doc["articles"]),
        highlights=sum(len(a["highlights"]) for a in doc["articles"]),
        records=rendered.records,
        warnings=rendered.warnings,
    )
