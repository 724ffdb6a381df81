"""`A` on the article screen: whose highlights are drawn beside yours.

Why a module of its own: the view has its own state (yours only, all others, or one other
annotator) and its own words for the status line, apart from the drawing. Which highlights are
yours is the domain's rule (`library.annotations.editing.is_mine`) with the names that mean you
here: the app's configured annotator, the library's, and none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from library.annotations import editing
from library.annotations.model import Highlight
from library.safetext import one_line

ALL_OTHERS = "\x00all"  # annotator view: yours plus every other annotator's highlights


class AnnotatorViewMixin:
    """Mixed into `ArticleScreen`, which provides `app`, `library`, `annotations`, `_redraw_annotations`."""

    app: Any
    library: Any
    annotations: Any
    annotator_view: str | None
    _others: list[str]

    if TYPE_CHECKING:  # provided by the screen

        def _redraw_annotations(self) -> None: ...
        def notify(self, *args: Any, **kwargs: Any) -> Any: ...

    # --- whose highlights -----------------------------------------------------------------------
    def my_names(self) -> set[str]:
        """Annotator names that mean "you": the app's user, the store's recorder, and none."""
        return {"", self.app.settings.annotator or "", self.library.annotator or ""}

    def is_mine(self, h: Highlight) -> bool:
        return editing.is_mine(h, self.my_names())

    def other_annotators(self) -> list[str]:
        """Names of the other annotators with highlights on this article, sorted."""
        mine = self.my_names()
        return sorted({h.annotator for h in self.annotations.highlights if h.annotator not in mine})

    def is_visible(self, h: Highlight) -> bool:
        view = self.annotator_view
        return self.is_mine(h) or view == ALL_OTHERS or (view is not None and h.annotator == view)

    def view_label(self) -> str:
        """Which highlights are drawn, e.g. "you + ben"."""
        view = self.annotator_view
        if view is None:
            return "you"
        names = self._others if view == ALL_OTHERS else [view]
        return "you + " + ", ".join(one_line(n, 40) for n in names)

    def action_annotators(self) -> None:
        """Cycle: yours only -> yours + all others -> each other annotator alone beside yours."""
        others = self.other_annotators()
        if not others:
            self.annotator_view = None
            self.notify("No other annotators' highlights in this article.", markup=False)
            return
        views: list[str | None] = [None, ALL_OTHERS, *(others if len(others) > 1 else [])]
        current = views.index(self.annotator_view) if self.annotator_view in views else 0
        self.annotator_view = views[(current + 1) % len(views)]
        self._redraw_annotations()
        self.notify(f"Showing: {self.view_label()}", markup=False)
