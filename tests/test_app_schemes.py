"""Pilot tests of the labelling instrument: the PTC scheme's keys (both layers), the label guideline,
done / next-not-done, the strict picker, the labels view (rename, merge, undo, counts), the work
filters of the library, and the highlights pane's counts."""

from __future__ import annotations

from pathlib import Path

from test_app_article_support import parsed_article, store_with
from textual.widgets import DataTable

from library.annotations.schemes import bundled_scheme
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.label_help import LabelHelpScreen
from reader.app.screens.labels_view import LabelsScreen, NameDialog
from reader.app.screens.library import LibraryScreen
from reader.app.screens.tag_picker import TagPicker
from reader.app.settings import Settings
from reader.app.widgets.article_table import ArticleTable
from reader.app.widgets.legend import Legend, layout, quick_keys
from reader.app.widgets.panes import HighlightsPane

WHATABOUT = "Whataboutism,Straw_Men,Red_Herring"


def three_articles(tmp_path: Path):  # type: ignore[no-untyped-def]
    # distinct bodies, so no article is a duplicate of another
    arts = [
        parsed_article(
            [(f"Story {n}: the council met. Critics called the plan a disaster.", None)],
            title=f"A{n}",
            url=f"https://x/{n}",
        )
        for n in (1, 2, 3)
    ]
    library, ids = store_with(tmp_path / "lib", *arts)
    library.use_scheme(bundled_scheme("ptc"))
    return library, ids


def make_app(library) -> ReaderApp:  # type: ignore[no-untyped-def]
    return ReaderApp(library, Settings(annotator="tester"))


async def loaded(app: ReaderApp, pilot) -> ArticleScreen:  # type: ignore[no-untyped-def]
    """The article screen once its body has loaded (after the first refresh)."""
    await pilot.pause()
    for _ in range(100):
        screen = app.screen
        if isinstance(screen, ArticleScreen) and screen.article is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause()
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


async def test_ptc_second_layer_key_guideline_done_and_next_not_done(tmp_path: Path) -> None:
    library, ids = three_articles(tmp_path)
    library.set_work_state(ids[1], "done")  # the next article in the list is done already
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        order = list(screen.order)
        start = order[0]
        skipped = order[1] if library.work_state(order[1]) == "done" else None
        await pilot.press("g", "enter")
        article = await loaded(app, pilot)
        assert isinstance(article, ArticleScreen) and article.article_id == start
        # every one of the 14 keys is in the legend, at 80x24, in at most three lines
        legend = article.query_one(Legend)
        text = " ".join(legend.render_lines_text(legend.size.width - 2))
        for key in [*"123456789", "`a", "`b", "`t", "`w", "`r"]:
            assert f"{key} " in text
        assert legend.size.height <= 3
        await pilot.press("s", "grave_accent", "w")  # the body reads the leader and the letter
        await pilot.pause()
        (h,) = library.annotations(start).highlights
        assert h.tags == [WHATABOUT]
        await pilot.press("g", "question_mark")  # on the highlight: its guideline
        await pilot.pause()
        assert isinstance(app.screen, LabelHelpScreen)
        shown = str(app.screen.query_one("#label-help").render())
        assert WHATABOUT in shown and "Examples" in shown and "what about" in shown
        await pilot.press("escape")
        assert app.screen is article
        assert library.work_state(start, "tester") == "progress"
        await pilot.press("d")
        await pilot.pause()
        assert library.work_state(start, "tester") == "done"
        await pilot.press("greater_than_sign")
        await pilot.pause()
        nxt = await loaded(app, pilot)
        assert isinstance(nxt, ArticleScreen)
        expected = next(a for a in order[1:] if a != skipped and library.work_state(a) != "done")
        assert nxt.article_id == expected and expected != start
        await pilot.press("d", "d")  # done, then undone again
        await pilot.pause()
        assert library.work_state(expected, "tester") == "new"
        await pilot.press("q")
        await pilot.pause()
        lib_screen = app.screen
        assert isinstance(lib_screen, LibraryScreen)
        heading = str(lib_screen.query_one("#heading").render())
        assert "done 2 of 3" in heading
        table = lib_screen.query_one("#articles", ArticleTable)
        row = table.get_row_at(table.get_row_index(start))
        assert row[-1].plain == "done"  # the Work column


async def test_strict_picker_refuses_a_typo_and_typed_text_comes_first(tmp_path: Path) -> None:
    library, ids = three_articles(tmp_path)
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(ids[0])
        await loaded(app, pilot)
        await pilot.press("s", "enter")  # Enter picks a label by name (t is a find)
        picker = app.screen
        assert isinstance(picker, TagPicker)
        assert picker.suggestions[:3] == ["Loaded_Language", "Name_Calling,Labeling", "Repetition"]
        await pilot.press(*"namecalling")  # fuzzy: the letters in order
        assert picker.suggestions == ["Name_Calling,Labeling"]
        await pilot.press("ctrl+u", *"Propaganda", "enter")
        await pilot.pause()
        assert app.screen is picker  # refused, with the reason on the screen
        error = str(picker.query_one("#picker-error").render())
        assert "“Propaganda” is not in the strict scheme ptc" in error
        await pilot.press("ctrl+u", *"Name", "question_mark")
        await pilot.pause()
        assert isinstance(app.screen, LabelHelpScreen)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert [h.tags for h in library.annotations(ids[0]).highlights] == [["Name_Calling,Labeling"]]


async def test_open_scheme_exact_match_and_new_label(tmp_path: Path) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    library.use_scheme(bundled_scheme("factcheck"))
    library.add_highlight(aid, 60, 70, tags=["Name_Calling"])
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(aid)
        await loaded(app, pilot)
        await pilot.press("s", "enter", *"Name", "enter")  # typed text, not the near match
        await pilot.pause()
        assert ["Name"] in [h.tags for h in library.annotations(aid).highlights]
        await pilot.press("p", "enter", *"claim")  # the same letters as a scheme label: that label
        picker = app.screen
        assert isinstance(picker, TagPicker) and picker.highlighted_label == "Claim"
        await pilot.press("escape")


async def test_labels_view_rename_merge_undo_and_find(tmp_path: Path) -> None:
    library, ids = three_articles(tmp_path)
    library.use_scheme(None)  # open: a typo made a near-duplicate label
    library.add_highlight(ids[0], 0, 5, tags=["Name_Calling"])
    library.add_highlight(ids[1], 0, 5, tags=["Name_Calling,Labeling"])
    library.add_highlight(ids[1], 6, 12, tags=["Name_Calling"])
    app = make_app(library)

    def counts() -> dict[str, tuple[int, int]]:
        return {u.name: (u.spans, u.articles) for u in library.label_usage()}

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("L")
        view = app.screen
        assert isinstance(view, LabelsScreen)
        table = view.query_one(DataTable)
        assert [str(table.get_row(k)[2]) for k in ("Name_Calling", "Name_Calling,Labeling")] == ["2", "1"]
        table.move_cursor(row=table.get_row_index("Name_Calling"))
        await pilot.press("r")
        assert isinstance(app.screen, NameDialog)
        assert "(2 span(s) in 2 article(s))" in str(app.screen.query_one(".dialog-title").render())
        await pilot.press("ctrl+u", *"Labeling", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert counts() == {"Labeling": (2, 2), "Name_Calling,Labeling": (1, 1)}
        assert str(table.get_row("Labeling")[2]) == "2"
        await pilot.press("u")  # one undo: the whole rename
        await pilot.pause()
        assert counts() == {"Name_Calling": (2, 2), "Name_Calling,Labeling": (1, 1)}
        table.move_cursor(row=table.get_row_index("Name_Calling"))
        await pilot.press("M")
        picker = app.screen
        assert isinstance(picker, TagPicker) and picker.suggestions == ["Name_Calling,Labeling"]
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert counts() == {"Name_Calling,Labeling": (3, 2)}
        assert library.annotations(ids[1]).highlights[1].tags == ["Name_Calling,Labeling"]
        table.move_cursor(row=table.get_row_index("Name_Calling,Labeling"))
        await pilot.press("enter")  # the articles that use it
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert sorted(screen.order) == sorted(ids[:2])
        assert "filter: tag=Name_Calling,Labeling" in str(screen.query_one("#criteria").render())
        await pilot.press("u")
        await pilot.pause()
        assert counts() == {"Name_Calling": (2, 2), "Name_Calling,Labeling": (1, 1)}


async def test_library_filter_by_state_and_annotator(tmp_path: Path) -> None:
    library, ids = three_articles(tmp_path)
    library.set_work_state(ids[0], "done")
    library.set_work_state(ids[1], "done", annotator="ben")
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert "done 1 of 3" in str(screen.query_one("#heading").render())
        await pilot.press("f")
        dialog = app.screen
        dialog.query_one("#state").value = "done"
        await pilot.click("#apply")
        await pilot.pause()
        assert screen.order == [ids[0]]
        await pilot.press("escape")
        await pilot.press("f")
        dialog = app.screen
        dialog.query_one("#state").value = "done"
        dialog.query_one("#annotator").value = "ben"
        await pilot.click("#apply")
        await pilot.pause()
        assert screen.order == [ids[1]]
        assert "by=ben state=done" in str(screen.query_one("#criteria").render())


async def test_highlights_pane_counts_labels_and_keeps_them_visible(tmp_path: Path) -> None:
    long_text = "A very long quoted passage " * 20
    library, (aid,) = store_with(tmp_path / "lib", parsed_article([(long_text.strip(), None)]))
    library.use_scheme(bundled_scheme("ptc"))
    library.add_highlight(aid, 0, len(long_text.strip()), tags=["Doubt"])
    library.add_highlight(aid, 0, 6, tags=["Doubt", "Slogans"])
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_article(aid)
        await loaded(app, pilot)
        pane = app.screen.query_one(HighlightsPane)
        first = str(pane.get_option_at_index(0).prompt)
        assert "Doubt" in first and "2" in first and "Slogans" in first
        for index in (1, 2):
            prompt = str(pane.get_option_at_index(index).prompt)
            assert prompt.split("\n")[0].strip().startswith("Doubt") or "Doubt" in prompt.split("\n")[0]
            assert len(prompt.split("\n")[1]) <= 90  # the quote is cut, the labels stay in view


def test_legend_layout_fits_every_key_and_marks_shortened_names() -> None:
    keys = quick_keys(bundled_scheme("ptc"), [])
    limit, lines = layout(keys, 76)
    assert sum(len(line) for line in lines) == 14 and len(lines) <= 3
    assert limit < max(len(k.label) for k in keys)  # shortened, and then drawn with "…"
    wide_limit, wide = layout(keys, 200)
    assert wide_limit == max(len(k.label) for k in keys) and len(wide) <= 3


def test_legend_says_how_many_keys_it_cannot_show() -> None:
    from library.annotations.schemes import parse_scheme
    from reader.app.widgets.legend import fit, more_sign

    scheme = parse_scheme('name = "big"\n' + "".join(f'[[label]]\nname = "Label_{n}"\n' for n in range(61)))
    keys = quick_keys(scheme, [])
    limit, lines, hidden = fit(keys, 76)
    assert len(lines) == 3 and hidden == 61 - sum(len(line) for line in lines) > 0
    assert [k.key for line in lines for k in line][:9] == list("123456789")  # the first layer stays in view
    assert len(more_sign(hidden)) < 76


async def test_labels_view_is_in_the_palette_of_the_library(tmp_path: Path) -> None:
    from reader.app.commands import key_actions

    library, _ = three_articles(tmp_path)
    app = make_app(library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        actions = {a.description: a for a in key_actions(app.screen)}
        assert actions["Labels"].keys == ("L",)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Labels")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, LabelsScreen)
