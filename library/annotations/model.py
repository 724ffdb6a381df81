"""Highlights, article tags and per-article reading state: the user's work.

The primary anchor of a highlight is its span in the article's original text (`source_start`,
`source_end`), which never changes. Offsets into the clean body are derived from it through the
article's offset map, so flipping a boilerplate block or re-cleaning an article cannot move a
highlight off its text. The quote with ~32 characters of context on each side is kept too, to
anchor spans that arrive from other tools without trustworthy offsets.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

CONTEXT_CHARS = 32

ANCHOR_EXACT = "exact"
ANCHOR_REANCHORED = "reanchored"
ANCHOR_ORPHAN = "orphan"


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_id() -> str:
    return uuid.uuid4().hex[:16]


@dataclass(slots=True)
class Highlight:
    id: str
    source_start: int
    source_end: int
    quote: str  # the span's clean text when it was anchored
    prefix: str = ""
    suffix: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""
    annotator: str = ""
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)
    anchor: str = ANCHOR_EXACT
    confidence: float = 1.0
    # for the curated layer: who proposed the span, who decided, when (see annotations.curation)
    provenance: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        data = {
            "id": self.id,
            "source_start": self.source_start,
            "source_end": self.source_end,
            "quote": self.quote,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "tags": list(self.tags),
            "note": self.note,
            "annotator": self.annotator,
            "created": self.created,
            "updated": self.updated,
            "anchor": self.anchor,
            "confidence": self.confidence,
        }
        if self.provenance is not None:
            data["provenance"] = dict(self.provenance)
        return data

    def copy(self) -> Highlight:
        """A copy sharing nothing mutable (what `from_json(to_json())` gives, several times sooner:
        an article with thousands of highlights is copied on every change)."""
        return Highlight(
            self.id,
            self.source_start,
            self.source_end,
            self.quote,
            self.prefix,
            self.suffix,
            list(self.tags),
            self.note,
            self.annotator,
            self.created,
            self.updated,
            self.anchor,
            self.confidence,
            dict(self.provenance) if self.provenance is not None else None,
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Highlight:
        return cls(
            id=str(data["id"]),
            source_start=int(data["source_start"]),
            source_end=int(data["source_end"]),
            quote=str(data.get("quote", "")),
            prefix=str(data.get("prefix", "")),
            suffix=str(data.get("suffix", "")),
            tags=[str(t) for t in data.get("tags", [])],
            note=str(data.get("note", "")),
            annotator=str(data.get("annotator", "")),
            created=str(data.get("created", "")),
            updated=str(data.get("updated", "")),
            anchor=str(data.get("anchor", ANCHOR_EXACT)),
            confidence=float(data.get("confidence", 1.0)),
            provenance=dict(data["provenance"]) if isinstance(data.get("provenance"), dict) else None,
        )


@dataclass(slots=True)
class ArticleTag:
    tag: str
    annotator: str = ""
    created: str = field(default_factory=now_iso)
    item: str = ""  # for the curated layer: the curation item it settles

    def to_json(self) -> dict[str, Any]:
        data = {"tag": self.tag, "annotator": self.annotator, "created": self.created}
        if self.item:
            data["item"] = self.item
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleTag:
        return cls(
            str(data["tag"]),
            str(data.get("annotator", "")),
            str(data.get("created", "")),
            str(data.get("item", "")),
        )


@dataclass(slots=True)
class ArticleAnnotations:
    """Everything a user changes about one article; stored apart from the article itself."""

    article_id: str
    highlights: list[Highlight] = field(default_factory=list)
    tags: list[ArticleTag] = field(default_factory=list)
    note: str = ""
    flips: dict[int, bool] = field(default_factory=dict)  # block index -> True: body, False: boilerplate
    read: bool = False
    position: int = 0  # reading position, a body offset
    updated: str = ""
    curation: list[dict[str, Any]] = field(default_factory=list)  # decisions of the curated layer
    # Work state per annotator: annotator -> "new" | "progress" | "done" (see annotations.work_state).
    # Stored only when set, so buckets written before it existed read and write back unchanged.
    work: dict[str, str] = field(default_factory=dict)

    @property
    def tag_names(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.tags:
            seen.setdefault(t.tag, None)
        return list(seen)

    def is_empty(self) -> bool:
        return not (
            self.highlights
            or self.tags
            or self.note
            or self.flips
            or self.read
            or self.position
            or self.curation
            or self.work
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "highlights": [h.to_json() for h in self.highlights],
            "tags": [t.to_json() for t in self.tags],
            "note": self.note,
            "flips": {str(k): v for k, v in self.flips.items()},
            "read": self.read,
            "position": self.position,
            "updated": self.updated,
            **({"curation": [dict(r) for r in self.curation]} if self.curation else {}),
            **({"work": dict(self.work)} if self.work else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ArticleAnnotations:
        return cls(
            article_id=str(data["article_id"]),
            highlights=[Highlight.from_json(h) for h in data.get("highlights", [])],
            tags=[ArticleTag.from_json(t) for t in data.get("tags", [])],
            note=str(data.get("note", "")),
            flips={int(k): bool(v) for k, v in data.get("flips", {}).items()},
            read=bool(data.get("read", False)),
            position=int(data.get("position", 0)),
            updated=str(data.get("updated", "")),
            curation=[dict(r) for r in data.get("curation", []) if isinstance(r, dict)],
            work={str(k): str(v) for k, v in (data.get("work") or {}).items()},
        )

    def sharing_copy(self) -> ArticleAnnotations:
        """A copy whose highlight list is its own but holds the same `Highlight` objects: for
        code that replaces highlights instead of changing them (the editing rules), so one change
        among thousands of highlights does not copy them all. Everything else is copied."""
        return ArticleAnnotations(
            self.article_id,
            list(self.highlights),
            [ArticleTag(t.tag, t.annotator, t.created, t.item) for t in self.tags],
            self.note,
            dict(self.flips),
            self.read,
            self.position,
            self.updated,
            [dict(r) for r in self.curation],
            dict(self.work),
        )

    def copy(self) -> ArticleAnnotations:
        """A deep copy (as `from_json(to_json())`, without the JSON in between)."""
        return ArticleAnnotations(
            self.article_id,
            [h.copy() for h in self.highlights],
            [ArticleTag(t.tag, t.annotator, t.created, t.item) for t in self.tags],
            self.note,
            dict(self.flips),
            self.read,
            self.position,
            self.updated,
            [dict(r) for r in self.curation],
            dict(self.work),
        )
