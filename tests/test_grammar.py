"""The selection grammar of the article body: counts, finds, sentences, text objects, labels."""

from __future__ import annotations

import pytest

from reader.app.grammar import Cursor, Grammar, Outcome, object_span

TEXT = (
    "The mayor said “the plan (a big one) was fair” today. Critics disagreed, loudly. "
    "Nobody knows.\n\nA second paragraph here. It has two sentences."
)


def run(keys: list[str], cur: Cursor | None = None, text: str = TEXT) -> tuple[Cursor, list[Outcome]]:
    g = Grammar(text)
    cur = cur or Cursor(0)
    outs = []
    for k in keys:
        out = g.feed(k, cur)
        cur = out.cursor
        outs.append(out)
    return cur, outs


def selected(cur: Cursor, text: str = TEXT) -> str:
    assert cur.span is not None
    return text[cur.span[0] : cur.span[1]]


def test_counts_move_by_words_and_sentences() -> None:
    cur, _ = run(list("3w"))
    assert TEXT[cur.pos] == "“"  # punctuation is a word of its own, as in vi
    cur, _ = run(list("2w"))
    assert TEXT[cur.pos :].startswith("said")
    cur, _ = run([")"])
    assert TEXT[cur.pos :].startswith("Critics")
    cur, _ = run(list("2)"))
    assert TEXT[cur.pos :].startswith("Nobody")
    cur, _ = run(list("3)"))  # into the next paragraph
    assert TEXT[cur.pos :].startswith("A second")
    cur, _ = run(list("3)("))
    assert TEXT[cur.pos :].startswith("Nobody")


def test_digits_are_counts_before_the_first_motion_and_labels_after() -> None:
    cur, outs = run(list("v3e"))
    assert selected(cur) == "The mayor said" and all(o.command is None for o in outs)
    cur, outs = run(list("ve3"), None)
    assert selected(cur) == "The" and outs[-1].command == "label" and outs[-1].arg == 3
    # a label keeps the selection (the screen then draws the new highlight under it)
    assert cur.selecting


def test_find_and_till_with_repeat_and_reverse() -> None:
    cur, _ = run(list("vfp"))
    assert selected(cur) == "The mayor said “the p"
    cur, _ = run(list("vtp"))
    assert selected(cur) == "The mayor said “the "
    cur, _ = run(list("fa;"))  # the second "a" (in "said"): "mayor" has the first
    assert TEXT[cur.pos] == "a" and TEXT[: cur.pos].count("a") == 1
    cur, _ = run(list("fa;;,"))
    assert TEXT[cur.pos] == "a" and TEXT[: cur.pos].count("a") == 1
    cur, _ = run(["$", "F", "e"], Cursor(0))
    assert TEXT[cur.pos] == "e" and TEXT[cur.pos + 1 :].startswith("d, loudly")  # disagre(e)d


def test_o_swaps_the_moving_end() -> None:
    start = TEXT.index("Critics")
    cur, _ = run(list("ve"), Cursor(start))
    assert selected(cur) == "Critics"
    cur, _ = run(["o", "b", "b"], cur)  # "." is a word of its own
    assert selected(cur) == "today. Critics"


@pytest.mark.parametrize(
    ("keys", "at", "expected"),
    [
        ("iw", "mayor", "mayor"),
        ("aw", "mayor", "mayor "),
        ("2iw", "mayor", "mayor said"),
        ("is", "Critics", "Critics disagreed, loudly."),
        ("as", "Critics", "Critics disagreed, loudly. "),
        ("ip", "second", "A second paragraph here. It has two sentences."),
        ("i“", "plan", "the plan (a big one) was fair"),
        ('i"', "plan", "the plan (a big one) was fair"),  # a straight quote key finds typographic quotes too
        ("a”", "plan", "“the plan (a big one) was fair”"),
        ("i(", "big", "a big one"),
        ("a)", "big", "(a big one)"),
        ("ib", "big", "a big one"),
    ],
)
def test_text_objects(keys: str, at: str, expected: str) -> None:
    cur, _ = run(list(keys), Cursor(TEXT.index(at) + 1))
    assert selected(cur) == expected
    assert cur.moved  # digits label a text object at once: `is3`
    _, outs = run(["3"], cur)
    assert outs[-1].command == "label"


def test_straight_quotes_and_nested_brackets() -> None:
    text = 'He said "no (not (ever)) again" twice.'
    assert text[slice(*object_span(text, text.index("ever"), False, "("))] == "ever"
    assert text[slice(*object_span(text, text.index("not"), True, "("))] == "(not (ever))"
    assert text[slice(*object_span(text, text.index("again"), False, '"'))] == "no (not (ever)) again"
    assert object_span(text, 0, False, "[") is None


def test_escape_clears_a_pending_count_then_the_selection_then_falls_through() -> None:
    g = Grammar(TEXT)
    cur = Cursor(0, anchor=0)
    assert g.feed("3", cur).pending == "3"
    out = g.feed("escape", cur)
    assert out.handled and out.cursor.selecting and g.pending == ""
    out = g.feed("escape", cur)
    assert out.handled and not out.cursor.selecting
    assert g.feed("escape", out.cursor).handled is False  # the screen goes back


def test_enter_asks_for_the_label_by_name_and_then_digits_label() -> None:
    # Enter opens the tag picker (it was the `t` key, now a find); the selection counts as moved
    cur, outs = run(["v", "enter", "2"])
    assert outs[1].command == "pick"
    assert outs[-1].command == "label" and selected(cur) == "T"


def test_leader_then_a_letter_is_a_label_beyond_the_ninth() -> None:
    cur, outs = run(["i", "w", "`", "a"])
    assert outs[2].pending == "`" and outs[-1].command == "label" and outs[-1].arg == 10
    cur, outs = run(["i", "w", "`", "e"])
    assert outs[-1].arg == 14 and selected(cur) == "The"


def test_s_and_p_select_the_sentence_and_the_paragraph() -> None:
    cur, _ = run(["s"])
    assert selected(cur).startswith("The mayor") and selected(cur).endswith("today.")
    cur, outs = run(["G", "p", "3"])
    assert selected(cur) == "A second paragraph here. It has two sentences."
    assert outs[-1].command == "label"


def test_b_and_t_capitals_are_left_to_the_screen() -> None:
    _, outs = run(["B"])
    assert outs[-1].handled is False
    _, outs = run(["T"])
    assert outs[-1].handled is False


def test_search_and_repeat_are_commands_for_the_screen() -> None:
    _, outs = run(["v", "e", "/"])
    assert outs[-1].command == "search"
    _, outs = run(["."])
    assert outs[-1].command == "repeat"
    _, outs = run(["3", "j"])
    assert outs[-1].command == "lines" and outs[-1].arg == 3
    _, outs = run(["x"])
    assert outs[-1].handled is False


def test_after_labelling_digits_add_labels_and_a_motion_starts_afresh() -> None:
    cur, _ = run(list("ve"))
    cur = Grammar.labelled(cur)
    _, outs = run(["4"], cur)
    assert outs[-1].command == "label" and outs[-1].arg == 4
    moved, _ = run(["w"], cur)
    assert not moved.selecting and TEXT[moved.pos :].startswith("mayor")
    fresh, _ = run(["w", "v", "e"], cur)
    assert selected(fresh) == "mayor"


def test_r_jumps_to_two_characters_with_counts_and_repeats() -> None:
    cur, outs = run(list("rpl"))
    assert TEXT[cur.pos :].startswith("plan") and outs[1].pending == "rp"  # the status shows r p…
    cur, _ = run(list("2rai"))
    assert TEXT[cur.pos - 1 : cur.pos + 3] == "fair"
    cur, _ = run(list("rai;,"))
    assert TEXT[cur.pos - 1 : cur.pos + 3] == "said"
    cur, _ = run(list("vrpl"))
    assert selected(cur) == "The mayor said “the p" and cur.moved  # a digit now labels
    cur, _ = run(["r", "p", "escape", "w"])  # Esc drops the half-typed jump; w then moves as usual
    assert TEXT[cur.pos :].startswith("mayor")
    cur, _ = run(list("rzq"))  # no such pair: the cursor stays
    assert cur.pos == 0


def test_a_count_before_g_capital_goes_to_that_paragraph() -> None:
    cur, _ = run(list("2G"), Cursor(5))
    assert TEXT[cur.pos :].startswith("A second paragraph")
    cur, _ = run(list("1G"), Cursor(40))
    assert cur.pos == 0
    cur, _ = run(["G"])
    assert cur.pos == len(TEXT) - 1  # no count: the end, as before
    cur, _ = run(list("v2G"))
    assert selected(cur).endswith("\n\nA")
