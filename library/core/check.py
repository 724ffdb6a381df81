"""The library check (`reader check`) at the domain's front: the checking itself lives with the
files it reads, in `library.store.check`; callers outside the store import it from here."""

from __future__ import annotations

from library.store.check import CheckReport, Finding, check_library

__all__ = ["CheckReport", "Finding", "check_library"]
