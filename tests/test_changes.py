"""Undo steps described in words: which highlight (labels and quote), tag or note changed."""

from __future__ import annotations

from library.annotations.changes import describe


def hl(hid: str, quote: str, tags: list[str], note: str = "", start: int = 0) -> dict:
    return {
        "id": hid,
        "quote": quote,
        "tags": tags,
        "note": note,
        "source_start": start,
        "source_end": start + 5,
    }


def test_describe_names_labels_and_quotes() -> None:
    empty = {"highlights": [], "tags": [], "note": ""}
    one = {**empty, "highlights": [hl("a", "the plan was fair", ["Doubt"])]}
    assert describe(empty, one) == "adds highlight Doubt “the plan was fair”"
    assert describe(one, empty) == "removes highlight Doubt “the plan was fair”"
    relabelled = {**empty, "highlights": [hl("a", "the plan was fair", [])]}
    assert describe(one, relabelled) == "labels “the plan was fair” Doubt → untagged"
    noted = {**empty, "highlights": [hl("a", "the plan was fair", ["Doubt"], note="why?")]}
    assert describe(one, noted) == "changes the note on highlight Doubt “the plan was fair”"
    moved = {**empty, "highlights": [hl("a", "was fair", ["Doubt"], start=9)]}
    assert describe(one, moved) == "moves highlight Doubt “the plan was fair” to “was fair”"
    tagged = {**empty, "tags": [{"tag": "Budget"}], "note": "n", "flips": {"3": False}}
    assert describe(empty, tagged) == ("adds tag Budget; changes the article note; and 1 more")
    assert describe(tagged, empty).startswith("removes tag Budget")
    assert describe(empty, dict(empty)) == ""
    long = {**empty, "highlights": [hl("a", "x" * 100 + "\x1b[2J", ["Doubt"])]}
    text = describe(empty, long)
    assert "\x1b" not in text and text.endswith("…”")
