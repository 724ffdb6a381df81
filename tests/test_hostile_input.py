"""Issue 6.1: a generated corpus of hostile files read by `read_inputs`.

Every bad file gives exactly one IngestError with its (safe) path and a reason, every good file
(legacy encodings, UTF-16 with and without BOM included) gives its article, nothing raises, the
100 MB file is never read whole, and peak memory stays bounded.

The whole-corpus test takes about 10 s (under tracemalloc, with a 50 MB CSV field and a 10 MB line
through the real parsers); creating the corpus about 1-4 s. The file stays under 30 s.
"""

from __future__ import annotations

import builtins
import os
import tracemalloc
from pathlib import Path

import pytest
from hostile import EMPTY_DIR_FILES, HostileCorpus, make_hostile_corpus, patch_unreadable

from library.ingest import reading as ingest
from library.ingest.reading import IngestError, read_inputs

MEMORY_BOUND = 400 * 1024 * 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> HostileCorpus:
    return make_hostile_corpus(tmp_path_factory.mktemp("hostile") / "corpus")


def test_corpus_has_at_least_30_kinds_of_bad_file(corpus: HostileCorpus) -> None:
    kinds = [e for e in corpus.expects if e.errors or e.either]
    assert len(kinds) + 1 >= 30  # + the folder of 10,000 empty files
    assert corpus.bad_files >= 30 + EMPTY_DIR_FILES - 1


def test_every_bad_file_gives_one_error_and_good_files_come_through(
    corpus: HostileCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = os.path.abspath(corpus.root / "huge_100mb.txt")
    largest_read: dict[str, int] = {}
    real_open = builtins.open

    class CountingFile:
        """Wraps a binary file to record how many bytes were read from the 100 MB one."""

        def __init__(self, fh):  # type: ignore[no-untyped-def]
            self._fh = fh

        def read(self, n: int = -1) -> bytes:
            data = self._fh.read(n)
            largest_read[big] = largest_read.get(big, 0) + len(data)
            return data

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(self._fh, name)

        def __enter__(self):  # type: ignore[no-untyped-def]
            return self

        def __exit__(self, *exc: object) -> None:
            self._fh.close()

    def counting_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        fh = real_open(file, *args, **kwargs)
        if isinstance(file, (str, os.PathLike)) and os.path.abspath(file) == big:
            return CountingFile(fh)
        return fh

    monkeypatch.setattr(builtins, "open", counting_open)
    with patch_unreadable(corpus, monkeypatch.setattr):
        tracemalloc.start()
        try:
            results = list(read_inputs([str(corpus.root)]))
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    articles, errors = corpus.check(results)
    assert len(errors) >= corpus.expected_error_count
    assert len(articles) >= corpus.expected_article_count
    assert peak < MEMORY_BOUND, f"peak traced memory {peak / 2**20:.0f} MB"
    assert largest_read.get(big, 0) <= ingest.HEAD_BYTES  # only the head was sniffed, never the 100 MB


def test_legacy_and_utf16_text_is_decoded_exactly(
    corpus: HostileCorpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["latin1.txt", "cp1252.txt", "utf16_bom.txt", "utf16be_bom.txt", "utf16_no_bom.txt", "crlf.txt"]
    results = list(read_inputs([str(corpus.root / n) for n in names]))
    assert not [r for r in results if isinstance(r, IngestError)], results
    texts = {Path(r.origin.path).name: r.source_text for r in results}  # type: ignore[union-attr]
    assert "Hélène Dubois" in texts["latin1.txt"] and "\ufffd" not in texts["latin1.txt"]
    assert "“temporary” –" in texts["cp1252.txt"]
    assert texts["utf16_bom.txt"] == texts["utf16be_bom.txt"] == texts["utf16_no_bom.txt"]
    assert texts["crlf.txt"].count("\r\n") >= 4  # newlines are kept exactly


def test_hostile_names_are_one_safe_line(corpus: HostileCorpus) -> None:
    names = [p for p in corpus.root.iterdir() if "\n" in p.name or "\x1b" in p.name or "\udce9" in p.name]
    assert len(names) == 3
    errors = list(read_inputs([str(p) for p in names]))
    assert len(errors) == 3 and all(isinstance(e, IngestError) for e in errors)
    for err in errors:
        line = str(err)
        assert "\n" not in line and "\x1b" not in line and "\x07" not in line
        line.encode("utf-8")  # printable: no lone surrogates from undecodable names
    assert any("\\xe9" in e.label for e in errors)
    assert any("␊" in e.label for e in errors)
    assert any("␛" in e.label for e in errors)


def test_folder_of_ten_thousand_empty_files(corpus: HostileCorpus) -> None:
    errors = list(read_inputs([str(corpus.empty_dir)]))
    assert len(errors) == EMPTY_DIR_FILES
    assert {e.reason for e in errors} == {"empty file"}  # type: ignore[union-attr]
