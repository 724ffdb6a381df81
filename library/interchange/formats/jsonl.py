"""JSON Lines (`--format jsonl`): one article object of the primary schema per line, no envelope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.interchange.formats.json_doc import plan_articles
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    check_count,
    fail,
    loads,
    read_text,
)
from library.interchange.rendering import ExportOptions, Rendered, json_bytes
from library.interchange.spec import FormatSpec


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    lines = [json_bytes(a, indent=False) + b"\n" for a in doc["articles"]]
    return Rendered(b"".join(lines), records=len(lines))


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    lines = [(n, ln) for n, ln in enumerate(read_text(path).splitlines(), 1) if ln.strip()]
    check_count(plan.path, len(lines))
    entries = []
    for n, line in lines:
        obj = loads(plan.path, line, f" on line {n}")
        if not isinstance(obj, dict):
            raise fail(plan.path, f"line {n}: expected an article object")
        entries.append(obj)
    check_count(
        plan.path,
        sum(len(e.get("highlights") or []) if isinstance(e.get("highlights"), list) else 0 for e in entries),
    )
    plan_articles(plan, index, entries, annotator, "")


SPEC = FormatSpec(
    name="jsonl",
    extension=".jsonl",
    description="one article object per line",
    lost="nothing (no document envelope)",
    writer=write,
    reader=read,
)
