"""`i`: ask for a file or folder to import; the app then imports it in a worker."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class ImportDialog(ModalScreen[Path | None]):
    """Returns an existing path, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="import.cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-dialog"):
            yield Static("Import articles", classes="dialog-title", markup=False)
            yield Static(
                "A file or a folder (searched recursively): text, Markdown, HTML, CSV, JSON or JSONL.",
                markup=False,
            )
            yield Input(placeholder="path, e.g. ~/articles", id="import-path", compact=True)
            yield Static("", id="import-error", classes="dialog-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Import", variant="primary", id="import", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#import")
    def _submit(self) -> None:
        raw = self.query_one("#import-path", Input).value.strip()
        error = self.query_one("#import-error", Static)
        if not raw:
            error.update("Type the path of a file or folder.")
            return
        path = Path(raw).expanduser()
        if not path.exists():
            error.update(f"{raw}: no such file or folder")
            return
        self.dismiss(path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
