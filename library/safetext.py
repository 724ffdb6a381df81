"""Making untrusted article text safe to show in a terminal.

Article text may hold ANSI/OSC escape sequences, C0/C1 control characters, NUL bytes and bidi
overrides. None of them may reach the terminal: they are replaced by visible stand-ins, one
character for one character, so offsets into the text stay valid for highlighting (a C1 control
by the Windows-1252 character it was before a wrong decoding, see `_c1_as_windows_1252`).
Markup (`[b]`, `[@click=...]`) is not touched here: the UI never parses article text as markup.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def _c1_as_windows_1252() -> dict[int, str]:
    """What each C1 control stands for in scraped text: the Windows-1252 character of that byte.

    Why: a page in Windows-1252 read as Latin-1 turns its curly quotes and dashes into C1
    controls ("Obama\x92s"); browsers show them as Windows-1252 (the WHATWG encoding standard
    reads Latin-1 so), and so does the screen here. The five bytes that Windows-1252 leaves
    undefined are not in it (they show as the replacement character)."""
    chars = {code: bytes([code]).decode("cp1252", errors="ignore") for code in range(0x80, 0xA0)}
    return {code: ch for code, ch in chars.items() if ch}


_C1 = _c1_as_windows_1252()
# Typographic quotes as the ASCII ones a user types: a search for "Obama's" finds "Obama’s".
_QUOTES = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"'}
# For searching: each C1 control as the character it shows as (the five undefined ones kept),
# and every quote (those a C1 control shows as among them) as its ASCII one.
_C1_FOLD = str.maketrans(_C1)
_SEARCH_FOLD = str.maketrans(
    {
        **{code: _QUOTES.get(ch, ch) for code, ch in _C1.items()},
        **{ord(quote): plain for quote, plain in _QUOTES.items()},
    }
)
_C1_RE = re.compile("[\x80-\x9f]")
_SEARCH_FOLDED = re.compile("[\x80-\x9f" + "".join(_QUOTES) + "]")


def fold_c1(text: str) -> str:
    """`text` with each C1 control as the Windows-1252 character the screen shows for it, one
    for one (what `fold_for_search` does, quotes left as they are): a snippet shows this."""
    return text.translate(_C1_FOLD) if _C1_RE.search(text) else text


def fold_for_search(text: str) -> str:
    """`text` as a search compares it, one character for one (offsets hold): a C1 control as the
    Windows-1252 character the screen shows for it, typographic quotes as ASCII ones. So
    "Obama's", typed, finds the "Obama\x92s" that shows as "Obama’s"."""
    return text.translate(_SEARCH_FOLD) if _SEARCH_FOLDED.search(text) else text


def _standin(ch: str) -> str:
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: ␀ ␁ ... ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return _C1.get(code, "\ufffd")


def display_text(text: str) -> str:
    """The same text with every unsafe character replaced by a visible one-character stand-in."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: _standin(m.group()), text)


def one_line(text: str, limit: int | None = None) -> str:
    """Safe text collapsed to a single line (for lists, titles, notifications and error lines)."""
    flat = display_text(" ".join(text.split()))
    if limit is not None and len(flat) > limit:
        return flat[: max(0, limit - 1)] + "…"
    return flat


# Characters with no width of their own that terminals disagree about: zero-width spaces and
# joiners (a ZWJ emoji sequence is one glyph in some terminals, several in others), soft hyphens,
# word joiners, byte-order marks and emoji variation selectors.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff\ufe0e\ufe0f]")


def layout_text(text: str) -> str:
    """Safe text for a laid-out line (a bordered pane): `display_text`, and without the invisible
    characters whose width terminals disagree about, so the width the layout measures is the
    width the terminal draws. Not for article bodies, whose offsets must stay valid."""
    return _INVISIBLE.sub("", display_text(text))
