"""The app shell: welcome and samples, import and export dialogs, undo/redo, help, keymap,
command palette, read-only sessions and settings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_data import make_library
from textual.widgets import Input

from library import Library
from reader.app.app import ReaderApp
from reader.app.screens.export_dialog import ExportDialog
from reader.app.screens.help import HelpScreen
from reader.app.screens.import_dialog import ImportDialog
from reader.app.screens.library import LibraryScreen
from reader.app.screens.welcome import WelcomeScreen
from reader.app.settings import DEFAULT_THEME, Settings
from reader.app.widgets.article_table import ArticleTable

SIZE = (100, 30)


def notifications(app: ReaderApp) -> list[str]:
    return [str(n.message) for n in app._notifications]  # noqa: SLF001 - no public list of toasts


def row_count(app: ReaderApp) -> int:
    return app.screen.query_one("#articles", ArticleTable).row_count


@pytest.fixture
def lib(tmp_path: Path):
    library = make_library(tmp_path / "lib")
    yield library
    library.close()


async def test_empty_store_welcomes_and_one_key_loads_the_samples(tmp_path: Path) -> None:
    from reader.samples import sample_paths

    lib = Library.open(tmp_path / "lib")
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            assert "reader import PATH" in str(app.screen.query_one("#welcome-text").render())
            await pilot.press("s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            assert len(lib) >= len(sample_paths()) - 1
            assert row_count(app) == len(lib)
            assert any(m.startswith("Imported") for m in notifications(app))
            assert app.saved_text.startswith("✓ Imported")
    finally:
        lib.close()


async def test_import_dialog_imports_a_folder_in_a_worker(lib, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "A quiet harbour morning\n\nBoats came in early. Nets dried in the sun.\n"
    )
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        await pilot.press(*str(tmp_path / "missing"), "enter")
        assert "no such file" in str(app.screen.query_one("#import-error").render())
        app.screen.query_one("#import-path", Input).value = str(folder)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert len(lib) == 5
        assert row_count(app) == 5
        assert "Imported 1 article(s)" in notifications(app)


async def test_importing_from_the_welcome_screen_shows_the_library(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_text(f"Harbour story {n}\n\nBoats came in early on day {n}.\n")
    lib = Library.open(tmp_path / "lib")
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WelcomeScreen)
            await pilot.press("i")
            app.screen.query_one("#import-path", Input).value = str(folder)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            assert row_count(app) == 3 and lib.pending_ids() == []
            assert "Imported 3 article(s)" in notifications(app)
    finally:
        lib.close()


async def test_export_dialog_writes_json_and_asks_before_overwriting(lib, tmp_path: Path) -> None:
    article_id = lib.summaries()[0].id
    lib.add_highlight(article_id, 0, 7, tags=["Doubt"])
    out = tmp_path / "out.json"
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value.startswith("./annotations-") and path_input.value.endswith(".json")
        path_input.value = str(out)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, ExportDialog)
        data = json.loads(out.read_text())
        assert [h["tags"] for a in data["articles"] for h in a["highlights"]] == [["Doubt"]]

        # Again to the same file: the first Enter only warns, the second overwrites.
        out.write_text("old")
        await pilot.press("e")
        app.screen.query_one("#export-path", Input).value = str(out)
        await pilot.press("enter")
        await pilot.pause()
        assert "exists" in str(app.screen.query_one("#export-status").render())
        assert out.read_text() == "old"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert json.loads(out.read_text())["articles"]


async def test_export_format_changes_the_suggested_file_name(lib) -> None:
    from datetime import date

    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        app.push_screen(ExportDialog(today=date(2024, 5, 6)))
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == "./annotations-20240506.json"
        app.screen.query_one("#format").value = "csv"
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == "./annotations-20240506.csv"


async def test_undo_and_redo_keys_change_the_store_and_the_list(lib) -> None:
    article_id = lib.summaries()[0].id
    lib.set_article_tags(article_id, ["Budget"])
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#articles", ArticleTable)
        assert str(table.get_row_at(0)[3]) == "Budget"
        await pilot.press("u")
        await pilot.pause()
        assert lib.annotations(article_id).tag_names == []
        assert str(table.get_row_at(0)[3]) == ""
        title = lib.summary(article_id).title
        assert f"Undone in “{title}”: removes tag Budget (Enter opens it)" in notifications(app)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert lib.annotations(article_id).tag_names == ["Budget"]
        assert str(table.get_row_at(0)[3]) == "Budget"
        assert app.saved_text.startswith("✓ Redone")
        assert f"Redone in “{title}”: adds tag Budget (Enter opens it)" in notifications(app)


async def test_undo_names_the_highlight_and_the_article_and_moves_there(lib) -> None:
    summaries = sorted(lib.summaries(), key=lambda s: s.meta.published or "", reverse=True)
    other = summaries[2]  # not the first row
    start = len(other.meta.title or "") + 2  # the body, in the source (see app_data.article)
    hl = lib.add_highlight(other.id, start, start + 15, tags=["Doubt"])
    hl.tags = ["Doubt", "Fear"]
    lib.update_highlight(other.id, hl)
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#articles", ArticleTable)
        assert table.cursor_row == 0
        await pilot.press("u")
        await pilot.pause()
        quote = hl.quote
        assert (
            f"Undone in “{other.meta.title}”: labels “{quote}” Doubt, Fear → Doubt (Enter opens it)"
            in notifications(app)
        )
        assert table.cursor_id == other.id  # Enter opens the article the undo changed
        await pilot.press("u")
        await pilot.pause()
        assert f"Undone in “{other.meta.title}”: removes highlight Doubt “{quote}” (Enter opens it)" in (
            notifications(app)
        )
        from reader.app.screens.article import ArticleScreen

        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen) and app.screen.article_id == other.id


async def test_help_lists_live_bindings_and_a_remapped_key_works(lib) -> None:
    settings = Settings(keymap={"library.sort": "z"})
    app = ReaderApp(lib, settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        rows = {ident: keys for keys, _action, _where, ident in app.screen.rows}
        assert rows["library.sort"] == "z"
        assert rows["app.undo"] == "u"
        assert rows["library.open"] == "⏎"
        assert rows["library.filter"] == "f"
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("z")
        assert "sort: title" in str(app.screen.query_one("#heading").render())
        await pilot.press("o")  # no longer bound
        assert "sort: title" in str(app.screen.query_one("#heading").render())


async def test_command_palette_runs_a_screen_action(lib) -> None:
    from reader.app.screens.filter_dialog import FilterDialog

    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Filter")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)


async def test_read_only_session_shows_a_banner_and_refuses_writes(lib) -> None:
    view = Library.open(lib.path, read_only=True)
    try:
        app = ReaderApp(view, Settings())
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert app.screen.query_one("ReadOnlyBanner").display
            assert "read-only" in app.export_screenshot()
            await pilot.press("m", "u", "i")
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            assert not any(s.read for s in lib.summaries())
            assert any("read-only" in m for m in notifications(app))
    finally:
        view.close()


def test_locked_store_opens_read_only_from_the_command_line(lib) -> None:
    import argparse

    from reader.cli.commands_app import _open_for_app

    second = _open_for_app(argparse.Namespace(db=lib.path))
    try:
        assert second.read_only
        assert any("read-only" in n for n in second.notices)
    finally:
        second.close()


def test_settings_from_config_and_bad_values_become_messages() -> None:
    good = Settings.from_mapping({"quick_tags": ["A", "B"], "theme": "nord", "keymap": {"app.undo": "U"}})
    assert (good.quick_tags, good.theme, good.keymap, good.problems) == (
        ["A", "B"],
        "nord",
        {"app.undo": "U"},
        [],
    )
    bad = Settings.from_mapping({"quick_tags": "A", "theme": 3, "keymap": {"app.undo": 5}})
    assert bad.theme == DEFAULT_THEME
    assert len(bad.problems) == 3


def test_settings_load_reads_the_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_text('annotator = "alice"\nquick_tags = ["X"]\n[keymap]\n"library.sort" = "z"\n')
    monkeypatch.setenv("READER_CONFIG", str(config))
    settings = Settings.load()
    assert (settings.annotator, settings.quick_tags, settings.keymap) == (
        "alice",
        ["X"],
        {"library.sort": "z"},
    )
    config.write_text("not toml [")
    assert "invalid TOML" in Settings.load().problems[0]


async def test_unknown_theme_falls_back_with_a_message(lib) -> None:
    app = ReaderApp(lib, Settings(theme="no-such-theme"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        assert any("unknown theme" in m for m in notifications(app))


@pytest.mark.parametrize("width", [60, 80, 120])
async def test_the_footer_drops_bindings_that_do_not_fit_whole(lib, width: int) -> None:
    from reader.app.widgets.footer import FittingFooter, is_key

    app = ReaderApp(lib, Settings())
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = app.screen.query_one(FittingFooter)
        shown = [key for key in footer.children if is_key(key) and not key.has_class("-command-palette")]
        assert shown, "at least the first keys are shown"
        palette_left = next(k for k in footer.children if k.has_class("-command-palette")).region.x
        assert all(key.region.right <= palette_left for key in shown)  # nothing runs under the palette
        last_line = app.export_screenshot()  # the drawn footer holds each shown key whole
        for key in shown:
            assert key.description.replace(" ", "&#160;") in last_line
        if width == 120:
            assert "Export" in [key.description for key in shown]
        if width == 80:
            assert "Export" not in [key.description for key in shown]


async def test_export_format_is_visible_and_chosen_by_keys_and_enter_exports_it(lib, tmp_path: Path) -> None:
    from textual.widgets import Select

    article_id = lib.summaries()[0].id
    lib.add_highlight(article_id, 0, 7, tags=["Doubt"])
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        dialog = app.screen
        select = dialog.query_one("#format", Select)
        assert select.region.height == 1 and select.region.width > 30  # the format is drawn, not clipped
        assert "JSON — the full export" in app.export_screenshot().replace("&#160;", " ")
        await pilot.press("shift+tab")  # to the format
        assert select.has_focus
        await pilot.press("enter", "down", "enter")  # open the list, one down, choose
        await pilot.pause()
        assert select.value == "jsonl"
        what = str(dialog.query_one("#export-what").render())
        assert what.startswith("Enter exports JSON Lines")
        out = tmp_path / "out.jsonl"
        await pilot.press("tab")
        path = dialog.query_one("#export-path", Input)
        assert path.has_focus and path.value.endswith(".jsonl")
        path.value = str(out)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        lines = out.read_text().splitlines()
        assert lines and all(json.loads(line) for line in lines)  # JSON Lines, as shown


def test_path_completion_completes_unique_names_and_lists_several(tmp_path: Path) -> None:
    from reader.app.screens.import_dialog import complete_path

    (tmp_path / "articles").mkdir()
    (tmp_path / "article-one.txt").write_text("x")
    (tmp_path / "notes.md").write_text("x")
    (tmp_path / ".hidden").write_text("x")
    base = f"{tmp_path}/"
    assert complete_path(base + "no") == (base + "notes.md", ["notes.md"])
    assert complete_path(base + "art") == (base + "article", ["article-one.txt", "articles/"])
    assert complete_path(base + "articles") == (base + "articles/", ["articles/"])
    assert complete_path(base + "zzz") == (base + "zzz", [])
    assert complete_path(base + ".h") == (base + ".hidden", [".hidden"])
    assert ".hidden" not in complete_path(base)[1]
    assert complete_path(str(tmp_path / "missing-dir" / "x")) == (str(tmp_path / "missing-dir" / "x"), [])


async def test_import_dialog_tab_completes_and_tab_back_keeps_the_text(lib, tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "one.txt").write_text(
        "A quiet harbour morning\n\nBoats came in early. Nets dried in the sun.\n"
    )
    (folder / "other.txt").write_text("Another harbour story\n\nThe tide turned at noon today.\n")
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("i")
        path = app.screen.query_one("#import-path", Input)
        await pilot.press(*f"{tmp_path}/inc", "tab")
        assert path.value == f"{folder}/" and path.has_focus
        await pilot.press("o", "tab")  # one.txt and other.txt: completed to "o", both listed
        await pilot.pause()
        choices = app.screen.query_one("#import-choices")
        assert choices.display and "one.txt" in str(choices.render()) and "other.txt" in str(choices.render())
        await pilot.press("n", "tab")
        assert path.value == f"{folder}/one.txt"
        await pilot.press("tab")  # nothing left to complete: on to the buttons
        assert not path.has_focus
        await pilot.press("shift+tab")  # back into the field: the text is kept, not selected
        assert path.has_focus
        await pilot.press("x")
        assert path.value == f"{folder}/one.txtx"
        await pilot.press("backspace", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(lib) == 5


@pytest.mark.parametrize("width", [80, 120])
async def test_help_fits_the_width_and_lists_only_keys_that_act(lib, width: int) -> None:
    from rich.console import Console

    from reader.app.screens.article import ArticleScreen
    from reader.app.screens.help import keys_table

    app = ReaderApp(lib, Settings())
    async with app.run_test(size=(width, 30)) as pilot:
        for open_article in (False, True):
            if open_article:
                await pilot.press("enter")
                await pilot.pause()
                assert isinstance(app.screen, ArticleScreen)
            await pilot.press("question_mark")
            await pilot.pause()
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            scroller = help_screen.query_one("#help-keys")
            assert scroller.max_scroll_x == 0  # no horizontal scrolling
            room = scroller.scrollable_content_region.width
            console = Console(width=room, record=True, color_system=None, legacy_windows=False)
            console.print(keys_table(help_screen.rows))
            drawn = console.export_text()
            assert "…" not in drawn
            for _keys, _action, _where, ident in help_screen.rows:
                assert ident in drawn  # every id whole
            inert = {"Cut", "Paste", "Delete line", "Undo", "Redo", "Delete character left"}
            assert not [row for row in help_screen.rows if row[2] != "Everywhere" and row[1] in inert]
            assert not [row for row in help_screen.rows if "Scroll" in row[1]]
            assert all("^z" not in keys and "^y" not in keys for keys, *_ in help_screen.rows)
            assert "app.undo" in {ident for *_, ident in help_screen.rows}
            await pilot.press("escape")
            await pilot.pause()


async def test_the_readme_key_table_lists_every_key_of_the_help_screen(lib) -> None:
    import re

    from reader.app.commands import key_actions
    from reader.app.screens.article import ArticleScreen

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In the app") : readme.index("Every change is saved at once")]
    shown = set(re.findall(r"`([^`]+)`", section))
    words = {"⏎": "Enter", "esc": "Esc", "pgdn": "PgDn", "pgup": "PgUp", "home": "Home", "end": "End"}
    words["`"] = "backtick"  # a backtick cannot stand inside a Markdown code span
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screens = [app.screen]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        screens.append(app.screen)
        missing = []
        for screen in screens:
            for item in key_actions(screen):
                if item.binding_id is None or item.binding_id.startswith("article.quick_tag_"):
                    continue  # Textual's own keys (Tab, arrows); 1-9 are one entry
                key = item.keys[0]
                name = words.get(key) or key.replace("^", "ctrl+")
                if name not in shown and not (len(name) > 1 and name in section):
                    missing.append(f"{item.binding_id}: {key}")
        assert missing == []
        assert "`1`–`9`" in section
