"""The library check (`reader check`) at the domain's front: the checking itself lives with the
files it reads, in `library.store.check`; callers outside the store import it from here."""

from __future__ import annotations

from pathlib import Path

from library.core.records import lookup_keys
from library.store.check import CheckReport, Finding
from library.store.check import check_library as _check_library


def check_library(path: Path, *, repair: bool = False) -> CheckReport:
    """Every finding about the library at `path` (see `library.store.check.check_library`)."""
    return _check_library(path, repair=repair, lookup_keys=lookup_keys)


__all__ = ["CheckReport", "Finding", "check_library"]
