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


async def test_x_on_overlapping_highlights_asks_which_and_names_what_it_deleted(tmp_path: Path) -> None:
    from reader.app.screens.choose_highlight import ChooseHighlight

    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("p", "1")  # the first paragraph: Loaded_Language
        await pilot.press("g", "s", "2")  # its first sentence: Doubt
        await pilot.press("g", "w", "x")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, ChooseHighlight)
        listed = [str(o.prompt) for o in chooser.query_one("#choose-list").options]
        assert listed[0].startswith("1  Doubt “The council met") and listed[1].startswith(
            "2  Loaded_Language"
        )
        await pilot.press("escape")  # nothing is deleted
        await pilot.pause()
        assert app.screen is screen and len(library.annotations(aid).highlights) == 2
        await pilot.press("x", "2")  # the outer one this time
        await pilot.pause()
        assert [h.tags for h in library.annotations(aid).highlights] == [["Doubt"]]
        assert any(
            m.startswith("Highlight deleted: Loaded_Language “The council met on Tuesday")
            and "(u undoes)" in m
            for m in notifications(app)
        )
        await pilot.press("x")  # one left under the cursor: deleted without asking, and named
        await pilot.pause()
        assert library.annotations(aid).highlights == []
        assert any(m.startswith("Highlight deleted: Doubt “The council met") for m in notifications(app))


@pytest.mark.parametrize("setting", ["keep", "delete"])
async def test_removing_the_last_label_with_its_quick_key_says_so_or_deletes(tmp_path: Path, setting) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = ReaderApp(library, Settings(annotator="tester", quick_tags=list(QUICK), last_label_removed=setting))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_article(app, pilot, aid)
        await pilot.press("s", "1")  # highlight the first sentence with Loaded_Language
        await pilot.press("1")  # the new highlight stays selected: the same quick key removes the label
        await pilot.pause()
        highlights = library.annotations(aid).highlights
        if setting == "keep":
            assert [h.tags for h in highlights] == [[]]
            assert any("has no label now" in m for m in notifications(app))
        else:
            assert highlights == []
            assert any(
                m.startswith("Highlight deleted: untagged “The council met")
                and "its last label, Loaded_Language, was removed" in m
                for m in notifications(app)
            )


def test_the_last_label_setting_is_read_from_the_config() -> None:
    assert Settings.from_mapping({"last_label_removed": "delete"}).last_label_removed == "delete"
    bad = Settings.from_mapping({"last_label_removed": "maybe"})
    assert bad.last_label_removed == "keep" and "last_label_removed" in bad.problems[0]
