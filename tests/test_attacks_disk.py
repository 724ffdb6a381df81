"""A full disk, a read-only file system and a lock file that cannot be opened: every command
ends in one line and an exit code, the library stays as it was, and reading still works.

The disk is a 2 MB tmpfs (root only); where mounting is not permitted the tests skip and say so.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_store_samples import make_article

from library import Library
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, text=True)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 2 MB tmpfs at a temporary folder, unmounted afterwards."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (run the suite as root to test a full disk)")
    try:
        _mount("-t", "tmpfs", "-o", "size=2m", "tmpfs", str(point))
    except (OSError, subprocess.CalledProcessError) as err:
        pytest.skip(f"mounting a tmpfs is not permitted here ({getattr(err, 'stderr', err)})")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=False, capture_output=True)


def _library(root: Path) -> tuple[Path, list[str]]:
    store = root / "library"
    with Library.open(store) as lib:
        ids = lib.add_articles([make_article(i) for i in range(5)]).imported
        lib.add_highlight(ids[0], 0, 5, tags=["before"])
    return store, ids


def _fill_disk(root: Path) -> Path:
    filler = root / "filler"
    with open(filler, "wb", buffering=0) as fh:
        for size in (65536, 4096, 1):  # down to the last byte
            with contextlib.suppress(OSError):
                while True:
                    fh.write(b"x" * size)
    return filler


def _one_line(code: int, err: str, *words: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    for word in words:
        assert word in lines[0], lines[0]


def test_full_disk_ends_every_writing_command_in_one_line(
    small_disk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, ids = _library(small_disk)
    before = {p.name: p.read_bytes() for p in (store / "annotations").iterdir()}
    article = tmp_path / "new.txt"
    article.write_text("A new title\n\n" + "A body paragraph with words in it. " * 200 + "\n")
    export = tmp_path / "ann.json"
    assert run(capsys, "--db", str(store), "export", "-o", str(export))[0] == 0
    with Library.open(store) as lib:  # an export file from another library, to import here
        for aid in ids[1:]:
            lib.add_highlight(aid, 0, 9, tags=["later"])
    run(capsys, "--db", str(store), "export", "--force", "-o", str(export))
    with Library.open(store) as lib:
        for aid in ids[1:]:
            lib.put_annotations({aid: lib.annotations(aid).__class__(article_id=aid)}, label="reset")
    before = {p.name: p.read_bytes() for p in (store / "annotations").iterdir()}
    filler = _fill_disk(small_disk)
    db = ("--db", str(store))
    for command in (
        ["annotate", ids[1][:8], "--start", "0", "--end", "5", "--tag", "x"],
        ["tag", ids[2][:8], "full"],
        ["import", str(article)],
        ["import-annotations", str(export)],
        ["merge", str(export)],
    ):
        code, out, err = run(capsys, *db, *command)
        _one_line(code, err, "disk is full")
    code, out, _ = run(capsys, *db, "stats", "--json")  # reading still works on a full disk
    assert code == 0 and json.loads(out)["articles"] == 5
    assert {p.name: p.read_bytes() for p in (store / "annotations").iterdir()} == before
    filler.unlink()
    with Library.open(store) as lib:  # nothing was damaged, nothing half-written is left
        assert [m for m in lib.notices if "history" not in m] == []
        assert [h.tags for h in lib.annotations(ids[0]).highlights] == [["before"]]
        assert len(lib) == 5
    leftovers = [p for p in store.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_read_only_file_system_reads_and_refuses_writes_in_one_line(
    small_disk: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reader.cli.commands_app import _open_for_app
    from reader.cli.common import store_path  # noqa: F401 - the app opens through the same path

    store, ids = _library(small_disk)
    _mount("-o", "remount,ro", str(small_disk))
    db = ("--db", str(store))
    code, out, err = run(capsys, *db, "stats", "--json")
    assert code == 0 and json.loads(out)["highlights"] == 1
    code, _, err = run(capsys, *db, "tag", ids[0][:8], "x")
    _one_line(code, err, "lock", "Read-only file system", "--read-only")
    code, _, err = run(capsys, *db, "--read-only", "tag", ids[0][:8], "x")
    _one_line(code, err, "read-only", "nothing was changed")
    code, out, _ = run(capsys, *db, "--read-only", "show", ids[0][:8], "--json")
    assert code == 0 and json.loads(out)["id"] == ids[0]
    # The app opens a read-only view and says why, instead of refusing to start.
    import argparse

    lib = _open_for_app(argparse.Namespace(db=store))
    try:
        assert lib.read_only and any("Read-only file system" in n for n in lib.notices)
    finally:
        lib.close()


def test_lock_file_permission_denied_is_one_line(
    store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, ids = _library(store_dir.parent)
    from library.store import lock as lock_mod

    real_open = os.open

    def denied(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("/lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(lock_mod.os, "open", denied)
    code, _, err = run(capsys, "--db", str(store), "tag", ids[0][:8], "x")
    _one_line(code, err, "lock", "Permission denied", "--read-only")
    monkeypatch.setenv("READER_READ_ONLY", "1")
    code, out, err = run(capsys, "--db", str(store), "stats")
    assert code == 0 and "5 articles" in out


def test_enospc_mid_annotate_is_one_line_without_a_mount(
    store_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same promise where mounting is not allowed: ENOSPC from the write itself."""
    store, ids = _library(store_dir.parent)
    from library.store import atomic as atomic_mod

    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_mod.os, "fsync", full)
    code, _, err = run(capsys, "--db", str(store), "annotate", ids[1][:8], "--start", "0", "--end", "5")
    _one_line(code, err, "disk is full")
    monkeypatch.setattr(atomic_mod.os, "fsync", real_fsync)
    with Library.open(store) as lib:
        assert lib.annotations(ids[1]).highlights == []
