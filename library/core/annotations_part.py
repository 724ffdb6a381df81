"""The user's annotations: highlights, article tags and notes, block flips, reading state, undo.

Each change is one atomic, durable write of the article's annotation bucket, journalled for undo
(`_change`), and every write ends in `_annotations_saved` so derived data (the label counts)
follows it. The editing rules (what a keypress means for a span's tags) live in
`library.annotations`; this part only stores their results.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from library.annotations.anchoring import quote_and_context
from library.annotations.changes import ChangeInfo, describe
from library.annotations.model import (
    ArticleAnnotations,
    ArticleTag,
    Highlight,
    new_id,
    now_iso,
)
from library.annotations.schemes import SCOPE_ARTICLE, SCOPE_SPAN
from library.core.reading import ReadingPart
from library.errors import BlockNotFound, HighlightNotFound, InvalidInput
from library.model import Article


class AnnotationsPart(ReadingPart):
    """Changes to the user's work, each saved and journalled (see the module docstring)."""

    def annotations(self, article_id: str) -> ArticleAnnotations:
        with self._lock:
            self._require(article_id)
            return self._ann.get(article_id)

    def _change(
        self,
        article_id: str,
        label: str,
        mutate: Callable[[ArticleAnnotations], None] | None,
        *,
        record: bool = True,
        group: int = 0,
        after: ArticleAnnotations | None = None,
    ) -> ArticleAnnotations:
        """Apply `mutate` to a copy (or take `after`, a new state already made from a copy), save
        it atomically, then journal it for undo (changes sharing a non-zero `group` are undone as
        one step).

        The journal gets the records as the store holds them before and after, not new JSON made
        from the objects: with thousands of highlights that is most of a change's work."""
        self._check_writable()
        self._require(article_id)
        before_json = self._ann.get_json(article_id)
        if after is None:
            after = self._ann.get(article_id)
            assert mutate is not None
            mutate(after)
        after.updated = now_iso()
        after_json = self._ann.put(after)
        self._annotations_saved(article_id, after_json)
        if record:
            before = before_json if before_json is not None else ArticleAnnotations(article_id).to_json()
            try:
                self._history.record(article_id, before, after_json, label, group)
            except OSError as err:  # the change itself is saved; only its undo entry is missing
                self._notice(
                    f"{self._history.path}: could not record the change for undo ({err.strerror or err})"
                )
        return after

    def add_highlight(
        self, article_id: str, source_start: int, source_end: int, *, tags: list[str], note: str = ""
    ) -> Highlight:
        with self._lock:
            self._check_writable()
            art = self.article(article_id)
            n = len(art.source_text)
            if not (0 <= source_start < source_end <= n):
                raise InvalidInput(f"span {source_start}-{source_end} is outside the article (0-{n})")
            # Scheme check (LabelNotInScheme, an InvalidInput): a strict scheme refuses other labels.
            self.scheme.check_labels(list(tags), SCOPE_SPAN)
            quote, prefix, suffix = quote_and_context(art, source_start, source_end)
            stamp = now_iso()
            highlight = Highlight(
                id=new_id(),
                source_start=source_start,
                source_end=source_end,
                quote=quote,
                prefix=prefix,
                suffix=suffix,
                tags=list(dict.fromkeys(tags)),
                note=note,
                annotator=self.annotator,
                created=stamp,
                updated=stamp,
            )
            self._change(article_id, "add highlight", lambda a: a.highlights.append(highlight))
            return highlight

    def update_highlight(self, article_id: str, highlight: Highlight) -> None:
        with self._lock:
            current = self._ann.get(article_id) if article_id in self._catalog else None
            if current is None or not any(h.id == highlight.id for h in current.highlights):
                self._require(article_id)
                raise HighlightNotFound(f"no highlight {highlight.id!r} in article {article_id}")
            # Scheme check: labels the highlight did not have yet must be in a strict scheme.
            before = next(h for h in current.highlights if h.id == highlight.id)
            self.scheme.check_labels([t for t in highlight.tags if t not in before.tags], SCOPE_SPAN)
            updated = Highlight.from_json(highlight.to_json())
            updated.updated = now_iso()

            def mutate(a: ArticleAnnotations) -> None:
                a.highlights = [updated if h.id == updated.id else h for h in a.highlights]

            self._change(article_id, "edit highlight", mutate)

    def delete_highlight(self, article_id: str, highlight_id: str) -> None:
        with self._lock:
            self._require(article_id)
            if not any(h.id == highlight_id for h in self._ann.get(article_id).highlights):
                raise HighlightNotFound(f"no highlight {highlight_id!r} in article {article_id}")

            def mutate(a: ArticleAnnotations) -> None:
                a.highlights = [h for h in a.highlights if h.id != highlight_id]

            self._change(article_id, "delete highlight", mutate)

    def set_article_tags(self, article_id: str, tags: list[str]) -> None:
        with self._lock:
            # Scheme check: article labels not on the article yet must be in a strict scheme.
            self._require(article_id)
            had = set(self._ann.get(article_id).tag_names)
            self.scheme.check_labels([t for t in dict.fromkeys(tags) if t and t not in had], SCOPE_ARTICLE)

            def mutate(a: ArticleAnnotations) -> None:
                kept = {t.tag: t for t in a.tags}
                a.tags = [kept.get(t) or ArticleTag(t, self.annotator) for t in dict.fromkeys(tags) if t]

            self._change(article_id, "set tags", mutate)

    def set_article_note(self, article_id: str, note: str) -> None:
        with self._lock:

            def mutate(a: ArticleAnnotations) -> None:
                a.note = note

            self._change(article_id, "edit note", mutate)

    def put_annotations(self, changes: dict[str, ArticleAnnotations], *, label: str) -> None:
        """Replace several articles' annotations (bulk import, merge) all or nothing: every id is
        checked first, then one batch write saves every article (a crash leaves all or none, see
        `AnnotationStore.put_batch`), then each is journalled for undo under `label`."""
        with self._lock:
            self._check_writable()
            for article_id in changes:
                self._require(article_id)
            stamp = now_iso()
            pairs = []
            for article_id, new in changes.items():
                before = self._ann.get(article_id)
                after = before.copy()
                after.highlights = [Highlight.from_json(h.to_json()) for h in new.highlights]
                after.tags = [ArticleTag.from_json(t.to_json()) for t in new.tags]
                after.note = new.note
                after.updated = stamp
                pairs.append((before, after))
            self._ann.put_batch([after for _, after in pairs])
            for _, after in pairs:
                self._annotations_saved(after.article_id, after)
            try:
                self._history.record_many([(a.article_id, b.to_json(), a.to_json(), label) for b, a in pairs])
            except OSError as err:  # the batch itself is saved; only its undo entries are missing
                self._notice(
                    f"{self._history.path}: could not record the batch for undo ({err.strerror or err})"
                )

    def flip_block(self, article_id: str, block_index: int) -> Article:
        with self._lock:
            self._check_writable()
            entry = self._require(article_id)
            base = self._base_blocks(entry, self._raw(article_id))
            if not 0 <= block_index < len(base):
                raise BlockNotFound(f"article {article_id} has no block {block_index} (it has {len(base)})")
            current = self.article(article_id).blocks[block_index].is_body
            to_body = not current

            def mutate(a: ArticleAnnotations) -> None:
                if base[block_index].is_body == to_body:
                    a.flips.pop(block_index, None)
                else:
                    a.flips[block_index] = to_body

            where = "body" if to_body else "boilerplate"
            self._change(article_id, f"move block {block_index + 1} to the {where}", mutate)
            self._search.forget(article_id)
            return self.article(article_id)

    def set_reading_state(
        self, article_id: str, *, position: int | None = None, read: bool | None = None
    ) -> None:
        """Not recorded for undo."""
        with self._lock:

            def mutate(a: ArticleAnnotations) -> None:
                if position is not None:
                    a.position = max(0, int(position))
                if read is not None:
                    a.read = bool(read)

            self._change(article_id, "reading state", mutate, record=False)

    def replace_annotations(
        self, article_id: str, new: ArticleAnnotations, *, label: str
    ) -> ArticleAnnotations:
        """Save `new` as the article's annotations (one undoable step named `label`); the reading
        state stays as it is. Returns what the store now holds."""
        with self._lock:

            def mutate(a: ArticleAnnotations) -> None:
                fresh = new.copy()
                a.highlights, a.tags, a.note, a.flips, a.curation = (
                    fresh.highlights,
                    fresh.tags,
                    fresh.note,
                    fresh.flips,
                    fresh.curation,
                )

            self._change(article_id, label, mutate)
            return self._ann.get(article_id)

    def next_change(self, *, redo: bool = False) -> ChangeInfo | None:
        """What `undo()` (or `redo()`) would change next, in words, and in which article."""
        with self._lock:
            change = self._history.peek_redo() if redo else self._history.peek_undo()
            if change is None:
                return None
            # undo goes from after back to before; redo from before to after
            return ChangeInfo(change.article_id, change.label, describe(*change.described(redo=redo)))

    def _restore(self, article_id: str, state: dict[str, Any]) -> None:
        """Write a journalled state back, keeping the current reading state (it is not undoable)."""
        current = self._ann.get(article_id)
        restored = ArticleAnnotations.from_json(state)
        restored.read, restored.position = current.read, current.position
        restored.work = current.work  # work state, like the reading state, is not undone
        restored.updated = now_iso()
        self._annotations_saved(article_id, self._ann.put(restored))
        self._search.forget(article_id)

    def _undo_site_rules(self, change: Any, state: dict[str, Any] | None) -> bool:
        """Site-rule changes share the journal; `library.core.site_rules` restores them."""
        return False

    def undo(self) -> str | None:
        """Undo the last change (across restarts); returns its description or None."""
        with self._lock:
            self._check_writable()
            change = self._history.peek_undo()
            if change is None:
                return None
            label = change.label
            while change is not None:
                if change.article_id in self._catalog:
                    self._restore(
                        change.article_id,
                        change.state(redo=False, current=self._ann.get_json(change.article_id)),
                    )
                self._undo_site_rules(change, change.before)
                self._history.mark_undone(change)
                group, change = change.group, self._history.peek_undo()
                if not group or change is None or change.group != group:
                    break  # a grouped change (a library-wide rename) is undone as one step
            return label

    def redo(self) -> str | None:
        with self._lock:
            self._check_writable()
            change = self._history.peek_redo()
            if change is None:
                return None
            label = change.label
            while change is not None:
                if change.article_id in self._catalog:
                    self._restore(
                        change.article_id,
                        change.state(redo=True, current=self._ann.get_json(change.article_id)),
                    )
                self._undo_site_rules(change, change.after)
                self._history.mark_redone(change)
                group, change = change.group, self._history.peek_redo()
                if not group or change is None or change.group != group:
                    break
            return label
