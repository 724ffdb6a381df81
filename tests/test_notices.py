"""Notices whenever they happen: damage the store finds after opening reaches the user at once,
as a line on standard error from the command line and as a notification in the app."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from test_store_samples import make_article

from library import Library
from reader.app.app import ReaderApp
from reader.app.settings import Settings
from reader.cli import main
from reader.cli.common import open_library


def _fill(store_dir: Path) -> list[str]:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(4)]).imported
        lib.set_article_note(ids[0], "first")
        lib.set_article_note(ids[0], "second")
    return ids


def test_listeners_hear_every_notice_from_now_on(store_dir: Path) -> None:
    heard: list[str] = []
    with Library.open(store_dir) as lib:
        lib.notice("found at open")
        lib.on_notice(heard.append)  # replays what came before
        lib.notice("found later")
        lib.on_notice(lambda _m: 1 / 0)  # a failing listener does not fail the caller
        lib.notice("and again")
    assert heard == ["found at open", "found later", "and again"]


def test_cli_prints_a_bucket_truncated_after_open_when_it_is_found(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _fill(store_dir)
    bucket = store_dir / "annotations" / f"{ids[0][:2]}.json"
    lib = open_library(argparse.Namespace(db=store_dir), write=True)
    try:
        assert capsys.readouterr().err == ""
        bucket.write_bytes(bucket.read_bytes()[:-7])  # truncated while the library is open
        assert lib.annotations(ids[0]).note == "second"  # read now: recovered from the backup
        err = capsys.readouterr().err  # printed when found, not at the next open
        assert err.count("\n") == 1 and err.startswith("reader: ") and bucket.name in err
        assert "recovered from its last good backup" in err
    finally:
        lib.close()


def test_reader_show_reports_damage_found_after_open(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _fill(store_dir)
    bucket = store_dir / "annotations" / f"{ids[0][:2]}.json"
    bucket.write_bytes(b"garbage")  # not read at open: only when `show` reads the article's notes
    assert main(["show", ids[0]]) == 0
    err = capsys.readouterr().err
    assert bucket.name in err and "showing its last good backup" in err and err.count("\n") == 1


async def test_app_notifies_a_pack_damaged_while_it_runs(store_dir: Path) -> None:
    ids = _fill(store_dir)
    pack = store_dir / "bodies" / "pack-000001.jsonl"
    lib = Library.open(store_dir)
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            data = bytearray(pack.read_bytes())
            data[40:48] = b"XXXXXXXX"  # garbled in place after the app started
            pack.write_bytes(bytes(data))
            app.open_article(ids[0])
            await pilot.pause()
            await pilot.pause()
            shown = [str(n.message) for n in app._notifications]  # noqa: SLF001 - no public list of toasts
            assert any("body pack was damaged" in m and "recovered from its copy" in m for m in shown), shown
    finally:
        lib.close()
