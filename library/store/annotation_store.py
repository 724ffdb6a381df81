"""The user's work, bucketed: `annotations/<xx>.json` (TinyDB), xx = first two hex of the article id.

Why buckets: saving one highlight touches one small file (about 1/256 of the annotations),
never anything that grows with the library, so a save costs the same at 10 or 10,000 articles.
Each bucket is an `AtomicJSONStorage`, so every save is atomic, durable and backed up.
The document id inside a bucket is the article id read as a hex number, so no search is needed.

Why a log beside each bucket (`bucket_log.py`): one article can carry thousands of highlights,
making its bucket megabytes. A change to an article already in the bucket is appended to
`<xx>.log` as a patch of its record (the changed highlights and fields), and the bucket file is
rewritten with the log taken in only when the log has grown to the bucket's size: a write costs
what it changed, amortised. The bucket's `log` table holds the last log entry it took in.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB

from library.annotations.model import ArticleAnnotations
from library.store import patches
from library.store.atomic import (
    AtomicJSONStorage,
    atomic_write_bytes,
    backup_path,
    fsync_dir,
    load_json_recovering,
    move_aside,
)
from library.store.bucket_log import BucketLog
from library.store.errors import StoreCorrupt, StoreReadOnly
from library.store.schema import BUCKET_TABLE, validate_bucket

TABLE = BUCKET_TABLE
BUCKET_RE = re.compile(r"^([0-9a-f]{2}|zz)\.json$")
# Next to the buckets' folder, not in it: which buckets exist, so that a bucket deleted with its
# backup (or the whole folder) is noticed instead of reading as "no annotations".
MANIFEST_NAME = "annotation-buckets.json"
JOURNAL_NAME = "batch.journal"
LOG_TABLE = "log"  # in a bucket file: {"1": {"seq": the last log entry the file holds}}
LOG_MIN_BYTES = 64 * 1024  # a log is taken into its bucket past max(this, the bucket's size)


def _validate_manifest(data: Any) -> None:
    if not isinstance(data, dict) or not isinstance(data.get("buckets"), list):
        raise ValueError("not a list of annotation buckets")
    if not all(isinstance(k, str) and BUCKET_RE.match(f"{k}.json") for k in data["buckets"]):
        raise ValueError("not a list of annotation buckets")


def lost_bucket_message(path: Path) -> str:
    key = path.name.removesuffix(".json")
    return (
        f"{path}: annotation bucket is missing and has no backup (the annotations of the articles "
        f"whose id starts with {key!r} are lost); restore the file, or run `reader check --repair` "
        "to go on without them"
    )


def _file_seq(data: dict[str, Any] | None) -> int:
    """The last log entry a bucket file holds (0: none)."""
    try:
        return int(((data or {}).get(LOG_TABLE) or {}).get("1", {}).get("seq", 0))
    except (TypeError, ValueError, AttributeError):
        return 0


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
        self._logs: dict[str, BucketLog] = {}
        self._seq: dict[str, int] = {}  # bucket -> the last log entry its state holds
        self._bucket_bytes: dict[str, int] = {}
        self._cache: dict[str, dict[str, dict[str, Any]]] = {}  # bucket -> article id -> json
        self.manifest_path = self.dir.parent / MANIFEST_NAME
        self.known: set[str] = self._load_manifest()
        self._overlay: dict[str, dict[str, dict[str, Any]]] = {}  # read-only view of an unfinished batch
        self._parsed: dict[
            str, tuple[dict[str, Any] | None, ArticleAnnotations]
        ] = {}  # id -> (its JSON, parsed)
        self._recover_batch()

    def _on_disk(self) -> set[str]:
        if not self.dir.is_dir():
            return set()
        return {
            m.group(1) for name in os.listdir(self.dir) if (m := BUCKET_RE.match(name.removesuffix(".bak")))
        }

    def _load_manifest(self) -> set[str]:
        try:
            data = load_json_recovering(
                self.manifest_path,
                read_only=self.read_only,
                notice=self._notice,
                validate=_validate_manifest,
                what="list of annotation buckets",
            )
        except StoreCorrupt as err:  # rebuilt from the folder: it only guards against losses
            self._notice(f"{err}; listing the buckets again")
            data = None
        on_disk = self._on_disk()
        known = set(data["buckets"]) if data is not None else set()
        if not known >= on_disk:  # a library from before the list, or a crash before its update
            known |= on_disk
            self._save_manifest(known)
        return known

    def _save_manifest(self, known: set[str]) -> None:
        if self.read_only:
            return
        payload = orjson.dumps({"buckets": sorted(known)})
        atomic_write_bytes(self.manifest_path, payload, keep_backup=True)

    def missing(self) -> list[Path]:
        """Buckets that existed and are gone with their backups (checked at open)."""
        lost = []
        for key in sorted(self.known):
            path = self.dir / f"{key}.json"
            if not path.exists() and not backup_path(path).exists():
                lost.append(path)
        return lost

    def forget_lost(self) -> list[Path]:
        """Accept the loss of the buckets `missing` lists (the user said so: `reader check --repair`)."""
        lost = self.missing()
        if lost:
            self.known -= {p.name.removesuffix(".json") for p in lost}
            self._save_manifest(self.known)
        return lost

    def _bucket(self, key: str) -> dict[str, dict[str, Any]]:
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._overlay:
            self._cache[key] = self._overlay[key]
            return self._overlay[key]
        db = self._dbs.pop(key, None)
        if db is not None:  # read again from disk: its data may hold log entries taken in before
            db.close()
        if True:
            db = TinyDB(
                self.dir / f"{key}.json",
                storage=AtomicJSONStorage,
                read_only=self.read_only,
                notice=self._notice,
                what="annotation bucket",
                validate=validate_bucket,
            )
            self._dbs[key] = db
        data = db.storage.read()
        if key in self.known and data is None:
            raise StoreCorrupt(lost_bucket_message(self.dir / f"{key}.json"))
        table = db.table(TABLE, cache_size=0)
        docs = {str(doc["article_id"]): dict(doc) for doc in table.all()}
        self._take_log(key, data, docs)
        self._cache[key] = docs
        return docs

    def _log(self, key: str) -> BucketLog:
        log = self._logs.get(key)
        if log is None:
            log = self._logs[key] = BucketLog(
                self.dir / f"{key}.log", read_only=self.read_only, notice=self._notice
            )
        return log

    def _take_log(self, key: str, data: dict[str, Any] | None, docs: dict[str, dict[str, Any]]) -> None:
        """Apply the bucket's log (the entries after the last one the file holds) to `docs` and
        to the storage's data, so a later whole write of the bucket holds them too."""
        seq = _file_seq(data)
        try:
            self._bucket_bytes[key] = (self.dir / f"{key}.json").stat().st_size
        except OSError:
            self._bucket_bytes[key] = 0
        log = self._log(key)
        if data is None:  # no bucket: a log left by a bucket given up (`reader check --repair`)
            log.set_aside()
            self._seq[key] = 0
            return
        entries = log.read()
        for entry in entries:
            if entry["seq"] <= seq:
                continue
            aid = entry["article_id"]
            if "patch" in entry:
                base = docs.get(aid) or ArticleAnnotations(aid).to_json()
                record = patches.apply(base, entry["patch"])
            else:
                record = entry["record"]
            docs[aid] = record
            seq = entry["seq"]
            data.setdefault(TABLE, {})[str(doc_id_of(aid))] = record
        self._seq[key] = seq

    def load_all(self) -> None:
        """Read every bucket once (the library list needs all counts)."""
        for key in sorted(self._on_disk() | self.known | set(self._overlay)):
            self._bucket(key)

    def all_json(self) -> dict[str, dict[str, Any]]:
        self.load_all()
        merged: dict[str, dict[str, Any]] = {}
        for docs in self._cache.values():
            merged.update(docs)
        return merged

    def get(self, article_id: str) -> ArticleAnnotations:
        """The article's annotations: a copy of its own, the caller may change it freely."""
        return self._parsed_of(article_id).copy()

    def peek(self, article_id: str) -> ArticleAnnotations:
        """The article's annotations without a copy, for code that only reads them (the pure
        editing rules): shared with the store, so never change what it returns."""
        return self._parsed_of(article_id)

    def get_json(self, article_id: str) -> dict[str, Any] | None:
        """The article's record as stored (None when it has none). Shared with the store: read it,
        never change it (the undo journal keeps it as the state before a change)."""
        return self._bucket(bucket_of(article_id)).get(article_id)

    def _parsed_of(self, article_id: str) -> ArticleAnnotations:
        """The parsed record, kept beside its JSON so a change does not parse thousands of
        highlights again; private to the store (callers get copies)."""
        parsed = self._parsed.get(article_id)
        data = self._bucket(bucket_of(article_id)).get(article_id)
        if parsed is not None and parsed[0] is data:
            return parsed[1]
        ann = ArticleAnnotations.from_json(data) if data is not None else ArticleAnnotations(article_id)
        self._parsed[article_id] = (data, ann)
        return ann

    def put(self, annotations: ArticleAnnotations) -> dict[str, Any]:
        """One atomic, durable write of the article's bucket; returns the record as written (shared
        with the store, like `get_json`).

        Highlights equal to the stored ones keep their stored JSON, so a change to one highlight of
        thousands converts one highlight, not all of them (the file is still written whole)."""
        aid = annotations.article_id
        key = bucket_of(aid)
        docs = self._bucket(key)
        old = self._parsed_of(aid)
        old_json = docs.get(aid)
        old_list = old.highlights if old_json is not None else []
        old_hjson = old_json.get("highlights", []) if old_json is not None else []
        where: dict[str, int] | None = None  # id -> old position, made only when the order differs
        kept: list[Any] = []
        highlights_json: list[dict[str, Any]] = []
        j = 0
        for h in annotations.highlights:
            if not (j < len(old_list) and old_list[j].id == h.id):
                if where is None:
                    where = {x.id: i for i, x in enumerate(old_list)}
                j = where.get(h.id, -1)
            if j >= 0 and (old_list[j] is h or old_list[j] == h):  # the rules share unchanged ones
                kept.append(old_list[j])
                highlights_json.append(old_hjson[j])
            else:
                kept.append(h.copy())
                highlights_json.append(h.to_json())
            j = j + 1 if j >= 0 else len(old_list)
        mine = dataclasses.replace(annotations, highlights=[]).copy()
        data = {**mine.to_json(), "highlights": highlights_json}
        mine.highlights = kept
        self._write_record(key, aid, data, old_json)
        docs[aid] = data
        self._parsed[aid] = (data, mine)
        if key not in self.known:  # after the bucket: a crash between leaves it found by listing
            self.known.add(key)
            self._save_manifest(self.known)
        return data

    def _write_record(
        self, key: str, aid: str, data: dict[str, Any], old: dict[str, Any] | None = None
    ) -> None:
        """Save the article's record: appended to the bucket's log as a patch from `old` (the
        record the store held) when the bucket file exists, else (or when the log has grown to
        the bucket's size) the bucket written whole with the log taken in. The record is
        replaced, not updated in place, so a record handed out earlier never changes."""
        storage = self._dbs[key].storage
        try:
            current = storage.read()
            log = self._log(key)
            if current is not None and log.size + 4096 < max(LOG_MIN_BYTES, self._bucket_bytes.get(key, 0)):
                both = patches.diff(old, data) if old is not None else None
                seq = self._seq.get(key, 0) + 1
                entry: dict[str, Any] = {"seq": seq, "article_id": aid}
                if both is not None:
                    entry["patch"] = both[0]
                else:
                    entry["record"] = data
                log.append(entry)
                self._seq[key] = seq
                current.setdefault(TABLE, {})[str(doc_id_of(aid))] = data
                return
            current = current or {}
            table = {**(current.get(TABLE) or {}), str(doc_id_of(aid)): data}
            self._write_bucket(key, {**current, TABLE: table})
        except BaseException:
            self._forget(key, aid)  # re-read from disk: the write may not have happened
            raise

    def _write_bucket(self, key: str, data: dict[str, Any]) -> None:
        """Write the bucket whole, holding every log entry so far; then the log goes."""
        seq = self._seq.get(key, 0)
        if seq:
            data = {**data, LOG_TABLE: {"1": {"seq": seq}}}
        self._dbs[key].storage.write(data)
        try:
            self._bucket_bytes[key] = (self.dir / f"{key}.json").stat().st_size
        except OSError:
            self._bucket_bytes[key] = 0
        self._log(key).remove()

    def _forget(self, key: str, aid: str | None = None) -> None:
        """Drop what is known of the bucket, so it is read again from disk (bucket and log)."""
        self._cache.pop(key, None)
        if aid is not None:
            self._parsed.pop(aid, None)
        db = self._dbs.pop(key, None)
        if db is not None:
            db.close()
        self._logs.pop(key, None)

    # --- batches: all or nothing across a crash -------------------------------------------------
    def put_batch(self, items: list[ArticleAnnotations]) -> None:
        """Save many articles' annotations so that after a crash at any moment either all of them
        or none are in the store.

        Why a journal: the articles lie in many buckets and each bucket is its own file, so a
        crash between two bucket writes would leave part of the batch. The new content of every
        touched bucket is first written to one journal file (atomically: its rename is the commit
        point), then the buckets are written, then the journal is removed. A journal found at the
        next open is finished (or, read-only, read as if it were); one never renamed into place
        leaves only a temporary file, which the next writer removes.
        """
        if self.read_only:
            raise StoreReadOnly(f"{self.dir}: library is open read-only")
        by_key: dict[str, list[ArticleAnnotations]] = {}
        for ann in items:
            by_key.setdefault(bucket_of(ann.article_id), []).append(ann)
        if not by_key:
            return
        contents: dict[str, dict[str, Any]] = {}
        for key, anns in by_key.items():
            self._bucket(key)  # loaded (and checked) before anything is written
            current = self._dbs[key].storage.read() or {}
            table = {**(current.get(TABLE) or {})}
            for ann in anns:
                table[str(doc_id_of(ann.article_id))] = ann.to_json()
            contents[key] = {**current, TABLE: table}
        self.dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(self.journal_path, orjson.dumps({"buckets": contents}))
        self._apply(contents)
        self.journal_path.unlink()
        fsync_dir(self.dir)

    @property
    def journal_path(self) -> Path:
        return self.dir / JOURNAL_NAME

    def _apply(self, contents: dict[str, dict[str, Any]]) -> None:
        for key, data in contents.items():
            if key not in self._dbs:
                self._bucket(key)
            try:
                self._write_bucket(key, data)
            finally:
                self._cache.pop(key, None)  # re-read from the storage's data (or the disk)
        new = set(contents) - self.known
        if new:
            self.known |= new
            self._save_manifest(self.known)

    def _recover_batch(self) -> None:
        """Finish (or, read-only, show) a batch a crash interrupted after its commit point."""
        path = self.journal_path
        if not path.exists():
            return
        try:
            data = orjson.loads(path.read_bytes())
            contents = data["buckets"]
            if not isinstance(contents, dict):
                raise ValueError("no buckets")
            for key, bucket in contents.items():
                if not BUCKET_RE.match(f"{key}.json"):
                    raise ValueError(f"bad bucket name {key!r}")
                validate_bucket(bucket)
        except (OSError, ValueError, KeyError, TypeError) as err:
            reason = err.strerror if isinstance(err, OSError) else str(err)
            if self.read_only:
                self._notice(f"{path}: an interrupted batch of annotations cannot be read ({reason})")
                return
            kept = move_aside(path)
            self._notice(
                f"{path}: an interrupted batch of annotations cannot be read ({reason}); "
                f"kept as {kept.name}, the batch may be partly saved"
            )
            return
        if self.read_only:
            self._overlay = {
                key: {str(d["article_id"]): dict(d) for d in bucket[TABLE].values()}
                for key, bucket in contents.items()
            }
            self._notice(
                f"{path}: a batch of annotations was interrupted; showing it as saved (open for writing to finish it)"
            )
            return
        self._apply(contents)
        path.unlink()
        fsync_dir(self.dir)
        self._notice(f"{path}: finished saving a batch of annotations that a crash interrupted")

    def close(self) -> None:
        for db in self._dbs.values():
            db.close()
        self._dbs.clear()
        self._logs.clear()
        self._cache.clear()
        self._parsed.clear()
