"""Every use of a private Textual member by the app, in one place (Textual is pinned; see pyproject).

Why: a private member can change in any Textual release without notice. Kept here, each one has
a test in `tests/test_textual_compat.py` that it still exists with the signature and the effect
relied on, so an upgrade fails there, by name, instead of somewhere in a screen. Nothing else in
`reader/app` imports a `textual._*` module or touches a `_`-prefixed Textual attribute (the
library list draws its own rows with public API: `widgets/article_table.py`).

What is used, and why:
- `cell_len`, `compute_wrap_offsets`: Textual's own cell measure and soft-wrap function, which
  the fast wrapper (`widgets/fastwrap.py`) must agree with and falls back to.
- `_wrapped_document.compute_wrap_offsets`: `WrappedDocument` calls the wrap function by its
  module-level name and has no hook for another; `wrapping_with` swaps the name for a block.
- `WrappedDocument._wrap_offsets` and `__class__`: the body's wrapped document gets a cached
  height (`CachedHeightWrap`, `use_cached_height`).
- `TextArea._set_document`, `TextArea._rewrap_and_refresh_virtual_size`, `TextArea._line_cache`,
  `TextArea._refresh_size`: the body's hooks after a document is set and around re-wrapping,
  offered as public methods by `TextAreaHooks`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from textual._cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.document import _wrapped_document
from textual.document._wrapped_document import WrappedDocument
from textual.widgets import TextArea

__all__ = [
    "CachedHeightWrap",
    "TextAreaHooks",
    "WrappedDocument",
    "cell_len",
    "compute_wrap_offsets",
    "use_cached_height",
    "wrapping_with",
]

WrapFunction = Callable[..., list[int]]


@contextlib.contextmanager
def wrapping_with(function: WrapFunction) -> Iterator[None]:
    """Within this block, Textual's `WrappedDocument` wraps with `function` (same arguments and
    result as `compute_wrap_offsets`). The UI thread alone wraps, so nothing else sees the swap."""
    original = _wrapped_document.compute_wrap_offsets
    _wrapped_document.compute_wrap_offsets = function
    try:
        yield
    finally:
        _wrapped_document.compute_wrap_offsets = original


class CachedHeightWrap(WrappedDocument):
    """A wrapped document whose height is remembered per wrap.

    Why: TextArea reads `wrapped_document.height` for every line it draws, and Textual computes
    it by summing over every line of the document, so each keystroke in a 100,000-word article
    cost tens of thousands of steps. For a read-only document the height changes only when it is
    wrapped again, and `wrap` installs a new offsets list, which is what the cache is keyed on.
    """

    @property
    def height(self) -> int:
        offsets = self._wrap_offsets
        cached = self.__dict__.get("_height_for")
        if cached is not None and cached[0] is offsets:
            return int(cached[1])
        value = sum(len(line_offsets) + 1 for line_offsets in offsets)
        self.__dict__["_height_for"] = (offsets, value)
        return value

    def wrap_range(self, *args: Any, **kwargs: Any) -> None:
        self.__dict__.pop("_height_for", None)  # an edit changes the offsets in place
        super().wrap_range(*args, **kwargs)


def use_cached_height(wrapped: WrappedDocument) -> None:
    """Give an existing wrapped document a cached height (the same object: TextArea keeps it)."""
    wrapped.__class__ = CachedHeightWrap


class TextAreaHooks(TextArea):
    """A TextArea whose private steps are offered as public, overridable methods."""

    def _set_document(self, text: str, language: str | None) -> None:
        super()._set_document(text, language)
        self.document_set()

    def _rewrap_and_refresh_virtual_size(self) -> None:
        self.rewrap()

    def document_set(self) -> None:
        """Called each time a new document is installed (`load_text`, and at start)."""

    def rewrap(self) -> None:
        """Called where TextArea re-wraps the whole document (the width changed, a scrollbar came
        or went). By default it re-wraps (`rewrap_all`)."""
        self.rewrap_all()

    def rewrap_all(self) -> None:
        """Re-wrap the whole document and refresh the scrollable size: TextArea's own step."""
        super()._rewrap_and_refresh_virtual_size()

    def refresh_without_rewrap(self) -> None:
        """Redraw and refresh the scrollable size while keeping the current wrap."""
        self._line_cache.clear()
        self._refresh_size()
