"""The whole article is annotatable: spans in the title and in set-aside blocks are made with keys,
drawn, counted, exported and imported again with the same source offsets (PTC and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from library import Library
from library.annotatable import annotatable_text
from library.ingest.reading import read_inputs
from library.interchange.export import export_library
from library.interchange.importing import import_annotation_files
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.settings import Settings

TITLE = "Mayor Calls Critics Traitors"
BODY = "The mayor said the plan was fair.\nCritics disagreed loudly, as they do."
QUICK = ["Loaded_Language", "Doubt", "Name_Calling,Labeling"]


def _library(path: Path, tmp: Path) -> tuple[Library, str]:
    src = tmp / "article5001.txt"
    src.write_text(TITLE + "\n\n" + BODY + "\n", encoding="utf-8")
    lib = Library.open(path)
    lib.annotator = "tester"
    report = lib.add_articles(list(read_inputs([str(src)])))
    (aid,) = report.imported
    return lib, aid


async def _open(app: ReaderApp, pilot, aid: str) -> ArticleScreen:  # type: ignore[no-untyped-def]
    app.open_article(aid)
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, ArticleScreen)
    for _ in range(100):
        if screen.article is not None:
            break
        await pilot.pause(0.05)
    await pilot.pause()
    return screen


def test_the_view_maps_the_title_and_set_aside_blocks_to_their_source(tmp_path: Path) -> None:
    lib, aid = _library(tmp_path / "lib", tmp_path)
    article = lib.article(aid)
    view = annotatable_text(article)
    assert view.text.startswith(TITLE + "\n\n")
    assert view.to_source(0, len(TITLE)) == (0, len(TITLE))  # PTC counts the title from offset 0
    lib.flip_block(aid, 0)  # the first body block set aside
    article = lib.article(aid)
    hidden = annotatable_text(article)
    shown = annotatable_text(article, stripped=True)
    assert "The mayor said" not in hidden.text and "The mayor said" in shown.text
    ((start, end, reason),) = shown.stripped
    assert shown.text[start:end].startswith(f"[{reason}] The mayor said")
    s = shown.text.index("plan")
    src = shown.to_source(s, s + 4)
    assert src is not None and article.source_text[src[0] : src[1]] == "plan"
    label = shown.to_source(start, start + 2)
    assert label is None or label[1] <= label[0]  # the reason label is no source text
    lib.close()


async def test_spans_in_the_title_and_in_set_aside_text_round_trip(tmp_path: Path) -> None:
    lib, aid = _library(tmp_path / "lib", tmp_path)
    lib.flip_block(aid, 0)  # "The mayor said the plan was fair." set aside
    app = ReaderApp(lib, Settings(annotator="tester", quick_tags=list(QUICK)))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(app, pilot, aid)
        body = screen.body
        assert body.body.startswith(TITLE)
        # the title: the cursor goes there with g, and `3w` + `iw` + label 3 tags "Traitors"
        await pilot.press("g", "3", "w", "i", "w", "3")
        await pilot.pause()
        # the set-aside sentence: S shows it in place, dimmed after its reason; tag "plan" there
        await pilot.press("S")
        await pilot.pause()
        assert "The mayor said" in body.body
        plan = body.body.index("plan")
        body.set_cursor(body.cur.__class__(plan))
        await pilot.press("i", "w", "1")
        await pilot.pause()
        status_shown = str(screen.query_one("#status").render())
        await pilot.press("escape", "S")  # hidden again: the highlight is counted, not lost
        await pilot.pause()
        status = str(screen.query_one("#status").render())
        assert "1 in set-aside text" in status, (status, status_shown)
    article = lib.article(aid)
    got = sorted(
        (article.source_text[h.source_start : h.source_end], h.source_start, h.tags)
        for h in lib.annotations(aid).highlights
    )
    traitors = (TITLE + "\n\n" + BODY).index("Traitors")
    plan_src = (TITLE + "\n\n" + BODY).index("plan")
    assert got == [("Traitors", traitors, ["Name_Calling,Labeling"]), ("plan", plan_src, ["Loaded_Language"])]

    ptc = tmp_path / "out.tsv"
    export_library(lib, "ptc", ptc)
    assert sorted(ptc.read_text().splitlines()) == sorted(
        [
            f"5001\tName_Calling,Labeling\t{traitors}\t{traitors + 8}",
            f"5001\tLoaded_Language\t{plan_src}\t{plan_src + 4}",
        ]
    )
    js = tmp_path / "out.json"
    js.write_bytes(export_library(lib, "json", None).data)
    lib.close()

    for path in (ptc, js):
        again, aid2 = _library(tmp_path / f"again-{path.suffix[1:]}", tmp_path)
        again.flip_block(aid2, 0)
        report = import_annotation_files(again, [path], annotator="tester")
        assert report.added == 2 and report.orphaned == 0, path
        back = sorted((h.source_start, h.source_end, h.tags) for h in again.annotations(aid2).highlights)
        assert back == sorted(
            [
                (traitors, traitors + 8, ["Name_Calling,Labeling"]),
                (plan_src, plan_src + 4, ["Loaded_Language"]),
            ]
        )
        again.close()
    doc = json.loads(js.read_text())
    (exported,) = doc["articles"]
    assert sorted(h["source_start"] for h in exported["highlights"]) == sorted([traitors, plan_src])


@pytest.fixture(autouse=True)
def _no_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("READER_CONFIG", str(tmp_path / "none.toml"))
