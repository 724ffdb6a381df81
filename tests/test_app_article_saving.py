"""The article screen draws what the store holds: a write that fails leaves screen and disk alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article_support import notifications, parsed_article, store_with

from library import Library
from library.store.annotation_store import AnnotationStore
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.settings import Settings
from reader.app.widgets.panes import HighlightsPane

FIRST_SENTENCE = "The council met on Tuesday to discuss the budget."
CRITICS = "Critics called the plan a disaster."


def _pane_text(screen: ArticleScreen) -> str:
    pane = screen.query_one(HighlightsPane)
    return "\n".join(str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count))


def _status(screen: ArticleScreen) -> str:
    return str(screen.query_one("#status").render())


def _fail_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    def put(self: AnnotationStore, annotations: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AnnotationStore, "put", put)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_failed_save_leaves_the_screen_showing_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]
) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    span = library.article(aid).body_to_source(0, len(FIRST_SENTENCE))
    assert span is not None
    library.tag_span(aid, *span, ["Doubt"])
    app = ReaderApp(library, Settings(annotator="tester", quick_tags=["Loaded_Language", "Doubt"]))
    async with app.run_test(size=size) as pilot:
        app.open_article(aid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        screen.body.move_to_offset(2, select=False)
        await pilot.pause()
        saved_before = app.saved_text  # type: ignore[attr-defined]
        _fail_writes(monkeypatch)

        await pilot.press("1")  # quick tag Loaded_Language on the highlight under the cursor
        await pilot.pause()
        assert [h.tags for h in library.annotations(aid).highlights] == [["Doubt"]]
        assert [h.tags for h in screen.annotations.highlights] == [["Doubt"]]
        assert "Loaded_Language" not in _status(screen) and "Doubt" in _status(screen)
        if screen.query_one(HighlightsPane).display:
            assert "Loaded_Language" not in _pane_text(screen)
        assert any("the disk is full" in m for m in notifications(app))  # the CLI's own words
        assert app.saved_text == saved_before  # type: ignore[attr-defined]  # no "saved" sign

        # a new highlight on a selection: nothing drawn that the disk does not hold
        critics = screen.body.body.index(CRITICS)
        screen.body.select_offsets(critics, critics + len(CRITICS))
        await pilot.press("2")
        await pilot.pause()
        assert len(library.annotations(aid).highlights) == 1
        assert [(m.start, m.tag) for m in screen.body.marks] == [(0, "Doubt")]

        monkeypatch.undo()  # the disk works again: the same key now saves
        screen.body.move_to_offset(2, select=False)
        await pilot.press("1")
        await pilot.pause()
        assert [h.tags for h in library.annotations(aid).highlights] == [["Doubt", "Loaded_Language"]]
        assert [h.tags for h in screen.annotations.highlights] == [["Doubt", "Loaded_Language"]]
        assert "Tag saved" in app.saved_text  # type: ignore[attr-defined]
    library.close()
    with Library.open(tmp_path / "lib", read_only=True) as reopened:
        assert [h.tags for h in reopened.annotations(aid).highlights] == [["Doubt", "Loaded_Language"]]


def _title(screen: ArticleScreen) -> str:
    return str(screen.query_one("#article-title").render())


async def test_article_tag_toggles_and_undo_redraws_from_the_store(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = ReaderApp(library, Settings(annotator="tester", quick_tags=["Loaded_Language"]))
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(aid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        await pilot.press("T", *"Satire", "enter")
        await pilot.pause()
        assert library.annotations(aid).tag_names == ["Satire"] and "[Satire]" in _title(screen)
        assert [(t.tag, t.annotator) for t in library.annotations(aid).tags] == [("Satire", "tester")]
        await pilot.press("T", *"Satire", "enter")  # the same tag again takes it off
        await pilot.pause()
        assert library.annotations(aid).tag_names == [] and "Satire" not in _title(screen)
        await pilot.press("u")
        await pilot.pause()
        assert library.annotations(aid).tag_names == ["Satire"] and "[Satire]" in _title(screen)
    library.close()


async def test_tag_all_with_failing_writes_tags_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    first = library.quote_anchor(aid, "the plan", 1)
    library.tag_anchor(aid, first, ["Repetition"])
    app = ReaderApp(library, Settings(annotator="tester", quick_tags=["Repetition"]))
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(aid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen)
        start = screen.body.body.index("the plan")
        screen.body.move_to_offset(start + 1, select=False)  # on the highlight: its tags are offered
        await pilot.pause()
        _fail_writes(monkeypatch)
        await pilot.press("asterisk")
        await pilot.pause()
        asked = 0
        while app.screen is not screen:
            asked += 1
            await pilot.press("y")
            await pilot.pause()
        assert asked == len(library.plan_tag_all(aid, *first.span, ["Repetition"])) > 0
        assert len(library.annotations(aid).highlights) == 1
        assert [m.start for m in screen.body.marks] == [start]
        assert any(f"Tagged 0 of {asked} other occurrences." in m for m in notifications(app))
    library.close()
