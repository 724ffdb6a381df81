"""The annotation editing rules on their own: state in, change in, new state or a refusal out."""

from __future__ import annotations

import pytest

from library.annotations import editing as ed
from library.annotations.model import ArticleAnnotations, ArticleTag, Highlight

ME = {"", "tester"}
TEXT = "The plan is bad. Critics say the plan is worse than THE PLAN before."


def anchor(start: int, end: int) -> ed.Anchor:
    return ed.Anchor(start, end, TEXT[start:end], TEXT[max(0, start - 5) : start], TEXT[end : end + 5])


def state(*highlights: Highlight) -> ArticleAnnotations:
    return ArticleAnnotations("a1", highlights=list(highlights))


def hl(
    hid: str, start: int, end: int, tags: list[str], annotator: str = "tester", note: str = ""
) -> Highlight:
    return Highlight(hid, start, end, TEXT[start:end], tags=list(tags), annotator=annotator, note=note)


def test_tag_span_makes_a_new_highlight_without_changing_the_input() -> None:
    before = state()
    edit = ed.tag_span(before, anchor(0, 8), ["Doubt", " Doubt ", ""], me=ME, annotator="tester")
    assert edit.outcome == ed.ADDED and edit.label == "add highlight"
    (h,) = edit.annotations.highlights
    assert (h.source_start, h.source_end, h.quote, h.tags, h.annotator) == (
        0,
        8,
        "The plan",
        ["Doubt"],
        "tester",
    )
    assert edit.highlight == h and h.prefix == "" and h.suffix == " is b"
    assert before.highlights == []


def test_tag_span_adds_to_your_same_span_highlight_once() -> None:
    before = state(hl("h1", 0, 8, ["Doubt"]))
    edit = ed.tag_span(before, anchor(0, 8), ["Loaded_Language"], me=ME, annotator="tester")
    assert edit.outcome == ed.TAGGED and edit.highlight_id == "h1"
    assert [h.tags for h in edit.annotations.highlights] == [["Doubt", "Loaded_Language"]]
    assert before.highlights[0].tags == ["Doubt"]
    again = ed.tag_span(edit.annotations, anchor(0, 8), ["Doubt"], me=ME, annotator="tester")
    assert again.outcome == ed.UNCHANGED and not again.changed
    assert again.annotations is edit.annotations


def test_tag_span_beside_another_annotators_highlight_makes_yours() -> None:
    before = state(hl("b1", 0, 8, ["Doubt"], annotator="ben"))
    edit = ed.tag_span(before, anchor(0, 8), ["Doubt"], me=ME, annotator="tester")
    assert edit.outcome == ed.ADDED
    assert sorted(h.annotator for h in edit.annotations.highlights) == ["ben", "tester"]
    assert edit.annotations.highlights[0].to_json() == before.highlights[0].to_json()


def test_toggle_tag_adds_then_removes() -> None:
    before = state(hl("h1", 0, 8, ["Doubt"]))
    added = ed.toggle_tag(before, "h1", "Flag_Waving", me=ME)
    assert added.outcome == ed.TAGGED and added.annotations.highlights[0].tags == ["Doubt", "Flag_Waving"]
    removed = ed.toggle_tag(added.annotations, "h1", "Doubt", me=ME)
    assert removed.outcome == ed.UNTAGGED and removed.annotations.highlights[0].tags == ["Flag_Waving"]
    with pytest.raises(ed.EditRefused):
        ed.toggle_tag(before, "h1", "  ", me=ME)
    with pytest.raises(ed.HighlightNotFound) as err:
        ed.toggle_tag(before, "nope", "Doubt", me=ME)
    assert isinstance(err.value, KeyError) and "nope" in str(err.value)


@pytest.mark.parametrize(
    "rule",
    [
        lambda a: ed.toggle_tag(a, "b1", "Doubt", me=ME),
        lambda a: ed.set_highlight_note(a, "b1", "mine now", me=ME),
        lambda a: ed.delete_highlight(a, "b1", me=ME),
    ],
    ids=["toggle", "note", "delete"],
)
def test_others_highlights_are_read_only(rule) -> None:  # type: ignore[no-untyped-def]
    before = state(hl("b1", 0, 8, ["Loaded_Language"], annotator="ben"))
    with pytest.raises(ed.NotYourHighlight) as err:
        rule(before)
    assert "belongs to ben" in str(err.value) and isinstance(err.value, ValueError)
    assert err.value.highlight.id == "b1"
    assert ed.is_mine(before.highlights[0], {"ben"}) and not ed.is_mine(before.highlights[0], ME)


def test_notes_on_a_highlight_a_span_and_the_article() -> None:
    before = state(hl("h1", 0, 8, ["Doubt"]))
    noted = ed.set_highlight_note(before, "h1", "why", me=ME)
    assert noted.outcome == ed.NOTED and noted.annotations.highlights[0].note == "why"
    assert ed.set_highlight_note(noted.annotations, "h1", "why", me=ME).outcome == ed.UNCHANGED
    on_same = ed.note_span(before, anchor(0, 8), "same span", me=ME, annotator="tester")
    assert on_same.outcome == ed.NOTED and len(on_same.annotations.highlights) == 1
    on_new = ed.note_span(before, anchor(17, 24), "new", me=ME, annotator="tester")
    assert on_new.outcome == ed.ADDED
    new = on_new.highlight
    assert new is not None and (new.quote, new.tags, new.note) == ("Critics", [], "new")
    article = ed.set_article_note(before, "whole")
    assert article.outcome == ed.NOTED and article.annotations.note == "whole" and before.note == ""
    assert ed.set_article_note(article.annotations, "whole").outcome == ed.UNCHANGED


def test_delete_removes_only_that_highlight_and_names_it() -> None:
    before = state(hl("h1", 0, 8, ["Doubt"]), hl("h2", 17, 24, []))
    edit = ed.delete_highlight(before, "h1", me=ME)
    assert edit.outcome == ed.DELETED and [h.id for h in edit.annotations.highlights] == ["h2"]
    assert edit.removed is not None and edit.removed.quote == "The plan"
    assert len(before.highlights) == 2


def test_article_tags_add_toggle_and_keep_their_annotator() -> None:
    before = ArticleAnnotations("a1", tags=[ArticleTag("Satire", "ben", "2020-01-01")])
    added = ed.add_article_tag(before, "Doubt", annotator="tester")
    assert added.outcome == ed.ARTICLE_TAGGED
    assert [(t.tag, t.annotator) for t in added.annotations.tags] == [("Satire", "ben"), ("Doubt", "tester")]
    assert added.annotations.tags[0].created == "2020-01-01"
    assert ed.add_article_tag(added.annotations, "Doubt", annotator="x").outcome == ed.UNCHANGED
    toggled = ed.toggle_article_tag(added.annotations, "Satire", annotator="tester")
    assert toggled.outcome == ed.ARTICLE_UNTAGGED and toggled.annotations.tag_names == ["Doubt"]
    with pytest.raises(ed.EditRefused):
        ed.add_article_tag(before, " ", annotator="tester")


def test_find_occurrences_ignores_case_and_keeps_offsets() -> None:
    spans = ed.find_occurrences(TEXT, "the plan")
    assert [TEXT[s:e] for s, e in spans] == ["The plan", "the plan", "THE PLAN"]
    assert ed.find_occurrences(TEXT, "the plan", ignore_case=False) == [spans[1]]
    assert ed.find_occurrences("Straße STRASSE", "straße") == [(0, 6)]  # lengths kept
    assert ed.find_occurrences("aaaa", "aa") == [(0, 2), (2, 4)]
    assert ed.find_occurrences(TEXT, "") == []


def test_tag_all_plans_the_others_not_already_tagged_and_applies_one() -> None:
    spans = ed.find_occurrences(TEXT, "the plan")
    occurrences = [anchor(*s) for s in spans]
    before = state(hl("h1", *spans[0], ["Repetition"]), hl("h2", *spans[2], ["Doubt"]))
    plan = ed.occurrences_to_offer(before, occurrences, ["Repetition"], me=ME, exclude=spans[0])
    assert [o.span for o in plan] == [spans[1], spans[2]]  # the third lacks the tag
    theirs = state(hl("b1", *spans[1], ["Repetition"], annotator="ben"))
    assert [o.span for o in ed.occurrences_to_offer(theirs, occurrences, ["Repetition"], me=ME)] == list(
        spans
    )
    first = ed.tag_occurrence(before, plan[0], ["Repetition"], me=ME, annotator="tester")
    assert first.outcome == ed.ADDED
    second = ed.tag_occurrence(first.annotations, plan[1], ["Repetition"], me=ME, annotator="tester")
    assert second.outcome == ed.TAGGED and second.highlight_id == "h2"
    assert sorted((h.source_start, tuple(h.tags)) for h in second.annotations.highlights) == [
        (spans[0][0], ("Repetition",)),
        (spans[1][0], ("Repetition",)),
        (spans[2][0], ("Doubt", "Repetition")),
    ]
    assert ed.occurrences_to_offer(second.annotations, occurrences, ["Repetition"], me=ME) == []


def test_tag_span_with_a_note_sets_it_on_the_same_span_highlight() -> None:
    before = state(hl("h1", 0, 8, ["Doubt"], note="old"))
    edit = ed.tag_span(before, anchor(0, 8), ["Doubt"], me=ME, annotator="tester", note="new")
    assert edit.outcome == ed.NOTED and edit.annotations.highlights[0].note == "new"
    both = ed.tag_span(before, anchor(0, 8), ["X"], me=ME, annotator="tester", note="")
    assert both.outcome == ed.TAGGED
    assert (both.annotations.highlights[0].tags, both.annotations.highlights[0].note) == (["Doubt", "X"], "")
    kept = ed.tag_span(before, anchor(0, 8), ["X"], me=ME, annotator="tester")
    assert kept.annotations.highlights[0].note == "old"
