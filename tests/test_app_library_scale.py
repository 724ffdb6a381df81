"""The library screen on a library larger than it reads at once: the first page comes from the
catalogue's date index, later rows are read as the cursor reaches them, a tag filter and a search
read only their articles, and the whole list arrives from a background reader. Every answer is
checked against the store's own (`Library.summaries`, `query`, `search`) sorted as the list sorts."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_data import article

from library import ArticleQuery, Library
from library.store.catalog import Catalog
from reader.app import catalogue
from reader.app.app import ReaderApp
from reader.app.catalogue import ListState
from reader.app.screens.library import LibraryScreen
from reader.app.settings import Settings
from reader.app.widgets.article_table import ArticleTable

N = 3000
SIZE = (120, 40)
TAG = "harbour-watch"


def build(path: Path) -> None:
    """3,000 articles in three batches (three segments, the last replacing some of the first),
    with many articles per date so that ties are ordered by title and id."""
    lib = Library.open(path)
    lib.annotator = "tester"
    words = ["alpha", "harbour", "valley", "rail", "council"]
    items = [
        article(
            f"{words[i % 5].title()} report {(i * 7919) % N:05d}",
            f"Body {i} about the {words[(i // 5) % 5]} and more words.",
            site=f"{words[i % 3]}.example",
            date=f"20{10 + i % 14}-{i % 12 + 1:02d}-{i % 9 + 1:02d}" if i % 50 else "",
            n=i,
        )
        for i in range(N)
    ]
    for start in range(0, N, 1000):
        lib.add_articles(items[start : start + 1000])
    # A batch that replaces some articles, as cleaning does (a later segment overrides them).
    replaced = [dict(lib._catalog.entries[aid]) for aid in lib.ids()[:40]]
    for entry in replaced:
        entry["meta"] = {**entry["meta"], "published": "2030-01-01"}
    lib._catalog.replace_batch(replaced, [])
    for aid in lib.ids()[100:160:3]:
        lib.set_article_tags(aid, [TAG])
    lib.close()


@pytest.fixture(scope="module")
def library_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "lib"
    build(path)
    return path


@pytest.fixture
def lib(library_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(LibraryScreen, "EAGER_ROWS", 500)
    library = Library.open(library_path)
    library.annotator = "tester"
    yield library
    library.close()


@pytest.fixture
def no_background(monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole list is never read in the background: what shows came from the lazy paths."""
    monkeypatch.setattr(LibraryScreen, "_load_rows", lambda self, token: None)


class Spy:
    """Counts the catalogue entries parsed one at a time, and fails on a read of the whole
    catalogue, until `stop`."""

    def __init__(self) -> None:
        self.count = 0
        self._patch = pytest.MonkeyPatch()
        original = Catalog.get

        def get(catalog: Catalog, article_id: str):  # type: ignore[no-untyped-def]
            self.count += 1
            return original(catalog, article_id)

        def whole(*_args: object, **_kwargs: object) -> None:
            raise AssertionError("the whole catalogue was read")

        self._patch.setattr(Catalog, "get", get)
        self._patch.setattr(Catalog, "_read_lines", whole)
        self._patch.setattr(Catalog, "live_lines", whole)

    def stop(self) -> None:
        self._patch.undo()


@pytest.fixture
def parsed():  # type: ignore[no-untyped-def]
    spy = Spy()
    yield spy
    spy.stop()


def expected(path: Path, state: ListState) -> list[str]:
    """The store's answer, sorted as the list sorts: titles in display order."""
    with Library.open(path, read_only=True) as other:
        other.annotator = "tester"
        rows = catalogue.visible(other.summaries(), state)
    return [s.title or "(untitled)" for s in rows]


def table(app: ReaderApp) -> ArticleTable:
    return app.screen.query_one("#articles", ArticleTable)


def title_at(app: ReaderApp, row: int) -> str:
    return str(table(app).get_row_at(row)[0])


def heading(app: ReaderApp) -> str:
    return str(app.screen.query_one("#heading").render())


async def test_first_page_reads_a_page_not_the_catalogue(lib, library_path, no_background, parsed) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert not screen.loaded and table(app).partial
        assert table(app).row_count == N
        assert f"{N:,} of {N:,} articles" in heading(app)
        first = [title_at(app, i) for i in range(30)]
        top_date = str(table(app).get_row_at(0)[2])
        assert not lib._catalog.loaded
        assert parsed.count < 400  # a page and the ties of its last date, not 3,000
    parsed.stop()
    want = expected(library_path, ListState())
    assert first == want[:30]
    assert first[0].endswith(tuple(f"{i:05d}" for i in range(N)))
    assert top_date == "2030-01-01"  # the replacement's date, not the one it replaced


async def test_paging_down_reads_later_rows_in_order(lib, library_path, no_background) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(12):
            await pilot.press("pagedown")
        row = table(app).cursor_row
        assert row > 300
        shown = [title_at(app, i) for i in range(row + 1)]
        await pilot.press("j", "j")
        assert table(app).cursor_row == row + 2
        await pilot.press("G")  # the end of the list: read from the other end of the index
        assert table(app).cursor_row == N - 1
        last = [title_at(app, i) for i in range(N - 60, N)]
        await pilot.press("k", "pageup")
        assert table(app).cursor_id is not None
        assert not lib._catalog.loaded
    want = expected(library_path, ListState())
    assert shown == want[: row + 1]
    assert last == want[-60:]


async def test_tag_filter_reads_only_the_tagged(lib, library_path, no_background, parsed) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = parsed.count
        app.screen.show_label(TAG)
        await pilot.pause()
        rows = [title_at(app, i) for i in range(table(app).row_count)]
        assert parsed.count - before < 50
        assert f"tag={TAG}" in str(app.screen.query_one("#criteria").render())
        await pilot.press("escape")  # clears the filter: the whole list by date again
        assert table(app).row_count == N
    parsed.stop()
    state = ListState(filters=ArticleQuery(labels=(TAG,)))
    want = expected(library_path, state)
    assert len(want) == 20
    assert rows == want
    assert len(lib.query(ArticleQuery(labels=(TAG.upper(),)))) == 20


async def test_search_before_the_list_is_read(lib, library_path, no_background) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("slash", *"valley", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = [title_at(app, i) for i in range(table(app).row_count)]
    hits = frozenset(lib.search("valley"))
    want = expected(library_path, ListState(search="valley", search_ids=hits))
    assert 0 < len(want) < N
    assert rows == want


async def test_whole_list_arrives_and_sorts(lib, library_path) -> None:
    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        assert screen.loaded and not table(app).partial
        by_date = [title_at(app, i) for i in range(N)]
        await pilot.press("G")
        assert table(app).cursor_row == N - 1
        await pilot.press("o")  # title, A..Z
        by_title = [title_at(app, i) for i in range(N)]
        assert "sort: title" in heading(app)
    assert by_date == expected(library_path, ListState())
    assert by_title == expected(library_path, ListState(sort="title", reverse=False))


async def test_undo_updates_rows_without_reading_the_list(lib, no_background) -> None:
    from reader.app.messages import AnnotationsChanged

    app = ReaderApp(lib, Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        article_id = table(app).id_at(2)
        assert article_id is not None
        lib.set_article_tags(article_id, ["fresh"])
        app.screen.post_message(AnnotationsChanged(None))  # as the labels view says after a rename
        await pilot.pause()
        assert str(table(app).get_row_at(2)[3]) == "fresh"
        await pilot.press("u")  # undo: the app says any article may have changed
        await pilot.pause()
        assert str(table(app).get_row_at(2)[3]) == ""
        assert not lib._catalog.loaded
