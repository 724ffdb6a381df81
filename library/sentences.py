"""Where a sentence ends: the abbreviations whose full stop does not end one.

Why one list: the article screen's sentence selection (`s`) and the boilerplate rules (a bio or
a headline has no sentence break inside it) both ask "does this '.' end a sentence?", and kept
two lists that disagreed ("Capt." ended a sentence in one, "e.g." in the other).
"""

from __future__ import annotations

ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc inc ltd co corp gen col lt capt sgt rev fr mt ft rep sen gov "
    "no vol fig approx jan feb mar apr jun jul aug sep sept oct nov dec e.g i.e u.s u.k u.n d.c".split()
)


def is_abbreviation(word: str) -> bool:
    """Whether `word` (without its final full stop, any case) is a known abbreviation."""
    return word.lower() in ABBREVIATIONS
