"""Articles from data-set records (CSV/JSON rows) and HTML extractions: fields in, body parsed.

The record's body is the source text (offsets point into it). Metadata comes from the fields;
authors may be a list or a list literal such as "['A', 'B']" or "[‘A']" with typographic quotes.
"""

from __future__ import annotations

from typing import Any

from library.cleaning.metadata import parse_author_field, parse_published
from library.cleaning.parsers import plaintext
from library.model import Metadata, Origin, ParsedArticle

KNOWN = ("title", "body", "authors", "url", "published", "site", "external_id")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def read_record(record: dict[str, Any]) -> tuple[str, Metadata]:
    """The record's body text (the source) and the metadata its fields give."""
    body = record.get("body")
    source = "" if body is None else str(body)
    return source, Metadata(
        title=_text(record.get("title")),
        authors=parse_author_field(record.get("authors")),
        published=parse_published(_text(record.get("published"))),
        site=_text(record.get("site")),
        url=_text(record.get("url")),
        external_id=_text(record.get("external_id")),
        extra={k: v for k, v in record.items() if k not in KNOWN and v not in (None, "")},
    )


def parse(record: dict[str, Any], origin: Origin, fmt: str = "record") -> ParsedArticle:
    source, meta = read_record(record)
    return plaintext.parse_body(source, meta, origin, fmt)
