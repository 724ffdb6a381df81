"""`Library` methods that apply the annotation editing rules and return what the store saved.

Why a part of its own: the rules (`library.annotations.editing`) decide what a change makes of an
article's annotations; this part finds the text they need (anchors, occurrences), saves the
result as one atomic, journalled write (so undo and redo work as for every other change) and
hands back the state read back from the store. A caller draws that state and nothing else: when
the write fails it raises, and what the store holds is unchanged.

`me` is the set of annotator names that count as the caller's own ("" and `Library.annotator` by
default); the app adds its configured name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from library.annotations import editing
from library.annotations.anchoring import quote_and_context
from library.annotations.editing import Anchor, Edit, EditRefused
from library.annotations.model import ArticleAnnotations, Highlight
from library.annotations.schemes import SCOPE_ARTICLE, SCOPE_SPAN
from library.core.annotations_part import AnnotationsPart
from library.textsearch import find_occurrences

if TYPE_CHECKING:
    from library.model import Article


@dataclass(frozen=True, slots=True)
class Saved:
    """The article's annotations as the store holds them after a change, and what the change did."""

    annotations: ArticleAnnotations
    outcome: str  # one of the outcomes in `library.annotations.editing` (ADDED, TAGGED, ...)
    highlight_id: str | None = None
    removed: Highlight | None = None  # what a delete took away

    @property
    def changed(self) -> bool:
        return self.outcome != editing.UNCHANGED

    @property
    def highlight(self) -> Highlight | None:
        """The highlight the change concerned, as saved (None after a delete)."""
        if self.highlight_id is None:
            return None
        return next((h for h in self.annotations.highlights if h.id == self.highlight_id), None)


def anchor_in(article: Article, source_start: int, source_end: int) -> Anchor:
    """The anchor of a source span: its clean-body text and context where the span is in the body,
    else the source text's (a span in the title or in boilerplate). Raises ValueError outside the
    article."""
    n = len(article.source_text)
    if not (0 <= source_start < source_end <= n):
        raise EditRefused(f"span {source_start}-{source_end} is outside the article (0-{n})")
    return Anchor(source_start, source_end, *quote_and_context(article, source_start, source_end))


class AnnotatingPart(AnnotationsPart):
    """The editing rules applied: each method runs one pure rule of `library.annotations.editing`
    on the stored annotations, saves the result with `_change` (one journalled write) and
    returns what the store then holds."""

    # --- finding the text -----------------------------------------------------------------------
    def my_names(self, extra: Iterable[str] = ()) -> frozenset[str]:
        """The annotator names that count as yours: "", `annotator` and any in `extra`."""
        return frozenset({"", self.annotator or "", *(n for n in extra if n is not None)})

    def anchor_at(self, article_id: str, source_start: int, source_end: int) -> Anchor:
        """The anchor of a source span of the article (see `anchor_in`)."""
        with self._lock:
            return anchor_in(self.article(article_id), source_start, source_end)

    def body_anchor(self, article_id: str, start: int, end: int) -> Anchor:
        """The anchor of a span of the clean body; EditRefused when it maps to no source text."""
        with self._lock:
            article = self.article(article_id)
            n = len(article.body)
            if not (0 <= start < end <= n):
                raise EditRefused(f"span {start}-{end} is outside the body (0-{n})")
            source = article.body_to_source(start, end)
            if source is None or source[1] <= source[0]:
                raise EditRefused("That span has no text from the source.")
            return anchor_in(article, *source)

    def quote_anchor(self, article_id: str, quote: str, occurrence: int | None = None) -> Anchor:
        """The anchor of the `occurrence`-th (1 = first) exact occurrence of `quote` in the clean
        body; without `occurrence` the quote must occur once (else AmbiguousQuote). EditRefused
        says what is wrong."""
        if not quote:
            raise EditRefused("the quote is empty")
        with self._lock:
            body = self.article(article_id).body
            spans = find_occurrences(body, quote, ignore_case=False)
            if not spans:
                raise EditRefused(f"quote not found in the article body: {quote[:60]!r}")
            if occurrence is None:
                if len(spans) > 1:
                    raise editing.AmbiguousQuote(len(spans))
                occurrence = 1
            if not 1 <= occurrence <= len(spans):
                raise EditRefused(f"occurrence {occurrence}: the quote occurs {len(spans)} time(s)")
            return self.body_anchor(article_id, *spans[occurrence - 1])

    # --- applying a rule ------------------------------------------------------------------------
    def _apply(self, article_id: str, rule: Callable[[ArticleAnnotations], Edit]) -> Saved:
        """Run `rule` on the stored state, save what it returns (one journalled write), and
        return the state read back from the store."""
        with self._lock:
            self._check_writable()
            self._require(article_id)
            # The rules are pure (they change copies), so they read the store's own state: with
            # thousands of highlights a copy for them would cost as much as the rest of the change.
            old = self._ann.peek(article_id)
            edit = rule(old)
            if not edit.changed:
                return Saved(old.copy(), edit.outcome, edit.highlight_id, edit.removed)
            new = edit.annotations
            self._check_scheme(old, new)
            # The rule's result is a copy made for this change (nothing else holds it): saved as
            # it is, and handed back, since it is what the store now holds.
            after = self._change(article_id, edit.label, None, after=new)
            return Saved(
                after, edit.outcome, edit.highlight_id, edit.removed.copy() if edit.removed else None
            )

    def _check_scheme(self, old: ArticleAnnotations, new: ArticleAnnotations) -> None:
        """The strict-scheme check on what an edit adds (LabelNotInScheme): labels already in
        use on the article stay allowed, so a scheme chosen later does not lock old work."""
        had_spans = {t for h in old.highlights for t in h.tags}
        self.scheme.check_labels(
            [t for t in dict.fromkeys(t for h in new.highlights for t in h.tags) if t not in had_spans],
            SCOPE_SPAN,
        )
        had_tags = set(old.tag_names)
        self.scheme.check_labels([t for t in new.tag_names if t not in had_tags], SCOPE_ARTICLE)

    def _me(self, me: Collection[str] | None) -> frozenset[str]:
        return self.my_names(me or ())

    # --- the changes --------------------------------------------------------------------------
    def tag_span(
        self,
        article_id: str,
        source_start: int,
        source_end: int,
        tags: Iterable[str],
        *,
        note: str | None = None,
        me: Collection[str] | None = None,
    ) -> Saved:
        """Tag a source span: your same-span highlight gets the tags (and `note`), else a new one."""
        with self._lock:
            anchor = self.anchor_at(article_id, source_start, source_end)
            return self.tag_anchor(article_id, anchor, tags, note=note, me=me)

    def tag_anchor(
        self,
        article_id: str,
        anchor: Anchor,
        tags: Iterable[str],
        *,
        note: str | None = None,
        me: Collection[str] | None = None,
    ) -> Saved:
        """`tag_span` for an anchor already found (`body_anchor`, `quote_anchor`, a tag-all plan)."""
        wanted = list(tags)
        return self._apply(
            article_id,
            lambda a: editing.tag_span(
                a, anchor, wanted, me=self._me(me), annotator=self.annotator, note=note
            ),
        )

    def toggle_tag(
        self, article_id: str, highlight_id: str, tag: str, *, me: Collection[str] | None = None
    ) -> Saved:
        """Add the tag to your highlight, or remove it if it has it (the quick-tag rule)."""
        return self._apply(article_id, lambda a: editing.toggle_tag(a, highlight_id, tag, me=self._me(me)))

    def note_anchor(
        self, article_id: str, anchor: Anchor, note: str, *, me: Collection[str] | None = None
    ) -> Saved:
        """A note on a span: on your same-span highlight, else on a new untagged highlight."""
        return self._apply(
            article_id,
            lambda a: editing.note_span(a, anchor, note, me=self._me(me), annotator=self.annotator),
        )

    def note_highlight(
        self, article_id: str, highlight_id: str, note: str, *, me: Collection[str] | None = None
    ) -> Saved:
        """Set your highlight's note."""
        return self._apply(
            article_id, lambda a: editing.set_highlight_note(a, highlight_id, note, me=self._me(me))
        )

    def note_article(self, article_id: str, note: str) -> Saved:
        """Set the note on the whole article."""
        return self._apply(article_id, lambda a: editing.set_article_note(a, note))

    def remove_highlight(
        self, article_id: str, highlight_id: str, *, me: Collection[str] | None = None
    ) -> Saved:
        """Delete your highlight (another annotator's is refused with NotYourHighlight)."""
        return self._apply(article_id, lambda a: editing.delete_highlight(a, highlight_id, me=self._me(me)))

    def tag_article(self, article_id: str, tag: str) -> Saved:
        """Add a tag to the whole article (nothing changes if it has it)."""
        return self._apply(article_id, lambda a: editing.add_article_tag(a, tag, annotator=self.annotator))

    def toggle_article_tag(self, article_id: str, tag: str) -> Saved:
        """Add the tag to the article, or remove it if the article has it."""
        return self._apply(article_id, lambda a: editing.toggle_article_tag(a, tag, annotator=self.annotator))

    # --- tag every occurrence -------------------------------------------------------------------
    def plan_tag_all(
        self,
        article_id: str,
        source_start: int,
        source_end: int,
        tags: Iterable[str],
        *,
        me: Collection[str] | None = None,
    ) -> list[Anchor]:
        """The other occurrences (case ignored) in the clean body of the span's text that your
        highlights do not already carry every one of `tags` on, in body order. Apply each the
        user accepts with `tag_anchor`."""
        with self._lock:
            article = self.article(article_id)
            span = article.source_to_body(source_start, source_end)
            if span is None or span[1] <= span[0]:
                raise EditRefused("That text is outside the body (title or boilerplate).")
            needle = article.body[span[0] : span[1]]
            occurrences = []
            for start, end in find_occurrences(article.body, needle):
                source = article.body_to_source(start, end)
                if source is not None and source[1] > source[0]:
                    occurrences.append(anchor_in(article, *source))
            return editing.occurrences_to_offer(
                self.annotations(article_id),
                occurrences,
                tags,
                me=self._me(me),
                exclude=(source_start, source_end),
            )
