"""Full-text search: every word of the query must occur in the title or the current body.

Why an in-memory index: the body an article shows depends on site repetition and the user's
flips, so the raw files cannot be grepped faithfully. Each article's lowercased title and body
are built once (reading each pack in one go, no per-article file opens) and kept; a query is
then a substring test per article, which at 10,000 articles takes tens of milliseconds. An
entry is rebuilt when its site's counts or its flips change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable


def query_words(query: str) -> list[str]:
    return [w for w in query.casefold().split() if w]


def normalise(text: str) -> str:
    return text.casefold()


class SearchIndex:
    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._stamp: dict[str, object] = {}

    def forget(self, article_id: str) -> None:
        self._text.pop(article_id, None)
        self._stamp.pop(article_id, None)

    def refresh(
        self,
        ids: Iterable[str],
        stamp_of: Callable[[str], object],
        build: Callable[[list[str]], Iterable[tuple[str, str]]],
    ) -> None:
        """Build the entries of `ids` that are missing or stale (ahead of the first query)."""
        stale = [
            aid for aid in ids if self._stamp.get(aid, _MISSING) != stamp_of(aid) or aid not in self._text
        ]
        if stale:
            for aid, text in build(stale):
                self._text[aid] = normalise(text)
                self._stamp[aid] = stamp_of(aid)

    def search(
        self,
        query: str,
        ids: Iterable[str],
        stamp_of: Callable[[str], object],
        build: Callable[[list[str]], Iterable[tuple[str, str]]],
    ) -> list[str]:
        """Ids (in the order given) whose text holds every query word.

        `stamp_of(id)` says which version of the site counts an entry must reflect; `build(ids)`
        yields (id, title-and-body text) for entries that are missing or stale.
        """
        words = query_words(query)
        ids = list(ids)
        if not words:
            return ids
        self.refresh(ids, stamp_of, build)
        texts = self._text
        return [aid for aid in ids if (t := texts.get(aid)) is not None and all(w in t for w in words)]


_MISSING = object()
