"""`?`: every key of the screen below and of the app, read from the live (possibly remapped) bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from reader.app.commands import key_actions, scope_name


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j", "scroll(1)", "Down", show=False),
        Binding("k", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(
                "Keys  (remap them by id in the [keymap] table of config.toml)",
                classes="dialog-title",
                markup=False,
            )
            grammar = getattr(self.target, "GRAMMAR_HELP", "")
            if grammar:  # the article body's selection grammar, which no binding lists
                yield Static(grammar, id="help-grammar", markup=False)
            table: DataTable[Text] = DataTable(id="help-keys", cursor_type="row", show_cursor=True)
            yield table
            yield Static(
                "Esc, q or ? closes · ctrl+p runs any of these by name", classes="dialog-hint", markup=False
            )

    def on_mount(self) -> None:
        table = self.query_one("#help-keys", DataTable)
        table.add_columns("Keys", "Action", "Where", "Id")
        for item in key_actions(self.target):
            description = item.description + (f" — {item.tooltip}" if item.tooltip else "")
            table.add_row(
                Text(" ".join(item.keys), style="bold", end=""),
                Text(description, end=""),
                Text(scope_name(item.node), end=""),
                Text(item.binding_id or "", style="dim", end=""),
            )
        table.focus()

    def action_scroll(self, delta: int) -> None:
        table = self.query_one("#help-keys", DataTable)
        if delta > 0:
            table.action_cursor_down()
        else:
            table.action_cursor_up()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
