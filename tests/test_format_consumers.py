"""The real consumers read our exports: Label Studio's own converter, node's UTF-16 strings, the
W3C model's rules (as the W3C test suite checks them), spaCy loading the DocBin."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from interchange_fixtures import fixture_library

from library.interchange.export import export_library
from library.interchange.formats.label_studio import labeling_config


@pytest.fixture
def lib(tmp_path: Path):
    return fixture_library(tmp_path / "lib")


def test_label_studio_converter_reads_our_tasks(lib, tmp_path: Path) -> None:
    converter = pytest.importorskip(
        "label_studio_sdk.converter",
        reason="label-studio-sdk is not installed (large; not in the test extra)",
    )
    library, ids = lib
    out = tmp_path / "tasks.json"
    export_library(library, "label-studio", out)
    tasks = json.loads(out.read_text("utf-8"))
    labels = sorted(
        {
            lab
            for t in tasks
            for a in t["annotations"]
            for r in a["result"]
            for lab in r["value"].get("labels", [])
        }
    )
    conv = converter.Converter(
        config=labeling_config(labels, ["economy"]), project_dir=str(tmp_path), download_resources=False
    )
    conv.convert_to_json_min(str(out), str(tmp_path / "min"), is_dir=False)
    records = json.loads((tmp_path / "min" / "result.json").read_text("utf-8"))
    assert {r["article_id"] for r in records} == set(ids)
    seen = 0
    for record in records:
        text = record["text"]
        for region in record["label"]:
            assert text[region["start"] : region["end"]] == region["text"]  # Python slicing: code points
            seen += 1
    assert seen == sum(
        1 for t in tasks for a in t["annotations"] for r in a["result"] if r["type"] == "labels"
    )
    assert "Ame\u0301lie agreed 👍🏽" in {r["text"] for rec in records for r in rec["label"]}
    assert record["annotator"] == "alice"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_utf16_offsets_slice_right_in_javascript(lib, tmp_path: Path) -> None:
    library, _ = lib
    doccano = tmp_path / "d.jsonl"
    export_library(library, "doccano", doccano, utf16=True)
    ours = tmp_path / "ours.json"
    export_library(library, "json", ours, utf16=True, with_bodies=True)
    script = tmp_path / "check.js"
    script.write_text(
        """
const fs = require('fs');
const out = [];
for (const line of fs.readFileSync(process.argv[2], 'utf8').split('\\n')) {
  if (!line.trim()) continue;
  const rec = JSON.parse(line);
  for (const [s, e] of rec.label) out.push(rec.text.slice(s, e));
}
const doc = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
for (const a of doc.articles) for (const h of a.highlights)
  if (h.start_utf16 !== null) out.push(a.body.slice(h.start_utf16, h.end_utf16) === h.quote ? 'ok' : 'BAD ' + h.quote);
console.log(JSON.stringify(out));
""",
        encoding="utf-8",
    )
    run = subprocess.run(
        ["node", str(script), str(doccano), str(ours)], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    sliced = json.loads(run.stdout)
    assert "Ame\u0301lie agreed 👍🏽" in sliced and "إن الضريبة عادلة" in sliced
    assert not any(s.startswith("BAD") for s in sliced) and sliced.count("ok") == 15
    expected = {h.quote for aid in library.ids() for h in library.annotations(aid).highlights if h.tags}
    assert set(sliced) - {"ok"} <= expected


def test_w3c_model_rules_from_the_test_suite(lib) -> None:
    """The assertions of the W3C annotation test suite (annotation-model/*) that apply to us."""
    library, _ = lib
    coll = json.loads(export_library(library, "w3c", None).data)
    assert coll["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert coll["type"] == "AnnotationCollection" and coll["id"]
    page = coll["first"]
    # 5.2-pageIdValidated, 5.2 partOf, startIndex a non-negative integer.
    assert isinstance(page["id"], str) and page["id"]
    assert page["partOf"] == coll["id"] and page["startIndex"] == 0
    assert coll["total"] == len(page["items"])
    for anno in page["items"]:
        # 3.1: id, type Annotation, target; 3.2.x bodies typed; 3.3.5 dateTime in UTC with Z.
        assert anno["id"] and anno["type"] == "Annotation" and anno["target"]
        for body in anno.get("body", []):
            assert body["type"] == "TextualBody" and isinstance(body["value"], str)
            assert body["purpose"] in ("tagging", "commenting")
        for key in ("created", "modified"):
            if key in anno:
                assert anno[key].endswith("Z") and len(anno[key]) == 20
        target = anno["target"]
        if isinstance(target, dict):
            for sel in target["selector"]:
                if sel["type"] == "TextPositionSelector":
                    assert 0 <= sel["start"] <= sel["end"]
                else:
                    assert sel["type"] == "TextQuoteSelector" and sel["exact"]


def test_spacy_loads_the_docbin(lib, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy", reason="spaCy is an optional extra ([spacy]) and not installed")
    from spacy.tokens import DocBin

    library, ids = lib
    out = tmp_path / "train.spacy"
    result = export_library(library, "spacy", out)
    assert any("overlap" in w for w in result.warnings)
    nlp = spacy.blank("en")
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert [d.user_data["newsnotes_id"] for d in docs] == ids
    first = docs[0]
    assert first.text == library.article(ids[0]).body
    spans = {(s.text, s.label_) for s in first.spans["newsnotes"]}
    assert ("Ame\u0301lie agreed 👍🏽", "Repetition") in spans and (
        "إن الضريبة عادلة",
        "Flag-Waving",
    ) in spans
    assert ("owner said the new tax", "Loaded_Language") in spans and ("new tax would hurt", "Doubt") in spans
    ents = {e.text for e in first.ents}
    assert "إن الضريبة عادلة" in ents and "new tax would hurt" not in ents  # overlaps stay out of ents
    assert first.cats == {"economy": 1.0}
    # spaCy's training data reader takes it as it is.
    from spacy.training import Corpus

    examples = list(Corpus(str(out))(nlp))
    assert len(examples) == 3 and examples[0].reference.text == first.text


def test_spacy_missing_gives_one_clear_message(lib, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from library.interchange.export import ExportError
    from library.interchange.formats import spacy_docbin

    monkeypatch.setattr(spacy_docbin, "_spacy", lambda: None)
    library, _ = lib
    with pytest.raises(ExportError, match=r"spaCy is not installed.*\[spacy\]"):
        export_library(library, "spacy", tmp_path / "x.spacy")
    assert not (tmp_path / "x.spacy").exists()
