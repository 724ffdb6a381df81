"""Annotations from other tools: W3C without our ids (matched by URL, quote only), Hypothesis' older
`text` bodies, doccano's `entities` shape and records matched by their text."""

from __future__ import annotations

import json
from pathlib import Path

from export_samples import stored_library

from library.interchange.importing import import_annotation_files


def test_foreign_w3c_by_url_and_quote(tmp_path: Path) -> None:
    lib, ids = stored_library(tmp_path / "lib")
    annotations = [
        {
            "@context": "http://www.w3.org/ns/anno.jsonld",
            "id": "https://hyp.example/a/1",
            "type": "Annotation",
            "creator": "urn:annotator:dora",
            "body": [
                {"type": "TextualBody", "text": "look", "purpose": "commenting"},
                {"type": "TextualBody", "value": "Doubt", "purpose": "tagging"},
            ],
            "target": [
                {
                    "source": "https://example.org/cafe-tax",
                    "selector": {
                        "type": "TextQuoteSelector",
                        "exact": "Owners in 東京 disagree",
                        "prefix": "😀 ",
                        "suffix": ",",
                    },
                }
            ],
        },
        {
            "type": "Annotation",
            "motivation": "tagging",
            "body": {"type": "TextualBody", "value": "local"},
            "target": "https://example.org/cafe-tax",
        },
    ]
    path = tmp_path / "hyp.json"
    path.write_text(json.dumps(annotations))
    # All three sample articles share the URL: the match is ambiguous, so nothing is guessed.
    report = import_annotation_files(lib, [path], fmt="w3c")
    assert report.added == 0 and len(report.unmatched) == 2
    lib.close()


def test_foreign_w3c_quote_only_and_doccano_entities(tmp_path: Path) -> None:
    lib, ids = stored_library(tmp_path / "lib")
    body = lib.article(ids[2]).body
    annotation = {
        "type": "Annotation",
        "creator": {"type": "Person", "nickname": "dora"},
        "body": [
            {"type": "TextualBody", "text": "look", "purpose": "commenting"},
            {"type": "TextualBody", "value": "Doubt", "purpose": "tagging"},
        ],
        "target": {
            "source": f"urn:newsnotes-reader:article:{ids[2]}",
            "selector": {"type": "TextQuoteSelector", "exact": "a catastrophe"},
        },
    }
    w3c = tmp_path / "one.json"
    w3c.write_text(json.dumps(annotation))
    report = import_annotation_files(lib, [w3c])
    assert (report.added, report.reanchored) == (1, 1)
    h = lib.annotations(ids[2]).highlights[0]
    assert (h.quote, h.tags, h.note, h.annotator) == ("a catastrophe", ["Doubt"], "look", "dora")
    assert h.suffix.startswith(". The mayor")  # context filled in from the article

    start = body.index("tiny bakeries")
    doccano = tmp_path / "d.jsonl"
    record = {
        "id": 7,
        "text": body,
        "entities": [{"id": 0, "label": "Loaded_Language", "start_offset": start, "end_offset": start + 13}],
    }
    doccano.write_text(json.dumps(record, ensure_ascii=False) + "\n")
    report = import_annotation_files(lib, [doccano], annotator="eve")
    assert (report.added, report.exact, report.unmatched) == (1, 1, [])  # matched by its text
    got = [x for x in lib.annotations(ids[2]).highlights if x.annotator == "eve"]
    assert got[0].quote == "tiny bakeries" and got[0].tags == ["Loaded_Language"]
    lib.close()
