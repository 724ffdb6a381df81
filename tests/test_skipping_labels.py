"""`looks_like_labels`: the quick answer for text without a tab is the full check's answer.

Why: it runs on every text file an import reads, so it first tells prose apart by its first
line; this compares it with the full check (kept here as it was) on label files, lists of label
names, articles and awkward spacing."""

from __future__ import annotations

import random
import re

from test_deferred_cleaning import gr_article

from library.ingest.skipping import (
    _LABEL_ROW_RE,
    _LABEL_TOKEN_RE,
    _LINE_END_RE,
    LABEL_SNIFF_BYTES,
    looks_like_labels,
)


def full_check(head: str) -> bool:
    """The check as it was before the quick path (every line split, stripped and matched)."""
    lines = [ln.strip() for ln in _LINE_END_RE.split(head)[:40] if ln.strip()]
    if len(head) >= LABEL_SNIFF_BYTES:
        lines = lines[:-1]
    if len(lines) < 2:
        return False
    rows = sum(1 for ln in lines if _LABEL_ROW_RE.match(ln))
    if rows >= 0.9 * len(lines):
        return True
    return len(lines) >= 3 and all(_LABEL_TOKEN_RE.match(ln) and len(ln) <= 60 for ln in lines)


KNOWN = {
    "111111111\tLoaded_Language\t12\t30\n111111111\tDoubt\t40\t52\n222\tFlag-Waving\t3\t9\n": True,
    "Loaded_Language\nName_Calling,Labeling\nDoubt\nFlag-Waving\n": True,
    "\n\n  Loaded_Language  \r\nDoubt\rRepetition\n\n": True,
    "Title of an article\n\nBy Someone\n\nA paragraph of prose.\n": False,
    "Loaded_Language\nDoubt\nthen a sentence with spaces\n": False,
    "A" * 61 + "\nDoubt\nRepetition\n": False,
    "Doubt\nRepetition\n": False,  # two names: too few to say
    "": False,
    " \n\t\n": False,
    "\x0c\n\u2028Doubt\nRepetition\nSlogans\n": True,
}


def test_known_answers() -> None:
    for head, expected in KNOWN.items():
        assert looks_like_labels(head) is expected, head
        assert full_check(head) is expected, head


def test_same_answer_as_the_full_check() -> None:
    rng = random.Random(17)
    pieces = [
        "Doubt",
        "Loaded_Language",
        "Name_Calling,Labeling",
        "x" * 70,
        "a b",
        "",
        " ",
        "\t",
        "1\tDoubt\t3\t9",
        "\u00a0",
        "\x0c",
        "(x)",
        "9abc",
        "Flag-Waving",
        "é",
    ]
    ends = ["\n", "\r\n", "\r", "\n\n"]
    heads = [gr_article(i)[:LABEL_SNIFF_BYTES] for i in range(40)]
    for _ in range(3000):
        parts = [rng.choice(pieces) + rng.choice(ends) for _ in range(rng.randint(0, 12))]
        heads.append("".join(parts))
    heads.append(("Doubt\n" * 900)[:LABEL_SNIFF_BYTES])  # cut at the sniff size
    for head in heads:
        assert looks_like_labels(head) is full_check(head), repr(head[:200])
    assert any(looks_like_labels(h) for h in heads) and not all(looks_like_labels(h) for h in heads)


def test_the_quick_path_reads_only_the_first_line_of_prose() -> None:
    # Prose without a tab is answered from its first line: a long article costs no more.
    prose = "A title with words\n" + "word " * 100_000
    assert looks_like_labels(prose) is False
    assert re.search(r"\t", prose) is None
