"""What each store file must look like, checked when it is read.

Why: a file that parses as JSON is not necessarily a good file. `{}` written over the catalogue,
or a bucket whose record says `"highlights": "oops"`, would otherwise be read as an empty
library or crash later with a TypeError far from the file. Each validator raises ValueError
with a one-phrase reason, so a wrong-shaped file is damage exactly like a truncated one: it is
moved aside and recovered from its backup, or refused when no good copy exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from library.annotations.model import ArticleAnnotations

CATALOG_TABLE = "articles"
CATALOG_META_TABLE = "_meta"  # {"1": {"count": N}}: how many articles the catalogue holds
BUCKET_TABLE = "annotations"


def tinydb_tables(data: Any) -> dict[str, dict[str, Any]]:
    """A TinyDB file is {table: {doc_id: {...}}}."""
    if not isinstance(data, dict):
        raise ValueError("not a TinyDB database (top level is not an object)")
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(d, dict) for d in table.values()):
            raise ValueError(f"table {name!r} is malformed")
    return data


def _is_ref(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 4
        and isinstance(value[0], str)
        and isinstance(value[1], int)
        and isinstance(value[2], int)
        and isinstance(value[3], str)
    )


def catalog_validator(has_packs: Callable[[], bool]) -> Callable[[Any], None]:
    """The catalogue's check. An empty catalogue is good only when it says so (its `_meta` count
    is 0) or, for a catalogue written before the count existed, when there are no body packs."""

    def validate(data: Any) -> None:
        tables = tinydb_tables(data)
        articles = tables.get(CATALOG_TABLE)
        if articles is None:
            raise ValueError(f"no {CATALOG_TABLE!r} table (the file was emptied or replaced)")
        for doc_id, entry in articles.items():
            if not isinstance(entry.get("id"), str) or not _is_ref(entry.get("body")):
                raise ValueError(f"article record {doc_id} is malformed")
            if entry.get("blocks") is not None and not _is_ref(entry["blocks"]):
                raise ValueError(f"article record {doc_id} is malformed")
        meta = tables.get(CATALOG_META_TABLE)
        if meta is not None:
            count = (meta.get("1") or {}).get("count")
            if count != len(articles):
                raise ValueError(f"holds {len(articles)} articles where it records {count}")
        elif not articles and has_packs():
            raise ValueError("no articles listed although article texts are stored (the file was emptied)")

    return validate


MANIFEST_VERSION = 2  # `catalog.json` as the list of catalogue segments (1: the TinyDB catalogue)


def validate_manifest(data: Any) -> None:
    """The catalogue's manifest: its segments (each named, sized, checksummed) and the count."""
    if not isinstance(data, dict):
        raise ValueError("not a catalogue (top level is not an object)")
    segments = data.get("segments")
    if not isinstance(segments, list):
        raise ValueError("no segment list (the file was emptied or replaced)")
    if not isinstance(data.get("count"), int) or data["count"] < 0 or not isinstance(data.get("next"), int):
        raise ValueError("no article count (the file was emptied or replaced)")
    names = set()
    for seg in segments:
        if not isinstance(seg, dict) or not isinstance(seg.get("name"), str) or seg["name"] in names:
            raise ValueError("a segment record is malformed")
        names.add(seg["name"])
        for key in ("records", "size", "level"):
            if not isinstance(seg.get(key), int):
                raise ValueError(f"segment {seg['name']} is malformed")
        if not isinstance(seg.get("sha"), str):
            raise ValueError(f"segment {seg['name']} is malformed")
    if not segments and data["count"]:
        raise ValueError(f"lists no segment where it records {data['count']} articles")


def catalog_file_validator(has_packs: Callable[[], bool]) -> Callable[[Any], None]:
    """`catalog.json` of either layout: the manifest (version 2) or the TinyDB catalogue (1)."""
    v1 = catalog_validator(has_packs)

    def validate(data: Any) -> None:
        if isinstance(data, dict) and "segments" in data:
            validate_manifest(data)
        else:
            v1(data)

    return validate


def catalog_meta(count: int) -> dict[str, dict[str, Any]]:
    return {"1": {"count": count}}


def validate_bucket(data: Any) -> None:
    """An annotation bucket holds at least one article's record, each one readable."""
    tables = tinydb_tables(data)
    docs = tables.get(BUCKET_TABLE)
    if not docs:  # a bucket is created by its first record and records are never removed
        raise ValueError("holds no annotation records (the file was emptied or replaced)")
    for doc_id, doc in docs.items():
        problem = bucket_record_problem(doc)
        if problem:
            raise ValueError(f"record {doc_id}: {problem}")


def bucket_record_problem(doc: dict[str, Any]) -> str:
    """Why one article's annotation record cannot be used, or ""."""
    if not isinstance(doc.get("article_id"), str):
        return "no article id"
    for key, kind in (("highlights", list), ("tags", list), ("flips", dict), ("note", str)):
        if key in doc and not isinstance(doc[key], kind):
            return f'"{key}" is not a {kind.__name__}'
    if not all(isinstance(h, dict) for h in doc.get("highlights", [])):
        return "a highlight is not an object"
    if not all(isinstance(t, dict) for t in doc.get("tags", [])):
        return "a tag is not an object"
    try:
        ArticleAnnotations.from_json(doc)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        return f"unreadable ({type(err).__name__}: {err})"
    return ""


def pack_line_problem(record: Any) -> str:
    """Why a pack line (an article's source text and/or blocks) cannot be used, or ""."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        return "not an article record"
    if "source" in record and not isinstance(record["source"], str):
        return '"source" is not text'
    blocks = record.get("blocks")
    if blocks is not None and not (isinstance(blocks, list) and all(isinstance(b, dict) for b in blocks)):
        return '"blocks" is malformed'
    if "source" not in record and blocks is None:
        return "holds neither a source text nor blocks"
    return ""


def validate_meta(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("schema_version"), int):
        raise ValueError("no schema version (the file was emptied or replaced)")
