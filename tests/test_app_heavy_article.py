"""An article with 5,000 highlights: adding, retagging and deleting one by keys changes one row of
the pane, the styles of the lines it touches and appends one patch to the bucket's log (the
bucket file is not rewritten), and leaves the screen exactly as a full redraw from the store
would draw it; undo and redo by keys give back the states before and after."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO
from rich.style import Style

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench.heavy_article import build_library  # noqa: E402
from library import Library
from library.store.atomic import AtomicJSONStorage
from library.store.bucket_log import BucketLog
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.settings import Settings
from reader.app.widgets.body import Mark, _mark_style, _overlaps, tag_style
from reader.app.widgets.body_styles import StyleIndex
from reader.app.widgets.panes import HighlightsPane

HIGHLIGHTS = 5_000
QUICK = ["Loaded_Language", "Name_Calling", "Doubt"]


@pytest.fixture(scope="module")
def heavy(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    path = tmp_path_factory.mktemp("heavy") / "lib"
    return path, build_library(path, highlights=HIGHLIGHTS, words=16_000)


def _count_bucket_writes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """[log appends, whole bucket writes] since the last reset, with the bytes appended."""
    count = [0, 0, 0]
    original = AtomicJSONStorage.write
    append = BucketLog.append

    def counted(self: AtomicJSONStorage, data: dict[str, Any]) -> None:
        if self.what == "annotation bucket":
            count[1] += 1
        original(self, data)

    def appended(self: BucketLog, entry: dict[str, Any]) -> None:
        count[0] += 1
        size = self.size
        append(self, entry)
        count[2] += self.size - size

    monkeypatch.setattr(AtomicJSONStorage, "write", counted)
    monkeypatch.setattr(BucketLog, "append", appended)
    return count


def _reset(writes: list[int]) -> None:
    writes[:] = [0, 0, 0]


def _one_patch(writes: list[int]) -> None:
    """One action: one line appended to the log, a few hundred bytes, and no bucket rewrite."""
    assert writes[0] == 1 and writes[1] == 0
    assert writes[2] < 3000, writes  # the bucket itself is about 1.7 MB


def _pane(screen: ArticleScreen) -> list[tuple[str | None, str]]:
    pane = screen.query_one(HighlightsPane)
    return [(o.id, str(o.prompt)) for o in pane.options]


def _styles(screen: ArticleScreen) -> dict[int, list[tuple[int, int, Any]]]:
    return {row: list(entry.spans) for row, entry in screen.body._line_styles.items()}  # noqa: SLF001


def _free_word(screen: ArticleScreen, seed: int) -> tuple[int, int]:
    """A word no highlight touches (nor the characters beside it)."""
    taken: set[int] = set()
    for span in screen._spans.values():  # noqa: SLF001
        if span:
            taken.update(range(span[0] - 1, span[1] + 1))
    words = [m.span() for m in re.finditer(r"[A-Za-z]{4,}", screen.body.body)]
    free = [w for w in words if not taken.intersection(range(*w))]
    return random.Random(seed).choice(free)


async def _open(app: ReaderApp, pilot: Any, aid: str) -> ArticleScreen:
    app.open_article(aid)
    for _ in range(400):
        await pilot.pause(0.02)
        if isinstance(app.screen, ArticleScreen) and app.screen.article is not None:
            break
    screen = app.screen
    assert isinstance(screen, ArticleScreen) and screen.article is not None
    await pilot.pause()
    return screen


async def test_add_retag_delete_in_an_article_of_5000_highlights(
    heavy: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    lib_path = tmp_path / "lib"
    shutil.copytree(heavy[0], lib_path)
    aid = heavy[1]
    writes = _count_bucket_writes(monkeypatch)
    with Library.open(lib_path) as library:
        app = ReaderApp(library, Settings(quick_tags=list(QUICK)))
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await _open(app, pilot, aid)
            pane = screen.query_one(HighlightsPane)
            assert pane.option_count == HIGHLIGHTS + 1  # the label counts, then one row each
            assert len(screen.body.marks) == HIGHLIGHTS
            start, end = _free_word(screen, seed=1)
            word = screen.body.body[start:end]

            # add: v e 1 on a word between highlights
            screen.body.move_to_offset(start, select=False)
            await pilot.press("v", "e")
            _reset(writes)
            await pilot.press("1")
            await pilot.pause()
            _one_patch(writes)
            stored = library.annotations(aid).highlights
            assert len(stored) == HIGHLIGHTS + 1
            new = next(h for h in stored if h.quote == word and h.tags == ["Loaded_Language"])
            assert pane.option_count == HIGHLIGHTS + 2
            index = pane.get_option_index(new.id)
            spans = [screen._spans[o.id] for o in pane.options[1:]]  # noqa: SLF001
            assert spans == sorted(spans)  # the new row sits in body order
            assert "Loaded_Language" in str(pane.get_option_at_index(index).prompt)
            assert word in str(pane.get_option_at_index(index).prompt)
            row, col = screen.body.index.to_location(start)
            drawn = [st for s, e, st in screen.body._line_styles[row].spans if s <= col < e]  # noqa: SLF001
            assert tag_style("Loaded_Language") in drawn
            counts = str(pane.get_option_at_index(0).prompt)
            before_counts = sum(1 for h in stored if "Loaded_Language" in h.tags)
            assert f"Loaded_Language\u00a0{before_counts}" in counts
            assert f"Highlights {HIGHLIGHTS + 1}" in str(pane.border_title)

            # retag: 2 on the same selection adds Name_Calling to it
            _reset(writes)
            await pilot.press("2")
            await pilot.pause()
            _one_patch(writes)
            now = next(h for h in library.annotations(aid).highlights if h.id == new.id)
            assert now.tags == ["Loaded_Language", "Name_Calling"]
            prompt = str(pane.get_option_at_index(pane.get_option_index(new.id)).prompt)
            assert "Loaded_Language" in prompt and "Name_Calling" in prompt
            assert pane.option_count == HIGHLIGHTS + 2

            # the incremental screen is the screen a full redraw from the store draws
            incremental = (_pane(screen), _styles(screen), screen.body.marks)
            screen._redraw_annotations()  # noqa: SLF001
            assert (_pane(screen), _styles(screen), screen.body.marks) == incremental

            # delete: x with the cursor in it
            retagged = library.annotations(aid).to_json()
            _reset(writes)
            await pilot.press("x")
            await pilot.pause()
            _one_patch(writes)
            assert len(library.annotations(aid).highlights) == HIGHLIGHTS
            assert new.id not in {o.id for o in pane.options}
            assert pane.option_count == HIGHLIGHTS + 1
            entry = screen.body._line_styles.get(row)  # noqa: SLF001
            assert entry is None or not any(m.id == new.id for m in entry.marks)
            assert f"Highlights {HIGHLIGHTS}" in str(pane.border_title)
            incremental = (_pane(screen), _styles(screen), screen.body.marks)
            screen._redraw_annotations()  # noqa: SLF001
            assert (_pane(screen), _styles(screen), screen.body.marks) == incremental

            # undo (u) puts the deleted highlight back where it was; redo (ctrl+r) takes it away
            deleted = library.annotations(aid).to_json()
            await pilot.press("escape")
            _reset(writes)
            await pilot.press("u")
            await pilot.pause()
            _one_patch(writes)
            restored = library.annotations(aid).to_json()
            assert restored["highlights"] == retagged["highlights"]  # the same, in the same order
            assert pane.option_count == HIGHLIGHTS + 2 and new.id in {o.id for o in pane.options}
            drawn = [st for s, e, st in screen.body._line_styles[row].spans if s <= col < e]  # noqa: SLF001
            assert tag_style("Loaded_Language") in drawn
            incremental = (_pane(screen), _styles(screen), screen.body.marks)
            screen._redraw_annotations()  # noqa: SLF001
            assert (_pane(screen), _styles(screen), screen.body.marks) == incremental
            _reset(writes)
            await pilot.press("ctrl+r")
            await pilot.pause()
            _one_patch(writes)
            assert library.annotations(aid).to_json()["highlights"] == deleted["highlights"]
            assert new.id not in {o.id for o in pane.options}

            # the pane draws rows as it scrolls: the last one is reachable and drawn
            pane.focus()
            await pilot.press("end")
            await pilot.pause()
            assert pane.highlighted == pane.option_count - 1
            last = pane.get_option_at_index(pane.option_count - 1)
            await pilot.press("enter")
            await pilot.pause()
            assert screen.body.cursor_offset == screen._spans[last.id][0]  # noqa: SLF001
    # the log and the undo journal read back to the same state, and undo goes on from there
    with Library.open(lib_path) as library:
        assert library.annotations(aid).to_json()["highlights"] == deleted["highlights"]
        assert library.undo() == "delete highlight"
        assert library.annotations(aid).to_json()["highlights"] == retagged["highlights"]
        assert not library.notices


def test_style_index_one_change_matches_a_rebuild() -> None:
    """Marks changed one at a time give the same line styles as drawing the final set at once."""
    from reader.app.selection import LineIndex

    rng = random.Random(3)
    text = "\n".join("word " * rng.randint(0, 30) for _ in range(200))

    def index() -> StyleIndex:
        return StyleIndex(
            LineIndex(text),
            len(text),
            mark_style=_mark_style,
            dimmed_style=Style(dim=True),
            match_style=Style(reverse=True),
            overlaps=_overlaps,
        )

    def mark(i: int) -> Mark:
        start = rng.randrange(len(text) - 50)
        return Mark(
            start, start + rng.randint(1, 120), rng.choice(["A", "B", None]), f"h{i}", rng.random() < 0.8
        )

    marks = [mark(i) for i in range(300)]
    step = index()
    step.set_dimmed([(10, 400)])
    step.set_marks(marks)
    for i in range(300, 340):  # add, replace and remove one at a time
        step.change_marks([], [new := mark(i)])
        marks.append(new)
        old = marks.pop(rng.randrange(len(marks)))
        step.change_marks([old], [])
    step.set_matches([(50, 60), (700, 900)])
    whole = index()
    whole.set_dimmed([(10, 400)])
    whole.set_matches([(50, 60), (700, 900)])
    whole.set_marks(sorted(marks, key=lambda m: (m.start, m.end)))

    def drawn(ix: StyleIndex) -> dict[int, tuple[list[tuple[int, int, Style]], set[str]]]:
        return {row: (list(e.spans), {m.id for m in e.marks}) for row, e in ix.lines.items()}

    assert drawn(step) == drawn(whole)
    assert step.marks == whole.marks


async def test_the_collector_waits_while_an_article_loads_and_runs_again_after(
    heavy: tuple[Path, str], tmp_path: Path
) -> None:
    """Opening pauses the cyclic collector and freezes what the load made (reader/app/collector.py);
    the article open, the collector runs; the article closed, nothing stays frozen."""
    import gc
    import shutil

    lib_path = tmp_path / "lib"
    shutil.copytree(heavy[0], lib_path)
    with Library.open(lib_path) as library:
        app = ReaderApp(library, Settings(quick_tags=list(QUICK)))
        async with app.run_test(size=(120, 40)) as pilot:
            assert gc.get_freeze_count() == 0
            screen = await _open(app, pilot, heavy[1])
            assert gc.isenabled() and gc.get_freeze_count() > 0
            assert len(screen.body.marks) == HIGHLIGHTS
            await pilot.press("q")
            await pilot.pause()
            assert not isinstance(app.screen, ArticleScreen)
            assert gc.isenabled() and gc.get_freeze_count() == 0
