"""Splitting source text into lines and paragraphs, unwrapping hard wraps, re-joining split sentences.

Everything works on spans `(start, end)` into the source text so the cleaned text built from
them keeps its offset map. A line span excludes its newline and a trailing `\\r` and surrounding
spaces; blank lines have start == end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from library.cleaning.regex_literals import first_chars

Span = tuple[int, int]

# A line "ends a sentence" when its last visible character is terminal punctuation, possibly
# followed by closing quotes or brackets.
_TERMINAL_RE = re.compile(r"[.!?:…][\"'”’»)\]*]*$|[.!?][\"'”’»)\]]*\s*\[?\d+\]?$")
_LIST_START_RE = re.compile(r"^(?:[-*•–—]\s|\d{1,3}[.)]\s|\(\d{1,3}\)\s|\[\d{1,3}\]|#{1,6}\s|>)")
_LINK_MARK_RE = re.compile(r"\]\([^()\s]*\)")
_FUNCTION_WORDS = frozenset(
    "the a an of to and or in on for with by be is are was were that from at as into than this "
    "these those its their his her our your has have had been being which who whose whom not".split()
)


_LINE_BREAK_RE = re.compile(r"\r\n|\r|\n")


def line_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """Spans of every line in text[start:end], stripped of surrounding whitespace and `\\r`."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    pos = start
    chunk = text[start:end]
    # A lone CR ends a line too (old Mac and mixed files).
    if "\r" in chunk and "\r" in chunk.replace("\r\n", ""):
        lines = _LINE_BREAK_RE.split(chunk)
        breaks = [len(m.group(0)) for m in _LINE_BREAK_RE.finditer(chunk)] + [0]
    else:
        lines = chunk.split("\n")
        breaks = [1] * len(lines)
    for line, brk in zip(lines, breaks, strict=True):  # str.strip removes what str.isspace accepts
        if not line:  # a blank line (every other line of a GR page): its empty span, at once
            spans.append((pos, pos))
            pos += brk
            continue
        size = len(line)
        s = pos + size - len(line.lstrip())
        e = pos + len(line.rstrip())
        spans.append((s, e) if e > s else (s, s))
        pos += size + brk
    return spans


def visible(text: str) -> str:
    """A line as read: link targets dropped, so "[a](#)" reads "a"."""
    if "[" not in text and "]" not in text:  # nothing to drop (the usual line); one-character
        return text  # tests are the fast scans, and "](" needs a "]"
    return _LINK_MARK_RE.sub("", text).replace("[", "")


_CLOSERS = "\"'”’»)]*"  # what may follow the terminal mark in `_TERMINAL_RE`'s first form
_TERMINALS = ".!?:…"


def ends_sentence(line: str) -> bool:
    """Whether the line's last visible character is terminal punctuation (closers after it allowed).

    `_TERMINAL_RE` searched the whole line; its first form only asks that the last character
    that is not a closer be a terminal mark, tested here directly. Its second form (a note
    number after the mark) needs a final digit or bracket, and only then is the regex run."""
    text = visible(line).rstrip()
    if not text:
        return False
    if text[-1].isdigit() or text[-1] == "]":  # isdigit: every character `\d` takes, and more
        return bool(_TERMINAL_RE.search(text))
    last = text.rstrip(_CLOSERS)[-1:]
    return last != "" and last in _TERMINALS


# The ASCII characters a list item can start with (read off the pattern by the regex engine):
# a line starting with another ASCII character is no list item without the regex.
_LIST_FIRSTS = first_chars(_LIST_START_RE)


def is_list_item(line: str) -> bool:
    text = line.lstrip()
    first = text[:1]
    if _LIST_FIRSTS is not None and first.isascii() and first not in _LIST_FIRSTS:
        return False  # also the empty line, which the pattern cannot match
    return bool(_LIST_START_RE.match(text))


def first_visible_char(line: str) -> str:
    v = visible(line).lstrip(" \"'“‘(")
    return v[:1]


def continues_sentence(prev: str, nxt: str, lenient: bool = False) -> bool:
    """Whether `nxt` continues the sentence `prev` broke off (the scraper's mid-sentence split).

    Guards: list items, quotes and headings never join; `prev` must not end a sentence; `nxt`
    must start in lower case, or `prev` must end on a function word ("…met with" / "Julian…").
    `lenient` is for pages where every line is a paragraph (Global Research): there a line
    that stops without punctuation is a break in a sentence unless it is a short heading, so
    it also joins before a dash or bracket, and a long line (60+ characters) ending in a word
    joins a capitalised continuation ("…according to the Syrian" / "Arab Army…").
    """
    if not prev or not nxt or is_list_item(prev):
        return False
    if ends_sentence(prev):
        return False
    dash_start = nxt.lstrip()[:1] in ("—", "–")
    if is_list_item(nxt) and not (lenient and dash_start):
        return False
    pv = visible(prev).rstrip()
    first = first_visible_char(nxt)
    if not first:
        return False
    if first.islower():
        # Two words or more: a split that stops after the first word says as much as a whole one.
        if lenient and len(pv.split(None, 1)) >= 2:
            return True
        # A short capitalised line with no verb-ish ending is a heading: "Notes", "The studies".
        return len(pv) >= 25 or pv.endswith((",", ";", "-", "–", "—"))
    last_word = _NOT_WORD_RE.sub("", pv.rsplit(" ", 1)[-1]).lower()  # only the tests below read it
    if lenient:
        if _URLISH_RE.search(pv.rsplit(" ", 1)[-1]):
            return False
        if (first in "—–-(" or not first.isalpha()) and len(pv) >= 25 and pv[-1].isalnum():
            return True
        if last_word in _FUNCTION_WORDS and len(pv) >= 15:
            return True
        if len(pv) >= 60 and (pv[-1].isalnum() or pv.endswith((",", ";"))):
            return True
    return len(pv) >= 40 and (last_word in _FUNCTION_WORDS or pv.endswith((",", ";")))


_NOT_WORD_RE = re.compile(r"[^\w]")
_URLISH_RE = re.compile(r"https?://|www\.|\.(?:com|org|net|ca|html?|php)\b|/")


def first_word_len(line: str) -> int:
    word = line.split(None, 1)[0] if line.strip() else ""
    return len(word)


def wrap_width(lengths: Iterable[int]) -> int | None:
    """The hard-wrap width of a text, or None when lines are not hard-wrapped.

    A wrapped text has nearly all of its lines at or under ~80 columns and many close to it.
    """
    values = [n for n in lengths if n > 0]
    if len(values) < 8:
        return None
    long_lines = sum(1 for n in values if n > 80)
    if long_lines > 0.1 * len(values):
        return None
    within = [n for n in values if n <= 80]
    width = max(within)
    near = sum(1 for n in within if n >= width - 15)
    if near < 0.25 * len(values):
        return None
    return width


def unwrap(text: str, spans: list[Span], width: int | None) -> list[list[Span]]:
    """Group consecutive non-blank lines into paragraphs.

    Blank lines always end a paragraph (split sentences are re-joined later). Without blank
    lines, a hard-wrapped text ends a paragraph after a line that ends a sentence and is short
    enough that the next line's first word would have fitted on it; a text that is not wrapped
    has one paragraph per line, unless a line breaks off mid-sentence.
    """
    paragraphs: list[list[Span]] = []
    current: list[Span] = []
    prev = ""
    for span in spans:
        line = text[span[0] : span[1]]
        if not line:
            if current:
                paragraphs.append(current)
            current, prev = [], ""
            continue
        if current and _breaks(prev, line, width):
            paragraphs.append(current)
            current = []
        current.append(span)
        prev = line
    if current:
        paragraphs.append(current)
    return paragraphs


# Lines that are a paragraph of their own even inside hard-wrapped text: a label such as
# "Source:" or a notes heading, and a bare link on its own line.
_LABEL_LINE_RE = re.compile(
    r"^(?:[A-Z][\w’'-]*(?: [\w’'-]+)?:|notes|endnotes|footnotes|references|sources|bibliography)$",
    re.IGNORECASE,
)
_BARE_URL_RE = re.compile(r"^(?:https?://|www\.)\S+$")


def _label_line(line: str) -> bool:
    return bool(_LABEL_LINE_RE.match(visible(line).strip()))


def _breaks(prev: str, line: str, width: int | None) -> bool:
    if is_list_item(line):
        return True
    if _label_line(prev) or _BARE_URL_RE.match(prev.strip()):
        return True
    if _label_line(line) and ends_sentence(prev):
        return True
    if width is None:
        return not (not ends_sentence(prev) and first_visible_char(line).islower())
    if not ends_sentence(prev):
        return False
    return len(prev) + 1 + first_word_len(line) <= width
