"""The primary JSON document (validated against the shipped schema) and every export format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from export_samples import annotated_sample, make_article

from library.annotations.model import ArticleAnnotations
from library.interchange.export import (
    ExportError,
    ExportFilters,
    build_document,
    load_schema,
    render,
    write_file,
)


def validate(doc: dict) -> None:
    jsonschema.Draft202012Validator(load_schema()).validate(doc)


def sample_doc(**kw: object) -> dict:
    article, ann = annotated_sample()
    return build_document([(article, ann)], exported="2024-03-03T00:00:00+00:00", annotator="alice", **kw)


def test_document_fields_offsets_and_schema() -> None:
    doc = sample_doc()
    validate(doc)
    assert doc["schema"] == "newsnotes-reader/annotations" and doc["version"] == 1
    art = doc["articles"][0]
    assert art["title"] == "Café owners fear new tax 😀"
    assert art["tags"] == [{"tag": "economy", "annotator": "alice", "created": "2024-03-02T10:00:00+00:00"}]
    assert "body" not in art
    article, _ = annotated_sample()
    for h in art["highlights"]:
        assert article.body[h["start"] : h["end"]] == h["quote"]
        assert h["anchor"] == "exact" and h["confidence"] == 1.0
    h1 = art["highlights"][0]
    assert h1["quote"] == "would hurt small cafés. 😀 Owners in 東京"
    assert article.source_text[h1["source_start"] : h1["source_end"]] == h1["quote"]


def test_utf16_offsets_and_bodies() -> None:
    doc = sample_doc(utf16=True, with_bodies=True)
    validate(doc)
    art = doc["articles"][0]
    body = art["body"]
    units = body.encode("utf-16-le")
    for h in art["highlights"]:
        quote16 = units[2 * h["start_utf16"] : 2 * h["end_utf16"]].decode("utf-16-le")
        assert quote16 == h["quote"]
    # The span after the emoji differs by one unit per astral character before it.
    h2 = art["highlights"][1]
    assert h2["start_utf16"] == h2["start"] + 1


def test_highlight_outside_the_body_has_null_body_offsets() -> None:
    article = make_article()
    from library.annotations.model import Highlight

    s = article.source_text.index("Donate now")
    ann = ArticleAnnotations(
        article.id, highlights=[Highlight("hx", s, s + 10, "Donate now", tags=["appeal"])]
    )
    doc = build_document([(article, ann)], utf16=True)
    validate(doc)
    h = doc["articles"][0]["highlights"][0]
    assert h["start"] is None and h["end"] is None and h["start_utf16"] is None
    out = render("doccano", build_document([(article, ann)], with_bodies=True))
    assert json.loads(out.data)["label"] == []
    assert out.warnings and "1 highlight(s) outside the clean body" in out.warnings[0]
    assert render("ptc", doc).data.decode() == f"{article.id}\tappeal\t{s}\t{s + 10}\n"


def test_filters() -> None:
    article, ann = annotated_sample()
    other = make_article("ff00", site="other.org", published="2023-01-01")
    other_ann = ArticleAnnotations(other.id, note="x")
    empty = make_article("ee00")
    pairs = [(article, ann), (other, other_ann), (empty, ArticleAnnotations(empty.id))]
    ids = lambda f: [a["id"] for a in build_document(pairs, filters=f)["articles"]]  # noqa: E731
    assert ids(ExportFilters()) == [article.id, other.id]  # unannotated articles are left out
    assert ids(ExportFilters(include_unannotated=True)) == [article.id, other.id, empty.id]
    assert ids(ExportFilters(sites=["OTHER.org"])) == [other.id]
    assert ids(ExportFilters(since="2024-01-01")) == [article.id]
    assert ids(ExportFilters(until="2023-12-31")) == [other.id]
    assert ids(ExportFilters(ids=[empty.id])) == [empty.id]
    doc = build_document(pairs, filters=ExportFilters(tags=["Loaded_Language"]))
    assert [h["id"] for h in doc["articles"][0]["highlights"]] == ["h1"]
    doc = build_document(pairs, filters=ExportFilters(tags=["economy"]))  # article tag keeps all
    assert len(doc["articles"][0]["highlights"]) == 3


def test_jsonl_lines_are_schema_articles() -> None:
    doc = sample_doc()
    lines = render("jsonl", doc).data.decode().splitlines()
    assert len(lines) == 1
    schema = load_schema()
    jsonschema.Draft202012Validator({"$defs": schema["$defs"], "$ref": "#/$defs/article"}).validate(
        json.loads(lines[0])
    )
    assert json.loads(render("json", doc).data) == doc


def test_w3c_shape() -> None:
    out = json.loads(render("w3c", sample_doc()).data)
    assert out["@context"] == "http://www.w3.org/ns/anno.jsonld" and out["type"] == "AnnotationCollection"
    items = out["first"]["items"]
    assert out["total"] == len(items) == 5  # article tag, article note, three highlights
    tag, note, h1, h2, h3 = items
    assert tag["motivation"] == "tagging" and tag["target"].startswith("urn:newsnotes-reader:article:")
    assert tag["body"] == [{"type": "TextualBody", "value": "economy", "purpose": "tagging"}]
    assert note["motivation"] == "commenting"
    assert h1["motivation"] == "tagging" and h1["creator"] == {"type": "Person", "name": "alice"}
    quote_sel, pos_sel = h1["target"]["selector"]
    assert quote_sel["type"] == "TextQuoteSelector" and quote_sel["exact"].endswith("東京")
    assert pos_sel["type"] == "TextPositionSelector" and pos_sel["end"] - pos_sel["start"] == len(
        quote_sel["exact"]
    )
    assert h1["target"]["scope"] == "https://example.org/cafe-tax"
    assert [b["value"] for b in h2["body"]] == ["Name_Calling,Labeling", "Exaggeration,Minimisation"]
    assert h3["motivation"] == "commenting" and h3["body"][0]["purpose"] == "commenting"
    assert "created" in h1 and "modified" in h1


def test_ptc_one_line_per_highlight_and_tag_in_source_offsets() -> None:
    doc = sample_doc()
    out = render("ptc", doc)
    lines = out.data.decode().splitlines()
    article, _ = annotated_sample()
    assert len(lines) == 3  # h1 one tag, h2 two tags, h3 none
    for line in lines:
        aid, tech, s, e = line.split("\t")
        assert aid == article.id and tech
        assert article.source_text[int(s) : int(e)]
    assert out.warnings == ["1 highlight(s) without a tag left out (PTC lines need a technique)"]
    doc["articles"][0]["external_id"] = "111"
    assert render("ptc", doc).data.decode().startswith("111\t")


def test_doccano_body_offsets_and_utf16() -> None:
    doc = build_document([annotated_sample()], with_bodies=True)
    line = json.loads(render("doccano", doc).data)
    assert set(line) >= {"id", "text", "label"}
    for s, e, label in line["label"]:
        assert label in {"Loaded_Language", "Name_Calling,Labeling", "Exaggeration,Minimisation"}
        assert line["text"][s:e] in {"would hurt small cafés. 😀 Owners in 東京", "a disaster"}
    line16 = json.loads(render("doccano", doc, utf16=True).data)
    units = line16["text"].encode("utf-16-le")
    assert [units[2 * s : 2 * e].decode("utf-16-le") for s, e, _ in line16["label"]] == [
        line["text"][s:e] for s, e, _ in line["label"]
    ]


def test_csv_rows_and_formula_guard() -> None:
    rows = list(csv.DictReader(io.StringIO(render("csv", sample_doc(utf16=True), utf16=True).data.decode())))
    assert len(rows) == 3
    assert rows[1]["tags"] == "Name_Calling,Labeling | Exaggeration,Minimisation"
    assert rows[2]["note"] == "'=SUM(A1) repeated"  # never a live spreadsheet formula
    assert rows[0]["quote"] == "would hurt small cafés. 😀 Owners in 東京"
    assert int(rows[1]["body_start_utf16"]) == int(rows[1]["body_start"]) + 1


def test_markdown_reading_copy() -> None:
    md = render("markdown", sample_doc()).data.decode()
    assert "## Café owners fear new tax 😀" in md
    assert "> would hurt small cafés. 😀 Owners in 東京" in md
    assert "Tags: Name_Calling,Labeling, Exaggeration,Minimisation" in md
    assert "Note: Check the tax figures." in md


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        render("xml", sample_doc())


def test_writer_is_atomic_and_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_file(target, b"one")
    assert target.read_bytes() == b"one"
    with pytest.raises(ExportError, match="file exists"):
        write_file(target, b"two")
    assert target.read_bytes() == b"one"
    write_file(target, b"two", force=True)
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temp files left
    with pytest.raises(ExportError, match="does not exist"):
        write_file(tmp_path / "missing" / "x.json", b"")
    with pytest.raises(ExportError, match="is a directory"):
        write_file(tmp_path, b"")
