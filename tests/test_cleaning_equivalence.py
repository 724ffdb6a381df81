"""The optimised cleaning functions give exactly what their straightforward versions give.

Cleaning is tuned by hand (byte tables for ASCII text, a literal test before a regex, rules
combined into one regex, compact results from worker processes); each tuned function is
compared here with the plain code it replaced, on generated text that mixes the characters and
phrases they react to. The whole-corpus check is `python -m bench.parse_hash`; its last test here
runs it on a small generated set through both cleaning paths.
"""

from __future__ import annotations

import hashlib
import pickle
import re
import sys
import unicodedata
from bisect import bisect_left
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library.cleaning import paragraphs, parsers
from library.cleaning.boilerplate import rules, signals, site_model
from library.cleaning.parallel import clean_batches_prepared, from_compact, to_compact
from library.cleaning.regex_literals import fold
from library.core.records import block_json, blocks_line, cleaned_fields, packed_block, stored_form

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # `bench` sits next to the packages
from bench import parse_hash  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))

# Pieces that make the rules, fingerprints and word splits do something: rule phrases, URLs,
# digits, typographic punctuation, characters whose case or NFKC form is special.
PHRASES = [
    "the original source of this article is",
    "Copyright ©",
    "all rights reserved",
    "please support us",
    "donate",
    "paypal",
    "Photo by Jane Doe/Getty Images",
    "via Reuters",
    "Subscribe to our newsletter",
    "newsletter",
    "Read more:",
    "Related articles",
    "By John Smith",
    "Email *",
    "we use cookies",
    "follow us on twitter",
    "ADVERTISEMENT",
    "story continues below",
    "This article was originally published on",
    "http://example.org/a?b=1",
    "(https://x.y/z)",
    "www.example.com",
    "2021",
    "3.5%",
    "disclaimer",
    "fair use",
    "section 107",
    "Read more: the rest",
    "Return to Top",
    "[Photos / AP]",
    "(Reporting by Jane Roe)",
    "Sources:",
    "In a file photo,",
    "Articles by:",
    "BY JOHN SMITH",
    "Home | News",
    "Translated into English by",
    "Via: The Outlet",
    "Disclaimer:",
    "The views expressed in this",
    "Note to readers:",
    "Image: a view",
    "Share this:",
    "12 comments",
    "(c) 2020",
    "become a member",
    "Kelvin ſign İ",
]
CHARS = st.sampled_from(
    list("abcXYZ09 .,;:!?-_'’‘“”…–—«»•\"()[]|/*@#\n\t\u00a0\u2028\x1cİıſKΣσςéÉﬁ½١²\u0301")
)
TEXT = st.lists(st.one_of(st.sampled_from(PHRASES), st.text(CHARS, max_size=12)), max_size=12).map(" ".join)

_URL_RE = re.compile(r"\(?https?://\S+|\bwww\.\S+")
_DIGIT_RE = re.compile(r"\d")
_NOT_WORD_RE = re.compile(r"[^\w\s]|_")
_WORD_RE = re.compile(r"[\w'’-]+")


def plain_normalise(text: str) -> str:
    text = _URL_RE.sub(" ", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    text = _DIGIT_RE.sub("0", text.lower())
    text = _NOT_WORD_RE.sub(" ", text)
    return " ".join(text.split())


def plain_fingerprint(text: str) -> str:
    norm = plain_normalise(text)
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16] if norm else ""


_TERMINAL_RE = re.compile(r"[.!?:…][\"'”’»)\]*]*$|[.!?][\"'”’»)\]]*\s*\[?\d+\]?$")
_LINK_MARK_RE = re.compile(r"\]\([^()\s]*\)")


def plain_visible(text: str) -> str:
    return _LINK_MARK_RE.sub("", text).replace("[", "")


def plain_stopword_density(text: str) -> float:
    words = _WORD_RE.findall(text.lower())
    return sum(1 for w in words if w in signals.STOP_WORDS) / len(words) if words else 0.0


@SETTINGS
@given(TEXT)
def test_fingerprints_equal_the_plain_normalisation(text: str) -> None:
    assert site_model.normalise_for_fingerprint(text) == plain_normalise(text)
    assert site_model.fingerprint(text) == plain_fingerprint(text)


@SETTINGS
@given(TEXT)
def test_word_measures_equal_the_plain_regex(text: str) -> None:
    assert signals._words_key(text) == " ".join(_WORD_RE.findall(text.lower()))
    assert signals.stopword_density(text) == plain_stopword_density(text)


@SETTINGS
@given(TEXT)
def test_rule_verdicts_equal_trying_every_rule_in_order(text: str) -> None:
    assert rules.rule_reason(text) == rules.rule_reason_in_order(text)


@SETTINGS
@given(TEXT, st.sampled_from(["", ".", ".”", "?)", "[3]", ". 12", "!]", "…*", ":", "](#)", "²", "١"]))
def test_sentence_ends_equal_the_plain_regex(text: str, end: str) -> None:
    line = text + end
    assert paragraphs.visible(line) == plain_visible(line)
    assert paragraphs.ends_sentence(line) == bool(_TERMINAL_RE.search(plain_visible(line).rstrip()))


@SETTINGS
@given(st.text(CHARS, max_size=40))
def test_fold_equals_the_translation(text: str) -> None:
    assert fold(text) == text.translate(str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "K": "k"})).lower()


def test_every_rule_and_its_verdict_on_phrases_alone() -> None:
    """Each phrase, and each phrase at the start and end of a sentence, as the table reads it."""
    for phrase in PHRASES:
        for text in (phrase, f"{phrase} and more text here.", f"Some words first, {phrase}"):
            assert rules.rule_reason(text) == rules.rule_reason_in_order(text), text


def test_compact_results_rebuild_the_same_articles() -> None:
    """What a worker sends back (`to_compact`, pickled) rebuilds the very ParsedArticle."""
    items = parse_hash.seed_items(30) + parse_hash.remix_items(parse_hash.seed_items(10, seed=5), 30)
    for item in items:
        result = parsers.clean(item)
        back = from_compact(item, pickle.loads(pickle.dumps(to_compact(item, result))))
        assert back == result
    assert from_compact(items[0], "could not parse: X") == "could not parse: X"


def test_parse_hash_is_the_same_through_workers_and_in_process() -> None:
    """The whole-output hash of the parser fixtures, remixes of them (every text format and
    data-set records) and seed-format articles: worker processes (compact results) against
    cleaning here with the plain ParsedArticles."""
    fixtures = parse_hash.read_items([FIXTURES])
    items = fixtures + parse_hash.remix_items(fixtures, 160) + parse_hash.seed_items(60)
    pooled, figures = parse_hash.parse_hash(items, workers=2)
    here, _ = parse_hash.parse_hash(items, workers=1)
    assert pooled == here
    assert figures["articles"] == len(items) >= 240 and figures["failed"] == 0
    assert {item.format for item in items} >= {"", "csv"}  # text files and data-set records


def test_stored_form_made_in_workers_is_what_the_store_wrote_from_the_article() -> None:
    """The worker-made stored form (catalogue fields, pack line, fingerprints) equals what the
    library made from the rebuilt article before (blocks packed without the text that repeats
    the source), byte for byte, through the pool and here."""
    fixtures = parse_hash.read_items([FIXTURES])
    items = fixtures + parse_hash.remix_items(fixtures, 230)
    expected = []
    for n, item in enumerate(items):
        parsed = parsers.clean(item)
        blocks = [packed_block(block_json(b), item.source_text) for b in parsed.blocks]
        line = orjson.dumps({"id": f"id{n}", "blocks": blocks})
        expected.append((cleaned_fields(parsed), line, [b.fingerprint for b in parsed.blocks]))
    for workers in (2, 1):
        batches = [items[:100], items[100:]]
        got = [
            r for batch in clean_batches_prepared(batches, len(items), stored_form, workers) for r in batch
        ]
        assert [(f, blocks_line(f"id{n}", j), fps) for n, (f, j, fps) in enumerate(got)] == expected


def test_first_characters_of_the_anchored_rules_cover_their_matches() -> None:
    """Every text an anchored rule matches and allows (by length) starts with a character the
    rule's dispatch group for the text's length tier is filed under (so neither the first
    character nor the length tier hides a rule that matches)."""
    rules.rule_reason("")
    table = rules._TABLE[0]
    texts = [t for p in PHRASES for t in (p, p.upper(), p.lower(), f" {p}", f"“{p}")]
    texts += [f"{t} {'and more words ' * m}".strip() for t in texts for m in (4, 14, 22, 35)]
    for text in texts:
        by_first, tier_all = table.by_tier[bisect_left(rules._TIERS, len(text))]
        for k, _reason, pattern, limit, _needles in table.everything.entries:
            if len(text) <= limit and pattern.match(text):
                group = by_first.get(text[:1], tier_all)
                assert k in {e[0] for e in group.entries}, (text, pattern.pattern)


def test_a_pool_that_refuses_work_still_gives_every_result(monkeypatch) -> None:
    """A broken pool (submit raises) leaves every chunk to be cleaned here, with the same results."""
    from library.cleaning import parallel

    class Broken:
        def submit(self, *args: object) -> None:
            raise RuntimeError("broken pool")

        def shutdown(self, **kwargs: object) -> None:
            pass

    monkeypatch.setattr(parallel, "start_pool", lambda workers: Broken())
    items = parse_hash.seed_items(parallel.MIN_ITEMS + 10)
    expected = [parsers.clean(item) for item in items]
    got = [r for batch in parallel.clean_batches([items[:150], items[150:]], len(items), 2) for r in batch]
    assert got == expected
    prepared = parallel.clean_batches_prepared([items], len(items), stored_form, 2)
    assert [r for batch in prepared for r in batch] == [
        stored_form(i, p) for i, p in zip(items, expected, strict=True)
    ]
