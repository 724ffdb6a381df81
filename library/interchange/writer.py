"""Writing an export file: atomically (temp file, fsync, rename) and never over an existing file
unless asked, so an export can neither clobber a user's file nor leave half a file behind."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from library.errors import LibraryError


class ExportError(LibraryError):
    """An export could not be written; the message names the file and the reason."""


def write_file(path: Path, data: bytes, *, force: bool = False) -> None:
    """Write `data` to `path` atomically; an existing file is replaced only with `force`."""
    path = Path(path)
    if path.is_dir():
        raise ExportError(f"{path}: is a directory")
    if path.exists() and not force:
        raise ExportError(f"{path}: file exists (use --force to overwrite)")
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise ExportError(f"{path}: folder {directory} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise ExportError(f"{path}: cannot write ({err.strerror})") from err
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; an export gets the user's usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if force:
            os.replace(tmp, path)
        else:
            # link() fails if the name appeared meanwhile: never overwrite without force, even in a race.
            try:
                os.link(tmp, path)
            except FileExistsError as err:
                raise ExportError(f"{path}: file exists (use --force to overwrite)") from err
            except OSError:
                if path.exists():
                    raise ExportError(f"{path}: file exists (use --force to overwrite)") from None
                os.replace(tmp, path)  # file systems without hard links
        _fsync_dir(directory)
    except OSError as err:
        raise ExportError(f"{path}: cannot write ({err.strerror})") from err
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _umask() -> int:
    mask = os.umask(0o022)  # the only portable way to read it is to set it
    os.umask(mask)
    return mask


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_folder(path: Path, files: dict[str, bytes], *, force: bool = False) -> None:
    """Write a folder of files (brat, WebAnno TSV) atomically: filled and synced under a temporary
    name, then renamed into place; an existing folder is replaced only with `force`."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path}: exists and is not a folder")
    if path.exists() and not force:
        raise ExportError(f"{path}: folder exists (use --force to replace it)")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"{path}: folder {parent} does not exist")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent))
    except OSError as err:
        raise ExportError(f"{path}: cannot write ({err.strerror})") from err
    old: Path | None = None
    try:
        for name, data in files.items():
            target = tmp / name
            if target.parent != tmp or name in ("", ".", ".."):
                raise ExportError(f"{path}: refusing file name {name!r}")
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        _fsync_dir(tmp)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
            os.rmdir(old)
            os.rename(path, old)
        os.rename(tmp, path)
        _fsync_dir(parent)
    except OSError as err:
        raise ExportError(f"{path}: cannot write ({err.strerror})") from err
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and old.exists():
            shutil.rmtree(old, ignore_errors=True)
