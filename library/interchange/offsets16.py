"""Reading offsets that may count UTF-16 code units (JavaScript tools: doccano, Label Studio).

When the user does not say, the units are detected per record from the spans themselves: a span
past the end in code points, or one that splits a surrogate pair in UTF-16, settles it; else the
reading whose span edges fall on word boundaries more often wins (code points on a tie)."""

from __future__ import annotations

from library.annotations.anchoring import Utf16Index


def _edge_score(text: str, s: int, e: int) -> int:
    def boundary(i: int) -> bool:
        if i <= 0 or i >= len(text):
            return True
        return not (text[i - 1].isalnum() and text[i].isalnum())

    return int(boundary(s)) + int(boundary(e))


def detect_utf16(text: str, spans: list[tuple[int, int]]) -> bool:
    """Whether `spans` over `text` count UTF-16 code units rather than code points."""
    index = Utf16Index(text)
    if not spans or index.to_utf16(len(text)) == len(text):
        return False  # no character outside the BMP: both readings agree
    n = len(text)
    if any(e > n for _, e in spans):
        return True
    cp_score = sum(_edge_score(text, s, e) for s, e in spans)
    u16_score = 0
    for s, e in spans:
        cs, ce = index.from_utf16(s), index.from_utf16(e)
        if index.to_utf16(cs) != s or index.to_utf16(ce) != e:
            return False  # splits a surrogate pair: cannot be UTF-16
        u16_score += _edge_score(text, cs, ce)
    return u16_score > cp_score


def to_code_points(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    index = Utf16Index(text)
    return [(index.from_utf16(s), index.from_utf16(e)) for s, e in spans]


def units_for(text: str, spans: list[tuple[int, int]], utf16: bool | None) -> bool:
    """The units to read with: the user's choice, else detected."""
    return detect_utf16(text, spans) if utf16 is None else utf16
