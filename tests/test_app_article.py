"""Pilot tests of the article screen: keys -> screen -> store, across restarts."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article_support import notifications, parsed_article, store_with

from library import Library
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.confirm import ConfirmScreen
from reader.app.screens.note_dialog import NoteDialog
from reader.app.screens.tag_picker import TagPicker
from reader.app.settings import Settings
from reader.app.widgets.panes import HighlightsPane

QUICK = ["Loaded_Language", "Doubt", "Flag_Waving"]
FIRST_SENTENCE = "The council met on Tuesday to discuss the budget."


def make_app(library: Library) -> ReaderApp:
    return ReaderApp(library, Settings(annotator="tester", quick_tags=list(QUICK)))


async def open_article(app: ReaderApp, pilot, article_id: str) -> ArticleScreen:  # type: ignore[no-untyped-def]
    app.open_article(article_id)
    await pilot.pause()
    for _ in range(100):  # the article is loaded after the first refresh: wait on a busy machine
        if isinstance(app.screen, ArticleScreen) and app.screen.article is not None:
            break
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    for _ in range(100):  # the body loads once the layout has its width: wait for it on a busy machine
        if screen.article is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    return screen


async def test_select_sentence_tag_quit_and_reopen(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("s")
        assert screen.body.selected_text == FIRST_SENTENCE
        await pilot.press("1")  # quick tag 1
        # the second sentence through the picker, with a new tag
        # `)` goes to the next sentence's start and a selection includes the cursor's character,
        # so two steps back end it on the full stop
        await pilot.press("w", "v", ")", "h", "h")
        assert screen.body.selected_text == "Critics called the plan a disaster."
        await pilot.press("enter")  # the picker (t is now the find key)
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"Insult", "enter")
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("q")
    library.close()

    library = Library.open(tmp_path / "lib")
    article = library.article(aid)
    highlights = sorted(library.annotations(aid).highlights, key=lambda h: h.source_start)
    assert [h.tags for h in highlights] == [["Loaded_Language"], ["Insult"]]
    first = highlights[0]
    assert article.source_text[first.source_start : first.source_end] == FIRST_SENTENCE
    body_span = article.source_to_body(first.source_start, first.source_end)
    assert body_span == (0, len(FIRST_SENTENCE))
    second = highlights[1]
    assert (
        article.source_text[second.source_start : second.source_end] == "Critics called the plan a disaster."
    )

    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        marks = sorted((m.start, m.end, m.tag) for m in screen.body.marks)
        assert marks[0] == (0, len(FIRST_SENTENCE), "Loaded_Language")
        assert marks[1][2] == "Insult"
        # the line is drawn with the tag's style
        line = screen.body.get_line(0)
        assert any(span.start == 0 and span.end == len(FIRST_SENTENCE) for span in line.spans)
    library.close()


async def test_flip_boilerplate_block_keeps_highlights_on_their_text(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("s", "2")  # "Doubt" on the first sentence
        assert "By Jane Doe" not in screen.body.body
        await pilot.press("B")  # show and focus the boilerplate pane
        await pilot.pause()
        assert app.focused is screen.query_one("#boiler-pane")
        await pilot.press("f")  # the byline (first boilerplate block) goes into the body
        await pilot.pause()
        assert screen.body.body.startswith("By Jane Doe, staff writer\n\n")
        (mark,) = screen.body.marks
        assert screen.body.body[mark.start : mark.end] == FIRST_SENTENCE
        assert library.annotations(aid).flips == {0: True}
        # In the body, X marks the paragraph under the cursor as boilerplate (f there is find).
        await pilot.press("escape")  # back to the body
        assert app.focused is screen.body
        await pilot.press("G")
        await pilot.press("X")
        await pilot.pause()
        assert "The vote is expected" not in screen.body.body
        (mark,) = screen.body.marks
        assert screen.body.body[mark.start : mark.end] == FIRST_SENTENCE
        # undo (app key u) brings the paragraph back
        await pilot.press("u")
        await pilot.pause()
        assert "The vote is expected" in screen.body.body
    library.close()


async def test_undo_redo_across_restart(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("s", "1")
        assert len(screen.body.marks) == 1
        await pilot.press("u")
        await pilot.pause()
        assert screen.body.marks == []
        assert library.annotations(aid).highlights == []
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert len(screen.body.marks) == 1
    library.close()

    library = Library.open(tmp_path / "lib")
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        assert len(screen.body.marks) == 1
        await pilot.press("u")
        await pilot.pause()
        assert screen.body.marks == []
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert [m.tag for m in screen.body.marks] == ["Loaded_Language"]
    assert [h.tags for h in library.annotations(aid).highlights] == [["Loaded_Language"]]
    library.close()


async def test_search_within_article_then_n_is_note_again(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        body = screen.body.body
        starts = [i for i in range(len(body)) if body.lower().startswith("the plan", i)]
        assert len(starts) >= 4
        await pilot.press("slash", *"the plan", "enter")
        await pilot.pause()
        assert screen.search_query == "the plan"
        assert screen.body.cursor_offset == starts[0]
        await pilot.press("n")
        assert screen.body.cursor_offset == starts[1]
        await pilot.press("n", "N")
        assert screen.body.cursor_offset == starts[1]
        await pilot.press("N")
        assert screen.body.cursor_offset == starts[0]
        await pilot.press("N")  # wraps around
        assert screen.body.cursor_offset == starts[-1]
        assert not isinstance(app.screen, NoteDialog)
        await pilot.press("escape")  # ends the search
        assert screen.search_query == ""
        await pilot.press("n")  # now n is "note" (the article note, nothing is selected)
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"worth a follow-up", "enter")
        await pilot.pause()
        assert library.annotations(aid).note == "worth a follow-up"


async def test_tag_picker_completes_existing_tags_and_creates_new(tmp_path: Path) -> None:
    other = parsed_article([("Another text about farming policy.", None)], title="Other", url="https://x/2")
    library, (aid, other_id) = store_with(tmp_path / "lib", parsed_article(), other)
    library.add_highlight(other_id, 0, 7, tags=["Whataboutism"])
    library.set_article_tags(other_id, ["economy"])
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("s", "enter")
        picker = app.screen
        assert isinstance(picker, TagPicker)
        assert {"Whataboutism", "economy", "Loaded_Language"} <= set(picker.suggestions)
        await pilot.press(*"what")
        assert picker.suggestions == ["Whataboutism"]
        assert picker.highlighted_label == "what"  # the first row is what was typed: "+ new label"
        await pilot.press("down")  # a near match applies only when picked
        assert picker.highlighted_label == "Whataboutism"
        await pilot.press("enter")
        await pilot.pause()
        assert [h.tags for h in library.annotations(aid).highlights] == [["Whataboutism"]]
        # a prefix of an existing tag: Enter applies what was typed, "+ new label: econ"
        await pilot.press("p", "enter", *"econ")
        picker = app.screen
        assert isinstance(picker, TagPicker)
        assert picker.suggestions == ["economy"]
        await pilot.press("enter")
        await pilot.pause()
        tags = sorted(t for h in library.annotations(aid).highlights for t in h.tags)
        assert tags == ["Whataboutism", "econ"]
        assert app.screen is screen


async def test_overlapping_highlights_are_both_listed_under_cursor(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("p", "1")  # whole first paragraph: Loaded_Language
        await pilot.press("g", "s", "2")  # first sentence inside it: Doubt
        await pilot.press("g", "w")
        assert len(screen.body.marks) == 2
        status = str(screen.query_one("#status").render())
        assert "2 overlapping" in status and "Loaded_Language" in status and "Doubt" in status
        pane = screen.query_one(HighlightsPane)
        prompts = [str(o.prompt) for o in pane.options]
        assert sum("▶ under cursor" in p for p in prompts) == 2
        # overlap is drawn bold+underlined, not by colour alone
        line = screen.body.get_line(0)
        assert any(s.style.bold and s.style.underline for s in line.spans if hasattr(s.style, "bold"))
        # x asks which of the two under the cursor; the first listed is the innermost
        await pilot.press("x")
        await pilot.pause()
        from reader.app.screens.choose_highlight import ChooseHighlight

        assert isinstance(app.screen, ChooseHighlight)
        await pilot.press("enter")
        await pilot.pause()
        assert [h.tags for h in library.annotations(aid).highlights] == [["Loaded_Language"]]
        prompts = [str(o.prompt) for o in pane.options]
        assert sum("▶ under cursor" in p for p in prompts) == 1
        # Enter in the highlights pane jumps to the highlight
        await pilot.press("G")
        await pilot.press("H")  # shown at this width: H hides it
        await pilot.pause()
        assert not pane.has_class("-shown")
        await pilot.press("H")  # and shows and focuses it again
        await pilot.pause()
        assert app.focused is pane
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is screen.body
        assert screen.body.cursor_offset == 0


async def test_tag_all_occurrences_confirmed_one_by_one(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("slash", *"the plan", "enter", "escape")  # cursor on the first "the plan"
        await pilot.press("v", "e", "e")
        assert screen.body.selected_text == "the plan"
        await pilot.press("asterisk")
        assert isinstance(app.screen, TagPicker)
        await pilot.press(*"Repetition", "enter")
        await pilot.pause()
        answers = []
        while isinstance(app.screen, ConfirmScreen):
            start, end = screen.body.selection_offsets
            assert screen.body.body[start:end].lower() == "the plan"  # shown in the body
            box = app.screen.query_one("Vertical").region  # the question never covers it
            assert not box.y <= screen.body.cursor_screen_offset.y < box.y + box.height
            answer = "y" if len(answers) % 2 == 0 else "n"
            answers.append((start, answer))
            await pilot.press(answer)
            await pilot.pause()
        assert len(answers) == 4
        article = library.article(aid)
        tagged = sorted(
            article.source_to_body(h.source_start, h.source_end)[0]
            for h in library.annotations(aid).highlights
            if h.tags == ["Repetition"]
        )
        first = screen.body.body.lower().index("the plan")
        assert tagged == sorted([first] + [s for s, a in answers if a == "y"])


async def test_tag_all_before_the_article_is_loaded_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen has no view of the article until its first load (after the first refresh);
    `*` pressed before it is dropped, like every key that needs the view
    (tests/test_app_keys_before_load.py): no picker, no question, nothing saved."""
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    monkeypatch.setattr(ArticleScreen, "_first_load", lambda self: None)  # the load never comes
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(aid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.view is None
        await pilot.press("v", "l", "asterisk")
        await pilot.pause()
        assert app.screen is screen  # no picker, no question, no crash
        assert "Select text (or stand on a highlight) first." not in notifications(app)
        assert library.annotations(aid).highlights == []


async def test_notes_on_selection_and_highlight_and_reading_position(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("s", "n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"first note", "enter")
        await pilot.pause()
        (h,) = library.annotations(aid).highlights
        assert h.note == "first note" and h.tags == []
        await pilot.press("g", "n")  # on the highlight: edit its note
        await pilot.press("ctrl+u", *"edited", "enter")
        await pilot.pause()
        assert library.annotations(aid).highlights[0].note == "edited"
        await pilot.press("G")
        end = screen.body.cursor_offset
        assert end == len(screen.body.body) - 1  # G: on the last character, as in vi
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, ArticleScreen)
    state = library.annotations(aid)
    assert state.position == end and state.read
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_article(app, pilot, aid)
        assert screen.body.cursor_offset == end


HOSTILE = "[@click=app.quit]Click me[/] [b]bold[/b] \x1b[31mred\x1b]0;pwned\x07 \u202eevil\u202c \x00nul"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_hostile_text_is_shown_literally_and_triggers_nothing(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    paragraphs = [
        (f"Byline {HOSTILE}", "byline/metadata line"),
        (f"Body starts. {HOSTILE} Body ends.", None),
        ("Second [link](#) paragraph.\u2028Still second.", None),
    ]
    article = parsed_article(
        paragraphs, title=f"Title {HOSTILE}", site="[red]site[/red]", url="[@click=app.quit]"
    )
    library, (aid,) = store_with(tmp_path / "lib", article)
    library.add_highlight(
        aid, 0, 6, tags=["[@click=app.quit]"], note=HOSTILE
    )  # in the byline: outside the body
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        screen = await open_article(app, pilot, aid)
        await pilot.press("m", "B")
        if not screen.query_one("#hl-pane").has_class("-shown"):  # wide screens show it already
            await pilot.press("H")
        await pilot.click("#body", offset=(2, 1))
        await pilot.press("j", "s", "1", "enter", *"[b]x[/b]", "enter")
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert screen.body.body.count("\n") == 2  # the U+2028 did not split a line
        svg = app.export_screenshot()
        assert "\x1b" not in svg and "\x00" not in svg and "\u202e" not in svg and "\x07" not in svg
        assert "[@click=app.quit]Click" in svg.replace("&#160;", " ")
        assert "[b]bold[/b]" in svg.replace("&#160;", " ")
        assert "outside the body" in svg.replace("&#160;", " ")
        tags = {t for h in library.annotations(aid).highlights for t in h.tags}
        assert "[b]x[/b]" in tags
    assert not app.is_running
