"""What each new format writes, read as its consumer reads it: brat fragments and notes, Label
Studio per annotator, CoNLL columns, WebAnno UTF-16 offsets; bad files get one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from interchange_fixtures import articles_only, fixture_library

from library.annotations.anchoring import Utf16Index
from library.interchange.export import export_library
from library.interchange.importing import AnnotationFileError, import_annotation_files


@pytest.fixture
def lib(tmp_path: Path):
    return fixture_library(tmp_path / "lib")


def test_brat_fragments_notes_and_article_convention(lib, tmp_path: Path) -> None:
    library, ids = lib
    aid = ids[0]
    body = library.article(aid).body
    # A span across the paragraph break needs brat fragments.
    s = body.index("loudly")
    e = body.index("الوزير") + len("الوزير")
    src = library.article(aid).body_to_source(s, e)
    library.add_highlight(aid, src[0], src[1], tags=["Doubt"], note="two\nlines")
    out = tmp_path / "brat"
    export_library(library, "brat", out)
    ann = (out / f"{aid}.ann").read_text("utf-8")
    txt = (out / f"{aid}.txt").read_text("utf-8")
    assert txt == body
    frag = next(line for line in ann.splitlines() if line.startswith("T") and ";" in line)
    kind, where, shown = (
        frag.split("\t")[1].split(" ", 1)[0],
        frag.split("\t")[1].split(" ", 1)[1],
        frag.split("\t")[2],
    )
    pieces = [tuple(map(int, p.split())) for p in where.split(";")]
    assert kind == "Doubt" and len(pieces) == 2 and all("\n" not in txt[a:b] for a, b in pieces)
    assert shown == " ".join(txt[a:b] for a, b in pieces)
    assert "AnnotatorNotes" in ann and "\ttwo lines" in ann
    assert f"T0\tArticle 0 {len(body.splitlines()[0])}" in ann and "Tag T0 economy" in ann
    assert "Check the figures 😀." in ann
    for line in ann.splitlines():
        if line.startswith("T"):
            _, spec, text = line.split("\t")
            spans = [tuple(map(int, p.split())) for p in spec.split(" ", 1)[1].split(";")]
            assert " ".join(txt[a:b] for a, b in spans) == text
    conf = (out / "annotation.conf").read_text("utf-8")
    assert "[entities]" in conf and "Doubt" in conf and "Tag\tArg:Article" in conf
    fresh, _ = articles_only(tmp_path / "fresh")
    import_annotation_files(fresh, [out])
    crossing = [h for h in fresh.annotations(aid).highlights if h.note == "two lines"]
    assert len(crossing) == 1 and crossing[0].tags == ["Doubt"]


def test_label_studio_one_annotation_per_annotator(lib, tmp_path: Path) -> None:
    library, ids = lib
    library.annotator = "bob"
    body = library.article(ids[0]).body
    s = body.index("loudly")
    src = library.article(ids[0]).body_to_source(s, s + 6)
    library.add_highlight(ids[0], src[0], src[1], tags=["Doubt"])
    tasks = json.loads(export_library(library, "label-studio", None).data)
    first = tasks[0]
    assert first["data"]["text"] == body and first["data"]["article_id"] == ids[0]
    who = [a["completed_by"]["email"] for a in first["annotations"]]
    assert who == ["alice", "bob"]
    bob = first["annotations"][1]["result"]
    assert bob[0]["value"] == {"start": s, "end": s + 6, "text": "loudly", "labels": ["Doubt"]}
    out = tmp_path / "ls.json"
    out.write_text(json.dumps(tasks), encoding="utf-8")
    fresh, _ = articles_only(tmp_path / "fresh")
    report = import_annotation_files(fresh, [out])
    assert report.per_annotator == {"alice": 12, "bob": 1}


def test_label_studio_utf16_is_detected(lib, tmp_path: Path) -> None:
    library, ids = lib
    out = tmp_path / "ls16.json"
    export_library(library, "label-studio", out, utf16=True)
    fresh, _ = articles_only(tmp_path / "fresh")
    report = import_annotation_files(fresh, [out])
    assert report.exact == 12 and any("UTF-16" in n for n in report.notices)


def test_conll_columns_and_overlaps(lib) -> None:
    library, ids = lib
    result = export_library(library, "conll", None)
    text = result.data.decode()
    header, *lines = text.splitlines()
    assert header.endswith("LABEL_1 LABEL_2")
    rows = [line.split("\t") for line in lines if line and not line.startswith("-DOCSTART-")]
    assert all(len(r) == 5 for r in rows)
    tokens = {r[0] for r in rows}
    assert "Ame\u0301lie" in tokens and "👍🏽" in tokens and "🇫🇷" in tokens and "الضريبة" in tokens
    body = library.article(ids[0]).body
    first_doc = rows[: next(i for i, r in enumerate(rows) if r[0] == "The" and i > 0)]
    assert all(body[int(r[1]) : int(r[2])] == r[0] for r in first_doc)
    # Column 1 is a valid IOB2 layer on its own: no I- after O or after another label.
    prev = "O"
    for r in rows:
        tag = r[3]
        assert not tag.startswith("I-") or prev[2:] == tag[2:], (prev, tag)
        prev = tag
    assert any("extra columns" in w for w in result.warnings)


def test_webanno_offsets_are_utf16(lib, tmp_path: Path) -> None:
    library, ids = lib
    out = tmp_path / "wa"
    export_library(library, "webanno", out)
    lines = (out / f"{ids[0]}.tsv").read_text("utf-8").splitlines()
    assert lines[0] == "#FORMAT=WebAnno TSV 3.3" and lines[1] == "#T_SP=webanno.custom.Highlight|label|note"
    body = library.article(ids[0]).body
    u16 = Utf16Index(body)
    for line in lines:
        if line and not line.startswith("#"):
            _, offs, token, label, note = line.split("\t")
            b, e = map(int, offs.split("-"))
            assert (
                body[u16.from_utf16(b) : u16.from_utf16(e)].replace("*", "\\*").replace("_", "\\_") == token
            )
    emoji = next(line for line in lines if "\t😀\t" in line)
    b, e = map(int, emoji.split("\t")[1].split("-"))
    assert e - b == 2  # one emoji, two UTF-16 units
    assert any("Loaded\\_Language[1]" in line for line in lines)


@pytest.mark.parametrize(
    ("name", "content", "fmt", "message"),
    [
        ("bad.ann", "T1\tDoubt 0 x\tabc\n", "brat", "expected T<n>"),
        ("bad.ann", "T1\tDoubt 0 9999\tabc\n", "brat", "beyond the end"),
        ("bad.json", '[{"data": {"text": 5}}]', "label-studio", "data.text must be a string"),
        (
            "bad.json",
            '[{"data": {"text": "abc"}, "annotations": [{"result": [{"type": "labels", "value": {"start": -1, "end": 2, "labels": ["X"]}}]}]}]',
            "label-studio",
            "negative offset",
        ),
        ("bad.conll", "-DOCSTART-\tx\n\nabc\t0\t3\tQ-X\n", "conll", "not IOB2"),
        ("bad.conll", "abc\t0\t3\tB-X\n", "conll", "before the first -DOCSTART-"),
        ("bad.tsv", "#FORMAT=WebAnno TSV 3.3\n#T_SP=x|label\n\n\n1-1\tzz\tabc\t_\n", "webanno", "begin-end"),
        ("bad.spacy", "not a docbin", "spacy", "not a spaCy DocBin"),
        ("bad.txt", "Title\nno meta line\n\nquote\n==========\n", "kindle", "Your Highlight"),
        ("bad.csv", "Highlight,Nope\nx,y\n", "readwise", "Book Title"),
        ("bad.json", '{"rows": 3}', "hypothesis", "expected Hypothesis"),
    ],
)
def test_bad_files_get_one_clear_error_and_change_nothing(
    lib, tmp_path: Path, name: str, content: str, fmt: str, message: str
) -> None:
    if fmt == "spacy":
        pytest.importorskip("spacy", reason="spaCy is an optional extra ([spacy]) and not installed")
    library, ids = lib
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    if fmt == "brat":
        bad.with_suffix(".txt").write_text("abc", encoding="utf-8")
    before = [library.annotations(a).to_json() for a in ids]
    with pytest.raises(AnnotationFileError, match=message) as err:
        import_annotation_files(library, [bad], fmt=fmt)
    assert str(err.value).startswith(str(bad)) and "\n" not in str(err.value)
    assert [library.annotations(a).to_json() for a in ids] == before


def test_conll_hashtag_token_is_not_a_comment(tmp_path: Path) -> None:
    from export_samples import make_article, parsed

    from library import Library

    source = "Title\n\nBy Someone\n\nThey chanted #NeverAgain in the square.\n\nMore text here.\n\nDonate!\n"
    lib = Library.open(tmp_path / "lib")
    aid = lib.add_articles([parsed(make_article("hx", source, title="Title"))]).imported[0]
    body = lib.article(aid).body
    s = body.index("#NeverAgain")
    src = lib.article(aid).body_to_source(s, s + len("#NeverAgain"))
    lib.add_highlight(aid, src[0], src[1], tags=["Slogans"])
    out = tmp_path / "h.conll"
    first = export_library(lib, "conll", out).data
    assert b"\n#\t" in first
    fresh = Library.open(tmp_path / "fresh")
    fresh.add_articles([parsed(make_article("hx", source, title="Title"))])
    import_annotation_files(fresh, [out])
    assert [h.quote for h in fresh.annotations(aid).highlights] == ["#NeverAgain"]
    assert export_library(fresh, "conll", None).data == first
