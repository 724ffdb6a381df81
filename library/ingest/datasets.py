"""Data sets (CSV, JSONL, JSON arrays): one article per record, columns mapped to record fields.

Real data sets name their columns in many ways (`body_text`, `content`, `maintext`...), carry an
unnamed pandas index, store authors as Python list literals with typographic quotes, and hold
fields far over the csv module's default limit. Each record becomes a dict with the canonical keys
of `library.cleaning.parsers.RECORD_FIELDS` plus the unmapped columns under their own names. A bad record is reported
on its own; the rest of the file carries on.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from library.errors import LibraryError
from library.ingest.decode import MB

FIELD_LIMIT = 64 * MB  # characters per CSV field (a 50 MB article body must load)
MAX_JSON_BYTES = 256 * MB  # JSON arrays are parsed whole
MAX_EXTRA_CHARS = 100_000  # longer unmapped values are replaced by a note (the catalogue stays small)

# The csv module's own limit is a hard stop: past it, the reader cannot find where the record
# ends, so the rest of the file is skipped. It is kept well above FIELD_LIMIT, and a field
# between the two skips only its own record (a 100 MB field must not lose the good rows after it).
HARD_FIELD_LIMIT = 4 * FIELD_LIMIT
csv.field_size_limit(HARD_FIELD_LIMIT)

# Canonical field -> column names recognised case-insensitively, in order of preference.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "body": ("content", "body", "body_text", "text", "article", "maintext", "article_text", "full_text"),
    "authors": ("author", "authors", "byline"),
    "url": ("url", "link"),
    "published": ("publish_date", "published", "date", "pubdate", "published_at", "date_publish"),
    "site": ("domain", "publisher", "site", "source", "outlet", "source_domain", "sitename"),
    "external_id": ("id", "news_id", "article_id"),
}
FIELDS = tuple(COLUMN_ALIASES)
BODY_COLUMNS = COLUMN_ALIASES["body"]
_INDEX_COLUMNS = re.compile(r"^(|unnamed: ?\d+|index)$", re.IGNORECASE)
# Typographic quotes used as string delimiters in list literals (`[‘Rachel Roubein']`); the ones
# inside names (O’Brien) are left alone.
_OPEN_QUOTE = re.compile(r"([\[,]\s*)([‘’‚‛“”„])")
_CLOSE_QUOTE = re.compile(r"([‘’‚‛“”„])(\s*[\],])")


def _ascii_quote(mark: str) -> str:
    return '"' if mark in "“”„" else "'"


def _normalise_list_quotes(text: str) -> str:
    text = _OPEN_QUOTE.sub(lambda m: m.group(1) + _ascii_quote(m.group(2)), text)
    return _CLOSE_QUOTE.sub(lambda m: _ascii_quote(m.group(1)) + m.group(2), text)


class DatasetError(LibraryError):
    """The whole data-set file cannot be read (reason is shown to the user)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class RecordError:
    """One record that could not be read; the rest of the file goes on."""

    index: int
    reason: str


@dataclass(slots=True)
class ColumnMap:
    """Which source column feeds each canonical field; everything else goes to `extra`."""

    fields: dict[str, str] = field(default_factory=dict)  # canonical field -> column name

    def column_set(self) -> set[str]:
        return set(self.fields.values())


def check_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Validate `--map field=column` pairs; unknown fields are a usage error (ValueError)."""
    result: dict[str, str] = {}
    for key, column in (mapping or {}).items():
        name = key.strip().lower()
        if name == "author":
            name = "authors"
        if name not in COLUMN_ALIASES:
            raise ValueError(f"unknown field {key!r} in --map (fields: {', '.join(FIELDS)})")
        result[name] = column
    return result


def map_columns(columns: Iterable[str], mapping: Mapping[str, str] | None = None) -> ColumnMap:
    """Map canonical fields to the columns present: explicit mapping first, then known aliases."""
    present = [c for c in columns if isinstance(c, str)]
    by_lower: dict[str, str] = {}
    for col in present:
        by_lower.setdefault(col.strip().lower(), col)
    explicit = check_mapping(mapping)
    result = ColumnMap()
    used: set[str] = set()
    for name, column in explicit.items():
        actual = column if column in present else by_lower.get(column.strip().lower(), column)
        result.fields[name] = actual
        used.add(actual)
    for name, aliases in COLUMN_ALIASES.items():
        if name in result.fields:
            continue
        for alias in aliases:
            found = by_lower.get(alias)
            if found is not None and found not in used:
                result.fields[name] = found
                used.add(found)
                break
    return result


def parse_authors(value: Any) -> list[str]:
    """Authors from a list, a list-literal string (`['A', 'B']`, `[‘Rachel Roubein']`) or a byline."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    if not text:
        return []
    # A list literal, not text that merely starts and ends with brackets ("[@click=x]y[/]").
    if text.startswith("[") and text.endswith("]") and not set(text[1:-1]) & {"[", "]"}:
        normalised = _normalise_list_quotes(text)
        try:
            parsed = ast.literal_eval(normalised)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            parsed = None
        if isinstance(parsed, (list, tuple)):
            return [str(v).strip() for v in parsed if v is not None and str(v).strip()]
        inner = normalised[1:-1]
        parts = [p.strip().strip("'\"").strip() for p in inner.split(",")]
        return [p for p in parts if p]
    parts = re.split(r"\s*;\s*|\s*,\s*|\s+and\s+|\s*&\s*", text)
    return [p.strip() for p in parts if p.strip()]


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def build_record(row: Mapping[str, Any], columns: ColumnMap) -> dict[str, Any]:
    """A record for `parse_record`: the canonical `RECORD_FIELDS` keys, then the unmapped columns
    under their own names (they become `Metadata.extra`). Raises ValueError without body text."""
    record: dict[str, Any] = {}
    for name in FIELDS:
        col = columns.fields.get(name)
        value = row.get(col) if col is not None else None
        if name == "authors":
            record[name] = parse_authors(value)
        else:
            text = _as_text(value)
            record[name] = text if text is None or name == "body" else (text.strip() or None)
    body = record.get("body")
    if not body or not body.strip():
        col = columns.fields.get("body")
        where = f"column {col!r} is empty" if col and col in row else "no body column"
        raise ValueError(f"no body text ({where})")
    mapped = columns.column_set()
    for key, value in row.items():
        if key in mapped or not isinstance(key, str) or _INDEX_COLUMNS.match(key.strip()):
            continue
        if value is None or value == "":
            continue
        if isinstance(value, str) and len(value) > MAX_EXTRA_CHARS:
            value = f"[{len(value):,} characters, too long to keep as metadata]"
        record[extra_key(key)] = value
    return record


def extra_key(column: str) -> str:
    """The record key of an unmapped column. `parse_record` keeps every non-canonical key as
    `Metadata.extra`; a column named like a canonical field but not mapped to it is renamed."""
    return f"column:{column}" if column in FIELDS or column == "extra" else column


# --- CSV -----------------------------------------------------------------------------------------


_BODY_NAMES = frozenset(c.lower() for c in BODY_COLUMNS)


def csv_header_delimiter(first_line: str, mapping: Mapping[str, str] | None = None) -> str | None:
    """The delimiter whose split of the header names a body column, or None: not a data set."""
    wanted = _BODY_NAMES
    explicit = check_mapping(mapping).get("body") if mapping else None
    if explicit:
        wanted = wanted | {explicit.strip().lower()}
    low = first_line.lower()
    if '"' not in low and not any(name in low for name in wanted):
        return None  # no field can name a body column (quotes aside, fields are parts of the line)
    for delimiter in (",", "\t", ";", "|"):
        try:
            header = next(csv.reader([first_line], delimiter=delimiter))
        except (csv.Error, StopIteration):
            continue
        if len(header) >= 2 and any(h.strip().lower() in wanted for h in header):
            return delimiter
    return None


def iter_csv(
    stream: Iterable[str], mapping: Mapping[str, str] | None = None, delimiter: str = ","
) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """(0-based data-row number, record or error) for each CSV row after the header.

    A csv-level error (a broken quote, a field over the hard limit) stops the file: what follows
    it cannot be trusted to line up with records. A field over FIELD_LIMIT skips its record only.
    """
    csv.field_size_limit(max(HARD_FIELD_LIMIT, FIELD_LIMIT))  # (process-wide; others may lower it)
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetError("empty CSV file") from None
    except csv.Error as err:
        raise DatasetError(f"CSV error in the header: {err}") from None
    columns = map_columns(header, mapping)
    missing = [f"{name}={col}" for name, col in check_mapping(mapping).items() if col not in header]
    if missing:
        raise DatasetError(f"--map column not in the header: {', '.join(missing)}")
    if "body" not in columns.fields:
        raise DatasetError(
            "no body column (expected one of: " + ", ".join(BODY_COLUMNS) + "; or use --map body=COLUMN)"
        )
    width = len(header)
    index = -1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            reason = f"CSV error near line {reader.line_num}: {err} (the rest of the file is skipped)"
            yield index + 1, RecordError(index + 1, reason)
            return
        if not row or (len(row) == 1 and not row[0].strip()):
            continue  # blank line between records
        index += 1
        if len(row) != width:
            yield index, RecordError(index, f"ragged row: {len(row)} fields, the header has {width}")
            continue
        longest = max(map(len, row), default=0)
        if longest > FIELD_LIMIT:
            reason = f"a field of {longest // MB} MB is over the {FIELD_LIMIT // MB} MB limit; record skipped"
            yield index, RecordError(index, reason)
            continue
        try:
            yield index, build_record(dict(zip(header, row, strict=True)), columns)
        except ValueError as err:
            yield index, RecordError(index, str(err))


# --- JSON Lines ----------------------------------------------------------------------------------


def _json_reason(err: Exception, line: int | None = None) -> str:
    if isinstance(err, RecursionError):
        return "JSON nested too deeply"
    if isinstance(err, json.JSONDecodeError):
        where = f"line {line}" if line is not None else f"line {err.lineno}, column {err.colno}"
        return f"not valid JSON at {where}: {err.msg}"
    return f"not valid JSON: {err}"


def iter_jsonl(
    stream: Iterable[str], mapping: Mapping[str, str] | None = None
) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    """(0-based line index, record or error) for each non-empty line. A first line that is not a
    JSON object means the file is not JSON Lines at all (DatasetError)."""
    seen_good = False
    explicit = check_mapping(mapping)
    for index, line in enumerate(stream):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (ValueError, RecursionError) as err:
            if not seen_good:
                raise DatasetError(_json_reason(err, index + 1)) from None
            yield index, RecordError(index, _json_reason(err, index + 1))
            continue
        if not isinstance(obj, dict):
            if not seen_good:
                raise DatasetError(f"not JSON Lines: line {index + 1} is not an object")
            yield index, RecordError(index, f"line {index + 1} is not a JSON object")
            continue
        seen_good = True
        try:
            yield index, build_record(obj, map_columns(obj.keys(), explicit))
        except ValueError as err:
            yield index, RecordError(index, str(err))


# --- JSON arrays ---------------------------------------------------------------------------------


def json_records(text: str) -> list[Any]:
    """The list of records in a JSON document: an array, an object holding one array of objects
    (`{"articles": [...]}`), or a single object (one record)."""
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        raise DatasetError(_json_reason(err)) from None
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        lists = [
            v for v in data.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)
        ]
        if len(lists) == 1 and not any(k.lower() in BODY_COLUMNS for k in data if isinstance(k, str)):
            return lists[0]
        return [data]
    raise DatasetError(f"JSON holds a {type(data).__name__}, not articles")


def iter_json(
    items: Sequence[Any], mapping: Mapping[str, str] | None = None
) -> Iterator[tuple[int, dict[str, Any] | RecordError]]:
    explicit = check_mapping(mapping)
    for index, obj in enumerate(items):
        if not isinstance(obj, dict):
            yield index, RecordError(index, f"record {index} is a {type(obj).__name__}, not an object")
            continue
        try:
            yield index, build_record(obj, map_columns(obj.keys(), explicit))
        except ValueError as err:
            yield index, RecordError(index, str(err))
