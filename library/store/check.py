"""`reader check`: verify every file of a library, and with `repair` mend what has a good copy.

Why a separate pass: opening a library checks only what a command needs (the catalogue at once,
a bucket when it is read, a pack line when its article is shown). This reads everything: each
file and its backup against their schema, every pack line against its checksum, the pack
copies, packs no article points into, temporary files of killed writers and an unfinished batch.
It works on the files alone, so it runs even when the library refuses to open. Repairs take the
writer lock and use only a good copy; a damaged file is moved aside (`.corrupt-<timestamp>`),
never deleted. The one repair that loses something, going on without an annotation bucket whose
both copies are gone, is what the user asks for by running `--repair` (it is reported as such).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import orjson

from library.store import bucket_log
from library.store.annotation_store import BUCKET_RE, JOURNAL_NAME, MANIFEST_NAME, AnnotationStore
from library.store.atomic import (
    _parse_json,
    atomic_write_bytes,
    backup_path,
    move_aside,
    temporary_files,
)
from library.store.bodies import PACK_RE, BodyRef, line_hash
from library.store.catalog import SEGMENTS_DIR, TABLE, _has_packs, read_segment
from library.store.errors import StoreError
from library.store.lock import LOCK_NAME, WriterLock
from library.store.schema import catalog_file_validator, validate_bucket, validate_meta
from library.store.segments import (
    SEGMENT_RE,
    LookupKeys,
    SegmentInfo,
    compressed_copy,
    index_bytes,
    is_tombstone,
    line_id,
    segment_lines,
)
from library.store.site_counts import COUNTS_DIR, COUNTS_RE, check_file
from library.store.sitemodel import SiteModel

META_NAME = "meta.json"
CATALOG_NAME = "catalog.json"
SITES_NAME = "sites.json"
HISTORY_NAME = "history.jsonl"


@dataclass
class Finding:
    path: Path
    problem: str
    repaired: str = ""  # what the repair did, "" when nothing was (or could be) done

    def line(self) -> str:
        done = f"; repaired: {self.repaired}" if self.repaired else ""
        return f"{self.path}: {self.problem}{done}"


@dataclass
class CheckReport:
    findings: list[Finding]
    files: int  # files read

    @property
    def unrepaired(self) -> list[Finding]:
        return [f for f in self.findings if not f.repaired]


def _site_counts_shape(data: Any) -> None:
    """The site counts parse as a site model (raises when they do not)."""
    SiteModel.from_json(data)


def _why(path: Path, validate: Callable[[Any], None] | None) -> tuple[Any, str]:
    """(data, "") when `path` is good, else (None, reason)."""
    if not path.exists():
        return None, "missing"
    try:
        return _parse_json(path, validate), ""
    except ValueError as err:
        return None, str(err)
    except OSError as err:
        return None, err.strerror or str(err)


class _Checker:
    def __init__(self, root: Path, repair: bool, lookup_keys: LookupKeys | None = None) -> None:
        self.root = root
        self.lookup_keys = lookup_keys
        self.repair = repair
        self.findings: list[Finding] = []
        self.files = 0

    def find(self, path: Path, problem: str, fix: Callable[[], str] | None = None) -> None:
        finding = Finding(path, problem)
        if self.repair and fix is not None:
            try:
                finding.repaired = fix()
            except OSError as err:
                finding.problem += f" (the repair failed: {err.strerror or err})"
        self.findings.append(finding)

    def pair(self, path: Path, validate: Callable[[Any], None] | None, what: str, *, required: bool) -> Any:
        """Check a file and its backup; returns the good data (the file's, else the backup's)."""
        bak = backup_path(path)
        data, why = _why(path, validate)
        bak_data, bak_why = _why(bak, validate)
        self.files += path.exists() + bak.exists()
        if why == "missing" and bak_why == "missing":
            if required:
                self.find(path, f"{what} is missing and has no backup")
            return None
        if why and bak_why:
            self.find(path, f"{what} is damaged ({why}) and its backup is unusable too ({bak_why})")
            return None
        if why:

            def restore() -> str:
                kept = move_aside(path) if path.exists() else None
                atomic_write_bytes(path, bak.read_bytes())
                return "restored from its backup" + (
                    f"; the damaged file is kept as {kept.name}" if kept else ""
                )

            self.find(path, f"{what} is damaged ({why}); its backup is good", restore)
            return bak_data
        if bak_why or bak_data != data:
            problem = f"backup is {'damaged (' + bak_why + ')' if bak_why else 'behind the file (a write was interrupted)'}"

            def rewrite() -> str:
                if bak.exists() and bak_why:
                    move_aside(bak)
                atomic_write_bytes(bak, path.read_bytes())
                return "backup written again from the file"

            self.find(bak, problem, rewrite)
        return data

    def run(self) -> CheckReport:
        root = self.root
        # A library is written at its first commit: before it (a first import that never
        # finished), neither file nor backup is there, and what else is there is a leftover.
        written = any(
            p.exists() for name in (META_NAME, CATALOG_NAME) for p in (root / name, backup_path(root / name))
        )
        self.pair(root / META_NAME, validate_meta, "library header", required=written)
        catalog = self.pair(
            root / CATALOG_NAME,
            catalog_file_validator(_has_packs(root / "bodies")),
            "catalogue",
            required=written,
        )
        if isinstance(catalog, dict) and "segments" in catalog:
            entries = self.check_segments([SegmentInfo.from_json(seg) for seg in catalog["segments"]])
        else:
            entries = list(((catalog or {}).get(TABLE) or {}).values())
        self.check_packs(entries)
        self.check_buckets()
        self.check_derived()
        for path in temporary_files(root):
            self.find(path, "temporary file of a write that never finished", partial(_unlink, path))
        return CheckReport(self.findings, self.files)

    def check_segments(self, segments: list[SegmentInfo]) -> list[dict[str, Any]]:
        """Each catalogue segment and its copy against the manifest, its index against what it
        should hold, files no manifest lists; returns the live entries (from the good copies)."""
        directory = self.root / SEGMENTS_DIR
        lines: dict[str, bytes] = {}
        for info in segments:
            path = directory / f"{info.name}.jsonl"
            copy = backup_path(path)
            data, copy_data = read_segment(path, info), read_segment(copy, info)
            self.files += path.exists() + copy.exists()
            if not isinstance(data, bytes) and not isinstance(copy_data, bytes):
                self.find(path, f"catalogue segment is damaged ({data}) and its copy too ({copy_data})")
                continue
            if not isinstance(data, bytes):
                assert isinstance(copy_data, bytes)
                self.find(
                    path,
                    f"catalogue segment is damaged ({data}); its copy is good",
                    partial(_restore_segment, path, copy_data, compress=False),
                )
            elif not isinstance(copy_data, bytes):
                self.find(
                    copy,
                    f"copy of a catalogue segment is damaged ({copy_data})",
                    partial(_restore_segment, copy, data, compress=True),
                )
            good = data if isinstance(data, bytes) else copy_data
            assert isinstance(good, bytes)
            index = directory / f"{info.name}.idx"
            expected = index_bytes(info, good, self.lookup_keys)
            self.files += index.exists()
            try:
                same = index.read_bytes() == expected
            except OSError:
                same = False
            if not same:
                self.find(
                    index,
                    "catalogue index is missing or does not match its segment (derived: written again when opened)",
                    partial(_write_again, index, expected),
                )
            for _, line in segment_lines(good):
                aid = line_id(line)
                if is_tombstone(line):
                    lines.pop(aid, None)
                else:
                    lines[aid] = line
        live = {info.name for info in segments}
        for name in _names(directory):
            match = SEGMENT_RE.match(name.removesuffix(".bak"))
            if match and f"seg-{match.group(1)}" not in live:
                self.find(
                    directory / name,
                    "catalogue file no manifest lists (left by an interrupted write)",
                    partial(_unlink, directory / name),
                )
        return [orjson.loads(line) for line in lines.values()]

    def check_packs(self, entries: list[dict[str, Any]]) -> None:
        bodies = self.root / "bodies"
        refs: dict[str, list[BodyRef]] = {}
        sources: set[str] = set()  # packs that hold source texts (the rest hold blocks alone)
        for entry in entries:
            for ref in (entry.get("body"), entry.get("blocks")):
                if ref:
                    refs.setdefault(str(ref[0]), []).append(BodyRef.from_json(ref))
            if entry.get("body"):
                sources.add(str(entry["body"][0]))
        on_disk = {n.removesuffix(".bak") for n in _names(bodies) if PACK_RE.match(n.removesuffix(".bak"))}
        for pack in sorted(set(refs) | on_disk):
            path = bodies / pack
            copy = backup_path(path)
            self.files += path.exists() + copy.exists()
            if pack not in refs:
                self.find(
                    path,
                    "no article points into this pack (left by an interrupted import)",
                    partial(_drop_pack, path),
                )
                continue
            bad = _first_bad(path, refs[pack])
            if pack not in sources and not copy.exists():  # blocks alone, written without a copy
                if bad:
                    self.find(
                        path,
                        f"blocks pack is damaged ({bad}); it keeps no copy (blocks are made from the "
                        "source texts): its articles are cleaned again",
                        partial(_drop_blocks_pack, path),
                    )
                continue
            bad_copy = _first_bad(copy, refs[pack])
            if bad and bad_copy:
                self.find(
                    path,
                    f"body pack is damaged ({bad}) and its copy too ({bad_copy}); re-import its articles' files",
                )
            elif bad:
                self.find(
                    path,
                    f"body pack is damaged ({bad}); its copy is good",
                    partial(_restore_pack, path, backup_path(path)),
                )
            elif bad_copy:
                self.find(
                    copy,
                    f"copy of a body pack is damaged ({bad_copy})",
                    partial(_restore_pack, backup_path(path), path),
                )

    def check_buckets(self) -> None:
        ann_dir = self.root / "annotations"
        manifest = self.root / MANIFEST_NAME
        known_data = self.pair(manifest, None, "list of annotation buckets", required=False)
        known = set((known_data or {}).get("buckets", [])) if isinstance(known_data, dict) else set()
        on_disk = {m.group(1) for n in _names(ann_dir) if (m := BUCKET_RE.match(n.removesuffix(".bak")))}
        lost = []
        for key in sorted(on_disk | known):
            path = ann_dir / f"{key}.json"
            if not path.exists() and not backup_path(path).exists():
                lost.append(path)
                continue
            self.pair(path, validate_bucket, "annotation bucket", required=True)
        for path in lost:
            self.find(
                path,
                "annotation bucket is missing and has no backup (its articles' annotations are lost)",
                partial(_forget_bucket, self.root, path),
            )
        for name in _names(ann_dir):
            if name.endswith(".log") and BUCKET_RE.match(name.removesuffix(".log") + ".json"):
                self.check_log(ann_dir / name)
        if (ann_dir / JOURNAL_NAME).exists():
            self.find(
                ann_dir / JOURNAL_NAME,
                "a batch of annotations was interrupted",
                lambda: _finish_batch(self.root),
            )

    def check_log(self, path: Path) -> None:
        """An annotation bucket's append log and its copy (`library.store.bucket_log`): damage,
        a copy behind the log, a torn last line, a log whose bucket is gone."""
        bak = backup_path(path)
        self.files += path.exists() + bak.exists()
        bucket = path.with_suffix(".json")
        if not bucket.exists() and not backup_path(bucket).exists():
            self.find(
                path,
                "annotation log without its bucket (it cannot be applied)",
                partial(bucket_log.set_log_aside, path),
            )
            return
        main, copy = bucket_log.read_or_none(path), bucket_log.read_or_none(bak)
        parsed = bucket_log.parse_log(main) if main is not None else ([], 0, "file is missing")
        copy_parsed = bucket_log.parse_log(copy) if copy is not None else ([], 0, "there is no copy")
        (entries, good, why), (copy_entries, copy_good, copy_why) = parsed, copy_parsed
        if why and copy_why:
            self.find(
                path,
                f"annotation log is damaged ({why}) and its copy is unusable too ({copy_why}); "
                "the changes it holds since its bucket was last written are lost",
                partial(bucket_log.set_log_aside, path),
            )
            return
        if why or len(copy_entries) > len(entries):
            assert copy is not None
            problem = why or "the log is behind its copy"
            self.find(
                path,
                f"annotation log is damaged ({problem}); its copy is good",
                partial(bucket_log.log_from, path, copy[:copy_good]),
            )
            return
        assert main is not None
        if copy_why or copy_entries != entries:
            self.find(
                bak,
                "copy of the annotation log is behind the log or damaged",
                partial(bucket_log.log_from, bak, main[:good]),
            )
        elif len(main) > good or (copy is not None and len(copy) > copy_good):
            self.find(
                path,
                "annotation log ends in a torn line (a save that never returned)",
                partial(bucket_log.truncate_log, path, good),
            )

    def check_derived(self) -> None:
        # Derived data (counted again from the packs when both copies are bad), checked the same way.
        self.pair(self.root / SITES_NAME, _site_counts_shape, "site counts", required=False)  # version 1
        counts = self.root / COUNTS_DIR
        for name in _names(counts):
            if not COUNTS_RE.match(name):
                continue
            path = counts / name
            self.files += 1
            why = check_file(path)
            if why:
                self.find(
                    path,
                    f"site counts are damaged ({why}; derived: counted again from the packs)",
                    partial(_set_aside, path),
                )
        history = self.root / HISTORY_NAME
        if history.exists():
            self.files += 1
            bad = _history_problems(history)
            if bad:
                self.find(history, f"{bad} unreadable line(s) of the undo history (skipped when read)")


def _names(directory: Path) -> list[str]:
    try:
        return sorted(os.listdir(directory))
    except OSError:
        return []


def _first_bad(path: Path, refs: list[BodyRef]) -> str:
    """Why some line `refs` point at in `path` is not right, or "" (the pack is read once)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "file is missing"
    except OSError as err:
        return err.strerror or str(err)
    for ref in refs:
        line = data[ref.offset : ref.offset + ref.length]
        if len(line) != ref.length:
            return f"truncated to {len(data)} bytes"
        if line_hash(line) != ref.hash:
            return f"bytes at offset {ref.offset} do not match their checksum"
    return ""


def _restore_pack(target: Path, good: Path) -> str:
    kept = move_aside(target) if target.exists() else None
    atomic_write_bytes(target, good.read_bytes())
    return f"written again from {good.name}" + (f"; the damaged file is kept as {kept.name}" if kept else "")


def _restore_segment(target: Path, good: bytes, *, compress: bool) -> str:
    """Write a catalogue segment (`compress=False`) or its compressed copy again from the good one."""
    kept = move_aside(target) if target.exists() else None
    atomic_write_bytes(target, compressed_copy(good) if compress else good)
    source = target.name.removesuffix(".bak") if compress else backup_path(target).name
    return f"written again from {source}" + (f"; the damaged file is kept as {kept.name}" if kept else "")


def _drop_blocks_pack(path: Path) -> str:
    kept = move_aside(path)
    return f"moved aside as {kept.name}; its articles are made pending when the library is next opened"


def _drop_pack(path: Path) -> str:
    for p in (path, backup_path(path)):
        if p.exists():
            p.unlink()
    return "removed (it held only texts no article uses)"


def _write_again(path: Path, data: bytes) -> str:
    atomic_write_bytes(path, data)
    return "written again"


def _set_aside(path: Path) -> str:
    kept = move_aside(path)
    return f"moved aside as {kept.name}; counted again when the library is opened"


def _unlink(path: Path) -> str:
    path.unlink()
    return "removed"


def _forget_bucket(root: Path, path: Path) -> str:
    store = AnnotationStore(root / "annotations", read_only=False, notice=lambda _m: None)
    try:
        store.forget_lost()
    finally:
        store.close()
    return "the library goes on without it (as asked by --repair)"


def _finish_batch(root: Path) -> str:
    store = AnnotationStore(root / "annotations", read_only=False, notice=lambda _m: None)
    store.close()
    return "finished"


def _history_problems(path: Path) -> int:
    bad = 0
    for line in path.read_bytes().split(b"\n"):
        if not line.strip():
            continue
        try:
            rec = orjson.loads(line)
            rec["op"], int(rec["n"])
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            bad += 1
    return bad


# What a library directory holds (any one of them: a damaged library may have lost the rest).
LIBRARY_NAMES = (
    META_NAME,
    CATALOG_NAME,
    LOCK_NAME,
    HISTORY_NAME,
    SITES_NAME,
    "bodies",
    SEGMENTS_DIR,
    COUNTS_DIR,
    "annotations",
)


def holds_library(root: Path) -> bool:
    """Whether `root` holds any file or folder of a library: a check of another folder says so
    instead of calling it sound, and a repair does not leave a `lock` that makes it one."""
    return root.is_dir() and any((root / name).exists() for name in LIBRARY_NAMES)


def check_library(path: Path, *, repair: bool = False, lookup_keys: LookupKeys | None = None) -> CheckReport:
    """Every finding about the library at `path`; with `repair`, under the writer lock (raises
    StoreLocked when another process has it open), each one that has a good copy is repaired.
    `lookup_keys` is the function the library's catalogue indexes its entries' keys with.
    Raises StoreError for a folder that holds no library at all."""
    root = Path(path)
    if not holds_library(root):
        raise StoreError(f"{root}: no library here")
    if not repair:
        return _Checker(root, repair=False, lookup_keys=lookup_keys).run()
    left = temporary_files(root)  # listed first: taking the lock removes them
    lock = WriterLock(root)
    lock.acquire()
    try:
        report = _Checker(root, repair=True, lookup_keys=lookup_keys).run()
    finally:
        lock.release()
    gone = [
        Finding(p, "temporary file of a write that never finished", "removed") for p in left if not p.exists()
    ]
    report.findings[:0] = gone
    return report
