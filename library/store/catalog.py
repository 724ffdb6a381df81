"""The catalogue (`catalog.json`, TinyDB): one small document per article, bodies kept elsewhere.

Why small: TinyDB rewrites its whole file on every write, so the catalogue holds only metadata,
counts and where the body lies (about 1 KB per article), and it is written once per import batch.
It is parsed once at open and kept in memory as plain dicts, which the rest of the store only
reads (TinyDB documents are shallow copies of its cache and must not be mutated).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from library.model import ArticleSummary
from library.store.atomic import AtomicJSONStorage
from library.store.bodies import PACK_RE, BodyRef
from library.store.schema import CATALOG_META_TABLE, CATALOG_TABLE, catalog_meta, catalog_validator

TABLE = CATALOG_TABLE


def initial_catalog() -> bytes:
    """The catalogue of a new library: no articles, and saying so (see `catalog_validator`)."""
    return orjson.dumps({TABLE: {}, CATALOG_META_TABLE: catalog_meta(0)})


def json_safe(value: Any) -> Any:
    """`value` with every string JSON can hold: lone surrogates (how Python reads the bytes of a
    file name that is not UTF-8) become `\\xNN` escapes, readable and stable."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raw = value.encode("utf-8", "surrogateescape") if _escapable(value) else None
            if raw is not None:
                return raw.decode("utf-8", "backslashreplace")
            return value.encode("utf-8", "backslashreplace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def _escapable(text: str) -> bool:
    try:
        text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return False
    return True


def _has_packs(bodies: Path) -> Callable[[], bool]:
    def check() -> bool:
        try:
            return any(PACK_RE.match(name.removesuffix(".bak")) for name in os.listdir(bodies))
        except OSError:
            return False

    return check


class Catalog:
    def __init__(self, path: Path, *, read_only: bool, notice: Any) -> None:
        self.path = Path(path)
        self.db = TinyDB(
            self.path,
            storage=AtomicJSONStorage,
            read_only=read_only,
            notice=notice,
            what="catalogue",
            validate=catalog_validator(_has_packs(self.path.parent / "bodies")),
        )
        self._next_doc_id: int | None = None  # found on the first insert
        # The storage's parsed data, read directly: wrapping 10,000 documents costs more than parsing.
        raw = self.db.storage.read() or {}
        table = raw.get(TABLE) or {}
        self.entries: dict[str, dict[str, Any]] = {entry["id"]: entry for entry in table.values()}
        # Lookups only imports and id prefixes need: built on first use, not at start-up.
        self._lookups: tuple[dict[str, str], dict[str, list[str]], dict[str, str]] | None = None

    def _build_lookups(self) -> tuple[dict[str, str], dict[str, list[str]], dict[str, str]]:
        if self._lookups is None:
            table = (self.db.storage.read() or {}).get(TABLE) or {}
            self._lookups = ({}, {}, {entry["id"]: str(doc_id) for doc_id, entry in table.items()})
            for entry in self.entries.values():
                self._index_lookups(entry)
        return self._lookups

    @property
    def by_body_hash(self) -> dict[str, str]:
        """body hash -> the first article with that body."""
        return self._build_lookups()[0]

    @property
    def by_external_id(self) -> dict[str, list[str]]:
        """external id -> articles carrying it."""
        return self._build_lookups()[1]

    @property
    def _doc_ids(self) -> dict[str, str]:
        """article id -> TinyDB document id (a string key)."""
        return self._build_lookups()[2]

    def _index_lookups(self, entry: dict[str, Any]) -> None:
        assert self._lookups is not None
        by_body, by_ext, _ = self._lookups
        aid = entry["id"]
        if entry.get("body_hash"):
            by_body.setdefault(entry["body_hash"], aid)
        ext = (entry.get("meta") or {}).get("external_id")
        if ext:
            by_ext.setdefault(str(ext), []).append(aid)

    def _index(self, entry: dict[str, Any], doc_id: str) -> None:
        self.entries[entry["id"]] = entry
        if self._lookups is not None:
            self._lookups[2][entry["id"]] = doc_id
            self._index_lookups(entry)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.entries

    def add_batch(self, entries: list[dict[str, Any]]) -> None:
        """One atomic catalogue write for the whole batch; memory follows only when it succeeded."""
        if not entries:
            return
        # Written as TinyDB's `insert_multiple` would (string keys counting up from the highest),
        # without its conversion of every existing key to int and back on each call, which made
        # a large import's catalogue writes cost more than their JSON.
        data = self.db.storage.read() or {}
        table = data.setdefault(TABLE, {})
        if self._next_doc_id is None:
            self._next_doc_id = max((int(k) for k in table), default=0) + 1
        first = self._next_doc_id
        doc_ids = [str(first + i) for i in range(len(entries))]
        # One dict per article, shared by the file's data and `entries` (both only read): two
        # copies made a large library's catalogue take twice the memory.
        stored = [dict(entry) for entry in entries]
        for doc_id, entry in zip(doc_ids, stored, strict=True):
            table[doc_id] = entry
        data[CATALOG_META_TABLE] = catalog_meta(len(table))
        try:
            self._write(data)
        except TypeError:  # a text JSON cannot hold (a file name that is not UTF-8): kept escaped
            stored = [json_safe(entry) for entry in entries]
            data = self.db.storage.read() or {}
            table = data.setdefault(TABLE, {})
            for doc_id, entry in zip(doc_ids, stored, strict=True):
                table[doc_id] = entry
            data[CATALOG_META_TABLE] = catalog_meta(len(table))
            self._write(data)
        self._next_doc_id = first + len(entries)
        for entry, doc_id in zip(stored, doc_ids, strict=True):
            self._index(entry, doc_id)

    def replace_batch(self, entries: list[dict[str, Any]], removed: list[str]) -> None:
        """One atomic write that replaces `entries` (by id) and drops the articles in `removed`.

        Why not `Table.update`: it takes one set of fields for all documents or a query per
        document, and each call rewrites the file; cleaning writes hundreds of entries at once.
        The file's data is changed as TinyDB itself does (read, change the table, write)."""
        if not entries and not removed:
            return
        data = self.db.storage.read() or {}
        table = data.setdefault(TABLE, {})
        for entry in entries:
            table[self._doc_ids[entry["id"]]] = entry
        for aid in removed:
            table.pop(self._doc_ids[aid], None)
        data[CATALOG_META_TABLE] = catalog_meta(len(table))
        self._write(data)
        for entry in entries:
            self._unindex(self.entries[entry["id"]])
            self._index(entry, self._doc_ids[entry["id"]])  # the same dict as the file's data
        for aid in removed:
            self._unindex(self.entries.pop(aid))
            del self._doc_ids[aid]

    def _unindex(self, entry: dict[str, Any]) -> None:
        """Drop the entry from the lookups (`_index` adds it)."""
        body_hash = entry.get("body_hash")
        if body_hash and self.by_body_hash.get(body_hash) == entry["id"]:
            del self.by_body_hash[body_hash]
        ext = (entry.get("meta") or {}).get("external_id")
        ids = self.by_external_id.get(str(ext)) if ext else None
        if ids and entry["id"] in ids:
            ids.remove(entry["id"])
            if not ids:
                del self.by_external_id[str(ext)]

    def body_ref(self, article_id: str) -> BodyRef:
        return BodyRef.from_json(self.entries[article_id]["body"])

    def blocks_ref(self, article_id: str) -> BodyRef | None:
        """Where the cleaned blocks lie when they have a pack line of their own (see `Library`)."""
        ref = self.entries[article_id].get("blocks")
        return BodyRef.from_json(ref) if ref else None

    def pack_extents(self) -> dict[str, int]:
        """For each pack, how many bytes the catalogue needs it to hold."""
        needed: dict[str, int] = {}
        for entry in self.entries.values():
            for ref in (entry["body"], entry.get("blocks")):
                if ref:
                    end = int(ref[1]) + int(ref[2])
                    if end > needed.get(str(ref[0]), -1):
                        needed[str(ref[0])] = end
        return needed

    def _write(self, data: dict[str, Any]) -> None:
        self.db.storage.write(data)

    def close(self) -> None:
        self.db.close()


def summary_from_entry(entry: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary.from_catalogue(entry)
