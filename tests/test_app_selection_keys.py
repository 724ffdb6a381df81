"""Pilot tests of the selection grammar in the article body: each motion, text object, count,
`.` repeat, search extending a selection, `n` during a search, and where the cursor is after a label."""

from __future__ import annotations

from pathlib import Path

from test_app_article_support import notifications, parsed_article, store_with

from library import Library
from reader.app.app import ReaderApp
from reader.app.grammar import Cursor
from reader.app.screens.article import ArticleScreen
from reader.app.screens.note_dialog import NoteDialog
from reader.app.settings import Settings
from reader.app.widgets.body import CURSOR_STYLE, SELECTION_STYLE

P1 = "The mayor said “the plan (a big one) was fair” today. Critics disagreed, loudly. Nobody knows."
P2 = "A second paragraph here. It has two sentences."
QUICK = ["Loaded_Language", "Doubt", "Flag_Waving"] + [f"Label_{i}" for i in range(4, 15)]


def _app(library: Library) -> ReaderApp:
    return ReaderApp(library, Settings(annotator="tester", quick_tags=list(QUICK)))


class _Session:
    def __init__(self, tmp_path: Path) -> None:
        self.library, (self.aid,) = store_with(tmp_path / "lib", parsed_article([(P1, None), (P2, None)]))
        self.app = _app(self.library)

    async def open(self, pilot) -> ArticleScreen:  # type: ignore[no-untyped-def]
        self.app.open_article(self.aid)
        await pilot.pause()
        screen = self.app.screen
        assert isinstance(screen, ArticleScreen)
        for _ in range(100):
            if screen.article is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        return screen

    def stored(self) -> list[tuple[str, list[str]]]:
        article = self.library.article(self.aid)
        return sorted(
            (article.source_text[h.source_start : h.source_end], h.tags)
            for h in self.library.annotations(self.aid).highlights
        )


BODY = P1 + "\n\n" + P2

# keys from the article's start -> the text then selected (both end characters included)
SELECTIONS = [
    (["v", "e"], "The"),
    (["v", "3", "e"], "The mayor said"),  # a count before the selection's first motion
    (["3", "w", "v", "e"], "“the"),  # punctuation is a word of its own
    (["w", "v", "w"], "mayor s"),
    (["v", "2", "w", "b"], "The m"),
    (["v", "W", "W", "h"], "The mayor "),
    (["v", "E"], "The"),
    (["v", ")", "h", "h"], "The mayor said “the plan (a big one) was fair” today."),
    ([")", "v", ")", "("], "C"),
    (["v", "}"], P1),
    (["G", "v", "{"], P2),
    (["w", "v", "$"], P1[4:]),
    (["$", "v", "0"], P1),
    (["w", "v", "^"], "The m"),
    (["G", "v", "g"], BODY),
    (["v", "f", ","], "The mayor said “the plan (a big one) was fair” today. Critics disagreed,"),
    (["v", "t", ","], "The mayor said “the plan (a big one) was fair” today. Critics disagreed"),
    (["v", "f", "a", ";"], "The mayor sa"),
    (["v", "2", "f", "a", ","], "The ma"),
    (["$", "v", "F", "C"], "Critics disagreed, loudly. Nobody knows."),
    (["v", "l", "l", "h"], "Th"),
    (["r", "p", "l", "v", "e"], "plan"),  # r + two characters: to where they occur together
    (["v", "r", "p", "l"], "The mayor said “the p"),  # inside a selection r moves its end
    (["2", "r", "a", "i", "v", "e"], "air"),  # the second "ai" (said, f-ai-r)
    (["r", "a", "i", ";", "v", "e"], "air"),  # ; repeats the jump
    (["r", "a", "i", ";", ",", "v", "e"], "aid"),  # , repeats it backwards
    (["2", "G", "v", "2", "e"], "A second paragraph"),  # 2G: the second paragraph's start
    (["9", "G", "v", "e"], "A second"),  # beyond the last paragraph: the last one
    (["v", "j"], None),  # a screen line down: checked below by length only
    (["w", "i", "w"], "mayor"),
    (["w", "a", "w"], "mayor "),
    (["w", "2", "i", "w"], "mayor said"),
    (["w", "i", "W"], "mayor"),
    (["i", "s"], "The mayor said “the plan (a big one) was fair” today."),
    (["a", "s"], "The mayor said “the plan (a big one) was fair” today. "),
    (["s"], "The mayor said “the plan (a big one) was fair” today."),
    (["i", "p"], P1),
    (["a", "p"], P1 + "\n\n"),
    (["p"], P1),
    (["f", "p", "i", '"'], "the plan (a big one) was fair"),
    (["f", "p", "a", '"'], "“the plan (a big one) was fair”"),
    (["f", "b", "i", "("], "a big one"),
    (["f", "b", "a", "("], "(a big one)"),
    (["f", "b", "i", "b"], "a big one"),
    # iw selects "The" with the cursor on its "e"; o puts the cursor on "T"; w takes it to "mayor",
    # so the selection now runs from the old end ("e") to "m"
    (["i", "w", "o", "w"], "e m"),
]


async def test_each_motion_and_text_object_selects_what_vi_selects(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        body = screen.body
        for keys, want in SELECTIONS:
            body.grammar.reset()
            body.set_cursor(Cursor(0))  # each from the article's start
            await pilot.press(*keys)
            await pilot.pause()
            assert body.has_selection, keys
            if want is None:
                start, end = body.selection_offsets
                assert end - start > 20, keys  # one wrapped screen line down
                continue
            assert body.selected_text == want, keys
            # the status line tells the truth about the length
            assert f"SELECT {len(want)} chars" in str(screen.query_one("#status").render()), keys
        assert session.stored() == []  # no key of these labelled anything


async def test_digits_are_counts_then_labels_and_the_highlight_stays_selected(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        await pilot.press("v", "3")
        assert "3" in str(screen.query_one("#status").render())  # the pending count is shown
        await pilot.press("e", "2")  # count 3 before the first motion, then label key 2
        await pilot.pause()
        assert session.stored() == [("The mayor said", ["Doubt"])]
        # the cursor stays inside the new highlight, still selected: a digit adds a label
        body = screen.body
        assert body.selected_text == "The mayor said"
        assert any(m.start == 0 for m in body.marks_at(body.cursor_offset))
        await pilot.press("1")
        await pilot.pause()
        assert session.stored() == [("The mayor said", ["Doubt", "Loaded_Language"])]
        # x acts on it (the highlight under the cursor)
        await pilot.press("x")
        await pilot.pause()
        assert session.stored() == []
        # the next motion starts afresh: `w v e` selects one word, not an extension
        await pilot.press("w", "v", "e")
        assert body.selected_text == "“the"


async def test_leader_then_a_letter_labels_beyond_the_ninth(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        assert "`e" in str(screen.query_one("#legend").render())  # label 14 in the legend
        await pilot.press("i", "w", "grave_accent", "e")
        await pilot.pause()
        assert session.stored() == [("The", ["Label_14"])]


async def test_dot_repeats_the_last_label_on_the_current_selection(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        await pilot.press("i", "w", "3")
        await pilot.press("G", "b", "i", "w", "full_stop")
        await pilot.pause()
        assert session.stored() == [("The", ["Flag_Waving"]), ("sentences", ["Flag_Waving"])]
        assert screen.body.selected_text == "sentences"


async def test_dot_with_nothing_to_repeat_says_so(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        await session.open(pilot)
        await pilot.press("i", "w", "full_stop")
        await pilot.pause()
        assert session.stored() == []
        assert any("Nothing to repeat" in m for m in notifications(session.app))


async def test_search_inside_a_selection_extends_it(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        await pilot.press("v", "slash", *"critics", "enter")
        await pilot.pause()
        body = screen.body
        assert body.has_selection
        assert body.selected_text == P1[: P1.index("Critics") + 1]
        await pilot.press("e", "1")
        await pilot.pause()
        assert session.stored() == [(P1[: P1.index("Critics") + 7], ["Loaded_Language"])]


async def test_n_during_a_search_notes_a_selection_and_moves_without_one(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        await pilot.press("slash", *"the", "enter")
        await pilot.pause()
        first = screen.body.cursor_offset
        await pilot.press("n")  # nothing selected: the next match
        assert screen.body.cursor_offset > first
        await pilot.press("v", "e", "n")  # a selection: n is Note on it, the selection kept
        await pilot.pause()
        assert isinstance(session.app.screen, NoteDialog)
        await pilot.press(*"why", "enter")
        await pilot.pause()
        (h,) = session.library.annotations(session.aid).highlights
        assert h.note == "why"


async def test_cursor_and_selection_are_drawn_apart_from_highlights(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        await pilot.press("i", "w", "1", "w", "v", "e")
        await pilot.pause()
        body = screen.body
        line = body.get_line(0)

        def styles(col: int) -> list:
            return [s.style for s in line.spans if s.start <= col < s.end]

        cursor = body.cursor_offset
        assert CURSOR_STYLE in styles(cursor)
        assert SELECTION_STYLE in styles(cursor - 1) and CURSOR_STYLE not in styles(cursor - 1)
        assert SELECTION_STYLE not in styles(0) and CURSOR_STYLE not in styles(0)  # the highlight
        # at 16 colours the three still differ: grey fill, the tag's fill, and reverse+underline
        assert SELECTION_STYLE.bgcolor is not None and SELECTION_STYLE.bgcolor.name == "bright_black"
        assert CURSOR_STYLE.reverse and CURSOR_STYLE.underline and CURSOR_STYLE.bgcolor is None


async def test_help_screen_documents_the_grammar_and_the_digit_rule(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        await session.open(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(session.app.screen.query_one("#help-grammar").render())
        assert "Digits: counts" in text and "label keys once the selection has moved" in text
        assert "iw aw" in text and "f/t/F" in text
        assert "r + two characters" in text and "12G" in text
        table = session.app.screen.rows  # type: ignore[attr-defined]
        assert any(row[3] == "article.jump_pair" and row[0] == "r" for row in table)


async def test_a_second_search_replaces_the_first_query(tmp_path: Path) -> None:
    """The field opens with the last query selected, so typing replaces it (the keystroke planner
    relies on it: `/the⏎ … /critics⏎` searches for "critics", not "thecritics")."""
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        await pilot.press("slash", *"the", "enter", "slash", *"critics", "enter")
        await pilot.pause()
        assert screen.body.cursor_offset == P1.index("Critics")
        assert screen.search_query == "critics"


async def test_keys_faster_than_messages_keep_the_selection(tmp_path: Path) -> None:
    session = _Session(tmp_path)
    async with session.app.run_test(size=(100, 30)) as pilot:
        screen = await session.open(pilot)
        body = screen.body
        for key in ("v", "e", "w", "e"):  # no pause between keys, as a fast typist in a terminal
            body.feed(key)
        await pilot.pause()
        assert body.selected_text == "The mayor"
