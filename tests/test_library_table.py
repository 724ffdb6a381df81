"""The library table's rows are filled lazily; every way of reading or changing a row sees it whole."""

from __future__ import annotations

from library.model import ArticleSummary, Metadata, Origin
from reader.app.screens.library import LazyCells, row_cells


def test_lazy_row_cells_fill_before_any_change() -> None:
    summary = ArticleSummary("a1", Metadata(title="Old title"), "text", Origin("/x"), "", 1, 0, 3)
    keys = ["title", "site", "date", "tags", "highlights", "read", "state"]
    cells = LazyCells(summary, keys)
    cells["title"] = row_cells(
        ArticleSummary("a1", Metadata(title="New"), "text", Origin("/x"), "", 1, 0, 3)
    )[0]
    assert cells["title"].plain == "New"  # the lazy fill happened before the update, not after it
    assert len(cells) == 7 and list(cells) == keys
    assert LazyCells(summary, keys)["title"].plain == "Old title"
    assert dict(LazyCells(summary, keys).items())["read"].plain == "•"
