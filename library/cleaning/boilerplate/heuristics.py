"""Classifying the units of one article: phrase rules, then context (title copies, bios, link
lists, repeats), then jusText-style smoothing.

The smoothing is deliberately conservative: a short unit leaves the body only when no body text
flanks it (both sides boilerplate or an edge next to boilerplate), because losing a line of the
article is worse than keeping a footer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from library.cleaning.boilerplate.detectors import DETECTOR_REASONS as _DETECTOR_REASONS
from library.cleaning.boilerplate.detectors import (
    REASON_AD_LABEL,
    REASON_ALSO_ON,
    REASON_PROMOTION,
    detect,
    is_notes_start,
)
from library.cleaning.boilerplate.fragments import descriptive_caption
from library.cleaning.boilerplate.rules import REASON_FOOTER, rule_reason
from library.cleaning.boilerplate.signals import (
    _BIO_START_RE,
    _BIO_WORDS_RE,
    _SENTENCE_END_RE,
    _headline_like,
    _normal,
    _words_key,
    stopword_density,
)
from library.model import (
    REASON_AUTHOR_BIO,
    REASON_CAPTION,
    REASON_COPYRIGHT,
    REASON_DUPLICATE,
    REASON_FORM,
    REASON_LOW_CONTENT,
    REASON_METADATA,
    REASON_NAVIGATION,
    REASON_ORIGINAL_SOURCE,
    REASON_READER_NOTE,
    REASON_REPUBLISHED,
    REASON_SOCIAL,
)

_I = re.IGNORECASE

LENGTH_SHORT = 70
# Lines that leave the body on their own merit but say nothing about their neighbours: a byline,
# a photo credit or a bio sits next to headings and bullet summaries of the article itself, so
# smoothing looks through them instead of treating them as boilerplate context.
# Boilerplate that comes with answer lines of its own (poll choices, form labels).
_FORM_REASONS = frozenset({REASON_FORM, REASON_READER_NOTE, REASON_LOW_CONTENT, REASON_SOCIAL})
_NEUTRAL_REASONS = frozenset(
    {REASON_METADATA, REASON_CAPTION, REASON_REPUBLISHED, REASON_AUTHOR_BIO, REASON_DUPLICATE}
    | (set(_DETECTOR_REASONS) - {REASON_AD_LABEL, REASON_PROMOTION})
)
_LINK_HEADINGS = frozenset({REASON_NAVIGATION, REASON_ALSO_ON})  # headlines may follow them
HEAD_UNITS = 2  # bios and contact lines sit in the first two body units or the last four
TAIL_UNITS = 4
# Shorter repeats (a speaker's attribution, a chart heading) are article text, not a lede copy.
DUPLICATE_MIN_CHARS = 80
MAX_LINK_DENSITY = 0.5

_EMAIL_BIO_RE = re.compile(r"\((?:e-?mail|contact|follow|write to) (?:him|her|them|me)\)", _I)
_DEGREE_WORDS = frozenset("ph d phd m md j jd ma msc mba esq jr sr".split())
_SOURCE_LINE_RE = re.compile(r"^(?:source|via|h/t|hat tip|from)\s*:\s*[^.!?:]{2,60}$", _I)
_PRONOUN_START_RE = re.compile(r"^(?:He|She|His|Her|They|Their)\b")


def _heuristic_class(text: str, link_chars: int) -> str:
    """jusText's first pass on text: "bad", "short" (undecided) or "good"."""
    n = len(text.strip())
    if n == 0:
        return "short"
    if link_chars / n > MAX_LINK_DENSITY and n < 300:
        return "bad"
    if n < LENGTH_SHORT:
        return "short"
    # The cheap tests first: the stop-word count is needed only for short unpunctuated units.
    if n < 300 and not _SENTENCE_END_RE.search(text.strip()) and stopword_density(text) < 0.1:
        return "short"
    return "good"


def _is_bio(text: str, authors: list[str]) -> bool:
    """A bio: a name that holds an author's last name, then "is", "was", "writes"...

    The cheap tests first (length, the last name somewhere in the text), the regex last."""
    if len(text) > 700:
        return False
    lasts = _last_names(tuple(authors))
    if not lasts:
        return False
    if text.isascii():  # the name is part of the text, lower-cased alike
        lowered = text.lower()
        if not any(last in lowered for last in lasts):
            return False
    m = _BIO_START_RE.match(text.strip())
    if not m:
        return False
    name = m.group("name").lower()
    if any(last in name for last in lasts):
        return bool(_BIO_WORDS_RE.search(text)) or len(text) < 300
    return False


@lru_cache(maxsize=256)
def _last_names(authors: tuple[str, ...]) -> tuple[str, ...]:
    """Each author's last name part (lower case, longer than two letters, not a title)."""
    out = []
    for author in authors:
        parts = [
            p for p in re.split(r"\s+", author.lower()) if len(p) > 2 and p not in {"prof", "dr.", "prof."}
        ]
        if parts:
            out.append(parts[-1])
    return tuple(out)


def _mark_title_copy(texts: list[str], out: list[str | None], title: str | None) -> None:
    """The headline repeated as the first lines of the body is a copy of the title, not text."""
    key = _words_key(title or "")
    if len(key) < 12:
        return
    body = [i for i, r in enumerate(out) if r is None]
    for i in body[:3]:
        head = _head(texts[i])  # a prefix of the unit's key: a paragraph is told apart by it
        if head is not None and not key.startswith(head):
            continue
        if _words_key(texts[i]) == key and len(body) > 1:
            out[i] = REASON_METADATA


def _author_keys(authors: list[str]) -> list[str]:
    keys = []
    for author in authors:
        key = _words_key(re.sub(r"^(?:dr|prof|professor|mr|mrs|ms)\.?\s+", "", author.strip(), flags=_I))
        if len(key) >= 5 and " " in key:
            keys.append(key)
    return keys


def _mark_bios_and_signoffs(texts: list[str], out: list[str | None], authors: list[str]) -> None:
    """Author bios next to the byline or at the foot of the piece, their follow-on lines, sign-offs."""
    body_idx = [i for i, r in enumerate(out) if r is None]
    head, tail = body_idx[:3], body_idx[-3:]
    for i in sorted(set(head) | set(tail)):
        text = texts[i].strip()
        if _is_bio(text, authors) or (i in tail and len(text) < 400 and _EMAIL_BIO_RE.search(text)):
            out[i] = REASON_AUTHOR_BIO
    # A bio at the top often runs on for a line or two ("He has taught at ...").
    for i in head:
        if out[i] != REASON_AUTHOR_BIO:
            continue
        j = i + 1
        while j < len(texts) and j - i <= 3:
            if out[j] is None and len(texts[j].strip()) < 200 and _PRONOUN_START_RE.match(texts[j].strip()):
                out[j] = REASON_AUTHOR_BIO
                j += 1
                continue
            break
    # "Jane Doe, Ph.D." on its own line (mostly at the end, before the notes): the author signing off.
    keys = _author_keys(authors)
    for i in body_idx[3:]:
        text = texts[i].strip()
        if out[i] is not None or len(text) > 80:
            continue
        key = _words_key(text)
        for author in keys:
            if key.startswith(author) and set(key[len(author) :].split()) <= _DEGREE_WORDS:
                out[i] = REASON_METADATA
                break
    # "Source: Other Outlet" as the last line: where the piece came from.
    for i in tail[-2:]:
        if out[i] is None and _SOURCE_LINE_RE.match(texts[i].strip()):
            out[i] = REASON_REPUBLISHED


def _mark_link_lists(texts: list[str], out: list[str | None]) -> None:
    """Headline lists: the lines after a "Related"/"Read more" label, and a run of four or more
    Title Case headlines that ends the article (the site's list of its other stories)."""
    n = len(texts)
    i = 0
    while i < n:
        if out[i] in _LINK_HEADINGS and len(texts[i].strip()) <= 200 and not texts[i].startswith("Return to"):
            j = i + 1
            while j < n and (out[j] is None or out[j] == REASON_NAVIGATION):
                if out[j] is None:
                    if not texts[j].strip():
                        j += 1
                        continue
                    if not _headline_like(texts[j], strict=False):
                        break
                    out[j] = REASON_NAVIGATION
                j += 1
            i = j
            continue
        i += 1
    # A trailing run of Title Case headlines with no label.
    end = n
    while end > 0 and (out[end - 1] is not None or not texts[end - 1].strip()):
        end -= 1
    start = end
    while start > 0 and out[start - 1] is None and _headline_like(texts[start - 1], strict=True):
        start -= 1
    if end - start >= 4:
        for k in range(start, end):
            out[k] = REASON_NAVIGATION


HEAD_CHARS = 64
_KEY = 8  # characters of a head that `_mark_duplicates` groups units by


def _head(text: str) -> str | None:
    """The normal form of the text's first characters, a prefix of the whole text's (for ASCII
    text, where each character maps on its own; None for other text: unknown)."""
    return _normal(text[:HEAD_CHARS]) if text.isascii() else None


def _mark_duplicates(texts: list[str], reasons: list[str | None]) -> None:
    """An earlier exact copy of later body text (one unit or a run of up to 6) is the repeat.

    Whole normal forms are made only for the pairs whose heads agree (`_head`): when the
    normal form of unit i starts with that of unit j, both heads are prefixes of i's, so one
    is a prefix of the other. Most articles repeat nothing, and their units are read once."""
    count = len(texts)
    normals: list[str | None] = [None] * count
    heads = [_head(t) if r is None else None for t, r in zip(texts, reasons, strict=True)]

    def normal(k: int) -> str:
        found = normals[k]
        if found is None:
            found = normals[k] = _normal(texts[k])
        return found

    # Heads of KEY characters or more agree only if their first KEY do: per such key, the body
    # units that have it, so a unit is compared only with those and with the units whose head
    # is shorter or unknown ("loose"). Only units after i are compared with i, and only i is
    # marked, so the body units found here stay the ones the loop reads.
    by_key: dict[str, list[int]] = {}
    loose: list[int] = []
    for k in range(count):
        if reasons[k] is None:
            h = heads[k]
            if h is None or len(h) < _KEY:
                loose.append(k)
            else:
                by_key.setdefault(h[:_KEY], []).append(k)
    window = 12
    for i in range(count):
        if reasons[i] is not None:
            continue
        head = heads[i]
        if head is not None and len(texts[i]) < DUPLICATE_MIN_CHARS:
            continue  # ASCII: the normal form is no longer than the text
        end = min(count, i + 1 + window)
        if head is None or len(head) < _KEY:
            candidates: Iterable[int] = range(i + 1, end)
        else:
            same = by_key[head[:_KEY]]
            if len(same) == 1 and not loose:
                continue  # no other body unit's head agrees with this one
            candidates = sorted(j for j in (*same, *loose) if i < j < end)
        for j in candidates:
            if reasons[j] is not None:
                continue
            other = heads[j]
            if head is not None and other is not None:
                size = min(len(head), len(other))
                if head[:size] != other[:size]:
                    continue
            norm = normal(i)
            if len(norm) < DUPLICATE_MIN_CHARS:
                break
            first = normal(j)
            if not first or not norm.startswith(first):
                continue
            joined = first
            k = j
            while len(joined) < len(norm) and k + 1 < count and k - j < 6:
                k += 1
                joined = f"{joined} {normal(k)}"
            if joined == norm:
                reasons[i] = REASON_DUPLICATE
                break


def classify(
    texts: list[str],
    reasons: list[str | None],
    link_chars: list[int],
    *,
    authors: list[str] | None = None,
    fmt: str = "text",
    title: str | None = None,
) -> list[str | None]:
    """Reasons for every unit (None = body); units that already have a reason keep it."""
    authors = authors or []
    out = list(reasons)
    fixed = [r is not None for r in reasons]
    for i, text in enumerate(texts):
        if out[i] is None:
            out[i] = rule_reason(text)
            if out[i] == REASON_CAPTION and descriptive_caption(text):
                out[i] = None  # the caption is article text; `fragments` cuts its credit
    _mark_title_copy(texts, out, title)
    _mark_detected(texts, out, title)
    _mark_bios_and_signoffs(texts, out, authors)
    _mark_link_lists(texts, out)
    # Global Research footer: from the first original-source/copyright line on, it is all site text.
    if fmt == "globalresearch":
        start = next((i for i, r in enumerate(out) if r in (REASON_ORIGINAL_SOURCE, REASON_COPYRIGHT)), None)
        if start is not None:
            for i in range(start, len(out)):
                if out[i] is None:
                    out[i] = REASON_FOOTER
    _mark_duplicates(texts, out)
    # jusText-style smoothing over units the rules left open.
    classes = []
    for i, text in enumerate(texts):
        if fixed[i] and not text.strip() or out[i] in _NEUTRAL_REASONS:
            classes.append("skip")
        elif out[i] is not None:
            classes.append("bad")
        else:
            classes.append(_heuristic_class(text, link_chars[i]))
    for i, cls in enumerate(classes):
        if cls == "bad" and out[i] is None:
            out[i] = REASON_LOW_CONTENT
    left = _anchors(classes, range(len(classes)))
    right = _anchors(classes, range(len(classes) - 1, -1, -1))
    for i, cls in enumerate(classes):
        if cls != "short" or out[i] is not None:
            continue
        (lcls, lpos), (rcls, rpos) = left[i], right[i]
        sides = (lcls, rcls)
        is_sentence = bool(_SENTENCE_END_RE.search(texts[i].strip()))
        # A short sentence goes only inside a form or poll (boilerplate on both sides, one of
        # them a form, poll or prompt); a fragment (label, headline, list of names) also goes
        # when it sits between boilerplate and the edge of the article.
        if is_sentence:
            if sides == ("bad", "bad") and (out[lpos] in _FORM_REASONS or out[rpos] in _FORM_REASONS):
                out[i] = REASON_LOW_CONTENT
        elif "good" not in sides and "bad" in sides:
            out[i] = REASON_LOW_CONTENT
    return out


def _anchors(classes: list[str], order: range) -> list[tuple[str, int]]:
    """For each unit, the class and position of the nearest good/bad unit before it in `order`
    (("edge", -1) if none)."""
    out: list[tuple[str, int]] = [("edge", -1)] * len(classes)
    last: tuple[str, int] = ("edge", -1)
    for i in order:
        out[i] = last
        if classes[i] in ("good", "bad"):
            last = (classes[i], i)
    return out


def _mark_detected(texts: list[str], out: list[str | None], title: str | None) -> None:
    """Cross-site detectors on the units the rules left open (`detectors.detect`)."""
    body = [i for i, r in enumerate(out) if r is None and texts[i].strip()]
    head, tail = set(body[:HEAD_UNITS]), set(body[-TAIL_UNITS:])
    title_key = _words_key(title or "")
    notes = False
    for i in body:
        text = texts[i]
        position = "head" if i in head else "tail" if i in tail else "middle"
        out[i] = detect(text, position=position, title_key=title_key, notes_before=notes)
        notes = notes or is_notes_start(text)
