"""Full-text search: every word or quoted phrase of the query must occur in the title or the current body.

Why an in-memory index: the body an article shows depends on site repetition and the user's
flips, so the raw files cannot be grepped faithfully. Each article's lowercased title and body
are built once (reading each pack in one go, no per-article file opens) and kept; a query is
then a substring test per article, which at 10,000 articles takes tens of milliseconds. An
entry is rebuilt when its site's counts or its flips change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from library.safetext import fold_c1, fold_for_search

_TERM = re.compile(r'["“]([^"”]*)["”]?|(\S+)')


def query_terms(query: str) -> list[str]:
    """The query's terms, normalised: each word, and each "quoted phrase" as one term.

    A phrase matches across line breaks and runs of spaces (the indexed text has its whitespace
    collapsed); an unclosed quote runs to the end of the query.
    """
    terms = []
    for match in _TERM.finditer(query):
        term = normalise(match.group(1) if match.group(1) is not None else match.group(2))
        if term:
            terms.append(term)
    return terms


def query_words(query: str) -> list[str]:
    """Kept for callers that split a query: the terms (a quoted phrase is one of them)."""
    return query_terms(query)


def normalise(text: str) -> str:
    """Case-folded, with every run of whitespace one space: what terms are looked for in."""
    return " ".join(fold_for_search(text).casefold().split())


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short excerpt of a text around the first match of a query: `spans` are the matches in
    `text`; `offset` is where the first match starts in the original text (to jump to it)."""

    text: str
    spans: tuple[tuple[int, int], ...]
    offset: int


def snippet(text: str, query: str, width: int = 120) -> Snippet | None:
    """The excerpt of `text` (about `width` characters, on one line) around the earliest match
    of any term of `query`, with every term's matches inside it; None when no term occurs.

    Matching is case-insensitive and whitespace-tolerant, like the search itself.
    """
    terms = query_terms(query)
    if not terms:
        return None
    # Matched as a search compares (quotes, C1 controls), shown as the screen shows; both are
    # one character for one, so `first.start()` holds and both excerpts split alike.
    shown, text = fold_c1(text), fold_for_search(text)
    patterns = [r"\s+".join(re.escape(word) for word in term.split(" ")) for term in terms]
    finder = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
    first = finder.search(text)
    if first is None:
        return None
    lead = width // 4
    start = max(0, first.start() - lead)
    if start:  # begin at a word
        space = text.rfind(" ", max(0, start - 15), start)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    flat = " ".join(text[start:end].split())  # one line; the finder tolerates the change
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    spans = tuple((m.start() + len(prefix), m.end() + len(prefix)) for m in finder.finditer(flat))
    return Snippet(prefix + " ".join(shown[start:end].split()) + suffix, spans, first.start())


class SearchIndex:
    def __init__(self) -> None:
        self._text: dict[str, str] = {}
        self._stamp: dict[str, object] = {}
        # What `search_all` was last current for: while the caller's key is the same, every
        # article's text is kept and current (in import order), so a query only tests them.
        self._whole: object = None

    def forget(self, article_id: str) -> None:
        self._text.pop(article_id, None)
        self._stamp.pop(article_id, None)
        self._whole = None

    def search_all(
        self,
        query: str,
        key: object,
        all_ids: Callable[[], list[str]],
        stamp_of: Callable[[str], object],
        build: Callable[[list[str]], Iterable[tuple[str, str]]],
    ) -> list[str]:
        """`search` over every article: `all_ids()` (in import order) and their stamps are asked
        only when `key` (what the library's texts depend on) changed since the last call."""
        words = query_terms(query)
        if key is None or key != self._whole:
            ids = all_ids()
            self.refresh(ids, stamp_of, build)
            texts = self._text
            if len(texts) != len(ids) or list(texts) != ids:  # drop the gone, keep import order
                self._text = {aid: texts[aid] for aid in ids if aid in texts}
                self._stamp = {aid: self._stamp[aid] for aid in self._text}
            self._whole = key
        if not words:
            return list(self._text)
        if len(words) == 1:
            word = words[0]
            return [aid for aid, text in self._text.items() if word in text]
        return [aid for aid, text in self._text.items() if all(w in text for w in words)]

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
        """Ids (in the order given) whose text holds every query term (word or quoted phrase).

        `stamp_of(id)` says which version of the site counts an entry must reflect; `build(ids)`
        yields (id, title-and-body text) for entries that are missing or stale.
        """
        words = query_terms(query)
        ids = list(ids)
        if not words:
            return ids
        self.refresh(ids, stamp_of, build)
        texts = self._text
        return [aid for aid in ids if (t := texts.get(aid)) is not None and all(w in t for w in words)]


_MISSING = object()
