"""Turning one article's text into metadata and classified blocks.

API CONTRACT used by `library.ingest` (stubs until the parsers land):
- `detect_format(text)` -> "globalresearch" | "markdown" | "text"
- `parse_document(text, origin, fmt=None)` parses a single-article text file (the whole decoded
  file text is the source; offsets in blocks point into it).
- `parse_record(record, origin)` builds an article from a data-set record or an HTML extraction:
  `record` has str|None values under the canonical keys in `RECORD_FIELDS` (authors may be a
  list or a list-literal string); the body text is the source text.
"""

from __future__ import annotations

from typing import Any

from library.model import Origin, ParsedArticle

TEXT_FORMATS = ("globalresearch", "markdown", "text")
RECORD_FIELDS = ("title", "body", "authors", "url", "published", "site", "external_id")


def detect_format(text: str) -> str:
    raise NotImplementedError


def parse_document(text: str, origin: Origin, fmt: str | None = None) -> ParsedArticle:
    raise NotImplementedError


def parse_record(record: dict[str, Any], origin: Origin, fmt: str = "record") -> ParsedArticle:
    raise NotImplementedError
