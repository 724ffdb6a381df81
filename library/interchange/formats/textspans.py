"""What the text-and-spans formats (brat, Label Studio, spaCy, CoNLL, WebAnno) share: the clean
body with its spans, and the reverse step that anchors spans given in a copy of that body."""

from __future__ import annotations

import re
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
    spans: list[tuple[int, int, list[str], str, str, str | None]],
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


_PIECES = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def tokenize(text: str, boundaries: set[int] | None = None) -> list[tuple[int, int]]:
    """Tokens as (start, end) code-point offsets: runs of word characters, single other
    characters, and runs of whitespace, further split wherever a span starts or ends, so every
    span is a whole number of tokens. Combining marks count as word characters (`\\w` in Python
    includes them: "Ame\\u0301lie" is one token); an emoji with its modifiers is split per code
    point. Whitespace runs are tokens too; the CoNLL writer leaves them out."""
    cuts = sorted(b for b in (boundaries or set()) if 0 < b < len(text))
    out: list[tuple[int, int]] = []
    k = 0
    for m in _PIECES.finditer(text):
        s, e = m.start(), m.end()
        while k < len(cuts) and cuts[k] <= s:
            k += 1
        j = k
        while j < len(cuts) and cuts[j] < e:
            out.append((s, cuts[j]))
            s = cuts[j]
            j += 1
        out.append((s, e))
    return out
