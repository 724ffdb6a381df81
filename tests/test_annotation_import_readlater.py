"""Import-only formats that carry quotes but no offsets: Hypothesis API JSON, Kindle
My Clippings.txt, Readwise CSV. Matched by URL or title, anchored by quote; every highlight's
verdict (exact / re-anchored with score / orphaned) is in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from interchange_fixtures import fixture_library

from library.interchange.importing import detect_format, import_annotation_files
from reader.cli import main


@pytest.fixture
def lib(tmp_path: Path):
    library, ids = fixture_library(tmp_path / "lib")
    return library, ids


def _hypothesis(tmp_path: Path) -> Path:
    rows = [
        {
            "id": "h1",
            "user": "acct:carol@hypothes.is",
            "uri": "https://example.org/elsewhere",
            "created": "2024-05-01T08:00:00.000000+00:00",
            "text": "good point",
            "tags": ["Doubt"],
            "document": {"title": ["Mixed 0 😀 שלום"]},
            "target": [
                {
                    "source": "https://example.org/elsewhere",
                    "selector": [
                        {"type": "TextPositionSelector", "start": 9999, "end": 10020},
                        {
                            "type": "TextQuoteSelector",
                            "exact": "owner said the new tax",
                            "prefix": "café 😀 ",
                            "suffix": " would",
                        },
                    ],
                }
            ],
        },
        {
            "id": "h2",
            "user": "acct:carol@hypothes.is",
            "uri": "https://example.org/elsewhere",
            "tags": [],
            "text": "",
            "document": {"title": ["Mixed 0 😀 שלום"]},
            "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "the new tax woud hurt"}]}],
        },
        {
            "id": "h3",
            "user": "acct:carol@hypothes.is",
            "uri": "https://example.org/elsewhere",
            "tags": [],
            "text": "",
            "document": {"title": ["Mixed 0 😀 שלום"]},
            "target": [
                {"selector": [{"type": "TextQuoteSelector", "exact": "a sentence that is in no article"}]}
            ],
        },
        {
            "id": "h4",
            "user": "acct:carol@hypothes.is",
            "uri": "https://example.org/elsewhere",
            "tags": ["page-tag"],
            "text": "a page note",
            "document": {"title": ["Mixed 0 😀 שלום"]},
            "target": [{"source": "https://example.org/elsewhere"}],
        },
        {
            "id": "h5",
            "uri": "https://nowhere.example/",
            "document": {"title": ["Not here"]},
            "target": [{"selector": [{"type": "TextQuoteSelector", "exact": "x"}]}],
        },
    ]
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps({"total": len(rows), "rows": rows}), encoding="utf-8")
    return path


def test_hypothesis_by_title_and_quote(lib, tmp_path: Path) -> None:
    library, ids = lib
    path = _hypothesis(tmp_path)
    assert detect_format(path) == "hypothesis"
    report = import_annotation_files(library, [path], annotator="me")
    assert report.exact == 1 and report.reanchored == 1 and report.orphaned == 1
    verdicts = " ".join(report.verdicts)
    assert "'owner said the new tax': exact" in verdicts
    assert "'the new tax woud hurt': re-anchored (0." in verdicts
    assert "'a sentence that is in no article': orphaned" in verdicts
    assert len(report.unmatched) == 1 and "Not here" in report.unmatched[0]
    ann = library.annotations(ids[0])
    placed = {h.quote: h for h in ann.highlights if h.annotator == "carol"}
    assert (
        placed["owner said the new tax"].tags == ["Doubt"]
        and placed["owner said the new tax"].note == "good point"
    )
    assert placed["owner said the new tax"].created == "2024-05-01T08:00:00+00:00"
    typo = placed["the new tax woud hurt"]
    span = library.article(ids[0]).source_to_body(typo.source_start, typo.source_end)
    assert library.article(ids[0]).body[span[0] : span[1]] == "the new tax would hurt"  # found its place
    assert "a page note" in ann.note and any(t.tag == "page-tag" for t in ann.tags)


def test_kindle_clippings(lib, tmp_path: Path) -> None:
    library, ids = lib
    path = tmp_path / "My Clippings.txt"
    path.write_text(
        "\ufeffMixed 1 😀 שלום (Example News)\n"
        "- Your Highlight on Location 10-12 | Added on Monday, 6 May 2024 09:15:00\n\n"
        "baker claimed the new tax\n"
        "==========\n"
        "Mixed 1 😀 שלום (Example News)\n"
        "- Your Note on Location 11 | Added on Monday, 6 May 2024 09:16:00\n\n"
        "who is this baker?\n"
        "==========\n"
        "Mixed 1 😀 שלום (Example News)\n"
        "- Your Bookmark on Location 30 | Added on Monday, 6 May 2024 09:17:00\n\n\n"
        "==========\n"
        "Mixed 1 😀 שלום (Example News)\n"
        "- Your Highlight on Location 20-21 | Added on Monday, 6 May 2024 09:18:00\n\n"
        "Zo\u00eb agreed 👍🏽 loudly\n"  # composed; the article has e + combining diaeresis
        "==========\n"
        "Some Book (Someone)\n"
        "- Your Highlight on page 3 | Location 40-42 | Added on Monday, 6 May 2024 09:19:00\n\n"
        "unrelated\n"
        "==========\n",
        encoding="utf-8",
    )
    assert detect_format(path) == "kindle"
    report = import_annotation_files(library, [path], annotator="reader1")
    assert report.exact == 2 and report.orphaned == 0 and len(report.unmatched) == 1
    hs = {h.quote: h for h in library.annotations(ids[1]).highlights if h.annotator == "reader1"}
    assert hs["baker claimed the new tax"].note == "who is this baker?"
    assert hs["baker claimed the new tax"].created.startswith("2024-05-06T09:15:00")
    assert "Zoe\u0308 agreed 👍🏽 loudly" in hs
    assert all("exact" in v for v in report.verdicts)


def test_readwise_csv(lib, tmp_path: Path) -> None:
    library, ids = lib
    path = tmp_path / "readwise.csv"
    path.write_text(
        "Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,Location Type,Location,Highlighted at,Document tags\n"
        '"إن الضريبة عادلة","Mixed 2 😀 שלום",Example,,"check this",yellow,"Flag-Waving, rtl",order,1,2024-06-01 10:00:00+00:00,\n'
        '"The café 😀 baker said the new tax","Mixed 2 😀 שלום",Example,,,yellow,,order,2,2024-06-01 10:01:00+00:00,\n'
        '"whatever","Unknown Title",X,,,,,order,3,,\n',
        encoding="utf-8",
    )
    assert detect_format(path) == "readwise"
    report = import_annotation_files(library, [path], annotator="rw")
    assert report.exact == 1 and report.reanchored == 1 and len(report.unmatched) == 1
    hs = {h.quote: h for h in library.annotations(ids[2]).highlights if h.annotator == "rw"}
    assert (
        hs["إن الضريبة عادلة"].tags == ["Flag-Waving", "rtl"] and hs["إن الضريبة عادلة"].note == "check this"
    )
    near = hs["The café 😀 baker said the new tax"]
    span = library.article(ids[2]).source_to_body(near.source_start, near.source_end)
    assert library.article(ids[2]).body[span[0] : span[1]] == "The café 😀 owner said the new tax"


def test_cli_lists_each_verdict(lib, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, _ = lib
    library.close()
    path = _hypothesis(tmp_path)
    code = main(["--db", str(tmp_path / "lib"), "import-annotations", str(path)])
    out, err = capsys.readouterr()
    assert code == 1  # one annotation names an article that is not in the library
    assert "exact" in out and "re-anchored (0." in out and "orphaned" in out
    assert "Not here" in err
