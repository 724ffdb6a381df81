"""Which highlight? Asked when a key acts on "the highlight under the cursor" and several overlap."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from library.annotations.model import Highlight
from library.safetext import one_line


def describe_highlight(h: Highlight, quote_chars: int = 50) -> str:
    """A highlight in words: its labels and quote, e.g. 'Doubt, Fear “the plan was fair”'."""
    labels = ", ".join(one_line(t, 30) for t in h.tags) or "untagged"
    return f"{labels} “{one_line(h.quote, quote_chars)}”"


class ChooseHighlight(ModalScreen[str | None]):
    """Lists the highlights; Enter or its number picks one (returns its id), Esc none."""

    DEFAULT_CSS = """
    ChooseHighlight { align: center middle; }
    ChooseHighlight > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ChooseHighlight OptionList { height: auto; max-height: 12; border: none; }
    ChooseHighlight #choose-keys { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="choose.cancel"),
        *[Binding(str(i), f"pick({i})", f"Pick {i}", show=False) for i in range(1, 10)],
    ]

    def __init__(self, highlights: list[Highlight], *, title: str) -> None:
        super().__init__()
        self.highlights = highlights
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield OptionList(
                *[
                    Option(Content(f"{i}  {describe_highlight(h)}"), id=h.id)
                    for i, h in enumerate(self.highlights, start=1)
                ],
                id="choose-list",
            )
            yield Static(Content("Enter or 1-9 picks · Esc cancels"), id="choose-keys")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, number: int) -> None:
        if 1 <= number <= len(self.highlights):
            self.dismiss(self.highlights[number - 1].id)

    def action_cancel(self) -> None:
        self.dismiss(None)
