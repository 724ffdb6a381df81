"""`?`: every key of the screen below and of the app, read from the live (possibly remapped) bindings.

The keys are one rich table that wraps its descriptions to the dialog's width, so nothing needs
horizontal scrolling and no id is cut; only keys that act here are listed (see `key_actions`).
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from reader.app.commands import key_actions, scope_name


def keys_table(rows: list[tuple[str, str, str, str]]) -> Table:
    """Keys, Action, Where, Id: only the action wraps; the other columns are never cut."""
    table = Table(box=None, expand=True, show_edge=False, pad_edge=False, header_style="bold")
    table.add_column("Keys", no_wrap=True, style="bold")
    table.add_column("Action", ratio=1, overflow="fold")
    table.add_column("Where", no_wrap=True)
    table.add_column("Id", no_wrap=True, style="dim")
    for row in rows:
        table.add_row(*(Text(cell, end="") for cell in row))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("j,down", "scroll(1)", "Down", show=False),
        Binding("k,up", "scroll(-1)", "Up", show=False),
    ]

    def __init__(self, target: Screen) -> None:
        super().__init__()
        self.target = target
        self.rows: list[tuple[str, str, str, str]] = []  # (keys, action, where, id) as listed

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="help-dialog"):
            yield Static(
                "Keys  (remap them by id in the [keymap] table of config.toml)",
                classes="dialog-title",
                markup=False,
            )
            with VerticalScroll(id="help-keys"):
                grammar = getattr(self.target, "GRAMMAR_HELP", "")
                if grammar:  # the article body's selection grammar, which no binding lists
                    yield Static(grammar, id="help-grammar", markup=False)
                yield Static(id="help-table")
            yield Static(
                "Esc, q or ? closes · ctrl+p runs any of these by name", classes="dialog-hint", markup=False
            )

    def on_mount(self) -> None:
        for item in key_actions(self.target):
            description = item.description + (f" — {item.tooltip}" if item.tooltip else "")
            self.rows.append((" ".join(item.keys), description, scope_name(item.node), item.binding_id or ""))
        self.query_one("#help-table", Static).update(keys_table(self.rows))
        self.query_one("#help-keys", VerticalScroll).focus()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-keys", VerticalScroll).scroll_relative(y=delta, animate=False)

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
