"""Article source texts and blocks in write-once packs: `bodies/pack-NNNNNN.jsonl`.

Why packs: one file per import batch (source texts, and a second of their cleaned blocks) or
cleaned batch (blocks) keeps a batch to one body write per kind (not one per article, and never
a rewrite of what is already stored). Each line is one article as orjson, addressed from the
catalogue by (pack, offset, length) and checked against a hash, so a garbled pack is noticed
when an article is read. Packs never change once written. A pack of source texts is written
twice (`.jsonl` and `.jsonl.bak`) so a damaged pack can be recovered from its copy; the copy is
written by a helper thread while the caller goes on (an import reads its next files meanwhile),
and callers wait for it with `wait_copies` before they report success. A pack of blocks that an
import writes keeps no copy: blocks are what cleaning makes of the source, so a damaged one
makes its articles pending again, and they are cleaned again (one notice says so).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from library.store.atomic import backup_path, fsync_dir, move_aside, write_new_file
from library.store.errors import StoreCorrupt
from library.store.schema import pack_line_problem

PACK_RE = re.compile(r"^pack-(\d{6,})\.jsonl$")


def line_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class BodyRef:
    pack: str  # file name inside bodies/
    offset: int
    length: int
    hash: str

    def to_json(self) -> list[Any]:
        return [self.pack, self.offset, self.length, self.hash]

    @classmethod
    def from_json(cls, data: list[Any]) -> BodyRef:
        return cls(str(data[0]), int(data[1]), int(data[2]), str(data[3]))


class BodyPacks:
    def __init__(self, directory: Path, *, read_only: bool, notice: Any) -> None:
        self.dir = Path(directory)
        self.read_only = read_only
        self._notice = notice
        self._next = self._first_free_number()
        self._copier: ThreadPoolExecutor | None = None
        self._copies: list[tuple[Path, Future[None]]] = []

    def _first_free_number(self) -> int:
        highest = 0
        if self.dir.is_dir():
            for name in os.listdir(self.dir):
                m = PACK_RE.match(name.removesuffix(".bak"))
                if m:
                    highest = max(highest, int(m.group(1)))
        return highest + 1

    def write_pack(self, records: list[dict[str, Any]]) -> list[BodyRef]:
        """Write one pack holding `records`, durably, and return where each one lies."""
        return self.write_lines([orjson.dumps(record) for record in records])

    def write_lines(self, lines: list[bytes], spare: bool = True) -> list[BodyRef]:
        """Write one pack of already-encoded records (one orjson line each), durably; with
        `spare`, its copy too (see the module docstring). A pack of blocks alone is written
        without (`spare=False`): its lines are derived from the source texts, and a damaged one
        makes its articles pending again (`derivable`)."""
        self.dir.mkdir(parents=True, exist_ok=True)
        name = f"pack-{self._next:06d}.jsonl"
        self._next += 1
        refs: list[BodyRef] = []
        offset = 0
        for line in lines:
            refs.append(BodyRef(name, offset, len(line), line_hash(line)))
            offset += len(line) + 1
        data = b"\n".join(lines) + b"\n"
        write_new_file(self.dir / name, data)
        if not spare:
            return refs
        if self._copier is None:
            self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pack-copy")
        copy = backup_path(self.dir / name)
        self._copies.append((copy, self._copier.submit(write_new_file, copy, data)))
        return refs

    def wait_copies(self) -> None:
        """Wait until every pack written so far has its copy on disk. A copy that could not be
        written is reported (the pack itself is durable; it only lacks its spare)."""
        copies, self._copies = self._copies, []
        for path, future in copies:
            try:
                future.result()
            except OSError as err:
                self._notice(f"{path}: could not write the spare copy of a body pack ({err.strerror or err})")
        # No idle thread is left behind: worker pools started after this (cleaning) can then
        # fork a single-threaded process, which is faster and safer than the alternatives.
        if self._copier is not None:
            self._copier.shutdown(wait=True)
            self._copier = None

    def close(self) -> None:
        self.wait_copies()

    def read_raw(self, ref: BodyRef) -> bytes:
        """The line `ref` points at, verified; recovered from the pack's copy when damaged."""
        path = self.dir / ref.pack
        problem = _read_checked(path, ref)
        if isinstance(problem, bytes):
            return problem
        bak = backup_path(path)
        good = _read_checked(bak, ref) if bak.exists() else "no backup copy"
        if not isinstance(good, bytes):
            raise StoreCorrupt(
                f"{path}: body pack is damaged ({problem}) and its backup is unusable ({good}); "
                "re-import the article's source file to restore it"
            )
        if not self.read_only:
            kept = move_aside(path) if path.exists() else None
            write_new_file(path, bak.read_bytes())
            fsync_dir(self.dir)
            where = f"; the damaged file is kept as {kept.name}" if kept else ""
            self._notice(f"{path}: body pack was damaged ({problem}); recovered from its copy{where}")
        else:
            self._notice(
                f"{path}: body pack is damaged ({problem}); reading its copy (open for writing to repair)"
            )
        return good

    def read(self, ref: BodyRef) -> dict[str, Any]:
        """The article record at `ref`, checked against its schema (a wrong-shaped line is damage)."""
        raw = self.read_raw(ref)
        try:
            record = orjson.loads(raw)
        except orjson.JSONDecodeError as err:
            problem = f"not valid JSON ({err})"
        else:
            problem = pack_line_problem(record)
            if not problem:
                return record
        copy = _read_checked(backup_path(self.dir / ref.pack), ref)
        if isinstance(copy, bytes):
            with contextlib.suppress(orjson.JSONDecodeError):
                record = orjson.loads(copy)
                if not pack_line_problem(record):
                    self._notice(
                        f"{self.dir / ref.pack}: body pack line at offset {ref.offset} {problem}; read its copy"
                    )
                    return record
        raise StoreCorrupt(
            f"{self.dir / ref.pack}: body pack line at offset {ref.offset} is damaged ({problem}) "
            "and has no good copy; re-import the article's source file to restore it"
        )

    def has_copy(self, pack: str) -> bool:
        return backup_path(self.dir / pack).exists()

    def check_sizes(self, needed: dict[str, int]) -> dict[str, str]:
        """At open: a pack shorter than the catalogue needs is truncated; repair it from its copy.
        Returns the damaged packs that keep no copy at all (pack -> the problem): packs of
        blocks, which the caller derives again (see `Library._reclean_lost_blocks`); a pack
        whose copy is there but bad is refused here."""
        lost: dict[str, str] = {}
        for pack, end in needed.items():
            path = self.dir / pack
            try:
                size = path.stat().st_size
            except FileNotFoundError:
                size = -1
            if size >= end:
                continue
            problem = "file is missing" if size < 0 else f"truncated to {size} bytes, {end} needed"
            bak = backup_path(path)
            try:
                bak_ok = bak.stat().st_size >= end
            except FileNotFoundError:
                bak_ok = False
            if not bak_ok and not bak.exists():
                lost[pack] = problem
                continue
            if not bak_ok:
                raise StoreCorrupt(
                    f"{path}: body pack is damaged ({problem}) and has no good copy; "
                    "move it away and re-import its articles' source files"
                )
            if self.read_only:
                self._notice(
                    f"{path}: body pack is damaged ({problem}); reading its copy (open for writing to repair)"
                )
                continue
            kept = move_aside(path) if path.exists() else None
            write_new_file(path, bak.read_bytes())
            where = f"; the damaged file is kept as {kept.name}" if kept else ""
            self._notice(f"{path}: body pack was damaged ({problem}); recovered from its copy{where}")
        return lost

    def pack_bytes(self, pack: str) -> bytes:
        return (self.dir / pack).read_bytes()

    def cached_reader(self) -> Callable[[BodyRef], bytes | None]:
        """A reader of verified lines that keeps the last pack it read whole: a pass over the
        articles of a batch (a cold search) reads each pack file once, not once per article.
        It answers None for a line that does not verify; the caller then takes `read_raw`,
        which says so and recovers from the copy."""
        kept: dict[str, bytes] = {}

        def read(ref: BodyRef) -> bytes | None:
            data = kept.get(ref.pack)
            if data is None:
                kept.clear()
                try:
                    data = kept[ref.pack] = self.pack_bytes(ref.pack)
                except OSError:
                    return None
            line = data[ref.offset : ref.offset + ref.length]
            return line if len(line) == ref.length and line_hash(line) == ref.hash else None

        return read


def _read_checked(path: Path, ref: BodyRef) -> bytes | str:
    """The verified line, or a one-phrase reason why it cannot be had."""
    try:
        with open(path, "rb") as handle:
            handle.seek(ref.offset)
            data = handle.read(ref.length)
    except FileNotFoundError:
        return "file is missing"
    except OSError as err:
        return err.strerror or str(err)
    if len(data) != ref.length:
        return "truncated"
    if line_hash(data) != ref.hash:
        return f"bytes at offset {ref.offset} do not match their checksum"
    return data
