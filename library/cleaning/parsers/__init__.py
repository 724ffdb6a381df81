"""Turning one article's text into metadata and classified blocks.

API CONTRACT used by `library.ingest.reading`:
- `detect_format(text)` -> "globalresearch" | "markdown" | "text"
- `parse_document(text, origin, fmt=None)` parses a single-article text file (the whole decoded
  file text is the source; offsets in blocks point into it).
- `read_document(text, origin, fmt)` / `read_record(record, origin, fmt)` give a `SourceArticle`:
  the text and the header's (or fields') metadata, without cleaning; `clean(source_article)`
  then gives exactly what `parse_document` / `parse_record` would have.
- `parse_record(record, origin)` builds an article from a data-set record or an HTML extraction:
  `record` has str|None values under the canonical keys in `RECORD_FIELDS` (authors may be a
  list or a list-literal string); the body text is the source text.

Every block is built with `TextBuilder`, so `Block.runs` map its text back to code points of
the source. Header lines become boilerplate blocks with reason `REASON_METADATA`; only the
title line(s) are left out of the blocks. Links: `[text](#)` becomes `text`, a real link
becomes `text (URL)`.
"""

from __future__ import annotations

import re
from typing import Any

from library.model import Metadata, Origin, ParsedArticle, SourceArticle
from library.naming import ptc_article_number

TEXT_FORMATS = ("globalresearch", "markdown", "text")
_LINE_END_RE = re.compile(r"[\r\n]")
RECORD_FIELDS = ("title", "body", "authors", "url", "published", "site", "external_id")


def detect_format(text: str) -> str:
    from library.cleaning.parsers.detect import detect_format as detect

    return detect(text)


def parse_document(text: str, origin: Origin, fmt: str | None = None) -> ParsedArticle:
    from library.cleaning.parsers import globalresearch, markdown, plaintext

    fmt = fmt or detect_format(text)
    if fmt == "globalresearch":
        parsed = globalresearch.parse(text, origin)
    elif fmt == "markdown":
        parsed = markdown.parse(text, origin)
    elif fmt == "text":
        parsed = plaintext.parse(text, origin)
    else:
        raise ValueError(f"unknown text format {fmt!r} (expected one of {', '.join(TEXT_FORMATS)})")
    if parsed.meta.external_id is None:
        parsed.meta.external_id = external_id_from_name(origin.path)
    return parsed


def read_document(text: str, origin: Origin, fmt: str | None = None) -> SourceArticle:
    """A single-article text file as it is, with a provisional title (its first line).

    Why so little: an import of many files should cost little more than copying them. The
    format is detected and the header read when the article is cleaned (`clean`)."""
    meta = Metadata(title=provisional_title(text), external_id=external_id_from_name(origin.path))
    return SourceArticle(source_text=text, meta=meta, format=fmt or "", origin=origin)


def provisional_title(text: str) -> str | None:
    """The first non-blank line, without a markdown heading mark or link targets."""
    from library.cleaning.metadata import strip_links

    start = len(text) - len(text.lstrip())
    m = _LINE_END_RE.search(text, start)
    line = text[start : m.start() if m else len(text)].strip().lstrip("#").strip()
    return strip_links(line).strip() or None if "](" in line else line or None


def read_record(record: dict[str, Any], origin: Origin, fmt: str = "record") -> SourceArticle:
    from library.cleaning.parsers import records

    source, meta = records.read_record(record)
    return SourceArticle(source_text=source, meta=meta, format=fmt, origin=origin)


def clean(item: SourceArticle) -> ParsedArticle:
    """The full parse of an article read with `read_document` or `read_record`."""
    from library.cleaning.parsers import plaintext

    if item.format in TEXT_FORMATS or not item.format:
        return parse_document(item.source_text, item.origin, item.format or None)
    meta = Metadata.from_json(item.meta.to_json())  # the parse may add to it; keep the item's own
    return plaintext.parse_body(item.source_text, meta, item.origin, item.format)


def external_id_from_name(path: str) -> str | None:
    """`article123456.txt` (the PTC / SemEval naming) carries the data set's article id."""
    return ptc_article_number(path)


def parse_record(record: dict[str, Any], origin: Origin, fmt: str = "record") -> ParsedArticle:
    from library.cleaning.parsers import records

    return records.parse(record, origin, fmt)
