"""Cross-site detectors and fragment cutting: signals from a line's shape, each with its reason."""

from __future__ import annotations

from library.cleaning.boilerplate import classify, cut_fragments
from library.cleaning.boilerplate.detectors import (
    REASON_BARE_URL,
    REASON_BIO_SENTENCE,
    REASON_CONTACT_LINE,
    REASON_CREDIT_ONLY,
    REASON_SEPARATOR,
    detect,
)
from library.cleaning.boilerplate.fragments import REASON_CREDIT_FRAGMENT, REASON_MARKER_FRAGMENT
from library.model import Block
from library.textmap import Run

BODY = "A long sentence of the article that reports what happened in the town on Monday night."


def test_bio_contact_credit_url_and_separator_lines_are_named() -> None:
    tail = dict(position="tail", title_key="", notes_before=False)
    assert (
        detect("Jane Q. Writer is a senior fellow at the Institute for Policy.", **tail)
        == REASON_BIO_SENTENCE
    )
    assert detect("Follow him on Twitter: @jqwriter", **tail) == REASON_CONTACT_LINE
    assert detect("The reporter can be reached at the newsroom desk.", **tail) == REASON_CONTACT_LINE
    assert detect("John Smith/Getty Images", **tail) == REASON_CREDIT_ONLY
    assert detect("(Screen grab: YouTube)", **tail) == REASON_CREDIT_ONLY
    assert detect("https://example.org/story/123", **tail) == REASON_BARE_URL
    assert detect("* * *", **tail) == REASON_SEPARATOR


def test_the_same_shapes_in_the_story_stay() -> None:
    middle = dict(position="middle", title_key="", notes_before=False)
    # A bio-shaped sentence in the middle of the story is reporting about its subject.
    assert detect("Maria Lopez is a nurse at the county hospital in Fresno.", **middle) is None
    # A URL in a list of the article's own sources stays.
    assert detect("https://example.org/report.pdf", position="tail", title_key="", notes_before=True) is None
    # An embedded post's signature is quoted content, not a follow line.
    post = "It looks worse than bad. https://t.co/abc — Thom (@thom) May 23, 2020"
    assert detect(post, position="tail", title_key="", notes_before=False) is None
    # Someone who is a nurse, without a role word of a writer, is not an author bio.
    assert (
        detect(
            "Maria Lopez is a nurse at the county hospital.",
            position="tail",
            title_key="",
            notes_before=False,
        )
        is None
    )


def test_classify_uses_the_detectors_at_the_edges() -> None:
    texts = [
        BODY,
        BODY.replace("Monday", "Tuesday"),
        "Jane Writer is the author of three books on water law.",
    ]
    assert classify(texts, [None] * 3, [0] * 3)[2] == REASON_BIO_SENTENCE


def test_a_descriptive_caption_stays_and_only_its_credit_is_cut() -> None:
    caption = "Volunteers prepare bags of food at the foundation in Pacoima on Friday. (Photo by Hans Gutknecht, Daily News)"
    texts = [BODY, caption, BODY.replace("Monday", "Friday")]
    assert classify(texts, [None] * 3, [0] * 3) == [None, None, None]
    block = Block(text=caption, runs=[Run(0, 100, len(caption))])
    pieces = cut_fragments([block])
    assert [p.reason for p in pieces] == [None, REASON_CREDIT_FRAGMENT]
    assert pieces[0].text.endswith("on Friday.")
    assert pieces[1].text == "(Photo by Hans Gutknecht, Daily News)"
    # Each piece still maps to its place in the source.
    assert pieces[1].runs[0].source == 100 + caption.index("(Photo")


def test_a_story_continues_below_marker_is_cut_out_of_a_sentence() -> None:
    text = "The council met on Monday. Story continues below advertisement The vote was close."
    pieces = cut_fragments([Block(text=text, runs=[Run(0, 0, len(text))])])
    assert [p.reason for p in pieces] == [None, REASON_MARKER_FRAGMENT, None]
    assert pieces[0].text == "The council met on Monday." and pieces[2].text == "The vote was close."


def test_bylines_related_links_comment_share_and_section_lines() -> None:
    from library.cleaning.boilerplate.detectors import (
        REASON_ALSO_ON,
        REASON_BYLINE,
        REASON_COMMENT_PROMPT,
        REASON_SECTION_LABEL,
        REASON_SHARE,
    )

    at = dict(position="middle", title_key="", notes_before=False)
    for line in (
        "By Jane Doe | The Guardian",
        "Posted by admin on May 3, 2020",
        "With reporting by Ann Lee in Paris",
        "By John Smith and Mary Jones, Associated Press",
    ):
        assert detect(line, **at) == REASON_BYLINE, line
    assert detect("Also on Example News: Mayor resigns after scandal", **at) == REASON_ALSO_ON
    assert detect("Leave a comment", **at) == REASON_COMMENT_PROMPT
    assert detect("What do you think? Let us know in the comments below.", **at) == REASON_COMMENT_PROMPT
    assert detect("Click to share on Facebook (Opens in new window)", **at) == REASON_SHARE
    assert detect("Filed under: Politics, Budget", **at) == REASON_SECTION_LABEL
    # Sentences that start the same way stay.
    for line in (
        "By Tuesday, the council had voted.",
        "By Monday, Republicans in Congress",
        "By now, we have all heard of Jesus Campos.",
        "Also on the agenda was the new pier, which the council approved.",
    ):
        assert detect(line, **at) is None, line


def test_headlines_after_a_related_heading_go_with_it() -> None:
    later = "The vote is expected next month, and the plan may still change before the council meets again."
    texts = [
        BODY,
        "Related",
        "Council Votes To Rebuild The Old Pier",
        "Mayor Resigns After Budget Row",
        later,
    ]
    reasons = classify(texts, [None] * 5, [0] * 5)
    assert reasons[0] is None and reasons[4] is None
    assert reasons[1] is not None and reasons[2] is not None and reasons[3] is not None
