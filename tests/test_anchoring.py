"""Anchoring spans by offsets, quote and context; UTF-16 offsets; spans surviving boilerplate flips."""

from __future__ import annotations

from export_samples import annotated_sample, make_article

from library.annotations.anchoring import (
    Utf16Index,
    anchor_in_article,
    body_span,
    from_utf16,
    locate,
    quote_and_context,
    to_utf16,
)
from library.annotations.model import ANCHOR_EXACT, ANCHOR_REANCHORED


def test_exact_when_the_quote_is_at_its_offsets() -> None:
    text = "one two three two one"
    found = locate(text, "two", start=4, end=7)
    assert found is not None and (found.start, found.end, found.anchor, found.confidence) == (
        4,
        7,
        "exact",
        1.0,
    )


def test_context_picks_the_right_occurrence_and_reports_a_confidence() -> None:
    text = "The mayor said yes. Later the mayor said no. Then the mayor said maybe."
    found = locate(text, "the mayor said", prefix="Later ", suffix=" no.", start=0, end=3)
    assert found is not None
    assert text[found.start : found.end] == "the mayor said"
    assert found.start == text.index("Later") + len("Later ")
    assert found.anchor == ANCHOR_REANCHORED and 0.75 <= found.confidence <= 1.0


def test_ambiguous_quote_without_context_or_position_is_an_orphan() -> None:
    assert locate("ab ab", "ab") is None


def test_missing_quote_is_an_orphan_and_near_match_reanchors() -> None:
    text = "Critics called the plan an utter disaster for the city."
    assert locate(text, "completely different words here") is None
    near = locate(text, "called the plan an uter disaster")  # a typo fixed since
    assert near is not None and near.anchor == ANCHOR_REANCHORED
    assert "disaster" in text[near.start : near.end]


def test_whitespace_differences_still_match() -> None:
    text = "would hurt\nsmall cafés"
    found = locate(text, "would hurt small cafés")
    assert found is not None and (found.start, found.end) == (0, len(text))


def test_utf16_offsets_with_emoji_accents_and_cjk() -> None:
    text = "é😀東京👍🏽x"
    index = Utf16Index(text)
    for cp in range(len(text) + 1):
        u = index.to_utf16(cp)
        assert u == len(text[:cp].encode("utf-16-le")) // 2
        assert index.from_utf16(u) == cp
    assert to_utf16(text, 2) == 3 and from_utf16(text, 3) == 2
    assert from_utf16(text, 2) == 1  # inside the surrogate pair of 😀 rounds down to its start


def test_source_anchor_round_trip_over_non_ascii_text() -> None:
    article, ann = annotated_sample()
    for h in ann.highlights:
        span = body_span(article, h.source_start, h.source_end)
        assert span is not None
        assert article.body[span[0] : span[1]] == h.quote
        assert quote_and_context(article, h.source_start, h.source_end)[0] == h.quote


def test_body_offsets_and_quote_anchor_into_the_source() -> None:
    article = make_article()
    quote = "small cafés. 😀 Owners"
    s = article.body.index(quote)
    found = anchor_in_article(article, quote, body_start=s, body_end=s + len(quote))
    assert found is not None and found.anchor == ANCHOR_EXACT
    assert article.source_text[found.source_start : found.source_end] == quote
    # Wrong offsets: found again by the quote, marked as re-anchored.
    moved = anchor_in_article(article, quote, body_start=0, body_end=len(quote))
    assert moved is not None and moved.anchor == ANCHOR_REANCHORED
    assert (moved.source_start, moved.source_end) == (found.source_start, found.source_end)


def test_quote_in_boilerplate_anchors_in_the_original_text() -> None:
    article = make_article()
    found = anchor_in_article(article, "keep us independent")
    assert found is not None
    assert article.source_text[found.source_start : found.source_end] == "keep us independent"
    assert body_span(article, found.source_start, found.source_end) is None


def test_boilerplate_flip_keeps_every_highlight_on_its_text() -> None:
    article, ann = annotated_sample()
    before = {h.id: h.quote for h in ann.highlights}
    # Flip the metadata line into the body: every body offset after it shifts.
    article.blocks[0].reason = None
    article.invalidate()
    assert article.body.startswith("By Staff Writer")
    for h in ann.highlights:
        span = body_span(article, h.source_start, h.source_end)
        assert span is not None
        assert article.body[span[0] : span[1]] == before[h.id]
        found = anchor_in_article(
            article,
            h.quote,
            prefix=h.prefix,
            suffix=h.suffix,
            source_start=h.source_start,
            source_end=h.source_end,
        )
        assert found is not None and found.anchor == ANCHOR_EXACT
    # And a span inside the flipped block is now in the body.
    meta = article.source_text.index("Global Research")
    assert body_span(article, meta, meta + len("Global Research")) is not None


def test_reanchor_highlights_after_the_source_text_changed() -> None:
    from library.annotations.anchoring import reanchor_highlights

    article, ann = annotated_sample()
    # A re-fetched article: a new first line shifts every source offset; one quote was edited away.
    changed = make_article(
        source="Breaking: updated story\n\n" + article.source_text.replace("a disaster", "a mess")
    )
    result = {h.id: h for h in reanchor_highlights(changed, ann.highlights)}
    h1 = result["h1"]
    assert h1.anchor == ANCHOR_REANCHORED and h1.confidence >= 0.75
    assert changed.source_text[h1.source_start : h1.source_end] == h1.quote
    assert result["h2"].anchor == "orphan"  # not moved anywhere
    assert (result["h2"].source_start, result["h2"].source_end) == (
        ann.highlights[1].source_start,
        ann.highlights[1].source_end,
    )
    # The unchanged article keeps every highlight exactly as it was.
    assert [h.to_json() for h in reanchor_highlights(article, ann.highlights)] == [
        h.to_json() for h in ann.highlights
    ]
