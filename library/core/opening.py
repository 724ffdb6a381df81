"""Opening a library directory: its schema, the writer lock, read-only views and notices.

`OpeningPart` is the root of the parts `Library` is made of (see `library.core.library`): it
owns the state every other part works on (the store objects, the one lock) and the few
checks they all make (`_check_writable`, `_require`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import orjson

from library.annotations.model import now_iso
from library.annotations.schemes import OPEN_SCHEME, Scheme, SchemeError, parse_scheme
from library.core.records import lookup_keys
from library.core.site_rules import SiteRuleBook
from library.errors import ArticleNotFound
from library.store.annotation_store import AnnotationStore
from library.store.atomic import atomic_write_bytes, backup_path, load_json_recovering, move_aside
from library.store.bodies import BodyPacks
from library.store.catalog import Catalog
from library.store.errors import StoreCorrupt, StoreError, StoreReadOnly
from library.store.history import History
from library.store.lock import LOCK_NAME, WriterLock
from library.store.schema import validate_meta
from library.store.scheme_file import read_scheme_texts
from library.store.search import SearchIndex
from library.store.site_counts import COUNTS_DIR, SiteCountFiles
from library.store.sitemodel import SiteModel

ENV_VAR = "READER_DB"

# The one sentence for "this session cannot save": the CLI, the app's banner and its warnings.
READ_ONLY_NOTICE = (
    "read-only (reader --read-only, or another reader has this library open): changes cannot be saved"
)

SCHEMA_VERSION = 2  # 2: catalogue segments and per-batch site counts (1: one TinyDB catalogue)
META_NAME = "meta.json"
CATALOG_NAME = "catalog.json"
BODIES_DIR = "bodies"
ANNOTATIONS_DIR = "annotations"
HISTORY_NAME = "history.jsonl"
SITES_NAME = "sites.json"  # the site counts of a version 1 library (now `sites/`, see SiteCountFiles)
ARTICLE_CACHE = 64

NoticeListener = Callable[[str], None]


def _site_model_shape(data: Any) -> None:
    SiteModel.from_json(data)


def default_store_path() -> Path:
    """$READER_DB if set, else the user data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("newsnotes-reader", appauthor=False) / "library"


class OpeningPart:
    """A library directory opened for reading, or for writing under an exclusive process lock.

    Layout: `meta.json` (schema version), `catalog.json` (the manifest of the catalogue segments
    `catalog/seg-NNNNNN.jsonl`: one small entry per article), `bodies/pack-NNNNNN.jsonl`
    (write-once article texts and blocks), `sites/counts-NNNNNN.tsv` (site counts, derived),
    `annotations/<xx>.json` (TinyDB buckets of the user's work), `history.jsonl` (undo journal)
    and `lock`. A new library is written at its first commit (`_header_after_catalogue`), or
    at close when it stored nothing: opening one for writing writes nothing but `lock`.
    All methods are serialised by one re-entrant lock, so the app may call them from workers.
    """

    path: Path
    read_only: bool
    notices: list[str]  # every one-line message for the user so far (recovered from backup, ...)
    annotator: str  # recorded on new highlights and tags; the CLI and app set it after open
    # The label scheme used while the library remembers none (the app and CLI set it from the config).
    fallback_scheme: Scheme | None = None

    def __init__(self, path: Path, *, read_only: bool, writer_lock: WriterLock | None) -> None:
        """Use `Library.open` (or `library.open_library`)."""
        self.path = path
        self.read_only = read_only
        self.notices = []
        self.annotator = ""
        self._listeners: list[NoticeListener] = []
        self._lock = threading.RLock()
        self._cleaning = threading.Lock()
        self._writer_lock = writer_lock
        self._closed = False
        self._raw_cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._search = SearchIndex()
        self._sites: SiteModel | None = None  # loaded on first use: listing does not need it
        self._label_index: Any = None  # `LabelIndex`, built on first use (see `ReadingPart`)
        self._scheme: Scheme | None = None  # the scheme this library remembers (`scheme.toml`)
        try:
            self._load()
        except BaseException:
            if writer_lock is not None:
                writer_lock.release()
            raise

    # --- opening ------------------------------------------------------------------------
    @staticmethod
    def exists(path: Path | None = None) -> bool:
        """Whether `path` (default: the default store) holds a library, without creating one.
        A writer's `lock` counts: a new library has nothing else until its first commit (or
        until it is closed), and another process must see it as the library it is."""
        path = (Path(path) if path is not None else default_store_path()).expanduser()
        return any((path / name).is_file() for name in (META_NAME, CATALOG_NAME, LOCK_NAME))

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False, wait_for_lock: bool = False) -> Self:
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

    # --- notices ------------------------------------------------------------------------
    def on_notice(self, listener: NoticeListener, *, replay: bool = True) -> None:
        """Call `listener(message)` for every notice from now on (and, with `replay`, for those
        given so far, e.g. while opening).

        Why: damage can be found at any moment, not only at open (an annotation bucket that is
        truncated while the app runs is recovered from its backup at the next save), and the
        user must hear of it when it happens. A listener may be called from a worker thread; the
        app hands the message to its own thread, the command line prints it to standard error.
        """
        with self._lock:
            self._listeners.append(listener)
            pending = list(self.notices) if replay else []
        for message in pending:
            with contextlib.suppress(Exception):
                listener(message)

    def notice(self, message: str) -> None:
        """Tell the user something they must not miss (kept on `notices` and sent to listeners)."""
        self.notices.append(message)
        for listener in list(self._listeners):
            # A failing listener must not fail the store's write that found the damage.
            with contextlib.suppress(Exception):
                listener(message)

    def _notice(self, message: str) -> None:  # the store objects' callback
        self.notice(message)

    def _load(self) -> None:
        meta_path = self.path / META_NAME
        catalog_path = self.path / CATALOG_NAME
        meta: Any = load_json_recovering(
            meta_path,
            read_only=self.read_only,
            notice=self._notice,
            validate=validate_meta,
            what="library header",
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
        elif not self.read_only and (catalog_path.exists() or backup_path(catalog_path).exists()):
            self._write_header()  # a crash came after the catalogue's first write, before this
        self._catalog = Catalog(
            catalog_path,
            read_only=self.read_only,
            notice=self._notice,
            lookup_keys=lookup_keys,
            on_first_write=self._header_after_catalogue,
        )
        self._site_files = SiteCountFiles(
            self.path / COUNTS_DIR, read_only=self.read_only, notice=self._notice
        )
        if not self.read_only:
            self._catalog.sweep()
            if isinstance(meta, dict) and meta.get("schema_version", SCHEMA_VERSION) < SCHEMA_VERSION:
                self._migrate_v1(meta_path, meta)
        self._packs = BodyPacks(self.path / BODIES_DIR, read_only=self.read_only, notice=self._notice)
        lost = self._packs.check_sizes(self._catalog.pack_needs())
        if lost:
            self._reclean_lost_blocks(lost)
        self._ann = AnnotationStore(
            self.path / ANNOTATIONS_DIR, read_only=self.read_only, notice=self._notice
        )
        self._history = History(self.path / HISTORY_NAME, read_only=self.read_only, notice=self._notice)
        self._rules = SiteRuleBook(self.path, read_only=self.read_only, notice=self._notice)
        self._load_scheme()

    def _write_header(self) -> None:
        meta = {"schema_version": SCHEMA_VERSION, "created": now_iso()}
        atomic_write_bytes(self.path / META_NAME, orjson.dumps(meta), keep_backup=True)

    def _header_after_catalogue(self) -> None:
        """A new library is written at its first commit, not when it is opened: the catalogue's
        manifest first, then this header. Why that order: the header says the library has a
        catalogue (a header without one is refused as damage), so a crash before it leaves a
        directory that opens as a new library, and one after it a whole library. A header that
        cannot be written leaves the batch saved; it is written at the next open."""
        try:
            self._write_header()
        except OSError as err:
            self._notice(
                f"{self.path / META_NAME}: could not write the library header ({err.strerror or err}); "
                "it is written when the library is next opened"
            )

    def _reclean_lost_blocks(self, lost: dict[str, str]) -> None:
        """Damaged packs that keep no copy (`BodyPacks.check_sizes`): a pack of blocks is derived
        from the source texts, so its articles are made pending again and cleaned again (one
        notice per pack); a pack that holds source texts cannot be, and is refused."""
        from library.core.records import pending_again

        hit: dict[str, list[dict[str, Any]]] = {pack: [] for pack in lost}
        for entry in self._catalog.entries.values():
            body, blocks = entry.get("body"), entry.get("blocks")
            if body and str(body[0]) in lost:
                raise StoreCorrupt(
                    f"{self._packs.dir / str(body[0])}: body pack is damaged ({lost[str(body[0])]}) "
                    "and has no copy; move it away and re-import its articles' source files"
                )
            if blocks and str(blocks[0]) in lost:
                hit[str(blocks[0])].append(entry)
        if not any(hit.values()):
            return  # named only by replaced lines (the catalogue is compacted when it happens)
        if self.read_only:
            for pack, entries in hit.items():
                self._notice(
                    f"{self._packs.dir / pack}: blocks pack is damaged ({lost[pack]}); its "
                    f"{len(entries)} articles are cleaned when read (open for writing to store them again)"
                )
            return
        self._catalog.replace_batch([pending_again(e) for es in hit.values() for e in es], [])
        self._catalog.compact()  # no index header names the lost packs any more
        for pack, entries in hit.items():
            path = self._packs.dir / pack
            kept = move_aside(path) if path.exists() else None
            where = f"; the damaged file is kept as {kept.name}" if kept else ""
            self._notice(
                f"{path}: blocks pack is damaged ({lost[pack]}) and keeps no copy (blocks are made "
                f"from the source texts): its {len(entries)} articles are pending again, to be cleaned again{where}"
            )

    def _migrate_v1(self, meta_path: Path, meta: dict[str, Any]) -> None:
        """A version 1 library, its catalogue already migrated by `Catalog`: its `sites.json`
        becomes the first site-count file (or is dropped when damaged: it is counted again), and
        the header says version 2 (a program that knows only version 1 then refuses it)."""
        sites = self.path / SITES_NAME
        if sites.exists() or backup_path(sites).exists():
            try:
                data = load_json_recovering(
                    sites,
                    read_only=False,
                    notice=self._notice,
                    validate=_site_model_shape,
                    what="site model",
                )
            except StoreCorrupt as err:
                self._notice(f"{err}; counting it again from the body packs")
                data = None
            if data is not None and not self._site_files.load().packs:
                self._site_files.append(SiteModel.from_json(data))
            for path in (sites, backup_path(sites)):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        atomic_write_bytes(
            meta_path, orjson.dumps({**meta, "schema_version": SCHEMA_VERSION}), keep_backup=True
        )

    def _load_scheme(self) -> None:
        """Read the remembered label scheme; a damaged file falls back to its backup, and when
        neither parses the library is used without a scheme, and the user is told so."""
        self._scheme = None
        problems: list[str] = []
        for path, text in read_scheme_texts(self.path):
            try:
                self._scheme = parse_scheme(text, str(path))
            except SchemeError as err:
                problems.append(str(err))
                continue
            if problems:
                self._notice(f"{problems[0]}; using the backup {path}")
            return
        if problems:
            self._notice(
                f"{problems[0]}; the library is used without a label scheme until `reader scheme use`"
            )

    @property
    def scheme(self) -> Scheme:
        """The library's scheme: the one it remembers, else the fallback, else an open one with no labels."""
        return self._scheme or self.fallback_scheme or OPEN_SCHEME

    @property
    def has_own_scheme(self) -> bool:
        return self._scheme is not None

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._packs.close()
                self._catalog.close()
                self._site_files.close()
                self._ann.close()
                if not self.read_only:
                    self._catalog.write_if_new()  # a new library that stored nothing (see `_load`)
            finally:
                if self._writer_lock is not None:
                    self._writer_lock.release()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path}: library is closed")
        if self.read_only:
            raise StoreReadOnly(f"{self.path}: {READ_ONLY_NOTICE}; nothing was changed")

    def _require(self, article_id: str) -> dict[str, Any]:
        entry = self._catalog.get(article_id)
        if entry is None:
            raise ArticleNotFound(f"no article with id {article_id!r} in {self.path}")
        return entry
