"""One list of formats: `reader export --list-formats`, the README table and the app's dialog all
show the registry's formats, with what each one cannot carry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from interchange_fixtures import fixture_library

from library.interchange.formats import EXPORT_FORMATS, FORMATS, IMPORT_FORMATS
from reader.app.screens.export_dialog import FORMATS as DIALOG_FORMATS
from reader.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"


def test_list_formats(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--list-formats"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == len(FORMATS)
    for line, (name, spec) in zip(lines, FORMATS.items(), strict=True):
        assert line.split()[0] == name and spec.directions in line and spec.lost in line
    assert "import/export" in out and re.search(r"^kindle .* import ", out, re.M)


def test_readme_table_lists_every_format() -> None:
    text = README.read_text("utf-8")
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `([a-z0-9-]+)` \|.*$", text, re.M)}
    for name, spec in FORMATS.items():
        assert name in rows, f"README format table lacks {name}"
        assert spec.directions in rows[name]


def test_dialog_offers_every_export_format() -> None:
    assert {name for name, _label, _ext in DIALOG_FORMATS} == set(EXPORT_FORMATS)
    assert set(IMPORT_FORMATS) - set(EXPORT_FORMATS) == {"hypothesis", "kindle", "readwise"}


def test_folder_formats_need_an_output_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib, _ = fixture_library(tmp_path / "lib")
    lib.close()
    db = ["--db", str(tmp_path / "lib")]
    assert main([*db, "export", "--format", "brat"]) != 0
    assert "-o FOLDER" in capsys.readouterr().err
    assert main([*db, "export", "--format", "brat", "-o", str(tmp_path / "b")]) == 0
    err = capsys.readouterr().err
    assert "outside the clean body" in err and (tmp_path / "b" / "annotation.conf").exists()
    assert main([*db, "export", "--format", "brat", "-o", str(tmp_path / "b")]) != 0
    assert "exists" in capsys.readouterr().err
    assert main([*db, "export", "--format", "brat", "-o", str(tmp_path / "b"), "--force"]) == 0
    assert sorted(p.suffix for p in (tmp_path / "b").iterdir()).count(".ann") == 3
