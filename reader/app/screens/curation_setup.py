"""Choosing whom to curate: the annotators of the library with their counts, Space marks, Enter starts."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from library.annotations.curation import DEFAULT_CURATOR
from library.safetext import one_line

if TYPE_CHECKING:
    from textual import getters

    from reader.app.app import ReaderApp


class CurationSetup(ModalScreen[None]):
    """Pick two or more annotators (Space), name the curated layer, Enter opens the curation view."""

    if TYPE_CHECKING:  # the app it runs in, as the type checker sees it (at run time: Textual's)
        app = getters.app(ReaderApp)

    DEFAULT_CSS = """
    CurationSetup { align: center middle; background: $background 30%; }
    CurationSetup > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    CurationSetup OptionList { height: auto; max-height: 12; border: none; }
    CurationSetup #setup-help { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="curate_setup.cancel"),
        Binding("space", "toggle_mark", "Mark", id="curate_setup.toggle"),
        Binding("enter", "start", "Start", id="curate_setup.start"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counts: Counter[str] = Counter()
        self.marked: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Curate: mark two or more annotators", markup=False)
            yield OptionList(id="setup-annotators")
            yield Input(value=DEFAULT_CURATOR, placeholder="name of the curated layer", id="setup-curator")
            yield Static("Space marks · Enter starts · Esc cancels", id="setup-help", markup=False)

    def on_mount(self) -> None:
        lib = self.app.library
        for s in lib.summaries():
            if s.highlights or s.tags:
                ann = lib.annotations(s.id)
                self.counts.update(h.annotator for h in ann.highlights if h.annotator)
                self.counts.update(t.annotator for t in ann.tags if t.annotator)
        self.counts.pop(DEFAULT_CURATOR, None)
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for name, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0])):
            box = "[x]" if name in self.marked else "[ ]"
            options.add_option(Option(Content(f"{box} {one_line(name, 40)}  ({n})"), id=name))
        if options.option_count:
            options.highlighted = min(highlighted or 0, options.option_count - 1)

    def action_toggle_mark(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        name = options.get_option_at_index(options.highlighted).id
        if name is None:
            return
        if name in self.marked:
            self.marked.remove(name)
        else:
            self.marked.append(name)
        self._fill()

    # Enter reaches the list (or the name field) first: it starts, in the order keys were typed
    # (a priority binding would run ahead of Space keys still queued).
    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_start()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        if len(self.marked) < 2:
            self.notify("Mark two or more annotators with Space", severity="warning", markup=False)
            return
        curator = self.query_one("#setup-curator", Input).value.strip() or DEFAULT_CURATOR
        chosen = list(self.marked)
        self.dismiss(None)
        self.app.curate(chosen, curator=curator)

    def action_cancel(self) -> None:
        self.dismiss(None)
