"""The article screen's side of the selection grammar: the grammar's commands, and motion keys
pressed while another widget (a pane) has the focus.

The body reads motions and selection keys itself (`BodyView.feed`, `reader.app.grammar`); what
reaches the screen is a `BodyView.Command`: a label key (1-9, or the leader (backtick) and a letter
for the second layer), Enter (pick a label by name), `/` (search; with a selection the match extends it)
and `.` (repeat the last labelling on the current selection). `ArticleScreen` mixes this in; it
provides `body`, `annotations`, `search`, `is_visible`, `_spans`, `_apply_tag` and `_update_status`.

During a search, `n` is Note whenever something is selected (never dropping the selection for the
next match); with nothing selected it goes to the next match. `N` always goes to the previous match.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import OptionList

from reader.app.grammar import LEADER, LEADER_LETTERS
from reader.app.widgets.body import BodyView

MAX_LABEL_KEYS = 9 + len(LEADER_LETTERS)  # 1-9, then the leader and a letter
# The screen's motion bindings name grammar keys; on a focused list these move the list instead.
_LIST_KEYS = {"j": "action_cursor_down", "k": "action_cursor_up", "g": "action_first", "G": "action_last"}


class MotionsMixin:
    """The grammar's commands and the motion keys that reach the screen."""

    body: Any
    focused: Any
    annotations: Any
    search: Any
    _spans: dict[str, tuple[int, int] | None]
    _last_label: str | None = None

    if TYPE_CHECKING:  # provided by the screen

        def _update_status(self) -> None: ...
        def is_visible(self, h: Any) -> bool: ...
        def notify(self, *args: Any, **kwargs: Any) -> Any: ...
        def _apply_tag(self, tag: str) -> None: ...
        def action_tag(self) -> None: ...
        @property
        def quick_tags(self) -> list[str]: ...
        @property
        def quick_key_list(self) -> list[Any]: ...

    # --- keys that reach the screen -------------------------------------------------------------
    def action_move(self, key: str) -> None:
        """A grammar key pressed while the body lacks the focus: a list moves, else the body takes it."""
        focused = self.focused
        if isinstance(focused, OptionList) and key in _LIST_KEYS:
            getattr(focused, _LIST_KEYS[key])()
            return
        body = self.body
        if focused is not body:
            body.focus()
        body.feed(key)

    def _clear_selection(self) -> None:
        body = self.body
        body.grammar.reset()
        body.selecting = False
        self._update_status()

    # --- the grammar's commands -------------------------------------------------------------------
    def on_body_view_command(self, message: BodyView.Command) -> None:
        message.stop()
        command, arg = message.command, message.arg
        if command == "label":
            assert isinstance(arg, int)
            self.label_key(arg)
        elif command == "pick":
            self.action_tag()
        elif command == "search":
            self.search.open()
        elif command == "repeat":
            if self._last_label is None:
                self.notify("Nothing to repeat yet: label a selection first.", markup=False)
            elif not self.body.has_selection:
                self.notify("Select text first, then . repeats the last label.", markup=False)
            else:
                self._apply_tag(self._last_label)

    def on_body_view_cursor_moved(self, message: BodyView.CursorMoved) -> None:
        message.stop()
        self._update_status()

    def label_key(self, number: int) -> None:
        """Label key `number` (1-9, then 10 onwards: the leader and the letter LEADER_LETTERS[n-10]):
        the label the scheme (or the configured quick tags) puts on that key."""
        key = str(number) if number <= 9 else LEADER_LETTERS[number - 10]
        label = next((k.label for k in self.quick_key_list if k.key == key), None)
        if label is None:
            self.notify(f"No label on key {label_key_name(number)} (see the legend).", markup=False)
            return
        self._last_label = label
        self._apply_tag(label)

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


def label_key_name(number: int) -> str:
    """How label key `number` is typed: "3", or the leader and a letter ("`a" for 10)."""
    if number <= 9:
        return str(number)
    return LEADER + LEADER_LETTERS[number - 10]
