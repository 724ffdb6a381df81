"""What every format's writer shares: the rendered result, the export options, safe JSON bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import orjson

URN_ARTICLE = "urn:newsnotes-reader:article:"
URN_HIGHLIGHT = "urn:newsnotes-reader:highlight:"
URN_ANNOTATION = "urn:newsnotes-reader:annotation:"


@dataclass
class Rendered:
    """A format's output: `data` for one-file formats, `files` (relative name -> bytes) for formats
    that write a folder (brat, WebAnno TSV), plus warnings about what was left out."""

    data: bytes
    warnings: list[str] = field(default_factory=list)
    records: int = 0  # what the format counts: articles, annotations, lines or rows
    files: dict[str, bytes] | None = None
    highlights: int | None = None  # highlights the output holds, when the format left some out


@dataclass
class ExportOptions:
    """Choices a writer may honour. `allowed_labels`: the label scheme a format is checked against
    (PTC defaults to its 14 techniques); `strict` refuses labels outside it instead of warning.
    `ambiguous_external_ids`: external ids several library articles share (written as full ids)."""

    utf16: bool = False
    allowed_labels: frozenset[str] | None = None
    strict: bool = False
    ambiguous_external_ids: frozenset[str] = frozenset()


class LabelRefused(ValueError):
    """A strict export met labels outside its scheme; the message lists them."""


# Characters JSON may carry raw but a terminal would act on (C1 controls, DEL, bidi marks): written
# as \u escapes, which changes nothing for a JSON reader and makes `reader export | less` safe.
_TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")


def json_bytes(obj: Any, *, indent: bool) -> bytes:
    data = orjson.dumps(obj, option=orjson.OPT_INDENT_2 if indent else 0)
    text = data.decode()
    if _TERMINAL_UNSAFE.search(text):
        text = _TERMINAL_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        return text.encode()
    return data


def tsv_field(value: str) -> str:
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def export_article_id(article: dict[str, Any], options: ExportOptions) -> str:
    """The id a one-id-per-article format writes: the external id when it names this article alone
    in the library, else our full id (which always re-imports to the same article)."""
    ext = article.get("external_id")
    if ext and str(ext) not in options.ambiguous_external_ids:
        return str(ext)
    return article["id"]


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
