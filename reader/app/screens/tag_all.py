"""`*` on the article screen: offer the same tags for every other occurrence of a text, y/n each.

Why a module of its own: the flow is a chain of dialogs (an optional tag picker, then one
confirmation per occurrence) with its own state, apart from the screen's drawing. Which
occurrences are offered is the domain's rule (`Library.plan_tag_all`); each yes is one
`Library.tag_anchor` write, and the screen draws what the store returned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content

from library.annotations.editing import Anchor, EditRefused
from library.safetext import one_line
from reader.app.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from reader.app.screens.article_host import ArticleKeysHost


class TagAllFlow:
    """One run of "tag every occurrence", started from the selection or the highlight under the cursor."""

    def __init__(self, screen: ArticleKeysHost) -> None:
        self.screen = screen
        self.done = 0  # occurrences tagged so far

    def start(self) -> None:
        screen = self.screen
        span = screen._target_span()
        tags: list[str] = []
        if span is None:
            target = screen._target_highlight()
            target_span = screen._spans.get(target.id) if target is not None else None
            if target is None or not target_span:
                screen.notify("Select text (or stand on a highlight) first.", markup=False)
                return
            span, tags = target_span, list(target.tags)
        else:
            existing = screen._highlight_with_span(span)
            tags = list(existing.tags) if existing else []
        if tags:
            self.offer(span, tags)
            return

        def chosen(tag: str | None) -> None:
            if not tag:
                return
            if screen._target_span() == span and screen._highlight_with_span(span) is None:
                screen.tag_body_span(span, [tag])
            self.offer(span, [tag])

        screen.app.push_screen(screen.picker("Tag every occurrence with"), chosen)

    def plan(self, span: tuple[int, int], tags: list[str]) -> list[Anchor] | None:
        """The occurrences to ask about (the domain's rule), or None after saying why there are none."""
        screen = self.screen
        view = screen.view
        assert view is not None  # loaded: `start` found a selection or a highlight in the body
        source = view.to_source(*span)
        if source is None or source[1] <= source[0]:
            screen.notify("That selection has no text from the source.", severity="warning", markup=False)
            return None
        try:
            return screen.library.plan_tag_all(screen.article_id, *source, tags, me=screen.my_names())
        except EditRefused as err:
            screen.notify(one_line(str(err), 200), severity="warning", markup=False)
            return None

    def offer(self, span: tuple[int, int], tags: list[str]) -> None:
        screen = self.screen
        pending = self.plan(span, tags)
        if pending is None:
            return
        if not pending:
            screen.notify("No other occurrences to tag.", markup=False)
            screen._clear_selection()
            return
        self._ask(pending, tags, 0)

    def _ask(self, pending: list[Anchor], tags: list[str], i: int) -> None:
        screen = self.screen
        view = screen.view
        assert view is not None  # loaded: `start` found a selection or a highlight in the body
        if i >= len(pending):
            screen._clear_selection()
            screen.notify(f"Tagged {self.done} of {len(pending)} other occurrences.", markup=False)
            return
        occ = pending[i]
        where = view.to_clean(*occ.span)
        if where is None:  # not in the body any more: nothing to show, go on
            self._ask(pending, tags, i + 1)
            return
        screen.body.selecting = False
        screen.body.select_offsets(*where)
        question = Content.assemble(
            f"Occurrence {i + 1} of {len(pending)}: tag “",
            (one_line(screen.body.body[where[0] : where[1]], 50), "bold"),
            f"” with {one_line(', '.join(tags), 40)}?",
        )

        def answered(yes: bool | None) -> None:
            if yes is None:
                screen._clear_selection()
                screen.notify(f"Stopped: tagged {self.done} occurrences.", markup=False)
                return
            if yes:
                me = screen.my_names()
                ok = screen._write(lambda: screen.library.tag_anchor(screen.article_id, occ, tags, me=me))
                self.done += int(ok)
            self._ask(pending, tags, i + 1)

        # the question never covers the occurrence: at the top when it is in the lower half
        at_top = screen.body.cursor_screen_offset.y >= screen.app.size.height // 2
        screen.app.push_screen(ConfirmScreen(question, title="Tag this occurrence?", at_top=at_top), answered)
