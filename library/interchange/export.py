"""Exporting the library's annotations: one primary JSON document, written in the chosen format.

`export_library` is what the command line and the app's export key call; the formats themselves
live in `library.interchange.formats`, one module each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.annotations.work_state import only_annotator
from library.errors import InvalidInput
from library.interchange.document import (
    SCHEMA_NAME,
    SCHEMA_VERSION,
    ExportFilters,
    as_query,
    build_document,
)
from library.interchange.formats import EXPORT_FORMATS, FORMATS, format_table
from library.interchange.formats.json_doc import load_schema
from library.interchange.rendering import ExportOptions, LabelRefused, Rendered
from library.interchange.writer import ExportError, write_file, write_folder

if TYPE_CHECKING:
    from library import Library
    from library.core.query import ArticleQuery

__all__ = [
    "EXPORT_FORMATS",
    "FORMATS",
    "SCHEMA_NAME",
    "SCHEMA_VERSION",
    "ExportError",
    "ExportFilters",
    "ExportOptions",
    "ExportResult",
    "build_document",
    "export_library",
    "format_table",
    "load_schema",
    "render",
    "write_file",
]


@dataclass
class ExportResult:
    """What an export produced; `data` holds the bytes (also when they went to a file); `files`
    the folder's files for folder formats."""

    format: str
    path: Path | None
    data: bytes
    articles: int
    highlights: int
    records: int
    warnings: list[str] = field(default_factory=list)
    files: dict[str, bytes] | None = None

    def summary(self) -> str:
        where = str(self.path) if self.path else "standard output"
        return (
            f"exported {self.articles} article(s), {self.highlights} highlight(s) as {self.format} to {where}"
        )


def render(
    fmt: str, doc: dict[str, Any], *, utf16: bool = False, options: ExportOptions | None = None
) -> Rendered:
    """The document in format `fmt` (ValueError for an unknown or import-only format)."""
    spec = FORMATS.get(fmt)
    if spec is None or spec.writer is None:
        raise InvalidInput(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    options = options or ExportOptions(utf16=utf16)
    return spec.writer(doc, options)


def collect(lib: Library, filters: ExportFilters | ArticleQuery) -> list[tuple[Any, Any]]:
    """(Article, ArticleAnnotations) pairs that pass the filters, in the library's order.

    The query runs on the summaries first (`Library.query`), so unrelated bodies are never read.
    """
    return [(lib.article(s.id), lib.annotations(s.id)) for s in lib.query(as_query(filters))]


def ambiguous_external_ids(lib: Library) -> frozenset[str]:
    """External ids that would not re-import to one article: shared, or equal to another's full id."""
    seen: dict[str, int] = {}
    ids = set()
    for s in lib.summaries():
        ids.add(s.id)
        if s.meta.external_id:
            key = str(s.meta.external_id)
            seen[key] = seen.get(key, 0) + 1
    return frozenset(k for k, n in seen.items() if n > 1 or k in ids)


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
    allowed_labels: frozenset[str] | set[str] | None = None,
    strict_labels: bool = False,
    exported: str | None = None,
) -> ExportResult:
    """Export the library's annotations in `fmt` to `out_path` (atomic; refuses to overwrite an
    existing file unless `force`), or only into `ExportResult.data` when `out_path` is None.

    `allowed_labels` is the label scheme to check labels against (PTC: its 14 techniques by
    default); with `strict_labels` an export using other labels is refused. `exported`: the
    document's time stamp (default now). Raises ExportError
    (file exists, cannot write, labels refused, optional package missing) or ValueError (unknown
    format)."""
    spec = FORMATS.get(fmt)
    if spec is None or spec.writer is None:
        raise InvalidInput(f"unknown export format {fmt!r} (choose from {', '.join(EXPORT_FORMATS)})")
    query = as_query(filters)
    pairs = collect(lib, query)
    who = filters.annotator if isinstance(filters, ExportFilters) else None
    if who:  # a per-annotator export holds only that annotator's highlights and tags
        pairs = [(a, only_annotator(ann, who)) for a, ann in pairs]
    doc = build_document(
        pairs,
        with_bodies=with_bodies or spec.needs_bodies,
        utf16=utf16,
        filters=query,
        annotator=annotator or getattr(lib, "annotator", None),
        exported=exported,
    )
    options = ExportOptions(
        utf16=utf16,
        allowed_labels=frozenset(allowed_labels) if allowed_labels is not None else None,
        strict=strict_labels,
        ambiguous_external_ids=ambiguous_external_ids(lib),
    )
    try:
        rendered = spec.writer(doc, options)
    except LabelRefused as err:
        raise ExportError(f"{fmt}: {err}") from None
    path = Path(out_path) if out_path is not None else None
    if rendered.files is not None:
        if path is None:
            raise ExportError(f"{fmt} writes a folder of files: give one with -o FOLDER")
        write_folder(path, rendered.files, force=force)
    elif path is not None:
        write_file(path, rendered.data, force=force)
    total = sum(len(a["highlights"]) for a in doc["articles"])
    return ExportResult(
        format=fmt,
        path=path,
        data=rendered.data,
        articles=len(doc["articles"]),
        highlights=rendered.highlights if rendered.highlights is not None else total,
        records=rendered.records,
        warnings=rendered.warnings,
        files=rendered.files,
    )
