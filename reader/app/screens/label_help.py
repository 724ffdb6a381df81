"""One label's guideline and examples (`?` in the tag picker, or on a highlight in the article)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Static

from library.annotations.schemes import Label
from library.safetext import display_text, one_line
from reader.app.widgets.body import tag_style


def label_help_content(label: Label | None, name: str, scheme_name: str = "") -> Content:
    """Definition, guideline and examples as safe text (scheme text is data, never markup)."""
    parts: list = [(f"\u00a0{one_line(name)}\u00a0", Style.from_rich_style(tag_style(name)))]
    if label is None:
        parts.append("\n\n")
        where = f"scheme {one_line(scheme_name)!r}" if scheme_name else "a label scheme"
        parts.append(f"This label is not part of {where}: it has no definition or guideline.")
        return Content.assemble(*parts)
    key = f"; {label.key}" if label.second_layer else label.key
    meta = [
        f"key {key}" if key else "",
        f"for {label.scope}s" if label.scope != "both" else "spans and articles",
    ]
    if label.group:
        meta.append(f"group: {one_line(label.group)}")
    parts.append(("  " + " · ".join(m for m in meta if m), "dim"))
    parts.append("\n\n")
    parts.append((display_text(label.definition) or "(no definition)", "bold"))
    if label.guideline:
        parts.append("\n\n")
        parts.append(display_text(label.guideline))
    if label.examples:
        parts.append("\n\n")
        parts.append(("Examples", "bold underline"))
        for example in label.examples:
            parts.append("\n• ")
            parts.append(display_text(example))
    return Content.assemble(*parts)


class LabelHelpScreen(ModalScreen[None]):
    """Shows one label's help; any of Esc, q, ? or Enter closes it."""

    DEFAULT_CSS = """
    LabelHelpScreen { align: center middle; background: $background 30%; }
    LabelHelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("escape,q,question_mark,enter", "close", "Close", id="label_help.close", priority=True),
    ]

    def __init__(self, label: Label | None, name: str, scheme_name: str = "") -> None:
        super().__init__()
        self.label = label
        self.name_text = name
        self.scheme_name = scheme_name

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Label guideline (Esc closes)"
            yield Static(label_help_content(self.label, self.name_text, self.scheme_name), id="label-help")

    def action_close(self) -> None:
        self.dismiss(None)
