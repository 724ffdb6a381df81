"""`reader check` reads the annotation logs too (`library.store.bucket_log`): a damaged log with a
good copy, a copy behind its log, a torn last line, a log with neither copy good and a log whose
bucket is gone each get one line; `--repair` mends them and the next check finds the library sound
with the highlights the good copy held."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_attacks_check import run
from test_store_samples import make_article

from library import Library


@pytest.fixture
def logged(store_dir: Path) -> tuple[Path, str, Path]:
    """A library whose one article's bucket has a log of two highlights."""
    with Library.open(store_dir) as lib:
        aid = lib.add_articles([make_article(1)]).imported[0]
        lib.set_article_note(aid, "first")  # creates the bucket, written whole
        lib.add_highlight(aid, 0, 4, tags=["one"])
        lib.add_highlight(aid, 5, 9, tags=["two"])
    log = store_dir / "annotations" / f"{aid[:2]}.log"
    assert log.exists() and len(log.read_bytes().splitlines()) == 2
    return store_dir, aid, log


def _tags(store: Path, aid: str) -> list[list[str]]:
    with Library.open(store) as lib:
        return [h.tags for h in lib.annotations(aid).highlights]


def _check(capsys: pytest.CaptureFixture[str], store: Path, *extra: str) -> tuple[int, str]:
    code, out, err = run(capsys, "--db", str(store), "check", *extra)
    assert "Traceback" not in out + err
    return code, out + err


def test_a_sound_log_checks_clean(logged, capsys) -> None:
    store, _, _ = logged
    code, out = _check(capsys, store)
    assert code == 0 and "library is sound" in out


def test_a_damaged_log_is_named_and_mended_from_its_copy(logged, capsys) -> None:
    store, aid, log = logged
    raw = log.read_bytes()
    log.write_bytes(raw[:20] + b"X" + raw[21:])
    code, out = _check(capsys, store)
    assert (
        code != 0
        and f"{log.name}" in out
        and "annotation log is damaged" in out
        and "its copy is good" in out
    )
    code, out = _check(capsys, store, "--repair")
    assert "written again from the good copy" in out
    code, out = _check(capsys, store)
    assert code == 0 and "library is sound" in out and log.read_bytes() == raw
    assert list(log.parent.glob(f"{log.name}.corrupt-*"))
    assert _tags(store, aid) == [["one"], ["two"]]


def test_a_copy_behind_its_log_is_written_again(logged, capsys) -> None:
    store, aid, log = logged
    bak = log.with_name(log.name + ".bak")
    bak.write_bytes(log.read_bytes().splitlines(keepends=True)[0][:-5])  # one line, torn
    code, out = _check(capsys, store)
    assert code != 0 and "copy of the annotation log is behind" in out
    _check(capsys, store, "--repair")
    assert bak.read_bytes() == log.read_bytes()
    code, out = _check(capsys, store)
    assert code == 0 and "library is sound" in out
    assert _tags(store, aid) == [["one"], ["two"]]


def test_a_torn_last_line_is_cut_off(logged, capsys) -> None:
    store, aid, log = logged
    for path in (log, log.with_name(log.name + ".bak")):
        path.write_bytes(path.read_bytes() + b'0badc0de {"seq": 9')
    code, out = _check(capsys, store)
    assert code != 0 and "torn line" in out
    _check(capsys, store, "--repair")
    code, out = _check(capsys, store)
    assert code == 0 and "library is sound" in out
    assert _tags(store, aid) == [["one"], ["two"]]


def test_a_log_with_no_good_copy_is_set_aside_by_repair(logged, capsys) -> None:
    store, aid, log = logged
    for path in (log, log.with_name(log.name + ".bak")):
        path.write_bytes(b"garbage\n" + path.read_bytes())
    code, out = _check(capsys, store)
    assert code != 0 and "its copy is unusable too" in out and "lost" in out
    code, out = _check(capsys, store, "--repair")
    assert "moved aside" in out
    code, out = _check(capsys, store)
    assert code == 0 and "library is sound" in out
    assert _tags(store, aid) == []  # the bucket as it was last written: the note, no highlights
    with Library.open(store) as lib:
        assert lib.annotations(aid).note == "first"


def test_a_log_without_its_bucket_is_named(logged, capsys) -> None:
    store, _, log = logged
    for suffix in (".json", ".json.bak"):
        log.with_suffix(suffix).unlink()
    code, out = _check(capsys, store)
    assert code != 0 and "annotation log without its bucket" in out
