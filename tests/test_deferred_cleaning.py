"""Import stores text first and cleans afterwards: the result must be exactly what a cleaning
import gives, pending articles must be usable at once, and nothing may be lost on the way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from library import Library
from library.cleaning import parsers as parsing
from library.ingest.reading import IngestError, read_inputs
from library.model import SourceArticle
from reader.app.app import ReaderApp
from reader.app.settings import Settings
from reader.app.widgets.article_table import ArticleTable
from reader.cli import main

FOOTER = (
    "Donate to support independent media.\n\n"
    "The original source of this article is Example Times\n\n"
    "Copyright © Example Times, 2020\n"
)


def gr_article(n: int, *, title: str | None = None, body: str | None = None) -> str:
    """A small page in the seed's format, with a header, a split sentence and the footer."""
    words = ["harbour", "council", "budget", "valley", "drought", "wells", "farmers", "plan"]
    w = words[n % len(words)]
    body = body or (
        f"The {w} report number {n} came out on Monday and officials said the\n\n"
        f"figures were worse than expected for the {w} sector.\n\n"
        f"Residents met in the town hall to discuss the {w} question at length.\n"
    )
    return (
        f"{title or f'Story {n} about the {w}'}\n\n"
        f"By [Jane Roe](#)\n\n"
        f"Global Research, May {n % 27 + 1:02d}, 2019\n\n"
        f"Region: [Europe](#)\n\n"
        f"{body}\n{FOOTER}"
    )


def write_folder(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"story-{n:04d}.txt").write_text(gr_article(n), encoding="utf-8")
    return folder


def import_into(path: Path, inputs: list[str], *, defer: bool) -> Library:
    lib = Library.open(path)
    items = (i for i in read_inputs(inputs, defer_cleaning=defer) if not isinstance(i, IngestError))
    lib.add_articles(items)
    return lib


def same_library(a: Library, b: Library) -> None:
    assert a.ids() == b.ids()
    for x, y in zip(a.summaries(), b.summaries(), strict=True):
        x.imported = y.imported = ""
        assert x == y
    for aid in a.ids():
        xa, xb = a.article(aid), b.article(aid)
        assert xa.meta == xb.meta
        assert [blk.to_json() for blk in xa.blocks] == [blk.to_json() for blk in xb.blocks]


def test_read_inputs_defers_text_files_and_clean_gives_the_full_parse(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 3)
    eager = list(read_inputs([str(folder)]))
    deferred = list(read_inputs([str(folder)], defer_cleaning=True))
    assert all(isinstance(item, SourceArticle) for item in deferred)
    first = deferred[0]
    assert isinstance(first, SourceArticle)
    assert first.format == "" and first.meta.title == "Story 0 about the harbour"
    assert first.meta.published is None  # read when the article is cleaned
    for parsed, source in zip(eager, deferred, strict=True):
        assert isinstance(source, SourceArticle)
        cleaned = parsing.clean(source)
        assert cleaned.meta == parsed.meta
        assert [b.to_json() for b in cleaned.blocks] == [b.to_json() for b in parsed.blocks]


def test_a_data_set_record_is_deferred_with_its_fields(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    data.write_text(
        json.dumps({"title": "A row", "body": "One line.\nTwo lines.", "url": "https://x.test/a"}) + "\n"
    )
    (item,) = read_inputs([str(data)], defer_cleaning=True)
    assert isinstance(item, SourceArticle)
    assert item.format == "jsonl" and item.meta.title == "A row" and item.meta.url == "https://x.test/a"
    (parsed,) = read_inputs([str(data)])
    assert [b.to_json() for b in parsing.clean(item).blocks] == [b.to_json() for b in parsed.blocks]


def test_deferred_import_then_cleaning_equals_a_cleaning_import(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 12)
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    lazy = import_into(tmp_path / "lazy", [str(folder)], defer=True)
    try:
        assert len(lazy.pending_ids()) == 12
        report = lazy.clean_pending()
        assert len(report.cleaned) == 12 and not report.duplicates and not report.failed
        assert lazy.pending_ids() == []
        same_library(eager, lazy)
        # The donation line recurs on every page of the site: the site model marks it in both.
        article = lazy.article(lazy.ids()[0])
        assert not any("Donate" in b.text for b in article.blocks if b.is_body)
        assert eager.search("officials residents") == lazy.search("officials residents") != []
    finally:
        eager.close()
        lazy.close()


def test_a_pending_article_is_listed_opened_searched_and_annotated_before_cleaning(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 3)
    lib = import_into(tmp_path / "lib", [str(folder)], defer=True)
    try:
        summary = lib.summaries()[0]
        assert not summary.cleaned and summary.meta.title == "Story 0 about the harbour"
        aid = summary.id
        before = lib.article(aid)  # cleaned in memory
        assert before.meta.published == "2019-05-01"
        assert before.meta.copyright == "Example Times, 2020"
        assert lib.search("town hall") == lib.ids()
        start = before.source_text.index("officials")
        lib.add_highlight(aid, start, start + len("officials"), tags=["claim"])
        lib.clean_pending()
        after = lib.article(aid)
        assert [b.to_json() for b in after.blocks] == [b.to_json() for b in before.blocks]
        assert lib.summary(aid).cleaned and lib.summary(aid).words > 20
        (highlight,) = lib.annotations(aid).highlights
        assert highlight.quote == "officials"
        assert after.source_text[highlight.source_start : highlight.source_end] == "officials"
    finally:
        lib.close()


def test_pending_articles_survive_a_restart_and_are_cleaned_later(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 5)
    lib = import_into(tmp_path / "lib", [str(folder)], defer=True)
    lib.close()
    lib = Library.open(tmp_path / "lib")
    try:
        assert len(lib.pending_ids()) == 5
        lib.clean_pending()
    finally:
        lib.close()
    lib = Library.open(tmp_path / "lib", read_only=True)
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    try:
        assert lib.pending_ids() == []
        same_library(eager, lib)
    finally:
        lib.close()
        eager.close()


def test_cleaning_removes_a_body_duplicate_unless_it_was_annotated(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = "The same story was posted twice.\n\nOnly the headline differs between the two copies.\n"
    for n, title in enumerate(["First headline", "Second headline", "Third headline"]):
        (folder / f"{n}.txt").write_text(gr_article(n, title=title, body=body), encoding="utf-8")
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    lazy = import_into(tmp_path / "lazy", [str(folder)], defer=True)
    try:
        assert len(eager) == 1  # the cleaning import refused both copies
        first, second, third = lazy.ids()
        lazy.set_article_tags(third, ["keep-me"])
        report = lazy.clean_pending()
        assert [d[1] for d in report.duplicates] == [first]
        assert "same body as article" in report.duplicates[0][2]
        assert report.removed == [second]
        assert lazy.ids() == [first, third]  # the annotated copy stays
        assert eager.ids()[0] in lazy
    finally:
        eager.close()
        lazy.close()


def test_an_article_the_parser_cannot_clean_is_removed_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "in", 3)
    lib = import_into(tmp_path / "lib", [str(folder)], defer=True)
    real = parsing.clean

    def flaky(item: SourceArticle):  # type: ignore[no-untyped-def]
        if "Story 1 " in item.source_text:
            raise ValueError("parser bug")
        return real(item)

    monkeypatch.setattr(parsing, "clean", flaky)
    try:
        report = lib.clean_pending()
        assert len(report.cleaned) == 2
        ((label, reason),) = report.failed
        assert label.endswith("story-0001.txt") and reason == "could not parse: ValueError: parser bug"
        assert len(lib) == 2 and lib.pending_ids() == []
    finally:
        lib.close()


def test_cleaning_in_worker_processes_gives_the_same_library(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 230)  # over MIN_ITEMS: a pool is used
    one = import_into(tmp_path / "one", [str(folder)], defer=True)
    two = import_into(tmp_path / "two", [str(folder)], defer=True)
    try:
        seen: list[tuple[int, int]] = []
        one.clean_pending(workers=1)
        two.clean_pending(workers=2, batch_size=100, progress=lambda d, t: seen.append((d, t)))
        assert seen == [(100, 230), (200, 230), (230, 230)]
        same_library(one, two)
    finally:
        one.close()
        two.close()


def test_cleaning_stops_between_batches_when_asked(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 6)
    lib = import_into(tmp_path / "lib", [str(folder)], defer=True)
    try:
        calls = iter([False, True])
        report = lib.clean_pending(batch_size=3, stop=lambda: next(calls, True))
        assert len(report.cleaned) == 3 and len(lib.pending_ids()) == 3
    finally:
        lib.close()


def test_reader_clean_finishes_an_interrupted_import(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "in", 4)
    import_into(store_dir, [str(folder)], defer=True).close()
    assert main(["clean"]) == 0
    assert capsys.readouterr().out.strip() == "cleaned 4, duplicates removed 0, failed 0"
    lib = Library.open(store_dir, read_only=True)
    try:
        assert lib.pending_ids() == [] and all(s.cleaned for s in lib.summaries())
    finally:
        lib.close()


async def test_the_app_cleans_pending_articles_in_the_background(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 4)
    lib = import_into(tmp_path / "lib", [str(folder)], defer=True)
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(120, 30)) as pilot:
            table = app.screen.query_one("#articles", ArticleTable)
            assert table.row_count == 4  # listed before they are cleaned
            await pilot.pause(1.3)  # the cleaner starts a second after the first screen
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert lib.pending_ids() == []
            assert "Cleaned 4 article(s)" in [str(n.message) for n in app._notifications]  # noqa: SLF001
            row = [str(cell) for cell in table.get_row_at(0)]
            assert any("2019" in cell for cell in row)  # the date, read when cleaned
    finally:
        lib.close()


def test_the_command_line_shows_pending_articles_honestly(
    store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_folder(tmp_path / "in", 2)
    import_into(store_dir, [str(folder)], defer=True).close()
    assert main(["list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["title"], r["cleaned"], r["words"], r["published"]) for r in rows] == [
        ("Story 0 about the harbour", False, 0, None),
        ("Story 1 about the council", False, 0, None),
    ]
    assert main(["show", rows[0]["id"], "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)  # cleaned in memory to be shown
    assert shown["published"] == "2019-05-01" and shown["format"] == "globalresearch"
    assert shown["words"] == len(shown["body"].split()) > 20 and not shown["cleaned"]
    assert main(["stats"]) == 0
    assert "2 not cleaned yet (an import was interrupted): run `reader clean`" in capsys.readouterr().out
    assert main(["clean", "-q"]) == 0
    capsys.readouterr()
    assert main(["stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["not_cleaned"] == 0 and stats["formats"] == {"globalresearch": 2}


CHILD_WITH_APP_STDERR = r"""
import sys, threading
from pathlib import Path
from library.cleaning import parsers as parsing
from library.ingest.reading import read_inputs
from library.cleaning.parallel import clean_batches
from reader.app.launch import prepare_worker_processes

class AppStderr:  # what Textual puts in sys.stderr while an app runs
    def write(self, text): return len(text)
    def flush(self): pass
    def fileno(self): return -1

items = list(read_inputs([sys.argv[1]], defer_cleaning=True))
prepare_worker_processes()  # what ReaderApp does before Textual takes sys.stderr
sys.stderr = AppStderr()
out = {}
def work():  # from a thread, as the app does (so the pool is not forked)
    out["results"] = [r for batch in clean_batches([items[:120], items[120:]], len(items), 2) for r in batch]
thread = threading.Thread(target=work)
thread.start(); thread.join()
expected = [parsing.clean(i) for i in items]
assert [r.blocks for r in out["results"]] == [e.blocks for e in expected]
print("ok", len(out["results"]))
"""


def test_worker_processes_start_inside_the_app(tmp_path: Path) -> None:
    """Textual's stderr has no file number; starting a pool must still work once the app's launch
    has prepared for it (it once failed with "bad value(s) in fds_to_keep" and the app reported an
    error instead of cleaning)."""
    folder = write_folder(tmp_path / "in", 230)
    run = subprocess.run(
        [sys.executable, "-c", CHILD_WITH_APP_STDERR, str(folder)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["ok", "230"]


def test_importing_the_same_files_again_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # A wrapped markdown title: the provisional title (first line) differs from the parsed one.
    (folder / "wrapped.md").write_text(
        "# A title long enough to be wrapped\nover two lines\n\n> Source: https://example.test/a\n\n"
        "The body of the article has a sentence or two.\nIt goes on for a while longer here.\n"
    )
    rows = [
        {"title": "One row", "body": "The same body twice.", "url": "https://x.test/1"},
        {"title": "Other row", "body": "The same body twice.", "url": "https://x.test/2"},
    ]
    (folder / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    lib = Library.open(tmp_path / "lib")
    try:
        items = [i for i in read_inputs([str(folder)], defer_cleaning=True) if not isinstance(i, IngestError)]
        first = lib.add_articles(items)
        lib.clean_pending()
        assert lib.summary(first.imported[1]).meta.title == "A title long enough to be wrapped over two lines"
        again = lib.add_articles(
            i for i in read_inputs([str(folder)], defer_cleaning=True) if not isinstance(i, IngestError)
        )
        assert sorted(again.unchanged) == sorted(first.imported) and not again.imported
        # a record with the same text under another title is a duplicate both times
        assert [d[2] for d in first.duplicates] == [d[2] for d in again.duplicates]
        assert "same text as article" in again.duplicates[0][2]
    finally:
        lib.close()


def test_search_before_cleaning_reads_the_source_and_is_exact_once_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = write_folder(tmp_path / "in", 4)
    lib = import_into(tmp_path / "lib", [str(folder)], defer=True)
    try:
        with monkeypatch.context() as patch:  # searching must not clean thousands of articles
            patch.setattr(parsing, "clean", lambda item: pytest.fail("search cleaned an article"))
            assert lib.search("town hall") == lib.ids()
            assert lib.search("donate") == lib.ids()  # boilerplate counts until cleaned
        lib.clean_pending()
        assert lib.search("town hall") == lib.ids()
        assert lib.search("donate") == []  # the appeal is boilerplate now
    finally:
        lib.close()
