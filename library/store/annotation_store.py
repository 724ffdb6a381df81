"""The user's work, bucketed: `annotations/<xx>.json` (TinyDB), xx = first two hex of the article id.

Why buckets: saving one highlight rewrites one small file (about 1/256 of the annotations),
never anything that grows with the library, so a save costs the same at 10 or 10,000 articles.
Each bucket is an `AtomicJSONStorage`, so every save is atomic, durable and backed up.
The document id inside a bucket is the article id read as a hex number, so no search is needed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Document

from library.annotations.model import ArticleAnnotations
from library.store.atomic import AtomicJSONStorage

TABLE = "annotations"
BUCKET_RE = re.compile(r"^([0-9a-f]{2})\.json$")


def bucket_of(article_id: str) -> str:
    key = article_id[:2].lower()
    return key if re.fullmatch(r"[0-9a-f]{2}", key) else "zz"


def doc_id_of(article_id: str) -> int:
    try:
        return int(article_id, 16)
    except ValueError:
        return int.from_bytes(article_id.encode()[:8], "big")


class AnnotationStore:
    def __init__(self, directory: Path, *, read_only: bool, notice: Any) -> None:
        self.dir = Path(directory)
        self.read_only = read_only
        self._notice = notice
        self._dbs: dict[str, TinyDB] = {}
        self._cache: dict[str, dict[str, dict[str, Any]]] = {}  # bucket -> article id -> json

    def _bucket(self, key: str) -> dict[str, dict[str, Any]]:
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        db = self._dbs.get(key)
        if db is None:
            db = TinyDB(
                self.dir / f"{key}.json",
                storage=AtomicJSONStorage,
                read_only=self.read_only,
                notice=self._notice,
                what="annotation bucket",
            )
            self._dbs[key] = db
        table = db.table(TABLE, cache_size=0)
        docs = {str(doc["article_id"]): dict(doc) for doc in table.all()}
        self._cache[key] = docs
        return docs

    def load_all(self) -> None:
        """Read every bucket once (the library list needs all counts)."""
        if not self.dir.is_dir():
            return
        keys = {
            m.group(1) for name in os.listdir(self.dir) if (m := BUCKET_RE.match(name.removesuffix(".bak")))
        }
        for key in sorted(keys):
            self._bucket(key)

    def all_json(self) -> dict[str, dict[str, Any]]:
        self.load_all()
        merged: dict[str, dict[str, Any]] = {}
        for docs in self._cache.values():
            merged.update(docs)
        return merged

    def get(self, article_id: str) -> ArticleAnnotations:
        data = self._bucket(bucket_of(article_id)).get(article_id)
        if data is None:
            return ArticleAnnotations(article_id=article_id)
        return ArticleAnnotations.from_json(data)

    def put(self, annotations: ArticleAnnotations) -> None:
        """One atomic, durable write of the article's bucket."""
        aid = annotations.article_id
        key = bucket_of(aid)
        docs = self._bucket(key)
        table = self._dbs[key].table(TABLE, cache_size=0)
        data = annotations.to_json()
        doc_id = doc_id_of(aid)
        try:
            if aid in docs:
                table.update(data, doc_ids=[doc_id])
            else:
                table.insert(Document(data, doc_id=doc_id))
        except BaseException:
            self._cache.pop(key, None)  # re-read from disk: the write may not have happened
            raise
        docs[aid] = data

    def close(self) -> None:
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()
        self._cache.clear()
