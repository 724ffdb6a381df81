"""One family of errors for everything the domain raises on purpose.

Why one family: a caller (the command line, the app) catches `LibraryError` once and shows its
message, one line naming the thing and the reason, instead of guessing which of a dozen classes a
call may raise or digging into `err.args`. The built-in bases are kept for the questions callers
already ask: "not found" errors are also `KeyError` (a lookup by id failed), bad input is also
`ValueError`. `str(err)` is always the message itself (a plain `KeyError` would quote it).

This module imports nothing, so any layer (the store included) may raise these.
"""

from __future__ import annotations

from collections.abc import Sequence


class LibraryError(Exception):
    """Root of the family: the operation was refused or failed, for the reason in the message."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class NotFound(LibraryError, KeyError):
    """Something asked for by id or position does not exist."""


class ArticleNotFound(NotFound):
    """No article with that id (or id prefix, or external id)."""


class HighlightNotFound(NotFound):
    """The article has no highlight with that id."""


class BlockNotFound(NotFound, IndexError):
    """The article has no block at that index (also an `IndexError`: it is a position)."""


class InvalidInput(LibraryError, ValueError):
    """The caller's input cannot be used as it is (a span outside the article, an unknown format)."""


class AmbiguousId(InvalidInput):
    """An id prefix matches several articles; `candidates` holds (some of) them."""

    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


__all__ = [
    "AmbiguousId",
    "ArticleNotFound",
    "BlockNotFound",
    "HighlightNotFound",
    "InvalidInput",
    "LibraryError",
    "NotFound",
]
