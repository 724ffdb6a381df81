"""Label Studio JSON (`--format label-studio`): a list of tasks, one per article, with the clean
body as `data.text` and one annotation per annotator whose `result` holds a `labels` region per
highlight (`value.start`/`end`/`text`/`labels`).

Offsets count code points: Label Studio's frontend stores those since it stopped using JavaScript
string lengths (its converter slices `text[start:end]` in Python); `--utf16` writes UTF-16 units
for older versions, and the reader detects them from `value.text`. Notes are per-region
`textarea` results (`from_name` "note"), article tags a `choices` result ("article_tags"), the
article note a `textarea` ("article_note"); the annotator goes to `completed_by.email`.
`labeling_config()` gives the matching `<View>` for the project.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from library.annotations.anchoring import Utf16Index
from library.annotations.model import ArticleTag, now_iso
from library.interchange.formats.textspans import body_spans, find_article, outside_warning, plan_body_spans
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    check_count,
    check_labels,
    fail,
    loads,
    offsets,
    read_text,
    text,
)
from library.interchange.rendering import ExportOptions, Rendered, json_bytes
from library.interchange.spec import FormatSpec


def labeling_config(labels: list[str], article_tags: list[str] | None = None) -> str:
    """The Label Studio labeling configuration matching our tasks."""
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(lab)}/>" for lab in labels]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>']
    lines.append('  <TextArea name="note" toName="text" perRegion="true" editable="true"/>')
    if article_tags is not None:
        lines.append('  <Choices name="article_tags" toName="text" choice="multiple">')
        lines += [f"    <Choice value={quoteattr(t)}/>" for t in article_tags]
        lines.append("  </Choices>")
    lines += ['  <TextArea name="article_note" toName="text"/>', "</View>"]
    return "\n".join(lines) + "\n"


def _region_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:10]


def task(article: dict[str, Any], n: int, options: ExportOptions) -> tuple[dict[str, Any], int, int]:
    """One task, with the number of highlights left out (outside the body, untagged)."""
    body = article["body"]
    index = Utf16Index(body) if options.utf16 else None
    spans, outside = body_spans(article)
    by_annotator: dict[str, list[dict[str, Any]]] = {}
    untagged = 0
    for span in spans:
        if not span.tags:
            untagged += 1
            continue
        s, e = span.start, span.end
        if index is not None:
            s, e = index.to_utf16(s), index.to_utf16(e)
        rid = _region_id(article["id"], str(span.start), str(span.end))
        value = {"start": s, "end": e, "text": body[span.start : span.end]}
        results = by_annotator.setdefault(span.annotator, [])
        results.append(
            {
                "id": rid,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {**value, "labels": list(span.tags)},
            }
        )
        if span.note:
            results.append(
                {
                    "id": rid,
                    "from_name": "note",
                    "to_name": "text",
                    "type": "textarea",
                    "value": {**value, "text": [span.note]},
                }
            )
    tags_by: dict[str, list[str]] = {}
    for t in article["tags"]:
        tags_by.setdefault(t["annotator"], []).append(t["tag"])
    for who, tags in tags_by.items():
        by_annotator.setdefault(who, []).append(
            {
                "id": _region_id(article["id"], "tags", who),
                "from_name": "article_tags",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": tags},
            }
        )
    if article["note"]:
        who = next(iter(by_annotator), "")
        by_annotator.setdefault(who, []).append(
            {
                "id": _region_id(article["id"], "note"),
                "from_name": "article_note",
                "to_name": "text",
                "type": "textarea",
                "value": {"text": [article["note"]]},
            }
        )
    annotations = [
        {"id": k, "completed_by": {"email": who}, "was_cancelled": False, "result": results}
        for k, (who, results) in enumerate(sorted(by_annotator.items()), 1)
    ]
    data = {
        "text": body,
        "article_id": article["id"],
        "external_id": article.get("external_id") or "",
        "title": article.get("title") or "",
    }
    return {"id": n, "data": data, "annotations": annotations}, outside, untagged


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    tasks = []
    outside = untagged = 0
    for n, article in enumerate(doc["articles"], 1):
        t, out, unt = task(article, n, options)
        tasks.append(t)
        outside += out
        untagged += unt
    warnings = outside_warning(outside, "Label Studio")
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a label left out (a labels region needs one)")
    written = sum(len(body_spans(a)[0]) for a in doc["articles"]) - untagged
    return Rendered(json_bytes(tasks, indent=True) + b"\n", warnings, records=len(tasks), highlights=written)


def _who(value: Any, default: str) -> str:
    if isinstance(value, dict):
        return str(value.get("email") or value.get("username") or value.get("id") or default)
    if isinstance(value, str | int) and not isinstance(value, bool):
        return str(value)
    return default


def _units(body: str, results: list[tuple[int, int, str]], utf16: bool | None) -> bool:
    """Whether regions count UTF-16 units: the user's say, else their `value.text`."""
    if utf16 is not None:
        return utf16
    index = Utf16Index(body)
    if index.to_utf16(len(body)) == len(body):
        return False
    cp = sum(body[s:e] == t for s, e, t in results)
    u16 = sum(body[index.from_utf16(s) : index.from_utf16(e)] == t for s, e, t in results)
    return u16 > cp


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    data = loads(p, read_text(path))
    tasks = data if isinstance(data, list) else [data]
    check_count(p, len(tasks))
    detected = 0
    total = 0
    for n, tk in enumerate(tasks, 1):
        where = f"task {n}"
        if not isinstance(tk, dict) or not isinstance(tk.get("data"), dict):
            raise fail(p, f"{where}: expected a task with a data object")
        body = text(p, where, tk["data"].get("text"), "data.text", optional=False)
        annotations = tk.get("annotations", tk.get("completions", []))
        if not isinstance(annotations, list):
            raise fail(p, f"{where}: annotations must be a list")
        parsed: list[tuple[str, list[Any]]] = []
        for k, ann in enumerate(annotations, 1):
            if not isinstance(ann, dict) or not isinstance(ann.get("result", []), list):
                raise fail(p, f"{where} annotation {k}: expected an object with a result list")
            if ann.get("was_cancelled") or ann.get("skipped"):
                continue
            parsed.append((_who(ann.get("completed_by"), annotator), ann.get("result", [])))
            total += len(ann.get("result", []))
            check_count(p, total)
        regions: list[tuple[int, int, str]] = []
        for _, results in parsed:
            for r in results:
                if (
                    isinstance(r, dict)
                    and r.get("type") in ("labels", "textarea")
                    and isinstance(r.get("value"), dict)
                ):
                    v = r["value"]
                    if "start" in v:
                        s, e = offsets(p, where, v.get("start"), v.get("end"))
                        regions.append((s, e, v.get("text") if isinstance(v.get("text"), str) else ""))
        utf16 = _units(body, regions, options.utf16)
        detected += utf16 and options.utf16 is None
        u16 = Utf16Index(body) if utf16 else None
        limit = u16.to_utf16(len(body)) if u16 else len(body)
        aid = find_article(plan, index, where, tk["data"].get("article_id"), body)
        if aid is None:
            continue
        for who, results in parsed:
            spans: dict[str, list[Any]] = {}
            for m, r in enumerate(results, 1):
                rwhere = f"{where} result {m}"
                if not isinstance(r, dict) or not isinstance(r.get("value"), dict):
                    raise fail(p, f"{rwhere}: expected an object with a value")
                v, kind, name = r["value"], r.get("type"), r.get("from_name")
                if kind == "choices" and name == "article_tags":
                    choices = v.get("choices") or []
                    if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
                        raise fail(p, f"{rwhere}: choices must be a list of strings")
                    plan.tags.extend((aid, ArticleTag(c, who, now_iso())) for c in choices if c)
                    continue
                if kind == "textarea" and "start" not in v:
                    notes = v.get("text") or []
                    if isinstance(notes, list) and notes:
                        plan.notes.append((aid, "\n".join(str(x) for x in notes)))
                    continue
                if kind not in ("labels", "textarea"):
                    continue
                s, e = offsets(p, rwhere, v.get("start"), v.get("end"))
                if e > limit:
                    raise fail(p, f"{rwhere}: offsets ({s}, {e}) beyond the end of the text ({limit})")
                if u16 is not None:
                    s, e = u16.from_utf16(s), u16.from_utf16(e)
                key = str(r.get("id") or f"{s}:{e}")
                entry = spans.setdefault(key, [s, e, [], ""])
                if kind == "labels":
                    labels = v.get("labels") or []
                    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
                        raise fail(p, f"{rwhere}: labels must be a list of strings")
                    entry[2].extend(labels)
                else:
                    notes = v.get("text") or []
                    entry[3] = "\n".join(str(x) for x in notes) if isinstance(notes, list) else str(notes)
            check_labels(plan, options, [lab for sp in spans.values() for lab in sp[2]])
            plan_body_spans(
                plan,
                index,
                aid,
                body,
                [(s, e, tags, note, who, None) for s, e, tags, note in spans.values()],
                where,
            )
    if detected:
        plan.notices.append(f"{p}: offsets read as UTF-16 code units in {detected} task(s) (detected)")


SPEC = FormatSpec(
    name="label-studio",
    extension=".label-studio.json",
    description="Label Studio tasks (data.text + labels regions per annotator)",
    lost="highlights outside the clean body, unlabelled highlights, timestamps",
    writer=write,
    reader=read,
    needs_bodies=True,
)
