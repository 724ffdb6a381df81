"""The labels view (`L` in the library, or the palette): every label with its counts; rename,
merge, its guideline, and the articles that use it.

Rename and merge change every article of the library in one undoable step (`u` undoes it); the
counts of both labels are shown before anything changes and the result after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Input, Label, Static

from library.safetext import one_line
from reader.app.messages import AnnotationsChanged
from reader.app.screens.confirm import ConfirmScreen
from reader.app.status import SavedIndicator
from reader.app.widgets.body import tag_style
from reader.app.widgets.legend import LEADER_DISPLAY

if TYPE_CHECKING:
    from textual import getters

    from library import Library
    from library.core.labelling import LabelUsage
    from reader.app.app import ReaderApp

COLUMNS = (("key", "Key", 4), ("label", "Label", 38), ("spans", "Spans", 6), ("articles", "Articles", 8))


def _counts(usage: LabelUsage | None) -> str:
    return f"{usage.spans} span(s) in {usage.articles} article(s)" if usage else "unused"


class NameDialog(ModalScreen[str | None]):
    """Asks for a label name; returns it, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="name_dialog.cancel")]

    def __init__(self, question: str, value: str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question), classes="dialog-title")
            yield Input(self.value, id="name", compact=True)
            yield Static(Content("Enter confirms · Esc cancels"), classes="dialog-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class LabelsScreen(Screen[str | None]):
    """Returns a label to list its articles (Enter), or None (Esc)."""

    if TYPE_CHECKING:  # the app it runs in, as the type checker sees it (at run time: Textual's)
        app = getters.app(ReaderApp)

    DEFAULT_CSS = """
    LabelsScreen #labels-heading { height: 1; padding: 0 1; text-style: bold; background: $panel; width: 1fr; }
    LabelsScreen #labels-topbar { height: 1; }
    LabelsScreen #labels-definition { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    LabelsScreen DataTable { height: 1fr; }
    """

    BINDINGS = [
        Binding("escape,q", "back", "Back", id="labels.back"),
        Binding("enter", "find", "Articles", id="labels.find", tooltip="List the articles using this label"),
        Binding("r", "rename", "Rename", id="labels.rename", tooltip="Rename the label in every article"),
        Binding("M", "merge", "Merge into…", id="labels.merge", tooltip="Merge the label into another one"),
        Binding("question_mark", "label_help", "Guideline", id="labels.help", key_display="?"),
        Binding("j", "cursor(1)", "Down", id="labels.down", show=False),
        Binding("k", "cursor(-1)", "Up", id="labels.up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.usage: dict[str, LabelUsage] = {}

    def compose(self) -> ComposeResult:
        from textual.containers import Horizontal

        with Horizontal(id="labels-topbar"):
            yield Label("", id="labels-heading", markup=False)
            yield SavedIndicator()
        table: DataTable[Text] = DataTable(id="labels-table", cursor_type="row")
        yield table
        yield Static("", id="labels-definition", markup=False)
        yield Footer()

    @property
    def library(self) -> Library:
        return self.app.library

    @property
    def table(self) -> DataTable[Text]:
        return self.query_one("#labels-table", DataTable)

    def on_mount(self) -> None:
        table = self.table
        for key, label, width in COLUMNS:
            table.add_column(label, key=key, width=width)
        table.add_column("By annotator (spans/articles)", key="who")
        self.reload()
        table.focus()

    def reload(self, keep: str | None = None) -> None:
        scheme = self.library.scheme
        usages = self.library.label_usage()
        self.usage = {u.name: u for u in usages}
        table = self.table
        if keep is None and table.row_count:
            keep = self.current_name()
        table.clear()
        for u in usages:
            label = scheme.label(u.name)
            key = (
                ""
                if label is None or not label.key
                else (f"{LEADER_DISPLAY}{label.key}" if label.second_layer else label.key)
            )
            name = Text(f" {one_line(u.name, 60)} ", style=tag_style(u.name), end="")
            if scheme.strict and not u.in_scheme:
                name.append("  not in scheme", style="italic")
            who = ", ".join(
                f"{one_line(n, 20) or '(none)'} {c['spans']}/{c['articles']}"
                for n, c in sorted(u.per_annotator.items())
            )
            table.add_row(
                Text(key),
                name,
                Text(str(u.spans), justify="right"),
                Text(str(u.articles), justify="right"),
                Text(who),
                key=u.name,
            )
        spans = sum(u.spans for u in usages)
        title = f"scheme {scheme.name} ({scheme.mode})" if scheme.name else "no scheme (open)"
        self.query_one("#labels-heading", Label).update(
            Text(f"Labels · {len(usages)} · {spans:,} spans · {title}", end="")
        )
        if keep is not None and keep in table.rows:
            table.move_cursor(row=table.get_row_index(keep), animate=False)
        self._show_definition()

    def current_name(self) -> str | None:
        table = self.table
        if not table.row_count:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    @on(DataTable.RowHighlighted)
    def _show_definition(self, event: object = None) -> None:
        name = self.current_name()
        label = self.library.scheme.label(name) if name else None
        text = label.definition if label is not None and label.definition else ""
        self.query_one("#labels-definition", Static).update(
            Content(one_line(text, 400) or "Enter lists its articles · r renames · M merges · ? guideline")
        )

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_find()

    def action_cursor(self, delta: int) -> None:
        (self.table.action_cursor_down if delta > 0 else self.table.action_cursor_up)()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_find(self) -> None:
        name = self.current_name()
        usage = self.usage.get(name or "")
        if name is None or usage is None or not usage.articles:
            self.notify("No article uses this label yet.", markup=False)
            return
        self.dismiss(name)

    def action_label_help(self) -> None:
        from reader.app.screens.label_help import LabelHelpScreen

        name = self.current_name()
        if name is not None:
            scheme = self.library.scheme
            self.app.push_screen(LabelHelpScreen(scheme.label(name), name, scheme.name))

    # --- rename and merge -------------------------------------------------------------------
    def _used(self, name: str | None) -> bool:
        u = self.usage.get(name or "")
        return bool(u and (u.spans or u.article_tags))

    def action_rename(self) -> None:
        old = self.current_name()
        if old is None or not self._used(old):
            self.notify("Only a label in use can be renamed.", markup=False)
            return
        question = f"Rename “{one_line(old, 40)}” ({_counts(self.usage[old])}) in every article to:"
        self.app.push_screen(NameDialog(question, old), lambda new: self._confirm(old, new))

    def action_merge(self) -> None:
        from reader.app.screens.tag_picker import TagPicker

        old = self.current_name()
        if old is None or not self._used(old):
            self.notify("Only a label in use can be merged.", markup=False)
            return
        others = [n for n in self.usage if n != old and self._used(n)]
        picker = TagPicker(others, title=f"Merge {one_line(old, 30)} into", scheme=self.library.scheme)
        self.app.push_screen(picker, lambda new: self._confirm(old, new))

    def _confirm(self, old: str, new: str | None) -> None:
        if not new or new == old:
            return
        try:
            self.library.scheme.check_label(new, "both")
        except ValueError as err:  # a strict scheme: the new name must be one of its labels
            self.notify(one_line(str(err), 200), severity="error", markup=False)
            return
        target = self.usage.get(new)
        if self._used(new):
            question = Content(
                f"Merge “{one_line(old, 40)}” ({_counts(self.usage[old])}) into “{one_line(new, 40)}” "
                f"({_counts(target)})? One step; u undoes it."
            )
            title = "Merge labels?"
        else:
            question = Content(
                f"Rename “{one_line(old, 40)}” ({_counts(self.usage[old])}) to “{one_line(new, 40)}” "
                "in every article? One step; u undoes it."
            )
            title = "Rename label?"
        self.app.push_screen(
            ConfirmScreen(question, title=title), lambda yes: self._apply(old, new) if yes else None
        )

    def _apply(self, old: str, new: str) -> None:
        if self.app.write_blocked():
            return
        try:
            changed = self.library.rename_label(old, new)
        except Exception as err:  # noqa: BLE001 - any store error becomes one safe line
            self.app.report_error(err)
            return
        self.reload(keep=new)
        after = self.usage.get(new)
        self.notify(
            f"{one_line(new, 40)}: now {_counts(after)}; {changed} article(s) changed (u undoes)",
            markup=False,
        )
        self.app.show_saved("Labels changed")
        library_screen = self.app._library_screen()  # noqa: SLF001
        if library_screen is not None:
            library_screen.post_message(AnnotationsChanged(None))

    @on(AnnotationsChanged)
    def _changed(self, message: AnnotationsChanged) -> None:
        self.reload()  # after u / ctrl+r
