"""newsnotes-reader's domain: ingest, cleaning, annotations, interchange and the store.

Nothing in this package imports Textual; the command line and the app in `reader/` sit on top of it.
The public names below are the front door: `open_library` gives a `Library`, `ArticleQuery` says
which articles, and every error the domain raises on purpose is a `LibraryError`. They load on
first use so that `import library` stays cheap for commands that need little of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from library.core.importing import CleanReport, ImportReport
    from library.core.labels import TagCount
    from library.core.library import Library
    from library.core.opening import READ_ONLY_NOTICE, default_store_path
    from library.core.query import ArticleQuery
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
    "ArticleQuery": "library.core.query",
    "BlockNotFound": "library.errors",
    "CleanReport": "library.core.importing",
    "HighlightNotFound": "library.errors",
    "ImportReport": "library.core.importing",
    "InvalidInput": "library.errors",
    "Library": "library.core.library",
    "LibraryError": "library.errors",
    "NotFound": "library.errors",
    "READ_ONLY_NOTICE": "library.core.opening",
    "StoreCorrupt": "library.store.errors",
    "StoreError": "library.store.errors",
    "StoreLocked": "library.store.errors",
    "StoreReadOnly": "library.store.errors",
    "TagCount": "library.core.labels",
    "default_store_path": "library.core.opening",
}

__all__ = [
    "READ_ONLY_NOTICE",
    "AmbiguousId",
    "ArticleNotFound",
    "ArticleQuery",
    "BlockNotFound",
    "CleanReport",
    "HighlightNotFound",
    "ImportReport",
    "InvalidInput",
    "Library",
    "LibraryError",
    "NotFound",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "TagCount",
    "default_store_path",
    "open_library",
]


def open_library(
    path: Path | str | None = None,
    *,
    read_only: bool = False,
    annotator: str | None = None,
    wait_for_lock: bool = False,
) -> Library:
    """Open the library at `path` ($READER_DB or the user data directory when None), creating it
    unless `read_only`. `annotator` is recorded on new highlights and tags.

    Raises StoreLocked (another process writes to it: retry with `read_only=True`), StoreCorrupt
    (a damaged file without a good backup) or StoreError (not a library directory).
    """
    from library.core.library import Library

    lib = Library.open(
        Path(path) if path is not None else None, read_only=read_only, wait_for_lock=wait_for_lock
    )
    if annotator is not None:
        lib.annotator = annotator
    return lib


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'library' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
