"""Readwise CSV export (import only): columns `Highlight`, `Book Title`, `Book Author`, `Note`,
`Tags`, `Location`, `Highlighted at` (and `URL`/`Source URL` when present). Articles are found
by URL, else by title; highlights are anchored by quote. Tags are comma-separated."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from dateutil import parser as dateparser

from library.interchange.formats.readlater import plan_quote
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    check_count,
    check_labels,
    fail,
    read_text,
)
from library.interchange.spec import FormatSpec


def _when(value: str) -> str | None:
    if not value.strip():
        return None
    try:
        when = dateparser.parse(value)
    except (ValueError, OverflowError):
        return None
    stamp = when.replace(microsecond=0).isoformat()
    return stamp if when.tzinfo else stamp + "+00:00"


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    fields = reader.fieldnames or []
    if "Highlight" not in fields or not ({"Book Title", "Title"} & set(fields)):
        raise fail(p, "not a Readwise export: columns Highlight and Book Title are needed")
    rows = list(reader)
    check_count(p, len(rows))
    for n, row in enumerate(rows, 2):
        where = f"row {n}"
        quote = (row.get("Highlight") or "").strip()
        if not quote:
            continue
        tags = [t.strip() for t in (row.get("Tags") or "").split(",") if t.strip()]
        check_labels(plan, options, tags)
        plan_quote(
            plan,
            index,
            where,
            title=row.get("Book Title") or row.get("Title"),
            url=row.get("URL") or row.get("Source URL") or None,
            quote=quote,
            note=(row.get("Note") or "").strip(),
            tags=tags,
            annotator=annotator,
            created=_when(row.get("Highlighted at") or ""),
        )


SPEC = FormatSpec(
    name="readwise",
    extension=".csv",
    description="Readwise CSV export (import only; matched by URL or title, anchored by quote)",
    lost="(import only) colours, locations",
    reader=read,
    quote_only=True,
)
