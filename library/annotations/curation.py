"""Curation: settle the disagreements between annotators into one curated layer.

The curated layer is an annotator like any other (default name `curation`): its highlights and
article labels live beside everyone else's and export like them. This module is pure: it reads the
annotations of one article and plans the work (what the chosen annotators agree on, what is left to
decide), and it computes the new annotations a decision produces. `library.core.curating` saves them.

Spans are compared in source offsets, like agreement, so annotators who saw different cleanings
compare fairly; orphaned highlights are left out. A highlight with several labels counts as one
proposal per label. Proposals that overlap are one *item*: the curator settles an item at once
(accept one annotator's version, accept every version, reject, or replace it with an edited span).

An item's key is derived from its proposals, so a decision stays attached to exactly what was
decided: when an annotator later changes a span of that item, the item comes back as open.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from library.annotations.model import (
    ANCHOR_ORPHAN,
    CONTEXT_CHARS,
    ArticleAnnotations,
    ArticleTag,
    Highlight,
    new_id,
    now_iso,
)

DEFAULT_CURATOR = "curation"

KIND_ONLY_ONE = "only one"  # a span (label) only some annotators have, overlapping nothing else
KIND_LABEL = "label"  # the same span with different labels
KIND_BOUNDARY = "boundary"  # overlapping spans with different boundaries
KIND_ARTICLE_LABEL = "article label"  # an article label only some annotators gave

ACCEPT_ALL = "accept all"
REJECT = "reject"
EDIT = "edit"
AGREED = "agreed"
MAJORITY = "majority"


class CurationError(ValueError):
    """A decision that does not fit the item (an unknown annotator, an empty edit)."""


@dataclass(frozen=True, slots=True)
class Proposal:
    """One label on one span (or on the article, with no span) and who proposed it."""

    label: str
    start: int | None  # source offsets; None for an article label
    end: int | None
    annotators: tuple[str, ...]
    quote: str = ""

    @property
    def span(self) -> tuple[int, int] | None:
        return None if self.start is None or self.end is None else (self.start, self.end)

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "source_start": self.start,
            "source_end": self.end,
            "annotators": list(self.annotators),
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class Item:
    """A disagreement to settle (or, with `pre`, something settled before the curator looked)."""

    key: str
    article_id: str
    kind: str
    proposals: tuple[Proposal, ...]
    pre: str = ""  # AGREED or MAJORITY for proposals accepted without a decision

    @property
    def start(self) -> int:
        return min((p.start for p in self.proposals if p.start is not None), default=-1)

    @property
    def end(self) -> int:
        return max((p.end for p in self.proposals if p.end is not None), default=-1)

    def annotators(self) -> list[str]:
        return sorted({a for p in self.proposals for a in p.annotators})

    def proposals_of(self, annotator: str) -> list[Proposal]:
        return [p for p in self.proposals if annotator in p.annotators]

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "article_id": self.article_id,
            "kind": self.kind,
            "pre": self.pre or None,
            "proposals": [p.to_json() for p in self.proposals],
        }


@dataclass(slots=True)
class ArticlePlan:
    """One article's curation: the items to decide, in document order, and what was pre-accepted."""

    article_id: str
    annotators: tuple[str, ...]
    items: list[Item] = field(default_factory=list)
    pre_accepted: list[Item] = field(default_factory=list)
    decided: dict[str, dict[str, Any]] = field(default_factory=dict)  # item key -> decision record

    @property
    def open_items(self) -> list[Item]:
        return [i for i in self.items if i.key not in self.decided]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.key in self.decided)

    def to_json(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "annotators": list(self.annotators),
            "decided": self.done,
            "total": self.total,
            "open": [i.to_json() for i in self.open_items],
            "pre_accepted": [i.to_json() for i in self.pre_accepted],
        }


def _key(article_id: str, kind: str, proposals: Iterable[Proposal]) -> str:
    parts = [article_id, kind] + sorted(
        f"{p.label}\x1f{p.start}\x1f{p.end}\x1f{','.join(p.annotators)}" for p in proposals
    )
    return hashlib.sha1("\x1e".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _span_proposals(ann: ArticleAnnotations, annotators: Sequence[str]) -> list[Proposal]:
    """Every (span, label) of the chosen annotators, with everyone who proposed exactly it."""
    who: dict[tuple[int, int, str], set[str]] = {}
    quotes: dict[tuple[int, int, str], str] = {}
    chosen = set(annotators)
    for h in ann.highlights:
        if h.annotator not in chosen or h.anchor == ANCHOR_ORPHAN:
            continue
        for label in h.tags or [""]:
            key = (h.source_start, h.source_end, label)
            who.setdefault(key, set()).add(h.annotator)
            quotes.setdefault(key, h.quote)
    return [
        Proposal(label, s, e, tuple(sorted(names)), quotes[(s, e, label)])
        for (s, e, label), names in sorted(who.items())
    ]


def _clusters(proposals: list[Proposal]) -> list[list[Proposal]]:
    """Group proposals whose spans overlap (transitively), in document order."""
    groups: list[list[Proposal]] = []
    end = -1
    for p in sorted(proposals, key=lambda p: (p.start or 0, p.end or 0, p.label)):
        assert p.start is not None and p.end is not None
        if groups and p.start < end:
            groups[-1].append(p)
            end = max(end, p.end)
        else:
            groups.append([p])
            end = p.end
    return groups


def _kind(proposals: Sequence[Proposal]) -> str:
    if len(proposals) == 1:
        return KIND_ONLY_ONE
    if len({p.span for p in proposals}) == 1:
        return KIND_LABEL
    return KIND_BOUNDARY


def plan_article(
    ann: ArticleAnnotations,
    annotators: Sequence[str],
    *,
    curator: str = DEFAULT_CURATOR,
    accept_agreed: bool = True,
    majority: bool = False,
) -> ArticlePlan:
    """What the chosen annotators agree on and what is left to decide in one article.

    A proposal every chosen annotator made is pre-accepted (unless `accept_agreed` is off); with
    three or more annotators and `majority`, so is one made by more than half of them.
    """
    chosen = tuple(dict.fromkeys(a for a in annotators if a != curator))
    if len(chosen) < 2:
        raise CurationError("curation needs at least two annotators (other than the curated layer)")
    plan = ArticlePlan(ann.article_id, chosen)
    for record in ann.curation:
        if isinstance(record, dict) and isinstance(record.get("key"), str):
            plan.decided[record["key"]] = record
    n = len(chosen)

    def pre_of(p: Proposal) -> str:
        if accept_agreed and len(p.annotators) == n:
            return AGREED
        if majority and n >= 3 and len(p.annotators) * 2 > n:
            return MAJORITY
        return ""

    for group in _clusters(_span_proposals(ann, chosen)):
        open_props = []
        for p in group:
            pre = pre_of(p)
            if pre:
                plan.pre_accepted.append(
                    Item(_key(ann.article_id, pre, [p]), ann.article_id, _kind([p]), (p,), pre)
                )
            else:
                open_props.append(p)
        if open_props:
            kind = _kind(open_props)
            plan.items.append(
                Item(_key(ann.article_id, kind, open_props), ann.article_id, kind, tuple(open_props))
            )

    labels: dict[str, set[str]] = {}
    for t in ann.tags:
        if t.annotator in chosen:
            labels.setdefault(t.tag, set()).add(t.annotator)
    for label, names in sorted(labels.items()):
        p = Proposal(label, None, None, tuple(sorted(names)))
        pre = pre_of(p)
        item = Item(
            _key(ann.article_id, KIND_ARTICLE_LABEL, [p]), ann.article_id, KIND_ARTICLE_LABEL, (p,), pre
        )
        (plan.pre_accepted if pre else plan.items).append(item)
    return plan


def _provenance(
    item: Item, proposal: Proposal | None, decision: str, curator: str, at: str
) -> dict[str, Any]:
    return {
        "proposed_by": list(proposal.annotators) if proposal else item.annotators(),
        "decided_by": curator,
        "decision": decision,
        "decided": at,
        "item": item.key,
    }


def _context(text: str, start: int, end: int) -> tuple[str, str, str]:
    return text[start:end], text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def _without_item(ann: ArticleAnnotations, curator: str, key: str) -> None:
    """Drop what an earlier decision on the same item put into the curated layer (re-deciding)."""
    ann.highlights = [
        h for h in ann.highlights if not (h.annotator == curator and (h.provenance or {}).get("item") == key)
    ]
    ann.curation = [r for r in ann.curation if not (isinstance(r, dict) and r.get("key") == key)]
    ann.tags = [t for t in ann.tags if not (t.annotator == curator and t.item == key)]


def _add_span(
    ann: ArticleAnnotations,
    item: Item,
    *,
    label: str,
    start: int,
    end: int,
    quote: str,
    prefix: str,
    suffix: str,
    provenance: dict[str, Any],
    curator: str,
    at: str,
) -> None:
    for h in ann.highlights:  # the same span already in the layer gets the label added
        if (
            h.annotator == curator
            and (h.source_start, h.source_end) == (start, end)
            and (h.provenance or {}).get("item") == item.key
        ):
            if label and label not in h.tags:
                h.tags.append(label)
            return
    ann.highlights.append(
        Highlight(
            id=new_id(),
            source_start=start,
            source_end=end,
            quote=quote,
            prefix=prefix,
            suffix=suffix,
            tags=[label] if label else [],
            annotator=curator,
            created=at,
            updated=at,
            provenance=provenance,
        )
    )


def decide(
    ann: ArticleAnnotations,
    item: Item,
    decision: str,
    *,
    source_text: str,
    curator: str = DEFAULT_CURATOR,
    edit: tuple[int, int, str] | None = None,
    at: str | None = None,
) -> ArticleAnnotations:
    """The article's annotations after settling `item` with `decision`.

    `decision` is an annotator's name (accept their proposals of the item), ACCEPT_ALL, REJECT, or
    EDIT with `edit = (source_start, source_end, label)` (the curator's own span or label; for an
    article label only the label counts). Deciding an item again replaces the earlier decision.
    """
    at = at or now_iso()
    new = ann.copy()
    _without_item(new, curator, item.key)
    if decision == ACCEPT_ALL:
        chosen = list(item.proposals)
    elif decision == REJECT:
        chosen = []
    elif decision == EDIT:
        if edit is None:
            raise CurationError("an edit needs a span and a label")
        chosen = []
    elif decision in item.annotators():
        chosen = item.proposals_of(decision)
    else:
        raise CurationError(
            f"{decision!r} proposed nothing in this item (it has {', '.join(item.annotators())})"
        )

    record: dict[str, Any] = {
        "key": item.key,
        "kind": item.kind,
        "decision": decision,
        "by": curator,
        "at": at,
    }
    if item.kind == KIND_ARTICLE_LABEL:
        labels = [p.label for p in chosen]
        if decision == EDIT and edit is not None:
            labels = [edit[2]] if edit[2] else []
        for label in labels:
            if not any(t.tag == label and t.annotator == curator for t in new.tags):
                new.tags.append(ArticleTag(label, curator, at, item=item.key))
    else:
        if decision == EDIT and edit is not None:
            start, end, label = edit
            if not (0 <= start < end <= len(source_text)):
                raise CurationError(f"span {start}-{end} is outside the article (0-{len(source_text)})")
            quote, prefix, suffix = _context(source_text, start, end)
            prov = _provenance(item, None, EDIT, curator, at)
            _add_span(
                new,
                item,
                label=label,
                start=start,
                end=end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                provenance=prov,
                curator=curator,
                at=at,
            )
            record["edit"] = [start, end, label]
        for p in chosen:
            assert p.start is not None and p.end is not None
            quote, prefix, suffix = _context(source_text, p.start, p.end)
            _add_span(
                new,
                item,
                label=p.label,
                start=p.start,
                end=p.end,
                quote=quote or p.quote,
                prefix=prefix,
                suffix=suffix,
                provenance=_provenance(item, p, decision, curator, at),
                curator=curator,
                at=at,
            )
    new.curation.append(record)
    return new


def accept_pre(
    ann: ArticleAnnotations,
    plan: ArticlePlan,
    *,
    source_text: str,
    curator: str = DEFAULT_CURATOR,
    at: str | None = None,
) -> ArticleAnnotations:
    """The article's annotations with every pre-accepted proposal in the curated layer (idempotent)."""
    at = at or now_iso()
    new = ann
    for item in plan.pre_accepted:
        if item.key in plan.decided:
            continue
        new = decide(new, item, ACCEPT_ALL, source_text=source_text, curator=curator, at=at)
        new.curation[-1]["decision"] = item.pre
        for h in new.highlights:
            if (h.provenance or {}).get("item") == item.key:
                h.provenance = {**(h.provenance or {}), "decision": item.pre}
    return new


def curated_layer_changed(before: ArticleAnnotations, after: ArticleAnnotations) -> bool:
    return before.to_json() != after.to_json()
