"""`Library`'s annotation changes: the rules applied, saved once, journalled for undo, the saved state returned."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article_support import parsed_article, store_with

from library import Library
from library.annotations import editing as ed
from library.store.annotation_store import AnnotationStore
from library.store.errors import StoreReadOnly

CRITICS = "Critics called the plan a disaster."


@pytest.fixture
def lib_aid(tmp_path: Path):  # type: ignore[no-untyped-def]
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    yield library, aid
    library.close()


def _critics(library: Library, aid: str) -> tuple[int, int]:
    body = library.article(aid).body
    start = body.index(CRITICS)
    source = library.article(aid).body_to_source(start, start + len(CRITICS))
    assert source is not None
    return source


def test_tag_span_returns_what_the_store_holds_and_undo_steps_back(lib_aid) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    span = _critics(library, aid)
    first = library.tag_span(aid, *span, ["Doubt"])
    assert first.outcome == ed.ADDED and first.highlight is not None
    assert first.highlight.quote == CRITICS and first.highlight.annotator == "tester"
    assert first.annotations.to_json() == library.annotations(aid).to_json()
    second = library.tag_span(aid, *span, ["Loaded_Language"])
    assert second.outcome == ed.TAGGED and second.highlight_id == first.highlight_id
    assert [h.tags for h in library.annotations(aid).highlights] == [["Doubt", "Loaded_Language"]]
    assert library.tag_span(aid, *span, ["Doubt"]).outcome == ed.UNCHANGED

    assert library.undo() == "edit highlight"
    assert [h.tags for h in library.annotations(aid).highlights] == [["Doubt"]]
    assert library.undo() == "add highlight"
    assert library.annotations(aid).highlights == []
    assert library.redo() == "add highlight"
    assert [h.tags for h in library.annotations(aid).highlights] == [["Doubt"]]


def test_toggle_note_delete_and_ownership(lib_aid) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    span = _critics(library, aid)
    library.annotator = "ben"
    theirs = library.tag_span(aid, *span, ["Doubt"]).highlight_id
    library.annotator = "tester"
    mine = library.tag_span(aid, *span, ["Doubt"])
    assert mine.outcome == ed.ADDED and mine.highlight_id != theirs  # beside ben's, not on it
    assert theirs is not None and mine.highlight_id is not None

    saved = library.toggle_tag(aid, mine.highlight_id, "Doubt")
    assert saved.outcome == ed.UNTAGGED and saved.highlight is not None and saved.highlight.tags == []
    assert library.note_highlight(aid, mine.highlight_id, "why").highlight.note == "why"  # type: ignore[union-attr]
    before = library.annotations(aid).to_json()
    for change in (
        lambda: library.toggle_tag(aid, theirs, "X"),
        lambda: library.note_highlight(aid, theirs, "x"),
        lambda: library.remove_highlight(aid, theirs),
    ):
        with pytest.raises(ed.NotYourHighlight, match="belongs to ben"):
            change()
    assert library.annotations(aid).to_json() == before
    # names the app counts as yours are yours too
    assert library.toggle_tag(aid, theirs, "X", me={"ben"}).outcome == ed.TAGGED
    gone = library.remove_highlight(aid, mine.highlight_id)
    assert gone.removed is not None and gone.removed.note == "why"
    assert [h.id for h in gone.annotations.highlights] == [theirs]
    with pytest.raises(ed.HighlightNotFound):
        library.remove_highlight(aid, mine.highlight_id)


def test_notes_and_article_tags(lib_aid) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    anchor = library.body_anchor(aid, 0, 12)
    assert anchor.quote == library.article(aid).body[:12]
    noted = library.note_anchor(aid, anchor, "first")
    assert noted.outcome == ed.ADDED and noted.highlight is not None and noted.highlight.tags == []
    assert library.note_anchor(aid, anchor, "again").outcome == ed.NOTED
    assert len(library.annotations(aid).highlights) == 1
    assert library.note_article(aid, "whole").annotations.note == "whole"
    assert library.tag_article(aid, "economy").annotations.tag_names == ["economy"]
    assert library.tag_article(aid, "economy").outcome == ed.UNCHANGED
    assert library.toggle_article_tag(aid, "economy").annotations.tag_names == []
    assert library.undo() == "set tags" and library.annotations(aid).tag_names == ["economy"]


def test_anchors_from_quotes_and_bodies_refuse_clearly(lib_aid) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    assert library.quote_anchor(aid, CRITICS).span == _critics(library, aid)
    count = library.article(aid).body.count("the plan")  # case counts here, unlike tag-all
    with pytest.raises(ed.AmbiguousQuote, match=f"occurs {count} times") as err:
        library.quote_anchor(aid, "the plan")
    assert err.value.count == count
    second = library.quote_anchor(aid, "the plan", 2)
    assert (
        second.quote == "the plan"
        and second.source_start > library.quote_anchor(aid, "the plan", 1).source_start
    )
    with pytest.raises(ed.EditRefused, match="not found"):
        library.quote_anchor(aid, "no such words")
    with pytest.raises(ed.EditRefused, match="time"):
        library.quote_anchor(aid, "the plan", 9)
    with pytest.raises(ed.EditRefused, match="outside the body"):
        library.body_anchor(aid, 5, 10**6)
    with pytest.raises(ValueError, match="outside the article"):
        library.tag_span(aid, 5, 10**6, ["X"])


def test_tag_all_plans_then_tags_each_accepted_occurrence(lib_aid) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    first = library.quote_anchor(aid, "the plan", 1)
    library.tag_anchor(aid, first, ["Repetition"])
    plan = library.plan_tag_all(aid, *first.span, ["Repetition"])
    body = library.article(aid).body
    assert len(plan) == body.lower().count("the plan") - 1
    assert all(o.quote.lower() == "the plan" for o in plan) and first.span not in [o.span for o in plan]
    library.tag_anchor(aid, plan[0], ["Repetition"])
    again = library.plan_tag_all(aid, *first.span, ["Repetition"])
    assert [o.span for o in again] == [o.span for o in plan[1:]]
    assert len(library.annotations(aid).highlights) == 2


def test_a_failed_write_raises_and_leaves_the_store_as_it_was(lib_aid, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    span = _critics(library, aid)
    library.tag_span(aid, *span, ["Doubt"])
    before = library.annotations(aid).to_json()

    def fail(self: AnnotationStore, annotations: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(AnnotationStore, "put", fail)
    with pytest.raises(OSError):
        library.tag_span(aid, *span, ["Loaded_Language"])
    assert library.annotations(aid).to_json() == before
    monkeypatch.undo()
    library.close()
    reopened = Library.open(library.path)
    try:
        assert [h.tags for h in reopened.annotations(aid).highlights] == [["Doubt"]]
    finally:
        reopened.close()


def test_read_only_refuses_every_change(lib_aid) -> None:  # type: ignore[no-untyped-def]
    library, aid = lib_aid
    span = _critics(library, aid)
    library.close()
    ro = Library.open(library.path, read_only=True)
    try:
        with pytest.raises(StoreReadOnly):
            ro.tag_span(aid, *span, ["Doubt"])
        with pytest.raises(StoreReadOnly):
            ro.note_article(aid, "x")
    finally:
        ro.close()
