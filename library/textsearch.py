"""Finding every occurrence of a piece of text: the one definition.

Why one function: the article screen's in-article search and tag-all, the re-anchoring of
imported highlights and the command line's `annotate --quote` each searched for a quote with a
loop of their own, and disagreed on case and overlaps. Callers say which they want.
"""

from __future__ import annotations

from library.safetext import fold_for_search


def _case_folded(text: str, needle: str) -> tuple[str, str]:
    """Both folded for a case-insensitive search, keeping every offset where it was: casefold()
    may change lengths (ß -> ss), then lower(), and when even that does, the text as it is."""
    text, needle = fold_for_search(text), fold_for_search(needle)  # quotes, C1 controls: one for one
    hay, pin = text.casefold(), needle.casefold()
    if len(hay) == len(text) and len(pin) == len(needle):
        return hay, pin
    hay, pin = text.lower(), needle.lower()
    if len(hay) == len(text) and len(pin) == len(needle):
        return hay, pin
    return text, needle


def find_occurrences(
    text: str,
    needle: str,
    *,
    ignore_case: bool = True,
    overlapping: bool = False,
    limit: int | None = None,
) -> list[tuple[int, int]]:
    """Every occurrence of `needle` in `text` as (start, end) spans, in order.

    `overlapping` also finds occurrences that start inside an earlier one ("aa" twice in "aaa");
    `limit` stops after that many.
    """
    if not needle:
        return []
    hay, pin = _case_folded(text, needle) if ignore_case else (text, needle)
    step = 1 if overlapping else len(pin)
    spans: list[tuple[int, int]] = []
    i = hay.find(pin)
    while i != -1 and (limit is None or len(spans) < limit):
        spans.append((i, i + len(pin)))
        i = hay.find(pin, i + step)
    return spans
