"""What the text-and-spans formats (brat, Label Studio, spaCy, CoNLL, WebAnno) share: the clean
body with its spans, and the reverse step that anchors spans given in a copy of that body."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from library.interchange.planning import ArticleIndex, ImportPlan, PlannedSpan, make_highlight


@dataclass
class BodySpan:
    start: int
    end: int
    tags: list[str]
    note: str
    quote: str
    id: str
    annotator: str


def body_spans(article: dict[str, Any]) -> tuple[list[BodySpan], int]:
    """The highlights of an exported article that lie in its clean body, and how many do not."""
    spans = []
    outside = 0
    for h in article["highlights"]:
        if h["start"] is None:
            outside += 1
            continue
        spans.append(
            BodySpan(h["start"], h["end"], list(h["tags"]), h["note"], h["quote"], h["id"], h["annotator"])
        )
    return spans, outside


def outside_warning(outside: int, fmt: str) -> list[str]:
    if not outside:
        return []
    return [f"{outside} highlight(s) outside the clean body left out ({fmt} holds the clean body only)"]


def plan_body_spans(
    plan: ImportPlan,
    index: ArticleIndex,
    aid: str,
    text: str,
    spans: Sequence[tuple[int, int, list[str], str, str, str | None]],
    where: str,
) -> None:
    """Spans (start, end, tags, note, annotator, id) given in `text`, a copy of an article's body
    (or a changed one): anchored by the quote they cover, their offsets as the hint."""
    article = index.article(aid)
    same = article.body == text
    for s, e, tags, note, annotator, hid in spans:
        hl = make_highlight(
            article,
            quote=text[s:e],
            prefix=text[max(0, s - 32) : s],
            suffix=text[e : e + 32],
            body=(s, e) if same or e <= len(article.body) else None,
            tags=tags,
            note=note,
            annotator=annotator,
            hid=hid,
        )
        plan.spans.append(PlannedSpan(aid, hl, f"{where} [{s}, {e}]"))


def find_article(plan: ImportPlan, index: ArticleIndex, where: str, key: Any, text: str | None) -> str | None:
    """An article by our full id (or another exact key), else by its body text."""
    if isinstance(key, str) and key in index.ids:
        return key
    if text is not None:
        found = index.find_by_body(text)
        if found is not None:
            return found
    return index.find_for(plan, where, key, missing=f"no article {str(key)[:40]} or with this text")


def _extends(ch: str, prev: str) -> bool:
    """Whether `ch` belongs to the character before it: combining marks, variation selectors,
    emoji skin tones, anything joined by a zero-width joiner."""
    return (
        unicodedata.category(ch)[0] == "M"
        or ch == "\u200d"
        or prev == "\u200d"
        or 0x1F3FB <= ord(ch) <= 0x1F3FF
    )


def _clusters(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        prev = text[i - 1] if i else ""
        regional = 0x1F1E6 <= ord(ch) <= 0x1F1FF
        if out and prev and not prev.isspace() and _extends(ch, prev):
            out[-1] = (out[-1][0], i + 1)
        elif out and regional and out[-1][1] - out[-1][0] == 1 and 0x1F1E6 <= ord(prev) <= 0x1F1FF:
            out[-1] = (out[-1][0], i + 1)  # a flag: two regional indicators
        else:
            out.append((i, i + 1))
    return out


def _kind(text: str, start: int) -> str:
    ch = text[start]
    if ch.isspace():
        return "space"
    if ch.isalnum() or ch == "_":
        return "word"
    return "other"


def tokenize(text: str, boundaries: set[int] | None = None) -> list[tuple[int, int]]:
    """Tokens as (start, end) code-point offsets: runs of letters and digits (with their
    combining marks: "Ame\u0301lie" is one token), each other character with what extends it (an
    emoji with its skin tone or joined parts, a flag), and runs of whitespace; then split wherever
    a span starts or ends, so every span is a whole number of tokens. Whitespace runs are tokens
    too; the CoNLL and WebAnno writers leave them out."""
    cuts = set(b for b in (boundaries or set()) if 0 < b < len(text))
    out: list[tuple[int, int]] = []
    kind = ""
    for s, e in _clusters(text):
        k = _kind(text, s)
        if out and k == kind and k in ("word", "space") and s not in cuts:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        kind = k
    final: list[tuple[int, int]] = []
    for s, e in out:
        inner = sorted(c for c in cuts if s < c < e)
        for c in inner:
            final.append((s, c))
            s = c
        final.append((s, e))
    return final


def layers(spans: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """Spans put in as few layers as possible so that none overlaps another in its layer (first
    fit, in start order): layer 0 is what a one-column consumer sees."""
    out: list[list[tuple[int, int, str]]] = []
    ends: list[int] = []
    for span in sorted(spans, key=lambda x: (x[0], -x[1], x[2])):
        for k, end in enumerate(ends):
            if span[0] >= end:
                out[k].append(span)
                ends[k] = span[1]
                break
        else:
            out.append([span])
            ends.append(span[1])
    return out


def sentences(text: str, tokens: list[tuple[int, int]]) -> list[list[tuple[int, int]]]:
    """Tokens grouped in lines: a whitespace token holding a line break ends a sentence; whitespace
    tokens are left out."""
    out: list[list[tuple[int, int]]] = [[]]
    for s, e in tokens:
        piece = text[s:e]
        if piece.isspace():
            if "\n" in piece and out[-1]:
                out.append([])
            continue
        out[-1].append((s, e))
    return [sent for sent in out if sent]
