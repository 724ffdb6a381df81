"""The body's fast soft-wrap gives exactly Textual's offsets, on random text and on real articles."""

from __future__ import annotations

import random
import string

import pytest
from conftest import CORPUS
from textual.expand_tabs import get_tab_widths

from reader.app.textual_compat import compute_wrap_offsets
from reader.app.widgets.fastwrap import wrap_offsets

# Plain and accented letters, curly quotes and dashes (one cell each), and the characters that
# must take Textual's own path: tabs, wide CJK, zero-width combining marks, emoji sequences.
ALPHABETS = [
    "abc  ",
    string.printable[:95],
    "aé “”’—–…  xyz",
    "ab \t 漢字 e\u0301 👍🏽 \u200d x",
]


def same(text: str, width: int) -> None:
    tabs = get_tab_widths(text, 4)
    expected = compute_wrap_offsets(text, width, 4, precomputed_tab_sections=tabs)
    assert wrap_offsets(text, width, 4, precomputed_tab_sections=tabs) == expected, (text, width)
    assert wrap_offsets(text, width, 4, fold=False) == compute_wrap_offsets(text, width, 4, fold=False)


def test_random_lines_wrap_exactly_as_textual_wraps_them() -> None:
    rng = random.Random(20261125)
    for _ in range(20_000):
        alphabet = rng.choice(ALPHABETS)
        if rng.random() < 0.3:  # long words that must be folded
            text = " ".join("x" * rng.randint(1, 40) for _ in range(rng.randint(0, 6)))
        else:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120)))
        same(text, rng.randint(1, 40))


@pytest.mark.parametrize("width", [1, 7, 40, 76, 118])
def test_real_articles_wrap_exactly_as_textual_wraps_them(width: int) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"real-article corpus {CORPUS} is absent (set READER_CORPUS to its folder)")
    lines = [
        line
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file() and path.suffix in {".txt", ".md"}
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
    ]
    assert len(lines) > 1000
    for line in lines:
        same(line, width)
