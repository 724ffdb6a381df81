"""The append log beside an annotation bucket: `annotations/<xx>.log`, and its copy `<xx>.log.bak`.

Why: a bucket is one JSON file, and an article with thousands of highlights makes it megabytes;
rewriting it for every change of one highlight cost more than the change. A change is appended
here instead, as one line holding a patch of the article's record (`library.store.patches`),
fsynced in both copies before the write returns; the bucket file takes the log in (and the log
is removed) once the log has grown to the bucket's size, so a change costs O(change) writes,
amortised.

Each line is `<crc32 in hex> <JSON>`: `{"seq", "article_id", "patch"}` or
`{"seq", "article_id", "record"}`. `seq` grows by one per line; the bucket records the last
`seq` it holds, so a line the bucket already took in (a crash between the bucket's write and the
log's removal) is skipped. A torn last line is a write that never returned: it is dropped. A bad
line before good ones is damage: the copy is read instead, and with no good copy the log is
refused with one line naming the file and the reason (as for a bucket without a good backup).
"""

from __future__ import annotations

import contextlib
import os
import zlib
from pathlib import Path
from typing import Any

import orjson

from library.store import patches
from library.store.atomic import Notice, atomic_write_bytes, backup_path, fsync_dir, move_aside
from library.store.errors import StoreCorrupt, StoreReadOnly


def encode(entry: dict[str, Any]) -> bytes:
    payload = orjson.dumps(entry)
    return b"%08x " % zlib.crc32(payload) + payload + b"\n"


def _entry(line: bytes) -> dict[str, Any]:
    """One line's entry; ValueError when it is torn or garbled."""
    crc, _, payload = line.partition(b" ")
    if len(crc) != 8 or int(crc, 16) != zlib.crc32(payload):
        raise ValueError("checksum does not match")
    entry = orjson.loads(payload)
    if not isinstance(entry, dict) or not isinstance(entry.get("seq"), int):
        raise ValueError("not a log entry")
    if not isinstance(entry.get("article_id"), str):
        raise ValueError("no article id")
    if "patch" in entry:
        patches.check(entry["patch"])
    elif not isinstance(entry.get("record"), dict):
        raise ValueError("neither a patch nor a record")
    return entry


def parse_log(raw: bytes) -> tuple[list[dict[str, Any]], int, str]:
    """(entries of the good lines, bytes they take, why the rest is bad or "" when only a torn
    last line, or nothing, follows them)."""
    entries: list[dict[str, Any]] = []
    good = 0
    lines = raw.split(b"\n")
    for i, line in enumerate(lines):
        last = i == len(lines) - 1  # after the final newline: "" or a line cut short
        try:
            entries.append(_entry(line))
        except (ValueError, orjson.JSONDecodeError) as err:
            if last or (i == len(lines) - 2 and lines[-1] == b""):
                return entries, good, ""  # the last line, torn by a crash mid-append
            if not line.strip() and not any(x.strip() for x in lines[i + 1 :]):
                return entries, good, ""
            return entries, good, f"line {i + 1} is damaged ({err})"
        good += len(line) + 1
    return entries, good, ""


class BucketLog:
    """One bucket's log (see the module docstring)."""

    def __init__(self, path: Path, *, read_only: bool, notice: Notice) -> None:
        self.path = Path(path)
        self.bak = backup_path(self.path)
        self.read_only = read_only
        self._notice = notice
        self.size = 0  # bytes of good lines

    def read(self) -> list[dict[str, Any]]:
        """The entries, recovered from the copy when the log is damaged; a torn last line is cut
        off (unless read-only). Raises StoreCorrupt when neither copy is good."""
        main = self._raw(self.path)
        copy = self._raw(self.bak)
        if main is None and copy is None:
            self.size = 0
            return []
        parsed = parse_log(main) if main is not None else ([], 0, "file is missing")
        entries, good, why = parsed
        copy_parsed = parse_log(copy) if copy is not None else None
        if why or (copy_parsed is not None and len(copy_parsed[0]) > len(entries) and not copy_parsed[2]):
            if copy_parsed is None or copy_parsed[2]:
                reason = why or "its copy is longer"
                copy_why = copy_parsed[2] if copy_parsed is not None else "there is no copy"
                raise StoreCorrupt(
                    f"{self.path}: annotation log is damaged ({reason}) and its copy {self.bak.name} "
                    f"is unusable too ({copy_why})"
                )
            entries, good, _ = copy_parsed
            assert copy is not None
            if self.read_only:
                self._notice(f"{self.path}: annotation log is damaged ({why}); showing its copy")
            else:
                kept = move_aside(self.path) if self.path.exists() else None
                atomic_write_bytes(self.path, copy[:good])
                where = f"; the damaged file is kept as {kept.name}" if kept else ""
                self._notice(
                    f"{self.path}: annotation log was damaged ({why}); recovered from its copy{where}"
                )
        elif not self.read_only:
            for path, raw in ((self.path, main), (self.bak, copy)):
                if raw is not None and len(raw) > good:  # a torn last line: never acknowledged
                    self._truncate(path, good)
        self.size = good
        return entries

    def _raw(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            raise StoreCorrupt(f"{path}: annotation log cannot be read ({err.strerror or err})") from None

    def _truncate(self, path: Path, size: int) -> None:
        with open(path, "r+b") as handle:
            handle.truncate(size)
            handle.flush()
            os.fsync(handle.fileno())

    def append(self, entry: dict[str, Any]) -> None:
        """Append one entry to the log and its copy, each fsynced: durable when this returns. On
        a failure (a full disk) both files are put back as they were, and the error is raised."""
        if self.read_only:
            raise StoreReadOnly(f"{self.path}: library is open read-only")
        line = encode(entry)
        done: list[tuple[Path, int]] = []  # (file, its size before)
        try:
            for path in (self.path, self.bak):
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
                try:
                    done.append((path, os.fstat(fd).st_size))
                    if os.write(fd, line) != len(line):
                        raise OSError(28, "No space left on device")
                    os.fsync(fd)
                finally:
                    os.close(fd)
            if any(size == 0 for _, size in done):
                fsync_dir(self.path.parent)
        except BaseException:
            for path, size in done:
                with contextlib.suppress(OSError):
                    if size == 0:
                        path.unlink()
                    else:
                        self._truncate(path, size)
            raise
        self.size += len(line)

    def set_aside(self) -> None:
        """A log whose bucket is gone cannot be applied (its patches need the records): kept
        under another name, said in one line, never applied to a new bucket of the same name."""
        for path in (self.path, self.bak):
            if not path.exists():
                continue
            if self.read_only:
                self._notice(f"{path}: annotation log without its bucket; ignored")
                continue
            kept = move_aside(path)
            self._notice(f"{path}: annotation log without its bucket; kept as {kept.name}, not applied")
        self.size = 0

    def remove(self) -> None:
        """After the bucket took the log in: the copy first, so a crash leaves a log and a copy
        that agree or a log alone (read as is)."""
        removed = False
        for path in (self.bak, self.path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed = True
        if removed:
            fsync_dir(self.path.parent)
        self.size = 0


# --- repairs for `reader check` (library.store.check) ---------------------------------------
def read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b"\0"  # unreadable: parsed as damage


def set_log_aside(path: Path) -> str:
    kept = [move_aside(p).name for p in (path, backup_path(path)) if p.exists()]
    return f"moved aside as {', '.join(kept)}; its bucket is read as it was last written"


def log_from(target: Path, data: bytes) -> str:
    kept = move_aside(target) if target.exists() else None
    atomic_write_bytes(target, data)
    return "written again from the good copy" + (f"; the damaged file is kept as {kept.name}" if kept else "")


def truncate_log(path: Path, size: int) -> str:
    for p in (path, backup_path(path)):
        if p.exists() and p.stat().st_size > size:
            with open(p, "r+b") as handle:
                handle.truncate(size)
                handle.flush()
                os.fsync(handle.fileno())
    return "the torn line is cut off"
