"""`Library`: the one object that owns the store and serialises every write.

API CONTRACT (stubs to be implemented): the app (`reader/`) and the CLI use only this class.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from library.annotations import ArticleAnnotations, Highlight
from library.model import Article, ArticleSummary, ParsedArticle

ENV_VAR = "READER_DB"


def default_store_path() -> Path:
    """$READER_DB if set, else the user data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("newsnotes-reader", appauthor=False) / "library"


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # new article ids
    unchanged: list[str] = field(default_factory=list)  # ids already in the store with identical source
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (origin label, existing id, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin label, reason)


class Library:
    """A library directory opened for reading, or for writing under an exclusive process lock."""

    path: Path
    read_only: bool
    notices: list[str]  # one-line messages for the user (recovered from backup, opened read-only, ...)

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False, wait_for_lock: bool = False) -> Library:
        """Open (creating if needed). Raises StoreLocked when another writer holds it and read_only is
        False; the caller may then retry with read_only=True. Raises StoreCorrupt when a damaged file
        has no good backup."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- articles -----------------------------------------------------------------------
    def add_articles(
        self,
        items: Iterable[ParsedArticle],
        *,
        progress: Callable[[int], None] | None = None,
        batch_size: int = 500,
    ) -> ImportReport:
        """Store parsed articles in batches (one catalogue write and one body-pack write per batch)."""
        raise NotImplementedError

    def __len__(self) -> int:
        raise NotImplementedError

    def summaries(self) -> list[ArticleSummary]:
        raise NotImplementedError

    def summary(self, article_id: str) -> ArticleSummary:
        raise NotImplementedError

    def resolve_id(self, prefix: str) -> str:
        """Full id from a unique prefix or an external id; KeyError with a message otherwise."""
        raise NotImplementedError

    def article(self, article_id: str) -> Article:
        """The article with blocks classified by parser, site repetition and the user's flips."""
        raise NotImplementedError

    def search(self, query: str, ids: Iterable[str] | None = None) -> list[str]:
        """Ids of articles whose title or body contains every word of `query` (case-insensitive)."""
        raise NotImplementedError

    # --- annotations (each call is one atomic, durable write, recorded for undo) ------------
    def annotations(self, article_id: str) -> ArticleAnnotations:
        raise NotImplementedError

    def add_highlight(
        self, article_id: str, source_start: int, source_end: int, *, tags: list[str], note: str = ""
    ) -> Highlight:
        raise NotImplementedError

    def update_highlight(self, article_id: str, highlight: Highlight) -> None:
        raise NotImplementedError

    def delete_highlight(self, article_id: str, highlight_id: str) -> None:
        raise NotImplementedError

    def set_article_tags(self, article_id: str, tags: list[str]) -> None:
        raise NotImplementedError

    def set_article_note(self, article_id: str, note: str) -> None:
        raise NotImplementedError

    def flip_block(self, article_id: str, block_index: int) -> Article:
        raise NotImplementedError

    def set_reading_state(self, article_id: str, *, position: int | None = None, read: bool | None = None) -> None:
        """Not recorded for undo."""
        raise NotImplementedError

    def undo(self) -> str | None:
        """Undo the last change (across restarts); returns its description or None."""
        raise NotImplementedError

    def redo(self) -> str | None:
        raise NotImplementedError
