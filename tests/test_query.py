"""One query: a span tagged `Doubt` is found the same way by the app's filter, `reader list` and
`reader export` (the issue's example), and `Library.tags()` counts labels as the writes go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_data import make_library
from test_cli_library import run

from library import ArticleQuery, Library, TagCount
from reader.app.app import ReaderApp
from reader.app.screens.filter_dialog import FilterDialog
from reader.app.settings import Settings
from reader.app.widgets.article_table import ArticleTable


@pytest.fixture
def doubt_lib(store_dir: Path) -> str:
    """The four sample articles; one span of one article tagged `Doubt`. Returns that article's id."""
    lib = make_library(store_dir)
    try:
        aid = next(s.id for s in lib.summaries() if s.meta.title == "Drought hits the valley farms")
        art = lib.article(aid)
        start = art.source_text.index("driest")
        lib.add_highlight(aid, start, start + len("driest"), tags=["Doubt"])
    finally:
        lib.close()
    return aid


def test_cli_list_and_export_find_the_span_label_in_any_case(
    doubt_lib: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for spelling in ("Doubt", "doubt", "DOUBT"):
        code, out, err = run(capsys, "list", "--tag", spelling, "--json")
        assert code == 0, err
        assert [a["id"] for a in json.loads(out)] == [doubt_lib], spelling
    code, out, err = run(capsys, "export", "--tag", "Doubt")
    assert code == 0, err
    doc = json.loads(out)
    assert [a["id"] for a in doc["articles"]] == [doubt_lib]
    assert [h["tags"] for h in doc["articles"][0]["highlights"]] == [["Doubt"]]
    code, out, err = run(capsys, "export", "--tag", "doubt")
    assert code == 0 and len(json.loads(out)["articles"]) == 1
    code, out, _ = run(capsys, "list", "--tag", "Labour", "--json")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "list", "--by", "tester", "--json")
    assert [a["id"] for a in json.loads(out)] == [doubt_lib]


async def test_app_filter_finds_the_span_label_and_completes_it(doubt_lib: str, store_dir: Path) -> None:
    lib = Library.open(store_dir)
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.press("f")
            assert isinstance(app.screen, FilterDialog)
            await pilot.press(*"dou", "right", "enter")  # completes the span label "Doubt"
            await pilot.pause()
            table = app.screen.query_one("#articles", ArticleTable)
            assert [str(table.get_row_at(i)[0]) for i in range(table.row_count)] == [
                "Drought hits the valley farms"
            ]
            assert "tag=Doubt" in str(app.screen.query_one("#criteria").render())
            await pilot.press("escape", "f", *"doubt", "enter")  # typed in another case
            await pilot.pause()
            assert app.screen.query_one("#articles", ArticleTable).row_count == 1
    finally:
        lib.close()


def test_tags_counts_follow_every_write(store_dir: Path) -> None:
    lib = make_library(store_dir)
    try:
        a, b = lib.ids()[:2]
        assert lib.tags() == {}
        h = lib.add_highlight(a, 0, 5, tags=["Doubt", "Fear"])
        lib.add_highlight(b, 0, 5, tags=["Doubt"])
        lib.set_article_tags(b, ["economy", "Doubt"])
        assert lib.tags() == {
            "Doubt": TagCount(articles=2, spans=2),
            "economy": TagCount(articles=1, spans=0),
            "Fear": TagCount(articles=1, spans=1),
        }
        assert list(lib.tags()) == ["Doubt", "economy", "Fear"]  # case-insensitive order
        lib.delete_highlight(a, h.id)
        assert "Fear" not in lib.tags() and lib.tags()["Doubt"] == TagCount(1, 1)
        lib.undo()  # the highlight is back
        assert lib.tags()["Fear"] == TagCount(1, 1) and lib.tags()["Doubt"] == TagCount(2, 2)
        lib.redo()
        assert "Fear" not in lib.tags()
    finally:
        lib.close()
    with Library.open(store_dir, read_only=True) as again:  # built from the store at open
        assert again.tags()["Doubt"] == TagCount(1, 1) and again.tags()["economy"] == TagCount(1, 0)


def test_query_fields_combine(store_dir: Path) -> None:
    lib = make_library(store_dir)
    try:
        by_title = {s.meta.title: s.id for s in lib.summaries()}
        rail = by_title["Rail strike ends after talks"]
        lib.set_reading_state(rail, read=True)
        titles = lambda q: sorted(s.meta.title for s in lib.query(q))  # noqa: E731
        assert titles(ArticleQuery(sites=("HARBOUR.example",))) == [
            "Council approves the harbour budget",
            "Rail strike ends after talks",
        ]
        assert titles(ArticleQuery(since="2024-02", until="2024-02")) == ["Drought hits the valley farms"]
        assert titles(ArticleQuery(until="2023")) == ["Rail strike ends after talks"]
        assert titles(ArticleQuery(read=True)) == ["Rail strike ends after talks"]
        assert len(lib.query(ArticleQuery(read=False))) == 3
        assert titles(ArticleQuery(text="harbour", sites=("city.example",))) == ["New library opens downtown"]
        assert titles(ArticleQuery(ids=(rail,))) == ["Rail strike ends after talks"]
        assert lib.query(ArticleQuery(annotated=True)) == []
        assert lib.query(ArticleQuery(state="done")) == []  # no work states yet: nothing is "done"
        assert ArticleQuery(labels=("x",), read=False).describe() == "tag=x unread"
    finally:
        lib.close()
