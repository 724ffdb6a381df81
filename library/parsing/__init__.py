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

import re
from pathlib import PurePath
from typing import Any

from library.model import Origin, ParsedArticle

TEXT_FORMATS = ("globalresearch", "markdown", "text")
_ARTICLE_FILE = re.compile(r"article(\d+)\.txt", re.IGNORECASE)
RECORD_FIELDS = ("title", "body", "authors", "url", "published", "site", "external_id")


def detect_format(text: str) -> str:
    from library.parsing.detect import detect_format as detect

    return detect(text)


def parse_document(text: str, origin: Origin, fmt: str | None = None) -> ParsedArticle:
    from library.parsing import globalresearch, markdown, plaintext

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


def external_id_from_name(path: str) -> str | None:
    """`article123456.txt` (the PTC / SemEval naming) carries the data set's article id."""
    match = _ARTICLE_FILE.fullmatch(PurePath(path).name)
    return match.group(1) if match else None


def parse_record(record: dict[str, Any], origin: Origin, fmt: str = "record") -> ParsedArticle:
    from library.parsing import records

    return records.parse(record, origin, fmt)
