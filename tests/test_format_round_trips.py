"""Every format that reads and writes: export -> fresh library -> import -> export is exact, on
text with emoji, combining marks and right-to-left script."""

from __future__ import annotations

from pathlib import Path

import pytest
from interchange_fixtures import articles_only, fixture_library

from library.interchange.export import export_library
from library.interchange.formats import FORMATS
from library.interchange.importing import import_annotation_files

STAMP = "2024-03-03T00:00:00+00:00"
BOTH_WAYS = [n for n, s in FORMATS.items() if s.reader is not None and s.writer is not None]


def _available(fmt: str) -> None:
    package = FORMATS[fmt].optional_package
    if package:
        pytest.importorskip(package, reason=f"{fmt} needs the optional package {package}")


def _output(tmp_path: Path, name: str, fmt: str) -> Path:
    ext = FORMATS[fmt].extension
    return tmp_path / (name if ext == "/" else name + ext)


def _spacy_content(path: Path) -> list[tuple]:
    """A DocBin's content (its bytes are not stable: spaCy stores a set of strings)."""
    import spacy
    from spacy.tokens import DocBin

    docs = DocBin().from_bytes(path.read_bytes()).get_docs(spacy.blank("xx").vocab)
    return [
        (
            d.text,
            [t.text for t in d],
            [(s.start_char, s.end_char, s.label_) for s in d.spans["newsnotes"]],
            [(s.start_char, s.end_char, s.label_) for s in d.ents],
            d.cats,
            dict(d.user_data),
        )
        for d in docs
    ]


def _snapshot(path: Path) -> dict[str, object]:
    if path.suffix == ".spacy":
        return {"docs": _spacy_content(path)}
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name[len(path.name.split(".")[0]) :]: path.read_bytes()}


@pytest.mark.parametrize("fmt", BOTH_WAYS)
def test_round_trip_is_exact(tmp_path: Path, fmt: str) -> None:
    _available(fmt)
    lib, ids = fixture_library(tmp_path / "lib")
    first = _output(tmp_path, "first", fmt)
    export_library(lib, fmt, first, exported=STAMP)
    fresh, fresh_ids = articles_only(tmp_path / "fresh")
    assert fresh_ids == ids
    report = import_annotation_files(fresh, [first], fmt=fmt, annotator="alice")
    assert not report.unmatched and report.orphaned == 0, (report.unmatched, report.orphans)
    assert report.reanchored == 0, report.reanchored_list
    assert report.added > 0
    second = _output(tmp_path, "second", fmt)
    export_library(fresh, fmt, second, exported=STAMP)
    assert _snapshot(second) == _snapshot(first)
    # Importing the same file again adds nothing.
    again = import_annotation_files(fresh, [first], fmt=fmt, annotator="alice")
    assert again.added == 0 and again.tags_added == 0


@pytest.mark.parametrize("fmt", BOTH_WAYS)
def test_format_is_detected(tmp_path: Path, fmt: str) -> None:
    _available(fmt)
    lib, _ = fixture_library(tmp_path / "lib")
    out = _output(tmp_path, "detected", fmt)
    export_library(lib, fmt, out, exported=STAMP)
    fresh, _ = articles_only(tmp_path / "fresh")
    report = import_annotation_files(fresh, [out], annotator="alice")
    assert report.added > 0 and not report.unmatched
