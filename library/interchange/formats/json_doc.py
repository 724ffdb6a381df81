"""The primary JSON document (`--format json`): everything, validated against the shipped schema."""

from __future__ import annotations

import json
import os
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from library.annotations.model import ANCHOR_EXACT, ANCHOR_REANCHORED, ArticleTag
from library.interchange.document import SCHEMA_NAME
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
)
from library.interchange.rendering import ExportOptions, Rendered, json_bytes
from library.interchange.spec import FormatSpec


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    return Rendered(json_bytes(doc, indent=True) + b"\n", records=len(doc["articles"]))


@cache
def load_schema() -> dict[str, Any]:
    """The JSON Schema of the primary export (shipped as package data)."""
    text = (
        resources.files("library.interchange").joinpath("schema/annotations.schema.json").read_text("utf-8")
    )
    return json.loads(text)


@cache
def article_validator() -> Draft202012Validator:
    schema = load_schema()
    return Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/article"})


@cache
def _document_validator() -> Draft202012Validator:
    schema = dict(load_schema())
    props = dict(schema["properties"])
    props["articles"] = {"type": "array"}  # articles are checked one by one, with their number
    schema["properties"] = props
    return Draft202012Validator(schema)


def plan_articles(
    plan: ImportPlan, index: ArticleIndex, articles: list[Any], default_annotator: str, doc_annotator: str
) -> None:
    """Our article objects (from JSON or JSONL) into the plan."""
    path = plan.path
    validator = article_validator()
    for n, entry in enumerate(articles, 1):
        where = f"article {n}"
        error = best_match(validator.iter_errors(entry))
        if error is not None:
            loc = "/".join(str(p) for p in error.absolute_path)
            raise fail(path, f"{where}{' at ' + loc if loc else ''}: {error.message[:200]}")
        aid = index.find_for(
            plan,
            where,
            entry["id"],
            entry.get("external_id"),
            os.path.basename(entry["origin"]["path"] or ""),
            missing=f"no such article in the library (id {entry['id']})",
        )
        if aid is None:
            continue
        article = index.article(aid)
        for t in entry["tags"]:
            who = t["annotator"] or doc_annotator or default_annotator
            plan.tags.append((aid, ArticleTag(t["tag"], who, t["created"])))
        if entry["note"]:
            plan.notes.append((aid, entry["note"]))
        for k, h in enumerate(entry["highlights"], 1):
            hwhere = f"{where} highlight {k}"
            src = offsets(path, hwhere, h["source_start"], h["source_end"])
            in_range(path, hwhere, src, len(article.source_text), "original text")
            body = None
            if h["start"] is not None and h["end"] is not None:
                body = offsets(path, hwhere, h["start"], h["end"])
            hl = make_highlight(
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


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    data = loads(plan.path, read_text(path))
    if not isinstance(data, dict):
        raise fail(plan.path, f'expected a JSON object with "schema": "{SCHEMA_NAME}"')
    if data.get("schema") != SCHEMA_NAME:
        raise fail(plan.path, f"not a {SCHEMA_NAME} document (schema is {str(data.get('schema'))[:60]!r})")
    articles = data.get("articles")
    if isinstance(articles, list):
        check_count(
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
        raise fail(plan.path, f"{'at ' + loc + ': ' if loc else ''}{error.message[:200]}")
    plan_articles(plan, index, articles or [], annotator, data.get("annotator") or "")


SPEC = FormatSpec(
    name="json",
    extension=".json",
    description="the full export (schema-validated)",
    lost="nothing",
    writer=write,
    reader=read,
)
