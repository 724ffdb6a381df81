"""The quick-key legend of the article screen and the second key layer.

Why a layer: a scheme may have more labels than the nine digit keys (the PTC scheme has 14). Keys
1-9 apply the first nine; the rest sit behind a leader key (`;`), then a letter. The legend shows
every key: it wraps onto up to `MAX_LINES` lines and, when the names still do not fit, shortens them
with "…" (the full names are one `;` away: the layer's own panel lists them); nothing is cut
without a sign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.style import Style
from textual.widgets import Static

from library.annotations.schemes import FIRST_LAYER, PALETTE, SCOPE_ARTICLE, Scheme
from library.safetext import one_line
from reader.app.widgets import body

LEADER_KEY = "grave_accent"  # `;` and `,` repeat a find (reader/app/grammar.py)
LEADER_DISPLAY = "`"
MAX_LINES = 3
MIN_NAME = 6
_INKS = dict(zip(PALETTE, (ink for ink, _ in body.TAG_PALETTE), strict=False))


def use_scheme_colours(scheme: Scheme) -> None:
    """Draw the scheme's labels in the scheme's colours everywhere (body, panes, picker, legend)."""
    body.SCHEME_COLOURS.clear()
    for label in scheme.labels:
        if not label.colour:
            continue
        if label.colour.startswith("#"):
            r, g, b = (int(label.colour[i : i + 2], 16) for i in (1, 3, 5))
            ink = body.INK_DARK if 0.299 * r + 0.587 * g + 0.114 * b > 140 else body.INK_LIGHT
        else:
            ink = _INKS.get(label.colour, body.INK_DARK)
        body.SCHEME_COLOURS[label.name] = (ink, label.colour)


@dataclass(frozen=True, slots=True)
class QuickKey:
    key: str  # "1".."9" (first layer) or "a".."z" (after the leader key)
    label: str

    @property
    def second_layer(self) -> bool:
        return self.key not in FIRST_LAYER

    @property
    def display(self) -> str:
        return f"{LEADER_DISPLAY}{self.key}" if self.second_layer else self.key


def quick_keys(scheme: Scheme, fallback: Iterable[str]) -> list[QuickKey]:
    """The keys of the article screen: the scheme's span labels with their keys, or, without a
    scheme, the configured quick tags on 1-9 and then, behind the leader, on a, b, c ..."""
    if scheme.labels:
        return [QuickKey(lb.key, lb.name) for lb in scheme.labels if lb.key and lb.scope != SCOPE_ARTICLE]
    from reader.app.grammar import LEADER_LETTERS

    return [QuickKey(k, t) for k, t in zip([*FIRST_LAYER, *LEADER_LETTERS], fallback, strict=False)]


def _entry_width(key: QuickKey, name_len: int) -> int:
    return len(key.display) + 1 + min(len(one_line(key.label)), name_len) + 2 + 1


def _short(name: str, limit: int) -> str:
    name = one_line(name)
    return name if len(name) <= limit else name[: max(1, limit - 1)] + "…"


def layout(keys: list[QuickKey], width: int, max_lines: int = MAX_LINES) -> tuple[int, list[list[QuickKey]]]:
    """(longest name shown, keys per line): the longest names that let every key fit in
    `max_lines` lines of `width` cells (names shortened to no less than MIN_NAME)."""
    longest = max((len(one_line(k.label)) for k in keys), default=0)
    for limit in range(max(longest, MIN_NAME), MIN_NAME - 1, -1):
        lines: list[list[QuickKey]] = [[]]
        used = 0
        for key in keys:
            w = _entry_width(key, limit)
            if lines[-1] and used + w > width:
                lines.append([])
                used = 0
            lines[-1].append(key)
            used += w
        if len(lines) <= max_lines:
            return limit, lines
    return MIN_NAME, lines


def more_sign(hidden: int) -> str:
    return f"+{hidden} more: {LEADER_DISPLAY} lists them"


def fit(
    keys: list[QuickKey], width: int, max_lines: int = MAX_LINES
) -> tuple[int, list[list[QuickKey]], int]:
    """`layout`, and when even the shortest names need more lines, the first `max_lines` lines with
    room left on the last one for the `more_sign` of how many keys are not shown (the leader key's
    panel lists every second-layer key)."""
    limit, lines = layout(keys, width, max_lines)
    if len(lines) <= max_lines:
        return limit, lines, 0
    shown = lines[:max_lines]
    last = shown[-1]
    while last and sum(_entry_width(k, limit) for k in last) + len(more_sign(99)) > width:
        last.pop()
    hidden = len(keys) - sum(len(line) for line in shown)
    return limit, shown, hidden


class Legend(Static):
    """Every quick key with its label in the label's colour, wrapped (see `layout`)."""

    DEFAULT_CSS = """
    Legend { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(markup=False, **kwargs)
        self.keys: list[QuickKey] = []
        self._drawn: tuple[object, ...] | None = None

    def show(self, keys: list[QuickKey]) -> None:
        self.keys = list(keys)
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def render_lines_text(self, width: int) -> list[str]:
        """The legend as plain lines (what a test or a screen reader sees)."""
        limit, lines, hidden = fit(self.keys, width)
        out = [" ".join(f"{k.display} {_short(k.label, limit)}" for k in line) for line in lines]
        if hidden:
            out[-1] += " " + more_sign(hidden)
        return out

    def _draw(self) -> None:
        # The content width (padding excluded); before the first layout, the screen's less the padding.
        width = max(20, self.size.width or self.app.size.width - 2)
        drawn = (width, tuple(self.keys), tuple(body.SCHEME_COLOURS.items()))
        if drawn == self._drawn:
            return  # a resize that changes nothing redraws nothing (and costs no layout pass)
        self._drawn = drawn
        if not self.keys:
            self.update(Content("No quick keys: t tags with any label."))
            return
        limit, lines, hidden = fit(self.keys, width)
        parts: list = []
        for n, line in enumerate(lines):
            if n:
                parts.append("\n")
            for key in line:
                parts.append((f"{key.display}\u00a0", "bold"))
                parts.append(
                    (
                        f"\u00a0{_short(key.label, limit)}\u00a0",
                        Style.from_rich_style(body.tag_style(key.label)),
                    )
                )
                parts.append(" ")
        if hidden:
            parts.append((more_sign(hidden), "bold italic"))
        self.update(Content.assemble(*parts))


class LeaderScreen(ModalScreen[str | None]):
    """After the leader key: lists the second-layer keys; the next key picks one (Esc cancels)."""

    DEFAULT_CSS = """
    LeaderScreen { align: center bottom; background: $background 20%; }
    LeaderScreen > Vertical {
        width: 100%; height: auto; max-height: 60%; border: round $accent; background: $surface; padding: 0 1;
    }
    """

    def __init__(self, keys: list[QuickKey]) -> None:
        super().__init__()
        self.keys = [k for k in keys if k.second_layer]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"{LEADER_DISPLAY} then a letter (Esc cancels)"
            parts: list = []
            for key in self.keys:
                parts.append((f"{key.key} ", "bold"))
                parts.append(
                    (f"\u00a0{one_line(key.label)}\u00a0", Style.from_rich_style(body.tag_style(key.label)))
                )
                parts.append("\n")
            if not self.keys:
                parts.append("No labels on the second layer.")
            yield Static(Content.assemble(*parts), id="leader-keys")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)
            return
        chosen = next((k.label for k in self.keys if k.key == (event.character or "")), None)
        if chosen is None:
            self.notify(
                f"No label on {LEADER_DISPLAY} {one_line(event.character or event.key, 10)}", markup=False
            )
        self.dismiss(chosen)
