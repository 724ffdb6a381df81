"""Reading many files in worker processes yields exactly what a one-process read yields, in order."""

from __future__ import annotations

import sys
from pathlib import Path

from conftest import REPO

from library.ingest import parallel as parallel_read
from library.ingest.reading import IngestError, read_inputs

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench.corpus import write_corpus  # noqa: E402


def describe(items: list) -> list:
    out = []
    for item in items:
        if isinstance(item, IngestError):
            out.append(("error", item.label, item.reason))
        else:
            out.append((item.origin.path, item.origin.record, item.source_text, item.meta, item.blocks))
    return out


def test_parallel_read_matches_a_single_process_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(parallel_read, "MIN_FILES", 20)
    monkeypatch.setattr(parallel_read, "CHUNK", 4)
    monkeypatch.setattr(parallel_read, "SMALL_FILE_BYTES", 6000)  # some articles are read inline
    write_corpus(tmp_path / "src", 40)
    (tmp_path / "src" / "000" / "article-000010a.txt").write_bytes(b"")  # an error mid-way
    (tmp_path / "src" / "000" / "article-000020a.csv").write_text("title,body\nA,one two\nB,three\n")
    one = list(read_inputs([str(tmp_path / "src")], workers=1))
    two = list(read_inputs([str(tmp_path / "src")], workers=2))
    assert len(one) == 43  # 40 articles, one error, two records
    assert describe(two) == describe(one)


def test_few_files_are_read_without_workers(tmp_path: Path, monkeypatch) -> None:
    def no_pool(*args, **kwargs):
        raise AssertionError("a pool was started for a handful of files")

    monkeypatch.setattr(parallel_read, "ProcessPoolExecutor", no_pool)
    write_corpus(tmp_path / "src", 5)
    assert len(list(read_inputs([str(tmp_path / "src")], workers=2))) == 5
