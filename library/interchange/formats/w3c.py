"""W3C Web Annotation (`--format w3c`): an AnnotationCollection whose embedded first page holds one
annotation per highlight, article tag and article note.

A highlight in the clean body targets `urn:newsnotes-reader:article:<id>` (positions count in the
clean body); one outside it (title, a block marked as boilerplate) targets
`urn:newsnotes-reader:source:<id>`, the original file text, so that its quote and its positions
always index the same text. Timestamps are written in UTC with `Z`, as the model requires.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from library.annotations.model import ArticleTag, now_iso
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    PlannedSpan,
    check_count,
    fail,
    in_range,
    loads,
    make_highlight,
    offsets,
    read_text,
    text,
)
from library.interchange.rendering import (
    URN_ANNOTATION,
    URN_ARTICLE,
    URN_HIGHLIGHT,
    ExportOptions,
    Rendered,
    json_bytes,
)
from library.interchange.spec import FormatSpec

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URN_SOURCE = "urn:newsnotes-reader:source:"
URN_EXPORT = "urn:newsnotes-reader:export:"


def article_iri(article: dict[str, Any]) -> str:
    """Our own IRI: positions count in our clean body, not in the web page at `url` (given as scope)."""
    return URN_ARTICLE + article["id"]


def utc_z(stamp: str | None) -> str | None:
    """An ISO 8601 time in UTC written with `Z` (W3C model §3.3.5); unparsable values are kept."""
    if not stamp:
        return stamp
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def from_z(stamp: Any) -> str | None:
    """Back to the library's own form (`+00:00`), so a round trip keeps timestamps equal."""
    if not isinstance(stamp, str):
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def _creator(name: str) -> dict[str, str] | None:
    return {"type": "Person", "name": name} if name else None


def _stable_id(*parts: str) -> str:
    return URN_ANNOTATION + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:24]


def w3c_highlight(article: dict[str, Any], h: dict[str, Any]) -> dict[str, Any]:
    """One highlight as a W3C annotation: quote and position selectors, tag and comment bodies."""
    bodies: list[dict[str, Any]] = [
        {"type": "TextualBody", "value": t, "purpose": "tagging"} for t in h["tags"]
    ]
    if h["note"]:
        bodies.append(
            {"type": "TextualBody", "value": h["note"], "purpose": "commenting", "format": "text/plain"}
        )
    motivation = "tagging" if h["tags"] else "commenting" if h["note"] else "highlighting"
    selectors: list[dict[str, Any]] = [
        {"type": "TextQuoteSelector", "exact": h["quote"], "prefix": h["prefix"], "suffix": h["suffix"]}
    ]
    if h["start"] is not None:
        source = article_iri(article)
        selectors.append({"type": "TextPositionSelector", "start": h["start"], "end": h["end"]})
    else:
        # Outside the clean body: the positions (and the quote) are in the original text.
        source = URN_SOURCE + article["id"]
        if h["anchor"] != "orphan":
            selectors.append(
                {"type": "TextPositionSelector", "start": h["source_start"], "end": h["source_end"]}
            )
    target: dict[str, Any] = {"source": source, "selector": selectors}
    if article.get("url"):
        target["scope"] = article["url"]
    anno: dict[str, Any] = {
        "id": URN_HIGHLIGHT + h["id"],
        "type": "Annotation",
        "motivation": motivation,
        "created": utc_z(h["created"]),
        "modified": utc_z(h["updated"]),
    }
    creator = _creator(h["annotator"])
    if creator:
        anno["creator"] = creator
    if bodies:
        anno["body"] = bodies
    anno["target"] = target
    return anno


def w3c_annotations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for article in doc["articles"]:
        iri = article_iri(article)
        for tag in article["tags"]:
            anno: dict[str, Any] = {
                "id": _stable_id(article["id"], "tag", tag["tag"], tag["annotator"]),
                "type": "Annotation",
                "motivation": "tagging",
                "created": utc_z(tag["created"]),
            }
            creator = _creator(tag["annotator"])
            if creator:
                anno["creator"] = creator
            anno["body"] = [{"type": "TextualBody", "value": tag["tag"], "purpose": "tagging"}]
            anno["target"] = iri
            items.append(anno)
        if article["note"]:
            items.append(
                {
                    "id": _stable_id(article["id"], "note"),
                    "type": "Annotation",
                    "motivation": "commenting",
                    "body": [
                        {
                            "type": "TextualBody",
                            "value": article["note"],
                            "purpose": "commenting",
                            "format": "text/plain",
                        }
                    ],
                    "target": iri,
                }
            )
        items.extend(w3c_highlight(article, h) for h in article["highlights"])
    return items


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    items = w3c_annotations(doc)
    collection_id = URN_EXPORT + (utc_z(doc["exported"]) or "")
    collection = {
        "@context": W3C_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": "newsnotes-reader annotations",
        "total": len(items),
        "first": {
            "id": collection_id + ":page:0",
            "type": "AnnotationPage",
            "partOf": collection_id,
            "startIndex": 0,
            "items": items,
        },
    }
    return Rendered(json_bytes(collection, indent=True) + b"\n", records=len(items))


# --- reading ----------------------------------------------------------------------------------


def _items(path: str, data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise fail(path, "expected a W3C annotation, page, collection or list")
    kind = data.get("type")
    # Only strings name a type; anything else ({} or [[]]) names none (and is not hashable).
    kinds = {k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, dict):
            return _items(path, first)
        if first is None:
            return []
        raise fail(path, 'AnnotationCollection: "first" must be an embedded AnnotationPage')
    if "AnnotationPage" in kinds:
        items = data.get("items")
        if not isinstance(items, list):
            raise fail(path, 'AnnotationPage: "items" must be a list')
        return items
    if "Annotation" in kinds:
        return [data]
    raise fail(path, f"unknown W3C type {str(kind)[:40]!r}")


def _creator_name(path: str, where: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.rsplit(":", 1)[-1] if value.startswith("urn:") else value
    if isinstance(value, list) and value:
        return _creator_name(path, where, value[0])
    if isinstance(value, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(value.get(key), str):
                return value[key]
        return ""
    raise fail(path, f"{where}: creator must be a string or an object")


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    items = _items(plan.path, loads(plan.path, read_text(path)))
    plan_annotations(plan, index, items, annotator)


def plan_annotations(plan: ImportPlan, index: ArticleIndex, items: list[Any], default_annotator: str) -> None:
    """W3C annotations (also what Hypothesis' API returns, once reshaped) into the plan."""
    path = plan.path
    check_count(path, len(items))
    for n, anno in enumerate(items, 1):
        where = f"annotation {n}"
        if not isinstance(anno, dict):
            raise fail(path, f"{where}: expected an object")
        bodies = anno.get("body", [])
        if isinstance(bodies, dict | str):
            bodies = [bodies]
        if not isinstance(bodies, list):
            raise fail(path, f"{where}: body must be an object or a list")
        tags: list[str] = []
        notes: list[str] = []
        motivation = anno.get("motivation")
        for body in bodies:
            if isinstance(body, str):
                continue  # an external resource IRI: nothing we can keep
            if not isinstance(body, dict):
                raise fail(path, f"{where}: each body must be an object")
            value = body.get("value", body.get("text"))  # "text": the older Hypothesis dialect
            value = text(path, where, value, "body value")
            purpose = body.get("purpose") or motivation
            if not value:
                continue
            if purpose in ("tagging", "classifying", "identifying"):
                tags.append(value)
            else:
                notes.append(value)
        who = _creator_name(path, where, anno.get("creator")) or default_annotator
        created = from_z(anno.get("created"))
        modified = from_z(anno.get("modified"))
        target = anno.get("target")
        if isinstance(target, list):
            if not target:
                raise fail(path, f"{where}: empty target")
            target = target[0]
        if isinstance(target, str):
            aid = index.find_for(plan, where, target, missing=f"no article for target {target[:80]}")
            if aid is None:
                continue
            plan.tags.extend((aid, ArticleTag(t, who, created or now_iso())) for t in tags)
            if notes:
                plan.notes.append((aid, "\n\n".join(notes)))
            continue
        if not isinstance(target, dict):
            raise fail(path, f"{where}: target must be an IRI or an object")
        selectors = target.get("selector", [])
        if isinstance(selectors, dict):
            selectors = [selectors]
        if not isinstance(selectors, list):
            raise fail(path, f"{where}: selector must be an object or a list")
        quote = prefix = suffix = None
        position = None
        for sel in selectors:
            if not isinstance(sel, dict):
                raise fail(path, f"{where}: each selector must be an object")
            if sel.get("type") == "TextQuoteSelector":
                quote = text(path, where, sel.get("exact"), "exact", optional=False)
                prefix = text(path, where, sel.get("prefix"), "prefix")
                suffix = text(path, where, sel.get("suffix"), "suffix")
            elif sel.get("type") == "TextPositionSelector":
                position = offsets(path, where, sel.get("start"), sel.get("end"))
        source = target.get("source")
        in_source = isinstance(source, str) and source.startswith(URN_SOURCE)
        key = source[len(URN_SOURCE) :] if isinstance(source, str) and in_source else source
        aid = index.find_for(
            plan, where, key, target.get("scope"), missing=f"no article for source {str(source)[:80]}"
        )
        if aid is None:
            continue
        article = index.article(aid)
        if quote is None and position is None:
            plan.tags.extend((aid, ArticleTag(t, who, created or now_iso())) for t in tags)
            if notes:
                plan.notes.append((aid, "\n\n".join(notes)))
            continue
        if quote is None and position is not None:
            length = len(article.source_text) if in_source else len(article.body)
            in_range(path, where, position, length, "original text" if in_source else "clean body")
        hid = anno.get("id") if isinstance(anno.get("id"), str) else None
        if hid and hid.startswith(URN_HIGHLIGHT):
            hid = hid[len(URN_HIGHLIGHT) :]
        elif hid:
            hid = "w3c-" + hid[-40:]
        hl = make_highlight(
            article,
            quote=quote,
            prefix=prefix or "",
            suffix=suffix or "",
            source=position if in_source else None,
            body=None if in_source else position,
            tags=tags,
            note="\n\n".join(notes),
            annotator=who,
            hid=hid,
            created=created,
            updated=modified,
        )
        plan.spans.append(PlannedSpan(aid, hl, where))


SPEC = FormatSpec(
    name="w3c",
    extension=".jsonld",
    description="W3C Web Annotation collection (JSON-LD)",
    lost="anchor verdicts and confidence; article metadata beyond the URL",
    writer=write,
    reader=read,
)
