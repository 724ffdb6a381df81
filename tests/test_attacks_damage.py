"""Attacks on the store files: each kind emptied, replaced, truncated, garbled or deleted.

Every case ends either recovered from the good copy with a line saying so, or refused with one
line naming the file; never silently empty, never a traceback.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import orjson
import pytest
from test_store_samples import make_article

from library import Library
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fill(store_dir: Path, n: int = 6) -> list[str]:
    """A library of `n` articles, the first two highlighted and noted."""
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(n)]).imported
        for aid in ids[:2]:
            lib.add_highlight(aid, 0, 5, tags=["claim"])
            lib.set_article_note(aid, "kept")
    return ids


def bucket(store_dir: Path, aid: str) -> Path:
    return store_dir / "annotations" / f"{aid[:2]}.json"


def one_line_error(code: int, err: str, name: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert name in lines[0] and lines[0].startswith("reader: ")


def stats(capsys: pytest.CaptureFixture[str], store_dir: Path) -> tuple[int, dict, str]:
    code, out, err = run(capsys, "--db", str(store_dir), "stats", "--json")
    return code, (json.loads(out) if code == 0 else {}), err


# --- the catalogue ---------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"{}", b'{"articles":{}}', b'{"articles": []}', b"[]", b'{"x": 1}'])
def test_emptied_catalogue_is_damage_and_its_backup_survives(
    store_dir: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    ids = fill(store_dir)
    (store_dir / "catalog.json").write_bytes(content)
    code, data, err = stats(capsys, store_dir)
    assert code == 0 and data["articles"] == len(ids)
    assert "catalog.json" in err and "last good backup" in err
    # The next write starts from the recovered generation: the backup never loses an article.
    with Library.open(store_dir) as lib:
        lib.add_articles([make_article(99)])
    bak = orjson.loads((store_dir / "catalog.json.bak").read_bytes())
    assert bak["count"] == len(ids) + 1
    assert list(store_dir.glob("catalog.json.corrupt-*"))  # the damaged file is kept


def test_catalogue_and_backup_both_emptied_is_refused_in_one_line(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(store_dir)
    for name in ("catalog.json", "catalog.json.bak"):
        (store_dir / name).write_bytes(b'{"articles":{}}')
    code, _, err = stats(capsys, store_dir)
    one_line_error(code, err, "catalog.json")
    assert (store_dir / "catalog.json.bak").read_bytes() == b'{"articles":{}}'  # kept as it was


def test_new_and_emptied_libraries_are_still_told_apart(store_dir: Path, capsys) -> None:
    Library.open(store_dir).close()  # a new, empty library (only import and the app create one)
    code, data, err = stats(capsys, store_dir)
    assert code == 0 and data["articles"] == 0 and not err
    with Library.open(store_dir) as lib:  # every article removed on purpose is a good empty state
        [aid] = lib.add_articles([make_article(1)]).imported
        lib._catalog.replace_batch([], [aid])
    code, data, err = stats(capsys, store_dir)
    assert code == 0 and data["articles"] == 0 and not err


def test_header_emptied_is_recovered(store_dir: Path, capsys) -> None:
    ids = fill(store_dir)
    (store_dir / "meta.json").write_bytes(b"{}")
    code, data, err = stats(capsys, store_dir)
    assert code == 0 and data["articles"] == len(ids) and "meta.json" in err


# --- annotation buckets ----------------------------------------------------------------------
@pytest.mark.parametrize("damage", ["truncate", "delete", "empty-object", "empty-table", "oops"])
def test_damaged_bucket_with_good_backup_is_recovered_with_a_line(
    store_dir: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    ids = fill(store_dir)
    path = bucket(store_dir, ids[0])
    if damage == "truncate":
        path.write_bytes(path.read_bytes()[:40])
    elif damage == "delete":
        path.unlink()
    elif damage == "empty-object":
        path.write_bytes(b"{}")
    elif damage == "empty-table":
        path.write_bytes(b'{"annotations": {}}')
    else:
        data = orjson.loads(path.read_bytes())
        for doc in data["annotations"].values():
            doc["highlights"] = "oops"
        path.write_bytes(orjson.dumps(data))
    for command in (["stats", "--json"], ["show", ids[0][:8], "--json"]):
        code, out, err = run(capsys, "--db", str(store_dir), *command)
        assert code == 0, err
        assert path.name in err and "Traceback" not in err
        if command[0] == "show":
            assert len(json.loads(out)["highlights"]) == 1
        path.write_bytes(b"")  # damage it again for the next command
    code, out, err = run(capsys, "--db", str(store_dir), "tag", ids[0][:8], "later")
    assert code == 0 and path.name in err
    with Library.open(store_dir, read_only=True) as lib:
        ann = lib.annotations(ids[0])
        assert len(ann.highlights) == 1 and ann.note == "kept" and ann.tag_names == ["later"]


@pytest.mark.parametrize("damage", ["both-deleted", "both-truncated", "rm-rf", "both-oops", "both-empty"])
def test_bucket_without_good_copy_is_refused_in_one_line(
    store_dir: Path, capsys: pytest.CaptureFixture[str], damage: str
) -> None:
    ids = fill(store_dir)
    path = bucket(store_dir, ids[0])
    copies = [path, path.with_name(path.name + ".bak")]
    if damage == "rm-rf":
        shutil.rmtree(store_dir / "annotations")
    for copy in copies if damage != "rm-rf" else []:
        if damage == "both-deleted":
            copy.unlink()
        elif damage == "both-truncated":
            copy.write_bytes(copy.read_bytes()[:30])
        elif damage == "both-empty":
            copy.write_bytes(b"{}")
        else:
            copy.write_bytes(copy.read_bytes().replace(b'"highlights":[', b'"highlights":"oops","x":['))
    for command in (["stats"], ["list"], ["show", ids[0][:8]], ["tag", ids[0][:8], "t"]):
        code, _, err = run(capsys, "--db", str(store_dir), *command)
        one_line_error(code, err, "annotations/" if damage == "rm-rf" else path.name)


# --- body packs -------------------------------------------------------------------------------
def test_pack_and_its_copy_garbled_is_one_line_from_show(store_dir: Path, capsys) -> None:
    ids = fill(store_dir)
    pack = next((store_dir / "bodies").glob("pack-*.jsonl"))
    for copy in (pack, pack.with_name(pack.name + ".bak")):
        raw = bytearray(copy.read_bytes())
        raw[10:30] = b"#" * 20
        copy.write_bytes(bytes(raw))
    code, _, err = run(capsys, "--db", str(store_dir), "show", ids[0][:8])
    one_line_error(code, err, pack.name)


def test_garbled_pack_line_is_repaired_with_a_line(store_dir: Path, capsys) -> None:
    ids = fill(store_dir)
    pack = next((store_dir / "bodies").glob("pack-*.jsonl"))
    raw = bytearray(pack.read_bytes())
    raw[10:30] = b"#" * 20
    pack.write_bytes(bytes(raw))
    code, out, err = run(capsys, "--db", str(store_dir), "show", ids[0][:8], "--json")
    assert code == 0 and pack.name in err and "reading its copy" in err
    assert json.loads(out)["id"] == ids[0]


def test_wrong_shaped_pack_line_with_right_checksum_is_damage(store_dir: Path, capsys) -> None:
    """A line whose bytes match the checksum yet are not an article record (a stored bug, a
    hand-edited file with the catalogue edited to match) reads from the copy when that is good."""
    from library.store.bodies import BodyPacks, BodyRef, line_hash

    packs = BodyPacks(store_dir / "bodies", read_only=False, notice=lambda _m: None)
    store_dir.joinpath("bodies").mkdir(parents=True)
    [ref] = packs.write_lines([b'{"id": "x", "source": 5}'])
    packs.wait_copies()
    with pytest.raises(Exception, match="not text"):
        packs.read(BodyRef(ref.pack, ref.offset, ref.length, line_hash(b'{"id": "x", "source": 5}')))
