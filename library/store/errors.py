"""Errors the store raises; each message names the file and the reason in one line.

They belong to the domain's one error family (`library.errors.LibraryError`), so a caller that
catches the root also catches these.
"""

from library.errors import LibraryError


class StoreError(LibraryError):
    """Base class: something about the store on disk stops the operation."""


class StoreLocked(StoreError):
    """Another process holds the writer lock."""


class StoreReadOnly(StoreError):
    """A write was attempted on a library opened read-only."""


class StoreCorrupt(StoreError):
    """A store file cannot be read and there is no good backup to recover from."""
