"""Choosing one label: type to filter, Enter applies the highlighted row, `?` explains a label.

Rows show the label's quick key, its colour, its name and (for scheme labels) its one-line
definition; the highlighted row is drawn reversed with a ▶ so it is plain which one Enter applies.
Completion is fuzzy (exact, then prefix, then substring, then the letters in order).

Enter applies exactly what is highlighted, and the first row is what was typed: an existing label
when the text is one, else "+ new label: ..." (open schemes). A near match is applied only when the
user moves to it (↓) or completes it (Tab): typing `Name` then Enter never applies `Name_Calling`.
A strict scheme offers no "new label" row, and Enter on text that matches nothing says so.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from library.annotations.schemes import OPEN_SCHEME, Scheme
from library.safetext import one_line
from reader.app.widgets.panes import tag_chip

NEW_PREFIX = "new:"
TAG_PREFIX = "tag:"
MARK = "▶ "


def _subsequence(query: str, text: str) -> bool:
    it = iter(text)
    return all(ch in it for ch in query)


def rank_tags(tags: Iterable[str], query: str) -> list[str]:
    """Tags matching `query` (case-insensitive): exact, then prefix, then substring, then those
    holding its letters in order (fuzzy), each group alphabetical."""
    q = query.strip().casefold()
    unique = sorted(set(tags), key=str.casefold)
    if not q:
        return unique
    groups: list[list[str]] = [[], [], [], []]
    for t in unique:
        f = t.casefold()
        if f == q:
            groups[0].append(t)
        elif f.startswith(q):
            groups[1].append(t)
        elif q in f:
            groups[2].append(t)
        elif _subsequence(q.replace(" ", ""), f):
            groups[3].append(t)
    return [t for group in groups for t in group]


class PickerInput(Input):
    """The picker's text field: `?` is not typed but left to the picker (a label's guideline)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        if character == "?":
            return False
        return super().check_consume_key(key, character)


class TagPicker(ModalScreen[str | None]):
    """Returns the chosen label, or None when cancelled."""

    DEFAULT_CSS = """
    TagPicker { align: center middle; background: $background 30%; }
    TagPicker > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    TagPicker OptionList { height: auto; max-height: 16; border: none; }
    TagPicker OptionList > .option-list--option-highlighted { background: $accent; color: $text; text-style: bold; }
    TagPicker OptionList:focus > .option-list--option-highlighted { background: $accent; color: $text; text-style: bold; }
    TagPicker #picker-help { color: $text-muted; }
    TagPicker #picker-error { color: $warning; height: auto; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next suggestion", id="picker.down", show=False),
        Binding("up", "move(-1)", "Previous suggestion", id="picker.up", show=False),
        Binding("tab", "complete", "Complete", id="picker.complete", show=False, priority=True),
        Binding(
            "question_mark", "label_help", "Label guideline", id="picker.help", show=False, priority=True
        ),
    ]

    def __init__(
        self,
        tags: Iterable[str],
        *,
        title: str = "Tag",
        current: Iterable[str] = (),
        scheme: Scheme = OPEN_SCHEME,
        keys: dict[str, str] | None = None,
        scope: str = "span",
    ) -> None:
        """`tags`: labels in use; `scheme`: its labels are offered too (only they, when strict);
        `keys`: label -> the key shown for it (e.g. "1", ";a")."""
        super().__init__()
        allowed = {label.name for label in scheme.labels if label.allows(scope)}  # span or article labels
        offered = allowed if scheme.strict else {t for t in tags if t.strip()} | allowed
        self.tags = sorted(offered, key=str.casefold)
        self.current = set(current)
        self.title_text = title
        self.scheme = scheme
        self.keys = dict(keys or {})
        self._rows: dict[str, Content] = {}
        self._marked: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text + (f" · scheme {self.scheme.name}" if self.scheme.name else "")
            yield PickerInput(placeholder="Type a label", id="picker-input")
            yield OptionList(id="picker-options")
            yield Static("", id="picker-error", markup=False)
            yield Static(
                Content("Enter applies the ▶ row · ↑↓ choose · Tab completes · ? guideline · Esc cancels"),
                id="picker-help",
            )

    def on_mount(self) -> None:
        self._refresh("")
        self.query_one(Input).focus()

    @property
    def suggestions(self) -> list[str]:
        """The labels currently offered (for tests and the help line)."""
        options = self.query_one(OptionList).options
        return [o.id.removeprefix(TAG_PREFIX) for o in options if o.id and o.id.startswith(TAG_PREFIX)]

    @property
    def highlighted_label(self) -> str | None:
        """What Enter would apply now (a label, or the typed text for the "new label" row)."""
        return self._chosen()

    def _row(self, tag: str) -> Content:
        label = self.scheme.label(tag)
        key = self.keys.get(tag, "")
        parts: list = [(f"{key:>2} ", "bold"), tag_chip(tag)]
        if tag in self.current:
            parts.append(("  ✓ (again removes it)", "dim"))
        if label is not None and label.definition:
            # One line per row: the definition gets what the key, name and box leave of the width.
            room = min(90, self.app.size.width) - 16 - len(one_line(tag)) - (20 if tag in self.current else 0)
            if room >= 12:
                parts.append(("  " + one_line(label.definition, room), "italic"))
        return Content.assemble(*parts)

    def _refresh(self, query: str) -> None:
        typed = query.strip()
        ranked = rank_tags(self.tags, query)
        if not typed:  # nothing typed: the scheme's labels in its (key) order, then the others
            order = {name: i for i, name in enumerate(self.scheme.names)}
            ranked.sort(key=lambda t: (order.get(t, len(order)), t.casefold()))
        # The same letters as a label (ignoring case) is that label; anything else is new text.
        exact = [t for t in ranked if t.casefold() == typed.casefold()]
        rows: list[tuple[str, Content]] = [(TAG_PREFIX + tag, self._row(tag)) for tag in ranked]
        if typed and typed not in exact and not self.scheme.strict:
            hint = f"  (similar: {one_line(ranked[0], 40)} — ↓ to pick it)" if ranked and not exact else ""
            new_row = (
                NEW_PREFIX,
                Content.assemble(("   + new label: ", "bold"), one_line(typed), (hint, "dim")),
            )
            if exact:
                rows.append(new_row)  # "Doubt" exists: typing "doubt" means it; the new row is last
            else:
                rows.insert(0, new_row)  # what was typed comes first; a near match only when picked
        self._rows = dict(rows)
        options: list[Option] = [Option(content, id=oid) for oid, content in rows]
        error = self.query_one("#picker-error", Static)
        if typed and not rows:
            error.update(Content(self._refusal(typed)))
        else:
            error.update("")
        option_list = self.query_one(OptionList)
        self._marked = None
        option_list.set_options(options)
        if options:
            option_list.highlighted = 0
            self._mark(0)

    def _refusal(self, typed: str) -> str:
        hint = self.scheme.closest(typed)
        extra = f"; did you mean {hint}?" if hint else ""
        return f"“{one_line(typed, 40)}” is not in the strict scheme {self.scheme.name}{extra}"

    def _mark(self, index: int | None) -> None:
        """Put ▶ on the highlighted row (and take it off the one before): not colour alone."""
        option_list = self.query_one(OptionList)
        oid = self._marked
        if oid is not None and oid in self._rows:
            with contextlib.suppress(OptionDoesNotExist):  # the options were replaced meanwhile
                option_list.replace_option_prompt(oid, self._rows[oid])
        self._marked = None
        if index is None or not 0 <= index < option_list.option_count:
            return
        oid = option_list.get_option_at_index(index).id
        if oid is not None and oid in self._rows:
            option_list.replace_option_prompt(oid, Content.assemble((MARK, "bold"), self._rows[oid]))
            self._marked = oid

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self._marked:
            self._mark(event.option_index)

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
            return None if self.scheme.strict else (typed or None)
        if option.id == NEW_PREFIX:
            return typed or None
        return option.id.removeprefix(TAG_PREFIX)

    def action_complete(self) -> None:
        tag = self._chosen()
        if tag:
            field = self.query_one(Input)
            field.value = tag
            field.cursor_position = len(tag)

    def action_label_help(self) -> None:
        from reader.app.screens.label_help import LabelHelpScreen

        option = self.query_one(OptionList).highlighted_option
        if option is None or not option.id or not option.id.startswith(TAG_PREFIX):
            self.notify("Highlight a label first (↑↓), then ? shows its guideline.", markup=False)
            return
        name = option.id.removeprefix(TAG_PREFIX)
        self.app.push_screen(LabelHelpScreen(self.scheme.label(name), name, self.scheme.name))

    def _finish(self) -> None:
        chosen = self._chosen()
        typed = self.query_one(Input).value.strip()
        if chosen is None and typed and self.scheme.strict:
            self.query_one("#picker-error", Static).update(Content(self._refusal(typed)))
            self.notify(self._refusal(typed), severity="warning", markup=False)
            return
        self.dismiss(chosen)

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        self._finish()

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._finish()

    def action_cancel(self) -> None:
        self.dismiss(None)
