"""The phrase rules' prefilter never rules out a text its regex matches."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS

from library.cleaning import boilerplate
from library.cleaning.regex_literals import cheap_guard, fold, required_literals


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"abc", {"abc"}),
        (r"^the (?:views|opinions) expressed", {" expressed"}),
        (r"(?=.*\bdonate)(?=.*\bplease\b)", {"donate"}),
        (r"(?:photo|image) by", {"photo", "image"}),
        (r"(?:photo|image)s? credit", {" credit"}),
        (r"x?", None),
        (r"(?:foo)+bar?", {"foo"}),
        (r"(?!foo)bar", {"bar"}),
        (r"foo|", None),
        (r"[ab]c", {"c"}),
        (r"\bCopyright\b", {"copyright"}),
    ],
)
def test_required_literals_are_what_every_match_contains(pattern: str, expected: set[str] | None) -> None:
    found = required_literals(re.compile(pattern, re.IGNORECASE))
    assert (set(found) if found else None) == expected


def test_ignorecase_equivalents_of_ascii_letters_are_folded_alike() -> None:
    pattern = re.compile(r"disclaimer|subscribe|kind", re.IGNORECASE)
    needles = required_literals(pattern)
    assert needles
    for text in ("DISCLAİMER", "dısclaımer", "ſubſcribe", "\u212aind"):  # İ ı ſ and the Kelvin sign
        assert pattern.search(text), text  # re.IGNORECASE matches these...
        assert any(n in fold(text) for n in needles), text  # ...and so does the prefilter


def _variants(text: str) -> list[str]:
    return [text, text.upper(), text.title(), text.replace("i", "ı").replace("s", "ſ").replace("k", "\u212a")]


def test_no_rule_loses_a_match_on_real_paragraphs() -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"real-article corpus {CORPUS} is absent (set READER_CORPUS to its folder)")
    paragraphs = {
        p.strip()
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file() and path.suffix in {".txt", ".md", ".csv"}
        for p in path.read_text(encoding="utf-8", errors="replace").split("\n")
        if p.strip()
    }
    assert len(paragraphs) > 5000
    checked = 0
    for reason, pattern, max_len in boilerplate.RULES:
        needles = required_literals(pattern)
        guard = cheap_guard(pattern)
        if not needles and not guard:
            continue
        for paragraph in paragraphs:
            for text in _variants(paragraph[:max_len]):
                if pattern.search(text):
                    checked += 1
                    for found in (needles, guard):
                        assert not found or any(n in fold(text) for n in found), (
                            reason,
                            pattern.pattern,
                            text,
                        )
    assert checked > 500  # the corpus does exercise the rules


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?:[|/]|\bvia)\s*(?:getty images|afp|dpa|epa|reuters|sipa)\W*$", {"|", "/", "via"}),
        (r"\b(?:on|via) (?:scribd|youtube|vimeo|flickr|soundcloud|documentcloud)\W*$", {"on", "via"}),
        (r"\b(?:on|via) (?:scribd|youtube|vimeo|flickr)\W*$", None),  # not cheaper by half
        (r"[|/] (?:ab|cd)", {"|", "/"}),
        (r"x[|/]", None),  # the needle is as cheap
        (r"(?: )(?:photo|image|video|cartoon|illustration)", None),  # a space is no guard
        (r"[^|/](?:photo|image|video|cartoon|illustration)", None),  # a negated class says nothing
    ],
)
def test_cheap_guards_are_required_and_cheaper(pattern: str, expected: set[str] | None) -> None:
    found = cheap_guard(re.compile(pattern, re.IGNORECASE))
    assert (set(found) if found else None) == expected


def test_cheap_guards_of_the_rules_are_in_their_matches() -> None:
    texts = [
        "A view of the city | Getty Images",
        "Protesters in the square via Reuters",
        "The full talk is on YouTube.",
        "Smoke over the port / AFP",
        "Photo by Jane Doe for The Times",
        "VIA EPA",
        "ON VIMEO",
    ]
    for _reason, pattern, _max_len in boilerplate.RULES:
        guard = cheap_guard(pattern)
        for text in texts + [t.replace("i", "ı") for t in texts]:
            if guard and pattern.search(text):
                assert any(n in fold(text) for n in guard), (pattern.pattern, text)


def test_rule_reason_gives_the_verdicts_of_plain_regex_search() -> None:
    texts = [
        "Donate to support independent media. Please help us.",
        "Copyright © Example Times, 2020",
        "The original source of this article is Global Research",
        "FOLLOW US ON FACEBOOK",
        "Photo by Jane Doe/Getty Images",
        "An ordinary sentence about the harbour budget.",
        "dısclaımer: the views are the author's own",
    ]
    for text in texts:
        stripped = text.strip()
        plain = next((r for r, p, m in boilerplate.RULES if len(stripped) <= m and p.search(stripped)), None)
        assert boilerplate.rule_reason(text) == plain, text
