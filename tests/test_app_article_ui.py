"""Article-screen items a new user tripped over: the title's ellipsis, pane keys that hide their
pane, the metadata pane's order, and what deleting or untagging a highlight says."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article_support import parsed_article, store_with

from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.settings import Settings

QUICK = ["Loaded_Language", "Doubt", "Flag_Waving"]


def make_app(library) -> ReaderApp:  # type: ignore[no-untyped-def]
    return ReaderApp(library, Settings(annotator="tester", quick_tags=list(QUICK)))


async def open_article(app: ReaderApp, pilot, article_id: str) -> ArticleScreen:  # type: ignore[no-untyped-def]
    app.open_article(article_id)
    await pilot.pause()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    return screen


def notifications(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]  # noqa: SLF001 - no public list of toasts


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_long_article_title_ends_in_an_ellipsis(tmp_path: Path, size) -> None:
    title = "A headline that goes on and on about the council, the budget and the harbour " * 3
    library, (aid,) = store_with(tmp_path / "lib", parsed_article(title=title.strip()))
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await open_article(app, pilot, aid)
        svg_lines = app.export_screenshot().replace("&#160;", " ")
        assert "A headline that goes on" in svg_lines
        shown = app.screen.query_one("#article-title")
        assert shown.region.height == 1
        assert "…" in svg_lines


@pytest.mark.parametrize("key,pane_id", [("m", "#meta-pane"), ("B", "#boiler-pane"), ("H", "#hl-pane")])
async def test_a_pane_key_shows_then_hides_its_pane(tmp_path: Path, key: str, pane_id: str) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        pane = screen.query_one(pane_id)
        await pilot.press(key)
        await pilot.pause()
        assert pane.has_class("-shown") and app.focused is pane
        await pilot.press("tab")  # focus elsewhere: the key still hides the visible pane
        await pilot.press(key)
        await pilot.pause()
        assert not pane.has_class("-shown") and app.focused is screen.body


async def test_article_tags_and_id_lead_the_metadata_pane(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    library.set_article_tags(aid, ["Budget"])
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("m")
        await pilot.pause()
        text = str(screen.query_one("#meta-text").render())
        lines = text.splitlines()
        assert lines[0].startswith("Article tags:") and "Budget" in lines[0]
        assert lines[1] == f"Id: {aid}"
        assert lines[2].startswith("Article note:")
        assert lines[3].startswith("Title:")


async def test_z_gives_the_body_or_the_focused_pane_the_whole_screen(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("m")  # at 80x24 a pane leaves the body only a few lines
        await pilot.pause()
        small = screen.body.region.height
        assert small < 12
        await pilot.press("escape")  # back to the body, the pane stays open
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is screen.body and screen.body.region.height >= 20
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None and screen.body.region.height == small
        pane = screen.query_one("#meta-pane")
        pane.focus()
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is pane and pane.region.height >= 20
        await pilot.press("escape")  # Esc restores the layout before anything else
        await pilot.pause()
        assert screen.maximized is None and app.screen is screen
