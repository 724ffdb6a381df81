"""Span F1 (exact and overlapping) per tag, Cohen's kappa on article tags, and the disagreement list."""

from __future__ import annotations

import pytest

from library.annotations.agreement import agreement, cohen_kappa, format_report
from library.annotations.model import ArticleAnnotations, ArticleTag, Highlight


def hl(start: int, end: int, tags: list[str], who: str, quote: str = "q") -> Highlight:
    return Highlight(f"{who}{start}-{end}", start, end, quote, tags=tags, annotator=who)


def sample() -> list[ArticleAnnotations]:
    one = ArticleAnnotations(
        "a1",
        highlights=[
            hl(0, 10, ["Doubt"], "ann"),
            hl(0, 10, ["Doubt"], "ben"),  # exact match
            hl(20, 30, ["Doubt"], "ann"),
            hl(25, 35, ["Doubt"], "ben"),  # overlap only
            hl(40, 50, ["Slogans"], "ann"),  # ann only
            hl(60, 70, ["Doubt"], "cat", "someone else"),  # a third annotator is ignored
        ],
        tags=[ArticleTag("economy", "ann"), ArticleTag("economy", "ben"), ArticleTag("war", "ann")],
    )
    two = ArticleAnnotations(
        "a2",
        highlights=[hl(5, 9, ["Slogans"], "ben"), hl(1, 3, ["Doubt"], "ann", "")],
        tags=[ArticleTag("economy", "ben")],
    )
    two.highlights[1].anchor = "orphan"  # orphans are left out of the comparison
    return [one, two]


def test_span_f1_exact_and_overlap_per_tag() -> None:
    report = agreement(sample(), "ann", "ben")
    scores = {t.tag: t for t in report.tags}
    doubt = scores["Doubt"]
    assert (doubt.a_spans, doubt.b_spans, doubt.exact_matches) == (2, 2, 1)
    assert doubt.exact_f1 == 0.5 and doubt.overlap_f1 == 1.0
    slogans = scores["Slogans"]
    assert (slogans.a_spans, slogans.b_spans, slogans.exact_f1, slogans.overlap_f1) == (1, 1, 0.0, 0.0)
    assert report.micro_exact_f1 == pytest.approx(2 * 1 / 6, abs=1e-4)
    assert report.articles == 2


def test_kappa_on_article_tags() -> None:
    report = agreement(sample(), "ann", "ben")
    # economy: a1 yes/yes, a2 no/yes; war: a1 yes/no, a2 no/no.
    assert report.kappa_per_tag["economy"] == 0.0
    assert report.kappa_per_tag["war"] == 0.0
    assert report.kappa == cohen_kappa([(True, True), (False, True), (True, False), (False, False)])
    assert cohen_kappa([(True, True), (False, False)]) == 1.0
    assert cohen_kappa([(True, True), (True, True)]) is None  # undefined: no variation
    assert cohen_kappa([]) is None


def test_disagreements_are_listed() -> None:
    report = agreement(sample(), "ann", "ben")
    kinds = sorted((d.kind, d.tag, d.annotator, d.source_start) for d in report.disagreements)
    assert kinds == [
        ("article tag", "economy", "ben", None),
        ("article tag", "war", "ann", None),
        ("boundary", "Doubt", "ann", 20),
        ("span", "Slogans", "ann", 40),
        ("span", "Slogans", "ben", 5),
    ]
    text = format_report(report)
    assert "Doubt" in text and "Disagreements: 5" in text


def test_report_text_is_terminal_safe() -> None:
    items = [ArticleAnnotations("a", highlights=[hl(0, 4, ["\x1b[31mred"], "ann", "\x1b]0;x\x07")])]
    text = format_report(agreement(items, "ann", "ben"))
    assert "\x1b" not in text and "\x07" not in text
