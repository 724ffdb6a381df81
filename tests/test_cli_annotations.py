"""The annotation commands end to end: export, import-annotations, merge, agreement, annotate, tag."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from export_samples import stored_library

from library.interchange.export import load_schema
from reader.cli import main


@pytest.fixture
def library_ids(store_dir: Path) -> list[str]:
    lib, ids = stored_library(store_dir)
    lib.close()
    return ids


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_annotate_by_quote_offsets_and_tag(
    library_ids: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys,
        "annotate",
        "101",
        "--quote",
        "Owners in 東京",
        "--tag",
        "Doubt",
        "--tag",
        "X",
        "--note",
        "n\x1b[2J\u202e",
    )
    assert code == 0, err
    saved = json.loads(out)
    assert saved["article_id"] == library_ids[0] and saved["quote"] == "Owners in 東京"
    assert saved["tags"] == ["Doubt", "X"] and saved["note"] == "n\x1b[2J\u202e"
    assert "\x1b" not in out and "\u202e" not in out  # escaped in the JSON text
    assert saved["end"] - saved["start"] == len("Owners in 東京")

    code, out, err = run(capsys, "annotate", "101", "--quote", "The mayor said", "--tag", "T")
    assert code == 2 and "occurs 2 times" in err and "--occurrence" in err
    code, out, err = run(
        capsys, "annotate", "101", "--quote", "The mayor said", "--occurrence", "2", "--tag", "T"
    )
    second = json.loads(out)
    assert code == 0 and second["start"] > saved["start"]

    code, out, _ = run(capsys, "annotate", library_ids[0][:8], "--start", "4", "--end", "9", "--tag", "T")
    assert code == 0 and json.loads(out)["quote"] == "mayor"
    code, out, _ = run(
        capsys, "annotate", "101", "--start", "0", "--end", "4", "--source-offsets", "--tag", "Title"
    )
    assert code == 0 and json.loads(out)["quote"] == "Café" and json.loads(out)["start"] is None
    code, _, err = run(capsys, "annotate", "101", "--start", "5", "--end", "999999")
    assert code == 2 and "outside" in err
    code, _, err = run(capsys, "annotate", "101", "--quote", "no such words")
    assert code == 2 and "not found" in err
    code, _, err = run(capsys, "annotate", "999", "--quote", "x")
    assert code == 1 and "999" in err  # not found: exit 1, as for `reader show`

    code, out, _ = run(capsys, "--annotator", "zoe", "tag", "101", "economy")
    assert code == 0 and json.loads(out)["tags"][0] == {
        "tag": "economy",
        "annotator": "zoe",
        "created": json.loads(out)["tags"][0]["created"],
    }

    code, out, _ = run(capsys, "export")
    doc = json.loads(out)
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    assert [len(a["highlights"]) for a in doc["articles"]] == [4]
    assert doc["articles"][0]["tags"][0]["tag"] == "economy"


def test_export_to_files_force_formats_and_filters(
    library_ids: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "annotate", "101", "--quote", "small cafés. 😀 Owners", "--tag", "Doubt")
    run(capsys, "annotate", "102", "--quote", "a disaster", "--tag", "Slogans")
    out_file = tmp_path / "out.json"
    code, _, err = run(capsys, "export", "-o", str(out_file), "--utf16", "--with-bodies")
    assert code == 0 and "exported 2 article(s), 2 highlight(s)" in err
    doc = json.loads(out_file.read_text())
    jsonschema.Draft202012Validator(load_schema()).validate(doc)
    h = doc["articles"][0]["highlights"][0]
    assert h["end_utf16"] - h["start_utf16"] == h["end"] - h["start"] + 1  # one emoji
    assert "body" in doc["articles"][0]
    code, _, err = run(capsys, "export", "-o", str(out_file), "--format", "csv")
    assert code == 2 and "file exists" in err and out_file.read_text().startswith("{")
    code, _, _ = run(capsys, "export", "-o", str(out_file), "--format", "csv", "--force")
    assert code == 0 and out_file.read_text().startswith("article_id,")
    for fmt in ("jsonl", "w3c", "ptc", "doccano", "markdown"):
        code, out, err = run(capsys, "export", "--format", fmt)
        assert code == 0 and out, (fmt, err)
    code, out, _ = run(capsys, "export", "--tag", "Slogans")
    assert [a["external_id"] for a in json.loads(out)["articles"]] == ["102"]
    code, out, _ = run(capsys, "export", "--id", "103", "--format", "ptc")
    assert code == 0 and out == ""
    code, out, _ = run(capsys, "export", "--since", "2030-01-01")
    assert json.loads(out)["articles"] == []
    code, out, _ = run(capsys, "export", "--format", "ptc")
    assert sorted(line.split("\t")[0] for line in out.splitlines()) == ["101", "102"]


def test_import_merge_and_agreement(
    library_ids: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    ann_file, ben_file = tmp_path / "ann.tsv", tmp_path / "ben.tsv"
    ann_file.write_text("101\tDoubt\t0\t4\n101\tSlogans\t102\t112\n")
    ben_file.write_text("101\tDoubt\t0\t4\n101\tSlogans\t105\t115\n102\tDoubt\t10\t20\n")
    code, out, err = run(capsys, "merge", str(ann_file), str(ben_file), "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["per_annotator"] == {"ann": 2, "ben": 3} and report["exact"] == 5
    code, out, _ = run(capsys, "merge", str(ann_file), str(ben_file))
    assert code == 0 and "0 highlight(s) added" in out and "5 already present" in out

    code, out, _ = run(capsys, "agreement", "--a", "ann", "--b", "ben", "--json")
    result = json.loads(out)
    doubt = next(t for t in result["span_f1"] if t["tag"] == "Doubt")
    assert doubt["exact_f1"] == pytest.approx(2 / 3, abs=1e-3)
    slogans = next(t for t in result["span_f1"] if t["tag"] == "Slogans")
    assert slogans["exact_f1"] == 0.0 and slogans["overlap_f1"] == 1.0
    code, out, _ = run(capsys, "agreement", "--a", "ann", "--b", "ben")
    assert code == 0 and "Disagreements: 2" in out

    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"schema": "newsnotes-reader/annotations", "version": 1, "exported": "", "articles": [{"id": 5}]}'
    )
    code, out, err = run(capsys, "import-annotations", str(bad), str(ann_file))
    assert code == 1 and err.count("\n") == 1 and str(bad) in err and "nothing was imported" in err

    unknown = tmp_path / "unknown.tsv"
    unknown.write_text("424242\tDoubt\t0\t4\n")
    code, out, err = run(capsys, "--annotator", "me", "import-annotations", str(unknown), "--format", "ptc")
    assert code == 1 and "no article 424242" in err


def test_annotate_twice_on_one_span_tags_the_same_highlight(
    library_ids: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "annotate", "101", "--quote", "Owners in 東京", "--tag", "Doubt")
    assert code == 0, err
    first = json.loads(out)
    code, out, err = run(
        capsys, "annotate", "101", "--quote", "Owners in 東京", "--tag", "X", "--tag", "Doubt", "--note", "n"
    )
    assert code == 0, err
    second = json.loads(out)
    assert second["id"] == first["id"] and second["tags"] == ["Doubt", "X"] and second["note"] == "n"
    code, out, _ = run(capsys, "export")
    (article,) = json.loads(out)["articles"]
    assert [h["tags"] for h in article["highlights"]] == [["Doubt", "X"]]

    code, out, _ = run(capsys, "tag", "101", "economy")
    assert code == 0 and [t["tag"] for t in json.loads(out)["tags"]] == ["economy"]
    code, out, _ = run(capsys, "tag", "101", "economy")  # already there: unchanged
    assert code == 0 and [t["tag"] for t in json.loads(out)["tags"]] == ["economy"]
    code, _, err = run(capsys, "tag", "101", "  ")
    assert code == 2 and "empty" in err
