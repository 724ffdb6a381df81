"""The library's own table: cells are made only for the rows drawn, and a row update shows at once."""

from __future__ import annotations

from pathlib import Path

from app_data import make_library

from library.model import ArticleSummary, Metadata, Origin
from reader.app.app import ReaderApp
from reader.app.settings import Settings
from reader.app.widgets.article_table import ArticleTable, row_cells


def test_row_cells_are_safe_text() -> None:
    summary = ArticleSummary(
        "a1", Metadata(title="[b]x[/b] \x1b[2J", site="s"), "text", Origin("/x"), "", 1, 0, 3, tags=["T"]
    )
    cells = row_cells(summary)
    assert cells[0].plain == "[b]x[/b] ␛[2J" and [c.plain for c in cells[3:]] == ["T", "", "•", "new"]


async def test_only_the_drawn_rows_are_built_and_updates_show(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", count=2_000)
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#articles", ArticleTable)
            assert table.row_count == 2_000
            assert 0 < table.built_rows <= 60  # about one screen, not 2,000 rows
            first = table.cursor_id
            assert first is not None
            lib.set_article_tags(first, ["Fresh"])
            table.update_row(lib.summary(first))
            assert table.get_row_at(0)[3].plain == "Fresh"
            assert "Fresh" in table.render_line(1).text
            await pilot.press("G")
            assert table.scroll_y > 1_900 and table.cursor_row == 1_999
    finally:
        lib.close()
