"""The annotatable text of an article: its title, then its blocks, each mapped to the source.

The clean body (`Article.body`) holds the body blocks only, and every body offset in exports keeps
that meaning. The reader annotates more than the body: the title (PTC files count it from source
offset 0) and, when asked, the blocks the cleaner set aside, shown in place with their reason. This
view adds them without redefining anything: its own text and its own map to source offsets, so a
span made anywhere in it is stored by its source offsets like any other.
"""

from __future__ import annotations

from dataclasses import dataclass

from library.model import PARAGRAPH_SEPARATOR, Article
from library.textmap import OffsetMap, Run

TITLE_SEARCH = 2000  # the title is looked for near the start of the source only


@dataclass(frozen=True, slots=True)
class AnnotatableText:
    """Text as shown (title, blank line, blocks), with a map from its offsets to source offsets."""

    text: str
    map: OffsetMap
    block_starts: list[int | None]  # offset of each block in `text`, None when not shown
    title_end: int  # [0, title_end) is the title (0: no title in the source)
    stripped: list[tuple[int, int, str]]  # (start, end, reason) of set-aside blocks shown

    def to_source(self, start: int, end: int) -> tuple[int, int] | None:
        return self.map.to_source(start, end)

    def to_clean(self, start: int, end: int) -> tuple[int, int] | None:
        """Offsets in this text of a source span, or None when it is not shown."""
        return self.map.to_clean(start, end)


def title_span(article: Article) -> tuple[int, int] | None:
    """Where the title lies in the source text, when it is there word for word and in no block."""
    title = (article.meta.title or "").strip()
    if not title:
        return None
    start = article.source_text.find(title, 0, TITLE_SEARCH + len(title))
    if start == -1:
        return None
    end = start + len(title)
    for block in article.blocks:
        if block.source_start < end and start < block.source_end:
            return None  # the title is a block of its own already
    return start, end


def annotatable_text(article: Article, *, stripped: bool = False) -> AnnotatableText:
    """The title and the body blocks; with `stripped`, the set-aside blocks too, in place, each
    after its reason in brackets (text from no source: nothing can be anchored on it)."""
    parts: list[str] = []
    runs: list[Run] = []
    starts: list[int | None] = []
    shown: list[tuple[int, int, str]] = []
    pos = 0
    title = title_span(article)
    if title is not None:
        parts.append(article.source_text[title[0] : title[1]])
        runs.append(Run(0, title[0], title[1] - title[0]))
        pos = title[1] - title[0]
    title_end = pos
    for block in article.blocks:
        if not block.is_body and not stripped:
            starts.append(None)
            continue
        if parts:
            parts.append(PARAGRAPH_SEPARATOR)
            pos += len(PARAGRAPH_SEPARATOR)
        line_start = pos
        if not block.is_body:
            label = f"[{block.reason}] "
            parts.append(label)
            pos += len(label)
        starts.append(pos)
        parts.append(block.text)
        runs.extend(Run(r.clean + pos, r.source, r.length) for r in block.runs)
        pos += len(block.text)
        if not block.is_body:
            shown.append((line_start, pos, block.reason or ""))
    return AnnotatableText("".join(parts), OffsetMap(runs), starts, title_end, shown)
