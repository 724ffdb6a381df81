"""The body keeps the grammar's cursor in view: it draws its own cursor, so TextArea's scrolling
(which does nothing for a hidden cursor) is not enough."""

from __future__ import annotations

from pathlib import Path

from test_app_article import make_app, open_article
from test_app_article_support import parsed_article, store_with

LONG = [
    (f"Paragraph {i} says something long enough to wrap around an eighty-column line at least once.", None)
    for i in range(60)
]


def cursor_row_on_screen(body) -> bool:  # type: ignore[no-untyped-def]
    _, y = body.wrapped_document.location_to_offset(body.cursor_location)
    return body.scroll_offset.y <= y < body.scroll_offset.y + body.size.height


async def test_jumps_and_line_moves_scroll_the_body_to_the_cursor(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article(LONG))
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        body = screen.body
        assert body.scroll_offset.y == 0
        await pilot.press("G")
        await pilot.pause()
        assert body.scroll_offset.y > 0 and cursor_row_on_screen(body)
        assert "Paragraph 59" in body.document.get_line(body.cursor_location[0])
        await pilot.press("g", "g")
        await pilot.pause()
        assert body.scroll_offset.y == 0 and body.cursor_location == (0, 0)
        await pilot.press("3", "0", "G")
        await pilot.pause()
        assert cursor_row_on_screen(body) and body.scroll_offset.y > 0
        for _ in range(25):
            await pilot.press("j")
        await pilot.pause()
        assert cursor_row_on_screen(body)


async def test_a_pane_opened_below_keeps_the_cursor_in_view(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article(LONG))
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:  # narrow: the pane opens below the body
        screen = await open_article(app, pilot, aid)
        body = screen.body
        await pilot.press("G")
        await pilot.pause()
        assert cursor_row_on_screen(body)
        await pilot.press("H")
        for _ in range(5):
            await pilot.pause()
        assert body.size.height < 18 and cursor_row_on_screen(body)
