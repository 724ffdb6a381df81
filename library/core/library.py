"""`Library`: the one object that owns the store and serialises every write.

API CONTRACT: the app (`reader/`) and the CLI use only this class. Why one object: TinyDB is
not safe for concurrent use, so every read and write goes through here under one lock, and the
process holds the directory's writer lock for as long as the library is open for writing.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter
from pathlib import Path
from typing import Any

import orjson

from library.annotations.model import (
    CONTEXT_CHARS,
    ArticleAnnotations,
    ArticleTag,
    Highlight,
    new_id,
    now_iso,
)
from library.annotations.schemes import SCOPE_ARTICLE, SCOPE_SPAN
from library.annotations.work_state import state_of_json
from library.cleaning.parsers import TEXT_FORMATS
from library.core.labelling import LabellingMixin
from library.model import (
    PARAGRAPH_SEPARATOR,
    REASON_USER,
    Article,
    ArticleSummary,
    Block,
    Metadata,
    Origin,
    ParsedArticle,
    SourceArticle,
)
from library.store.annotation_store import AnnotationStore
from library.store.atomic import atomic_write_bytes, backup_path, load_json_recovering
from library.store.bodies import BodyPacks
from library.store.catalog import TABLE as CATALOG_TABLE
from library.store.catalog import Catalog, summary_from_entry
from library.store.errors import StoreCorrupt, StoreError, StoreReadOnly
from library.store.history import History
from library.store.lock import WriterLock
from library.store.search import SearchIndex
from library.store.sitemodel import SiteModel, site_key

ENV_VAR = "READER_DB"


def default_store_path() -> Path:
    """$READER_DB if set, else the user data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("newsnotes-reader", appauthor=False) / "library"


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # new article ids
    unchanged: list[str] = field(default_factory=list)  # ids already in the store with identical source
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (origin label, existing id, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin label, reason)
    pending: int = 0  # of `imported`, how many are stored but not cleaned yet (see `clean_pending`)

    def absorb(self, cleaning: CleanReport) -> None:
        """Fold in what cleaning the import found: the duplicates and failures it removed are
        reported as the import would have reported them, and are no longer `imported`."""
        removed = set(cleaning.removed)
        self.imported = [aid for aid in self.imported if aid not in removed]
        self.duplicates.extend(cleaning.duplicates)
        self.failed.extend(cleaning.failed)


@dataclass
class CleanReport:
    cleaned: list[str] = field(default_factory=list)  # ids now cleaned
    # Removed: the same body as an article already in the library: (origin label, kept id, why).
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # removed: (origin label, reason)
    removed: list[str] = field(default_factory=list)  # ids of the duplicates and failures removed


SCHEMA_VERSION = 1
META_NAME = "meta.json"
CATALOG_NAME = "catalog.json"
BODIES_DIR = "bodies"
ANNOTATIONS_DIR = "annotations"
HISTORY_NAME = "history.jsonl"
SITES_NAME = "sites.json"
ARTICLE_CACHE = 64
MIN_BATCH = 500
CLEAN_BATCH = 500
GC_FREEZE_MIN = 2_000


def origin_label(origin: Origin) -> str:
    return origin.path if origin.record is None else f"{origin.path}#{origin.record}"


@contextlib.contextmanager
def _no_gc_pauses(size: Callable[[], int]) -> Iterator[None]:
    """Build many long-lived objects without the cyclic collector rescanning them meanwhile.

    Why: loading a 10,000-article catalogue or its summaries creates a few hundred thousand
    small objects, and the collections they trigger walk all of them again, three times over
    as they age: about 200 ms of a 550 ms start-up. The collector is paused while they are
    built; for a large library (`size()` at least `GC_FREEZE_MIN` articles) everything alive is
    then moved out of its reach (`gc.freeze`), as long-running programs do after start-up.
    Reference counting still frees those objects as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if size() >= GC_FREEZE_MIN:
                gc.freeze()
            gc.enable()


_RUN_FIELDS = attrgetter("clean", "source", "length")


def _block_json(block: Block) -> dict[str, Any]:
    """`Block.to_json` without a list per run (orjson writes tuples as the same arrays)."""
    return {
        "text": block.text,
        "runs": list(map(_RUN_FIELDS, block.runs)),
        "reason": block.reason,
        "fingerprint": block.fingerprint,
    }


def zip_batches(
    batches: Iterator[tuple[list[str], list[SourceArticle]]],
    run: Callable[[Iterator[list[SourceArticle]]], Iterator[list[Any]]],
) -> Iterator[tuple[list[str], list[SourceArticle], list[Any]]]:
    """(ids, articles, results) for each batch of `batches`, the results from `run`, which
    consumes the articles itself (a batch ahead). The batches it has taken are remembered in
    order so each result meets its own batch."""
    seen: list[tuple[list[str], list[SourceArticle]]] = []

    def tap() -> Iterator[list[SourceArticle]]:
        for ids, items in batches:
            seen.append((ids, items))
            yield items

    for results in run(tap()):
        ids, items = seen.pop(0)
        yield ids, items, results


def _repetition_threshold() -> Callable[[int], int] | None:
    """The site rule's threshold (articles a block must recur in), when the rule publishes it."""
    try:
        from library.cleaning.boilerplate import repetition_threshold
    except ImportError:
        return None
    return repetition_threshold


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _whole_file(fmt: str) -> bool:
    """Whether an article of this format has the whole file as its source (a text file, its
    format detected at cleaning when ""), rather than a record's body without its fields."""
    return fmt == "" or fmt in TEXT_FORMATS


def _compact_meta(meta_json: dict[str, Any]) -> dict[str, Any]:
    """The catalogue keeps only the fields that are set."""
    return {k: v for k, v in meta_json.items() if v not in (None, [], {}, "")}


def _cleaned_fields(item: ParsedArticle) -> dict[str, Any]:
    """The catalogue fields that only a full parse gives (counts, the body's hash, the site)."""
    body_blocks = [b.text for b in item.blocks if b.is_body]
    body = PARAGRAPH_SEPARATOR.join(body_blocks)
    return {
        "meta": _compact_meta(item.meta.to_json()),
        "format": item.format,
        "paragraphs": len(body_blocks),
        "boilerplate_blocks": len(item.blocks) - len(body_blocks),
        "words": len(body.split()),
        "body_hash": _sha(body)[:16] if body.strip() else "",
        "site": site_key(item.meta, item.origin),
    }


def _blocks_pack(entry: dict[str, Any]) -> str | None:
    """The pack whose line holds the entry's blocks (None while it is pending).

    Articles cleaned at import keep their blocks on the same line as their source; articles
    cleaned after import (`Library.clean_pending`) have a line of their own under "blocks"."""
    if entry.get("blocks"):
        return str(entry["blocks"][0])
    if entry.get("pending"):
        return None
    return str(entry["body"][0])


class Library(LabellingMixin):
    """A library directory opened for reading, or for writing under an exclusive process lock.

    Layout: `meta.json` (schema version), `catalog.json` (TinyDB: one small document per article),
    `bodies/pack-NNNNNN.jsonl` (write-once article texts and blocks), `annotations/<xx>.json`
    (TinyDB buckets of the user's work), `history.jsonl` (undo journal) and `lock`.
    All methods are serialised by one re-entrant lock, so the app may call them from workers.
    """

    path: Path
    read_only: bool
    notices: list[str]  # one-line messages for the user (recovered from backup, opened read-only, ...)
    annotator: str  # recorded on new highlights and tags; the CLI and app set it after open

    def __init__(self, path: Path, *, read_only: bool, writer_lock: WriterLock | None) -> None:
        """Use `Library.open`."""
        self.path = path
        self.read_only = read_only
        self.notices = []
        self.annotator = ""
        self._lock = threading.RLock()
        self._cleaning = threading.Lock()
        self._writer_lock = writer_lock
        self._closed = False
        self._raw_cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._search = SearchIndex()
        self._sites: SiteModel | None = None  # loaded on first use: listing does not need it
        try:
            with _no_gc_pauses(lambda: len(getattr(self, "_catalog", ()))):
                self._load()
        except BaseException:
            if writer_lock is not None:
                writer_lock.release()
            raise

    # --- opening ------------------------------------------------------------------------
    @classmethod
    def open(
        cls, path: Path | None = None, *, read_only: bool = False, wait_for_lock: bool = False
    ) -> Library:
        """Open (creating if needed). Raises StoreLocked when another writer holds it and read_only is
        False; the caller may then retry with read_only=True. Raises StoreCorrupt when a damaged file
        has no good backup."""
        path = Path(path) if path is not None else default_store_path()
        path = path.expanduser()
        if path.exists() and not path.is_dir():
            raise StoreError(f"{path}: not a library directory (it is a file)")
        lock = None
        if not read_only:
            try:
                path.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(
                    f"{path}: cannot create the library directory ({err.strerror or err})"
                ) from None
            lock = WriterLock(path)
            lock.acquire(wait=wait_for_lock)
        return cls(path, read_only=read_only, writer_lock=lock)

    def _notice(self, message: str) -> None:
        self.notices.append(message)

    def _load(self) -> None:
        meta_path = self.path / META_NAME
        catalog_path = self.path / CATALOG_NAME
        meta = load_json_recovering(
            meta_path, read_only=self.read_only, notice=self._notice, what="library header"
        )
        if meta is not None:
            version = meta.get("schema_version") if isinstance(meta, dict) else None
            if not isinstance(version, int):
                raise StoreCorrupt(f"{meta_path}: library header has no schema version")
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{meta_path}: library format version {version} is newer than this program supports "
                    f"({SCHEMA_VERSION}); upgrade newsnotes-reader"
                )
            if not catalog_path.exists() and not backup_path(catalog_path).exists():
                raise StoreCorrupt(f"{catalog_path}: the catalogue is missing and has no backup")
        elif not self.read_only:
            if not catalog_path.exists() and not backup_path(catalog_path).exists():
                atomic_write_bytes(catalog_path, orjson.dumps({CATALOG_TABLE: {}}), keep_backup=True)
            header = orjson.dumps({"schema_version": SCHEMA_VERSION, "created": now_iso()})
            atomic_write_bytes(meta_path, header, keep_backup=True)
        self._catalog = Catalog(catalog_path, read_only=self.read_only, notice=self._notice)
        self._packs = BodyPacks(self.path / BODIES_DIR, read_only=self.read_only, notice=self._notice)
        self._packs.check_sizes(self._catalog.pack_extents())
        self._ann = AnnotationStore(
            self.path / ANNOTATIONS_DIR, read_only=self.read_only, notice=self._notice
        )
        self._history = History(self.path / HISTORY_NAME, read_only=self.read_only, notice=self._notice)
        self._load_scheme()  # the label scheme this library remembers (library/core/labelling.py)

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._packs.close()
                self._catalog.close()
                self._ann.close()
            finally:
                if self._writer_lock is not None:
                    self._writer_lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: library is closed")
        if self.read_only:
            raise StoreReadOnly(
                f"{self.path}: library is open read-only (another reader process may hold it); nothing was changed"
            )

    def _require(self, article_id: str) -> dict[str, Any]:
        entry = self._catalog.entries.get(article_id)
        if entry is None:
            raise KeyError(f"no article with id {article_id!r} in {self.path}")
        return entry

    # --- articles -----------------------------------------------------------------------
    def add_articles(
        self,
        items: Iterable[ParsedArticle | SourceArticle],
        *,
        progress: Callable[[int], None] | None = None,
        batch_size: int | None = None,
    ) -> ImportReport:
        """Store parsed articles in batches (one catalogue write and one body-pack write per batch).

        `progress(done)` is called with the number of items handled so far. A batch is durable
        once its catalogue write returns; a crash mid-import loses at most the batch in flight.
        By default a batch is 500 articles, or half the catalogue when that is more: each batch
        rewrites the whole catalogue, so a fixed size would make a large import quadratic.

        A `SourceArticle` is stored as it is (its text and header metadata) and marked pending:
        it is listed and can be opened at once (opening cleans it in memory), and
        `clean_pending` cleans and stores it later. Cleaning is most of the cost of an import,
        so this is what lets a large folder be imported at close to the speed of copying it.
        Duplicate bodies of pending articles are found when they are cleaned.
        """
        report = ImportReport()
        batch: list[tuple[dict[str, Any], bytes, list[str]]] = []
        pending_ids: dict[str, dict[str, Any]] = {}
        pending_bodies: dict[str, str] = {}
        done = 0
        stamp = now_iso()  # one import, one time
        with self._lock:
            self._check_writable()
            for item in items:
                done += 1
                label = origin_label(item.origin)
                try:
                    outcome = self._prepare(item, label, pending_ids, pending_bodies, stamp)
                except Exception as err:  # one bad article must not stop the import
                    report.failed.append((label, f"cannot store: {err}"))
                    outcome = None
                if outcome is None:
                    pass
                elif outcome[0] == "unchanged":
                    report.unchanged.append(outcome[1])
                elif outcome[0] == "duplicate":
                    report.duplicates.append((label, outcome[1][0], outcome[1][1]))
                else:
                    entry = outcome[1][0]
                    batch.append(outcome[1])
                    pending_ids[entry["id"]] = entry
                    if entry.get("body_hash"):
                        pending_bodies[entry["body_hash"]] = entry["id"]
                    if entry.get("pending"):
                        report.pending += 1
                limit = batch_size or max(MIN_BATCH, len(self._catalog) // 2)
                if len(batch) >= limit:
                    self._write_batch(batch, report)
                    batch, pending_ids, pending_bodies = [], {}, {}
                if progress is not None:
                    progress(done)
            self._write_batch(batch, report)
            self._packs.wait_copies()
        return report

    def _prepare(
        self,
        item: ParsedArticle | SourceArticle,
        label: str,
        pending_ids: dict[str, dict[str, Any]],
        pending_bodies: dict[str, str],
        stamp: str,
    ) -> tuple[str, Any]:
        """("new", (entry, pack line, fingerprints)), ("unchanged", id) or ("duplicate", (id, why))."""
        source_hash = _sha(item.source_text)
        aid = source_hash[:16]
        meta_json = item.meta.to_json()
        existing = self._catalog.entries.get(aid) or pending_ids.get(aid)
        if existing is not None:
            if _whole_file(item.format) and _whole_file(existing.get("format", "")):
                # The id hashes the whole file, title included: the same file again. (A text
                # file's title may be provisional on one side and parsed on the other.)
                return ("unchanged", aid)
            old = existing.get("meta") or {}
            if old.get("title") == meta_json.get("title") and old.get("url") == meta_json.get("url"):
                return ("unchanged", aid)
            return ("duplicate", (aid, f"same text as article {aid} under another title or URL"))
        entry: dict[str, Any] = {
            "id": aid,
            "meta": _compact_meta(meta_json),
            "format": item.format,
            "origin": item.origin.to_json(),
            "imported": stamp,
        }
        if isinstance(item, SourceArticle):
            # One line per article, fails here for this article alone if it cannot be stored.
            line = orjson.dumps({"id": aid, "source": item.source_text})
            entry["pending"] = True  # its site (for the site model) is found when it is cleaned
            return ("new", (entry, line, []))
        fields = _cleaned_fields(item)
        body_hash = fields["body_hash"]
        if body_hash:
            other = self._catalog.by_body_hash.get(body_hash) or pending_bodies.get(body_hash)
            if other is not None:
                return ("duplicate", (other, f"same body as article {other} under another title or URL"))
        record = {"id": aid, "source": item.source_text, "blocks": [_block_json(b) for b in item.blocks]}
        line = orjson.dumps(record)
        entry.update(fields)
        return ("new", (entry, line, [b.fingerprint for b in item.blocks]))

    def _write_batch(
        self, batch: list[tuple[dict[str, Any], bytes, list[str]]], report: ImportReport
    ) -> None:
        if not batch:
            return
        sites = self._site_model()
        refs = self._packs.write_lines([line for _, line, _ in batch])
        entries = []
        for (entry, _, _), ref in zip(batch, refs, strict=True):
            entries.append({**entry, "body": ref.to_json()})
        self._catalog.add_batch(entries)
        report.imported.extend(e["id"] for e in entries)
        counted = [(entry["site"], fps) for entry, _, fps in batch if not entry.get("pending")]
        if counted:  # pending articles are counted when they are cleaned
            for site, fingerprints in counted:
                sites.add(site, fingerprints)
            sites.packs.add(refs[0].pack)
            self._save_sites()

    def _site_model(self) -> SiteModel:
        """The site counts, loaded on first use; packs it has not counted yet are counted now."""
        if self._sites is not None:
            return self._sites
        path = self.path / SITES_NAME
        try:
            data = load_json_recovering(
                path,
                read_only=self.read_only,
                notice=self._notice,
                validate=SiteModel.from_json,
                what="site model",
            )
            model = SiteModel.from_json(data) if data is not None else SiteModel()
        except StoreCorrupt as err:  # derived data: count it again rather than refuse to open
            self._notice(f"{err}; counting it again from the body packs")
            model = SiteModel()
        by_pack: dict[str, list[str]] = {}
        for aid, entry in self._catalog.entries.items():
            pack = _blocks_pack(entry)
            if pack is not None:
                by_pack.setdefault(pack, []).append(aid)
        if model.packs - set(by_pack):  # counts articles the catalogue does not have: start over
            model = SiteModel()
        missing = [pack for pack in by_pack if pack not in model.packs]
        for pack in missing:
            for aid in by_pack[pack]:
                model.add(
                    self._catalog.entries[aid].get("site", ""),
                    (b.get("fingerprint", "") for b in self._stored_blocks(aid)),
                )
            model.packs.add(pack)
        self._sites = model
        if missing:
            self._save_sites()
        return model

    def _save_sites(self) -> None:
        if self.read_only or self._sites is None:
            return
        path = self.path / SITES_NAME
        try:
            atomic_write_bytes(path, orjson.dumps(self._sites.to_json()), keep_backup=True)
        except OSError as err:  # rebuilt from the packs at the next open
            self._notice(f"{path}: could not save the site model ({err.strerror or err})")

    # --- cleaning what an import stored unparsed ---------------------------------------------
    def pending_ids(self) -> list[str]:
        """Ids of articles stored but not cleaned yet, in import order."""
        with self._lock:
            return [aid for aid, entry in self._catalog.entries.items() if entry.get("pending")]

    def clean_pending(
        self,
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        workers: int | None = None,
        batch_size: int | None = None,
    ) -> CleanReport:
        """Clean every pending article and store the result, a batch per catalogue write.

        Meant for a background thread as well as the command line: the library lock is held
        only to read a batch's texts and to store its results, never while cleaning, and
        `stop()` is asked between batches. `progress(done, total)` follows each batch. A batch
        is 500 articles, or a tenth of the catalogue up to 2,000 (each batch rewrites the whole
        catalogue; a fixed size would make cleaning a large library quadratic). An
        article whose body turns out to be the same as one already in the library is removed
        (as an import would have refused it), unless the user has annotated it meanwhile.
        """
        from library.cleaning.parallel import clean_batches

        report = CleanReport()
        with self._cleaning:  # one cleaner at a time; others find nothing left to do
            with self._lock:
                self._check_writable()
                ids = self.pending_ids()
            if not ids:
                return report
            done = 0
            if batch_size is None:
                batch_size = min(max(CLEAN_BATCH, len(self._catalog) // 10), 4 * CLEAN_BATCH)

            def batches() -> Iterator[tuple[list[str], list[SourceArticle]]]:
                for start in range(0, len(ids), batch_size):
                    if (stop is not None and stop()) or self._closed:
                        return
                    with self._lock:  # released before the batch goes to be cleaned
                        if self._closed:  # closed meanwhile (the app is quitting): stop quietly
                            return
                        part = [a for a in ids[start : start + batch_size] if self._is_pending(a)]
                        batch = [
                            self._source_article(self._catalog.entries[a], self._source(a)) for a in part
                        ]
                    yield part, batch

            for part, items, results in zip_batches(batches(), lambda b: clean_batches(b, len(ids), workers)):
                with self._lock:
                    if self._closed:
                        break
                    self._store_cleaned(part, items, results, report)
                done += len(items)
                if progress is not None:
                    progress(done, len(ids))
            self._packs.wait_copies()
        return report

    def _is_pending(self, article_id: str) -> bool:
        entry = self._catalog.entries.get(article_id)
        return entry is not None and bool(entry.get("pending"))

    def _source(self, article_id: str) -> str:
        cached = self._raw_cache.get(article_id)
        if cached is not None:
            return str(cached["source"])
        return str(self._packs.read(self._catalog.body_ref(article_id))["source"])

    def _store_cleaned(
        self, ids: list[str], items: list[SourceArticle], results: list[Any], report: CleanReport
    ) -> None:
        """One blocks pack, one catalogue write and one site-model write for a cleaned batch."""
        updated: list[dict[str, Any]] = []
        lines: list[bytes] = []
        fingerprints: list[list[str]] = []
        removed: list[str] = []
        bodies: dict[str, str] = {}
        for aid, item, result in zip(ids, items, results, strict=True):
            entry = self._catalog.entries.get(aid)
            if entry is None or not entry.get("pending"):
                continue  # gone or cleaned meanwhile
            label = origin_label(item.origin)
            kept = not self._ann.get(aid).is_empty()
            if isinstance(result, str):
                if kept:  # the user's work stays; the article stays pending
                    report.failed.append((label, f"{result} (kept: it has annotations)"))
                    continue
                report.failed.append((label, result))
                removed.append(aid)
                continue
            fields = _cleaned_fields(result)
            body_hash = fields["body_hash"]
            other = (
                (self._catalog.by_body_hash.get(body_hash) or bodies.get(body_hash)) if body_hash else None
            )
            if other is not None and other != aid and not kept:
                why = f"same body as article {other} under another title or URL"
                report.duplicates.append((label, other, why))
                removed.append(aid)
                continue
            if body_hash:
                bodies.setdefault(body_hash, aid)
            new = {k: v for k, v in entry.items() if k != "pending"}
            new.update(fields)
            updated.append(new)
            lines.append(orjson.dumps({"id": aid, "blocks": [_block_json(b) for b in result.blocks]}))
            fingerprints.append([b.fingerprint for b in result.blocks])
        refs = self._packs.write_lines(lines) if lines else []
        for new, ref in zip(updated, refs, strict=True):
            new["blocks"] = ref.to_json()
        self._catalog.replace_batch(updated, removed)
        report.removed.extend(removed)
        for aid in [e["id"] for e in updated] + removed:
            self._raw_cache.pop(aid, None)
        report.cleaned.extend(e["id"] for e in updated)
        if updated:
            sites = self._site_model()
            for new, fps in zip(updated, fingerprints, strict=True):
                sites.add(new["site"], fps)
            sites.packs.add(refs[0].pack)
            self._save_sites()

    def __len__(self) -> int:
        return len(self._catalog)

    def ids(self) -> list[str]:
        """Every article id, in import order."""
        return list(self._catalog.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._catalog

    def summaries(self) -> list[ArticleSummary]:
        with self._lock, _no_gc_pauses(self.__len__):
            notes = self._ann.all_json()
            who = self.annotator
            return [self._summary(entry, notes.get(aid), who) for aid, entry in self._catalog.entries.items()]

    def summary(self, article_id: str) -> ArticleSummary:
        with self._lock:
            entry = self._require(article_id)
            return self._summary(entry, self._ann.get(article_id).to_json(), self.annotator)

    @staticmethod
    def _summary(entry: dict[str, Any], ann: dict[str, Any] | None, annotator: str = "") -> ArticleSummary:
        summary = summary_from_entry(entry)
        if ann:
            summary.state = state_of_json(ann, annotator)  # work state of the library's annotator
            summary.tags = list(dict.fromkeys(str(t.get("tag", "")) for t in ann.get("tags", [])))
            summary.highlights = len(ann.get("highlights", []))
            summary.read = bool(ann.get("read", False))
        return summary

    def resolve_id(self, prefix: str) -> str:
        """Full id from a unique prefix or an external id; KeyError with a message otherwise."""
        with self._lock:
            key = prefix.strip()
            entries = self._catalog.entries
            if key in entries:
                return key
            external = self._catalog.by_external_id.get(key, [])
            if len(external) == 1:
                return external[0]
            low = key.lower()
            matches = [aid for aid in entries if aid.startswith(low)] if low else []
            if len(matches) == 1:
                return matches[0]
            if len(matches) > 1 or len(external) > 1:
                count = max(len(matches), len(external))
                raise KeyError(f"{prefix!r} matches {count} articles; give more of the id")
            raise KeyError(f"no article with id {prefix!r} in {self.path}")

    def _raw(self, article_id: str) -> dict[str, Any]:
        """{"source", "blocks"} of an article (plus "meta" and "format" when it was cleaned just
        now because it is pending); the last few are cached."""
        cached = self._raw_cache.get(article_id)
        if cached is not None:
            self._raw_cache.move_to_end(article_id)
            return cached
        entry = self._catalog.entries[article_id]
        raw = self._packs.read(self._catalog.body_ref(article_id))
        blocks_ref = self._catalog.blocks_ref(article_id)
        if blocks_ref is not None:
            raw["blocks"] = self._packs.read(blocks_ref)["blocks"]
        elif entry.get("pending"):
            parsed = self._clean_now(entry, raw["source"])
            raw["blocks"] = [_block_json(b) for b in parsed.blocks]
            raw["meta"] = _compact_meta(parsed.meta.to_json())
            raw["format"] = parsed.format
        self._raw_cache[article_id] = raw
        if len(self._raw_cache) > ARTICLE_CACHE:
            self._raw_cache.popitem(last=False)
        return raw

    @staticmethod
    def _source_article(entry: dict[str, Any], source: str) -> SourceArticle:
        origin = entry.get("origin") or {}
        return SourceArticle(
            source_text=source,
            meta=Metadata.from_json(entry.get("meta") or {}),
            format=entry.get("format", ""),
            origin=Origin(str(origin.get("path", "")), origin.get("record")),
        )

    def _clean_now(self, entry: dict[str, Any], source: str) -> ParsedArticle:
        """A pending article cleaned in memory (it is stored by `clean_pending`)."""
        from library.cleaning.parallel import clean_one

        result = clean_one(self._source_article(entry, source))
        if isinstance(result, str):
            raise StoreError(f"article {entry['id']}: {result}")
        return result

    def _stored_blocks(self, article_id: str) -> list[dict[str, Any]]:
        return list(self._raw(article_id)["blocks"])

    def _base_blocks(self, entry: dict[str, Any], raw: dict[str, Any]) -> list[Block]:
        """Blocks as the parser and the site model classify them (before the user's flips)."""
        blocks = [Block.from_json(b) for b in raw["blocks"]]
        return self._site_model().classify(entry.get("site", ""), blocks)

    @staticmethod
    def _apply_flips(blocks: list[Block], flips: dict[int, bool]) -> None:
        for index, to_body in flips.items():
            if 0 <= index < len(blocks):
                block = blocks[index]
                if to_body:
                    block.reason = None
                elif block.reason is None:
                    block.reason = REASON_USER

    def article(self, article_id: str) -> Article:
        """The article with blocks classified by parser, site repetition and the user's flips."""
        with self._lock:
            entry = self._require(article_id)
            raw = self._raw(article_id)
            blocks = self._base_blocks(entry, raw)
            self._apply_flips(blocks, self._ann.get(article_id).flips)
            origin = entry.get("origin") or {}
            return Article(
                id=article_id,
                meta=Metadata.from_json(raw.get("meta") or entry.get("meta") or {}),
                source_text=raw["source"],
                blocks=blocks,
                format=raw.get("format") or entry.get("format", ""),
                origin=Origin(str(origin.get("path", "")), origin.get("record")),
            )

    def search(self, query: str, ids: Iterable[str] | None = None) -> list[str]:
        """Ids of articles whose title or body contains every word of `query` (case-insensitive)."""
        with self._lock:
            entries = self._catalog.entries
            wanted = list(entries) if ids is None else [aid for aid in ids if aid in entries]
            return self._search.search(query, wanted, self._search_stamp, self._search_texts)

    def prepare_search(self, chunk: int = 250) -> None:
        """Build the search index for the whole library now, so that the first search of a session
        is as fast as later ones. Meant for a background thread at start-up: the lock is taken one
        chunk at a time, so the app's own calls wait at most one chunk."""
        with self._lock:
            ids = self.ids()
        for start in range(0, len(ids), chunk):
            with self._lock:
                if self._closed:
                    return
                part = [aid for aid in ids[start : start + chunk] if aid in self._catalog]
                self._search.refresh(part, self._search_stamp, self._search_texts)

    def _search_stamp(self, article_id: str) -> object:
        entry = self._catalog.entries[article_id]
        if entry.get("pending"):
            return "pending"  # indexed from its source text until it is cleaned
        return self._site_model().articles.get(entry.get("site", ""), 0)

    def _search_texts(self, ids: list[str]) -> Iterable[tuple[str, str]]:
        """(id, title + body) for `ids`, reading each pack file once.

        Why not `article()`: building Block objects and re-running the site rule for every block of
        10,000 articles is most of a cold search. The site rule judges each block on its own (its
        text, its fingerprint's count, the site's size), so a block the parser kept is body when its
        fingerprint is below the rule's threshold, and otherwise the rule's verdict is asked once
        per distinct (site, text) and reused. Articles with flips take the exact `article()` path.
        An article not cleaned yet is searched in its whole source text (boilerplate included)
        rather than cleaned here, which for a fresh import of thousands would make the first
        search take as long as the cleaning; its stamp changes when it is cleaned.
        """
        notes = self._ann.all_json()
        sites = self._site_model()
        threshold_of = _repetition_threshold()
        verdicts: dict[tuple[str, str, str], bool] = {}
        by_pack: dict[str | None, list[str]] = {}
        for aid in ids:
            by_pack.setdefault(_blocks_pack(self._catalog.entries[aid]), []).append(aid)
        for pack, pack_ids in by_pack.items():
            try:
                data = self._packs.pack_bytes(pack) if pack is not None else b""
            except OSError:
                data = b""
            for aid in pack_ids:
                entry = self._catalog.entries[aid]
                raw: dict[str, Any]
                if pack is None:  # pending
                    yield aid, (entry.get("meta") or {}).get("title", "") + "\n" + self._source(aid)
                    continue
                _, offset, length, _hash = entry.get("blocks") or entry["body"]
                try:
                    raw = orjson.loads(data[offset : offset + length])
                    if raw.get("id") != aid:
                        raise ValueError("misplaced line")
                except (orjson.JSONDecodeError, ValueError):
                    raw = self._raw(aid)  # verified read, recovering from the pack's copy
                title = (entry.get("meta") or {}).get("title") or ""
                flips = (notes.get(aid) or {}).get("flips") or {}
                if threshold_of is None or flips:
                    blocks = self._base_blocks(entry, raw)
                    self._apply_flips(blocks, {int(k): bool(v) for k, v in flips.items()})
                    texts = [b.text for b in blocks if b.is_body]
                else:
                    site = entry.get("site", "")
                    counts = sites.counts.get(site) or {}
                    threshold = threshold_of(sites.articles.get(site, 0))
                    texts = []
                    for b in raw["blocks"]:
                        if b.get("reason") is not None:
                            continue
                        fp = b.get("fingerprint") or ""
                        if fp and counts.get(fp, 0) >= threshold:
                            key = (site, fp, b["text"])
                            verdict = verdicts.get(key)
                            if verdict is None:
                                probe = Block(text=b["text"], runs=[], reason=None, fingerprint=fp)
                                verdict = verdicts[key] = sites.classify(site, [probe])[0].is_body
                            if not verdict:
                                continue
                        texts.append(b["text"])
                yield aid, title + "\n" + "\n".join(texts)

    # --- annotations (each call is one atomic, durable write, recorded for undo) ------------
    def annotations(self, article_id: str) -> ArticleAnnotations:
        with self._lock:
            self._require(article_id)
            return self._ann.get(article_id)

    def _change(
        self,
        article_id: str,
        label: str,
        mutate: Callable[[ArticleAnnotations], None],
        *,
        record: bool = True,
        group: int = 0,
    ) -> ArticleAnnotations:
        """Apply `mutate` to a copy, save it atomically, then journal it for undo (changes sharing
        a non-zero `group` are undone as one step)."""
        self._check_writable()
        self._require(article_id)
        before = self._ann.get(article_id)
        after = before.copy()
        mutate(after)
        after.updated = now_iso()
        self._ann.put(after)
        if record:
            try:
                self._history.record(article_id, before.to_json(), after.to_json(), label, group)
            except OSError as err:  # the change itself is saved; only its undo entry is missing
                self._notice(
                    f"{self._history.path}: could not record the change for undo ({err.strerror or err})"
                )
        return after

    def add_highlight(
        self, article_id: str, source_start: int, source_end: int, *, tags: list[str], note: str = ""
    ) -> Highlight:
        with self._lock:
            self._check_writable()
            art = self.article(article_id)
            n = len(art.source_text)
            if not (0 <= source_start < source_end <= n):
                raise ValueError(f"span {source_start}-{source_end} is outside the article (0-{n})")
            # Scheme check (LabelNotInScheme, a ValueError): a strict scheme refuses other labels.
            self.scheme.check_labels(list(tags), SCOPE_SPAN)
            span = art.source_to_body(source_start, source_end)
            if span is not None and span[1] > span[0]:
                text, (s, e) = art.body, span
            else:
                text, s, e = art.source_text, source_start, source_end
            stamp = now_iso()
            highlight = Highlight(
                id=new_id(),
                source_start=source_start,
                source_end=source_end,
                quote=text[s:e],
                prefix=text[max(0, s - CONTEXT_CHARS) : s],
                suffix=text[e : e + CONTEXT_CHARS],
                tags=list(dict.fromkeys(tags)),
                note=note,
                annotator=self.annotator,
                created=stamp,
                updated=stamp,
            )
            self._change(article_id, "add highlight", lambda a: a.highlights.append(highlight))
            return highlight

    def update_highlight(self, article_id: str, highlight: Highlight) -> None:
        with self._lock:
            current = self._ann.get(article_id) if article_id in self._catalog else None
            if current is None or not any(h.id == highlight.id for h in current.highlights):
                self._require(article_id)
                raise KeyError(f"no highlight {highlight.id!r} in article {article_id}")
            # Scheme check: labels the highlight did not have yet must be in a strict scheme.
            before = next(h for h in current.highlights if h.id == highlight.id)
            self.scheme.check_labels([t for t in highlight.tags if t not in before.tags], SCOPE_SPAN)
            updated = Highlight.from_json(highlight.to_json())
            updated.updated = now_iso()

            def mutate(a: ArticleAnnotations) -> None:
                a.highlights = [updated if h.id == updated.id else h for h in a.highlights]

            self._change(article_id, "edit highlight", mutate)

    def delete_highlight(self, article_id: str, highlight_id: str) -> None:
        with self._lock:
            self._require(article_id)
            if not any(h.id == highlight_id for h in self._ann.get(article_id).highlights):
                raise KeyError(f"no highlight {highlight_id!r} in article {article_id}")

            def mutate(a: ArticleAnnotations) -> None:
                a.highlights = [h for h in a.highlights if h.id != highlight_id]

            self._change(article_id, "delete highlight", mutate)

    def set_article_tags(self, article_id: str, tags: list[str]) -> None:
        with self._lock:
            # Scheme check: article labels not on the article yet must be in a strict scheme.
            self._require(article_id)
            had = set(self._ann.get(article_id).tag_names)
            self.scheme.check_labels([t for t in dict.fromkeys(tags) if t and t not in had], SCOPE_ARTICLE)

            def mutate(a: ArticleAnnotations) -> None:
                kept = {t.tag: t for t in a.tags}
                a.tags = [kept.get(t) or ArticleTag(t, self.annotator) for t in dict.fromkeys(tags) if t]

            self._change(article_id, "set tags", mutate)

    def set_article_note(self, article_id: str, note: str) -> None:
        with self._lock:

            def mutate(a: ArticleAnnotations) -> None:
                a.note = note

            self._change(article_id, "edit note", mutate)

    def put_annotations(self, changes: dict[str, ArticleAnnotations], *, label: str) -> None:
        """Replace several articles' annotations (bulk import, merge): every id is checked first,
        then each article is saved atomically and journalled for undo under `label`."""
        with self._lock:
            self._check_writable()
            for article_id in changes:
                self._require(article_id)
            for article_id, new in changes.items():

                def mutate(a: ArticleAnnotations, new: ArticleAnnotations = new) -> None:
                    a.highlights = [Highlight.from_json(h.to_json()) for h in new.highlights]
                    a.tags = [ArticleTag.from_json(t.to_json()) for t in new.tags]
                    a.note = new.note

                self._change(article_id, label, mutate)

    def flip_block(self, article_id: str, block_index: int) -> Article:
        with self._lock:
            self._check_writable()
            entry = self._require(article_id)
            base = self._base_blocks(entry, self._raw(article_id))
            if not 0 <= block_index < len(base):
                raise IndexError(f"article {article_id} has no block {block_index} (it has {len(base)})")
            current = self.article(article_id).blocks[block_index].is_body
            to_body = not current

            def mutate(a: ArticleAnnotations) -> None:
                if base[block_index].is_body == to_body:
                    a.flips.pop(block_index, None)
                else:
                    a.flips[block_index] = to_body

            where = "body" if to_body else "boilerplate"
            self._change(article_id, f"move block {block_index + 1} to the {where}", mutate)
            self._search.forget(article_id)
            return self.article(article_id)

    def set_reading_state(
        self, article_id: str, *, position: int | None = None, read: bool | None = None
    ) -> None:
        """Not recorded for undo."""
        with self._lock:

            def mutate(a: ArticleAnnotations) -> None:
                if position is not None:
                    a.position = max(0, int(position))
                if read is not None:
                    a.read = bool(read)

            self._change(article_id, "reading state", mutate, record=False)

    def _restore(self, article_id: str, state: dict[str, Any]) -> None:
        """Write a journalled state back, keeping the current reading state (it is not undoable)."""
        current = self._ann.get(article_id)
        restored = ArticleAnnotations.from_json(state)
        restored.read, restored.position = current.read, current.position
        restored.work = current.work  # work state, like the reading state, is not undone
        restored.updated = now_iso()
        self._ann.put(restored)
        self._search.forget(article_id)

    def undo(self) -> str | None:
        """Undo the last change (across restarts); returns its description or None."""
        with self._lock:
            self._check_writable()
            change = self._history.peek_undo()
            if change is None:
                return None
            label = change.label
            while change is not None:
                if change.article_id in self._catalog:
                    self._restore(change.article_id, change.before)
                self._history.mark_undone(change)
                group, change = change.group, self._history.peek_undo()
                if not group or change is None or change.group != group:
                    break  # a grouped change (a library-wide rename) is undone as one step
            return label

    def redo(self) -> str | None:
        with self._lock:
            self._check_writable()
            change = self._history.peek_redo()
            if change is None:
                return None
            label = change.label
            while change is not None:
                if change.article_id in self._catalog:
                    self._restore(change.article_id, change.after)
                self._history.mark_redone(change)
                group, change = change.group, self._history.peek_redo()
                if not group or change is None or change.group != group:
                    break
            return label
