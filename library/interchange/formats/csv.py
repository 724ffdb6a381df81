"""CSV (`--format csv`): one row per highlight, for spreadsheets and pandas.

`source_start`/`source_end` are on every row, so pandas reads them as integers; `body_start`/
`body_end` are empty for highlights outside the clean body (pandas reads those two as floats unless
given `dtype={"body_start": "Int64", "body_end": "Int64"}`). A text cell a spreadsheet would run
as a formula (first character `= + - @`, tab or carriage return) gets a leading apostrophe; the
reader takes it off again."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    PlannedSpan,
    check_count,
    check_labels,
    fail,
    in_range,
    int_offsets,
    make_highlight,
    read_text,
)
from library.interchange.rendering import ExportOptions, Rendered
from library.interchange.spec import FormatSpec

CSV_COLUMNS = [
    "article_id",
    "external_id",
    "title",
    "site",
    "published",
    "url",
    "highlight_id",
    "source_start",
    "source_end",
    "body_start",
    "body_end",
    "quote",
    "tags",
    "note",
    "annotator",
    "created",
    "updated",
    "anchor",
    "confidence",
]
TAG_SEPARATOR = " | "  # PTC technique names contain commas
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in _FORMULA_START and not isinstance(value, int | float):
        return "'" + text
    return text


def uncell(text: str) -> str:
    return text[1:] if text[:1] == "'" and text[1:2] in _FORMULA_START and text[1:2] else text


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    buf = io.StringIO()
    columns = CSV_COLUMNS + (["body_start_utf16", "body_end_utf16"] if options.utf16 else [])
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    rows = 0
    for a in doc["articles"]:
        for h in a["highlights"]:
            row = [
                a["id"],
                a["external_id"],
                a["title"],
                a["site"],
                a["published"],
                a["url"],
                h["id"],
                h["source_start"],
                h["source_end"],
                h["start"],
                h["end"],
                h["quote"],
                TAG_SEPARATOR.join(h["tags"]),
                h["note"],
                h["annotator"],
                h["created"],
                h["updated"],
                h["anchor"],
                h["confidence"],
            ]
            if options.utf16:
                row += [h.get("start_utf16"), h.get("end_utf16")]
            writer.writerow([cell(v) for v in row])
            rows += 1
    warnings = (
        ["CSV holds no article tags or article notes"]
        if any(a["tags"] or a["note"] for a in doc["articles"])
        else []
    )
    return Rendered(buf.getvalue().encode(), warnings, records=rows)


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    reader = csv.DictReader(io.StringIO(read_text(path), newline=""))
    missing = {"article_id", "source_start", "source_end", "quote"} - set(reader.fieldnames or [])
    if missing:
        raise fail(p, f"not our CSV: column(s) {', '.join(sorted(missing))} missing")
    rows = list(reader)
    check_count(p, len(rows))
    for n, row in enumerate(rows, 2):
        where = f"row {n}"
        if None in row:
            raise fail(p, f"{where}: more cells than columns")
        get = {k: uncell(v or "") for k, v in row.items()}
        aid = index.find_for(
            plan,
            where,
            get["article_id"],
            get.get("external_id") or None,
            missing=f"no article {get['article_id'][:40]}",
        )
        if aid is None:
            continue
        article = index.article(aid)
        src = int_offsets(p, where, get["source_start"], get["source_end"])
        in_range(p, where, src, len(article.source_text), "original text")
        body = None
        if get.get("body_start") and get.get("body_end"):
            body = int_offsets(p, where, get["body_start"], get["body_end"])
        tags = [t for t in get.get("tags", "").split(TAG_SEPARATOR) if t]
        check_labels(plan, options, tags)
        hl = make_highlight(
            article,
            quote=get["quote"],
            source=src,
            body=body,
            tags=tags,
            note=get.get("note", ""),
            annotator=get.get("annotator") or annotator,
            hid=get.get("highlight_id") or None,
            created=get.get("created") or None,
            updated=get.get("updated") or None,
        )
        plan.spans.append(PlannedSpan(aid, hl, where))


SPEC = FormatSpec(
    name="csv",
    extension=".csv",
    description="one row per highlight (spreadsheets, pandas)",
    lost="article tags and notes, articles without highlights",
    writer=write,
    reader=read,
)
