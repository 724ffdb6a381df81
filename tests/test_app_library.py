"""The library screen, driven by keys through Pilot against a real store."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_data import EVIL_TITLE, make_library
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.screens.filter_dialog import FilterDialog
from reader.app.screens.library import LibraryScreen
from reader.app.settings import Settings
from reader.app.widgets.article_table import ArticleTable

SIZE = (100, 30)


def titles(app: ReaderApp) -> list[str]:
    table = app.screen.query_one("#articles", ArticleTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


def cursor_title(app: ReaderApp) -> str:
    table = app.screen.query_one("#articles", ArticleTable)
    return str(table.get_row_at(table.cursor_row)[0])


def heading(app: ReaderApp) -> str:
    return str(app.screen.query_one("#heading").render())


@pytest.fixture
def lib(tmp_path: Path):
    library = make_library(tmp_path / "lib")
    yield library
    library.close()


async def test_lists_every_article_newest_first(lib) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert titles(app) == [
            "Council approves the harbour budget",
            "Drought hits the valley farms",
            "New library opens downtown",
            "Rail strike ends after talks",
        ]
        row = app.screen.query_one("#articles", ArticleTable).get_row_at(0)
        assert [str(c) for c in row[1:3]] == ["harbour.example", "2024-03-01"]
        assert "4 of 4 articles" in heading(app)


async def test_moving_and_sorting_by_keys(lib) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "j")
        assert cursor_title(app) == "New library opens downtown"
        await pilot.press("k")
        assert cursor_title(app) == "Drought hits the valley farms"
        await pilot.press("G")
        assert cursor_title(app) == "Rail strike ends after talks"
        await pilot.press("g")
        assert cursor_title(app) == "Council approves the harbour budget"
        await pilot.press("G", "o")  # date -> title (A..Z); the top of the new order is shown
        assert titles(app)[0] == "Council approves the harbour budget"
        assert titles(app)[-1] == "Rail strike ends after talks"
        assert "sort: title" in heading(app)
        assert cursor_title(app) == "Council approves the harbour budget"
        await pilot.press("O")
        assert titles(app)[0] == "Rail strike ends after talks"
        assert cursor_title(app) == "Rail strike ends after talks"
        await pilot.press("o")  # site
        assert [t for t in titles(app)][0] == "New library opens downtown"  # city.example


async def test_full_text_search_counts_and_escape_clears(lib) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert app.screen.query_one("#search", Input).has_focus
        await pilot.press(*"harbour", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # "harbour" is in one title and in another article's body
        assert sorted(titles(app)) == ["Council approves the harbour budget", "New library opens downtown"]
        assert "2 found" in str(app.screen.query_one("#criteria").render())
        await pilot.press("escape")
        assert len(titles(app)) == 4
        assert not app.screen.query_one("#criteria").display


async def test_filters_by_tag_site_date_and_read_state(lib) -> None:
    by_title = {s.meta.title: s.id for s in lib.summaries()}
    lib.set_article_tags(by_title["Rail strike ends after talks"], ["Labour"])
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert isinstance(app.screen, FilterDialog)
        await pilot.press(*"lab", "right", "enter")  # completes the existing tag "Labour"
        assert titles(app) == ["Rail strike ends after talks"]
        assert "tag=Labour" in str(app.screen.query_one("#criteria").render())
        await pilot.press("escape")  # clears the filters
        assert len(titles(app)) == 4

        await pilot.press("f", "tab", *"harbour.example", "enter")
        assert sorted(titles(app)) == ["Council approves the harbour budget", "Rail strike ends after talks"]
        await pilot.press("escape")

        await pilot.press("f", "tab", "tab", *"2024-01", "tab", *"2024-02", "enter")
        assert titles(app) == ["Drought hits the valley farms", "New library opens downtown"]
        await pilot.press("escape")

        # mark the first row read with `m`; then show unread only
        await pilot.press("g", "m")
        assert lib.summary(by_title["Council approves the harbour budget"]).read
        assert str(app.screen.query_one("#articles", ArticleTable).get_row_at(0)[5]) == "✓"
        app.screen.action_filter()
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#read").value = "unread"
        await pilot.click("#apply")
        await pilot.pause()
        assert "Council approves the harbour budget" not in titles(app)
        assert len(titles(app)) == 3


async def test_bad_date_in_filter_is_refused_with_a_message(lib) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "tab", "tab", *"March", "enter")
        assert isinstance(app.screen, FilterDialog)
        assert "YYYY-MM-DD" in str(app.screen.query_one("#filter-error").render())
        await pilot.press("escape")
        assert len(titles(app)) == 4


async def test_returning_from_an_article_refreshes_only_its_row(lib) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        from reader.app.screens.article import ArticleScreen

        assert isinstance(app.screen, ArticleScreen)
        article_id = app.screen.article_id
        assert lib.summary(article_id).meta.title == "Council approves the harbour budget"
        lib.add_highlight(article_id, 0, 10, tags=["Doubt"])
        lib.set_article_tags(article_id, ["Budget"])
        app.pop_screen()
        await pilot.pause()
        row = app.screen.query_one("#articles", ArticleTable).get_row_at(0)
        assert str(row[4]) == "1"
        assert str(row[3]) == "Budget"


async def test_untrusted_title_shows_literally_and_never_acts(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", evil=True)
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.press("o")  # title sort puts "[@click..." first
            shown = [t for t in titles(app) if "click" in t]
            assert shown == [EVIL_TITLE.replace("\x1b", "␛")]
            table = app.screen.query_one("#articles", ArticleTable)
            table.move_cursor(row=titles(app).index(shown[0]))
            await pilot.press("m")  # the notification path
            await pilot.click("#articles", offset=(3, table.cursor_row + 1))
            await pilot.press("x", "b", "enter")
            await pilot.pause()
            assert app.is_running
            svg = app.export_screenshot()
            assert "\x1b" not in svg
            assert "[@click=app.quit]x[/]" in svg.replace("&#160;", " ")
    finally:
        lib.close()


async def test_ten_thousand_articles_load_and_sort(tmp_path: Path) -> None:
    lib = make_library(tmp_path / "lib", count=10_000)
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#articles", ArticleTable)
            assert table.row_count == 10_000
            await pilot.press("o", "G")
            assert cursor_title(app) == "Article 09999"
            assert table.scroll_y > 9_000
            await pilot.press("o", "o")  # a new sort shows its top rows, not the old cursor's place
            await pilot.pause()
            assert table.cursor_row == 0 and table.scroll_y == 0
            assert "sort: highlights" in heading(app)
            assert len(app.screen.query(ArticleTable)) == 1  # one widget, not one per row
    finally:
        lib.close()


def test_columns_fit_their_content_and_the_title_takes_the_rest(tmp_path: Path) -> None:
    from library.model import ArticleSummary, Metadata
    from reader.app.widgets.article_table import MIN_TITLE, fit_widths

    def summary(
        aid: str, meta: Metadata, tags: list[str] | None = None, highlights: int = 0
    ) -> ArticleSummary:
        return ArticleSummary(aid, meta, "text", None, "", 1, 0, 1, tags=tags, highlights=highlights)

    bare = [summary(f"a{i}", Metadata(title="T" * 200)) for i in range(3)]
    for total in (78, 118):
        widths = fit_widths(bare, total)
        # empty Site/Date/Tags columns shrink to their headings; the title gets everything else
        assert (widths["site"], widths["date"], widths["tags"]) == (4, 4, 4)
        assert sum(widths.values()) + 8 == total  # a gap before each of 7 columns and a margin
    full = [
        summary(
            "b",
            Metadata(title="x", site="a-very-long-site-name.example.org", published="2024-01-02"),
            tags=["Labour", "Transport", "Budget", "More"],
            highlights=12,
        )
    ]
    narrow, wide = fit_widths(full, 78), fit_widths(full, 118)
    assert narrow["date"] == wide["date"] == 10 and narrow["highlights"] == 2
    assert narrow["site"] < wide["site"] and narrow["title"] >= MIN_TITLE
    assert fit_widths(full, 40)["title"] == MIN_TITLE  # a tiny screen still shows a title


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_long_title_is_cut_with_an_ellipsis_and_empty_columns_shrink(tmp_path: Path, size) -> None:
    from app_data import article

    from library import Library

    long_title = "A very long title about the council and the harbour budget " * 3
    lib = Library.open(tmp_path / "lib")
    lib.add_articles([article(long_title.strip(), "Body.", site="", date="", n=1)])
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#articles", ArticleTable)
            widths = table.column_widths()
            title_cell = table.render_line(1).text[1 : 1 + widths["title"]]
            assert title_cell.startswith("A very long title about the council") and title_cell.endswith("…")
            assert widths["site"] == len("Site") and widths["tags"] == len("Tags")
            assert widths["title"] >= size[0] - 35  # the Work column takes 5
    finally:
        lib.close()


async def test_phrase_search_shows_snippets_and_opens_at_the_first_match(tmp_path: Path) -> None:
    from app_data import article

    from library import Library
    from reader.app.screens.article import ArticleScreen

    lib = Library.open(tmp_path / "lib")
    lib.add_articles(
        [
            article("Trip report", "We drove for hours. Then we reached Las Vegas at noon.", n=1),
            article("Desert towns", "Vegas is far from Las Cruces.", date="2024-01-03", n=2),
        ]
    )
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("slash", *'"las vegas"', "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert titles(app) == ["Trip report"]
            table = app.screen.query_one("#articles", ArticleTable)
            assert table.row_height == 2
            snippet_line = table.render_line(2).text
            assert "reached Las Vegas at noon" in snippet_line
            await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            assert isinstance(app.screen, ArticleScreen)
            body = app.screen.body
            assert body.body[body.cursor_offset :].startswith("Las Vegas")
            assert app.screen.search_query == "Las Vegas"
            await pilot.press("escape", "escape")  # end the search, back to the list
            await pilot.pause()
            await pilot.press("escape")  # clear the library search: one line per row again
            assert table.row_height == 1 and len(titles(app)) == 2
    finally:
        lib.close()


async def test_tab_back_into_a_filter_field_keeps_its_text(lib) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", *"lab", "tab", "shift+tab", "x")
        assert app.screen.query_one("#tag", Input).value == "labx"
