"""Line spans, hard-wrap unwrapping and mid-sentence joins."""

from __future__ import annotations

from library.cleaning.paragraphs import continues_sentence, line_spans, unwrap, wrap_width


def test_line_spans_strip_cr_and_spaces():
    text = "a b\r\n\r\n  c  \n"
    spans = line_spans(text)
    assert [text[s:e] for s, e in spans] == ["a b", "", "c", ""]


def test_continues_sentence_guards():
    assert continues_sentence(
        "Experts believe that the reports still have to be", "confirmed by some evidence."
    )
    assert not continues_sentence("This is a whole sentence.", "and yet lowercase")
    assert not continues_sentence("Notes", "see below")
    assert not continues_sentence("- a list item without end", "continues")
    assert not continues_sentence("A line that ends without punctuation but next", "> a quote")


def test_unwrap_infers_paragraph_ends_from_wrap_width():
    lines = [
        "The opening paragraph of the article sets out the argument that the archive",
        "has been wrapped at seventy-six columns without any blank lines between the",
        "paragraphs of the text.",
        "A second paragraph starts here and continues across the wrap boundary for a",
        "while before it ends on a line that is long enough to reach the width ok.",
        "Third one which is joined because the word would not fit on the line above.",
    ] * 3
    text = "\n".join(lines)
    spans = line_spans(text)
    width = wrap_width(e - s for s, e in spans)
    assert width == max(len(x) for x in lines)
    groups = unwrap(text, spans, width)
    # Line 3 is short enough for the next word: paragraph end. Lines 5 and 6 end sentences but the
    # next word would not have fitted, so the paragraph goes on.
    assert len(groups[0]) == 3
    assert len(groups[1]) > 3


def test_unwrapped_text_is_one_paragraph_per_line():
    text = "First paragraph is long. " * 5 + "\nSecond paragraph.\nthird continues? no it is a split"
    spans = line_spans(text)
    assert wrap_width(e - s for s, e in spans) is None
    assert len(unwrap(text, spans, None)) == 3


def test_lenient_joins_for_one_paragraph_per_line_pages():
    from library.cleaning.paragraphs import continues_sentence

    long_prev = "Polling stations stayed open two hours longer than planned, according to the electoral"
    assert not continues_sentence(long_prev, "Commission, which blamed a shortage.")
    assert continues_sentence(long_prev, "Commission, which blamed a shortage.", lenient=True)
    assert continues_sentence(
        "The delays were caused by late deliveries rather than by", "— as some claimed — x.", lenient=True
    )
    assert continues_sentence(
        "The commission had counted ballots from roughly", "40 percent of them.", lenient=True
    )
    assert continues_sentence("The extra UI", "payments are only short-lived.", lenient=True)
    # Headings and finished sentences stay apart; so does a line ending in a link.
    assert not continues_sentence(
        "Counting in the mountains", "The mountain districts reported last.", lenient=True
    )
    assert not continues_sentence("It was over.", "Then the rain came.", lenient=True)
    assert not continues_sentence(
        "The full report is at http://example.org/report", "Officials declined to comment.", lenient=True
    )
