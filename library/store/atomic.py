"""Atomic, durable file writes with a kept previous generation, and a TinyDB storage built on them.

Why: TinyDB's own `JSONStorage` rewrites its file in place (seek, write, truncate), so a crash
mid-write leaves a torn file. Here every write goes to a temporary file in the same directory,
is fsynced, and is swapped in with `os.replace`; the directory is fsynced so the rename itself
survives a power cut. The same bytes are then written the same way to `<name>.bak`, a separate
copy (not a hard link, which would share any damage). A write that returns is durable.
Reading detects a torn or garbled file, moves it aside as `<name>.corrupt-<timestamp>` (never
overwriting it) and falls back to the backup; with no good backup it raises `StoreCorrupt`.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from library.store.errors import StoreCorrupt, StoreReadOnly
from library.store.schema import tinydb_tables

Notice = Callable[[str], None]


def fsync_dir(directory: Path) -> None:
    """Make a rename or a new file in `directory` durable (POSIX; a no-op where unsupported)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".bak")


def _tmp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


TMP_RE = re.compile(r"^\..+\.\d+\.tmp$")
STORE_FOLDERS = ("", "bodies", "annotations", "catalog", "sites")


def temporary_files(library_dir: Path) -> list[Path]:
    """Temporary files of writes that never finished (`_tmp_path` names) in a library's folders."""
    found: list[Path] = []
    for folder in STORE_FOLDERS:
        directory = Path(library_dir) / folder
        try:
            names = os.listdir(directory)
        except OSError:
            continue
        found.extend(directory / name for name in sorted(names) if TMP_RE.match(name))
    return found


def sweep_temporary_files(library_dir: Path) -> list[Path]:
    """Remove what killed writers left half-written. Only a writer calls this, holding the lock:
    no other process is writing, so every temporary file is abandoned (none is ever renamed)."""
    removed = []
    for path in temporary_files(library_dir):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    for directory in {p.parent for p in removed}:
        fsync_dir(directory)
    return removed


def atomic_write_bytes(
    path: Path, data: bytes, *, keep_backup: bool = False, backup: bytes | None = None
) -> None:
    """Replace `path` with `data` atomically and durably; with `keep_backup`, `<name>.bak` too
    (holding `backup` when given: the same bytes in another encoding, see `segments.compressed_copy`).

    On any failure the old file is untouched and the temporary file is removed. The backup is a
    second, separately written copy of the same generation, so damage to one file (a bad sector,
    a stray tool writing in place) never reaches the other, and recovery loses nothing.
    """
    path = Path(path)
    targets = [path, backup_path(path)] if keep_backup else [path]
    pending: list[tuple[Path, Path]] = []
    try:
        for target in targets:
            tmp = _tmp_path(target)
            pending.append((tmp, target))
            with open(tmp, "wb") as handle:
                handle.write(data if backup is None or target == path else backup)
                handle.flush()
                os.fsync(handle.fileno())
        for tmp, target in pending:  # the file first, then its copy: each step leaves good files
            os.replace(tmp, target)
    except BaseException:
        for tmp, _ in pending:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    fsync_dir(path.parent)  # one directory sync makes both renames durable


def write_new_file(path: Path, data: bytes) -> None:
    """Create a write-once file (a body pack) atomically and durably."""
    atomic_write_bytes(path, data, keep_backup=False)


def corrupt_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    return candidate


def move_aside(path: Path) -> Path:
    """Keep a damaged file for inspection under a new name; return that name."""
    target = corrupt_name(path)
    os.replace(path, target)
    fsync_dir(path.parent)
    return target


def _parse_json(path: Path, validate: Callable[[Any], None] | None) -> Any:
    """The parsed content of `path`; ValueError with the reason when it is torn or garbled."""
    raw = path.read_bytes()
    if not raw.strip():
        raise ValueError("file is empty (truncated)")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as err:
        raise ValueError(f"not valid JSON ({err})") from None
    if validate is not None:
        try:
            validate(data)
        except (TypeError, KeyError, AttributeError, IndexError) as err:
            raise ValueError(f"wrong shape ({type(err).__name__}: {err})") from None
    return data


def load_json_recovering(
    path: Path,
    *,
    read_only: bool,
    notice: Notice,
    validate: Callable[[Any], None] | None = None,
    what: str = "store file",
) -> Any | None:
    """Parse `path`; on damage recover from `.bak` (moving the damaged file aside unless read-only).

    Returns None when neither the file nor a backup exists (a new store). A missing file with a
    backup present is treated as damage too: the store never starts silently empty.
    """
    path = Path(path)
    bak = backup_path(path)
    if path.exists():
        try:
            return _parse_json(path, validate)
        except (ValueError, OSError) as err:
            reason = str(err) if isinstance(err, ValueError) else (err.strerror or str(err))
    elif bak.exists():
        reason = "file is missing"
    else:
        return None
    try:
        data = _parse_json(bak, validate) if bak.exists() else None
    except (ValueError, OSError) as err:
        bak_reason = str(err) if isinstance(err, ValueError) else (err.strerror or str(err))
        raise StoreCorrupt(
            f"{path}: {what} is damaged ({reason}) and its backup {bak.name} is unusable too ({bak_reason})"
        ) from None
    if data is None:
        raise StoreCorrupt(f"{path}: {what} is damaged ({reason}) and there is no backup to recover from")
    if read_only:
        notice(
            f"{path}: {what} is damaged ({reason}); showing its last good backup (open for writing to repair)"
        )
        return data
    kept = move_aside(path) if path.exists() else None
    atomic_write_bytes(path, bak.read_bytes())  # the backup stays as it is: it is good
    where = f"; the damaged file is kept as {kept.name}" if kept else ""
    notice(f"{path}: {what} was damaged ({reason}); recovered from its last good backup{where}")
    return data


def validate_tinydb(data: Any) -> None:
    """A TinyDB file is {table: {doc_id: {...}}}."""
    tinydb_tables(data)


class AtomicJSONStorage(Storage):
    """TinyDB storage: parsed data kept in memory, every write atomic and durable, with a backup.

    TinyDB mutates the dict `read()` returns before calling `write()`; if the write fails the
    cache no longer matches the disk, so it is dropped and re-read from the file.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        read_only: bool = False,
        notice: Notice | None = None,
        what: str = "store file",
        validate: Callable[[Any], None] | None = None,
        **_: Any,
    ) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.what = what
        self._validate = validate or validate_tinydb
        self._notice: Notice = notice or (lambda _msg: None)
        self._data: dict[str, Any] | None = None
        self._loaded = False

    def _load(self) -> None:
        self._data = load_json_recovering(
            self.path, read_only=self.read_only, notice=self._notice, validate=self._validate, what=self.what
        )
        self._loaded = True

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self._load()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        if self.read_only:
            self._loaded = False  # TinyDB already changed the cached dict: forget it
            raise StoreReadOnly(f"{self.path}: library is open read-only")
        try:
            payload = orjson.dumps(data)
            if not self.path.parent.is_dir():
                self.path.parent.mkdir(parents=True, exist_ok=True)
                fsync_dir(self.path.parent.parent)
            atomic_write_bytes(self.path, payload, keep_backup=True)
        except BaseException:
            self._loaded = False
            self._data = None
            raise
        self._data = data
        self._loaded = True

    def close(self) -> None:
        pass
