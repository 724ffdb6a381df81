"""Messages the app's screens and workers exchange.

Workers run in threads and never touch widgets: they post these messages and the handlers on the
app or the screens change the interface.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from library.model import ArticleSummary


@dataclass
class AnnotationsChanged(Message):
    """Annotations changed outside the screen (undo/redo); None: any article may have changed."""

    article_id: str | None


@dataclass
class LibraryChanged(Message):
    """Articles were added (an import finished): lists must reload."""


@dataclass
class ImportStored(Message):
    """The import worker stored new articles (cleaning follows): lists may show them now."""


@dataclass
class ImportStarted(Message):
    label: str


@dataclass
class ImportProgress(Message):
    """Sent at most ~4 times a second by the import worker."""

    done: int
    total: int | None
    label: str
    verb: str = "Importing"  # then "Cleaning" (see `Library.clean_pending`)

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ImportProgress)


@dataclass
class ImportFinished(Message):
    """One plain-text summary line, and whether anything failed."""

    summary: str
    failed: int
    errors: list[str]


@dataclass
class SearchFinished(Message):
    query: str
    ids: frozenset[str]


@dataclass
class LibraryNotice(Message):
    """The store found something the user must hear of (damage recovered, a save half done),
    possibly in a worker thread: the app shows it as a notification."""

    text: str


@dataclass
class RowsLoaded(Message):
    """The library screen's background reader has every summary (a large library's list is shown
    a page at a time until then): `rows` in the `order` it sorted them for `state_key`."""

    token: int
    summaries: dict[str, ArticleSummary]  # by id
    order: list[ArticleSummary]  # in display order for `state_key`
    state_key: object
    needed: dict[str, int]  # the table's content widths of `order`


@dataclass
class OrderReady(Message):
    """The background reader sorted every summary by one more column (ascending)."""

    token: int
    column: str
    order: list[ArticleSummary]
