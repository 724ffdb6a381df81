"""The article screen's editing keys: `t`, `1`-`9`, the second layer (LEADER_KEY then a key),
`n`, `x`, `T`, `*`, `d`, `>`, `?`, turned into Library calls.

The rules (which highlight a tag goes to, whose highlights may change, what `*` offers) are the
domain's (`library.annotations.editing`, applied by `Library`); this part only decides what the
keys aim at (the selection, the highlight under the cursor or the pane's cursor, the article),
asks for a tag or a note, and draws the state the store returned. Nothing here changes a
highlight object: a failed write re-reads the store, so the screen never shows what the disk
does not hold.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from library.annotations import editing
from library.annotations.editing import Anchor, EditRefused
from library.annotations.model import Highlight
from library.annotations.schemes import LabelNotInScheme
from library.core.annotating import Saved, anchor_in
from library.safetext import one_line
from reader.app import selection as sel
from reader.app.screens.note_dialog import NoteDialog
from reader.app.screens.tag_all import TagAllFlow
from reader.app.screens.tag_picker import TagPicker
from reader.app.widgets.legend import LeaderScreen
from reader.app.widgets.panes import HighlightsPane

SELECT_FIRST = "Select text first: v and motions, s (sentence) or p (paragraph)."
SAVED_MESSAGES = {
    editing.ADDED: "Highlight saved",
    editing.TAGGED: "Tag saved",
    editing.UNTAGGED: "Tag removed",
    editing.NOTED: "Note saved",
    editing.DELETED: "Highlight deleted",
    editing.ARTICLE_TAGGED: "Article tags saved",
    editing.ARTICLE_UNTAGGED: "Article tags saved",
}


def saved_message(saved: Saved) -> str:
    """The saved sign's words for what a change did."""
    return SAVED_MESSAGES.get(saved.outcome, "Saved")


class EditKeysMixin:
    """Mixed into `ArticleScreen`, which provides the body, the article, its annotations and the view."""

    app: Any
    library: Any
    article: Any
    view: Any
    article_id: str
    annotations: Any
    body: Any
    focused: Any
    _spans: dict[str, tuple[int, int] | None]

    if TYPE_CHECKING:  # provided by the screen

        def my_names(self) -> set[str]: ...
        def is_mine(self, h: Highlight) -> bool: ...
        def notify(self, *args: Any, **kwargs: Any) -> Any: ...
        def query_one(self, *args: Any, **kwargs: Any) -> Any: ...
        def _redraw_annotations(self) -> None: ...
        def _redraw_highlight(self, saved: Saved) -> bool: ...
        def _under_cursor(self) -> list[Highlight]: ...
        def _clear_selection(self) -> None: ...
        def _save_position(self) -> None: ...
        @property
        def quick_tags(self) -> list[str]: ...
        @property
        def quick_key_list(self) -> list[Any]: ...

    def _refuse_other(self, h: Highlight) -> bool:
        """True (after saying so) when `h` is another annotator's: your keys never change theirs."""
        try:
            editing.check_mine(h, self.my_names())
        except editing.NotYourHighlight as err:
            self.notify(one_line(str(err), 200), markup=False)
            return True
        return False

    # --- writing ------------------------------------------------------------------------------
    def _write(self, do: Callable[[], object], message: str | None = None) -> bool:
        """Run one store write and draw what the store then holds, whether the write worked or not.

        `do` returns the library's `Saved` state (annotation changes) or anything else (a block
        flip); the saved sign names the outcome unless `message` is given. A refusal by the rules
        is one line; a failed write is reported and the screen re-reads the store, so it never
        shows a change the disk does not hold."""
        if self.app.write_blocked():
            return False
        try:
            result = do()
        except (EditRefused, LabelNotInScheme) as err:  # the rules, or a strict scheme, refuse
            self.notify(one_line(str(err), 200), severity="warning", markup=False)
            return False
        except Exception as err:  # noqa: BLE001 - any store error becomes one safe line
            self.app.report_error(err)
            self._reread_annotations()
            return False
        if isinstance(result, Saved):
            self.annotations = result.annotations
            if not self._redraw_highlight(result):  # one highlight changed: only it is redrawn
                self._redraw_annotations()
            if result.changed:
                self.app.show_saved(message or saved_message(result))
            return result.changed
        self._reread_annotations()
        self.app.show_saved(message or "Saved")
        return True

    def _reread_annotations(self) -> None:
        """Draw the annotations as the store holds them (after a write, or after one failed)."""
        try:
            self.annotations = self.library.annotations(self.article_id)
        except Exception as err:  # noqa: BLE001 - keep what was last read from the store
            self.app.report_error(err)
        self._redraw_annotations()

    def _target_span(self) -> tuple[int, int] | None:
        """The selection trimmed of whitespace, or None."""
        body = self.body
        if not body.has_selection:
            return None
        start, end = sel.trim_span(body.body, *body.selection_offsets)
        return (start, end) if end > start else None

    def _anchor(self, span: tuple[int, int]) -> Anchor | None:
        """The source anchor of a body span, or None (after saying why) when it has none."""
        source = self.view.to_source(*span) if self.view is not None else None
        if source is None or source[1] <= source[0]:
            self.notify("That selection has no text from the source.", severity="warning", markup=False)
            return None
        try:
            if self.article is not None:  # the article the screen shows: not assembled again per key
                return anchor_in(self.article, *source)
            return self.library.anchor_at(self.article_id, *source)
        except (EditRefused, LabelNotInScheme) as err:  # the rules, or a strict scheme, refuse
            self.notify(one_line(str(err), 200), severity="warning", markup=False)
            return None

    def _highlight_with_span(self, span: tuple[int, int]) -> Highlight | None:
        """Your own highlight with exactly that span (others' are never edited by your keys)."""
        source = self.view.to_source(*span) if self.view is not None else None
        return editing.same_span(self.annotations, source, self.my_names()) if source else None

    def _target_highlight(self) -> Highlight | None:
        """The highlight the pane cursor is on (when the pane is focused), else the innermost under the cursor."""
        pane = self.query_one(HighlightsPane)
        if self.focused is pane and pane.highlight_id:
            return next((h for h in self.annotations.highlights if h.id == pane.highlight_id), None)
        under = self._under_cursor()
        if not under:
            return None
        # Your own highlight wins over another annotator's under the same cursor.
        return min(under, key=lambda h: (not self.is_mine(h), self._span_len(h), h.created))

    def _span_len(self, h: Highlight) -> int:
        span = self._spans.get(h.id)
        return span[1] - span[0] if span else 0

    def tag_body_span(self, span: tuple[int, int], tags: list[str]) -> bool:
        """Tag a body span (your same-span highlight, or a new one); True when something was saved."""
        anchor = self._anchor(span)
        if anchor is None:
            return False
        return self._write(lambda: self.library.tag_anchor(self.article_id, anchor, tags, me=self.my_names()))

    def _apply_tag(self, tag: str) -> None:
        """Tag the selection (new highlight, or the highlight with exactly that span), else toggle
        the tag on the highlight under the cursor."""
        tag = tag.strip()
        if not tag:
            return
        span = self._target_span()
        target: Highlight | None
        if span is not None:
            existing = self._highlight_with_span(span)
            if existing is None or tag not in existing.tags:
                if self.tag_body_span(span, [tag]) or existing is not None:
                    self.body.keep_labelled(span)  # the new highlight stays selected: n, x, * act on it
                else:
                    self._clear_selection()
                return
            target = existing  # the same key again on your highlight's span: that label comes off
        else:
            target = self._target_highlight()
        if target is None:
            self.notify(SELECT_FIRST, markup=False)
            return
        if self._refuse_other(target):
            return
        if tag in target.tags and target.tags == [tag] and self.app.settings.last_label_removed == "delete":
            untagged = Highlight.from_json({**target.to_json(), "tags": []})  # as it would be left
            self._delete_highlight(
                target, f" (its last label, {one_line(tag, 30)}, was removed)", shown=untagged
            )
            return
        if self._write(lambda: self.library.toggle_tag(self.article_id, target.id, tag, me=self.my_names())):
            now = next((h for h in self.annotations.highlights if h.id == target.id), None)
            if now is not None and not now.tags:  # say so: an untagged highlight is easy to miss
                self.notify(
                    f"Removed {one_line(tag, 30)}: “{one_line(now.quote, 40)}” has no label now "
                    '(x deletes it; last_label_removed = "delete" in the config does it at once)',
                    markup=False,
                )

    def all_tags(self) -> list[str]:
        """Every tag used in the library, on articles and on highlights, for completion."""
        tags: set[str] = set(self.quick_tags)
        tags.update(t for h in self.annotations.highlights for t in h.tags)
        tags.update(self.annotations.tag_names)
        with contextlib.suppress(Exception):  # completion must never block tagging
            tags.update(self.library.tags())  # kept up to date by the store's writes, not walked
        return sorted(tags, key=str.casefold)

    def action_tag(self) -> None:
        if self._target_span() is None and self._target_highlight() is None:
            self.notify(SELECT_FIRST, markup=False)
            return
        target = None if self._target_span() is not None else self._target_highlight()
        if target is not None and self._refuse_other(target):
            return
        self.app.push_screen(
            self.picker(
                "Tag the selection" if target is None else "Tag the highlight",
                target.tags if target else (),
            ),
            lambda tag: self._apply_tag(tag) if tag else None,
        )

    def action_quick_tag(self, number: int) -> None:
        chosen = next((k.label for k in self.quick_key_list if k.key == str(number)), None)
        if chosen is not None:
            self._apply_tag(chosen)

    # --- labelling: second key layer, label help, work state (labelling_actions.py) -------------
    def action_leader(self) -> None:
        self.app.push_screen(
            LeaderScreen(self.quick_key_list), lambda tag: self._apply_tag(tag) if tag else None
        )

    def action_label_help(self) -> None:
        from reader.app.screens.labelling_actions import label_help_under_cursor

        label_help_under_cursor(self)

    def action_toggle_done(self) -> None:
        from reader.app.screens.labelling_actions import toggle_done

        toggle_done(self)

    def action_next_not_done(self) -> None:
        from reader.app.screens.labelling_actions import open_next_not_done

        open_next_not_done(self)

    def picker(self, title: str, current: list[str] | tuple[str, ...] = ()) -> TagPicker:
        """The tag picker with the library's scheme and the quick keys shown on its rows."""
        keys = {k.label: k.display for k in self.quick_key_list}
        scope = "article" if title == "Tag the article" else "span"
        return TagPicker(
            self.all_tags(), title=title, current=current, scheme=self.library.scheme, keys=keys, scope=scope
        )

    def action_note(self) -> None:
        span = self._target_span()
        me = self.my_names()
        if span is not None:
            existing = self._highlight_with_span(span)

            def done(note: str | None) -> None:
                if note is None:
                    return
                anchor = self._anchor(span)
                if anchor is not None:
                    self._write(lambda: self.library.note_anchor(self.article_id, anchor, note, me=me))
                self._clear_selection()

            quote = one_line(self.body.body[span[0] : span[1]], 70)
            self.app.push_screen(NoteDialog(existing.note if existing else "", subject=f"“{quote}”"), done)
            return
        target = self._target_highlight()
        if target is not None:
            if self._refuse_other(target):
                return

            def done_h(note: str | None) -> None:
                if note is not None:
                    self._write(lambda: self.library.note_highlight(self.article_id, target.id, note, me=me))

            self.app.push_screen(NoteDialog(target.note, subject=f"“{one_line(target.quote, 70)}”"), done_h)
            return

        def done_a(note: str | None) -> None:
            if note is not None:
                self._write(lambda: self.library.note_article(self.article_id, note))

        self.app.push_screen(NoteDialog(self.annotations.note, subject="Note on the whole article"), done_a)

    def action_delete(self) -> None:
        """x: delete the highlight under the cursor; when several of yours overlap there, ask which."""
        pane = self.query_one(HighlightsPane)
        mine = [h for h in self._under_cursor() if self.is_mine(h)]
        if self.focused is not pane and len(mine) > 1:
            from reader.app.screens.choose_highlight import ChooseHighlight

            mine.sort(key=lambda h: (self._span_len(h), h.created))

            def chosen(highlight_id: str | None) -> None:
                target = next((h for h in mine if h.id == highlight_id), None)
                if target is not None:
                    self._delete_highlight(target)

            self.app.push_screen(ChooseHighlight(mine, title="Delete which highlight?"), chosen)
            return
        target = self._target_highlight()
        if target is None:
            self.notify("No highlight under the cursor.", markup=False)
            return
        if self._refuse_other(target):
            return
        self._delete_highlight(target)

    def _delete_highlight(self, target: Highlight, why: str = "", *, shown: Highlight | None = None) -> None:
        """Delete and say which: "Highlight deleted: Doubt “the plan…”" (u undoes)."""
        from reader.app.screens.choose_highlight import describe_highlight

        message = f"Highlight deleted: {describe_highlight(shown or target)}{why}"
        if self._write(lambda: self.library.remove_highlight(self.article_id, target.id, me=self.my_names())):
            self.notify(f"{message} (u undoes)", markup=False)

    def action_tag_article(self) -> None:
        def done(tag: str | None) -> None:
            if tag:
                self._write(lambda: self.library.toggle_article_tag(self.article_id, tag))

        current = self.annotations.tag_names
        self.app.push_screen(self.picker("Tag the article", current), done)

    # --- tag every other occurrence -------------------------------------------------------------
    def action_tag_all(self) -> None:
        TagAllFlow(self).start()
