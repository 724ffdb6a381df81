"""Widgets of the reader app: the article body view and the article screen's side panes."""

from reader.app.widgets.body import BodyView, Mark, tag_style
from reader.app.widgets.panes import BoilerplatePane, HighlightRow, HighlightsPane, MetadataPane

__all__ = [
    "BodyView",
    "BoilerplatePane",
    "HighlightRow",
    "HighlightsPane",
    "Mark",
    "MetadataPane",
    "tag_style",
]
