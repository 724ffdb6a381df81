"""Turning one article's text into metadata and classified blocks.

API CONTRACT used by `library.ingest`:
- `detect_format(text)` -> "globalresearch" | "markdown" | "text"
- `parse_document(text, origin, fmt=None)` parses a single-article text file (the whole decoded
  file text is the source; offsets in blocks point into it).
- `parse_record(record, origin)` builds an article from a data-set record or an HTML extraction:
  `record` has str|None values under the canonical keys in `RECORD_FIELDS` (authors may be a
  list or a list-literal string); the body text is the source text.

Every block is built with `TextBuilder`, so `Block.runs` map its text back to code points of
the source. Header lines become boilerplate blocks with reason `REASON_METADATA`; only the
title line(s) are left out of the blocks. Links: `[text](#)` becomes `text`, a real link
becomes `text (URL)`.
"""

from __future__ import annotations

from typing import Any

from library.model import Origin, ParsedArticle

TEXT_FORMATS = ("globalresearch", "markdown", "text")
RECORD_FIELDS = ("title", "body", "authors", "url", "published", "site", "external_id")


def detect_format(text: str) -> str:
    from library.parsing.detect import detect_format as detect

    return detect(text)


def parse_document(text: str, origin: Origin, fmt: str | None = None) -> ParsedArticle:
    from library.parsing import globalresearch, markdown, plaintext

    fmt = fmt or detect_format(text)
    if fmt == "globalresearch":
        return globalresearch.parse(text, origin)
    if fmt == "markdown":
        return markdown.parse(text, origin)
    if fmt == "text":
        return plaintext.parse(text, origin)
    raise ValueError(f"unknown text format {fmt!r} (expected one of {', '.join(TEXT_FORMATS)})")


def parse_record(record: dict[str, Any], origin: Origin, fmt: str = "record") -> ParsedArticle:
    from library.parsing import records

    return records.parse(record, origin, fmt)
