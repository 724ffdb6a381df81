"""newsnotes-reader's domain: ingest, cleaning, annotations, interchange and the store.

Nothing in this package imports Textual; the command line and the app in `reader/` sit on top of it.
The public names below are the front door; they load on first use so that `import library` stays cheap
for commands that need little of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from library.core.library import ImportReport, Library, default_store_path
    from library.errors import (
        AmbiguousId,
        ArticleNotFound,
        BlockNotFound,
        HighlightNotFound,
        InvalidInput,
        LibraryError,
        NotFound,
    )
    from library.store.errors import StoreCorrupt, StoreError, StoreLocked, StoreReadOnly

_PUBLIC = {
    "AmbiguousId": "library.errors",
    "ArticleNotFound": "library.errors",
    "BlockNotFound": "library.errors",
    "HighlightNotFound": "library.errors",
    "InvalidInput": "library.errors",
    "LibraryError": "library.errors",
    "NotFound": "library.errors",
    "ImportReport": "library.core.library",
    "Library": "library.core.library",
    "default_store_path": "library.core.library",
    "StoreCorrupt": "library.store.errors",
    "StoreError": "library.store.errors",
    "StoreLocked": "library.store.errors",
    "StoreReadOnly": "library.store.errors",
}

__all__ = [
    "AmbiguousId",
    "ArticleNotFound",
    "BlockNotFound",
    "HighlightNotFound",
    "InvalidInput",
    "LibraryError",
    "NotFound",
    "ImportReport",
    "Library",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "default_store_path",
]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'library' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
