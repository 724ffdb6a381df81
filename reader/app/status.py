"""Small status widgets every screen can show: the "saved" sign and the read-only banner."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual.widgets import Static

from library import READ_ONLY_NOTICE


class SavedIndicator(Static):
    """Shows the app's last "✓ Saved HH:MM:SS" sign; every instance follows `ReaderApp.saved_text`."""

    DEFAULT_CSS = """
    SavedIndicator {
        width: auto;
        height: 1;
        padding: 0 1;
        color: $success;
        text-align: right;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)

    def on_mount(self) -> None:
        if hasattr(self.app, "saved_text"):
            self.watch(self.app, "saved_text", self._show, init=True)

    def _show(self, text: str) -> None:
        # Its width follows the text: a layout of the screen only when the text needs more room
        # than it has (not for each new time or a shorter message, drawn flush right in it).
        self.update(text, layout=cell_len(text) + 2 > self.size.width)


class ReadOnlyBanner(Static):
    """Visible on every screen of a read-only session, so nobody types work that cannot be saved."""

    DEFAULT_CSS = """
    ReadOnlyBanner {
        width: 1fr;
        height: 1;
        padding: 0 1;
        background: $warning;
        color: $background;
        text-style: bold;
        display: none;
    }
    ReadOnlyBanner.-shown {
        display: block;
    }
    """

    MESSAGE = READ_ONLY_NOTICE

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(self.MESSAGE, markup=False, **kwargs)

    def on_mount(self) -> None:
        library = getattr(self.app, "library", None)
        self.set_class(bool(getattr(library, "read_only", False)), "-shown")
