"""doccano sequence-labelling JSONL (`--format doccano`): one article per line with its clean body
as `text` and `label: [[start, end, tag], ...]` in body offsets.

doccano's importer puts every other key of a line into the example's `meta`, through pandas: a key
missing on some lines becomes NaN and the whole import fails doccano's JSON check, so every line
carries every key (`""` when empty). doccano counts offsets in UTF-16 code units; `--utf16` writes
those, and the reader takes `--utf16`/`--no-utf16` or detects them. Overlapping spans are dropped
by doccano unless the project allows overlapping spans (a setting when the project is created):
the export says how many overlap. Notes go to `Comments` (for people) and `highlight_notes`
(`[[start, end, note], ...]`, for the round trip); article tags and note to `article_tags` and
`article_note`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.annotations.anchoring import Utf16Index
from library.annotations.model import ArticleTag, now_iso
from library.interchange.offsets16 import to_code_points, units_for
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    PlannedSpan,
    check_count,
    check_labels,
    fail,
    in_range,
    loads,
    make_highlight,
    offsets,
    read_text,
    text,
)
from library.interchange.rendering import ExportOptions, Rendered, export_article_id, json_bytes
from library.interchange.spec import FormatSpec


def overlapping(spans: list[tuple[int, int]]) -> int:
    """How many spans overlap another one (sharing characters; equal spans count too)."""
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    hit: set[int] = set()
    for a_pos, i in enumerate(order):
        for j in order[a_pos + 1 :]:
            if spans[j][0] >= spans[i][1]:
                break
            if spans[j][0] < spans[i][1] and spans[i][0] < spans[j][1]:
                hit.update((i, j))
    return len(hit)


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    out: list[bytes] = []
    outside = untagged = written = overlaps = total = 0
    for article in doc["articles"]:
        body = article["body"]
        index = Utf16Index(body) if options.utf16 else None
        labels: list[list[Any]] = []
        notes: list[list[Any]] = []
        comments = [article["note"]] if article["note"] else []
        for h in article["highlights"]:
            if h["start"] is None:
                outside += 1
                continue
            s, e = h["start"], h["end"]
            if index is not None:
                s, e = index.to_utf16(s), index.to_utf16(e)
            if h["note"]:
                notes.append([s, e, h["note"]])
                comments.append(f"«{h['quote']}»: {h['note']}")
            if not h["tags"]:
                untagged += 1
                continue
            written += 1
            labels.extend([s, e, t] for t in h["tags"])
        labels.sort(key=lambda x: (x[0], x[1], x[2]))
        total += len(labels)
        overlaps += overlapping([(x[0], x[1]) for x in labels])
        line: dict[str, Any] = {
            "id": article["id"],
            "text": body,
            "label": labels,
            "external_id": export_article_id(article, options)
            if article.get("external_id") and export_article_id(article, options) != article["id"]
            else "",
            "title": article.get("title") or "",
            "Comments": comments,
            "highlight_notes": sorted(notes, key=lambda x: (x[0], x[1])),
            "article_tags": [t["tag"] for t in article["tags"]],
            "article_note": article["note"],
        }
        out.append(json_bytes(line, indent=False) + b"\n")
    warnings = []
    if outside:
        warnings.append(
            f"{outside} highlight(s) outside the clean body left out (doccano offsets are body offsets)"
        )
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a tag left out (their notes are in Comments)")
    if overlaps:
        warnings.append(
            f"{overlaps} of {total} label(s) overlap another: doccano drops them unless the project "
            "was created with 'Allow overlapping spans'"
        )
    if not options.utf16 and any(
        Utf16Index(a["body"]).to_utf16(len(a["body"])) != len(a["body"]) for a in doc["articles"]
    ):
        warnings.append(
            "some texts hold characters outside the BMP (emoji): doccano counts UTF-16 "
            "units, so export with --utf16 for doccano"
        )
    return Rendered(b"".join(out), warnings, records=len(out), highlights=written)


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    lines = [(n, ln) for n, ln in enumerate(read_text(path).splitlines(), 1) if ln.strip()]
    check_count(p, len(lines))
    records = []
    total = 0
    detected = 0
    for n, line in lines:
        obj = loads(p, line, f" on line {n}")
        where = f"line {n}"
        if not isinstance(obj, dict):
            raise fail(p, f"{where}: expected an object")
        body = text(p, where, obj.get("text"), "text", optional=False)
        labels = obj.get("label", obj.get("labels"))
        if labels is None and isinstance(obj.get("entities"), list):
            labels = [
                [e.get("start_offset"), e.get("end_offset"), e.get("label")] if isinstance(e, dict) else e
                for e in obj["entities"]
            ]
        if labels is None:
            labels = []
        if not isinstance(labels, list):
            raise fail(p, f"{where}: label must be a list of [start, end, label]")
        total += len(labels)
        check_count(p, total)
        raw: list[tuple[int, int, str]] = []
        for k, item in enumerate(labels, 1):
            lwhere = f"{where} label {k}"
            if not (isinstance(item, list) and len(item) == 3):
                raise fail(p, f"{lwhere}: expected [start, end, label]")
            s, e = offsets(p, lwhere, item[0], item[1])
            raw.append((s, e, text(p, lwhere, item[2], "label", optional=False)))
        notes_raw: list[tuple[int, int, str]] = []
        for k, item in enumerate(obj.get("highlight_notes") or [], 1):
            lwhere = f"{where} note {k}"
            if not (isinstance(item, list) and len(item) == 3):
                raise fail(p, f"{lwhere}: expected [start, end, note]")
            s, e = offsets(p, lwhere, item[0], item[1])
            notes_raw.append((s, e, text(p, lwhere, item[2], "note", optional=False)))
        spans = [(s, e) for s, e, _ in raw] + [(s, e) for s, e, _ in notes_raw]
        utf16 = units_for(body, spans, options.utf16)
        if utf16:
            if options.utf16 is None:
                detected += 1
            spans = to_code_points(body, spans)
        limit = Utf16Index(body).to_utf16(len(body)) if utf16 else len(body)
        for k, (s, e, _) in enumerate(raw + notes_raw, 1):
            in_range(p, f"{where} span {k}", (s, e), limit, "text")
        labelled = [(*spans[i], raw[i][2]) for i in range(len(raw))]
        noted = {spans[len(raw) + i]: notes_raw[i][2] for i in range(len(notes_raw))}
        art_tags = obj.get("article_tags") or []
        if not isinstance(art_tags, list) or not all(isinstance(t, str) and t for t in art_tags):
            raise fail(p, f"{where}: article_tags must be a list of strings")
        art_note = text(p, where, obj.get("article_note"), "article_note")
        records.append((n, obj, body, labelled, noted, art_tags, art_note))
        check_labels(plan, options, [lab for _, _, lab in labelled])
    if detected:
        plan.notices.append(f"{p}: offsets read as UTF-16 code units on {detected} line(s) (detected)")
    for n, obj, body, labelled, noted, art_tags, art_note in records:
        where = f"line {n}"
        # Our full id, else the text itself (doccano's own exports number lines 1, 2, ... which
        # must not be taken for external ids or id prefixes), else the external id we wrote.
        oid = obj.get("id")
        aid = oid if isinstance(oid, str) and oid in index.ids else index.find_by_body(body)
        if aid is None:
            aid = index.find_for(
                plan,
                where,
                obj.get("external_id") or None,
                missing=f"no article with id {str(oid)[:40]} or this text",
            )
        if aid is None:
            continue
        plan.tags.extend((aid, ArticleTag(t, annotator, now_iso())) for t in art_tags)
        if art_note:
            plan.notes.append((aid, art_note))
        article = index.article(aid)
        same_text = article.body == body
        merged: dict[tuple[int, int], list[str]] = {}
        for s, e, tag in labelled:
            merged.setdefault((s, e), []).append(tag)
        for span in noted:
            merged.setdefault(span, [])
        for (s, e), tags in merged.items():
            hl = make_highlight(
                article,
                quote=body[s:e],
                prefix=body[max(0, s - 32) : s],
                suffix=body[e : e + 32],
                body=(s, e) if same_text or e <= len(article.body) else None,
                tags=tags,
                note=noted.get((s, e), ""),
                annotator=annotator,
            )
            plan.spans.append(PlannedSpan(aid, hl, f"{where} [{s}, {e}]"))


SPEC = FormatSpec(
    name="doccano",
    extension=".doccano.jsonl",
    description="doccano sequence labelling (JSONL, body offsets)",
    lost="highlights outside the clean body, untagged highlights (their notes kept), annotators, times",
    writer=write,
    reader=read,
    needs_bodies=True,
)
