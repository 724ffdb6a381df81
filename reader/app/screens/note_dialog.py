"""A one-line note editor: Enter saves, Esc cancels; an empty note clears it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NoteDialog(ModalScreen[str | None]):
    """Returns the edited note (possibly empty), or None when cancelled."""

    DEFAULT_CSS = """
    NoteDialog { align: center middle; background: $background 30%; }
    NoteDialog > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $accent; background: $surface; padding: 0 1;
    }
    NoteDialog #note-help { color: $text-muted; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(self, note: str = "", *, subject: str = "") -> None:
        super().__init__()
        self.note = note
        self.subject = subject

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Note"
            if self.subject:
                yield Static(Content(self.subject), id="note-subject")
            yield Input(value=self.note, placeholder="Write a note", id="note-input")
            yield Static(Content("Enter saves · Esc cancels · an empty note removes it"), id="note-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
