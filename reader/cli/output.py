"""Plain terminal output for the command line: styled lines and columns that fit, without rich.

Why not rich here: importing rich's console costs more than a whole `reader show` needs, and its
Table lays out every cell of every row before printing the first (most of a 10,000-row
`reader list`). These few helpers write one line at a time. Bold and dim are sent only to a
terminal (and never with $NO_COLOR set, or TERM=dumb), so pipes and files get plain text.

Every string given here must already be safe text (`library.safetext`): these helpers measure
and cut it, they do not clean it.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Container, Iterable, Mapping, Sequence
from typing import TextIO

BOLD = "bold"
DIM = "dim"
_SGR = {BOLD: "\x1b[1m", DIM: "\x1b[2m"}
_RESET = "\x1b[0m"

Part = str | tuple[str, str]  # text, or (text, style)


def wants_style(stream: TextIO) -> bool:
    """Whether `stream` is a terminal that should get bold and dim (the conventions rich follows)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream: plain text
        return False


class Lines:
    """Writes lines of text, some parts bold or dim, to one stream."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.styled = wants_style(stream)

    def line(self, *parts: Part) -> None:
        self.stream.write(self.render(*parts) + "\n")

    def blank(self) -> None:
        self.stream.write("\n")

    def render(self, *parts: Part) -> str:
        out = []
        for part in parts:
            if isinstance(part, tuple):
                text, style = part
                out.append(f"{_SGR[style]}{text}{_RESET}" if self.styled and text else text)
            else:
                out.append(part)
        return "".join(out)


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: wide East Asian characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(_char_width(ch) for ch in text)


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` cells, ending in an ellipsis when it was cut."""
    if width <= 0:
        return ""
    if text.isascii():
        return text if len(text) <= width else text[: width - 1] + "…"
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = _char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `width` cells (on the left when `right`)."""
    gap = " " * max(0, width - cell_width(text))
    return gap + text if right else text + gap


def widest(values: Iterable[str], least: int = 0, most: int | None = None) -> int:
    """The widest of `values` in cells, at least `least`, at most `most`."""
    values = list(values)
    if "".join(values).isascii():  # one character, one cell: measured in C
        width = max(map(len, values), default=0)
    else:
        width = max(map(cell_width, values), default=0)
    width = max(width, least)
    return width if most is None else min(width, most)


def aligned(
    out: Lines,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Container[int] = (),
    caps: Mapping[int, int] | None = None,
    width: int | None = None,
) -> None:
    """A small table as aligned lines: a bold header, then one line per row. Column `i` is as
    wide as its widest cell (at most `caps[i]` cells, cut with an ellipsis); the last column is
    cut to the terminal's `width` (None: not cut), and the first gives way when even the last
    column's header would not fit."""
    caps = caps or {}
    widths = [widest((r[i] for r in rows), len(h), caps.get(i)) for i, h in enumerate(headers[:-1])]
    last = None
    if width is not None:  # the first column gives way before the last goes below its header
        over = sum(widths) + 2 * len(widths) + len(headers[-1]) - width
        if over > 0:
            widths[0] = max(len(headers[0]), widths[0] - over)
        last = max(len(headers[-1]), width - sum(widths) - 2 * len(widths))

    def render(cells: Sequence[str]) -> str:
        fixed = [
            pad(fit(c, w), w, right=i in right)
            for i, (c, w) in enumerate(zip(cells[:-1], widths, strict=True))
        ]
        tail = cells[-1] if last is None else fit(cells[-1], last)
        return "  ".join([*fixed, tail]).rstrip()

    out.line((render(headers), BOLD))
    for row in rows:
        out.line(render(row))
