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

from library.errors import InvalidInput
from library.interchange.document import (
    SCHEMA_NAME,
    SCHEMA_VERSION,
    ExportFilters,
    as_query,
    build_document,
)
from library.interchange.formats import FORMATS, Rendered, render
from library.interchange.writer import ExportError, write_file

if TYPE_CHECKING:
    from library import Library
    from library.core.query import ArticleQuery

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


def collect(lib: Library, filters: ExportFilters | ArticleQuery) -> list[tuple[Any, Any]]:
    """(Article, ArticleAnnotations) pairs that pass the filters, in the library's order.

    The query runs on the summaries first (`Library.query`), so unrelated bodies are never read.
    """
    return [(lib.article(s.id), lib.annotations(s.id)) for s in lib.query(as_query(filters))]


def export_library(
    lib: Library,
    fmt: str,
    out_path: Path | str | None,
    *,
    filters: ExportFilters | ArticleQuery | None = None,
    with_bodies: bool = False,
    utf16: bool = False,
    force: bool = False,
    annotator: str | None = None,
) -> ExportResult:
    """Export the library's annotations in `fmt` to `out_path` (atomic; refuses to overwrite an
    existing file unless `force`), or only into `ExportResult.data` when `out_path` is None.

    Raises ExportError (file exists, cannot write) or ValueError (unknown format)."""
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    query = as_query(filters)
    pairs = collect(lib, query)
    doc = build_document(
        pairs,
        with_bodies=with_bodies or fmt == "doccano",
        utf16=utf16,
        filters=query,
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
