"""What the article screen's key helpers need from the screen that runs them.

`TagAllFlow` (`*`, in `tag_all`) and the labelling-project keys (`labelling_actions`) are handed
the screen by `EditKeysMixin`, which only knows it is mixed into `ArticleScreen`. They are typed
against this protocol instead of the screen's class: `ArticleScreen` satisfies it, and so does
the mixin through what it declares its host provides, so the type checker follows both ways in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from library import Library
    from library.annotatable import AnnotatableText
    from library.annotations.model import ArticleAnnotations, Highlight
    from reader.app.app import ReaderApp
    from reader.app.screens.tag_picker import TagPicker
    from reader.app.widgets.body import BodyView


class ArticleKeysHost(Protocol):
    """The article screen, as the `*` flow and the labelling keys use it."""

    article_id: str
    annotations: ArticleAnnotations
    _spans: dict[str, tuple[int, int] | None]  # highlight id -> its body span (None: not in the body)

    @property
    def app(self) -> ReaderApp: ...
    @property
    def library(self) -> Library: ...
    @property
    def view(self) -> AnnotatableText | None: ...  # None until the article is first loaded
    @property
    def body(self) -> BodyView: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...
    def my_names(self) -> set[str]: ...
    def picker(self, title: str, current: list[str] | tuple[str, ...] = ()) -> TagPicker: ...
    def tag_body_span(self, span: tuple[int, int], tags: list[str]) -> bool: ...
    def _write(self, do: Callable[[], object], message: str | None = None) -> bool: ...
    def _target_span(self) -> tuple[int, int] | None: ...
    def _target_highlight(self) -> Highlight | None: ...
    def _highlight_with_span(self, span: tuple[int, int]) -> Highlight | None: ...
    def _clear_selection(self) -> None: ...
    def _save_position(self) -> None: ...
