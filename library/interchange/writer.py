"""Writing an export file: atomically (temp file, fsync, rename) and never over an existing file
unless asked, so an export can neither clobber a user's file nor leave half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


class ExportError(Exception):
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
