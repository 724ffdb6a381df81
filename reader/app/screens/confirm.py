"""A yes/no question as a small modal: y answers True, n False, Esc None (stop asking)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool | None]):
    """Asks one question. The caller's text may hold article text: it is shown as plain text."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center bottom; background: $background 30%; }
    ConfirmScreen > Vertical {
        width: 72; max-width: 100%; height: auto; border: round $accent; background: $surface;
        padding: 0 1; margin-bottom: 3;
    }
    ConfirmScreen.-top { align: center top; }
    ConfirmScreen.-top > Vertical { margin-bottom: 0; margin-top: 2; }
    ConfirmScreen #confirm-keys { color: $text-muted; }
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n", "answer(False)", "No", id="confirm.no"),
        Binding("escape", "answer(None)", "Stop", id="confirm.stop"),
    ]

    def __init__(self, question: str | Content, *, title: str = "Confirm", at_top: bool = False) -> None:
        """`at_top` puts the question at the top of the screen, away from text in the lower half
        that it asks about (the caller knows where that text is)."""
        super().__init__(classes="-top" if at_top else None)
        self.question = question if isinstance(question, Content) else Content(question)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Static(self.question, id="confirm-question")
            yield Static(Content("y yes · n no · Esc stop"), id="confirm-keys")

    def action_answer(self, answer: bool | None) -> None:
        self.dismiss(answer)
