"""Keys per curation decision, honest by construction.

`python -m bench.curation_keys [--articles N] [--seed S] [--json]`

Makes a library of generated articles with a known gold layer and two annotators who each deviate
from it independently (a dropped span, an end cut short by a word or two, a wrong label, a spurious
span, a missing article label). It then opens the real app on the curation view and, for every item
the view presents, plans the shortest key sequence the view's bindings allow that turns the item into
the gold (accept one annotator, accept both, reject, edit the boundaries, or choose another label),
**presses those keys through Pilot**, and at the end checks that the curated layer equals the gold
span by span. It prints the keys per decision (median, mean, p90), the decisions replayed exactly, and
the keys per kind of disagreement. Navigation costs nothing: the view moves to the next open item
after each decision, and those are the keys a curator presses.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LABELS = ["Loaded_Language", "Doubt", "Flag_Waving", "Exaggeration,Minimisation", "Repetition"]
ARTICLE_LABELS = ["Politics", "Opinion", "Health"]
WORDS = (
    "the council plan budget mayor critics money city voters said would could never always new old "
    "tax school road water police report people leaders claim truth lies fear nation enemy great"
).split()

Span = tuple[int, int, str]


@dataclass
class Fixture:
    text: str
    gold: list[Span]
    gold_labels: set[str]
    alice: list[Span] = field(default_factory=list)
    ben: list[Span] = field(default_factory=list)
    alice_labels: set[str] = field(default_factory=set)
    ben_labels: set[str] = field(default_factory=set)


def _article(rng: random.Random) -> tuple[str, list[tuple[int, int]]]:
    """A text of 6 sentences and the (start, end) of its words."""
    parts: list[str] = []
    words: list[tuple[int, int]] = []
    pos = 0
    for _ in range(6):
        n = rng.randint(9, 16)
        for i in range(n):
            w = rng.choice(WORDS)
            if i == 0:
                w = w.capitalize()
            if parts and not parts[-1].endswith("\n"):
                parts.append(" ")
                pos += 1
            words.append((pos, pos + len(w)))
            parts.append(w)
            pos += len(w)
        parts.append(".")
        pos += 1
    return "".join(parts), words


def make_fixture(rng: random.Random) -> Fixture:
    text, words = _article(rng)
    gold: list[Span] = []
    i = rng.randint(0, 3)
    while i < len(words) - 4 and len(gold) < 5:
        n = rng.randint(2, 5)
        gold.append((words[i][0], words[i + n - 1][1], rng.choice(LABELS)))
        i += n + rng.randint(3, 9)
    fx = Fixture(text, gold, set(rng.sample(ARTICLE_LABELS, rng.randint(0, 2))))
    for span in gold:
        roll = rng.random()
        who = rng.choice(["alice", "ben"])  # the one who deviates; the other keeps the gold
        keep = fx.ben if who == "alice" else fx.alice
        mine = fx.alice if who == "alice" else fx.ben
        s, e, label = span
        if rng.random() < 0.2:  # both deviate: the curator must edit (a word more, or a third label)
            after = [w for w in words if w[0] > e]
            if rng.random() < 0.5 and after:
                keep.append((s, after[0][1], label))
            else:
                keep.append((s, e, rng.choice([lab for lab in LABELS if lab != label])))
            roll = 0.9  # and the other one relabels
        else:
            keep.append(span)
        if roll < 0.45:
            mine.append(span)
        elif roll < 0.6:
            pass  # dropped by one annotator
        elif roll < 0.8:
            inner = [w for w in words if s <= w[0] and w[1] <= e]
            if len(inner) >= 3:
                mine.append((s, inner[-2][1], label))  # end one word short
            else:
                mine.append(span)
        else:
            taken = {x[2] for x in keep if (x[0], x[1]) == (s, e)}
            mine.append((s, e, rng.choice([lab for lab in LABELS if lab != label and lab not in taken])))
    for _ in range(rng.randint(0, 1)):  # a spurious span away from the gold
        free = [w for w in words if not any(g[0] - 2 <= w[1] and w[0] <= g[1] + 2 for g in gold)]
        if len(free) >= 2:
            w = rng.choice(free[:-1])
            rng.choice([fx.alice, fx.ben]).append((w[0], w[1], rng.choice(LABELS)))
    fx.alice_labels = set(fx.gold_labels)
    fx.ben_labels = set(fx.gold_labels)
    if fx.gold_labels and rng.random() < 0.5:
        fx.ben_labels.discard(sorted(fx.gold_labels)[0])
    if rng.random() < 0.3:
        fx.alice_labels.add(rng.choice(ARTICLE_LABELS))
    return fx


def build_library(path: Path, fixtures: list[Fixture]) -> tuple[Any, list[str]]:
    from library import Library
    from library.annotations.model import ArticleTag
    from library.model import Block, Metadata, Origin, ParsedArticle
    from library.textmap import TextBuilder

    lib = Library.open(path)
    articles = []
    for n, fx in enumerate(fixtures):
        builder = TextBuilder()
        builder.copy(0, fx.text)
        meta = Metadata(title=f"Generated article {n + 1}")
        articles.append(
            ParsedArticle(
                fx.text, meta, [Block(builder.text(), builder.runs())], "text", Origin(f"gen/{n}.txt")
            )
        )
    ids = lib.add_articles(articles).imported
    for aid, fx in zip(ids, fixtures, strict=True):
        for who, spans in (("alice", fx.alice), ("ben", fx.ben)):
            lib.annotator = who
            by_span: dict[tuple[int, int], list[str]] = {}
            for s, e, label in spans:
                by_span.setdefault((s, e), []).append(label)
            for (s, e), labels in by_span.items():
                lib.add_highlight(aid, s, e, tags=labels)
        ann = lib.annotations(aid)
        ann.tags = [ArticleTag(t, "alice") for t in sorted(fx.alice_labels)]
        ann.tags += [ArticleTag(t, "ben") for t in sorted(fx.ben_labels)]
        lib.replace_annotations(aid, ann, label="fixture labels")
    lib.annotator = "curator"
    return lib, ids


def _nudges(text: str, start: int, end: int, target: tuple[int, int]) -> list[str] | None:
    """The fewest edit-mode keys that move the span's ends from (start, end) to `target`."""
    from reader.app.screens.curation import _word_step

    def path(pos: int, goal: int, edge: str, keys: dict[str, tuple[int, str]]) -> list[str] | None:
        seen = {pos: []}  # type: dict[int, list[str]]
        frontier = [pos]
        while frontier:
            nxt = []
            for p in frontier:
                if p == goal:
                    return seen[p]
                for key, (delta, unit) in keys.items():
                    q = p + delta if unit == "char" else _word_step(text, p, delta, edge)
                    q = max(0, min(q, len(text)))
                    if q not in seen and abs(q - goal) < 200:
                        seen[q] = seen[p] + [key]
                        nxt.append(q)
            frontier = nxt
        return None

    end_keys = {"h": (-1, "char"), "l": (1, "char"), "w": (1, "word"), "b": (-1, "word")}
    start_keys = {"H": (-1, "char"), "L": (1, "char"), "W": (1, "word"), "B": (-1, "word")}
    # the end first when shrinking, the start first when growing (an end never passes its start)
    a = path(end, target[1], "end", end_keys)
    b = path(start, target[0], "start", start_keys)
    if a is None or b is None:
        return None
    return a + b if target[1] < end else b + a


def plan_keys(
    item: Any, gold: list[Span], gold_labels: set[str], text: str, labels: list[str]
) -> list[str] | None:
    """Keys that settle `item` into the gold, or None when the view cannot reach it in one decision."""
    from library.annotations.curation import KIND_ARTICLE_LABEL
    from reader.app.screens.tag_picker import rank_tags

    if item.kind == KIND_ARTICLE_LABEL:
        (p,) = item.proposals
        if p.label not in gold_labels:
            return ["x"]
        return ["a" if "alice" in p.annotators else "b"]
    want = {g for g in gold if g[0] < item.end and item.start < g[1]}
    of = {who: {(p.start, p.end, p.label) for p in item.proposals_of(who)} for who in ("alice", "ben")}
    if not want:
        return ["x"]
    for key, who in (("a", "alice"), ("b", "ben")):
        if of[who] == want:
            return [key]
    if of["alice"] | of["ben"] == want:
        return ["plus"]
    if len(want) != 1:
        return None
    (gs, ge, gl) = next(iter(want))
    if any((p.start, p.end) == (gs, ge) for p in item.proposals):  # right span, wrong label
        typed = ""
        for ch in gl:
            if rank_tags(labels, typed)[:1] == [gl]:
                break
            typed += ch
        # The picker's first row is what was typed ("+ new label"), unless it is a label already:
        # a near match is one row down.
        down = [] if not typed or typed == gl else ["down"]
        return ["t", *[_key_name(c) for c in typed], *down, "enter"]
    first_label = next((p.label for p in item.proposals if p.label), "")
    if first_label != gl:
        return None
    moves = _nudges(text, item.start, item.end, (gs, ge))
    return None if moves is None else ["e", *moves, "enter"]


def _key_name(ch: str) -> str:
    return {",": "comma", "_": "underscore", " ": "space"}.get(ch, ch)


async def replay(
    lib: Any, ids: list[str], fixtures: list[Fixture], log: Callable[[str], None]
) -> dict[str, Any]:
    from reader.app.app import ReaderApp
    from reader.app.screens.curation import CurationScreen
    from reader.app.settings import Settings

    app = ReaderApp(lib, Settings(annotator="curator"), on_start=lambda a: a.curate(["alice", "ben"]))
    per: list[int] = []
    kinds: dict[str, list[int]] = {}
    unplanned = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CurationScreen)
        for _ in range(10_000):
            item, plan = screen.item, screen.plan
            if item is None or plan is None or item.key in plan.decided:
                break
            fx = fixtures[ids.index(plan.article_id)]
            keys = plan_keys(item, fx.gold, fx.gold_labels, fx.text, screen.session.labels())
            if keys is None:
                unplanned += 1
                keys = ["x"]
            await pilot.press(*keys)
            await pilot.pause()
            per.append(len(keys))
            kinds.setdefault(item.kind, []).append(len(keys))
    exact = 0
    total_gold = 0
    for aid, fx in zip(ids, fixtures, strict=True):
        ann = lib.annotations(aid)
        got = {
            (h.source_start, h.source_end, t)
            for h in ann.highlights
            if h.annotator == "curation"
            for t in h.tags
        }
        total_gold += len(fx.gold)
        exact += len(got & set(fx.gold))
        got_labels = {t.tag for t in ann.tags if t.annotator == "curation"}
        if got != set(fx.gold) or got_labels != fx.gold_labels:
            log(f"article {aid[:8]}: curated layer differs from the gold")
    return {
        "articles": len(ids),
        "decisions": len(per),
        "keys": sum(per),
        "median": statistics.median(per) if per else None,
        "mean": round(statistics.fmean(per), 2) if per else None,
        "p90": sorted(per)[int(0.9 * (len(per) - 1))] if per else None,
        "unplanned": unplanned,
        "gold_spans": total_gold,
        "gold_spans_curated_exactly": exact,
        "by_kind": {
            k: {"decisions": len(v), "mean_keys": round(statistics.fmean(v), 2)} for k, v in kinds.items()
        },
        "decisions_by_keys": dict(sorted(Counter(per).items())),
    }


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.curation_keys", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    fixtures = [make_fixture(rng) for _ in range(args.articles)]
    with tempfile.TemporaryDirectory() as tmp:
        lib, ids = build_library(Path(tmp) / "lib", fixtures)
        problems: list[str] = []
        try:
            result = asyncio.run(replay(lib, ids, fixtures, problems.append))
        finally:
            lib.close()
    result["problems"] = problems
    if args.json:
        out(json.dumps(result))
    else:
        out(
            f"{result['decisions']} decisions over {result['articles']} articles: {result['keys']} keys, "
            f"median {result['median']}, mean {result['mean']}, p90 {result['p90']} keys per decision; "
            f"{result['gold_spans_curated_exactly']} of {result['gold_spans']} gold spans curated exactly, "
            f"{result['unplanned']} decision(s) the view could not reach in one go"
        )
        for kind, row in result["by_kind"].items():
            out(f"  {kind:14} {row['decisions']:4d} decisions, {row['mean_keys']} keys each")
        for p in problems:
            out(f"  {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
