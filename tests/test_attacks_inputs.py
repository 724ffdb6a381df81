"""Hostile inputs at the command line: odd file names, files that never end, huge fields,
fuzzed annotation documents. Each ends in one line per bad input, the good ones imported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from library import Library
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _article(i: int) -> str:
    return f"Title {i}\n\nBody paragraph number {i}, with enough words in it to be read as an article.\n"


def test_non_utf8_file_name_does_not_abort_the_import(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(10):
        (folder / f"a{i}.txt").write_text(_article(i))
    with open(os.path.join(os.fsencode(folder), b"caf\xe9.txt"), "w") as handle:
        handle.write(_article(99))
    code, out, err = run(capsys, "import", str(folder))
    assert code == 0, err
    assert "imported 11" in out and "Traceback" not in err
    code, out, _ = run(capsys, "list", "--json")
    paths = sorted(item["origin"]["path"] for item in json.loads(out))
    assert len(paths) == 11
    assert any(p.endswith("caf\\xe9.txt") for p in paths)  # shown escaped, never as raw bytes
    with Library.open(store_dir, read_only=True) as lib:
        needed = lib._catalog.pack_extents()
    packs = {p.name for p in (store_dir / "bodies").glob("pack-*.jsonl")}
    assert packs == set(needed)  # no pack the catalogue does not point into
