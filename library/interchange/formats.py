"""Rendering the export document in each format. Each renderer returns the file's bytes and warnings.

All renderers read the primary document built by `library.interchange.document` (doccano needs it built
with bodies), so a field means the same thing in every format.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from library.annotations.anchoring import Utf16Index
from library.errors import InvalidInput
from library.naming import ptc_article_number
from library.safetext import display_text

FORMATS = ("json", "jsonl", "w3c", "ptc", "doccano", "csv", "markdown")
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
URN_ARTICLE = "urn:newsnotes-reader:article:"
URN_HIGHLIGHT = "urn:newsnotes-reader:highlight:"
URN_ANNOTATION = "urn:newsnotes-reader:annotation:"


@dataclass
class Rendered:
    data: bytes
    warnings: list[str] = field(default_factory=list)
    records: int = 0  # what the format counts: articles, annotations, lines or rows


# Characters JSON may carry raw but a terminal would act on (C1 controls, DEL, bidi marks): written
# as \u escapes, which changes nothing for a JSON reader and makes `reader export | less` safe.
_TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")


def _json_bytes(obj: Any, *, indent: bool) -> bytes:
    data = orjson.dumps(obj, option=orjson.OPT_INDENT_2 if indent else 0)
    text = data.decode()
    if _TERMINAL_UNSAFE.search(text):
        text = _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        return text.encode()
    return data


def render_json(doc: dict[str, Any]) -> Rendered:
    return Rendered(_json_bytes(doc, indent=True) + b"\n", records=len(doc["articles"]))


def render_jsonl(doc: dict[str, Any]) -> Rendered:
    lines = [_json_bytes(a, indent=False) + b"\n" for a in doc["articles"]]
    return Rendered(b"".join(lines), records=len(lines))


# --- W3C Web Annotation -------------------------------------------------------------------


def article_iri(article: dict[str, Any]) -> str:
    """Our own IRI: positions count in our clean body, not in the web page at `url` (given as scope)."""
    return URN_ARTICLE + article["id"]


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
        selectors.append({"type": "TextPositionSelector", "start": h["start"], "end": h["end"]})
    target: dict[str, Any] = {"source": article_iri(article), "selector": selectors}
    if article.get("url"):
        target["scope"] = article["url"]
    anno: dict[str, Any] = {
        "id": URN_HIGHLIGHT + h["id"],
        "type": "Annotation",
        "motivation": motivation,
        "created": h["created"],
        "modified": h["updated"],
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
                "created": tag["created"],
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


def render_w3c(doc: dict[str, Any]) -> Rendered:
    items = w3c_annotations(doc)
    collection = {
        "@context": W3C_CONTEXT,
        "id": "urn:newsnotes-reader:export:" + doc["exported"],
        "type": "AnnotationCollection",
        "label": "newsnotes-reader annotations",
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return Rendered(_json_bytes(collection, indent=True) + b"\n", records=len(items))


# --- PTC / SemEval TSV ----------------------------------------------------------------------


def ptc_article_id(article: dict[str, Any]) -> str:
    """The PTC article number: the external id, else the number in `article<ID>.txt`, else our id."""
    if article.get("external_id"):
        return str(article["external_id"])
    return ptc_article_number(article["origin"]["path"] or "") or article["id"]


def _tsv_field(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def render_ptc(doc: dict[str, Any]) -> Rendered:
    lines: list[str] = []
    untagged = orphans = 0
    for article in doc["articles"]:
        aid = _tsv_field(ptc_article_id(article))
        for h in article["highlights"]:
            if h["anchor"] == "orphan":
                orphans += 1
                continue
            if not h["tags"]:
                untagged += 1
            for tag in h["tags"]:
                lines.append(f"{aid}\t{_tsv_field(tag)}\t{h['source_start']}\t{h['source_end']}\n")
    warnings = []
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a tag left out (PTC lines need a technique)")
    if orphans:
        warnings.append(f"{orphans} orphaned highlight(s) left out")
    return Rendered("".join(lines).encode(), warnings, records=len(lines))


# --- doccano JSONL ---------------------------------------------------------------------------


def render_doccano(doc: dict[str, Any], *, utf16: bool = False) -> Rendered:
    out: list[bytes] = []
    outside = untagged = 0
    for article in doc["articles"]:
        text = article["body"]
        index = Utf16Index(text) if utf16 else None
        labels: list[list[Any]] = []
        for h in article["highlights"]:
            if h["start"] is None:
                outside += 1
                continue
            if not h["tags"]:
                untagged += 1
            s, e = h["start"], h["end"]
            if index is not None:
                s, e = index.to_utf16(s), index.to_utf16(e)
            labels.extend([s, e, t] for t in h["tags"])
        labels.sort(key=lambda x: (x[0], x[1], x[2]))
        line: dict[str, Any] = {"id": article["id"], "text": text, "label": labels}
        if article.get("external_id"):
            line["external_id"] = article["external_id"]
        if article.get("title"):
            line["title"] = article["title"]
        line["Comments"] = [article["note"]] if article["note"] else []
        out.append(_json_bytes(line, indent=False) + b"\n")
    warnings = []
    if outside:
        warnings.append(
            f"{outside} highlight(s) outside the clean body left out (doccano offsets are body offsets)"
        )
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a tag left out")
    return Rendered(b"".join(out), warnings, records=len(out))


# --- CSV -------------------------------------------------------------------------------------

CSV_COLUMNS = [
    "article_id",
    "external_id",
    "title",
    "site",
    "published",
    "url",
    "highlight_id",
    "start",
    "end",
    "source_start",
    "source_end",
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


def _cell(value: Any) -> str:
    """A CSV cell; text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if value is None:
        return ""
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not isinstance(value, int | float):
        return "'" + text
    return text


def render_csv(doc: dict[str, Any], *, utf16: bool = False) -> Rendered:
    buf = io.StringIO()
    columns = CSV_COLUMNS + (["start_utf16", "end_utf16"] if utf16 else [])
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
                h["start"],
                h["end"],
                h["source_start"],
                h["source_end"],
                h["quote"],
                TAG_SEPARATOR.join(h["tags"]),
                h["note"],
                h["annotator"],
                h["created"],
                h["updated"],
                h["anchor"],
                h["confidence"],
            ]
            if utf16:
                row += [h.get("start_utf16"), h.get("end_utf16")]
            writer.writerow([_cell(v) for v in row])
            rows += 1
    return Rendered(buf.getvalue().encode(), records=rows)


# --- Markdown --------------------------------------------------------------------------------


def _md_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _md_quote(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines()] or [""]
    return "\n".join(f"> {ln}" if ln else ">" for ln in lines)


def render_markdown(doc: dict[str, Any]) -> Rendered:
    parts: list[str] = ["# Annotations\n"]
    for a in doc["articles"]:
        parts.append(f"\n## {_md_line(a['title']) or '(untitled)'}\n")
        facts = [x for x in (a["site"], a["published"], ", ".join(a["authors"])) if x]
        if facts:
            parts.append("\n" + _md_line(" · ".join(facts)) + "\n")
        if a["url"]:
            parts.append(f"\n<{_md_line(a['url'])}>\n")
        parts.append(
            f"\nid `{a['id']}`" + (f" · external id `{a['external_id']}`" if a["external_id"] else "") + "\n"
        )
        if a["tags"]:
            parts.append("\nTags: " + ", ".join(_md_line(t["tag"]) for t in a["tags"]) + "\n")
        if a["note"]:
            parts.append("\nNote: " + _md_line(a["note"]) + "\n")
        for h in a["highlights"]:
            parts.append("\n" + _md_quote(h["quote"]) + "\n")
            meta = []
            if h["tags"]:
                meta.append("Tags: " + ", ".join(_md_line(t) for t in h["tags"]))
            if h["annotator"]:
                meta.append(f"by {_md_line(h['annotator'])}")
            if h["anchor"] != "exact":
                meta.append(f"anchor: {h['anchor']} ({h['confidence']:.2f})")
            if meta:
                parts.append("\n" + " · ".join(meta) + "\n")
            if h["note"]:
                parts.append("\nNote: " + _md_line(h["note"]) + "\n")
    # Markdown is for reading: escape and control characters from articles become visible stand-ins.
    return Rendered(display_text("".join(parts)).encode(), records=len(doc["articles"]))


RENDERERS: dict[str, Callable[..., Rendered]] = {
    "json": render_json,
    "jsonl": render_jsonl,
    "w3c": render_w3c,
    "ptc": render_ptc,
    "doccano": render_doccano,
    "csv": render_csv,
    "markdown": render_markdown,
}


def render(fmt: str, doc: dict[str, Any], *, utf16: bool = False) -> Rendered:
    if fmt not in RENDERERS:
        raise InvalidInput(f"unknown export format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt in ("doccano", "csv"):
        return RENDERERS[fmt](doc, utf16=utf16)
    return RENDERERS[fmt](doc)
