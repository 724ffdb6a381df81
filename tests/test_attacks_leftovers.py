"""What killed writers leave, what exports create, what the lock says in a race."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from test_store_samples import make_article

from library import Library, StoreLocked
from library.store import lock as lock_module
from library.store.lock import WriterLock


def test_temporary_files_of_killed_writers_are_removed_at_the_next_writer_open(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        [aid] = lib.add_articles([make_article(1)]).imported
        lib.set_article_note(aid, "x")
    left = [
        store_dir / ".catalog.json.99999.tmp",
        store_dir / "annotations" / f".{aid[:2]}.json.99998.tmp",
        store_dir / "bodies" / ".pack-000002.jsonl.99997.tmp",
    ]
    for path in left:
        path.write_bytes(b"half a write")
    keep = store_dir / "notes.tmp"  # not a name the store writes: not ours to remove
    keep.write_bytes(b"user file")
    with Library.open(store_dir, read_only=True):
        assert all(p.exists() for p in left)  # a read-only view changes nothing
    with Library.open(store_dir) as lib:
        assert not any(p.exists() for p in left)
        assert keep.exists() and lib.annotations(aid).note == "x"


def test_exports_respect_the_umask(store_dir: Path, tmp_path: Path) -> None:
    from library.interchange.export import export_library

    with Library.open(store_dir) as lib:
        [aid] = lib.add_articles([make_article(1)]).imported
        lib.add_highlight(aid, 0, 5, tags=["t"])
        old = os.umask(0o022)
        try:
            export_library(lib, "json", tmp_path / "a.json")
            os.umask(0o077)
            export_library(lib, "json", tmp_path / "b.json")
        finally:
            os.umask(old)
    assert (tmp_path / "a.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "b.json").stat().st_mode & 0o777 == 0o600


def test_lock_message_names_the_pid_even_in_a_race(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a kernel lock table the holder writes its pid just after taking the lock; a loser
    reading in between waits for it instead of saying "pid unknown"."""
    monkeypatch.setattr(lock_module, "kernel_lock_table", lambda: False)
    monkeypatch.setattr(lock_module, "flock_holder", lambda _path: None)
    holder = WriterLock(tmp_path)
    holder.acquire()
    holder.path.write_text("")  # the moment between flock and the pid being written
    threading.Timer(0.2, lambda: holder.path.write_text("4242\n")).start()
    started = time.monotonic()
    with pytest.raises(StoreLocked) as caught:
        WriterLock(tmp_path).acquire()
    assert "pid 4242" in str(caught.value) and "unknown" not in str(caught.value)
    assert "--read-only" in str(caught.value)
    assert time.monotonic() - started < 1.5
    holder.release()


@pytest.mark.skipif(not lock_module.kernel_lock_table(), reason="no /proc/locks here")
def test_the_lock_names_its_holder_from_the_kernel_and_writes_nothing(tmp_path: Path) -> None:
    """Where the kernel lists its locks, the lock file is not written (no page per writable
    open), a pid an older program left in it is dropped, and the message still names the holder."""
    (tmp_path / "lock").write_text("4242\n")  # left by a program that wrote its pid
    holder = WriterLock(tmp_path)
    holder.acquire()
    try:
        assert holder.path.read_bytes() == b""
        started = time.monotonic()
        with pytest.raises(StoreLocked) as caught:
            WriterLock(tmp_path).acquire()
        assert f"pid {os.getpid()}" in str(caught.value)
        assert time.monotonic() - started < 0.5  # no wait for a pid to be written
    finally:
        holder.release()
    assert lock_module.flock_holder(holder.path) is None


def test_an_import_batch_is_bounded_in_bytes_not_only_in_articles(
    store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batch grows with the catalogue (to keep imports linear); its texts held in memory are
    capped, so a large data set never holds half of itself in memory at once."""
    from library.core import importing as importing_mod

    monkeypatch.setattr(importing_mod, "MAX_BATCH_BYTES", 20_000)
    with Library.open(store_dir) as lib:
        report = lib.add_articles(make_article(i, words=200) for i in range(30))
        assert len(report.imported) == 30
    packs = sorted((store_dir / "bodies").glob("pack-*.jsonl"))
    assert len(packs) >= 5
    assert all(p.stat().st_size < 20_000 + 10_000 for p in packs)
