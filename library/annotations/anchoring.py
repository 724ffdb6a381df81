"""Finding a span again: offsets checked against the quote, else the quote searched with its context.

Spans arrive from other tools (and older exports) with offsets that may no longer point at the
same text. Following Hypothesis' anchoring, a span is *exact* when the text at its offsets equals
its quote; otherwise every occurrence of the quote is scored on the quote, the ~32 characters of
context on each side and the distance from the old position, and the best one is taken as
*reanchored* with that score as confidence; a span found nowhere is an *orphan*. Orphans are never
moved: the caller keeps them with their original offsets and lists them.

Also here: UTF-16 code-unit offsets for JavaScript tools (offsets are code points everywhere else).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_right
from dataclasses import dataclass

from library.annotations.model import ANCHOR_EXACT, ANCHOR_ORPHAN, ANCHOR_REANCHORED, CONTEXT_CHARS, Highlight
from library.model import Article
from library.textsearch import find_occurrences

# Hypothesis' weights (client/src/annotator/anchoring/match-quote.ts).
W_QUOTE, W_PREFIX, W_SUFFIX, W_POSITION = 50.0, 20.0, 20.0, 2.0
# A re-anchored span below this confidence is an orphan rather than a guess.
MIN_CONFIDENCE = 0.75
# Exact occurrences considered at most (a one-letter quote in a long text is not worth scoring all).
MAX_CANDIDATES = 2000
# Near-match search (difflib) only for quotes up to this long, in texts up to this long.
FUZZY_MAX_QUOTE = 500
FUZZY_MAX_TEXT = 400_000


@dataclass(frozen=True, slots=True)
class Located:
    """Where a span was found in one text, and how sure we are."""

    start: int
    end: int
    anchor: str  # ANCHOR_EXACT or ANCHOR_REANCHORED
    confidence: float


def context(text: str, start: int, end: int, size: int = CONTEXT_CHARS) -> tuple[str, str]:
    """The `size` characters before and after a span (the TextQuoteSelector prefix and suffix)."""
    return text[max(0, start - size) : start], text[end : end + size]


def _similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> tuple[float, float]:
    pre = _similarity(text[max(0, start - len(prefix)) : start], prefix) if prefix else 1.0
    suf = _similarity(text[end : end + len(suffix)], suffix) if suffix else 1.0
    return pre, suf


def _score(
    text: str, start: int, end: int, quote_sim: float, prefix: str, suffix: str, hint: int | None
) -> float:
    pre, suf = _context_score(text, start, end, prefix, suffix)
    pos = 1.0 if hint is None else 1.0 - min(1.0, abs(start - hint) / max(1, len(text)))
    return (W_QUOTE * quote_sim + W_PREFIX * pre + W_SUFFIX * suf + W_POSITION * pos) / (
        W_QUOTE + W_PREFIX + W_SUFFIX + W_POSITION
    )


def _occurrences(text: str, quote: str, limit: int = MAX_CANDIDATES) -> list[int]:
    spans = find_occurrences(text, quote, ignore_case=False, overlapping=True, limit=limit)
    return [start for start, _ in spans]


_WS = re.compile(r"\s+")


def _normalised_search(text: str, quote: str) -> list[tuple[int, int]]:
    """Occurrences of the quote when runs of whitespace may differ (wrapped lines, joined paragraphs)."""
    words = quote.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    return [(m.start(), m.end()) for m in pattern.finditer(text)][:MAX_CANDIDATES]


def _fuzzy_candidate(text: str, quote: str, hint: int | None) -> tuple[int, int, float] | None:
    """The best near-match of the quote (typo fixes, small edits), with its similarity."""
    if len(quote) > FUZZY_MAX_QUOTE or len(text) > FUZZY_MAX_TEXT or len(quote) < 8:
        return None
    matcher = difflib.SequenceMatcher(None, text, quote, autojunk=False)
    best: tuple[int, int, float] | None = None
    seen: set[int] = set()
    for block in matcher.get_matching_blocks():
        if block.size < max(4, len(quote) // 8):
            continue
        start = max(0, block.a - block.b)
        if start in seen:
            continue
        seen.add(start)
        for length in {len(quote), len(quote) - 1, len(quote) + 1}:
            end = min(len(text), start + length)
            sim = _similarity(text[start:end], quote)
            if best is None or sim > best[2]:
                best = (start, end, sim)
    return best


def locate(
    text: str,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
) -> Located | None:
    """Anchor a quote in `text`: at (start, end) when it matches there, else by search; None: orphan.

    Several exact occurrences are told apart by their context and distance from `start`.
    """
    if start is not None and end is not None and 0 <= start <= end <= len(text) and text[start:end] == quote:
        return Located(start, end, ANCHOR_EXACT, 1.0)
    if not quote:
        return None
    hint = start if start is not None and 0 <= start <= len(text) else None
    candidates: list[tuple[int, int, float]] = [(i, i + len(quote), 1.0) for i in _occurrences(text, quote)]
    if not candidates:
        candidates = [(s, e, 0.97) for s, e in _normalised_search(text, quote)]
    if not candidates:
        near = _fuzzy_candidate(text, quote, hint)
        if near is not None:
            candidates = [near]
    scored = sorted(
        ((round(_score(text, s, e, qsim, prefix, suffix, hint), 4), s, e) for s, e, qsim in candidates),
        key=lambda c: (-c[0], c[1]),
    )
    if not scored or scored[0][0] < MIN_CONFIDENCE:
        return None
    # A quote that fits two places equally well is ambiguous: never guess between them.
    if len(scored) > 1 and scored[1][0] >= scored[0][0]:
        return None
    score, s, e = scored[0]
    return Located(s, e, ANCHOR_REANCHORED, score)


def quote_and_context(article: Article, source_start: int, source_end: int) -> tuple[str, str, str]:
    """The quote, prefix and suffix of a source span: from the clean body when it lies there,
    else from the original text (a span in boilerplate keeps its words). The one place a new or
    re-anchored highlight gets its quote and context."""
    body_span = article.source_to_body(source_start, source_end)
    if body_span is not None and body_span[1] > body_span[0]:
        s, e = body_span
        body = article.body
        return (body[s:e], *context(body, s, e))
    src = article.source_text
    return (src[source_start:source_end], *context(src, source_start, source_end))


def _squash(text: str) -> str:
    return _WS.sub(" ", text).strip()


def source_span_holds(article: Article, source_start: int, source_end: int, quote: str) -> bool:
    """Whether a source span still carries its quote (compared as clean text, or whitespace-normalised)."""
    src = article.source_text
    if not (0 <= source_start <= source_end <= len(src)):
        return False
    body_span = article.source_to_body(source_start, source_end)
    if body_span is not None and article.body[body_span[0] : body_span[1]] == quote:
        return True
    raw = src[source_start:source_end]
    return raw == quote or _squash(raw) == _squash(quote)


@dataclass(frozen=True, slots=True)
class SourceAnchor:
    """A span anchored in an article's original text."""

    source_start: int
    source_end: int
    anchor: str
    confidence: float


def anchor_in_article(
    article: Article,
    quote: str,
    *,
    prefix: str = "",
    suffix: str = "",
    source_start: int | None = None,
    source_end: int | None = None,
    body_start: int | None = None,
    body_end: int | None = None,
) -> SourceAnchor | None:
    """Anchor a span in an article from whatever it carries (source offsets, body offsets, a quote).

    Order: source offsets that still hold the quote; body offsets that hold it; the quote searched
    in the body (mapped back to the source), then in the original text. None: an orphan.
    """
    if (
        source_start is not None
        and source_end is not None
        and source_span_holds(article, source_start, source_end, quote)
    ):
        return SourceAnchor(source_start, source_end, ANCHOR_EXACT, 1.0)
    body = article.body
    hint_b = body_start
    if hint_b is None and source_start is not None:
        span = article.source_to_body(source_start, max(source_start, source_end or source_start))
        hint_b = span[0] if span else None
    found = locate(body, quote, prefix=prefix, suffix=suffix, start=hint_b, end=body_end)
    if found is not None:
        mapped = article.body_to_source(found.start, found.end)
        if mapped is not None:
            anchor = found.anchor
            # Exact at the given body offsets, but only "exact" if no source offsets disagreed.
            if anchor == ANCHOR_EXACT and source_start is not None and mapped != (source_start, source_end):
                return SourceAnchor(mapped[0], mapped[1], ANCHOR_REANCHORED, 0.99)
            return SourceAnchor(mapped[0], mapped[1], anchor, found.confidence)
    src_found = locate(
        article.source_text, quote, prefix=prefix, suffix=suffix, start=source_start, end=source_end
    )
    if src_found is not None:
        anchor = src_found.anchor
        if anchor == ANCHOR_EXACT and source_start is None:
            anchor = ANCHOR_REANCHORED
        return SourceAnchor(src_found.start, src_found.end, anchor, src_found.confidence)
    return None


def reanchor_highlights(article: Article, highlights: list[Highlight]) -> list[Highlight]:
    """Check stored highlights against an article whose text or cleaning changed, by the import rules.

    A highlight whose source span still holds its quote is untouched; otherwise it is found again
    by quote and context (anchor "reanchored", with the score) or marked "orphan" where it was.
    Returns new Highlight objects; the caller saves those that differ.
    """
    out: list[Highlight] = []
    for h in highlights:
        new = Highlight.from_json(h.to_json())
        if h.anchor != ANCHOR_ORPHAN and source_span_holds(article, h.source_start, h.source_end, h.quote):
            out.append(new)
            continue
        found = anchor_in_article(
            article,
            h.quote,
            prefix=h.prefix,
            suffix=h.suffix,
            source_start=h.source_start,
            source_end=h.source_end,
        )
        if found is None:
            new.anchor, new.confidence = ANCHOR_ORPHAN, 0.0
        else:
            new.source_start, new.source_end = found.source_start, found.source_end
            new.anchor, new.confidence = found.anchor, round(found.confidence, 4)
        out.append(new)
    return out


def body_span(article: Article, source_start: int, source_end: int) -> tuple[int, int] | None:
    """Body offsets of a source span, None when it lies outside the body (boilerplate, header)."""
    if source_end <= source_start:
        pos = article.body_map.clean_position(source_start)
        if pos is None:
            return None
        back = article.body_map.source_position(pos)
        return (pos, pos) if back == source_start else None
    return article.source_to_body(source_start, source_end)


class Utf16Index:
    """Code-point offsets to UTF-16 code-unit offsets (and back) for one text, in O(log n) each."""

    def __init__(self, text: str) -> None:
        # Code-point positions of the characters outside the BMP (each takes two UTF-16 units).
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
        self._astral_u16 = [cp + k for k, cp in enumerate(self._astral)]
        self._len = len(text)

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_right(self._astral, offset - 1)

    def from_utf16(self, unit: int) -> int:
        """The code-point offset of a UTF-16 offset (one inside a surrogate pair rounds down)."""
        k = bisect_right(self._astral_u16, unit - 1)
        if k and self._astral_u16[k - 1] == unit - 1:
            return self._astral[k - 1]  # inside a pair: the character's start
        return unit - k


def to_utf16(text: str, offset: int) -> int:
    return Utf16Index(text).to_utf16(offset)


def from_utf16(text: str, unit: int) -> int:
    return Utf16Index(text).from_utf16(unit)
