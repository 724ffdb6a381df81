"""SVG snapshots of the shell's screens at 80×24 and 120×40 (textual is pinned exactly).

Regenerate after an intended change with `pytest tests/test_snapshots_library.py --snapshot-update`
and review the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from app_data import make_library
from textual.widgets import Input

from library import Library
from reader.app.app import ReaderApp
from reader.app.screens.export_dialog import ExportDialog
from reader.app.settings import Settings

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor would make every snapshot of a screen with an Input flaky."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def lib(tmp_path: Path):
    library = make_library(tmp_path / "lib", evil=True)
    by_title = {s.meta.title: s.id for s in library.summaries()}
    library.set_article_tags(by_title["Rail strike ends after talks"], ["Labour", "Transport"])
    library.add_highlight(by_title["Council approves the harbour budget"], 0, 7, tags=["Doubt"])
    library.set_reading_state(by_title["Drought hits the valley farms"], read=True)
    yield library
    library.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library(snap_compare, lib, size) -> None:
    assert snap_compare(ReaderApp(lib, Settings()), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_filtered_and_sorted(snap_compare, lib, size) -> None:
    assert snap_compare(
        ReaderApp(lib, Settings()), press=["o", "f", "tab", *"harbour.example", "enter"], terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome(snap_compare, tmp_path: Path, size) -> None:
    empty = Library.open(tmp_path / "empty")
    try:
        assert snap_compare(ReaderApp(empty, Settings()), terminal_size=size)
    finally:
        empty.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, lib, size) -> None:
    assert snap_compare(ReaderApp(lib, Settings()), press=["question_mark"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filter_dialog(snap_compare, lib, size) -> None:
    assert snap_compare(ReaderApp(lib, Settings()), press=["f"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_export_dialog(snap_compare, lib, size) -> None:
    async def open_dialog(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.push_screen(ExportDialog(today=date(2024, 5, 6)))
        await pilot.pause()

    assert snap_compare(ReaderApp(lib, Settings()), run_before=open_dialog, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_import_dialog(snap_compare, lib, size) -> None:
    assert snap_compare(ReaderApp(lib, Settings()), press=["i"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_search_with_snippets(snap_compare, lib, size) -> None:
    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("slash", *'"the harbour"', "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(ReaderApp(lib, Settings()), run_before=search, terminal_size=size)
