"""`reader check`: one line per finding for damage to each kind of store file; `--repair` mends
what has a good copy, and a second check finds the library sound."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_store_samples import make_article

from library import Library
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def library(store_dir: Path) -> tuple[Path, list[str]]:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(6)]).imported
        for aid in ids[:3]:
            lib.add_highlight(aid, 0, 5, tags=["t"])
    return store_dir, ids


def _garble(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[5:25] = b"#" * 20
    path.write_bytes(bytes(raw))


def test_sound_library_checks_clean(library, capsys) -> None:
    store, _ = library
    code, out, err = run(capsys, "--db", str(store), "check")
    assert code == 0 and "library is sound" in out and not err


def test_check_finds_each_damaged_file_kind_and_repair_mends_what_has_a_copy(library, capsys) -> None:
    store, ids = library
    pack = next((store / "bodies").glob("pack-*.jsonl"))
    bucket = store / "annotations" / f"{ids[0][:2]}.json"
    (store / "catalog.json").write_bytes(b"{}")
    (store / "meta.json").write_bytes(b"")
    _garble(bucket)
    _garble(pack.with_name(pack.name + ".bak"))
    orphan = store / "bodies" / "pack-000099.jsonl"
    orphan.write_bytes(b'{"id": "x", "source": "y"}\n')
    tmp = store / "annotations" / ".ab.json.12345.tmp"
    tmp.write_bytes(b"half")
    counts = next((store / "sites").glob("counts-*.tsv"))
    counts.write_bytes(b"[1, 2")
    segment = next((store / "catalog").glob("seg-*.jsonl"))
    _garble(segment.with_name(segment.name + ".bak"))
    index = segment.with_suffix(".idx")
    index.unlink()
    code, out, err = run(capsys, "--db", str(store), "check")
    assert code == 1, (out, err)
    lines = out.splitlines()
    for name, words in (
        ("catalog.json", "catalogue is damaged"),
        ("meta.json", "library header is damaged"),
        (bucket.name, "annotation bucket is damaged"),
        (pack.name + ".bak", "copy of a body pack is damaged"),
        (orphan.name, "no article points into this pack"),
        (tmp.name, "temporary file"),
        (counts.name, "site counts are damaged"),
        (segment.name + ".bak", "copy of a catalogue segment is damaged"),
        (index.name, "catalogue index is missing"),
    ):
        assert any(name in line and words in line for line in lines), (name, out)
    assert len(lines) == 10  # nine findings and the summary
    assert all(p.exists() for p in (orphan, tmp))  # checking changes nothing

    code, out, err = run(capsys, "--db", str(store), "check", "--repair")
    assert code == 0, (out, err)
    assert out.count("repaired:") == 9
    code, out, err = run(capsys, "--db", str(store), "check")
    assert code == 0 and "library is sound" in out, out
    with Library.open(store, read_only=True) as lib:
        assert len(lib) == 6 and not lib.notices
        assert [len(lib.annotations(a).highlights) for a in ids[:3]] == [1, 1, 1]
        assert lib.article(ids[0]).id == ids[0]
    assert list(store.glob("catalog.json.corrupt-*")) and list(store.glob("annotations/*.corrupt-*"))


def test_check_reports_what_has_no_good_copy_and_repair_leaves_it(library, capsys) -> None:
    store, ids = library
    pack = next((store / "bodies").glob("pack-*.jsonl"))
    _garble(pack)
    _garble(pack.with_name(pack.name + ".bak"))
    code, out, _ = run(capsys, "--db", str(store), "check", "--repair")
    assert code == 1 and "and its copy too" in out and "1 left" in out


def test_lost_bucket_is_refused_until_repair_accepts_the_loss(library, capsys) -> None:
    store, ids = library
    shutil.rmtree(store / "annotations")
    code, _, err = run(capsys, "--db", str(store), "stats")
    assert code == 2 and "check --repair" in err
    code, out, _ = run(capsys, "--db", str(store), "check")
    assert code == 1 and "annotation bucket is missing and has no backup" in out
    code, out, _ = run(capsys, "--db", str(store), "check", "--repair")
    assert code == 0 and "goes on without it" in out
    code, out, err = run(capsys, "--db", str(store), "stats", "--json")
    assert code == 0 and '"highlights": 0' in out


def test_repair_refuses_while_another_writer_has_the_library(library, capsys) -> None:
    store, _ = library
    with Library.open(store):
        code, _, err = run(capsys, "--db", str(store), "check", "--repair")
    assert code == 2 and "another reader process" in err


@pytest.mark.parametrize("repair", [False, True])
def test_a_folder_that_holds_no_library_is_said_so_and_left_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], repair: bool
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("not a library\n", encoding="utf-8")
    assert main(["--db", str(folder), "check", *(["--repair"] if repair else [])]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"reader: {folder}: no library here"
    assert sorted(p.name for p in folder.iterdir()) == ["todo.txt"]  # no lock left behind
    assert not Library.exists(folder)
