"""The keystroke benchmark on a fixture of its own: every span, the title's included, is planned,
pressed through the real app and stored with exactly the gold offsets and label."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import REPO

from reader.app.grammar import Cursor

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench import keystrokes  # noqa: E402
from bench.keystroke_planner import Planner  # noqa: E402

TITLE = "Mayor “Totally” Wrong About The Budget"
BODY = [
    "The mayor said the plan was a disaster for everyone, and critics agreed loudly.",
    "Nobody knows what the plan will cost; the council (a “very” divided one) will vote.",
    "Opponents called it reckless. Supporters called it brave, bold and overdue.",
]
TEXT = TITLE + "\n\n" + "\n".join(BODY) + "\n"


def _at(phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def _fixture(tmp_path: Path) -> tuple[Path, Path, list[tuple[str, int, int]]]:
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article7001.txt").write_text(TEXT, encoding="utf-8")
    spans = [
        ("Loaded_Language", *_at("disaster")),
        ("Exaggeration,Minimisation", *_at("disaster for everyone")),  # nests the one before
        ("Doubt", *_at("Nobody knows")),
        ("Repetition", *_at("Nobody knows")),  # a second label on the same span
        ("Loaded_Language", *_at("ayor said")),  # starts mid-word
        ("Name_Calling,Labeling", _at("critics agreed")[0], _at("Nobody knows")[1]),  # across paragraphs
        ("Loaded_Language", *_at("very")),  # inside typographic quotes
        ("Slogans", *_at("brave, bold and overdue")),  # label 13: the leader and a letter
        ("Loaded_Language", *_at("Totally")),  # in the title, which the app shows first
    ]
    labels = tmp_path / "labels.tsv"
    labels.write_text("".join(f"7001\t{label}\t{s}\t{e}\n" for label, s, e in spans), encoding="utf-8")
    return articles, labels, spans


def test_every_planned_span_is_replayed_exactly_and_none_is_skipped(tmp_path: Path) -> None:
    articles, labels, spans = _fixture(tmp_path)
    summary = keystrokes.run(articles, labels)
    assert summary["spans"] == len(spans)
    assert summary["planned"] == len(spans)
    assert summary["exact"] == len(spans), summary["failed"]
    assert summary["not_exact"] == {} and summary["failed"] == []
    assert summary["median"] is not None and summary["mean"] is not None


def test_the_cli_prints_one_json_object(tmp_path: Path) -> None:
    articles, labels, spans = _fixture(tmp_path)
    lines: list[str] = []
    assert (
        keystrokes.main(
            ["--articles", str(articles), "--labels", str(labels), "--limit", "4", "--json"], lines.append
        )
        == 0
    )
    (line,) = lines
    data = json.loads(line)
    assert {"spans", "median", "p90", "mean", "exact"} <= set(data)
    assert data["spans"] == 4 and data["exact"] == 4


def test_plans_are_what_the_grammar_carries_out() -> None:
    text = "\n".join(BODY)
    planner = Planner(text)
    for phrase in ("disaster", "ayor said", "very", "brave, bold and overdue", "Nobody knows what"):
        start = text.index(phrase)
        span = (start, start + len(phrase))
        plan = planner.plan(Cursor(0), span)
        assert plan is not None, phrase
        done = planner.run(plan.keys, Cursor(0))
        assert done.span == span and done.moved  # a digit after it is a label, not a count


QUOTE_TEXT = (
    "Envoy Warns Of A Double Standard\n\n"
    "The envoy spoke first. “If it is wrong for them to do this, why does that same rule not apply?\n"
    "“\n"
    "As for the deal, she said its promises were worthless.\n"
)


def test_a_span_ending_on_a_lone_quote_line_set_aside_is_stored_exactly(tmp_path: Path) -> None:
    """A gold span ending in "\\n“", where the cleaner set the lone quote line aside: the body alone
    would store it one line short, so the benchmark shows the set-aside text (S) and selects the
    quote itself, and the replay stores exactly the gold offsets."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article7002.txt").write_text(QUOTE_TEXT, encoding="utf-8")
    start = QUOTE_TEXT.index("“If")
    end = QUOTE_TEXT.index("“\n") + 1
    assert QUOTE_TEXT[end - 2 : end] == "\n“"
    after = QUOTE_TEXT.index("its promises")
    labels = tmp_path / "labels.tsv"
    labels.write_text(
        f"7002\tBandwagon\t{start}\t{end}\n7002\tLoaded_Language\t{after}\t{after + 12}\n", encoding="utf-8"
    )
    summary = keystrokes.run(articles, labels)
    assert summary["exact"] == 2, summary["failed"]
    assert any(w["keys"].startswith("S") for w in summary["worst"])  # S shown first, and counted


ADJECTIVES = ["cautious", "divided", "eager", "weary", "bold", "quiet", "restless"]
NOUNS = ["housing", "transport", "budget", "water", "school", "park", "road", "library", "market"]
LONG = "Council Minutes Of The Long Year\n\n" + "\n".join(
    f"Paragraph {i} tells of the {ADJECTIVES[i % 7]} council and its {NOUNS[i % 9]} plans for "
    f"{i * 7} homes, which neighbours call {ADJECTIVES[(i * 3) % 7]}."
    for i in range(1, 160)
)


def test_far_spans_forwards_and_back_are_planned_and_replayed(tmp_path: Path) -> None:
    """Spans thousands of characters apart, in either direction, get plans (long jumps: searches,
    two-character jumps, paragraph numbers) and the app stores exactly them."""
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "article7003.txt").write_text(LONG + "\n", encoding="utf-8")
    phrases = [f"its {NOUNS[120 % 9]} plans for 840", "the weary council", f"call {ADJECTIVES[77 * 3 % 7]}"]
    starts = [LONG.index("Paragraph 120 "), LONG.index("Paragraph 3 "), LONG.index("Paragraph 77 ")]
    gold = [(LONG.index(p, at), LONG.index(p, at) + len(p)) for p, at in zip(phrases, starts, strict=True)]
    # gold spans in document order are planned in that order; the cursor then goes back and forth
    labels = tmp_path / "labels.tsv"
    labels.write_text("".join(f"7003\tDoubt\t{s}\t{e}\n" for s, e in gold), encoding="utf-8")
    summary = keystrokes.run(articles, labels)
    assert summary["planned"] == 3 and summary["exact"] == 3, summary["failed"]
    planner = Planner(LONG)
    far = planner.plan(Cursor(0), gold[0])
    assert far is not None and len(far.keys) <= 12
    assert planner.run(far.keys, Cursor(0)).span == gold[0]
    back = planner.plan(Cursor(gold[0][1] - 1), gold[1])  # a long way back
    assert back is not None and planner.run(back.keys, Cursor(gold[0][1] - 1)).span == gold[1]


def test_every_move_the_planner_models_is_what_the_grammar_does() -> None:
    """For each kind of move (motions with counts, f/t/F/r with counts or repeats, searches, paragraph
    numbers) and each position: every landing the planner's model offers is reached by the keys it
    gives, with and without a selection being made, and its backward model agrees with the forward."""
    import numpy as np

    planner = Planner(TEXT)
    moves = planner.moves
    for e in moves.edges:
        for p in range(0, len(TEXT), 7):
            src = np.zeros(moves.n, dtype=bool)
            src[p] = True
            for q in np.flatnonzero(moves.image(e, src))[:6]:
                keys = moves.keys(e, p, int(q))
                assert keys is not None, (e, p, q)
                assert planner.run(keys, Cursor(p)).pos == q, (e, p, keys)
                selecting = planner.run(("v", *keys), Cursor(p))
                assert selecting.pos == q and selecting.anchor == p and selecting.moved, (e, p, keys)
                dst = np.zeros(moves.n, dtype=bool)
                dst[q] = True
                assert moves.pre(e, dst)[p], (e, p, q)
