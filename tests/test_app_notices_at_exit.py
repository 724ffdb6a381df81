"""A library notice the app could not show (found while it closes, or after) is printed on
standard error once the app has exited: nothing the store reports is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article import make_app
from test_app_article_support import notifications, parsed_article, store_with

from reader.app.app import ReaderApp
from reader.cli import main


async def test_the_app_counts_what_it_showed_and_hands_back_the_rest(tmp_path: Path) -> None:
    library, _ = store_with(tmp_path / "lib", parsed_article())
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        library.notice("a spare copy could not be written")
        await pilot.pause()
        assert "a spare copy could not be written" in notifications(app)
    library.notice("found while closing")  # the app is gone: nobody shows this one
    assert app.unshown_notices() == ["found while closing"]


def test_reader_prints_the_notices_the_app_did_not_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lib_path = tmp_path / "lib"
    library, _ = store_with(lib_path, parsed_article())
    library.close()

    def run_and_close(self: ReaderApp) -> None:  # the app exits; closing finds something
        self.library.notice("bodies/pack-000001.jsonl.bak: could not write the spare copy")

    monkeypatch.setattr(ReaderApp, "run", run_and_close)
    assert main(["--db", str(lib_path)]) == 0
    err = capsys.readouterr().err
    assert "reader: bodies/pack-000001.jsonl.bak: could not write the spare copy" in err
