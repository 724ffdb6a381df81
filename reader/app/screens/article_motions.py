"""The article screen's motion and selection keys (`hjkl`, `w b e`, `( ) { }`, `g G`, `v s p`, `[ ]`).

Moved here unchanged from the screen so that the screen module holds the screen; they belong to
the body widget and will move there. `ArticleScreen` mixes this in; it provides `body`,
`annotations`, `is_visible`, `_spans` and `_update_status`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import OptionList

from reader.app import selection as sel


class MotionsMixin:
    """Keys that move the cursor or change the selection in the body."""

    body: Any
    focused: Any
    annotations: Any
    _spans: dict[str, tuple[int, int] | None]

    if TYPE_CHECKING:  # provided by the screen

        def _update_status(self) -> None: ...
        def is_visible(self, h: Any) -> bool: ...
        def notify(self, *args: Any, **kwargs: Any) -> Any: ...

    # --- moving -------------------------------------------------------------------------------
    def action_move(self, motion: str) -> None:
        focused = self.focused
        if isinstance(focused, OptionList) and motion in ("down", "up", "top", "bottom"):
            {
                "down": focused.action_cursor_down,
                "up": focused.action_cursor_up,
                "top": focused.action_first,
                "bottom": focused.action_last,
            }[motion]()
            return
        body = self.body
        if focused is not body:
            body.focus()
        text, pos = body.body, body.cursor_offset
        simple = {
            "down": body.action_cursor_down,
            "up": body.action_cursor_up,
            "left": body.action_cursor_left,
            "right": body.action_cursor_right,
        }
        if motion in simple:
            simple[motion]()
            return
        target = {
            "word_next": lambda: sel.next_word_start(text, pos),
            "word_prev": lambda: sel.prev_word_start(text, pos),
            "word_end": lambda: sel.word_end(text, pos),
            "sentence_next": lambda: sel.next_sentence_end(text, pos),
            "sentence_prev": lambda: sel.prev_sentence_start(text, pos),
            "paragraph_next": lambda: sel.next_paragraph_end(text, pos),
            "paragraph_prev": lambda: sel.prev_paragraph_start(text, pos),
            "top": lambda: 0,
            "bottom": lambda: len(text),
        }[motion]()
        body.move_to_offset(target)

    def action_toggle_select(self) -> None:
        body = self.body
        body.focus()
        if body.selecting or body.has_selection:
            self._clear_selection()
        else:
            body.selecting = True
            body.move_to_offset(body.cursor_offset, select=False)
        self._update_status()

    def _clear_selection(self) -> None:
        body = self.body
        body.selecting = False
        body.move_to_offset(body.cursor_offset, select=False)
        self._update_status()

    def action_select_sentence(self) -> None:
        body = self.body
        body.focus()
        body.select_offsets(*sel.sentence_span(body.body, body.cursor_offset))
        body.selecting = True
        self._update_status()

    def action_select_paragraph(self) -> None:
        body = self.body
        body.focus()
        body.select_offsets(*sel.paragraph_span(body.body, body.cursor_offset))
        body.selecting = True
        self._update_status()

    def action_jump_highlight(self, direction: int) -> None:
        spans = sorted(
            {s for h in self.annotations.highlights if self.is_visible(h) and (s := self._spans.get(h.id))}
        )
        if not spans:
            self.notify("No highlights in the body yet.", markup=False)
            return
        pos = self.body.cursor_offset
        if direction > 0:
            target = next((s for s in spans if s[0] > pos), spans[0])
        else:
            target = next((s for s in reversed(spans) if s[0] < pos), spans[-1])
        self._clear_selection()
        self.body.move_to_offset(target[0], select=False, center=True)
        self.body.focus()
