"""Fingerprints of blocks and the site repetition rule: text that recurs across many articles of
one site is the site's, not the article's (counted by `library.store.sitemodel`)."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePath

from library.model import Block, Metadata, Origin, repeated_reason

_URL_RE = re.compile(r"\(?https?://\S+|\bwww\.\S+")


_DIGIT_RE = re.compile(r"\d")
_NOT_WORD_RE = re.compile(r"[^\w\s]|_")


def normalise_for_fingerprint(text: str) -> str:
    """CCNet-style: lowercase, digits -> 0, no punctuation or link targets, single spaces."""
    if "http" in text or "www." in text:  # the URL pattern cannot match without one of them
        text = _URL_RE.sub(" ", text)
    if text.isascii():
        return _ascii_normal(text).decode("ascii")
    spaced = _PUNCTUATION_RE.sub(" ", text)
    if spaced.isascii():
        return _ascii_normal(spaced).decode("ascii")
    text = unicodedata.normalize("NFKC", text)  # a no-op on ASCII text, and the costly step
    text = _DIGIT_RE.sub("0", text.lower())
    text = _NOT_WORD_RE.sub(" ", text)  # keep what str.isalnum() or str.isspace() accepts
    return " ".join(text.split())


def _ascii_table() -> bytes:
    """What lower-casing, digits -> 0 and punctuation -> space make of each ASCII character
    (one character each), with every whitespace character as a space: `bytes.split` knows
    fewer whitespace characters than `str.split` (not \x1c-\x1f)."""
    table = bytearray(range(256))
    for code in range(128):
        char = _NOT_WORD_RE.sub(" ", _DIGIT_RE.sub("0", chr(code).lower()))
        table[code] = ord(" " if char.isspace() else char)
    return bytes(table)


_ASCII_TABLE = _ascii_table()


# The table leaves b" " the only whitespace, so `b" ".join(t.split())` is collapsing runs of
# spaces and stripping the ends: one regex pass, without a bytes object per word.
_SPACES_RE = re.compile(rb"  +")


def _ascii_normal(text: str) -> bytes:
    """`normalise_for_fingerprint` of ASCII text without URLs, as bytes: one table lookup per
    character instead of three passes of regular expressions, then the spaces collapsed."""
    return _SPACES_RE.sub(b" ", text.encode("ascii").translate(_ASCII_TABLE)).strip(b" ")


# Typographic punctuation that the normalisation turns into spaces whatever surrounds it (NFKC
# leaves it one non-word character, or makes "…" three dots and a no-break space a space; none
# of it composes with a neighbour or changes how one is lower-cased next to ASCII). Text that is
# ASCII once it is spaced takes the ASCII path.
_PUNCTUATION_RE = re.compile("[’‘“”–—…\u00a0«»•]")


def fingerprint(text: str) -> str:
    # No URL can match without "://" or "www.": a paragraph without ":" is not searched for "http".
    if (":" not in text or "http" not in text) and "www." not in text:
        plain = text if text.isascii() else _PUNCTUATION_RE.sub(" ", text)
        if plain.isascii():
            norm = _ascii_normal(plain)  # the usual case, already the bytes that are hashed
            return hashlib.sha1(norm).hexdigest()[:16] if norm else ""
    normal = normalise_for_fingerprint(text)
    if not normal:
        return ""
    return hashlib.sha1(normal.encode("utf-8")).hexdigest()[:16]


SHORT_REPEAT_CHARS = 300
LONG_REPEAT_CHARS = 3000


def repetition_threshold(site_articles: int) -> int:
    """Distinct articles of a site a block must appear in: 3, a little more on very large sites."""
    return max(3, min(10, math.ceil(0.02 * site_articles)))


def apply_site_repetition(blocks: list[Block], counts: Mapping[str, int], site_articles: int) -> list[Block]:
    """New blocks where body text repeated across many articles of the site becomes boilerplate.

    Short blocks (<= 300 chars, at least two words) need `repetition_threshold` articles; longer
    ones (<= 3000 chars) must also recur in 30% of the site's articles; longer
    paragraphs never go, so a quotation shared by a few articles stays in each of them.
    """
    threshold = repetition_threshold(site_articles)
    out: list[Block] = []
    for block in blocks:
        new = Block(
            text=block.text, runs=list(block.runs), reason=block.reason, fingerprint=block.fingerprint
        )
        n = counts.get(block.fingerprint, 0) if block.fingerprint else 0
        if block.reason is None and n >= threshold and _repeat_eligible(block.text, n, site_articles):
            new.reason = repeated_reason(n)
        out.append(new)
    return out


def _repeat_eligible(text: str, count: int, site_articles: int) -> bool:
    size = len(text.strip())
    norm = normalise_for_fingerprint(text)
    if len(norm.split()) < 2 and size < 15:
        return False
    if size <= SHORT_REPEAT_CHARS:
        return True
    if size <= LONG_REPEAT_CHARS:
        # A whole paragraph shared by a third of the site's articles is injected, not reported.
        return count >= 3 and count >= 0.3 * site_articles
    return False


def site_key(meta: Metadata, origin: Origin) -> str:
    """What groups articles for repetition: the site, else the data-set file or the folder."""
    if meta.site and meta.site.strip():
        return "site:" + " ".join(meta.site.lower().split())
    path = PurePath(origin.path)
    if origin.record is not None:
        return f"file:{path}"
    return f"folder:{path.parent}"
