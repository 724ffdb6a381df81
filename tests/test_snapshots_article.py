"""SVG snapshots of the article screen at 80×24 and 120×40 (textual is pinned exactly).

Regenerate after an intended change with `pytest tests/test_snapshots_article.py --snapshot-update`
and review the SVGs in tests/__snapshots__/ before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article_support import parsed_article, store_with
from textual.widgets import Input

from reader.app.app import ReaderApp
from reader.app.settings import Settings

SIZES = [(80, 24), (120, 40)]
QUICK = ["Loaded_Language", "Doubt", "Flag_Waving", "Exaggeration"]


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """The body never blinks; the search Input would, so its blink is switched off."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


@pytest.fixture
def lib(tmp_path: Path):
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    article = library.article(aid)
    first = article.body_to_source(0, article.body.index(" The mayor"))
    assert first is not None
    library.add_highlight(aid, *first, tags=["Loaded_Language"])  # two sentences
    start = article.body.index("Critics")
    inner = article.body_to_source(start, start + len("Critics called the plan a disaster."))
    assert inner is not None
    library.add_highlight(aid, *inner, tags=["Doubt"], note="who are the critics?")  # overlaps the first
    library.add_highlight(aid, 3, 11, tags=["Exaggeration"])  # in the byline: outside the body
    library.set_article_tags(aid, ["budget"])
    library.aid = aid  # type: ignore[attr-defined]
    yield library
    library.close()


def _open(lib):  # type: ignore[no-untyped-def]
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        pilot.app.open_article(lib.aid)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_article_overlap_under_cursor(snap_compare, lib, size) -> None:
    app = ReaderApp(lib, Settings(quick_tags=list(QUICK)))
    assert snap_compare(
        app,
        run_before=_open(lib),
        press=["w", "w", "w", "w", "w", "w", "w", "w", "w", "w"],
        terminal_size=size,
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_article_selection_and_metadata(snap_compare, lib, size) -> None:
    app = ReaderApp(lib, Settings(quick_tags=list(QUICK)))
    assert snap_compare(app, run_before=_open(lib), press=["G", "s", "m"], terminal_size=size)
