"""Choosing one tag: type to filter the library's tags, Enter applies the highlighted suggestion.

Suggestions complete existing tags (prefix matches first, then substring matches, case-insensitive),
so a typo does not create a near-duplicate tag. A tag that does not exist yet is offered as the
last row, "+ new tag: ..." (first when nothing matches). Tab copies the highlighted tag into the input.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from library.safetext import one_line
from reader.app.widgets.panes import tag_chip

NEW_PREFIX = "new:"
TAG_PREFIX = "tag:"


def rank_tags(tags: Iterable[str], query: str) -> list[str]:
    """Tags matching `query`: exact, then prefix, then substring matches, each alphabetical."""
    q = query.strip().casefold()
    unique = sorted(set(tags), key=str.casefold)
    if not q:
        return unique
    exact = [t for t in unique if t.casefold() == q]
    prefix = [t for t in unique if t.casefold().startswith(q) and t not in exact]
    inner = [t for t in unique if q in t.casefold() and t not in exact and t not in prefix]
    return exact + prefix + inner


class TagPicker(ModalScreen[str | None]):
    """Returns the chosen tag, or None when cancelled."""

    DEFAULT_CSS = """
    TagPicker { align: center middle; background: $background 30%; }
    TagPicker > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TagPicker OptionList { height: auto; max-height: 12; border: none; }
    TagPicker #picker-help { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next suggestion", id="picker.down", show=False),
        Binding("up", "move(-1)", "Previous suggestion", id="picker.up", show=False),
        Binding("tab", "complete", "Complete", id="picker.complete", show=False, priority=True),
    ]

    def __init__(self, tags: Iterable[str], *, title: str = "Tag", current: Iterable[str] = ()) -> None:
        super().__init__()
        self.tags = sorted({t for t in tags if t.strip()}, key=str.casefold)
        self.current = set(current)
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            yield Input(placeholder="Type a tag", id="picker-input")
            yield OptionList(id="picker-options")
            yield Static(Content("Enter applies · ↑↓ choose · Tab completes · Esc cancels"), id="picker-help")

    def on_mount(self) -> None:
        self._refresh("")
        self.query_one(Input).focus()

    @property
    def suggestions(self) -> list[str]:
        """The tags currently offered (for tests and the help line)."""
        options = self.query_one(OptionList).options
        return [o.id.removeprefix(TAG_PREFIX) for o in options if o.id and o.id.startswith(TAG_PREFIX)]

    def _refresh(self, query: str) -> None:
        ranked = rank_tags(self.tags, query)
        options: list[Option] = []
        for tag in ranked:
            parts: list = [tag_chip(tag)]
            if tag in self.current:
                parts.append(("  ✓ (again removes it)", "dim"))
            options.append(Option(Content.assemble(*parts), id=TAG_PREFIX + tag))
        typed = query.strip()
        if typed and typed not in self.tags:
            options.append(Option(Content.assemble(("+ new tag: ", "bold"), one_line(typed)), id=NEW_PREFIX))
        option_list = self.query_one(OptionList)
        option_list.set_options(options)
        if options:
            option_list.highlighted = 0

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._refresh(event.value)

    def action_move(self, delta: int) -> None:
        option_list = self.query_one(OptionList)
        if not option_list.option_count:
            return
        current = option_list.highlighted or 0
        option_list.highlighted = max(0, min(option_list.option_count - 1, current + delta))

    def _chosen(self) -> str | None:
        option = self.query_one(OptionList).highlighted_option
        typed = self.query_one(Input).value.strip()
        if option is None or option.id is None:
            return typed or None
        if option.id == NEW_PREFIX:
            return typed or None
        return option.id.removeprefix(TAG_PREFIX)

    def action_complete(self) -> None:
        tag = self._chosen()
        if tag:
            field = self.query_one(Input)
            field.value = tag
            field.cursor_position = len(tag)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self._chosen())

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._chosen())

    def action_cancel(self) -> None:
        self.dismiss(None)
