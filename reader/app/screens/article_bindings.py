"""The article screen's key bindings, as data: one `Binding` per key with an id and a tooltip.

Why apart from the screen: the list is long (46 keys) and is read by the help screen and the
README's key table as much as by the screen; the screen takes it as its `BINDINGS`.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType

from reader.app.screens.site_rule_dialog import SITE_RULE_BINDINGS
from reader.app.widgets.legend import LEADER_DISPLAY, LEADER_KEY


def _b(
    key: str,
    action: str,
    description: str,
    bid: str,
    *,
    show: bool = False,
    display: str | None = None,
    tooltip: str = "",
) -> Binding:
    return Binding(
        key, action, description, show=show, id=f"article.{bid}", key_display=display, tooltip=tooltip
    )


ARTICLE_BINDINGS: list[BindingType] = [
    _b("q", "back", "Back", "back", show=True, tooltip="Back to the library (saves the reading position)"),
    _b("escape", "escape", "Cancel/back", "escape", tooltip="Clear the selection or search, else go back"),
    _b("j", "move('j')", "Down (a count first: 3j)", "down"),
    _b("k", "move('k')", "Up", "up"),
    _b("h", "move('h')", "Left", "left"),
    _b("l", "move('l')", "Right", "right"),
    _b("w", "move('w')", "Next word", "word_next"),
    _b("b", "move('b')", "Previous word", "word_prev"),
    _b("e", "move('e')", "End of word", "word_end"),
    _b("right_parenthesis", "move(')')", "Next sentence start", "sentence_next", display=")"),
    _b("left_parenthesis", "move('(')", "Sentence start", "sentence_prev", display="("),
    _b("right_curly_bracket", "move('}')", "Paragraph end", "paragraph_next", display="}"),
    _b("left_curly_bracket", "move('{')", "Paragraph start", "paragraph_prev", display="{"),
    _b("g", "move('g')", "Top", "top"),
    _b("G", "move('G')", "Bottom (a count first: 12G, the 12th paragraph)", "bottom"),
    _b(
        "r",
        "move('r')",
        "Jump to two characters",
        "jump_pair",
        tooltip="r then two characters: to where they next occur together (2rth: the second time); "
        "; and , repeat it; inside a selection it moves the selection's end",
    ),
    _b(
        "v",
        "move('v')",
        "Select",
        "select",
        show=True,
        tooltip="Start/stop a selection; motions extend it (both end characters included)",
    ),
    _b("s", "move('s')", "Select sentence", "select_sentence"),
    _b("p", "move('p')", "Select paragraph", "select_paragraph"),
    _b(
        "enter",
        "tag",
        "Tag",
        "tag",
        show=True,
        display="⏎",
        tooltip="Pick a label for the selection (or the highlight under the cursor)",
    ),
    *[
        _b(
            str(i),
            f"quick_tag({i})",
            f"Quick tag {i}",
            f"quick_tag_{i}",
            tooltip="Apply the quick tag in the legend",
        )
        for i in range(1, 10)
    ],
    # Labelling keys (scheme labels, work state): reader/app/widgets/legend.py, work_state.py.
    _b(
        LEADER_KEY,
        "leader",
        "More labels",
        "leader",
        display=LEADER_DISPLAY,
        tooltip=f"Second key layer: {LEADER_DISPLAY} then a letter",
    ),
    _b(
        "d",
        "toggle_done",
        "Done/undone",
        "done",
        tooltip="Mark your work on this article done (again: not done)",
    ),
    _b(
        "greater_than_sign",
        "next_not_done",
        "Next not done",
        "next_not_done",
        display=">",
        tooltip="Open the next article in the library's order and filter that is not done",
    ),
    _b(
        "question_mark",
        "label_help",
        "Label guideline",
        "label_help",
        display="?",
        tooltip="The guideline of the label under the cursor (else every key)",
    ),
    _b(
        "n",
        "next_match",
        "Next match",
        "next_match",
        tooltip="While a search is active and nothing is selected: next match (with a selection n is Note)",
    ),
    _b(
        "N",
        "prev_match",
        "Previous match",
        "prev_match",
        tooltip="While a search is active: previous match",
    ),
    _b(
        "n",
        "note",
        "Note",
        "note",
        show=True,
        tooltip="Note on the selection, the highlight under the cursor, or else the article",
    ),
    _b("x", "delete", "Delete highlight", "delete", tooltip="Delete the highlight under the cursor"),
    _b(
        "A",
        "annotators",
        "Other annotators",
        "annotators",
        tooltip="Cycle whose highlights are drawn beside yours: all other annotators, then each one "
        "alone (when there are several), then yours only",
    ),
    _b(
        "T",
        "tag_article",
        "Tag article",
        "tag_article",
        tooltip="Add or remove a tag on the whole article",
    ),
    _b(
        "asterisk",
        "tag_all",
        "Tag all occurrences",
        "tag_all",
        display="*",
        tooltip="Offer the same tag for every other occurrence of the selected text, y/n each",
    ),
    _b("right_square_bracket", "jump_highlight(1)", "Next highlight", "next_highlight", display="]"),
    _b("left_square_bracket", "jump_highlight(-1)", "Previous highlight", "prev_highlight", display="["),
    _b("slash", "search", "Search", "search", show=True, display="/", tooltip="Search within the article"),
    _b(
        "z",
        "zoom",
        "Zoom",
        "zoom",
        tooltip="Give the body (or the focused pane) the whole screen; z again restores the layout",
    ),
    _b("m", "pane('meta')", "Metadata", "pane_meta", tooltip="Show/focus/hide the metadata pane"),
    _b(
        "B",
        "pane('boiler')",
        "Boilerplate",
        "pane_boiler",
        tooltip="Show/focus/hide the boilerplate pane",
    ),
    _b(
        "H",
        "pane('highlights')",
        "Highlights",
        "pane_highlights",
        show=True,
        tooltip="Show/focus/hide the highlights pane",
    ),
    _b(
        "S",
        "toggle_stripped",
        "Set-aside text",
        "toggle_stripped",
        tooltip="Show/hide the blocks the cleaner set aside, in place and dimmed after their reason; spans can be made there",
    ),
    _b(
        "X",
        "flip",
        "Set aside / restore",
        "flip_body",
        tooltip="Body: mark the paragraph under the cursor as boilerplate (f in the body is find)",
    ),
    _b(
        "f",
        "flip",
        "Flip block",
        "flip",
        tooltip="Boilerplate pane: move the block into the body / back; body: mark the paragraph as boilerplate",
    ),
    *SITE_RULE_BINDINGS,
]
