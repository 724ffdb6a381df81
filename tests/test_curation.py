"""Curation: the plan of disagreements, decisions and their undo, and `reader curate --auto`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from curation_fixture import (
    AGREED,
    BOUNDARY_A,
    BOUNDARY_B,
    LABEL,
    ONLY_ALICE,
    ONLY_BEN,
    curation_library,
    source_span,
)

from library.annotations.curation import (
    ACCEPT_ALL,
    EDIT,
    KIND_ARTICLE_LABEL,
    KIND_BOUNDARY,
    KIND_LABEL,
    KIND_ONLY_ONE,
    REJECT,
    CurationError,
    plan_article,
)
from library.core.curating import CurationSession
from reader.cli import main


def curated(library, aid: str, curator: str = "curation") -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    return sorted(
        (h.quote, sorted(h.tags)) for h in library.annotations(aid).highlights if h.annotator == curator
    )


def test_plan_finds_every_kind_of_disagreement_in_document_order(tmp_path: Path) -> None:
    library, aid = curation_library(tmp_path / "lib")
    plan = plan_article(library.annotations(aid), ["alice", "ben"])
    kinds = [(i.kind, [p.quote or p.label for p in i.proposals]) for i in plan.items]
    assert kinds == [
        (KIND_ONLY_ONE, [ONLY_ALICE]),
        (KIND_LABEL, [LABEL, LABEL]),
        (KIND_BOUNDARY, [BOUNDARY_B, BOUNDARY_A]),
        (KIND_ONLY_ONE, [ONLY_BEN]),
        (KIND_ARTICLE_LABEL, ["Opinion"]),
    ]
    assert [p.label for i in plan.pre_accepted for p in i.proposals] == ["Doubt", "Politics"]
    assert plan.total == 5 and plan.done == 0
    assert plan_article(library.annotations(aid), ["alice", "ben"], accept_agreed=False).total == 7
    with pytest.raises(CurationError):
        plan_article(library.annotations(aid), ["alice"])


def test_decisions_are_saved_with_provenance_and_undone_one_by_one(tmp_path: Path) -> None:
    library, aid = curation_library(tmp_path / "lib")
    session = CurationSession(library, ["alice", "ben"])
    plan = session.prepare(aid)
    assert curated(library, aid) == [(AGREED, ["Doubt"])]
    assert [t.tag for t in library.annotations(aid).tags if t.annotator == "curation"] == ["Politics"]
    only_alice, label, boundary, only_ben, opinion = plan.open_items
    plan = session.decide(aid, only_alice, "alice")
    plan = session.decide(aid, label, "ben")
    plan = session.decide(aid, boundary, ACCEPT_ALL)
    plan = session.decide(aid, only_ben, REJECT)
    assert plan.done == 4 and [i.kind for i in plan.open_items] == [KIND_ARTICLE_LABEL]
    assert curated(library, aid) == sorted(
        [
            (AGREED, ["Doubt"]),
            (ONLY_ALICE, ["Loaded_Language"]),
            (LABEL, ["Flag_Waving"]),
            (BOUNDARY_A, ["Exaggeration"]),
            (BOUNDARY_B, ["Exaggeration"]),
        ]
    )
    (h,) = [h for h in library.annotations(aid).highlights if h.annotator == "curation" and h.quote == LABEL]
    assert h.provenance is not None
    assert h.provenance["proposed_by"] == ["ben"] and h.provenance["decision"] == "ben"
    assert h.provenance["decided_by"] == "curation" and h.provenance["decided"]
    # an edit replaces the earlier decision on the same item
    start, end = source_span(library, aid, "the plan was fair")
    plan = session.decide(aid, label, EDIT, edit=(start, end, "Doubt"))
    assert (LABEL, ["Flag_Waving"]) not in curated(library, aid)
    assert ("the plan was fair", ["Doubt"]) in curated(library, aid)
    assert plan.done == 4
    # undo goes decision by decision
    assert library.undo() is not None
    assert (LABEL, ["Flag_Waving"]) in curated(library, aid)
    assert library.undo() is not None  # the reject
    assert library.undo() is not None  # accept all on the boundary item
    assert (BOUNDARY_B, ["Exaggeration"]) not in curated(library, aid)
    assert session.plan(aid).done == 2
    # the article label
    plan = session.decide(aid, session.plan(aid).open_items[-1], "alice")
    assert sorted(t.tag for t in library.annotations(aid).tags if t.annotator == "curation") == [
        "Opinion",
        "Politics",
    ]


def test_a_changed_proposal_reopens_its_item(tmp_path: Path) -> None:
    library, aid = curation_library(tmp_path / "lib")
    session = CurationSession(library, ["alice", "ben"])
    item = session.prepare(aid).open_items[0]
    assert session.decide(aid, item, "alice").done == 1
    ann = library.annotations(aid)
    (h,) = [h for h in ann.highlights if h.annotator == "alice" and h.quote == ONLY_ALICE]
    h.tags = ["Doubt"]
    library.replace_annotations(aid, ann, label="alice changes her mind")
    assert session.plan(aid).done == 0


def test_majority_with_three_annotators(tmp_path: Path) -> None:
    library, aid = curation_library(tmp_path / "lib", third=True)
    plain = plan_article(library.annotations(aid), ["alice", "ben", "cara"])
    assert [p.quote for i in plain.pre_accepted for p in i.proposals if p.quote] == [AGREED]
    plan = plan_article(library.annotations(aid), ["alice", "ben", "cara"], majority=True)
    pre = {(p.quote or p.label): i.pre for i in plan.pre_accepted for p in i.proposals}
    assert pre == {AGREED: "agreed", ONLY_ALICE: "majority", "Politics": "agreed"}


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_auto_with_two_annotators(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, aid = curation_library(store_dir)
    library.close()
    code, out, err = _cli(capsys, "curate", "--from", "alice", "--from", "ben", "--auto", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["pre_accepted"] == 2 and report["total"] == 5 and report["decided"] == 0
    assert [i["kind"] for i in report["open"][0]["open"]] == [
        KIND_ONLY_ONE,
        KIND_LABEL,
        KIND_BOUNDARY,
        KIND_ONLY_ONE,
        KIND_ARTICLE_LABEL,
    ]
    # the curated layer exports like any annotator, with only the agreed span
    code, out, err = _cli(capsys, "export", "--format", "json")
    assert code == 0, err
    (article,) = json.loads(out)["articles"]
    mine = [h for h in article["highlights"] if h["annotator"] == "curation"]
    assert [(h["quote"], h["tags"]) for h in mine] == [(AGREED, ["Doubt"])]
    # running it again adds nothing; the text report names what is left
    code, out, err = _cli(capsys, "curate", "--from", "alice", "--from", "ben", "--auto")
    assert code == 0, err
    assert "5 of 5 disagreement(s) left" in out and "Opinion" in out and ONLY_BEN[:30] in out


def test_cli_auto_with_three_annotators_and_majority(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library, aid = curation_library(store_dir, third=True)
    library.close()
    argv = ["curate", "--from", "alice", "--from", "ben", "--from", "cara", "--auto", "--majority", "--json"]
    code, out, err = _cli(capsys, *argv, "--as", "gold")
    assert code == 0, err
    report = json.loads(out)
    assert report["curator"] == "gold" and report["pre_accepted"] == 3
    from library import Library

    library = Library.open(store_dir, read_only=True)
    try:
        assert curated(library, aid, "gold") == sorted(
            [(AGREED, ["Doubt"]), (ONLY_ALICE, ["Loaded_Language"])]
        )
        (h,) = [
            h for h in library.annotations(aid).highlights if h.annotator == "gold" and h.quote == ONLY_ALICE
        ]
        assert h.provenance is not None and h.provenance["decision"] == "majority"
        assert h.provenance["proposed_by"] == ["alice", "cara"]
    finally:
        library.close()


def test_cli_refuses_one_annotator_in_one_line(store_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    library, _ = curation_library(store_dir)
    library.close()
    code, out, err = _cli(capsys, "curate", "--from", "alice", "--auto")
    assert code == 2 and out == ""
    assert err.startswith("reader: curate:") and len(err.strip().splitlines()) == 1
