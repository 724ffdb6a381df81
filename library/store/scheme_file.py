"""The library's remembered label scheme: `scheme.toml` in the library directory.

Why a copy of the scheme's text rather than its name or path: the labels a library was annotated
with must not change under it when a scheme file is moved or edited, or when a newer program ships
a different bundled version. Written atomically (with a backup), like every store file.
"""

from __future__ import annotations

from pathlib import Path

from library.store.atomic import atomic_write_bytes, backup_path
from library.store.errors import StoreReadOnly

SCHEME_NAME = "scheme.toml"


def read_scheme_texts(directory: Path) -> list[tuple[Path, str]]:
    """The stored scheme's text, then its backup's, as (file, text) for each that could be read:
    the caller parses the first and falls back to the next. Empty when the library has no scheme."""
    path = Path(directory) / SCHEME_NAME
    found: list[tuple[Path, str]] = []
    for candidate in (path, backup_path(path)):
        try:
            found.append((candidate, candidate.read_bytes().decode("utf-8")))
        except (OSError, UnicodeDecodeError):  # absent or unreadable: the other copy may do
            continue
    return found


def write_scheme_text(directory: Path, text: str, *, read_only: bool) -> Path:
    path = Path(directory) / SCHEME_NAME
    if read_only:
        raise StoreReadOnly(f"{path}: library is open read-only; the scheme was not changed")
    atomic_write_bytes(path, text.encode("utf-8"), keep_backup=True)
    return path


def remove_scheme_file(directory: Path, *, read_only: bool) -> None:
    path = Path(directory) / SCHEME_NAME
    if read_only:
        raise StoreReadOnly(f"{path}: library is open read-only; the scheme was not changed")
    for candidate in (path, backup_path(path)):
        candidate.unlink(missing_ok=True)
