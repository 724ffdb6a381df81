"""`Library.import_paths`: the one import flow the command line and the app both call."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_deferred_cleaning import gr_article, import_into, same_library, write_folder

from library import InvalidInput, Library, open_library
from library.cleaning import parsers as parsing
from library.core import pipeline
from library.ingest.reading import IngestError, read_inputs
from library.store.bodies import BodyPacks
from library.store.catalog import Catalog


def test_reads_cleans_and_stores_in_one_pass_with_progress_and_a_stored_callback(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 6)
    (folder / "empty.txt").write_text("")
    stages: list[tuple[str, int, int | None]] = []
    stored_seen: list[int] = []
    with open_library(tmp_path / "lib", annotator="ann") as lib:
        assert lib.annotator == "ann"

        def stored(report) -> None:  # listed, and already cleaned
            stored_seen.append(len(report.imported))
            assert lib.pending_ids() == []
            assert all(s.cleaned and s.site for s in lib.summaries())

        report = lib.import_paths(
            [folder], progress=lambda *step: stages.append(step), stored=stored, workers=1
        )
        assert len(report.imported) == 6 and stored_seen == [6]
        assert report.cleaning is not None and len(report.cleaning.cleaned) == 6
        assert lib.pending_ids() == [] and all(s.cleaned for s in lib.summaries())
        assert [label.endswith("empty.txt") for label, _ in report.unreadable] == [True]
        assert report.failed_count == 1
        assert {stage for stage, _, _ in stages} == {"importing"}  # nothing is left to clean after
        assert stages[-1] == ("importing", 6, None)  # the articles read (the empty file is not one)
        again = lib.import_paths([folder], workers=1)
        assert sorted(again.unchanged) == sorted(report.imported) and not again.imported


class Writes:
    """Counts the store's writes during an import (a spy on the catalogue and the packs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.added: list[int] = []
        self.replaced: list[int] = []
        self.packs: list[tuple[int, bool]] = []
        real_add, real_replace, real_pack = Catalog.add_batch, Catalog.replace_batch, BodyPacks.write_lines

        def add(catalog, entries):  # type: ignore[no-untyped-def]
            self.added.append(len(entries))
            return real_add(catalog, entries)

        def replace(catalog, entries, removed):  # type: ignore[no-untyped-def]
            self.replaced.append(len(entries))
            return real_replace(catalog, entries, removed)

        def pack(packs, lines, spare=True):  # type: ignore[no-untyped-def]
            self.packs.append((len(lines), spare))
            return real_pack(packs, lines, spare=spare)

        monkeypatch.setattr(Catalog, "add_batch", add)
        monkeypatch.setattr(Catalog, "replace_batch", replace)
        monkeypatch.setattr(BodyPacks, "write_lines", pack)


def test_batches_of_short_texts_run_on_to_their_byte_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Short records make fewer, larger batches (one catalogue segment each, which a lookup of
    one article probes): a later batch runs past PIPE_BATCH until BATCH_BYTES or MAX_PIPE_BATCH."""
    monkeypatch.setattr(pipeline, "FIRST_BATCH", 100)
    monkeypatch.setattr(pipeline, "PIPE_BATCH", 60)
    monkeypatch.setattr(pipeline, "MAX_PIPE_BATCH", 90)
    folder = write_folder(tmp_path / "in", 230)
    writes = Writes(monkeypatch)
    with open_library(tmp_path / "lib") as lib:
        report = lib.import_paths([folder], workers=1)
        assert len(report.imported) == 230 and report.pending == 0
        assert writes.added == [100, 90, 40]  # the first batch stays small: rows are listed soon
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        assert len(lib.ids()) == 230


@pytest.mark.parametrize("workers", [1, 2])
def test_each_batch_is_stored_once_already_cleaned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(pipeline, "FIRST_BATCH", 100)
    monkeypatch.setattr(pipeline, "PIPE_BATCH", 60)
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1)  # texts of news-page size: batches of PIPE_BATCH
    folder = write_folder(tmp_path / "in", 230)  # over MIN_ITEMS: with 2 workers, a pool cleans
    writes = Writes(monkeypatch)
    with open_library(tmp_path / "lib") as lib:
        report = lib.import_paths([folder], workers=workers)
        assert len(report.imported) == 230 and not report.failed and report.pending == 0
        assert lib.pending_ids() == []
        # One catalogue write per batch (100, 60, 60, 10), no pending write rewritten once cleaned.
        assert writes.added == [100, 60, 60, 10] and writes.replaced == []
        # Per batch a source pack (with its spare copy) and a blocks pack (derivable: none).
        assert writes.packs == [(n, spare) for n in (100, 60, 60, 10) for spare in (True, False)]
        entries = list(lib._catalog.entries.values())
        assert all(e.get("blocks") and "pending" not in e for e in entries)
    bodies = sorted(p.name for p in (tmp_path / "lib" / "bodies").iterdir())
    assert len([n for n in bodies if n.endswith(".jsonl")]) == 8
    assert len([n for n in bodies if n.endswith(".bak")]) == 4
    assert len(list((tmp_path / "lib" / "catalog").glob("seg-*.jsonl"))) == 4
    assert len(list((tmp_path / "lib" / "sites").glob("counts-*.tsv"))) == 4
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        try:
            same_library(eager, lib)
        finally:
            eager.close()


def test_stop_stores_the_rest_pending_and_cleaning_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "FIRST_BATCH", 4)
    monkeypatch.setattr(pipeline, "PIPE_BATCH", 4)
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1)  # batches of PIPE_BATCH, as for news pages
    folder = write_folder(tmp_path / "in", 14)
    asked = iter([False, True])
    with open_library(tmp_path / "lib") as lib:
        report = lib.import_paths([folder], workers=1, stop=lambda: next(asked, True))
        assert len(report.imported) == 14 and report.pending == 6  # two batches cleaned, then stop
        assert report.cleaning is not None and len(report.cleaning.cleaned) == 8
        assert len(lib.pending_ids()) == 6
        finished = lib.clean_pending()
        assert len(finished.cleaned) == 6 and lib.pending_ids() == []
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        try:
            same_library(eager, lib)
        finally:
            eager.close()


def test_duplicates_and_failures_are_reported_as_the_two_step_import_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    body = "The same story was posted twice.\n\nOnly the headline differs between the two copies.\n"
    for n, title in enumerate(["First headline", "Second headline", "Third headline"]):
        (folder / f"{n}.txt").write_text(gr_article(n, title=title, body=body), encoding="utf-8")
    for n in range(3, 7):
        (folder / f"{n}.txt").write_text(gr_article(n), encoding="utf-8")
    (folder / "copy-of-3.txt").write_text(gr_article(3), encoding="utf-8")  # the same file again
    real = parsing.clean

    def flaky(item):  # type: ignore[no-untyped-def]
        if "Story 5 " in item.source_text:
            raise ValueError("parser bug")
        return real(item)

    monkeypatch.setattr(parsing, "clean", flaky)
    with open_library(tmp_path / "two-step") as old:  # what the import did before: store, then clean
        items = (i for i in read_inputs([str(folder)], defer_cleaning=True) if not isinstance(i, IngestError))
        expected = old.add_articles(items)
        expected.absorb(old.clean_pending(workers=1))
        old_ids = old.ids()
    with open_library(tmp_path / "lib") as lib:
        report = lib.import_paths([folder], workers=1)
        assert report.imported == expected.imported and lib.ids() == old_ids
        assert report.unchanged == expected.unchanged and len(report.unchanged) == 1
        assert report.duplicates == expected.duplicates and len(report.duplicates) == 2
        assert report.failed == expected.failed
        assert [reason for _, reason in report.failed] == ["could not parse: ValueError: parser bug"]


def test_no_paths_only_cleans_and_bad_options_are_refused(tmp_path: Path) -> None:
    with open_library(tmp_path / "lib") as lib:
        report = lib.import_paths([])
        assert report.imported == [] and report.cleaning is not None and report.cleaning.cleaned == []
        with pytest.raises(InvalidInput, match="unknown format"):
            lib.import_paths([tmp_path], fmt="nonsense")
        with pytest.raises(InvalidInput, match="unknown field"):
            lib.import_paths([tmp_path], mapping={"colour": "c"})


def _blocks_packs(store: Path) -> list[Path]:
    """The packs an import wrote without a copy: its blocks."""
    return [
        p for p in sorted((store / "bodies").glob("pack-*.jsonl")) if not p.with_suffix(".jsonl.bak").exists()
    ]


def test_a_lost_blocks_pack_makes_its_articles_pending_and_cleaning_restores_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "FIRST_BATCH", 5)
    monkeypatch.setattr(pipeline, "PIPE_BATCH", 5)
    monkeypatch.setattr(pipeline, "BATCH_BYTES", 1)  # batches of PIPE_BATCH, as for news pages
    folder = write_folder(tmp_path / "in", 12)
    store = tmp_path / "lib"
    with open_library(store) as lib:
        lib.import_paths([folder], workers=1)
    lost = _blocks_packs(store)[1]
    lost.write_bytes(lost.read_bytes()[:40])  # truncated
    with Library.open(store) as lib:
        (notice,) = lib.notices
        assert notice.startswith(f"{lost}: blocks pack is damaged (truncated to 40 bytes")
        assert "its 5 articles are pending again" in notice
        assert len(lib.pending_ids()) == 5
        for aid in lib.ids():  # every article still opens
            assert lib.article(aid).blocks
        assert len(lib.clean_pending().cleaned) == 5
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    with Library.open(store, read_only=True) as lib:
        assert lib.notices == []
        try:
            same_library(eager, lib)
        finally:
            eager.close()


def test_a_garbled_blocks_pack_is_cleaned_again_when_read_and_check_repairs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli import main

    folder = write_folder(tmp_path / "in", 6)
    store = tmp_path / "lib"
    with open_library(store) as lib:
        lib.import_paths([folder], workers=1)
        ids = lib.ids()
    (pack,) = _blocks_packs(store)
    raw = bytearray(pack.read_bytes())
    raw[30:50] = b"#" * 20  # inside the first article's line
    pack.write_bytes(bytes(raw))
    eager = import_into(tmp_path / "eager", [str(folder)], defer=False)
    try:
        with Library.open(store) as lib:
            article = lib.article(ids[0])
            (notice,) = lib.notices
            assert notice.startswith(f"{pack}: blocks of article {ids[0]} are damaged")
            assert [b.to_json() for b in article.blocks] == [
                b.to_json() for b in eager.article(ids[0]).blocks
            ]
        assert main(["--db", str(store), "check"]) == 1
        out = capsys.readouterr().out
        assert f"{pack}: blocks pack is damaged" in out and "keeps no copy" in out
        assert main(["--db", str(store), "check", "--repair"]) in (0, 1)
        capsys.readouterr()
        with Library.open(store) as lib:
            assert len(lib.pending_ids()) == 6 and len(lib.notices) == 1
            lib.clean_pending()
        assert main(["--db", str(store), "check"]) == 0
        with Library.open(store, read_only=True) as lib:
            same_library(eager, lib)
    finally:
        eager.close()
