"""Hypothesis API JSON (import only): what `GET /api/search` returns (`{"rows": [...]}`), a list
of annotations, or one annotation. Articles are found by `uri` (or `target[].source`), else by
`document.title`; highlights are anchored by their TextQuoteSelector (exact, prefix, suffix) —
Hypothesis' positions count in the web page's text, not in our clean body, so they are not used.
Page notes (no selector) become the article note, their tags article tags. `user`
(`acct:name@hypothes.is`) becomes the annotator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.annotations.model import ArticleTag, now_iso
from library.interchange.formats.readlater import plan_quote
from library.interchange.formats.w3c import from_z
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    check_count,
    check_labels,
    fail,
    loads,
    read_text,
    text,
)
from library.interchange.spec import FormatSpec


def _user(value: Any, default: str) -> str:
    if isinstance(value, str) and value:
        name = value.removeprefix("acct:")
        return name.split("@", 1)[0] or default
    return default


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    data = loads(p, read_text(path))
    rows = data.get("rows") if isinstance(data, dict) and "rows" in data else data
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list):
        raise fail(p, 'expected Hypothesis annotations: {"rows": [...]} or a list')
    check_count(p, len(rows))
    for n, row in enumerate(rows, 1):
        where = f"annotation {n}"
        if not isinstance(row, dict):
            raise fail(p, f"{where}: expected an object")
        tags = row.get("tags") or []
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise fail(p, f"{where}: tags must be a list of strings")
        tags = [t for t in tags if t.strip()]
        check_labels(plan, options, tags)
        note = text(p, where, row.get("text"), "text")
        who = _user(row.get("user"), annotator)
        created = from_z(row.get("created"))
        doc = row.get("document") if isinstance(row.get("document"), dict) else {}
        titles = doc.get("title") if isinstance(doc, dict) else None
        title = titles[0] if isinstance(titles, list) and titles and isinstance(titles[0], str) else titles
        title = title if isinstance(title, str) else None
        targets = row.get("target") or []
        if not isinstance(targets, list):
            raise fail(p, f"{where}: target must be a list")
        uri = row.get("uri") if isinstance(row.get("uri"), str) else None
        quote_sel = None
        for target in targets:
            if not isinstance(target, dict):
                raise fail(p, f"{where}: each target must be an object")
            uri = uri or (target.get("source") if isinstance(target.get("source"), str) else None)
            for sel in target.get("selector") or []:
                if isinstance(sel, dict) and sel.get("type") == "TextQuoteSelector":
                    quote_sel = sel
        if quote_sel is None:
            aid, how = index.find_by_title_or_url(title, uri)
            if aid is None:
                plan.unmatched.append(f"{where}: {how}")
                continue
            plan.tags.extend((aid, ArticleTag(t, who, created or now_iso())) for t in tags)
            if note:
                plan.notes.append((aid, note))
            continue
        quote = text(p, where, quote_sel.get("exact"), "exact", optional=False)
        plan_quote(
            plan,
            index,
            where,
            title=title,
            url=uri,
            quote=quote,
            prefix=text(p, where, quote_sel.get("prefix"), "prefix"),
            suffix=text(p, where, quote_sel.get("suffix"), "suffix"),
            note=note,
            tags=tags,
            annotator=who,
            created=created,
            hid=f"hyp-{row['id']}" if isinstance(row.get("id"), str) else None,
        )


SPEC = FormatSpec(
    name="hypothesis",
    extension=".json",
    description="Hypothesis API JSON (import only; anchored by quote)",
    lost="(import only) positions in the web page; replies and groups",
    reader=read,
    quote_only=True,
)
