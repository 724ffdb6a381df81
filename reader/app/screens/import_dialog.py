"""`i`: ask for a file or folder to import; the app then imports it in a worker."""

from __future__ import annotations

import os
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from library.safetext import one_line

MAX_SHOWN = 8  # candidates listed under the field


def complete_path(text: str) -> tuple[str, list[str]]:
    """Shell-style completion of a typed path: (the completed text, the candidates' names).

    One candidate: completed to it (a folder with a trailing "/"). Several: completed to their
    common prefix, and all of them returned to show. None: the text unchanged, no candidates.
    Hidden entries are offered only once a "." is typed.
    """
    folder_text, _, stem = text.rpartition("/")
    folder_part = folder_text + "/" if "/" in text else ""
    folder = Path(os.path.expanduser(folder_part or "."))
    try:
        entries = sorted(
            (entry.name + ("/" if entry.is_dir() else ""))
            for entry in os.scandir(folder)
            if entry.name.startswith(stem) and (stem.startswith(".") or not entry.name.startswith("."))
        )
    except OSError:
        return text, []
    if not entries:
        return text, []
    if len(entries) == 1:
        return folder_part + entries[0], entries
    return folder_part + os.path.commonprefix(entries), entries


class PathInput(Input):
    """An input for a path: Tab completes it (Tab again, with nothing left to complete, moves on)."""

    BINDINGS = [Binding("tab", "complete", "Complete the path", show=False)]

    class Completed(Message):
        """Tab was pressed: `candidates` are the names that matched (shown by the dialog)."""

        def __init__(self, candidates: list[str]) -> None:
            super().__init__()
            self.candidates = candidates

    def action_complete(self) -> None:
        completed, candidates = complete_path(self.value)
        if completed != self.value:
            self.value = completed
            self.cursor_position = len(completed)
        elif len(candidates) <= 1:
            self.screen.focus_next()
        self.post_message(self.Completed(candidates if len(candidates) > 1 else []))


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
            yield PathInput(
                placeholder="path, e.g. ~/articles (Tab completes)",
                id="import-path",
                compact=True,
                select_on_focus=False,  # Tab back into the field must not make the next key wipe it
            )
            yield Static("", id="import-choices", classes="dialog-hint", markup=False)
            yield Static("", id="import-error", classes="dialog-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Import", variant="primary", id="import", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#import-path", Input).focus()

    @on(PathInput.Completed)
    def _show_choices(self, event: PathInput.Completed) -> None:
        choices = self.query_one("#import-choices", Static)
        names = [one_line(name, 40) for name in event.candidates[:MAX_SHOWN]]
        more = len(event.candidates) - len(names)
        choices.update("  ".join(names) + (f"  … {more} more" if more > 0 else ""))
        choices.display = bool(names)

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
