"""The article model shared by parsers, the store, annotations and export.

An article keeps its original text (`source_text`) for good. Parsers cut it into blocks: each
block is clean text with an offset map back into the source, and is either body text or
boilerplate with a reason. The body the reader sees is derived: the body blocks joined by blank
lines. Because the blocks and the source never change, a user's flip of a block or a better
cleaner only changes which blocks are joined, and every span can be mapped back to the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from library.textmap import OffsetMap, Run

PARAGRAPH_SEPARATOR = "\n\n"

# Reasons a block leaves the body. Parsers may add detail after a colon ("site rule: ...").
REASON_METADATA = "byline/metadata line"
REASON_DONATION = "donation appeal"
REASON_ORIGINAL_SOURCE = "original source notice"
REASON_COPYRIGHT = "copyright"
REASON_DISCLAIMER = "disclaimer"
REASON_FAIR_USE = "fair-use notice"
REASON_NAVIGATION = "navigation"
REASON_SOCIAL = "social or membership prompt"
REASON_FORM = "form field"
REASON_CONTACT = "contact line"
REASON_READER_NOTE = "note to readers"
REASON_CAPTION = "image caption"
REASON_REPUBLISHED = "republication notice"
REASON_AUTHOR_BIO = "author bio"
REASON_LOW_CONTENT = "low text content (length, link and stop-word density)"
REASON_DUPLICATE = "repeated within the article"
REASON_USER = "marked as boilerplate by the user"


def repeated_reason(count: int) -> str:
    return f"repeated in {count} articles of this site"


@dataclass(slots=True)
class Block:
    """One paragraph of the source, cleaned, with where it came from and whether it is body."""

    text: str
    runs: list[Run]
    reason: str | None = None  # None: body text; otherwise why it is boilerplate
    fingerprint: str = ""  # normalised hash for cross-article repetition; set by the parser

    @property
    def is_body(self) -> bool:
        return self.reason is None

    @property
    def source_start(self) -> int:
        return self.runs[0].source if self.runs else 0

    @property
    def source_end(self) -> int:
        last = self.runs[-1] if self.runs else None
        return last.source + last.length if last else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "runs": [[r.clean, r.source, r.length] for r in self.runs],
            "reason": self.reason,
            "fingerprint": self.fingerprint,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        return cls(
            text=data["text"],
            runs=[Run(c, s, n) for c, s, n in data["runs"]],
            reason=data.get("reason"),
            fingerprint=data.get("fingerprint", ""),
        )


@dataclass(slots=True)
class Origin:
    """Where an article came from: a file, and for data sets the 0-based record in it."""

    path: str
    record: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "record": self.record}


@dataclass(slots=True)
class Metadata:
    """What the parser read from the header and footer. Unknown stays None or empty; nothing is guessed."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: str | None = None  # ISO 8601 date, YYYY-MM-DD
    site: str | None = None
    url: str | None = None
    region: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    in_depth_report: str | None = None
    original_source: str | None = None
    copyright: str | None = None
    external_id: str | None = None  # e.g. the PTC article number, a data set's news_id
    extra: dict[str, Any] = field(default_factory=dict)  # unmapped data-set columns

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "authors": list(self.authors),
            "published": self.published,
            "site": self.site,
            "url": self.url,
            "region": list(self.region),
            "themes": list(self.themes),
            "in_depth_report": self.in_depth_report,
            "original_source": self.original_source,
            "copyright": self.copyright,
            "external_id": self.external_id,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Metadata:
        known: dict[str, Any] = {k: data.get(k) for k in cls.__slots__ if k in data}
        meta = cls(**known)
        meta.authors = list(meta.authors or [])
        meta.region = list(meta.region or [])
        meta.themes = list(meta.themes or [])
        meta.extra = dict(meta.extra or {})
        return meta

    @classmethod
    def from_compact(cls, data: dict[str, Any]) -> Metadata:
        """`from_json` for the catalogue's compact form (only set fields), about three times
        faster: the common entry needs no per-field lookups. Lists are the metadata's own."""
        if not _META_FIELDS.issuperset(data):
            return cls.from_json(data)
        meta = cls(**data)
        # Written out rather than looped: this runs once per article listed.
        if "authors" in data:
            meta.authors = list(meta.authors or ())
        if "region" in data:
            meta.region = list(meta.region or ())
        if "themes" in data:
            meta.themes = list(meta.themes or ())
        if "extra" in data:
            meta.extra = dict(meta.extra or {})
        return meta


_META_FIELDS = frozenset(Metadata.__slots__)


@dataclass(slots=True)
class ParsedArticle:
    """A parser's result, before it has an id or a place in the store."""

    source_text: str
    meta: Metadata
    blocks: list[Block]
    format: str
    origin: Origin


@dataclass(slots=True)
class SourceArticle:
    """An article read but not cleaned yet: its text and what its header or fields say.

    Why: cleaning (paragraph repair, boilerplate rules, fingerprints) is most of the cost of an
    import, so an import stores these at file speed and the store cleans them afterwards
    (`Library.clean_pending`), or on first open. `meta` holds a provisional title for a text
    file (its first line; the parse reads the header and footer) or a record's fields.
    `format` is "" when the parse is to detect it.
    """

    source_text: str
    meta: Metadata
    format: str
    origin: Origin


@dataclass
class Article:
    """A stored article with its blocks as currently classified (parser, site model, user flips)."""

    id: str
    meta: Metadata
    source_text: str
    blocks: list[Block]
    format: str
    origin: Origin

    @cached_property
    def _layout(self) -> tuple[str, OffsetMap, list[int | None]]:
        parts: list[str] = []
        runs: list[Run] = []
        starts: list[int | None] = []
        pos = 0
        for block in self.blocks:
            if not block.is_body:
                starts.append(None)
                continue
            if parts:
                parts.append(PARAGRAPH_SEPARATOR)
                pos += len(PARAGRAPH_SEPARATOR)
            starts.append(pos)
            parts.append(block.text)
            runs.extend(Run(r.clean + pos, r.source, r.length) for r in block.runs)
            pos += len(block.text)
        return "".join(parts), OffsetMap(runs), starts

    def invalidate(self) -> None:
        """Forget the derived body after `blocks` changed."""
        self.__dict__.pop("_layout", None)

    @property
    def body(self) -> str:
        return self._layout[0]

    @property
    def body_map(self) -> OffsetMap:
        return self._layout[1]

    @property
    def block_starts(self) -> list[int | None]:
        """Offset of each block in the body, None for boilerplate blocks."""
        return self._layout[2]

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.is_body]

    @property
    def boilerplate(self) -> list[tuple[int, Block]]:
        return [(i, b) for i, b in enumerate(self.blocks) if not b.is_body]

    def body_to_source(self, start: int, end: int) -> tuple[int, int] | None:
        return self.body_map.to_source(start, end)

    def source_to_body(self, start: int, end: int) -> tuple[int, int] | None:
        return self.body_map.to_clean(start, end)


class ArticleSummary:
    """What the library list and `reader list` show: catalogue fields plus annotation counts.

    Why not a dataclass: a library of 10,000 articles builds 10,000 of these to draw its first
    screen, which sorts by date and title and draws forty rows. So a summary made by the
    catalogue (`from_catalogue`) keeps its metadata and origin as the catalogue's JSON and
    builds `meta` and `origin` on first use; `title`, `published` and `site` read the JSON
    until then. Otherwise it behaves as a plain record (fields, ==, repr).
    """

    _FIELDS = (
        "id",
        "meta",
        "format",
        "origin",
        "imported",
        "paragraphs",
        "boilerplate_blocks",
        "words",
        "tags",
        "highlights",
        "read",
        "cleaned",
        "span_tags",
        "annotators",
        "has_note",
        "state",
        "work",
    )
    __slots__ = (
        *(name for name in _FIELDS if name not in ("meta", "origin")),
        "_meta",
        "_meta_json",
        "_origin",
        "_origin_json",
    )

    def __init__(
        self,
        id: str,  # noqa: A002 - the field's name everywhere else
        meta: Metadata | None,  # None: built from `_meta_json` (see `from_catalogue`)
        format: str,  # noqa: A002
        origin: Origin | None,
        imported: str,  # ISO timestamp of the import
        paragraphs: int,
        boilerplate_blocks: int,
        words: int,
        tags: list[str] | None = None,
        highlights: int = 0,
        read: bool = False,
        cleaned: bool = True,  # False until the store has cleaned it: counts are 0, footer unread
        span_tags: list[str] | None = None,  # the tags on its highlights (an `ArticleQuery` label)
        annotators: list[str] | None = None,  # who tagged it or marked a span in it
        has_note: bool = False,
        state: str = "new",  # the library annotator's work state: new, progress, done (work_state.py)
        work: dict[str, str] | None = None,  # recorded work states: annotator -> state
    ) -> None:
        self.id = id
        self._meta: Metadata | None = meta
        self._meta_json: dict[str, Any] | None = None
        self.format = format
        self._origin: Origin | None = origin
        self._origin_json: dict[str, Any] | None = None
        self.imported = imported
        self.paragraphs = paragraphs
        self.boilerplate_blocks = boilerplate_blocks
        self.words = words
        self.tags = [] if tags is None else tags
        self.highlights = highlights
        self.read = read
        self.cleaned = cleaned
        self.span_tags = [] if span_tags is None else span_tags
        self.annotators = [] if annotators is None else annotators
        self.has_note = has_note
        self.state = state
        self.work = {} if work is None else work

    @classmethod
    def from_catalogue(cls, entry: dict[str, Any]) -> ArticleSummary:
        """A summary of a catalogue entry, its metadata and origin left as JSON until used."""
        get = entry.get
        summary = cls(
            entry["id"],
            None,
            get("format", ""),
            None,
            get("imported", ""),
            get("paragraphs", 0),
            get("boilerplate_blocks", 0),
            get("words", 0),
            cleaned=not get("pending", False),
        )
        summary._meta_json = get("meta") or {}
        summary._origin_json = get("origin") or {}
        return summary

    @property
    def meta(self) -> Metadata:
        if self._meta is None:
            self._meta = Metadata.from_compact(self._meta_json or {})
        return self._meta

    @meta.setter
    def meta(self, value: Metadata) -> None:
        self._meta = value

    @property
    def origin(self) -> Origin:
        if self._origin is None:
            data = self._origin_json or {}
            self._origin = Origin(str(data.get("path", "")), data.get("record"))
        return self._origin

    @origin.setter
    def origin(self, value: Origin) -> None:
        self._origin = value

    @property
    def title(self) -> str | None:
        meta = self._meta
        return meta.title if meta is not None else (self._meta_json or {}).get("title")

    @property
    def published(self) -> str | None:
        meta = self._meta
        return meta.published if meta is not None else (self._meta_json or {}).get("published")

    @property
    def site(self) -> str | None:
        meta = self._meta
        return meta.site if meta is not None else (self._meta_json or {}).get("site")

    @property
    def labels(self) -> list[str]:
        """Its article tags and its span tags: what an `ArticleQuery` label is matched against."""
        return list(dict.fromkeys([*self.tags, *self.span_tags]))

    @property
    def annotated(self) -> bool:
        return bool(self.tags or self.highlights or self.has_note)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._FIELDS)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArticleSummary):
            return NotImplemented
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._FIELDS)
        return f"ArticleSummary({inner})"
