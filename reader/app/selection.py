"""Word, sentence and paragraph boundaries over the article body, and offset/location conversion.

Pure functions over the body string so that the keyboard selection of the article screen can be
unit-tested without Textual. Offsets are Python code points with exclusive ends, like every span
in the library. A paragraph is one line of the body (blocks are joined by blank lines); a motion
never crosses into the blank line between two paragraphs unless it has to.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from library.sentences import is_abbreviation
from library.textsearch import find_occurrences as find_occurrences  # the one definition, re-exported

# A word is a run of letters/digits (with inner apostrophes or hyphens); any other non-space run
# (punctuation) is a word of its own, as in vi.
_WORD = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]+")
# A sentence ends at . ! ? or … (repeated), then optional closing quotes/brackets, then space or end.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s|$)")


class LineIndex:
    """Converts body offsets to (row, column) locations of a newline-split document and back.

    O(log lines) per conversion, unlike `Document.get_index_from_location`, which sums the lengths
    of every line above the location.
    """

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.starts = starts
        self.length = len(text)

    def to_location(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        row = bisect_right(self.starts, offset) - 1
        return row, offset - self.starts[row]

    def to_offset(self, location: tuple[int, int]) -> int:
        row, column = location
        row = max(0, min(row, len(self.starts) - 1))
        return min(self.starts[row] + max(0, column), self.length)

    def line_span(self, row: int) -> tuple[int, int]:
        """Body offsets of line `row` without its newline."""
        start = self.starts[row]
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else self.length
        return start, end


# --- paragraphs -------------------------------------------------------------------------------


def paragraph_span(text: str, pos: int) -> tuple[int, int]:
    """The paragraph (line) holding `pos`; on a blank line, the next non-blank one (else previous)."""
    pos = max(0, min(pos, len(text)))
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = len(text) if end == -1 else end
    if start == end and text.strip():
        nxt = _next_nonblank(text, end)
        if nxt is not None:
            return paragraph_span(text, nxt)
        prev = text.rstrip("\n")
        return paragraph_span(text, len(prev))
    return start, end


def _next_nonblank(text: str, pos: int) -> int | None:
    m = re.compile(r"[^\n]").search(text, pos)
    return m.start() if m else None


def next_paragraph_end(text: str, pos: int) -> int:
    """`}`: the end of the paragraph holding `pos`, or of the next one when already at its end."""
    start, end = paragraph_span(text, pos)
    if pos < end or start == end:
        return end
    nxt = _next_nonblank(text, end)
    return paragraph_span(text, nxt)[1] if nxt is not None else end


def prev_paragraph_start(text: str, pos: int) -> int:
    """`{`: the start of the paragraph holding `pos`, or of the previous one when already there."""
    start = text.rfind("\n", 0, pos) + 1
    if start < pos and text[start:pos].strip():
        return start
    before = text[:start].rstrip("\n")
    if not before:
        return 0
    return before.rfind("\n") + 1


# --- sentences --------------------------------------------------------------------------------


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences of text[start:end] (one paragraph), each trimmed of surrounding whitespace.

    Cached per paragraph: every sentence motion and object asks for its paragraph's sentences, and
    the keystroke planner asks thousands of times (a string's hash is computed once, so the body as a
    key costs nothing after the first call)."""
    return list(_sentence_spans(text, start, end))


@lru_cache(maxsize=4096)
def _sentence_spans(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _SENTENCE_END.finditer(text, start, end):
        if _is_abbreviation(text, cursor, m.start(), m.group()):
            continue
        s, e = trim_span(text, cursor, m.end())
        if e > s:
            spans.append((s, e))
        cursor = m.end()
    s, e = trim_span(text, cursor, end)
    if e > s:
        spans.append((s, e))
    return tuple(spans)


def _is_abbreviation(text: str, sentence_start: int, dot: int, punct: str) -> bool:
    """A '.' after 'Dr', 'U.S' or a single initial does not end a sentence."""
    if not punct.startswith(".") or len(punct.rstrip("\"'”’)]»")) != 1:
        return False
    m = re.search(r"([\w.]+)$", text[sentence_start:dot])
    if not m:
        return False
    word = m.group(1)
    if is_abbreviation(word):
        return True
    return len(word) == 1 and word.isupper()


def sentence_span(text: str, pos: int) -> tuple[int, int]:
    """The sentence holding `pos` (or the nearest one in its paragraph)."""
    pstart, pend = paragraph_span(text, pos)
    spans = sentence_spans(text, pstart, pend)
    if not spans:
        return pstart, pend
    for s, e in spans:
        if pos < e or (s <= pos <= e and (s, e) == spans[-1]):
            return s, e
    return spans[-1]


def _all_sentences_near(text: str, pos: int) -> tuple[list[tuple[int, int]], tuple[int, int]]:
    pstart, pend = paragraph_span(text, pos)
    return sentence_spans(text, pstart, pend) or [(pstart, pend)], (pstart, pend)


def next_sentence_end(text: str, pos: int) -> int:
    """`)`: the end of the sentence holding `pos`, or of the next sentence when already at an end."""
    spans, (_, pend) = _all_sentences_near(text, pos)
    for _, e in spans:
        if e > pos:
            return e
    nxt = _next_nonblank(text, pend)
    if nxt is None:
        return pos
    return _all_sentences_near(text, nxt)[0][0][1]


def prev_sentence_start(text: str, pos: int) -> int:
    """`(`: the start of the sentence holding `pos`, or of the previous one when already at a start."""
    spans, (pstart, _) = _all_sentences_near(text, pos)
    for s, _ in reversed(spans):
        if s < pos:
            return s
    before = text[:pstart].rstrip("\n")
    if not before:
        return spans[0][0] if spans[0][0] < pos else 0
    return _all_sentences_near(text, len(before))[0][-1][0]


# --- words ------------------------------------------------------------------------------------


def next_word_start(text: str, pos: int) -> int:
    """`w`: the start of the next word after the one at `pos` (end of text when none)."""
    for m in _WORD.finditer(text, pos):
        if m.start() > pos:
            return m.start()
    return len(text)


def prev_word_start(text: str, pos: int) -> int:
    """`b`: the start of the word before `pos` (or of the word holding it)."""
    window = max(0, pos - 256)
    best = None
    for m in _WORD.finditer(text, window, pos):
        best = m.start()
    if best is None or (best == window and window > 0):
        best = 0  # the window cut a word (or held none): look at the whole prefix
        for m in _WORD.finditer(text, 0, pos):
            best = m.start()
    return best


def word_end(text: str, pos: int) -> int:
    """`e`: the (exclusive) end of the word at or after `pos`; the next word's end if already at one."""
    for m in _WORD.finditer(text, pos):
        if m.end() > pos:
            return m.end()
    return len(text)


def word_span(text: str, pos: int) -> tuple[int, int]:
    """The word touching `pos`, or (pos, pos) when it is surrounded by spaces."""
    start = max(0, pos - 200)
    for m in _WORD.finditer(text, start, min(len(text), pos + 200)):
        if m.start() <= pos < m.end():
            return m.span()
    return pos, pos


# --- spans ------------------------------------------------------------------------------------


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without leading or trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
