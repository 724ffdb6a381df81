"""Pilot tests of the annotator view: another annotator's highlights beside yours (issue 4)."""

from __future__ import annotations

from pathlib import Path

from test_app_article_support import notifications, parsed_article, store_with

from library import Library
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.settings import Settings
from reader.app.widgets.body import TAG_PALETTE, UNTAGGED, other_style, tag_style
from reader.app.widgets.panes import HighlightsPane

FIRST_SENTENCE = "The council met on Tuesday to discuss the budget."
CRITICS = "Critics called the plan a disaster."


def _store(tmp_path: Path, *others: str) -> tuple[Library, str]:
    """Your highlight on the first sentence; each name in `others` highlights CRITICS."""
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    article = library.article(aid)
    mine = article.body_to_source(0, len(FIRST_SENTENCE))
    start = article.body.index(CRITICS)
    theirs = article.body_to_source(start, start + len(CRITICS))
    assert mine is not None and theirs is not None
    library.add_highlight(aid, *mine, tags=["Doubt"])
    for name in others:
        library.annotator = name
        library.add_highlight(aid, *theirs, tags=["Loaded_Language"], note=f"{name} thinks so")
    library.annotator = "tester"
    return library, aid


def _app(library: Library) -> ReaderApp:
    return ReaderApp(library, Settings(annotator="tester", quick_tags=["Loaded_Language", "Doubt"]))


async def _open(app: ReaderApp, pilot, aid: str) -> ArticleScreen:  # type: ignore[no-untyped-def]
    app.open_article(aid)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    for _ in range(100):  # the body loads once the layout has its width: wait for it on a busy machine
        if screen.article is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    return screen


def _pane_text(screen: ArticleScreen) -> str:
    pane = screen.query_one(HighlightsPane)
    return "\n".join(str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count))


def _status(screen: ArticleScreen) -> str:
    return str(screen.query_one("#status").render())


def _styles_at(screen: ArticleScreen, offset: int) -> list:
    row, col = screen.body.index.to_location(offset)
    line = screen.body.get_line(row)
    return [span.style for span in line.spans if span.start <= col < span.end]


async def test_other_annotator_hidden_then_shown_and_protected(tmp_path: Path) -> None:
    library, aid = _store(tmp_path, "ben")
    before = [h.to_json() for h in library.annotations(aid).highlights]
    critics = library.article(aid).body.index(CRITICS)
    app = _app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(app, pilot, aid)
        # by default only your highlight is drawn and listed
        assert [(m.start, m.mine) for m in screen.body.marks] == [(0, True)]
        assert _styles_at(screen, critics + 2) == []
        assert "ben" not in _pane_text(screen)
        assert "showing: you (A)" in _status(screen)

        await pilot.press("A")
        marks = sorted((m.start, m.end, m.mine) for m in screen.body.marks)
        assert marks == [(0, len(FIRST_SENTENCE), True), (critics, critics + len(CRITICS), False)]
        styles = _styles_at(screen, critics + 2)
        assert other_style("Loaded_Language") in styles
        assert all(s.bgcolor is None and s.underline for s in styles)  # no fill: not colour alone
        assert tag_style("Doubt") in _styles_at(screen, 2)  # yours still filled
        assert "ben: " in _pane_text(screen) and "Loaded_Language" in _pane_text(screen)
        assert "showing: you + ben" in _status(screen)

        # under-cursor marking works for ben's highlight too
        screen.body.move_to_offset(critics + 2, select=False)
        await pilot.pause()
        assert screen._under_cursor_ids() == {
            h.id for h in library.annotations(aid).highlights if h.annotator == "ben"
        }
        assert "▶ under cursor" in _pane_text(screen)
        assert "ben: " in _status(screen)

        # your keys never change ben's highlight
        for key in ("x", "n", "enter"):  # delete, note, pick a label
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen
        assert [h.to_json() for h in library.annotations(aid).highlights] == before
        assert any("belongs to ben" in m for m in notifications(app))

        # one other annotator: yours + all -> back to yours only
        await pilot.press("A")
        assert [m.start for m in screen.body.marks] == [0]
        assert "ben" not in _pane_text(screen)
    library.close()


async def test_cycle_through_each_annotator_and_delete_only_yours(tmp_path: Path) -> None:
    library, aid = _store(tmp_path, "ben", "carol")
    app = _app(library)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(app, pilot, aid)
        seen = []
        for _ in range(4):
            await pilot.press("A")
            names = sorted(
                {
                    h.annotator
                    for h in screen.annotations.highlights
                    if h.id in {m.id for m in screen.body.marks}
                }
            )
            seen.append((screen.view_label(), names))
        assert seen == [
            ("you + ben, carol", ["ben", "carol", "tester"]),
            ("you + ben", ["ben", "tester"]),
            ("you + carol", ["carol", "tester"]),
            ("you", ["tester"]),
        ]
        # x on your own highlight still deletes it
        screen.body.move_to_offset(2, select=False)
        await pilot.press("x")
        await pilot.pause()
        assert sorted(h.annotator for h in library.annotations(aid).highlights) == ["ben", "carol"]
    library.close()


def test_palette_is_distinct_and_uses_pure_ink() -> None:
    backgrounds = [bg for _, bg in TAG_PALETTE]
    assert len(set(backgrounds)) == len(TAG_PALETTE) == 10
    assert UNTAGGED[1] not in backgrounds
    # dark ink on light fills, light ink on the dark ANSI fills (red, blue, magenta)
    for fg, bg in TAG_PALETTE:
        assert fg == ("#ffffff" if bg in ("red", "blue", "magenta") else "#000000"), (fg, bg)


def test_annotators_key_is_a_listed_binding() -> None:
    (binding,) = [b for b in ArticleScreen.BINDINGS if getattr(b, "id", None) == "article.annotators"]
    assert (binding.key, binding.action, binding.description) == ("A", "annotators", "Other annotators")
