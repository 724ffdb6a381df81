"""Store errors beyond the base family in `errors.py`: each message names the file and the reason."""

from __future__ import annotations

from library.store.errors import StoreLocked


class StoreUnwritable(StoreLocked):
    """The writer lock cannot be taken because the directory cannot be written (a read-only file
    system, no permission). A kind of `StoreLocked`: as with a lock held by another process,
    a read-only view of the library still works, and callers that fall back to one do so."""
