"""The catalogue (`catalog.json`, TinyDB): one small document per article, bodies kept elsewhere.

Why small: TinyDB rewrites its whole file on every write, so the catalogue holds only metadata,
counts and where the body lies (about 1 KB per article), and it is written once per import batch.
It is parsed once at open and kept in memory as plain dicts, which the rest of the store only
reads (TinyDB documents are shallow copies of its cache and must not be mutated).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tinydb import TinyDB

from library.model import ArticleSummary, Metadata, Origin
from library.store.atomic import AtomicJSONStorage
from library.store.bodies import BodyRef

TABLE = "articles"


class Catalog:
    def __init__(self, path: Path, *, read_only: bool, notice: Any) -> None:
        self.path = Path(path)
        self.db = TinyDB(
            self.path, storage=AtomicJSONStorage, read_only=read_only, notice=notice, what="catalogue"
        )
        self.table = self.db.table(TABLE, cache_size=0)
        self.entries: dict[str, dict[str, Any]] = {}
        self.by_body_hash: dict[str, str] = {}
        self.by_external_id: dict[str, list[str]] = {}
        self._doc_ids: dict[str, str] = {}  # article id -> TinyDB document id (a string key)
        # The storage's parsed data, read directly: wrapping 10,000 documents costs more than parsing.
        raw = self.db.storage.read() or {}
        for doc_id, entry in (raw.get(TABLE) or {}).items():
            self._index(entry, doc_id)

    def _index(self, entry: dict[str, Any], doc_id: str) -> None:
        aid = entry["id"]
        self.entries[aid] = entry
        self._doc_ids[aid] = doc_id
        if entry.get("body_hash"):
            self.by_body_hash.setdefault(entry["body_hash"], aid)
        ext = (entry.get("meta") or {}).get("external_id")
        if ext:
            self.by_external_id.setdefault(str(ext), []).append(aid)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.entries

    def add_batch(self, entries: list[dict[str, Any]]) -> None:
        """One atomic catalogue write for the whole batch; memory follows only when it succeeded."""
        if not entries:
            return
        doc_ids = self.table.insert_multiple(entries)
        for entry, doc_id in zip(entries, doc_ids, strict=True):
            self._index(dict(entry), str(doc_id))

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
        self.db.storage.write(data)
        for entry in entries:
            old = self.entries[entry["id"]]
            if old.get("body_hash") and self.by_body_hash.get(old["body_hash"]) == entry["id"]:
                del self.by_body_hash[old["body_hash"]]
            self._unindex_external(old)
            self._index(dict(entry), self._doc_ids[entry["id"]])
        for aid in removed:
            old = self.entries.pop(aid)
            del self._doc_ids[aid]
            if old.get("body_hash") and self.by_body_hash.get(old["body_hash"]) == aid:
                del self.by_body_hash[old["body_hash"]]
            self._unindex_external(old)

    def _unindex_external(self, entry: dict[str, Any]) -> None:
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
            for key in ("body", "blocks"):
                ref = entry.get(key)
                if not ref:
                    continue
                pack, offset, length = ref[:3]
                end = int(offset) + int(length)
                if end > needed.get(pack, -1):
                    needed[str(pack)] = end
        return needed

    def close(self) -> None:
        self.db.close()


_META_FIELDS = frozenset(Metadata.__slots__)  # type: ignore[attr-defined]


def _meta(data: dict[str, Any]) -> Metadata:
    """`Metadata.from_json` for the catalogue's compact form, about three times faster: the
    catalogue stores only set fields, so the common entry needs no per-field lookups."""
    if not _META_FIELDS.issuperset(data):
        return Metadata.from_json(data)
    meta = Metadata(**data)
    # Own copies of the lists (a caller may change a summary's); absent ones are fresh already.
    for key in ("authors", "region", "themes"):
        if key in data:
            setattr(meta, key, list(data[key] or ()))
    if "extra" in data:
        meta.extra = dict(data["extra"] or {})
    return meta


def summary_from_entry(entry: dict[str, Any]) -> ArticleSummary:
    get = entry.get
    origin = get("origin") or {}
    return ArticleSummary(
        entry["id"],
        _meta(get("meta") or {}),
        get("format", ""),
        Origin(str(origin.get("path", "")), origin.get("record")),
        get("imported", ""),
        int(get("paragraphs", 0)),
        int(get("boilerplate_blocks", 0)),
        int(get("words", 0)),
        cleaned=not get("pending", False),
    )
