"""Importing annotations: lossless round trips, anchoring reports, idempotency, PTC gold, hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import corpus_dir
from export_samples import stored_library

from library.interchange.export import ExportFilters, export_library, load_schema
from library.interchange.importing import AnnotationFileError, import_annotation_files


def annotate(lib, ids: list[str]) -> None:  # noqa: ANN001
    """A little of everything: tags, notes, non-ASCII spans, a span in boilerplate, two annotators."""
    a = lib.article(ids[0])
    s = a.body.index("small cafés. 😀 Owners in 東京")
    src = a.body_to_source(s, s + len("small cafés. 😀 Owners in 東京"))
    lib.add_highlight(ids[0], *src, tags=["Loaded_Language", "Doubt"], note="check ✓")
    donate = a.source_text.index("Donate now")
    lib.add_highlight(ids[0], donate, donate + 10, tags=["appeal"])
    lib.set_article_tags(ids[0], ["economy", "local"])
    lib.set_article_note(ids[0], "Follow up.\nTwo lines.")
    lib.annotator = "bob"
    b = lib.article(ids[1])
    s = b.body.index("a disaster")
    lib.add_highlight(ids[1], *b.body_to_source(s, s + 10), tags=["Name_Calling,Labeling"])
    lib.set_article_tags(ids[1], ["economy"])
    lib.annotator = "alice"


def export_json(lib, fmt: str = "json", **kw) -> bytes:  # noqa: ANN001
    data = export_library(lib, fmt, None, **kw).data
    if fmt == "json":
        jsonschema.Draft202012Validator(load_schema()).validate(json.loads(data))
    return data


def without_stamp(data: bytes) -> dict:
    doc = json.loads(data)
    doc.pop("exported")
    doc.pop("annotator", None)
    return doc


def snapshot(lib) -> dict:  # noqa: ANN001
    return {s.id: lib.annotations(s.id).to_json() for s in lib.summaries()}


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_round_trip_is_lossless_and_idempotent(tmp_path: Path, fmt: str) -> None:
    lib, ids = stored_library(tmp_path / "one")
    annotate(lib, ids)
    first = export_json(lib, fmt)
    lib.close()
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(first)
    lib2, _ = stored_library(tmp_path / "two")
    report = import_annotation_files(lib2, [path])
    assert (report.added, report.exact, report.reanchored, report.orphaned) == (3, 3, 0, 0)
    assert report.tags_added == 3 and report.notes_set == 1
    second = export_json(lib2, fmt)
    if fmt == "json":
        assert without_stamp(second) == without_stamp(first)
    else:
        assert second == first
    again = import_annotation_files(lib2, [path])
    assert (again.added, again.skipped, again.tags_added, again.notes_set) == (0, 3, 0, 0)
    third = export_json(lib2, fmt)  # the second import changed nothing
    assert (without_stamp(third) == without_stamp(first)) if fmt == "json" else (third == first)
    lib2.close()


def test_w3c_and_doccano_round_trips(tmp_path: Path) -> None:
    lib, ids = stored_library(tmp_path / "one")
    annotate(lib, ids)
    want = without_stamp(export_json(lib))
    w3c, doccano = tmp_path / "a.w3c.json", tmp_path / "a.jsonl"
    w3c.write_bytes(export_json(lib, "w3c"))
    doccano.write_bytes(export_json(lib, "doccano"))
    lib.close()

    lib2, _ = stored_library(tmp_path / "two")
    report = import_annotation_files(lib2, [w3c])
    assert report.added == 3 and report.orphaned == 0 and report.unmatched == []
    got = without_stamp(export_json(lib2))
    key = lambda doc: [  # noqa: E731
        (
            a["id"],
            [(t["tag"], t["annotator"]) for t in a["tags"]],
            a["note"],
            [
                (h["id"], h["source_start"], h["source_end"], h["tags"], h["note"], h["annotator"])
                for h in a["highlights"]
            ],
        )
        for a in doc["articles"]
    ]
    assert key(got) == key(want)
    assert import_annotation_files(lib2, [w3c]).added == 0
    lib2.close()

    lib3, _ = stored_library(tmp_path / "three")
    report = import_annotation_files(lib3, [doccano], annotator="carol")
    # The boilerplate span is not in doccano (body offsets only); the two body spans come back exactly.
    assert (report.added, report.exact) == (2, 2)
    spans = [
        (h["source_start"], h["source_end"], sorted(h["tags"]))
        for a in without_stamp(export_json(lib3))["articles"]
        for h in a["highlights"]
    ]
    want_spans = [
        (h["source_start"], h["source_end"], sorted(h["tags"]))
        for a in want["articles"]
        for h in a["highlights"]
        if h["start"] is not None
    ]
    assert sorted(spans) == sorted(want_spans)
    assert import_annotation_files(lib3, [doccano], annotator="carol").added == 0
    lib3.close()


def test_reanchoring_orphans_and_unmatched_are_reported(tmp_path: Path) -> None:
    lib, ids = stored_library(tmp_path / "lib")
    annotate(lib, ids)
    doc = json.loads(export_json(lib))
    lib.close()
    h = doc["articles"][0]["highlights"][0]
    body_quote = h["quote"]
    # Wrong offsets, right quote and context: found again, with a confidence.
    h["id"], h["source_start"], h["source_end"] = "moved", 0, 5
    # A quote found nowhere: an orphan, kept with its offsets.
    lost = dict(h, id="lost", quote="words that are not in this article", source_start=3, source_end=9)
    doc["articles"][0]["highlights"] = [h, lost]
    doc["articles"][1]["id"] = "feedfacefeedface"
    doc["articles"][1]["external_id"] = None
    doc["articles"][1]["origin"]["path"] = "/elsewhere/unknown.txt"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc))
    lib2, ids2 = stored_library(tmp_path / "two")
    report = import_annotation_files(lib2, [path])
    assert (report.exact, report.reanchored, report.orphaned) == (0, 1, 1)
    assert len(report.unmatched) == 1 and "feedfacefeedface" in report.unmatched[0]
    assert "words that are not" in report.orphans[0]
    stored = {x.id: x for x in lib2.annotations(ids2[0]).highlights}
    assert stored["moved"].anchor == "reanchored" and 0.75 <= stored["moved"].confidence < 1
    art = lib2.article(ids2[0])
    span = art.source_to_body(stored["moved"].source_start, stored["moved"].source_end)
    assert art.body[span[0] : span[1]] == body_quote
    assert (stored["lost"].anchor, stored["lost"].source_start, stored["lost"].source_end) == ("orphan", 3, 9)
    out = json.loads(export_json(lib2))
    orphan = next(x for x in out["articles"][0]["highlights"] if x["id"] == "lost")
    assert orphan["start"] is None and orphan["anchor"] == "orphan"
    lib2.close()


def test_w3c_position_in_a_changed_body_reanchors_by_quote(tmp_path: Path) -> None:
    lib, ids = stored_library(tmp_path / "lib")
    annotate(lib, ids)
    w3c = tmp_path / "a.json"
    w3c.write_bytes(export_json(lib, "w3c", filters=ExportFilters(ids=[ids[1]])))
    lib.flip_block(ids[1], 0)  # the metadata line joins the body: body offsets shift
    lib.delete_highlight(ids[1], lib.annotations(ids[1]).highlights[0].id)
    report = import_annotation_files(lib, [w3c])
    assert (report.added, report.reanchored) == (1, 1)
    h = lib.annotations(ids[1]).highlights[0]
    art = lib.article(ids[1])
    s, e = art.source_to_body(h.source_start, h.source_end)
    assert art.body[s:e] == "a disaster" and h.anchor == "reanchored"
    lib.close()


def hostile_cases(tmp_path: Path, doc: dict) -> list[tuple[str, str, str]]:
    """(file name, content, expected reason) for files that must be rejected whole."""

    def edited(change) -> str:  # noqa: ANN001
        d = json.loads(json.dumps(doc))
        change(d)
        return json.dumps(d)

    first = lambda d: d["articles"][0]["highlights"][0]  # noqa: E731
    return [
        ("neg.json", edited(lambda d: first(d).update(source_start=-4)), "source_start"),
        ("range.json", edited(lambda d: first(d).update(source_end=10**9)), "beyond the end"),
        ("type.json", edited(lambda d: first(d).update(source_start="12")), "not of type"),
        ("tags.json", edited(lambda d: first(d).update(tags="Doubt")), "not of type"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "JSON"),
        (
            "deep2.json",
            '{"schema": "newsnotes-reader/annotations", "articles": ' + "[" * 5000 + "]" * 5000 + "}",
            "JSON",
        ),
        ("many.jsonl", '{"id": "x", "text": "ab", "label": [[0, 1, "T"]]}\n' * 200_001, "too many entries"),
        ("million.json", json.dumps({**doc, "articles": [{}] * 1_000_000}), "too many entries"),
        ("broken.json", '{"schema": "newsnotes-reader/annotations", "articles": [', "malformed JSON"),
        ("latin1.json", "caf\xe9", "not UTF-8"),
        ("other.json", '{"schema": "someone-else", "articles": []}', "not a newsnotes-reader"),
        ("bad.tsv", "111\tDoubt\t5\n", "expected article_id"),
        ("neg.tsv", "101\tDoubt\t-1\t4\n", "negative offset"),
        ("order.tsv", "101\tDoubt\t9\t4\n", "before start"),
        ("far.tsv", "101\tDoubt\t0\t99999\n", "beyond the end"),
        (
            "w3c.json",
            '{"type": "Annotation", "target": {"source": "x", "selector": {"type": "TextPositionSelector", "start": "a", "end": 2}}}',
            "integers",
        ),
        ("doccano.jsonl", '{"id": 1, "text": "ab", "label": [[0, 9, "T"]]}\n', "beyond the end"),
    ]


def test_hostile_files_get_one_clear_error_and_change_nothing(tmp_path: Path) -> None:
    lib, ids = stored_library(tmp_path / "lib")
    annotate(lib, ids)
    doc = json.loads(export_json(lib))
    good = tmp_path / "good.json"
    good.write_text(json.dumps(doc))
    before = snapshot(lib)
    for name, content, reason in hostile_cases(tmp_path, doc):
        path = tmp_path / name
        path.write_bytes(content.encode("latin-1") if name == "latin1.json" else content.encode())
        with pytest.raises(AnnotationFileError) as err:
            # A good file before the bad one: still nothing is written.
            import_annotation_files(lib, [good, path])
        message = str(err.value)
        assert message.startswith(f"{path}: "), message
        assert reason in message, message
        assert "\n" not in message and len(message) < 400
        assert snapshot(lib) == before, name
    lib.close()


def test_ptc_gold_round_trip(tmp_path: Path) -> None:
    from library import Library
    from library.ingest.reading import IngestError, read_inputs

    ptc = corpus_dir("ptc-dev")
    with Library.open(tmp_path / "lib") as lib:
        lib.annotator = "gold"
        items = list(read_inputs([str(ptc / "articles")]))
        assert not [i for i in items if isinstance(i, IngestError)]
        assert len(lib.add_articles(items).imported) == 40
        report = import_annotation_files(lib, [ptc / "labels.tsv"], annotator="gold")
        assert report.unmatched == [] and report.orphaned == 0
        assert report.exact == report.added
        out = export_library(lib, "ptc", tmp_path / "out.tsv")
        gold = sorted(line for line in (ptc / "labels.tsv").read_text().splitlines() if line.strip())
        assert sorted((tmp_path / "out.tsv").read_text().splitlines()) == gold
        assert out.records == len(gold) and out.warnings == []
        assert import_annotation_files(lib, [ptc / "labels.tsv"], annotator="gold").added == 0
