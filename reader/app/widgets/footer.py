"""A footer that shows only the bindings that fit, each whole.

Why: Textual's `Footer` lays every binding out in one row and lets the last ones run under the
command-palette key, so an 80-column screen shows "e Expor". Here the footer measures each key
as it is drawn (its key, its description and their padding) and drops, whole, those that do not
fit beside the palette key; every binding stays in the help screen (`?`) and the palette.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer


def is_key(item: Widget) -> bool:
    """A key `Footer.compose` yields (its class is not exported, its attributes are public)."""
    return isinstance(getattr(item, "key_display", None), str)


def key_width(key: Widget) -> int:
    """Cells a non-compact footer key takes: " key " + description + " " (Footer's CSS padding)."""
    width = cell_len(getattr(key, "key_display", "")) + 2
    description = getattr(key, "description", "")
    if description:
        width += cell_len(description) + 1
    return width


class FittingFooter(Footer):
    """`Footer`, with the bindings that would be cut at the right edge left out."""

    def compose(self) -> ComposeResult:
        items = list(super().compose())
        keys = [item for item in items if is_key(item)]
        palette = [key for key in keys if key.has_class("-command-palette")]
        self._composed_width = self.size.width or self.app.size.width
        room = self._composed_width - sum(key_width(key) + 2 for key in palette)
        used = 0
        for item in items:
            if is_key(item) and not item.has_class("-command-palette"):
                used += key_width(item)
                if used > room:
                    continue
            yield item

    _composed_width = 0

    def on_resize(self) -> None:
        if self._bindings_ready and self.is_attached and self.size.width != self._composed_width:
            self.call_after_refresh(self.recompose)
