"""Nothing lost: atomic writes, corrupt files recovered from backups, one writer at a time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from test_store_samples import make_article

from library import Library, StoreCorrupt, StoreLocked
from library.store import atomic as atomic_mod

REPO = Path(__file__).resolve().parents[1]


def _fill(store_dir: Path, n: int = 4) -> list[str]:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(n)]).imported
        lib.set_article_note(ids[0], "first")
        lib.set_article_note(ids[0], "second")
    return ids


# --- atomic writes --------------------------------------------------------------------------
def test_failed_write_leaves_old_file_and_memory_consistent(store_dir: Path, monkeypatch) -> None:
    ids = _fill(store_dir)
    bucket = store_dir / "annotations" / f"{ids[0][:2]}.json"
    files = {p.name: p.read_bytes() for p in bucket.parent.iterdir()}  # the bucket and its log
    with Library.open(store_dir) as lib:
        real_replace, real_fsync = os.replace, os.fsync

        def crash(src, dst):
            if str(dst).endswith(bucket.name):
                raise OSError(28, "No space left on device")
            return real_replace(src, dst)

        def no_room(fd):  # the log's append is written, then fails to reach the disk
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(atomic_mod.os, "replace", crash)
        monkeypatch.setattr(atomic_mod.os, "fsync", no_room)
        with pytest.raises(OSError):
            lib.set_article_note(ids[0], "third")
        monkeypatch.setattr(atomic_mod.os, "fsync", real_fsync)
        assert {p.name: p.read_bytes() for p in bucket.parent.iterdir()} == files  # nothing half-written
        assert lib.annotations(ids[0]).note == "second"  # memory follows the disk, not the failed write
        assert not [p for p in bucket.parent.iterdir() if p.name.endswith(".tmp")]
        monkeypatch.setattr(atomic_mod.os, "replace", real_replace)
        lib.set_article_note(ids[0], "fourth")
        assert lib.annotations(ids[0]).note == "fourth"
    with Library.open(store_dir) as lib:
        assert lib.annotations(ids[0]).note == "fourth"


def test_failed_write_is_not_journalled(store_dir: Path, monkeypatch) -> None:
    ids = _fill(store_dir)
    with Library.open(store_dir) as lib:
        monkeypatch.setattr(atomic_mod, "atomic_write_bytes", _raise_enospc)
        monkeypatch.setattr(atomic_mod.os, "fsync", _raise_enospc)  # the bucket's log too
        with pytest.raises(OSError):
            lib.set_article_note(ids[0], "lost")
        monkeypatch.undo()
        assert lib.undo() == "edit note"
        assert lib.annotations(ids[0]).note == "first"


def _raise_enospc(*_a, **_k):
    raise OSError(28, "No space left on device")


def test_failed_catalogue_write_imports_nothing(store_dir: Path, monkeypatch) -> None:
    _fill(store_dir, 2)
    with Library.open(store_dir) as lib:
        real = atomic_mod.atomic_write_bytes

        def fail_catalog(path, data, **kw):
            if Path(path).name == "catalog.json":
                raise OSError(5, "Input/output error")
            return real(path, data, **kw)

        monkeypatch.setattr(atomic_mod, "atomic_write_bytes", fail_catalog)
        with pytest.raises(OSError):
            lib.add_articles([make_article(10), make_article(11)])
        monkeypatch.undo()
        assert len(lib) == 2
        report = lib.add_articles([make_article(10)])
        assert len(report.imported) == 1 and len(lib) == 3
    with Library.open(store_dir) as lib:
        assert len(lib) == 3 and lib.article(report.imported[0]).meta.title == "Article number 10"


def test_crash_between_temp_write_and_rename(store_dir: Path) -> None:
    """A leftover temporary file from a killed writer is ignored; the last committed state loads."""
    ids = _fill(store_dir)
    bucket = store_dir / "annotations" / f"{ids[0][:2]}.json"
    (bucket.parent / f".{bucket.name}.99999.tmp").write_bytes(b'{"annotations": {"1": {"article_id"')
    (store_dir / ".catalog.json.99999.tmp").write_bytes(b"{")
    with Library.open(store_dir) as lib:
        assert lib.annotations(ids[0]).note == "second" and len(lib) == 4 and not lib.notices


# --- corrupt files --------------------------------------------------------------------------
@pytest.mark.parametrize("damage", [b"", b'{"articles": {"1": {"id": "ab', b"\x00" * 64, b"[1, 2]"])
def test_corrupt_catalogue_recovers_from_backup_and_keeps_the_damaged_file(
    store_dir: Path, damage: bytes
) -> None:
    with Library.open(store_dir) as lib:
        first = lib.add_articles([make_article(i) for i in range(3)]).imported
        second = lib.add_articles([make_article(i) for i in range(3, 5)]).imported
    catalog = store_dir / "catalog.json"
    catalog.write_bytes(damage)
    with Library.open(store_dir) as lib:
        assert len(lib.notices) == 1
        assert "catalog.json" in lib.notices[0] and "recovered from its last good backup" in lib.notices[0]
        assert lib.ids() == first + second  # the backup is a copy of the last generation
        assert lib.article(second[1]).meta.title == "Article number 4"
        kept = list(store_dir.glob("catalog.json.corrupt-*"))
        assert len(kept) == 1 and kept[0].read_bytes() == damage
        assert lib.add_articles([make_article(i) for i in range(5)]).unchanged == first + second
    with Library.open(store_dir) as lib:
        assert not lib.notices and len(lib) == 5


def test_corrupt_bucket_recovers_from_backup(store_dir: Path) -> None:
    ids = _fill(store_dir)
    bucket = store_dir / "annotations" / f"{ids[0][:2]}.json"
    bucket.write_bytes(bucket.read_bytes()[:-7])  # truncated
    with Library.open(store_dir) as lib:
        assert lib.annotations(ids[0]).note == "second"  # the backup holds the last generation
        assert any(bucket.name in n and "recovered" in n for n in lib.notices)
        assert list(bucket.parent.glob(f"{bucket.name}.corrupt-*"))


def test_summaries_after_a_corrupt_bucket(store_dir: Path) -> None:
    ids = _fill(store_dir)
    bucket = store_dir / "annotations" / f"{ids[0][:2]}.json"
    bucket.write_bytes(b"garbage")
    with Library.open(store_dir) as lib:
        assert len(lib.summaries()) == 4
        assert any("annotation bucket" in n for n in lib.notices)


def test_no_good_backup_raises_store_corrupt(store_dir: Path) -> None:
    _fill(store_dir)
    (store_dir / "catalog.json").write_bytes(b"{trunc")
    (store_dir / "catalog.json.bak").write_bytes(b"also bad")
    with pytest.raises(StoreCorrupt, match=r"catalog\.json.*damaged.*backup"):
        Library.open(store_dir)
    assert (store_dir / "catalog.json").read_bytes() == b"{trunc"  # nothing overwritten


def test_missing_catalogue_is_not_an_empty_library(store_dir: Path) -> None:
    _fill(store_dir)
    (store_dir / "catalog.json").unlink()
    (store_dir / "catalog.json.bak").unlink()
    with pytest.raises(StoreCorrupt, match="catalogue is missing"):
        Library.open(store_dir)


def test_read_only_view_of_a_corrupt_catalogue_changes_no_file(store_dir: Path) -> None:
    ids = _fill(store_dir)
    (store_dir / "catalog.json").write_bytes(b"{")
    with Library.open(store_dir, read_only=True) as ro:
        assert ro.ids() == ids and "showing its last good backup" in ro.notices[0]
    assert (store_dir / "catalog.json").read_bytes() == b"{"
    assert not list(store_dir.glob("*.corrupt-*"))


def test_damaged_body_pack_recovers_from_its_copy(store_dir: Path) -> None:
    ids = _fill(store_dir)
    pack = store_dir / "bodies" / "pack-000001.jsonl"
    data = bytearray(pack.read_bytes())
    data[40:48] = b"XXXXXXXX"  # garbled in place, same size
    pack.write_bytes(bytes(data))
    with Library.open(store_dir) as lib:
        art = lib.article(ids[0])
        assert art.meta.title == "Article number 0" and art.source_text == make_article(0).source_text
        assert any("body pack" in n and "recovered" in n for n in lib.notices)
    pack.write_bytes(pack.read_bytes()[:100])  # truncated: noticed at open
    with Library.open(store_dir) as lib:
        assert any("truncated" in n for n in lib.notices)
        assert lib.article(ids[3]).meta.title == "Article number 3"
    pack.write_bytes(b"")
    (store_dir / "bodies" / "pack-000001.jsonl.bak").write_bytes(b"")
    with pytest.raises(StoreCorrupt, match="pack-000001.jsonl"):
        Library.open(store_dir)


def test_corrupt_store_via_cli_message_is_one_line(store_dir: Path) -> None:
    _fill(store_dir)
    (store_dir / "catalog.json").write_bytes(b"{")
    (store_dir / "catalog.json.bak").write_bytes(b"{")
    with pytest.raises(StoreCorrupt) as err:
        Library.open(store_dir)
    assert "\n" not in str(err.value) and str(store_dir / "catalog.json") in str(err.value)


# --- one writer at a time ---------------------------------------------------------------------
def test_second_writer_in_this_process_is_refused(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(0)]).imported
        with pytest.raises(
            StoreLocked, match=rf"pid {os.getpid()}.*close the other one, or read it with .reader --read-only"
        ):
            Library.open(store_dir)
        with Library.open(store_dir, read_only=True) as ro:
            assert ro.ids() == ids
    Library.open(store_dir).close()  # released on close


_HOLDER = """
import sys, time
from library import Library
lib = Library.open(sys.argv[1])
lib.set_article_note(sys.argv[2], "from the other process")
print("ready", flush=True)
time.sleep(30)
"""


def test_second_process_gets_store_locked_and_a_read_only_view(store_dir: Path) -> None:
    ids = _fill(store_dir)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(store_dir), ids[1]], stdout=subprocess.PIPE, text=True, env=env
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked, match=rf"pid {holder.pid}"):
            Library.open(store_dir)
        with Library.open(store_dir, read_only=True) as ro:
            assert ro.annotations(ids[1]).note == "from the other process"
            assert ro.annotations(ids[0]).note == "second"
    finally:
        holder.kill()
        holder.wait()
    with Library.open(store_dir) as lib:  # the kernel dropped the killed holder's lock
        assert lib.annotations(ids[1]).note == "from the other process"


def test_store_files_are_plain_json(store_dir: Path) -> None:
    ids = _fill(store_dir)
    meta = orjson.loads((store_dir / "meta.json").read_bytes())
    assert meta["schema_version"] == 2
    manifest = orjson.loads((store_dir / "catalog.json").read_bytes())
    assert manifest["count"] == len(ids)
    entries = [
        orjson.loads(line)
        for seg in manifest["segments"]
        for line in (store_dir / "catalog" / f"{seg['name']}.jsonl").read_bytes().splitlines()
    ]
    assert {e["id"] for e in entries} == set(ids)


def _counted_packs(store_dir: Path) -> set[str]:
    return {
        pack
        for path in (store_dir / "sites").glob("counts-*.tsv")
        for pack in orjson.loads(path.read_bytes().split(b"\n", 1)[0])["packs"]
    }


def test_site_counts_are_rebuilt_from_the_packs(store_dir: Path) -> None:
    """The site counts are derived data: lost, damaged or behind the catalogue, they are counted again."""
    sidebar = "Read our special report on the harbour tunnel scandal today"
    with Library.open(store_dir) as lib:
        ids = lib.add_articles(
            [make_article(i, extra_blocks=[sidebar]) for i in range(6)], batch_size=2
        ).imported
        expected = lib.article(ids[0]).body
    assert sidebar not in expected
    assert len(_counted_packs(store_dir)) == 3
    for damage in ("delete", "garble", "behind"):
        files = sorted((store_dir / "sites").glob("counts-*.tsv"))
        if damage == "delete":
            for path in files:
                path.unlink()
        elif damage == "garble":
            files[0].write_bytes(b"{")
        else:  # a crash between the catalogue write and the site-count write
            files[-1].unlink()
        with Library.open(store_dir) as lib:
            assert lib.article(ids[0]).body == expected, damage
            assert damage != "garble" or any("site counts were damaged" in n for n in lib.notices)
        assert len(_counted_packs(store_dir)) == 3
