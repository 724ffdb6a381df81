"""Each failure the real consumers showed (doccano, W3C, PTC scorers, Markdown renderers, pandas),
checked on the fixture library with emoji, combining marks and right-to-left text."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from interchange_fixtures import articles_only, fixture_library
from markdown_it import MarkdownIt

from library.interchange.export import ExportError, export_library
from library.interchange.importing import import_annotation_files


def _lines(data: bytes) -> list[dict]:
    return [json.loads(ln) for ln in data.decode().splitlines() if ln.strip()]


@pytest.fixture
def lib(tmp_path: Path):
    lib, ids = fixture_library(tmp_path / "lib")
    return lib, ids


def test_doccano_every_line_has_every_key_with_json_values(lib, tmp_path: Path) -> None:
    library, ids = lib
    art = library.article(ids[0])
    art_meta = library.summaries()[0].meta
    assert art_meta.external_id  # the fixture has external ids; add an article without one
    from export_samples import make_article, parsed

    library.add_articles([parsed(make_article("nx", external_id=None, title=None))])
    nid = next(s.id for s in library.summaries() if not s.meta.external_id)
    library.set_article_note(nid, "no external id here")
    lines = _lines(export_library(library, "doccano", None).data)
    keys = {frozenset(x) for x in lines}
    assert len(keys) == 1  # pandas would turn a missing key into NaN, which doccano refuses
    for line in lines:
        meta = {k: v for k, v in line.items() if k not in ("text", "label")}
        json.loads(json.dumps(meta, allow_nan=False))
    assert next(x for x in lines if x["id"] == nid)["external_id"] == ""
    assert art.body in {x["text"] for x in lines}


def test_doccano_overlaps_and_left_out_spans_are_reported(lib) -> None:
    library, _ = lib
    result = export_library(library, "doccano", None)
    assert any("overlap" in w and "Allow overlapping spans" in w for w in result.warnings)
    written = sum(len({(s, e) for s, e, _ in x["label"]}) for x in _lines(result.data))
    assert result.highlights == written < 18  # title spans and untagged ones are not counted
    assert f"{written} highlight(s)" in result.summary()


def test_doccano_highlight_notes_go_to_comments_and_come_back(lib, tmp_path: Path) -> None:
    library, ids = lib
    out = tmp_path / "d.jsonl"
    export_library(library, "doccano", out, utf16=True)
    first = _lines(out.read_bytes())[0]
    assert any("a note, with" in c for c in first["Comments"])
    fresh, _ = articles_only(tmp_path / "fresh")
    import_annotation_files(fresh, [out], fmt="doccano", utf16=True)
    notes = {h.quote: h.note for h in fresh.annotations(ids[0]).highlights}
    assert notes["owner said the new tax"] == 'a note, with "quotes" 😀'
    assert notes["*not emphasis* and <b>bold</b>"] == "just a note"


@pytest.mark.parametrize("utf16", [True, None])
def test_doccano_utf16_reimport_is_exact(lib, tmp_path: Path, utf16: bool | None) -> None:
    library, ids = lib
    out = tmp_path / "d16.jsonl"
    export_library(library, "doccano", out, utf16=True)
    fresh, _ = articles_only(tmp_path / "fresh")
    report = import_annotation_files(fresh, [out], fmt="doccano", utf16=utf16)
    assert report.orphaned == report.reanchored == 0
    quotes = {h.quote for h in fresh.annotations(ids[0]).highlights}
    assert "Ame\u0301lie agreed 👍🏽" in quotes and "إن الضريبة عادلة" in quotes
    if utf16 is None:
        assert any("UTF-16" in n for n in report.notices)


def test_w3c_page_id_part_of_and_z_times(lib) -> None:
    library, _ = lib
    coll = json.loads(export_library(library, "w3c", None).data)
    page = coll["first"]
    assert page["id"] and page["partOf"] == coll["id"] and page["type"] == "AnnotationPage"
    for anno in page["items"]:
        for key in ("created", "modified"):
            if key in anno:
                assert anno[key].endswith("Z") and "+00:00" not in anno[key]


def test_w3c_quote_selectors_occur_at_their_positions(lib) -> None:
    library, ids = lib
    coll = json.loads(export_library(library, "w3c", None).data)
    texts = {}
    for aid in ids:
        art = library.article(aid)
        texts[f"urn:newsnotes-reader:article:{aid}"] = art.body
        texts[f"urn:newsnotes-reader:source:{aid}"] = art.source_text
    checked = 0
    for anno in coll["first"]["items"]:
        target = anno["target"]
        if isinstance(target, str):
            continue
        sels = {s["type"]: s for s in target["selector"]}
        text = texts[target["source"]]
        pos, quote = sels["TextPositionSelector"], sels["TextQuoteSelector"]
        assert text[pos["start"] : pos["end"]] == quote["exact"]
        assert quote["exact"] in text
        checked += 1
    assert checked == 18


def test_ptc_labels_outside_the_techniques_warn_and_strict_refuses(lib, tmp_path: Path) -> None:
    library, ids = lib
    library.add_highlight(ids[0], 0, 5, tags=["My_Own_Label"])
    result = export_library(library, "ptc", None)
    assert any("My_Own_Label" in w and "14 PTC techniques" in w for w in result.warnings)
    with pytest.raises(ExportError, match="My_Own_Label"):
        export_library(library, "ptc", tmp_path / "x.tsv", strict_labels=True)
    assert not (tmp_path / "x.tsv").exists()
    ok = export_library(library, "ptc", None, allowed_labels={"My_Own_Label"}, strict_labels=False)
    assert not any("My_Own_Label" in w for w in ok.warnings)


def test_ptc_si_has_three_columns_and_round_trips(lib, tmp_path: Path) -> None:
    library, _ = lib
    out = tmp_path / "si.txt"
    data = export_library(library, "ptc-si", out).data.decode()
    assert data and all(len(line.split("\t")) == 3 for line in data.splitlines())
    fresh, _ = articles_only(tmp_path / "fresh")
    report = import_annotation_files(fresh, [out])  # detected as ptc-si
    assert report.added == len(data.splitlines()) and not report.unmatched
    assert export_library(fresh, "ptc-si", None).data.decode() == data


def test_ptc_ids_re_import_unambiguously(lib, tmp_path: Path) -> None:
    library, ids = lib
    out = tmp_path / "tc.tsv"
    data = export_library(library, "ptc", out).data.decode()
    written = {line.split("\t")[0] for line in data.splitlines()}
    assert "1" not in written  # two articles share external id 1: their full ids are written
    assert {"7", ids[1], ids[2]} == written
    fresh, _ = articles_only(tmp_path / "fresh")
    report = import_annotation_files(fresh, [out])
    assert not report.unmatched


def test_markdown_article_text_cannot_inject_emphasis_or_html(lib) -> None:
    library, _ = lib
    md = export_library(library, "markdown", None).data.decode()
    html = MarkdownIt("commonmark").render(md)
    assert "<em>" not in html and "<b>" not in html and "<strong>" not in html
    assert "*not emphasis* and &lt;b&gt;bold&lt;/b&gt;" in html
    assert "Name_Calling,Labeling" in html


def test_csv_source_offsets_are_integers_on_every_row(lib) -> None:
    library, _ = lib
    rows = list(csv.DictReader(io.StringIO(export_library(library, "csv", None).data.decode())))
    assert len(rows) == 18
    assert all(r["source_start"].isdigit() and r["source_end"].isdigit() for r in rows)
    assert "start" not in rows[0]  # no column that is empty for some rows under a familiar name
    outside = [r for r in rows if not r["body_start"]]
    assert len(outside) == 3 and all(not r["body_end"] for r in outside)


def test_doccano_utf16_span_at_the_end_is_not_refused(lib, tmp_path: Path) -> None:
    library, ids = lib
    body = library.article(ids[0]).body
    from library.annotations.anchoring import Utf16Index

    u16 = Utf16Index(body)
    s = body.index("indeed.")
    line = {"id": ids[0], "text": body, "label": [[u16.to_utf16(s), u16.to_utf16(len(body)), "Doubt"]]}
    path = tmp_path / "end.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert u16.to_utf16(len(body)) > len(body)  # past the end when read as code points
    report = import_annotation_files(library, [path], fmt="doccano")
    assert report.added == 1 and report.exact == 1
    new = [h for h in library.annotations(ids[0]).highlights if h.tags == ["Doubt"] and h.quote == "indeed."]
    assert len(new) == 1


def test_csv_offsets_stay_integers_in_pandas(lib) -> None:
    pd = pytest.importorskip("pandas", reason="pandas is not installed (not needed by the project)")
    library, _ = lib
    frame = pd.read_csv(io.BytesIO(export_library(library, "csv", None).data))
    assert str(frame["source_start"].dtype) == "int64" and str(frame["source_end"].dtype) == "int64"
    typed = pd.read_csv(
        io.BytesIO(export_library(library, "csv", None).data),
        dtype={"body_start": "Int64", "body_end": "Int64"},
    )
    assert typed["body_start"].isna().sum() == 3 and str(typed["body_start"].dtype) == "Int64"


def test_ptc_import_reports_labels_outside_the_techniques(lib, tmp_path: Path) -> None:
    from library.interchange.importing import AnnotationFileError

    library, _ = lib
    gold = tmp_path / "gold.tsv"
    gold.write_text("7\tMy_Label\t0\t5\n7\tDoubt\t6\t9\n", encoding="utf-8")
    report = import_annotation_files(library, [gold])
    assert report.added == 2 and any("My_Label" in n and "outside the scheme" in n for n in report.notices)
    with pytest.raises(AnnotationFileError, match="My_Label"):
        import_annotation_files(library, [gold], strict_labels=True)
    assert import_annotation_files(library, [gold], allowed_labels={"My_Label", "Doubt"}).notices == []
