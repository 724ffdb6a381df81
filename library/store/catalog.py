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
        # The storage's parsed data, read directly: wrapping 10,000 documents costs more than parsing.
        raw = self.db.storage.read() or {}
        for entry in (raw.get(TABLE) or {}).values():
            self._index(entry)

    def _index(self, entry: dict[str, Any]) -> None:
        aid = entry["id"]
        self.entries[aid] = entry
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
        self.table.insert_multiple(entries)
        for entry in entries:
            self._index(dict(entry))

    def body_ref(self, article_id: str) -> BodyRef:
        return BodyRef.from_json(self.entries[article_id]["body"])

    def pack_extents(self) -> dict[str, int]:
        """For each pack, how many bytes the catalogue needs it to hold."""
        needed: dict[str, int] = {}
        for entry in self.entries.values():
            pack, offset, length = entry["body"][:3]
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
    )
