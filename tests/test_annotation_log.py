"""The annotation bucket's append log: a change writes a patch, not the bucket; the log is taken
into the bucket as it grows; torn, damaged and already-taken-in lines are read as promised."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_store_samples import make_article

from library import Library, StoreCorrupt
from library.store import annotation_store
from library.store.atomic import AtomicJSONStorage


def _setup(store_dir: Path) -> tuple[str, Path]:
    with Library.open(store_dir) as lib:
        aid = lib.add_articles([make_article(1)]).imported[0]
        lib.set_article_note(aid, "first")  # a new bucket: written whole
    return aid, store_dir / "annotations" / f"{aid[:2]}"


def test_a_change_appends_a_patch_and_reopens_the_same(store_dir: Path, monkeypatch) -> None:
    aid, stem = _setup(store_dir)
    bucket = stem.with_suffix(".json")
    before = bucket.read_bytes()
    writes = []
    real = AtomicJSONStorage.write
    monkeypatch.setattr(AtomicJSONStorage, "write", lambda self, data: (writes.append(1), real(self, data)))
    with Library.open(store_dir) as lib:
        for i in range(30):
            lib.add_highlight(aid, i, i + 3, tags=[f"t{i % 3}"])
        lib.delete_highlight(aid, lib.annotations(aid).highlights[4].id)
        state = lib.annotations(aid).to_json()
    assert writes == [] and bucket.read_bytes() == before  # every change went to the log
    log = stem.with_suffix(".log")
    assert log.read_bytes() == stem.with_suffix(".log.bak").read_bytes()
    assert len(log.read_bytes().splitlines()) == 31
    assert max(len(line) for line in log.read_bytes().splitlines()) < 1500  # a patch, not the record
    with Library.open(store_dir) as lib:
        assert lib.annotations(aid).to_json() == state and not lib.notices
        assert lib.undo() == "delete highlight"
        assert len(lib.annotations(aid).highlights) == 30


def test_the_log_is_taken_into_the_bucket_when_it_grows(store_dir: Path, monkeypatch) -> None:
    aid, stem = _setup(store_dir)
    monkeypatch.setattr(annotation_store, "LOG_MIN_BYTES", 6000)
    with Library.open(store_dir) as lib:
        for i in range(40):
            lib.add_highlight(aid, i, i + 2, tags=["x"])
        state = lib.annotations(aid).to_json()
    log = stem.with_suffix(".log")
    assert not log.exists() or log.stat().st_size < 6000
    with Library.open(store_dir) as lib:
        assert lib.annotations(aid).to_json() == state and not lib.notices


def test_lines_the_bucket_already_holds_are_skipped(store_dir: Path, monkeypatch) -> None:
    """A crash after the bucket took the log in and before the log was removed."""
    aid, stem = _setup(store_dir)
    with Library.open(store_dir) as lib:
        for i in range(5):
            lib.add_highlight(aid, i, i + 2, tags=["x"])
        state = lib.annotations(aid).to_json()
    log = stem.with_suffix(".log")
    kept = log.read_bytes(), stem.with_suffix(".log.bak").read_bytes()
    monkeypatch.setattr(annotation_store, "LOG_MIN_BYTES", 1)  # the next change writes the bucket
    with Library.open(store_dir) as lib:
        lib.set_article_note(aid, "taken in")
        state = lib.annotations(aid).to_json()
    assert not log.exists()
    log.write_bytes(kept[0])  # the old log back, as if its removal never happened
    stem.with_suffix(".log.bak").write_bytes(kept[1])
    monkeypatch.undo()
    with Library.open(store_dir) as lib:
        assert lib.annotations(aid).to_json() == state and not lib.notices


def test_a_torn_last_line_is_dropped(store_dir: Path) -> None:
    aid, stem = _setup(store_dir)
    with Library.open(store_dir) as lib:
        lib.add_highlight(aid, 0, 4, tags=["kept"])
    log = stem.with_suffix(".log")
    good = log.read_bytes()
    for path in (log, stem.with_suffix(".log.bak")):
        path.write_bytes(good + b'0badc0de {"seq": 9, "article_id"')  # a crash mid-append
    with Library.open(store_dir) as lib:
        assert [h.tags for h in lib.annotations(aid).highlights] == [["kept"]] and not lib.notices
        lib.add_highlight(aid, 5, 9, tags=["after"])
    with Library.open(store_dir) as lib:
        assert [h.tags for h in lib.annotations(aid).highlights] == [["kept"], ["after"]]
        assert not lib.notices


def test_a_damaged_log_is_read_from_its_copy(store_dir: Path) -> None:
    aid, stem = _setup(store_dir)
    with Library.open(store_dir) as lib:
        lib.add_highlight(aid, 0, 4, tags=["one"])
        lib.add_highlight(aid, 5, 9, tags=["two"])
    log = stem.with_suffix(".log")
    raw = log.read_bytes()
    log.write_bytes(raw[:20] + b"X" + raw[21:])  # a flipped byte in the first line
    with Library.open(store_dir) as lib:
        assert [h.tags for h in lib.annotations(aid).highlights] == [["one"], ["two"]]
        assert any(log.name in n and "recovered from its copy" in n for n in lib.notices)
    assert list(log.parent.glob(f"{log.name}.corrupt-*"))
    stem.with_suffix(".log.bak").write_bytes(b"garbage\n" + raw)
    log.write_bytes(b"garbage\n" + raw)
    with (
        pytest.raises(StoreCorrupt, match=r"\.log: annotation log is damaged \(line 1"),
        Library.open(store_dir) as lib,
    ):
        lib.annotations(aid)


def test_a_log_whose_bucket_was_given_up_is_never_applied(store_dir: Path) -> None:
    aid, stem = _setup(store_dir)
    with Library.open(store_dir) as lib:
        lib.add_highlight(aid, 0, 4, tags=["old"])
    for suffix in (".json", ".json.bak"):
        stem.with_suffix(suffix).unlink()
    store = annotation_store.AnnotationStore(stem.parent, read_only=False, notice=lambda _m: None)
    assert [p.name for p in store.forget_lost()] == [f"{stem.name}.json"]  # as `check --repair` does
    store.close()
    with Library.open(store_dir) as lib:
        assert lib.annotations(aid).highlights == []
        assert any("annotation log without its bucket" in n for n in lib.notices)
        lib.set_article_note(aid, "new")
    with Library.open(store_dir) as lib:
        assert lib.annotations(aid).note == "new" and lib.annotations(aid).highlights == []
        assert not lib.notices
    assert list(stem.parent.glob(f"{stem.name}.log.corrupt-*"))
