"""Importing annotations made elsewhere: our JSON/JSONL, W3C Web Annotation, doccano JSONL, PTC TSV.

A file is read, checked completely and anchored against the library's articles *before* anything
is written; then everything goes into the store in one batch. A bad file therefore changes
nothing and gets one error naming the file and the reason. Spans are anchored by
`library.annotations.anchoring` (exact / reanchored with a confidence / orphan); orphans are kept with their
original offsets and listed, never dropped or moved. Importing the same file twice adds nothing:
a highlight with a known id, or with the same span, tags and annotator, is skipped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from library.annotations.anchoring import anchor_in_article, quote_and_context
from library.annotations.model import (
    ANCHOR_EXACT,
    ANCHOR_ORPHAN,
    ANCHOR_REANCHORED,
    ArticleAnnotations,
    ArticleTag,
    Highlight,
    new_id,
    now_iso,
)
from library.annotations.schemes import SCOPE_ARTICLE, SCOPE_SPAN, LabelNotInScheme, Scheme
from library.interchange.document import SCHEMA_NAME
from library.interchange.formats import URN_ARTICLE, URN_HIGHLIGHT
from library.model import Article

if TYPE_CHECKING:
    from library import Library

IMPORT_FORMATS = ("json", "jsonl", "w3c", "doccano", "ptc")
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 200_000  # spans/annotations in one file; the whole PTC v2 corpus has about 7,000
MAX_TEXT = 1_000_000  # characters in one quote, note or tag


class AnnotationFileError(Exception):
    """An annotation file that cannot be imported; the message names the file and the reason."""


@dataclass
class PlannedSpan:
    """One imported highlight, anchored (or orphaned) and ready to store."""

    article_id: str
    highlight: Highlight
    label: str  # where it came from in the file, for the orphan list


@dataclass
class ImportPlan:
    path: str
    format: str
    spans: list[PlannedSpan] = field(default_factory=list)
    tags: list[tuple[str, ArticleTag]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # entries naming an article not in the library
    refused: list[str] = field(default_factory=list)  # labels a strict scheme refuses: nothing is imported


@dataclass
class AnnotationImportReport:
    files: list[str] = field(default_factory=list)
    exact: int = 0
    reanchored: int = 0
    orphaned: int = 0
    added: int = 0
    skipped: int = 0  # already in the library (same id, or same span, tags and annotator)
    tags_added: int = 0
    notes_set: int = 0
    orphans: list[str] = field(default_factory=list)  # "file: entry: quote" lines
    reanchored_list: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # "file: line N: label ..." (that file imported nothing)
    per_annotator: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "exact": self.exact,
            "reanchored": self.reanchored,
            "orphaned": self.orphaned,
            "added": self.added,
            "skipped": self.skipped,
            "tags_added": self.tags_added,
            "notes_set": self.notes_set,
            "orphans": self.orphans,
            "reanchored_spans": self.reanchored_list,
            "unmatched": self.unmatched,
            "refused": self.refused,
            "per_annotator": self.per_annotator,
        }


# --- reading and checking files -------------------------------------------------------------


def _fail(path: str, reason: str) -> AnnotationFileError:
    return AnnotationFileError(f"{path}: {reason}")


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(str(path), f"file too large ({size} bytes, limit {MAX_FILE_BYTES})")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _fail(str(path), "no such file") from None
    except IsADirectoryError:
        raise _fail(str(path), "is a directory") from None
    except OSError as err:
        raise _fail(str(path), f"cannot read ({err.strerror})") from err
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise _fail(str(path), f"not UTF-8 text (byte {err.start})") from None


def _loads(path: str, text: str, where: str = "") -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as err:
        raise _fail(path, f"malformed JSON{where} ({err})") from None
    except RecursionError:
        raise _fail(path, f"JSON nested too deeply{where}") from None


def detect_format(path: Path, text: str) -> str:
    """Guess the format from the name and the first record."""
    name = path.name.lower()
    stripped = text.lstrip()
    if name.endswith((".tsv", ".txt", ".labels")) or (stripped and stripped[0] not in "{["):
        return "ptc"
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        first = stripped.split("\n", 1)[0]
        if '"label"' in first or '"entities"' in first:
            return "doccano"
        return "jsonl"
    if stripped.startswith("["):
        return "w3c"
    head = stripped[:4000]
    if '"schema"' in head and SCHEMA_NAME in head:
        return "json"
    if "@context" in head or '"Annotation' in head:
        return "w3c"
    if '"text"' in head and ('"label"' in head or '"entities"' in head):
        return "doccano"
    return "json"


def _check_count(path: str, count: int) -> None:
    if count > MAX_ENTRIES:
        raise _fail(path, f"too many entries ({count}; the limit is {MAX_ENTRIES} per file)")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _offsets(path: str, where: str, start: Any, end: Any) -> tuple[int, int]:
    if not (_is_int(start) and _is_int(end)):
        raise _fail(
            path, f"{where}: offsets must be integers (got {type(start).__name__}, {type(end).__name__})"
        )
    if start < 0 or end < 0:
        raise _fail(path, f"{where}: negative offset ({start}, {end})")
    if end < start:
        raise _fail(path, f"{where}: end {end} before start {start}")
    return start, end


def _text(path: str, where: str, value: Any, name: str, *, optional: bool = True) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise _fail(path, f"{where}: {name} must be a string (got {type(value).__name__})")
    if len(value) > MAX_TEXT:
        raise _fail(path, f"{where}: {name} longer than {MAX_TEXT} characters")
    return value


def _str_list(path: str, where: str, value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _fail(path, f"{where}: {name} must be a list of non-empty strings")
    return list(value)


# --- finding articles -------------------------------------------------------------------------

_PTC_NAME = re.compile(r"article(\d+)\.txt$", re.IGNORECASE)


class ArticleIndex:
    """Finds library articles by id, external id, origin file name (article<ID>.txt), URL or body."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.by_key: dict[str, str | None] = {}  # None: ambiguous
        self._articles: dict[str, Article] = {}
        self._bodies: dict[str, str] | None = None
        summaries = lib.summaries()
        self.ids = {s.id for s in summaries}
        for s in summaries:
            keys = [s.meta.external_id, s.meta.url, os.path.basename(s.origin.path or "")]
            m = _PTC_NAME.search(s.origin.path or "")
            if m:
                keys.append(m.group(1))
            for key in {k for k in keys if k}:
                self.by_key[key] = s.id if self.by_key.get(key, s.id) == s.id else None

    def find(self, key: Any) -> str | None:
        if key is None:
            return None
        key = str(key)
        if key.startswith(URN_ARTICLE):
            key = key[len(URN_ARTICLE) :]
        if key in self.ids:
            return key
        return self.by_key.get(key)

    def find_by_body(self, text: str) -> str | None:
        if self._bodies is None:
            self._bodies = {}
            for aid in sorted(self.ids):
                self._bodies.setdefault(self.article(aid).body, aid)
        return self._bodies.get(text)

    def article(self, article_id: str) -> Article:
        art = self._articles.get(article_id)
        if art is None:
            art = self.lib.article(article_id)
            self._articles[article_id] = art
        return art


# --- building highlights --------------------------------------------------------------------


def _make_highlight(
    article: Article,
    *,
    quote: str | None,
    prefix: str,
    suffix: str,
    source: tuple[int, int] | None,
    body: tuple[int, int] | None,
    tags: list[str],
    note: str,
    annotator: str,
    hid: str | None,
    created: str | None,
    updated: str | None,
) -> Highlight:
    """Anchor one span; without a quote the offsets are taken as they are (PTC gold, doccano text)."""
    stamp = now_iso()
    h = Highlight(
        id=hid or new_id(),
        source_start=0,
        source_end=0,
        quote=quote or "",
        prefix=prefix,
        suffix=suffix,
        tags=tags,
        note=note,
        annotator=annotator,
        created=created or stamp,
        updated=updated or created or stamp,
    )
    if quote is None:
        if source is None and body is not None:
            source = article.body_to_source(*body)
        if source is None:
            h.anchor, h.confidence = ANCHOR_ORPHAN, 0.0
            return h
        h.source_start, h.source_end = source
        h.quote, h.prefix, h.suffix = quote_and_context(article, *source)
        return h
    found = anchor_in_article(
        article,
        quote,
        prefix=prefix,
        suffix=suffix,
        source_start=source[0] if source else None,
        source_end=source[1] if source else None,
        body_start=body[0] if body else None,
        body_end=body[1] if body else None,
    )
    if found is None:
        # Orphan: kept where it said it was, with its quote, for the user to place.
        if source is not None:
            h.source_start, h.source_end = source
        h.anchor, h.confidence = ANCHOR_ORPHAN, 0.0
        return h
    h.source_start, h.source_end = found.source_start, found.source_end
    h.anchor, h.confidence = found.anchor, round(found.confidence, 4)
    if not prefix and not suffix:
        _, h.prefix, h.suffix = quote_and_context(article, found.source_start, found.source_end)
    return h


def _in_range(path: str, where: str, span: tuple[int, int], length: int, what: str) -> None:
    if span[1] > length:
        raise _fail(path, f"{where}: offsets ({span[0]}, {span[1]}) beyond the end of the {what} ({length})")


# --- the formats ------------------------------------------------------------------------------


def _plan_our_articles(
    plan: ImportPlan, index: ArticleIndex, articles: list[Any], default_annotator: str, doc_annotator: str
) -> None:
    path = plan.path
    validator = _article_validator()
    for n, entry in enumerate(articles, 1):
        where = f"article {n}"
        error = best_match(validator.iter_errors(entry))
        if error is not None:
            loc = "/".join(str(p) for p in error.absolute_path)
            raise _fail(path, f"{where}{' at ' + loc if loc else ''}: {error.message[:200]}")
        aid = index.find(entry["id"]) or index.find(entry.get("external_id"))
        if aid is None:
            aid = index.find(os.path.basename(entry["origin"]["path"] or ""))
        if aid is None:
            plan.unmatched.append(f"{where} (id {entry['id']}): no such article in the library")
            continue
        article = index.article(aid)
        for t in entry["tags"]:
            plan.tags.append(
                (
                    aid,
                    ArticleTag(t["tag"], t["annotator"] or doc_annotator or default_annotator, t["created"]),
                )
            )
        if entry["note"]:
            plan.notes.append((aid, entry["note"]))
        for k, h in enumerate(entry["highlights"], 1):
            hwhere = f"{where} highlight {k}"
            src = _offsets(path, hwhere, h["source_start"], h["source_end"])
            _in_range(path, hwhere, src, len(article.source_text), "original text")
            body = None
            if h["start"] is not None and h["end"] is not None:
                body = _offsets(path, hwhere, h["start"], h["end"])
            hl = _make_highlight(
                article,
                quote=h["quote"],
                prefix=h["prefix"],
                suffix=h["suffix"],
                source=src,
                body=body,
                tags=h["tags"],
                note=h["note"],
                annotator=h["annotator"] or doc_annotator or default_annotator,
                hid=h["id"],
                created=h["created"],
                updated=h["updated"],
            )
            if hl.anchor == ANCHOR_EXACT and h["anchor"] == ANCHOR_REANCHORED:
                hl.anchor, hl.confidence = h["anchor"], float(h["confidence"])  # keep the earlier verdict
            plan.spans.append(PlannedSpan(aid, hl, hwhere))


@cache
def _article_validator() -> Draft202012Validator:
    from library.interchange.export import load_schema

    schema = load_schema()
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/article"})


@cache
def _document_validator() -> Draft202012Validator:
    from library.interchange.export import load_schema

    schema = dict(load_schema())
    props = dict(schema["properties"])
    props["articles"] = {"type": "array"}  # articles are checked one by one, with their number
    schema["properties"] = props
    return Draft202012Validator(schema)


def _plan_json(plan: ImportPlan, index: ArticleIndex, text: str, default_annotator: str) -> None:
    data = _loads(plan.path, text)
    if not isinstance(data, dict):
        raise _fail(plan.path, f'expected a JSON object with "schema": "{SCHEMA_NAME}"')
    if data.get("schema") != SCHEMA_NAME:
        raise _fail(plan.path, f"not a {SCHEMA_NAME} document (schema is {str(data.get('schema'))[:60]!r})")
    articles = data.get("articles")
    if isinstance(articles, list):
        _check_count(
            plan.path,
            len(articles)
            + sum(
                len(a.get("highlights") or [])
                if isinstance(a, dict) and isinstance(a.get("highlights"), list)
                else 0
                for a in articles
            ),
        )
    error = best_match(_document_validator().iter_errors(data))
    if error is not None:
        loc = "/".join(str(p) for p in error.absolute_path)
        raise _fail(plan.path, f"{'at ' + loc + ': ' if loc else ''}{error.message[:200]}")
    _plan_our_articles(plan, index, articles, default_annotator, data.get("annotator") or "")


def _plan_jsonl(plan: ImportPlan, index: ArticleIndex, text: str, default_annotator: str) -> None:
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    _check_count(plan.path, len(lines))
    entries = []
    for n, line in lines:
        obj = _loads(plan.path, line, f" on line {n}")
        if not isinstance(obj, dict):
            raise _fail(plan.path, f"line {n}: expected an article object")
        entries.append(obj)
    _check_count(
        plan.path,
        sum(len(e.get("highlights") or []) if isinstance(e.get("highlights"), list) else 0 for e in entries),
    )
    _plan_our_articles(plan, index, entries, default_annotator, "")


def _w3c_items(path: str, data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise _fail(path, "expected a W3C annotation, page, collection or list")
    kind = data.get("type")
    kinds = set(kind) if isinstance(kind, list) else {kind}
    if "AnnotationCollection" in kinds:
        first = data.get("first")
        if isinstance(first, dict):
            return _w3c_items(path, first)
        if first is None:
            return []
        raise _fail(path, 'AnnotationCollection: "first" must be an embedded AnnotationPage')
    if "AnnotationPage" in kinds:
        items = data.get("items")
        if not isinstance(items, list):
            raise _fail(path, 'AnnotationPage: "items" must be a list')
        return items
    if "Annotation" in kinds:
        return [data]
    raise _fail(path, f"unknown W3C type {str(kind)[:40]!r}")


def _w3c_creator(path: str, where: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.rsplit(":", 1)[-1] if value.startswith("urn:") else value
    if isinstance(value, list) and value:
        return _w3c_creator(path, where, value[0])
    if isinstance(value, dict):
        for key in ("name", "nickname", "id"):
            if isinstance(value.get(key), str):
                return value[key]
        return ""
    raise _fail(path, f"{where}: creator must be a string or an object")


def _plan_w3c(plan: ImportPlan, index: ArticleIndex, text: str, default_annotator: str) -> None:
    path = plan.path
    items = _w3c_items(path, _loads(path, text))
    _check_count(path, len(items))
    for n, anno in enumerate(items, 1):
        where = f"annotation {n}"
        if not isinstance(anno, dict):
            raise _fail(path, f"{where}: expected an object")
        bodies = anno.get("body", [])
        if isinstance(bodies, dict | str):
            bodies = [bodies]
        if not isinstance(bodies, list):
            raise _fail(path, f"{where}: body must be an object or a list")
        tags: list[str] = []
        notes: list[str] = []
        motivation = anno.get("motivation")
        for body in bodies:
            if isinstance(body, str):
                continue  # an external resource IRI: nothing we can keep
            if not isinstance(body, dict):
                raise _fail(path, f"{where}: each body must be an object")
            value = body.get("value", body.get("text"))  # "text": the older Hypothesis dialect
            value = _text(path, where, value, "body value")
            purpose = body.get("purpose") or motivation
            if not value:
                continue
            if purpose in ("tagging", "classifying", "identifying"):
                tags.append(value)
            else:
                notes.append(value)
        annotator = _w3c_creator(path, where, anno.get("creator")) or default_annotator
        created = anno.get("created") if isinstance(anno.get("created"), str) else None
        modified = anno.get("modified") if isinstance(anno.get("modified"), str) else None
        target = anno.get("target")
        if isinstance(target, list):
            if not target:
                raise _fail(path, f"{where}: empty target")
            target = target[0]
        if isinstance(target, str):
            aid = index.find(target)
            if aid is None:
                plan.unmatched.append(f"{where}: no article for target {target[:80]}")
                continue
            plan.tags.extend((aid, ArticleTag(t, annotator, created or now_iso())) for t in tags)
            if notes:
                plan.notes.append((aid, "\n\n".join(notes)))
            continue
        if not isinstance(target, dict):
            raise _fail(path, f"{where}: target must be an IRI or an object")
        selectors = target.get("selector", [])
        if isinstance(selectors, dict):
            selectors = [selectors]
        if not isinstance(selectors, list):
            raise _fail(path, f"{where}: selector must be an object or a list")
        quote = prefix = suffix = None
        position = None
        for sel in selectors:
            if not isinstance(sel, dict):
                raise _fail(path, f"{where}: each selector must be an object")
            if sel.get("type") == "TextQuoteSelector":
                quote = _text(path, where, sel.get("exact"), "exact", optional=False)
                prefix = _text(path, where, sel.get("prefix"), "prefix")
                suffix = _text(path, where, sel.get("suffix"), "suffix")
            elif sel.get("type") == "TextPositionSelector":
                position = _offsets(path, where, sel.get("start"), sel.get("end"))
        source = target.get("source")
        aid = index.find(source) or index.find(target.get("scope"))
        if aid is None:
            plan.unmatched.append(f"{where}: no article for source {str(source)[:80]}")
            continue
        article = index.article(aid)
        if quote is None and position is None:
            plan.tags.extend((aid, ArticleTag(t, annotator, created or now_iso())) for t in tags)
            if notes:
                plan.notes.append((aid, "\n\n".join(notes)))
            continue
        if quote is None and position is not None:
            _in_range(path, where, position, len(article.body), "clean body")
        hid = anno.get("id") if isinstance(anno.get("id"), str) else None
        if hid and hid.startswith(URN_HIGHLIGHT):
            hid = hid[len(URN_HIGHLIGHT) :]
        elif hid:
            hid = "w3c-" + hid[-40:]
        hl = _make_highlight(
            article,
            quote=quote,
            prefix=prefix or "",
            suffix=suffix or "",
            source=None,
            body=position,
            tags=tags,
            note="\n\n".join(notes),
            annotator=annotator,
            hid=hid,
            created=created,
            updated=modified,
        )
        plan.spans.append(PlannedSpan(aid, hl, where))


def _plan_doccano(plan: ImportPlan, index: ArticleIndex, text: str, default_annotator: str) -> None:
    path = plan.path
    lines = [(n, ln) for n, ln in enumerate(text.splitlines(), 1) if ln.strip()]
    _check_count(path, len(lines))
    records = []
    total = 0
    for n, line in lines:
        obj = _loads(path, line, f" on line {n}")
        where = f"line {n}"
        if not isinstance(obj, dict):
            raise _fail(path, f"{where}: expected an object")
        body_text = _text(path, where, obj.get("text"), "text", optional=False)
        labels = obj.get("label", obj.get("labels"))
        spans: list[tuple[int, int, str]] = []
        if labels is None and isinstance(obj.get("entities"), list):
            labels = [
                [e.get("start_offset"), e.get("end_offset"), e.get("label")] if isinstance(e, dict) else e
                for e in obj["entities"]
            ]
        if labels is None:
            labels = []
        if not isinstance(labels, list):
            raise _fail(path, f"{where}: label must be a list of [start, end, label]")
        total += len(labels)
        _check_count(path, total)
        for k, item in enumerate(labels, 1):
            lwhere = f"{where} label {k}"
            if not (isinstance(item, list) and len(item) == 3):
                raise _fail(path, f"{lwhere}: expected [start, end, label]")
            s, e = _offsets(path, lwhere, item[0], item[1])
            _in_range(path, lwhere, (s, e), len(body_text), "text")
            tag = _text(path, lwhere, item[2], "label", optional=False)
            spans.append((s, e, tag))
        records.append((n, obj, body_text, spans))
    for n, obj, body_text, spans in records:
        where = f"line {n}"
        aid = index.find(obj.get("id")) or index.find(obj.get("external_id")) or index.find_by_body(body_text)
        if aid is None:
            plan.unmatched.append(f"{where}: no article with id {str(obj.get('id'))[:40]} or this text")
            continue
        article = index.article(aid)
        same_text = article.body == body_text
        merged: dict[tuple[int, int], list[str]] = {}
        for s, e, tag in spans:
            merged.setdefault((s, e), []).append(tag)
        for (s, e), tags in merged.items():
            quote = body_text[s:e]
            prefix, suffix = body_text[max(0, s - 32) : s], body_text[e : e + 32]
            hl = _make_highlight(
                article,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                source=None,
                body=(s, e) if same_text or e <= len(article.body) else None,
                tags=tags,
                note="",
                annotator=default_annotator,
                hid=None,
                created=None,
                updated=None,
            )
            plan.spans.append(PlannedSpan(aid, hl, f"{where} [{s}, {e}]"))


def _plan_ptc(plan: ImportPlan, index: ArticleIndex, text: str, default_annotator: str) -> None:
    path = plan.path
    rows: list[tuple[int, str, str, int, int]] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise _fail(
                path, f"line {n}: expected article_id<TAB>technique<TAB>start<TAB>end ({len(parts)} fields)"
            )
        aid_raw, tag, s_raw, e_raw = (p.strip() for p in parts)
        try:
            s, e = int(s_raw), int(e_raw)
        except ValueError:
            raise _fail(
                path, f"line {n}: offsets must be integers ({s_raw[:20]!r}, {e_raw[:20]!r})"
            ) from None
        _offsets(path, f"line {n}", s, e)
        if not tag:
            raise _fail(path, f"line {n}: empty technique")
        rows.append((n, aid_raw, tag, s, e))
        _check_count(path, len(rows))
    grouped: dict[tuple[str, int, int], list[tuple[int, str]]] = {}
    for n, aid_raw, tag, s, e in rows:
        aid = index.find(aid_raw) or index.find(f"article{aid_raw}.txt")
        if aid is None:
            plan.unmatched.append(f"line {n}: no article {aid_raw[:40]}")
            continue
        _in_range(path, f"line {n}", (s, e), len(index.article(aid).source_text), "original text")
        grouped.setdefault((aid, s, e), []).append((n, tag))
    for (aid, s, e), entries in grouped.items():
        tags = list(dict.fromkeys(t for _, t in entries))
        hl = _make_highlight(
            index.article(aid),
            quote=None,
            prefix="",
            suffix="",
            source=(s, e),
            body=None,
            tags=tags,
            note="",
            annotator=default_annotator,
            hid=None,
            created=None,
            updated=None,
        )
        plan.spans.append(PlannedSpan(aid, hl, f"line {entries[0][0]}"))


PLANNERS = {
    "json": _plan_json,
    "jsonl": _plan_jsonl,
    "w3c": _plan_w3c,
    "doccano": _plan_doccano,
    "ptc": _plan_ptc,
}


def plan_file(
    lib: Library | ArticleIndex, path: Path | str, *, fmt: str | None = None, annotator: str = ""
) -> ImportPlan:
    """Read, check and anchor one file without writing anything. Raises AnnotationFileError."""
    path = Path(path)
    index = lib if isinstance(lib, ArticleIndex) else ArticleIndex(lib)
    text = _read_text(path)
    if fmt is not None and fmt not in PLANNERS:
        raise _fail(str(path), f"unknown format {fmt!r} (choose from {', '.join(IMPORT_FORMATS)})")
    fmt = fmt or detect_format(path, text)
    plan = ImportPlan(str(path), fmt)
    try:
        PLANNERS[fmt](plan, index, text, annotator or "")
    except RecursionError:
        raise _fail(str(path), "nested too deeply") from None
    # Scheme check: a label outside a strict scheme refuses the whole file (named label and line).
    refuse_outside_scheme(plan, index.lib.scheme)
    return plan


def refuse_outside_scheme(plan: ImportPlan, scheme: Scheme) -> None:
    """Empty `plan` and list in `plan.refused` every label its strict scheme does not hold."""
    for span in plan.spans:
        for tag in span.highlight.tags:
            try:
                scheme.check_label(tag, SCOPE_SPAN)
            except LabelNotInScheme as err:
                plan.refused.append(f"{span.label}: {err}")
    for aid, tag in plan.tags:
        try:
            scheme.check_label(tag.tag, SCOPE_ARTICLE)
        except LabelNotInScheme as err:
            plan.refused.append(f"article tag on {aid}: {err}")
    if plan.refused:
        plan.spans, plan.tags, plan.notes = [], [], []


# --- applying plans -------------------------------------------------------------------------


def _span_key(h: Highlight) -> tuple[Any, ...]:
    return (
        h.source_start,
        h.source_end,
        tuple(sorted(h.tags)),
        h.annotator,
        h.quote if h.anchor == ANCHOR_ORPHAN else "",
    )


def merge_plans(
    lib: Library, plans: Iterable[ImportPlan]
) -> tuple[dict[str, ArticleAnnotations], AnnotationImportReport]:
    """The annotations each touched article will have after the import, and the report. No writes."""
    report = AnnotationImportReport()
    changed: dict[str, ArticleAnnotations] = {}
    seen_ids: dict[str, set[str]] = {}
    seen_spans: dict[str, set[tuple[Any, ...]]] = {}

    def current(aid: str) -> ArticleAnnotations:
        if aid not in changed:
            ann = lib.annotations(aid).copy()
            changed[aid] = ann
            seen_ids[aid] = {h.id for h in ann.highlights}
            seen_spans[aid] = {_span_key(h) for h in ann.highlights}
        return changed[aid]

    touched: set[str] = set()
    for plan in plans:
        report.files.append(plan.path)
        report.unmatched.extend(f"{plan.path}: {u}" for u in plan.unmatched)
        report.refused.extend(f"{plan.path}: {r}" for r in plan.refused)
        for span in plan.spans:
            ann = current(span.article_id)
            h = span.highlight
            if h.id in seen_ids[span.article_id] or _span_key(h) in seen_spans[span.article_id]:
                report.skipped += 1
                continue
            ann.highlights.append(h)
            seen_ids[span.article_id].add(h.id)
            seen_spans[span.article_id].add(_span_key(h))
            touched.add(span.article_id)
            report.added += 1
            report.per_annotator[h.annotator] = report.per_annotator.get(h.annotator, 0) + 1
            if h.anchor == ANCHOR_EXACT:
                report.exact += 1
            elif h.anchor == ANCHOR_REANCHORED:
                report.reanchored += 1
                report.reanchored_list.append(
                    f"{plan.path}: {span.label}: {h.quote[:60]!r} ({h.confidence:.2f})"
                )
            else:
                report.orphaned += 1
                report.orphans.append(f"{plan.path}: {span.label}: {h.quote[:60]!r}")
        for aid, tag in plan.tags:
            ann = current(aid)
            if any(t.tag == tag.tag and t.annotator == tag.annotator for t in ann.tags):
                continue
            ann.tags.append(tag)
            touched.add(aid)
            report.tags_added += 1
        for aid, note in plan.notes:
            ann = current(aid)
            if note == ann.note or note in ann.note.split("\n\n"):
                continue
            ann.note = f"{ann.note}\n\n{note}" if ann.note else note
            touched.add(aid)
            report.notes_set += 1
    return {aid: changed[aid] for aid in sorted(touched)}, report


def import_annotation_files(
    lib: Library, paths: Iterable[Path | str], *, fmt: str | None = None, annotator: str = ""
) -> AnnotationImportReport:
    """Import files: all are checked and anchored first, then written in one batch. An invalid file
    raises AnnotationFileError and nothing is written."""
    index = ArticleIndex(lib)
    plans = [plan_file(index, p, fmt=fmt, annotator=annotator) for p in paths]
    changes, report = merge_plans(lib, plans)
    if changes:
        lib.put_annotations(changes, label=f"import annotations ({len(report.files)} file(s))")
    return report
