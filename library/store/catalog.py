"""The catalogue: one small entry per article (metadata, counts, where its text lies).

Layout (version 2): write-once segments `catalog/seg-NNNNNN.jsonl` (see `library.store.segments`)
and the manifest `catalog.json` that lists them. Why not one TinyDB file as before: TinyDB can
only rewrite its whole file, so every import or cleaning batch rewrote the whole catalogue and
a large import was quadratic. Now a batch writes one segment of its own entries and a manifest
of a few hundred bytes; segments are merged by level (`merge_count`), so each entry is
rewritten a few times in all, not once per batch. The manifest is written atomically with its
backup, and its rename is the batch's commit point: a segment it does not list is left over by
a crash and removed by the next writer.

Reading: one article is found through the segments' sorted indexes without parsing the
catalogue (`get`, `ids_with_prefix`, `external_ids`); the whole catalogue is read only when a
caller iterates `entries`. It is then kept as one encoded line per article (bytes, parsed on
access), not as dicts: a million entries fit in a few hundred MB. A version 1 catalogue (the
TinyDB file) is read as it is when read-only, and migrated on the first writable open.

Why the manifest, the loaded lines, the lookups and the writes are one class: they keep one state
(which segments are live, what the indexes say) that must change together at the commit point.
The queries answered through the segments' indexes alone (by date, import order, pending, prefix,
external id) are its base class in `catalog_reads.py`; the segment file format is `segments.py`.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from library.model import ArticleSummary
from library.store import atomic
from library.store.atomic import backup_path, load_json_recovering, move_aside
from library.store.bodies import PACK_RE, BodyRef
from library.store.catalog_reads import IndexedReads
from library.store.errors import StoreCorrupt, StoreReadOnly
from library.store.schema import CATALOG_TABLE, MANIFEST_VERSION, catalog_file_validator, validate_manifest
from library.store.segments import (
    SEGMENT_RE,
    LookupKeys,
    SegmentIndex,
    SegmentInfo,
    copy_contents,
    digest,
    entry_line,
    is_tombstone,
    line_id,
    merge_count,
    segment_lines,
    tombstone,
    write_index,
    write_segment,
)

TABLE = CATALOG_TABLE


SEGMENTS_DIR = "catalog"


def manifest_bytes(segments: list[SegmentInfo], count: int, next_number: int) -> bytes:
    return orjson.dumps(
        {
            "version": MANIFEST_VERSION,
            "count": count,
            "next": next_number,
            "segments": [seg.to_json() for seg in segments],
        }
    )


def initial_catalog() -> bytes:
    """The catalogue of a new library: no segments, and saying it holds no article."""
    return manifest_bytes([], 0, 1)


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


class Entries(Mapping[str, dict[str, Any]]):
    """The catalogue's entries as a read-only mapping: one lookup goes through the indexes,
    iterating reads the whole catalogue (once). Values are new dicts parsed from their lines."""

    def __init__(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def __getitem__(self, article_id: str) -> dict[str, Any]:
        entry = self._catalog.get(article_id)
        if entry is None:
            raise KeyError(article_id)
        return entry

    def get(self, article_id: str, default: Any = None) -> Any:
        entry = self._catalog.get(article_id)
        return default if entry is None else entry

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and article_id in self._catalog

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._catalog.lines()))

    def __len__(self) -> int:
        return len(self._catalog)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        for aid, line in list(self._catalog.lines().items()):
            yield aid, orjson.loads(line)

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        for line in list(self._catalog.lines().values()):
            yield orjson.loads(line)


class Catalog(IndexedReads):
    def __init__(
        self,
        path: Path,
        *,
        read_only: bool,
        notice: Any,
        lookup_keys: LookupKeys | None = None,
        on_first_write: Callable[[], None] | None = None,
    ) -> None:
        """`lookup_keys(entry)`: further keys an article is found by (`other_ids`).
        `on_first_write()`: called once the manifest of a new library is first on disk (see
        `written`), after its state is updated: the library writes its header then."""
        self.path = Path(path)
        self._on_first_write = on_first_write
        self.lookup_keys = lookup_keys
        self.dir = self.path.parent / SEGMENTS_DIR
        self.read_only = read_only
        self._notice = notice
        data = load_json_recovering(
            self.path,
            read_only=read_only,
            notice=notice,
            validate=catalog_file_validator(_has_packs(self.path.parent / "bodies")),
            what="catalogue",
        )
        self._lines: dict[str, bytes] | None = None  # the whole catalogue, read on first need
        self._indexes: dict[str, SegmentIndex | None] = {}
        self._small_ids: dict[str, frozenset[str]] = {}  # segment -> its ids (see `_holds`)
        # id -> the segment holding its live line, for the articles found or listed by date so far
        # (`_live_in`): they are read again without probing each newer segment (63 segments
        # at a million short records). Emptied when the segments change.
        self._located: dict[str, SegmentInfo] = {}
        self._lookups: tuple[dict[str, str], dict[str, list[str]]] | None = None
        # How many loaded entries keep their blocks in each pack: built on the first need once the
        # whole catalogue is loaded, then kept by the writes, so a save (which reads one article and
        # checks its site counts against `blocks_packs`) costs O(1), not a pass over the library.
        self._pack_refs: Counter[str] | None = None
        self.entries = Entries(self)
        self.migrated = False
        # Whether `catalog.json` is on disk. A new library has none until its first commit (or
        # `write_if_new` at close): it is not written empty only to be replaced at once.
        self.written = data is not None
        if data is None:
            data = orjson.loads(initial_catalog())
        if "segments" in data:
            self._segments = [SegmentInfo.from_json(seg) for seg in data["segments"]]
            self._count = int(data["count"])
            self._next = int(data["next"])
        else:  # version 1: the TinyDB catalogue
            table = data.get(CATALOG_TABLE) or {}
            self._lines = {}
            for entry in table.values():
                self._lines[entry["id"]] = entry_line(entry)
            self._segments, self._count, self._next = [], len(self._lines), 1
            if not read_only:
                self._migrate()

    # --- version 1 --------------------------------------------------------------------------
    def _migrate(self) -> None:
        """Write the TinyDB catalogue as one segment and replace it with the manifest (the commit)."""
        assert self._lines is not None
        self._sweep_orphans()
        lines = list(self._lines.values())
        segments: list[SegmentInfo] = []
        number = self._next
        if lines:
            level = 0 if len(lines) < 500 else int(math.log(len(lines) / 500, 8)) + 1
            segments.append(write_segment(self.dir, number, lines, level, self.lookup_keys, replaces=0))
            number += 1
        atomic.atomic_write_bytes(self.path, manifest_bytes(segments, len(lines), number), keep_backup=True)
        self._segments, self._next = segments, number
        self.migrated = True
        self._first_write_done()

    # --- reading ----------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._count if self._lines is None else len(self._lines)

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        if self._lines is not None:
            return article_id in self._lines
        return self._find_line(article_id) is not None

    @property
    def loaded(self) -> bool:
        """Whether the whole catalogue has been read (tests check that one-article commands do not)."""
        return self._lines is not None

    def _index(self, info: SegmentInfo) -> SegmentIndex | None:
        if info.name in self._indexes:
            return self._indexes[info.name]
        path = self.dir / f"{info.name}.idx"
        index: SegmentIndex | None = None
        try:
            index = SegmentIndex(path, info)
        except (OSError, ValueError) as err:
            if not self.read_only:  # derived: written again from its segment
                why = "file is missing" if isinstance(err, FileNotFoundError) else str(err)
                try:
                    write_index(self.dir, info, self._segment_bytes(info), self.lookup_keys)
                    index = SegmentIndex(path, info)
                except (OSError, ValueError) as again:
                    self._notice(
                        f"{path}: catalogue index is unusable ({why}) and could not be written again ({again})"
                    )
                else:
                    self._notice(
                        f"{path}: catalogue index was unusable ({why}); written again from its segment"
                    )
        if index is not None and not (index.has_dates and index.has_pending) and not self.read_only:
            index = self._upgrade_index(info, index)
        self._indexes[info.name] = index
        return index

    def _upgrade_index(self, info: SegmentInfo, index: SegmentIndex) -> SegmentIndex:
        """An index written before it held dates and pending marks is written again (derived,
        once, at the first writable use of its segment); kept as it is when that fails."""
        path = self.dir / f"{info.name}.idx"
        try:
            write_index(self.dir, info, self._segment_bytes(info), self.lookup_keys)
            upgraded = SegmentIndex(path, info)
        except (OSError, ValueError, StoreCorrupt):
            return index
        index.close()
        return upgraded

    def lines(self) -> dict[str, bytes]:
        """Every live entry's encoded line, in import order (read once, then kept)."""
        try:
            return self._read_lines()
        except StoreCorrupt:
            if not self._newer_generation():
                raise
            return self._read_lines()

    def _newer_generation(self) -> bool:
        """A read-only view whose segments a writer has merged away since it opened: it takes
        the writer's newer manifest (True), as a view opened now would. False when there is none."""
        if not self.read_only:
            return False
        try:
            data = orjson.loads(self.path.read_bytes())
            validate_manifest(data)
        except (OSError, orjson.JSONDecodeError, ValueError):
            return False
        segments = [SegmentInfo.from_json(seg) for seg in data["segments"]]
        if segments == self._segments:
            return False
        self.close()
        self._segments, self._count, self._next = segments, int(data["count"]), int(data["next"])
        return True

    def _read_lines(self) -> dict[str, bytes]:
        if self._lines is None:
            lines: dict[str, bytes] = {}
            for info in self._segments:
                for _, line in segment_lines(self._segment_bytes(info)):
                    aid = line_id(line)
                    if is_tombstone(line):
                        lines.pop(aid, None)
                    else:
                        lines[aid] = line
            if len(lines) != self._count:
                self._notice(
                    f"{self.path}: the catalogue holds {len(lines)} articles where it records {self._count}"
                )
                self._count = len(lines)
            self._lines = lines
        return self._lines

    def _segment_bytes(self, info: SegmentInfo) -> bytes:
        """A segment's bytes checked against the manifest; recovered from its copy when damaged."""
        path = self.dir / f"{info.name}.jsonl"
        data = read_segment(path, info)
        if isinstance(data, bytes):
            return data
        problem = data
        copy = read_segment(backup_path(path), info)
        if not isinstance(copy, bytes):
            raise StoreCorrupt(
                f"{path}: catalogue segment is damaged ({problem}) and its copy is unusable too ({copy})"
            )
        if self.read_only:
            self._notice(
                f"{path}: catalogue segment is damaged ({problem}); reading its copy (open for writing to repair)"
            )
            return copy
        kept = move_aside(path) if path.exists() else None
        atomic.write_new_file(path, copy)
        where = f"; the damaged file is kept as {kept.name}" if kept else ""
        self._notice(f"{path}: catalogue segment was damaged ({problem}); recovered from its copy{where}")
        return copy

    def pack_needs(self) -> dict[str, int]:
        """pack -> bytes the catalogue needs it to hold: from the index headers, without reading
        the catalogue (an entry that was replaced may still count; packs are never shortened)."""
        if self._lines is None:
            needed: dict[str, int] = {}
            for info in self._segments:
                index = self._index(info)
                if index is None:
                    break
                for pack, end in index.packs.items():
                    if end > needed.get(pack, -1):
                        needed[pack] = end
            else:
                return needed
        return self.pack_extents()

    def blocks_packs(self) -> set[str]:
        """Packs holding some article's cleaned blocks (what the site counts must have counted),
        from the index headers (a replaced entry may still count); else from every entry."""
        if self._lines is None:
            found: set[str] = set()
            for info in self._segments:
                index = self._index(info)
                if index is None:
                    break
                found.update(index.blocks)
            else:
                return found
        if self._pack_refs is None:
            self._pack_refs = Counter(
                pack for entry in self.entries.values() if (pack := blocks_pack_of(entry)) is not None
            )
        return {pack for pack, refs in self._pack_refs.items() if refs > 0}

    def _count_pack(self, entry: dict[str, Any], step: int) -> None:
        if self._pack_refs is not None and (pack := blocks_pack_of(entry)) is not None:
            self._pack_refs[pack] += step

    def pack_extents(self) -> dict[str, int]:
        """For each pack, how many bytes the catalogue needs it to hold (read from every entry)."""
        needed: dict[str, int] = {}
        for entry in self.entries.values():
            for ref in (entry["body"], entry.get("blocks")):
                if ref:
                    end = int(ref[1]) + int(ref[2])
                    if end > needed.get(str(ref[0]), -1):
                        needed[str(ref[0])] = end
        return needed

    # --- lookups imports need ---------------------------------------------------------------
    def _build_lookups(self) -> tuple[dict[str, str], dict[str, list[str]]]:
        if self._lookups is None:
            self._lookups = ({}, {})
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

    def _index_lookups(self, entry: dict[str, Any]) -> None:
        assert self._lookups is not None
        by_body, by_ext = self._lookups
        aid = entry["id"]
        if entry.get("body_hash"):
            by_body.setdefault(entry["body_hash"], aid)
        ext = (entry.get("meta") or {}).get("external_id")
        if ext:
            by_ext.setdefault(str(ext), []).append(aid)

    def _unindex(self, entry: dict[str, Any]) -> None:
        """Drop the entry from the lookups (`_index_lookups` adds it)."""
        if self._lookups is None:
            return
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

    # --- writing ----------------------------------------------------------------------------
    def add_batch(self, entries: list[dict[str, Any]]) -> None:
        """One segment and one manifest write for the whole batch; memory follows only when it
        succeeded."""
        if entries:
            self._commit(entries, [])

    def replace_batch(self, entries: list[dict[str, Any]], removed: list[str]) -> None:
        """One segment that replaces `entries` (by id) and drops the articles in `removed`."""
        if entries or removed:
            self._commit(entries, removed)

    def _commit(self, entries: list[dict[str, Any]], removed: list[str]) -> None:
        if self.read_only:
            raise StoreReadOnly(f"{self.path}: library is open read-only")
        current = self.lines()
        gone = [aid for aid in dict.fromkeys(removed) if aid in current]
        try:
            new_lines = [entry_line(entry) for entry in entries]
        except TypeError:  # a text JSON cannot hold (a file name that is not UTF-8): kept escaped
            entries = [json_safe(entry) for entry in entries]
            new_lines = [entry_line(entry) for entry in entries]
        ids = [entry["id"] for entry in entries]
        added = len({aid for aid in ids if aid not in current})
        info = write_segment(
            self.dir,
            self._next,
            new_lines + [tombstone(aid) for aid in gone],
            0,
            self.lookup_keys,
            [*entries, *[None] * len(gone)],
            replaces=sum(aid in current for aid in ids) + len(gone),
        )
        segments = [*self._segments, info]
        count = len(current) + added - len(gone)
        self._located.clear()
        atomic.atomic_write_bytes(
            self.path, manifest_bytes(segments, count, self._next + 1), keep_backup=True
        )
        self._segments, self._next, self._count = segments, self._next + 1, count
        for aid, line, entry in zip(ids, new_lines, entries, strict=True):
            if aid in current:
                old = orjson.loads(current[aid])
                self._unindex(old)
                self._count_pack(old, -1)
            current[aid] = line
            self._count_pack(entry, +1)
            if self._lookups is not None:
                self._index_lookups(entry)
        for aid in gone:
            old = orjson.loads(current.pop(aid))
            self._unindex(old)
            self._count_pack(old, -1)
        self._first_write_done()
        try:
            self._merge()
        except OSError as err:  # the batch is saved; the segments are merged at a later batch
            self._notice(f"{self.dir}: could not merge catalogue segments ({err.strerror or err})")

    def _merge(self) -> None:
        """Merge segments while `merge_count` asks, or all of them when most lines are stale."""
        while True:
            records = sum(seg.records for seg in self._segments)
            if len(self._segments) > 1 and records - self._count > max(self._count // 2, 2000):
                take = len(self._segments)
            else:
                take = merge_count(
                    [seg.level for seg in self._segments], [seg.records for seg in self._segments]
                )
            if not take:
                return
            self._merge_tail(take)

    def _merge_tail(self, take: int) -> None:
        old = self._segments[-take:]
        whole = take == len(self._segments)  # no older segment: tombstones can go
        if whole and self._lines is not None:  # the live entries, in order, are what all merge to
            lines = list(self._lines.values())
        else:
            merged: dict[str, bytes] = {}
            for info in old:
                for _, line in segment_lines(self._segment_bytes(info)):
                    merged[line_id(line)] = line
            lines = [line for line in merged.values() if not (whole and is_tombstone(line))]
            del merged
        keep = self._segments[:-take]
        self._located.clear()
        # A merge of one level makes the next; a compaction of all keeps the highest level.
        level = max(seg.level for seg in old) + (0 if whole and len({seg.level for seg in old}) > 1 else 1)
        number = self._next
        # What the merged segment may replace: nothing when it is all there is, else at most what
        # its parts did (a line they replaced among themselves is gone, not added).
        parts = [seg.replaces for seg in old]
        replaces = 0 if whole else (None if None in parts else sum(p for p in parts if p is not None))
        infos = (
            [write_segment(self.dir, number, lines, level, self.lookup_keys, replaces=replaces)]
            if lines
            else []
        )
        segments = keep + infos
        atomic.atomic_write_bytes(
            self.path, manifest_bytes(segments, self._count, number + 1), keep_backup=True
        )
        self._segments, self._next = segments, number + 1
        self._first_write_done()
        for info in old:
            index = self._indexes.pop(info.name, None)
            if index is not None:
                index.close()
            _remove_segment_files(self.dir, info.name)
        atomic.fsync_dir(self.dir)

    def write_if_new(self) -> None:
        """Write the manifest of a new library that no commit has written (a session that stored
        nothing still leaves a library behind, as opening one for writing always did)."""
        if not self.written and not self.read_only:
            atomic.atomic_write_bytes(
                self.path, manifest_bytes(self._segments, len(self), self._next), keep_backup=True
            )
            self._first_write_done()

    def _first_write_done(self) -> None:
        if self.written:
            return
        self.written = True
        if self._on_first_write is not None:
            self._on_first_write()

    def compact(self) -> None:
        """Merge every segment into one (stale lines and the packs they name are gone after)."""
        if len(self._segments) > 1 or (self._segments and self._segments[0].records != self._count):
            self._merge_tail(len(self._segments))

    def sweep(self) -> None:
        """Remove segment files the manifest does not list (a crash after they were written and
        before the manifest named them, or after a merge and before the old ones were removed).
        Only a writer calls this, holding the lock."""
        if not self.read_only:
            self._sweep_orphans()

    def _sweep_orphans(self) -> None:
        live = {seg.name for seg in self._segments}
        removed = False
        for name in _names(self.dir):
            match = SEGMENT_RE.match(name.removesuffix(".bak"))
            if match and f"seg-{match.group(1)}" not in live:
                with contextlib.suppress(OSError):
                    (self.dir / name).unlink()
                    removed = True
        if removed:
            atomic.fsync_dir(self.dir)

    def segment_names(self) -> list[str]:
        return [seg.name for seg in self._segments]

    def close(self) -> None:
        for index in self._indexes.values():
            if index is not None:
                index.close()
        self._indexes.clear()
        self._small_ids.clear()
        self._located.clear()


def _names(directory: Path) -> list[str]:
    try:
        return sorted(os.listdir(directory))
    except OSError:
        return []


def _remove_segment_files(directory: Path, name: str) -> None:
    for suffix in (".jsonl", ".jsonl.bak", ".idx"):
        with contextlib.suppress(FileNotFoundError):
            (directory / f"{name}{suffix}").unlink()


def read_segment(path: Path, info: SegmentInfo) -> bytes | str:
    """The segment's bytes when they are what the manifest lists, else the reason why not."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "file is missing"
    except OSError as err:
        return err.strerror or str(err)
    try:
        data = copy_contents(data)  # the copy is compressed; the segment itself never is
    except ValueError as err:
        return str(err)
    if len(data) != info.size:
        return f"{len(data)} bytes where {info.size} were written"
    if digest(data) != info.sha:
        return "its bytes do not match their checksum"
    return data


def blocks_pack_of(entry: dict[str, Any]) -> str | None:
    """The pack whose line holds the entry's blocks (None while it is pending)."""
    if entry.get("blocks"):
        return str(entry["blocks"][0])
    if entry.get("pending"):
        return None
    return str(entry["body"][0])


def summary_from_entry(entry: dict[str, Any]) -> ArticleSummary:
    return ArticleSummary.from_catalogue(entry)
