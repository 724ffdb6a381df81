"""One error family: what the library raises, and how the command line shows it."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_samples import make_article

import library
from library import (
    AmbiguousId,
    ArticleNotFound,
    BlockNotFound,
    HighlightNotFound,
    InvalidInput,
    Library,
    LibraryError,
    NotFound,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    StoreReadOnly,
)
from reader.cli import main


def test_the_family_keeps_the_built_in_questions() -> None:
    for cls in (StoreError, StoreCorrupt, StoreLocked, StoreReadOnly, NotFound, InvalidInput):
        assert issubclass(cls, LibraryError)
    for cls in (ArticleNotFound, HighlightNotFound, BlockNotFound):
        assert issubclass(cls, KeyError) and issubclass(cls, NotFound)
    assert issubclass(BlockNotFound, IndexError)
    assert issubclass(AmbiguousId, ValueError) and issubclass(InvalidInput, ValueError)
    # str() is the message itself, not KeyError's quoted repr
    assert str(ArticleNotFound("no article with id 'x'")) == "no article with id 'x'"
    from library.ingest.decode import DecodeError
    from library.interchange.importing import AnnotationFileError
    from library.interchange.writer import ExportError

    assert all(issubclass(c, LibraryError) for c in (DecodeError, AnnotationFileError, ExportError))
    assert set(library.__all__) >= {"LibraryError", "ArticleNotFound", "AmbiguousId", "StoreError"}


def test_library_raises_only_its_own_errors(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        [aid] = lib.add_articles([make_article(0)]).imported
        with pytest.raises(ArticleNotFound):
            lib.article("0" * 16)
        with pytest.raises(ArticleNotFound):
            lib.annotations("0" * 16)
        with pytest.raises(InvalidInput):
            lib.add_highlight(aid, 5, 5, tags=[])
        with pytest.raises(HighlightNotFound):
            lib.delete_highlight(aid, "nope")
        with pytest.raises(BlockNotFound):
            lib.flip_block(aid, 99)


def test_cli_shows_one_line_and_the_mapped_exit_code(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(store_dir) as lib:
        lib.add_articles([make_article(i) for i in range(40)])
    assert main(["show", "zzzz"]) == 1  # not found
    err = capsys.readouterr().err
    assert (
        err == "reader: show: no article with id 'zzzz' in " + str(store_dir) + "\n"
    )  # reader: <what>: <why>
    with Library.open(store_dir, read_only=True) as lib:
        common = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in lib.ids()) > 1)
    assert main(["show", common]) == 2  # ambiguous: bad input
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "give more of the id" in err and "Traceback" not in err
    (store_dir / "meta.json").write_text("{}")  # and its backup: no good copy is left
    (store_dir / "meta.json.bak").write_text("{}")
    assert main(["list"]) == 2  # a store that cannot be used
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "meta.json" in err
