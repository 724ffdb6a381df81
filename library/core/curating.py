"""A curation session on a library: plans per article, decisions saved one undoable step each.

The planning rules are pure (`library.annotations.curation`); this module reads the articles the
chosen annotators touched, writes each decision through `Library.replace_annotations` (atomic, durable,
journalled for undo like every other change) and returns what the store then holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from library.annotations.agreement import AgreementReport, agreement
from library.annotations.curation import (
    DEFAULT_CURATOR,
    ArticlePlan,
    CurationError,
    Item,
    accept_pre,
    decide,
    plan_article,
)
from library.annotations.model import ArticleAnnotations
from library.safetext import one_line

if TYPE_CHECKING:
    from library.core.library import Library


@dataclass(frozen=True, slots=True)
class Progress:
    decided: int
    total: int
    articles_open: int

    def to_json(self) -> dict[str, int]:
        return {"decided": self.decided, "total": self.total, "articles_open": self.articles_open}


class CurationSession:
    """Curate `annotators` into the layer `curator` over every article one of them touched."""

    def __init__(
        self,
        library: Library,
        annotators: Sequence[str],
        *,
        curator: str = DEFAULT_CURATOR,
        accept_agreed: bool = True,
        majority: bool = False,
    ) -> None:
        self.library = library
        self.annotators = tuple(dict.fromkeys(annotators))
        self.curator = curator
        self.accept_agreed = accept_agreed
        self.majority = majority
        if curator in self.annotators:
            raise CurationError(f"the curated layer {curator!r} cannot also be one of the annotators")
        if len(self.annotators) < 2:
            raise CurationError("curation needs at least two annotators: give --from twice or more")
        self.article_ids = self._touched()

    def _touched(self) -> list[str]:
        chosen = set(self.annotators)
        ids = []
        for s in self.library.summaries():
            if not (s.highlights or s.tags):
                continue
            ann = self.library.annotations(s.id)
            if any(h.annotator in chosen for h in ann.highlights) or any(
                t.annotator in chosen for t in ann.tags
            ):
                ids.append(s.id)
        return ids

    def labels(self) -> list[str]:
        """Every label the chosen annotators and the curated layer use (for choosing another label)."""
        names = set(self.annotators) | {self.curator}
        found: set[str] = set()
        for aid in self.article_ids:
            ann = self.library.annotations(aid)
            found.update(t for h in ann.highlights if h.annotator in names for t in h.tags)
            found.update(t.tag for t in ann.tags if t.annotator in names)
        return sorted(found, key=str.casefold)

    def plan(self, article_id: str) -> ArticlePlan:
        return self._plan(self.library.annotations(article_id))

    def _plan(self, ann: ArticleAnnotations) -> ArticlePlan:
        return plan_article(
            ann,
            self.annotators,
            curator=self.curator,
            accept_agreed=self.accept_agreed,
            majority=self.majority,
        )

    def prepare(self, article_id: str) -> ArticlePlan:
        """Put the agreed (and majority) proposals of one article into the curated layer, once."""
        ann = self.library.annotations(article_id)
        plan = self._plan(ann)
        new = accept_pre(ann, plan, source_text=self._source(article_id), curator=self.curator)
        if new.to_json() != ann.to_json():
            saved = self.library.replace_annotations(
                article_id, new, label=f"curation: accept {len(plan.pre_accepted)} agreed proposal(s)"
            )
            plan = self._plan(saved)
        return plan

    def prepare_all(self) -> list[ArticlePlan]:
        return [self.prepare(aid) for aid in self.article_ids]

    def decide(
        self,
        article_id: str,
        item: Item,
        decision: str,
        *,
        edit: tuple[int, int, str] | None = None,
    ) -> ArticlePlan:
        """Settle one item; saved as one undoable step. Returns the article's plan as stored."""
        ann = self.library.annotations(article_id)
        new = decide(
            ann, item, decision, source_text=self._source(article_id), curator=self.curator, edit=edit
        )
        what = f"{item.kind} “{one_line(item.proposals[0].quote or item.proposals[0].label, 30)}”"
        saved = self.library.replace_annotations(article_id, new, label=f"curation: {decision} · {what}")
        return self._plan(saved)

    def _source(self, article_id: str) -> str:
        return self.library.article(article_id).source_text

    def progress(self) -> Progress:
        decided = total = open_articles = 0
        for aid in self.article_ids:
            plan = self.plan(aid)
            decided, total = decided + plan.done, total + plan.total
            open_articles += bool(plan.open_items)
        return Progress(decided, total, open_articles)

    def scores(self) -> dict[str, AgreementReport]:
        """Each annotator against the curated layer as it stands (span F1 per label, κ on article labels)."""
        items = [self.library.annotations(aid) for aid in self.article_ids]
        return {a: agreement(items, a, self.curator) for a in self.annotators}

    def report(self) -> dict[str, Any]:
        """What is left to decide, for scripts (`reader curate --auto --json`)."""
        plans = [self.plan(aid) for aid in self.article_ids]
        progress = self.progress()
        return {
            "curator": self.curator,
            "annotators": list(self.annotators),
            "articles": len(plans),
            "pre_accepted": sum(len(p.pre_accepted) for p in plans),
            **progress.to_json(),
            "open": [p.to_json() for p in plans if p.open_items],
        }
