"""Boilerplate rules, heuristics, duplicates and site repetition."""

from __future__ import annotations

from library.boilerplate import (
    apply_site_repetition,
    classify,
    fingerprint,
    normalise_for_fingerprint,
    rule_reason,
    site_key,
)
from library.model import Block, Metadata, Origin, repeated_reason
from library.textmap import Run


def test_rules_catch_prose_boilerplate_but_not_reporting():
    assert rule_reason("Email *") == "form field"
    assert (
        rule_reason("Completing this poll grants you access to Freedom Outpost updates free of charge.")
        == "form field"
    )
    assert (
        rule_reason("Disclaimer: The contents of this article are of sole responsibility of the author(s).")
        == "disclaimer"
    )
    assert (
        rule_reason("Can you help us keep up the good work? Please consider a donation.") == "donation appeal"
    )
    assert (
        rule_reason("READ MORE: Riots, escapes and fear as coronavirus hits juvenile centers") == "navigation"
    )
    assert rule_reason("Featured image: a street in Aleppo (Source: SANA)") == "image caption"
    assert (
        rule_reason("The post The Game of Truth appeared first on The Daily Signal.")
        == "republication notice"
    )
    # Real sentences that merely mention the same words stay.
    assert rule_reason("Nine shareholders made $145mm in donations to the Clinton Foundation.") is None
    assert rule_reason("Does Berg and the AMA support our military?") is None
    assert (
        rule_reason("In an email to citizens in China, the state department said it was concerned.") is None
    )


def test_smoothing_keeps_short_sentences_next_to_body():
    texts = [
        "A real sentence of the article that is long enough to count as good text for sure.",
        "Yes.",
        "Email *",
    ]
    reasons = classify(texts, [None, None, None], [0, 0, 0])
    assert reasons == [None, None, "form field"]


def test_smoothing_drops_fragments_between_boilerplate():
    texts = ["take our poll - story continues below", "Who should win?", "* A B C", "Email *"]
    reasons = classify(texts, [None] * 4, [0] * 4)
    assert reasons[1] and reasons[2]


def test_link_dense_unit_is_low_content():
    reasons = classify(["Home Topics About"], [None], [len("Home Topics About")])
    assert reasons[0].startswith("low text content")


def test_duplicate_drops_only_the_earlier_copy():
    lede = "Why are there no serious peace talks to end the war in Syria? After robbing over 130,000 people of their lives."
    texts = [
        lede,
        "Why are there no serious peace talks to end the war in Syria?",
        "After robbing over 130,000 people of their lives.",
    ]
    reasons = classify(texts, [None] * 3, [0] * 3)
    assert reasons == ["repeated within the article", None, None]


def test_fingerprint_normalises_case_digits_punctuation_and_urls():
    assert (
        normalise_for_fingerprint("Copyright © 2017, Global Research (http://x.org)")
        == "copyright 0000 global research"
    )
    assert fingerprint("Read more: 5 things") == fingerprint("read MORE 7 things!")
    assert fingerprint("") == ""


def _block(text: str, reason: str | None = None) -> Block:
    return Block(text=text, runs=[Run(0, 0, len(text))], reason=reason, fingerprint=fingerprint(text))


def test_site_repetition_marks_short_repeated_body_blocks_only():
    sidebar = _block("Target's upcoming designer collaboration: new dress collection")
    article = _block("A sentence of real reporting. " * 50)
    kept = _block("Only here.")
    flagged = _block("Already footer", "copyright")
    counts = {sidebar.fingerprint: 4, article.fingerprint: 4, kept.fingerprint: 1, flagged.fingerprint: 9}
    out = apply_site_repetition([sidebar, article, kept, flagged], counts, site_articles=40)
    assert out[0].reason == repeated_reason(4)
    assert out[1].reason is None  # a long paragraph in a few articles (a shared quotation) stays
    assert out[2].reason is None
    assert out[3].reason == "copyright"
    assert sidebar.reason is None  # inputs untouched
    assert apply_site_repetition([sidebar], {sidebar.fingerprint: 2}, 8)[0].reason is None


def test_site_repetition_drops_a_whole_injected_story_but_never_very_long_paragraphs():
    # The same 1,500-character paragraph in 4 of 8 articles of a site is an injected story.
    injected = _block("A sentence of the injected story. " * 45)
    huge = _block("A sentence of a very long shared paragraph. " * 80)
    counts = {injected.fingerprint: 4, huge.fingerprint: 8}
    out = apply_site_repetition([injected, huge], counts, site_articles=8)
    assert out[0].reason == repeated_reason(4)
    assert out[1].reason is None  # over 3,000 characters: never by repetition alone
    # In two articles only (below the three-article floor), it stays.
    assert apply_site_repetition([injected], {injected.fingerprint: 2}, 4)[0].reason is None


def test_site_key():
    assert site_key(Metadata(site="Global Research"), Origin("/a/b.txt")) == "site:global research"
    assert site_key(Metadata(), Origin("/data/x.csv", 3)) == "file:/data/x.csv"
    assert site_key(Metadata(), Origin("/data/dir/a.txt")) == "folder:/data/dir"
