"""Pure selection helpers: word, sentence and paragraph boundaries, offset <-> location."""

from __future__ import annotations

from reader.app import selection as sel

BODY = (
    "Dr. Smith met Mr. Jones in the U.S. capital. They talked for hours! Did it help?\n"
    "\n"
    "Second paragraph here. It has “quoted words.” And more.\n"
    "\n"
    "Third."
)


def test_line_index_round_trip() -> None:
    index = sel.LineIndex(BODY)
    for offset in range(len(BODY) + 1):
        assert index.to_offset(index.to_location(offset)) == offset
    row, col = index.to_location(BODY.index("Second"))
    assert (row, col) == (2, 0)
    assert index.line_span(2) == (BODY.index("Second"), BODY.index("And more.") + len("And more."))


def test_sentences_skip_abbreviations_and_keep_closing_quotes() -> None:
    start, end = sel.paragraph_span(BODY, 0)
    sentences = [BODY[s:e] for s, e in sel.sentence_spans(BODY, start, end)]
    assert sentences == [
        "Dr. Smith met Mr. Jones in the U.S. capital.",
        "They talked for hours!",
        "Did it help?",
    ]
    second = BODY.index("Second")
    s, e = sel.sentence_span(BODY, BODY.index("quoted"))
    assert BODY[s:e] == "It has “quoted words.”"
    assert BODY[slice(*sel.sentence_span(BODY, second))] == "Second paragraph here."


def test_sentence_motions_cross_paragraphs() -> None:
    pos = 0
    ends = []
    for _ in range(5):
        pos = sel.next_sentence_end(BODY, pos)
        ends.append(BODY[:pos].rsplit(" ", 1)[-1])
    assert ends == ["capital.", "hours!", "help?", "here.", "words.”"]
    back = sel.prev_sentence_start(BODY, BODY.index("It has"))
    assert BODY[back:].startswith("Second paragraph")
    back = sel.prev_sentence_start(BODY, back)
    assert BODY[back:].startswith("Did it help?")


def test_paragraph_spans_and_motions() -> None:
    second = BODY.index("Second")
    assert BODY[slice(*sel.paragraph_span(BODY, second + 3))].startswith("Second paragraph")
    # On the blank line between paragraphs the next paragraph is meant.
    blank = BODY.index("\n\n") + 1
    assert sel.paragraph_span(BODY, blank)[0] == second
    end_first = sel.next_paragraph_end(BODY, 3)
    assert BODY[:end_first].endswith("Did it help?")
    assert BODY[: sel.next_paragraph_end(BODY, end_first)].endswith("And more.")
    assert sel.prev_paragraph_start(BODY, second + 5) == second
    assert sel.prev_paragraph_start(BODY, second) == 0


def test_word_motions() -> None:
    text = "Hello, wide world's end."
    assert sel.next_word_start(text, 0) == text.index(",")
    assert sel.next_word_start(text, text.index(",")) == text.index("wide")
    assert sel.word_end(text, text.index("wide")) == text.index("wide") + 4
    assert sel.word_end(text, text.index("wide") + 4) == text.index("world's") + len("world's")
    assert sel.prev_word_start(text, text.index("end")) == text.index("world's")
    assert sel.prev_word_start(text, text.index("end") + 1) == text.index("end")
    assert sel.word_span(text, text.index("orld")) == (text.index("world's"), text.index("world's") + 7)
    long = "word " * 200 + "last"
    assert sel.prev_word_start(long, len(long)) == len(long) - 4
    assert sel.prev_word_start(long, len(long) - 4) == len(long) - 9


def test_trim_and_occurrences() -> None:
    assert sel.trim_span("  ab c \n", 0, 8) == (2, 6)
    text = "The plan, the Plan and THE PLAN."
    assert sel.find_occurrences(text, "the plan") == [(0, 8), (10, 18), (23, 31)]
    assert sel.find_occurrences(text, "the Plan", ignore_case=False) == [(10, 18)]
    assert sel.find_occurrences("Straße strasse", "STRASSE") == [(7, 14)]  # casefold would change lengths
    assert sel.find_occurrences(text, "") == []
