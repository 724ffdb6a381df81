"""The on-disk library: catalogue, article bodies and annotations in separate atomic files."""

from library.store.errors import StoreCorrupt, StoreError, StoreLocked, StoreReadOnly
from library.store.library import ImportReport, Library, default_store_path

__all__ = [
    "ImportReport",
    "Library",
    "StoreCorrupt",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "default_store_path",
]
