"""Boilerplate rules, heuristics, duplicates and site repetition."""

from __future__ import annotations

from library.cleaning.boilerplate import (
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


def test_credit_byline_and_republication_patterns():
    assert rule_reason("By Marton Dunai") == "byline/metadata line"
    assert rule_reason("(Reporting by A Writer; Editing by B Editor)") == "byline/metadata line"
    assert rule_reason("(Fixes dateline)") == "byline/metadata line"
    assert rule_reason("Article posted with permission from Example Media") == "republication notice"
    assert rule_reason("This appeared in the last print edition of The Example.") == "republication notice"
    assert rule_reason("Photo taken in a park, United States Jane Doe / EyeEm") == "image caption"
    assert (
        rule_reason("Workers at the depot on Monday. Jane Roe | Example News | Getty Images")
        == "image caption"
    )
    assert rule_reason("Storm clouds over the bay. Photograph by Jane Doe / Reuters") == "image caption"
    assert rule_reason("In this photo provided by the city, crews clear the road.") == "image caption"
    assert rule_reason("[Photo/Agency]") == "image caption"
    assert rule_reason("Follow us") == "social or membership prompt"
    assert rule_reason("More from The Example Post") == "navigation"
    assert rule_reason("[Tracking the outbreak, state by state]") == "navigation"
    assert (
        rule_reason("This story is part of our series on schools, supported by a grant.") == "note to readers"
    )
    # Reporting that mentions the same words stays.
    assert rule_reason("By the end of the week the river had risen by two metres.") is None
    assert rule_reason("The photograph by the agency was later withdrawn, officials said.") is None
    assert rule_reason("More from the same report suggests the numbers were revised twice.") is None


def test_title_copy_bios_and_sign_offs():
    texts = [
        "Water Rights on Trial",
        "The trial of seven farmers opened on Thursday in a packed courtroom, reporters said.",
        "The judge adjourned the hearing until Monday after a long day of testimony.",
        "Maria Gonzalez, Ph.D.",
        "Notes",
        "[1] Court records, 2019.",
    ]
    reasons = classify(texts, [None] * 6, [0] * 6, authors=["Maria Gonzalez"], title="Water Rights on Trial")
    assert reasons[0] == "byline/metadata line"
    assert reasons[1] is None and reasons[2] is None
    assert reasons[3] in ("byline/metadata line", "author bio")
    assert reasons[5] is None


def test_headline_lists_after_a_label_and_at_the_end():
    body = "A long sentence of the article that reports what happened in the town on Monday night."
    texts = [
        body,
        "Read more:",
        "How the storm changed the coastline",
        "Why the bridge was closed for a week",
        "An earlier version of this story misstated the date of the storm.",
    ]
    reasons = classify(texts, [None] * 5, [0] * 5)
    assert reasons[:4] == [None, "navigation", "navigation", "navigation"]
    assert reasons[4] is None  # a sentence with a full stop ends the list
    tail = [
        body,
        "Scientists Say The Storm Was The Strongest In Decades",
        "Town Council Votes To Rebuild The Old Pier Next Year",
        "Local School Reopens After Two Weeks Of Repairs",
        "Why Our Beaches Are Shrinking Faster Than Expected",
    ]
    assert classify(tail, [None] * 5, [0] * 5)[1:] == ["navigation"] * 4
    # Three Title Case lines, or a list followed by more article text, stay.
    assert classify(tail[:4], [None] * 4, [0] * 4)[1:] == [None] * 3
    more = "Another long sentence of the article about the repairs that were finished on Friday."
    assert classify([*tail, more], [None] * 6, [0] * 6) == [None] * 6


def test_short_sentence_between_appeals_stays_but_poll_choices_go():
    texts = [
        "A long sentence of the article that reports what happened in the town on Monday night.",
        "Consider Making a Donation to Global Research",
        "The list does not say whether the loans were repaid.",
        "Donate",
    ]
    assert classify(texts, [None] * 4, [0] * 4)[2] is None
    poll = ["take our poll - story continues below", "I'm not sure if he should have.", "Email *"]
    assert classify(poll, [None] * 3, [0] * 3)[1] is not None
