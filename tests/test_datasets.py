"""Data sets: column mapping, author literals, per-record errors, big fields."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from conftest import corpus_dir

from library.ingest.datasets import (
    DatasetError,
    RecordError,
    build_record,
    iter_csv,
    iter_json,
    iter_jsonl,
    json_records,
    map_columns,
    parse_authors,
)
from library.ingest.reading import IngestError, read_inputs, safe_label
from library.model import ParsedArticle


@pytest.mark.parametrize(
    ("value", "authors"),
    [
        ("['A One', 'B Two']", ["A One", "B Two"]),
        ("[‘Rachel Roubein']", ["Rachel Roubein"]),
        ("[“X Y”, ‘Z’]", ["X Y", "Z"]),
        ("['Conan O’Brien']", ["Conan O’Brien"]),
        ("[]", []),
        ("", []),
        (None, []),
        (["A", " B ", ""], ["A", "B"]),
        ("Sam Quill and Mara Lind", ["Sam Quill", "Mara Lind"]),
        ("A; B", ["A", "B"]),
        ("[broken, list", ["[broken", "list"]),
    ],
)
def test_parse_authors(value: object, authors: list[str]) -> None:
    assert parse_authors(value) == authors


def test_map_columns_is_case_insensitive_and_the_explicit_map_wins() -> None:
    cols = map_columns(["Title", "BODY_TEXT", "Byline", "Link", "pubDate", "Outlet", "News_ID", "notes"])
    assert cols.fields == {
        "title": "Title",
        "body": "BODY_TEXT",
        "authors": "Byline",
        "url": "Link",
        "published": "pubDate",
        "site": "Outlet",
        "external_id": "News_ID",
    }
    cols = map_columns(["text", "notes", "title"], {"body": "notes"})
    assert cols.fields["body"] == "notes"
    with pytest.raises(ValueError, match="unknown field"):
        map_columns(["a"], {"colour": "a"})


def test_unmapped_columns_are_kept_and_the_index_column_dropped() -> None:
    cols = map_columns(["", "title", "content", "reliability", "title_2"])
    record = build_record(
        {"": "7", "title": "T", "content": "Body.", "reliability": "1", "title_2": "x"}, cols
    )
    assert record["title"] == "T" and record["body"] == "Body."
    assert record["reliability"] == "1" and record["title_2"] == "x"
    assert "" not in record
    cols = map_columns(["title", "headline", "content"], {"title": "headline"})
    record = build_record({"title": "other", "headline": "H", "content": "Body"}, cols)
    assert record["title"] == "H" and record["column:title"] == "other"


def test_csv_records_number_data_rows_and_report_ragged_rows() -> None:
    data = ',news_id,title,author,body_text\n0,a,First,"[\'X\']","Line one\n\nline two"\n1,b,Ragged\n\n2,c,Third,[],\n3,d,Fourth,[],Text\n'
    out = list(iter_csv(io.StringIO(data, newline="")))
    assert [i for i, _ in out] == [0, 1, 2, 3]
    first = out[0][1]
    assert isinstance(first, dict) and first["body"] == "Line one\n\nline two" and first["authors"] == ["X"]
    assert isinstance(out[1][1], RecordError) and "ragged row: 3 fields" in out[1][1].reason
    assert isinstance(out[2][1], RecordError) and out[2][1].reason.startswith("no body text")
    assert isinstance(out[3][1], dict)


def test_csv_fields_over_the_default_limit_load() -> None:
    body = "word " * 400_000  # 2 MB, far over csv's 128 KB default
    out = list(iter_csv(io.StringIO(f'title,content\nBig,"{body}"\n', newline="")))
    assert out[0][1]["body"] == body  # type: ignore[index]


def test_csv_without_a_body_column_is_one_error() -> None:
    with pytest.raises(DatasetError, match="no body column"):
        list(iter_csv(io.StringIO("title,author\nA,B\n", newline="")))


def test_jsonl_uses_line_indexes_and_reports_bad_lines() -> None:
    lines = [
        json.dumps({"title": "A", "text": "Body A"}),
        "",
        "{broken",
        json.dumps({"title": "B", "maintext": "Body B"}),
    ]
    out = list(iter_jsonl(io.StringIO("\n".join(lines) + "\n")))
    assert [i for i, _ in out] == [0, 2, 3]
    assert isinstance(out[1][1], RecordError) and "line 3" in out[1][1].reason
    with pytest.raises(DatasetError, match="line 1"):
        list(iter_jsonl(io.StringIO("not json\n")))


def test_json_arrays_objects_and_wrappers() -> None:
    assert len(json_records('[{"content": "a"}, {"content": "b"}]')) == 2
    assert len(json_records('{"articles": [{"content": "a"}, {"content": "b"}]}')) == 2
    assert json_records('{"content": "one"}') == [{"content": "one"}]
    with pytest.raises(DatasetError, match="nested too deeply"):
        json_records("[" * 100_000 + "]" * 100_000)
    out = list(iter_json([{"content": "a"}, 3]))
    assert isinstance(out[0][1], dict) and isinstance(out[1][1], RecordError)


def test_read_inputs_maps_columns_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("headline_text,story,writer\nA title,The story body.,Jo Bloggs\n", encoding="utf-8")
    [article] = list(
        read_inputs([str(path)], mapping={"title": "headline_text", "body": "story", "authors": "writer"})
    )
    assert isinstance(article, ParsedArticle)
    assert article.meta.title == "A title" and article.meta.authors == ["Jo Bloggs"]
    assert article.origin.record == 0 and article.format == "csv"


def test_recovery_data_set_reads_whole() -> None:
    folder = corpus_dir("recovery-dev")
    results = list(read_inputs([str(folder / "reliable.csv"), str(folder / "unreliable.csv")]))
    errors = [r for r in results if isinstance(r, IngestError)]
    articles = [r for r in results if isinstance(r, ParsedArticle)]
    assert not errors, errors
    assert len(articles) == 75
    assert [a.origin.record for a in articles[:3]] == [0, 1, 2]
    roubein = [a for a in articles if "Rachel Roubein" in a.meta.authors]
    assert roubein  # the typographic-quote list literal
    assert all(a.meta.published and a.meta.published.startswith("2020") for a in articles if a.meta.published)
    assert all("mbfc_level" in a.meta.extra for a in articles)


# --- UTF-8 data sets with a stray byte: stay UTF-8, the bad record and byte are named -----------


def _jsonl_with_one_stray_byte(path: Path, n: int, bad: int) -> int:
    """n records; only the last names Réunion (far from the stray byte); returns its offset."""
    lines = []
    for i in range(n):
        body = f"Record {i} reports on the harbour and the flights." + (" Réunion" if i == n - 1 else "")
        lines.append(json.dumps({"id": f"r{i}", "title": f"Title {i}", "body": body}, ensure_ascii=False))
    data = ("\n".join(lines) + "\n").encode()
    marker = f'"Record {bad} reports'.encode()
    stray = data.index(marker) + len(marker) + 1
    path.write_bytes(data[:stray] + b"\xe9" + data[stray:])
    return stray


def test_a_30000_record_jsonl_with_one_stray_byte_stays_utf8(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    stray = _jsonl_with_one_stray_byte(path, 30_000, 12_345)
    items = list(read_inputs([str(path)], workers=1, defer_cleaning=True))
    notices = [i for i in items if isinstance(i, IngestError)]
    articles = [i for i in items if not isinstance(i, IngestError)]
    assert len(articles) == 30_000
    assert articles[-1].source_text.endswith("flights. Réunion")
    assert articles[12_345].source_text.startswith("Record 12345 reports \ufffdon the harbour")
    assert [(n.kind, n.label, n.reason) for n in notices] == [
        ("warning", safe_label(path), f"invalid UTF-8 replaced with U+FFFD at record 12345 (byte {stray:,})")
    ]


def test_a_csv_with_stray_bytes_names_each_record_and_caps_the_list(tmp_path: Path) -> None:
    rows = ["title,content"] + [f"T{i},Body {i} of the Réunion series" for i in range(40)]
    data = ("\n".join(rows) + "\n").encode()
    offsets = []
    for i in range(3, 40):  # 37 bad records: 20 are named, the rest counted
        marker = f"Body {i} ".encode()
        at = data.index(marker) + len(marker)
        data = data[:at] + b"\xff" + data[at:]
        offsets.append((i, at))
    path = tmp_path / "bad.csv"
    path.write_bytes(data)
    items = list(read_inputs([str(path)], workers=1))
    [notice] = [i for i in items if isinstance(i, IngestError)]
    articles = [i for i in items if isinstance(i, ParsedArticle)]
    assert len(articles) == 40 and "Réunion" in articles[0].source_text
    named = ", ".join(f"record {r} (byte {b:,})" for r, b in offsets[:20])
    assert notice.reason == f"invalid UTF-8 replaced with U+FFFD at {named} and 17 more"


def test_a_json_array_with_a_stray_byte_names_the_byte(tmp_path: Path) -> None:
    data = json.dumps([{"title": "A", "body": "Réunion flights resumed."}], ensure_ascii=False).encode()
    at = data.index(b"flights")
    path = tmp_path / "one.json"
    path.write_bytes(data[:at] + b"\x81" + data[at:])
    items = list(read_inputs([str(path)], workers=1))
    [notice] = [i for i in items if isinstance(i, IngestError)]
    assert notice.reason == f"invalid UTF-8 replaced with U+FFFD at byte {at:,}"
    [article] = [i for i in items if isinstance(i, ParsedArticle)]
    assert article.source_text == "Réunion \ufffdflights resumed."


@pytest.mark.parametrize("end", ["\r", "\r\n", "mixed"])
def test_csv_and_jsonl_with_cr_only_or_mixed_line_ends(tmp_path: Path, end: str) -> None:
    ends = ["\r", "\n", "\r\n"] if end == "mixed" else [end]
    body = "First line of the body.\rSecond line, after a lone CR."
    rows = ["title;content", f'One;"{body}"', "Two;Plain body two", "Three;Plain body three"]
    text = "".join(row + ends[i % len(ends)] for i, row in enumerate(rows))
    csv_path = tmp_path / "data.csv"
    csv_path.write_bytes(text.encode())
    got = [i for i in read_inputs([str(csv_path)], workers=1) if isinstance(i, ParsedArticle)]
    assert [a.meta.title for a in got] == ["One", "Two", "Three"]
    assert got[0].source_text == body
    assert [b.text for b in got[0].blocks if b.is_body] == [
        "First line of the body. Second line, after a lone CR."
    ]
    records = [json.dumps({"title": f"T{i}", "body": f"Body {i}."}) for i in range(3)]
    jsonl = tmp_path / "data.jsonl"
    jsonl.write_bytes("".join(r + ends[i % len(ends)] for i, r in enumerate(records)).encode())
    got = [i for i in read_inputs([str(jsonl)], workers=1) if isinstance(i, ParsedArticle)]
    assert [a.source_text for a in got] == ["Body 0.", "Body 1.", "Body 2."]
