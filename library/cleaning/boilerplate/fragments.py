"""Cutting injected fragments out of content lines, so both the sentence and the cut are right.

A caption that says what the picture shows is article text, but its photo credit is not; a
"story continues below" marker or an inline "[Read more: ...]" link sits inside a paragraph of
reporting. Such a block is split: the fragment becomes a boilerplate block of its own (with the
signal as its reason, shown in the boilerplate pane) and the text around it stays in the body.
Runs are sliced, so every piece still maps to its place in the source.
"""

from __future__ import annotations

import re

from library.cleaning.regex_literals import cheap_guard
from library.model import Block
from library.textmap import Run

_I = re.IGNORECASE

REASON_CREDIT_FRAGMENT = "injected fragment: photo credit"
REASON_MARKER_FRAGMENT = "injected fragment: 'story continues below' marker"
REASON_LINK_FRAGMENT = "injected fragment: inline related link"

_AGENCY = (
    r"(?:getty images|ap photo|afp(?: photo)?|reuters|shutterstock|istock(?:photo)?|eyeem|alamy|epa|xinhua|"
    r"anadolu|nurphoto|sopa images|bloomberg|zuma press|associated press|scng)"
)
# (reason, pattern): a match is cut out of a body block.
_FRAGMENTS: list[tuple[str, re.Pattern[str]]] = [
    (
        REASON_CREDIT_FRAGMENT,
        re.compile(
            r"\s*\((?:photo|image|picture|video)s?\s*(?:by|:|courtesy(?: of)?)\s[^()]{2,120}\)\s*$", _I
        ),
    ),
    (
        REASON_CREDIT_FRAGMENT,
        re.compile(r"\s*(?<=[.!?”\"])\s*(?:photograph|photo|illustration|image) by [A-Z][^.]{2,80}$"),
    ),
    (
        REASON_CREDIT_FRAGMENT,
        re.compile(
            rf"(?<=[.!?”\"])\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}}(?:\s*[|/]\s*[\w .]{{2,30}}){{0,3}}\s*[|/]\s*{_AGENCY}\s*$",
            _I,
        ),
    ),
    (
        REASON_MARKER_FRAGMENT,
        re.compile(
            r"\s*[(\[]?(?:the )?(?:story|article) continues below(?: (?:the )?(?:advertisement|ad))?[)\]]?[.:]?\s*",
            _I,
        ),
    ),
    (REASON_MARKER_FRAGMENT, re.compile(r"(?<=[.!?”\"])\s*ADVERTISEMENT\s*(?=[A-Z“\"]|$)")),
    (
        REASON_LINK_FRAGMENT,
        re.compile(
            r"\s*\[(?:read more|read also|related|see also|also read|watch|more)\s*:[^\[\]]{3,200}\]\s*", _I
        ),
    ),
]
# Per fragment: words it cannot match without (lower case), and whether it ends the block (then only
# its last TAIL_CHARS characters are searched). Why: this runs on every body block of every import.
TAIL_CHARS = 260
_CREDIT_NEEDLES = ("photo", "image", "picture", "video", "illustration", "|", "/")
_PREPARED = [
    (reason, pattern, needles, tail)
    for (reason, pattern), needles, tail in zip(
        _FRAGMENTS,
        [
            _CREDIT_NEEDLES[:4],
            ("photograph", "photo by", "illustration by", "image by"),
            ("|", "/"),
            ("continues below",),
            ("advertisement",),
            ("[",),
        ],
        [True, True, True, False, False, False],
        strict=True,
    )
]
# Per fragment, a cheaper set of strings its pattern also needs, tested first ("(" before the
# four words of a parenthesised credit, " by " before the four of a trailing one), or ().
_GUARDS = []
for _reason, _pattern, _needles, _tail in _PREPARED:
    _guard = cheap_guard(_pattern) or frozenset()
    _usable = all(g.isascii() for g in _guard) and _guard != set(_needles)
    _GUARDS.append(tuple(sorted(_guard)) if _usable else ())
_WORD_RE = re.compile(r"[\w'’-]+")
_TEMPLATE_IMAGE_RE = re.compile(r"^\W*(?:featured|top|header|cover|main|lead) (?:image|photo|picture)", _I)


def descriptive_caption(text: str) -> bool:
    """A caption that tells what the picture shows: eight words or more once its credit (or a
    leading "Image:" label) is taken off. Such a caption is content; only its credit goes. A
    "Featured image:" line is the site template's header picture and stays boilerplate."""
    if _TEMPLATE_IMAGE_RE.match(text):  # the site template's header image, not a picture of the story
        return False
    t = re.sub(r"^\W*(?:image|photo|picture)s?\s*:\s*", "", text.strip(), flags=_I)
    for _, pattern in _FRAGMENTS[:3]:
        t = pattern.sub("", t)
    return len(_WORD_RE.findall(t)) >= 8


def _slice(block: Block, start: int, end: int, reason: str | None) -> Block | None:
    """The part of `block` between clean offsets start and end, stripped, with its runs."""
    text = block.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    runs = []
    for run in block.runs:
        s, e = max(start, run.clean), min(end, run.clean + run.length)
        if s < e:
            runs.append(Run(s - start, run.source + (s - run.clean), e - s))
    return Block(text=text[start:end], runs=runs, reason=reason)


def cut_fragments(blocks: list[Block]) -> list[Block]:
    """Blocks with each injected fragment of a body block split off as a boilerplate block."""
    out: list[Block] = []
    for block in blocks:
        if block.reason is not None:
            out.append(block)
            continue
        cuts: list[tuple[int, int, str]] = []
        folded = block.text.lower()
        for (reason, pattern, needles, tail), guard in zip(_PREPARED, _GUARDS, strict=True):
            if guard:
                for needle in guard:
                    if needle in folded:
                        break
                else:
                    continue
            for needle in needles:  # a loop, not any(): this runs for every body block
                if needle in folded:
                    break
            else:
                continue  # a word the fragment cannot be without is missing: the usual case
            base = max(0, len(block.text) - TAIL_CHARS) if tail else 0
            for m in pattern.finditer(block.text, base):
                if m.end() > m.start() and not any(s < m.end() and m.start() < e for s, e, _ in cuts):
                    cuts.append((m.start(), m.end(), reason))
        if not cuts:
            out.append(block)
            continue
        cuts.sort()
        kept_text = "".join(block.text[a:b] for a, b in _gaps(cuts, len(block.text)))
        if len(_WORD_RE.findall(kept_text)) < 3:  # nothing much around it: the block is the fragment
            out.append(block)
            continue
        pos = 0
        for s, e, reason in cuts:
            for piece in (_slice(block, pos, s, None), _slice(block, s, e, reason)):
                if piece is not None:
                    out.append(piece)
            pos = e
        last = _slice(block, pos, len(block.text), None)
        if last is not None:
            out.append(last)
    return out


def _gaps(cuts: list[tuple[int, int, str]], size: int) -> list[tuple[int, int]]:
    gaps, pos = [], 0
    for s, e, _ in cuts:
        gaps.append((pos, s))
        pos = e
    gaps.append((pos, size))
    return gaps
