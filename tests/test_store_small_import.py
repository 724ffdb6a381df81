"""A small import writes each file once: a new library is written at its first commit, not when
it is opened; a crash on either side of that commit leaves a library that opens; a library in the
layout written before (its header and empty catalogue written at creation) opens and imports."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest
from conftest import REPO

from library import Library
from library.core.check import check_library
from library.store.atomic import atomic_write_bytes
from library.store.catalog import initial_catalog
from reader.cli import main

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench.corpus import write_corpus  # noqa: E402

HEADER = ("meta.json", "meta.json.bak", "catalog.json", "catalog.json.bak")


def files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def src(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "src", 10)
    return tmp_path / "src"


def test_opening_a_new_library_writes_only_its_lock(store_dir: Path) -> None:
    lib = Library.open(store_dir)
    try:
        assert files(store_dir) == {"lock"}
        assert Library.exists(store_dir)  # another process sees the library being written
    finally:
        lib.close()
    assert set(HEADER) <= files(store_dir)


def test_a_small_import_renames_each_file_into_place_once(
    store_dir: Path, src: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    renamed: Counter[str] = Counter()
    real_replace = os.replace

    def replace(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> None:
        renamed[str(Path(b).relative_to(store_dir))] += 1
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", replace)
    with Library.open(store_dir) as lib:
        report = lib.import_paths([src])
    assert len(report.imported) == 10
    assert set(renamed.values()) == {1}, renamed
    assert set(HEADER) <= set(renamed)
    assert files(store_dir) == set(renamed) | {"lock"}
    with Library.open(store_dir, read_only=True) as again:
        assert len(again.ids()) == 10
    assert not check_library(store_dir).findings


def test_a_new_library_that_stores_nothing_is_left_valid(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Library.open(store_dir).close()
    header = orjson.loads((store_dir / "meta.json").read_bytes())
    assert header["schema_version"] >= 2
    assert orjson.loads((store_dir / "catalog.json").read_bytes()) == orjson.loads(initial_catalog())
    code, out, err = run_cli(capsys, "--db", str(store_dir), "list")
    assert code == 0 and not err
    assert not check_library(store_dir).findings
    with Library.open(store_dir) as lib:  # opened again: the header is kept as it was
        assert len(lib.ids()) == 0
    assert orjson.loads((store_dir / "meta.json").read_bytes()) == header


def _crash_child(store_dir: Path, src: Path, crash_before: str) -> None:
    """Import `src` in a child that dies (os._exit, no cleanup, as at a power cut) the moment
    it is about to write `crash_before`. The packs' spare copies, which a helper thread writes
    meanwhile, are written in turn here: what a crash leaves of them otherwise depends on timing
    (a temporary file, or a pack without its copy, both of which `reader check` reports)."""
    code = f"""
import os, sys
from concurrent.futures import Future
from pathlib import Path
from library import Library
from library.store import atomic, bodies
class InTurn:
    def submit(self, fn, *args):
        done = Future()
        done.set_result(fn(*args))
        return done
    def shutdown(self, wait=True):
        pass
bodies.ThreadPoolExecutor = lambda **kw: InTurn()
real = atomic.atomic_write_bytes
def write(path, data, **kw):
    if Path(path).name == {crash_before!r}:
        os._exit(9)
    real(path, data, **kw)
atomic.atomic_write_bytes = write
import library.core.opening as opening
opening.atomic_write_bytes = write
lib = Library.open(Path(sys.argv[1]))
lib.import_paths([sys.argv[2]])
"""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", code, str(store_dir), str(src)], env=env, check=False)
    assert done.returncode == 9


def test_a_crash_before_the_first_commit_leaves_a_library_that_opens(store_dir: Path, src: Path) -> None:
    _crash_child(store_dir, src, "catalog.json")  # the packs and the segment are written
    left = files(store_dir)
    assert not set(HEADER) & left
    assert any(name.startswith("bodies/pack-") for name in left)
    assert any(name.startswith("catalog/seg-") for name in left)
    assert Library.exists(store_dir)
    findings = check_library(store_dir).findings
    assert findings and all("interrupted" in f.problem for f in findings), [f.line() for f in findings]
    with Library.open(store_dir) as lib:
        assert len(lib.ids()) == 0  # nothing was reported saved
        assert not any(name.startswith("catalog/seg-") for name in files(store_dir))  # swept
        report = lib.import_paths([src])
        assert len(report.imported) == 10
    with Library.open(store_dir, read_only=True) as again:
        assert len(again.ids()) == 10
    assert [f.problem for f in check_library(store_dir).findings] == [
        "no article points into this pack (left by an interrupted import)"
    ] * 2  # the crashed import's source and blocks packs, until `--repair`
    check_library(store_dir, repair=True)
    assert not check_library(store_dir).findings


def test_a_crash_between_the_first_commit_and_the_header_keeps_the_batch(store_dir: Path, src: Path) -> None:
    _crash_child(store_dir, src, "meta.json")
    assert "catalog.json" in files(store_dir) and "meta.json" not in files(store_dir)
    with Library.open(store_dir) as lib:  # the header is written at this open
        assert len(lib.ids()) == 10
    assert {"meta.json", "meta.json.bak"} <= files(store_dir)
    assert not check_library(store_dir).findings


def test_a_library_in_the_layout_written_at_creation_before_opens_and_imports(
    store_dir: Path, src: Path
) -> None:
    """What the program wrote until this change when it created a library: the header and an
    empty catalogue, each with its backup, before anything was stored."""
    store_dir.mkdir(parents=True)
    header = {"schema_version": 2, "created": "2026-01-01T00:00:00+00:00"}
    atomic_write_bytes(store_dir / "catalog.json", initial_catalog(), keep_backup=True)
    atomic_write_bytes(store_dir / "meta.json", orjson.dumps(header), keep_backup=True)
    assert not check_library(store_dir).findings
    with Library.open(store_dir) as lib:
        assert len(lib.ids()) == 0
        assert len(lib.import_paths([src]).imported) == 10
    with Library.open(store_dir, read_only=True) as again:
        assert len(again.ids()) == 10
    assert orjson.loads((store_dir / "meta.json").read_bytes()) == header
    assert not check_library(store_dir).findings
