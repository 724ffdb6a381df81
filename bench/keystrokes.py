"""Keys per annotated span, honest by construction.

`python -m bench.keystrokes --articles DIR --labels FILE [--limit N] [--json]`

Imports the articles of DIR into a temporary library and, for each gold span of the PTC-format
labels file (`article id, label, start, end` in source offsets, one per line), in document order:
plans the shortest key sequence the app's default keys allow (`bench.keystroke_planner`, which
runs the app's own selection grammar on the body as the app shows it) from where the previous
span left the cursor, then **presses those keys and the label's key through Pilot on the real app**
and checks that the store holds a highlight with exactly the gold source offsets and label. Each of
the labels gets a key (1-9, then the backtick leader and a letter), as a quick-tag configuration of the labels'
names would. A second label on the span just labelled costs the label key alone (the highlight
stays selected). The title is part of the text the app shows; when an article has spans that lie in
blocks the cleaner set aside, wholly or in part (a span ending on a lone quote line the cleaner set
aside as a separator), `S` shows those in place first (one key, counted on the first span). Spans
the planner finds no keys for are counted as not replayed, with their reason: none is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.keystroke_planner import Planner
from reader.app.grammar import LEADER, LEADER_LETTERS, Cursor


@dataclass(frozen=True, slots=True)
class Gold:
    article: str  # the PTC article id
    label: str
    start: int
    end: int


@dataclass(slots=True)
class SpanResult:
    article: str
    label: str
    start: int
    end: int
    keys: list[str] | None  # None: not planned (see `reason`)
    exact: bool
    reason: str = ""
    text: str = ""


def read_labels(path: Path) -> list[Gold]:
    """The gold spans of a PTC labels file (tab-separated: article, label, start, end)."""
    gold: list[Gold] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 4:
            raise ValueError(f"{path}: line {n}: expected 4 tab-separated fields")
        gold.append(Gold(parts[0], parts[1], int(parts[2]), int(parts[3])))
    return gold


def label_names(gold: list[Gold], labels_file: Path) -> list[str]:
    """The labels in key order: techniques.txt beside the labels file when present, else by name."""
    techniques = labels_file.with_name("techniques.txt")
    names = (
        [t.strip() for t in techniques.read_text(encoding="utf-8").splitlines() if t.strip()]
        if techniques.exists()
        else []
    )
    for g in sorted({g.label for g in gold}):
        if g not in names:
            names.append(g)
    return names


def label_keys(index: int) -> list[str]:
    """The keys of label `index` (0-based): a digit, then the leader and a letter."""
    number = index + 1
    return [str(number)] if number <= 9 else [LEADER, LEADER_LETTERS[number - 10]]


def _import(articles: Path, db: Path) -> tuple[Any, dict[str, str]]:
    from library import Library
    from library.ingest.reading import read_inputs
    from library.interchange.formats.ptc import ptc_article_id

    lib = Library.open(db)
    items = [i for i in read_inputs([str(articles)], defer_cleaning=True) if not hasattr(i, "reason")]
    report = lib.add_articles(items)
    lib.clean_pending()
    ids: dict[str, str] = {}
    for aid in report.imported:
        article = lib.article(aid)
        ids[ptc_article_id({"external_id": None, "origin": {"path": article.origin.path}, "id": aid})] = aid
    return lib, ids


def shown_exactly(view: Any, g: Gold) -> bool:
    """Whether every character of the gold span is in the text shown, so that selecting what is shown
    stores exactly the gold offsets. A span whose end lies in a block the cleaner set aside (a lone
    opening quote on its own line, say) maps to a shorter span of the body: it needs `S` first."""
    span = view.to_clean(g.start, g.end)
    return span is not None and view.to_source(*span) == (g.start, g.end)


async def _wait_loaded(app: Any, pilot: Any) -> Any:
    from reader.app.screens.article import ArticleScreen

    for _ in range(200):
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, ArticleScreen) and screen.article is not None:
            return screen
        await pilot.pause(0.02)
    raise RuntimeError("the article screen did not load")


async def replay(lib: Any, ids: dict[str, str], gold: list[Gold], labels: list[str]) -> list[SpanResult]:
    from reader.app.app import ReaderApp
    from reader.app.settings import Settings

    app = ReaderApp(lib, Settings(annotator="bench", quick_tags=list(labels)))
    results: list[SpanResult] = []
    by_article: dict[str, list[Gold]] = {}
    for g in gold:
        by_article.setdefault(g.article, []).append(g)
    async with app.run_test(size=(100, 30)) as pilot:
        for ptc_id in sorted(by_article):
            spans = sorted(by_article[ptc_id], key=lambda g: (g.start, g.end, g.label))
            aid = ids.get(ptc_id)
            if aid is None:
                results += [
                    SpanResult(**asdict(g), keys=None, exact=False, reason="article missing") for g in spans
                ]
                continue
            app.open_article(aid)
            screen = await _wait_loaded(app, pilot)
            extra: list[str] = []
            if not all(shown_exactly(screen.view, g) for g in spans):
                extra = ["S"]  # a span (or its end) in set-aside text: show those blocks in place first
                await pilot.press("S")
                await pilot.pause()
            planner = Planner(screen.body.body)
            for g in spans:
                result = await _one(pilot, screen, planner, g, labels, extra)
                if result.keys is not None:
                    extra = []  # the S key is counted once, on the first span planned
                results.append(result)
            screen.action_back()
            await pilot.pause()
    return results


async def _one(
    pilot: Any, screen: Any, planner: Planner, g: Gold, labels: list[str], extra: list[str]
) -> SpanResult:
    article, body = screen.article, screen.body
    text = article.source_text[g.start : g.end]
    result = SpanResult(**asdict(g), keys=None, exact=False, text=text)
    span = screen.view.to_clean(g.start, g.end)
    if span is None or not shown_exactly(screen.view, g):
        result.reason = "not in the text the app shows" if span is None else "not all of it is shown"
        return result
    cur: Cursor = body.cur
    if cur.labelled and cur.span == span:
        keys: list[str] = []  # a second label on the span just labelled
    else:
        plan = planner.plan(cur, span)
        if plan is None:
            result.reason = "no plan found"
            return result
        keys = list(plan.keys)
    keys += label_keys(labels.index(g.label))
    result.keys = extra + keys
    await pilot.press(*keys)
    await pilot.pause()
    result.exact = any(
        h.source_start == g.start and h.source_end == g.end and g.label in h.tags
        for h in screen.library.annotations(screen.article_id).highlights
    )
    if not result.exact:
        result.reason = "replay stored something else"
        got = body.selection_offsets
        src = screen.view.to_source(*got)
        result.text = f"{text!r} got {article.source_text[src[0] : src[1]] if src else None!r}"
    return result


def summarise(results: list[SpanResult]) -> dict[str, Any]:
    counts = [len(r.keys) for r in results if r.keys is not None]
    ordered = sorted(counts)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))] if ordered else None
    reasons: dict[str, int] = {}
    for r in results:
        if not r.exact:
            reasons[r.reason] = reasons.get(r.reason, 0) + 1
    worst = sorted((r for r in results if r.keys is not None), key=lambda r: -len(r.keys or []))[:10]
    return {
        "spans": len(results),
        "planned": len(counts),
        "exact": sum(r.exact for r in results),
        "median": statistics.median(counts) if counts else None,
        "p90": p90,
        "mean": round(statistics.fmean(counts), 2) if counts else None,
        "not_exact": reasons,
        "worst": [
            {
                "article": r.article,
                "label": r.label,
                "start": r.start,
                "end": r.end,
                "keys": "".join(r.keys or []),
            }
            for r in worst
        ],
        "failed": [
            {"article": r.article, "start": r.start, "end": r.end, "reason": r.reason, "text": r.text[:160]}
            for r in results
            if not r.exact
        ],
    }


def run(articles: Path, labels_file: Path, limit: int | None = None) -> dict[str, Any]:
    gold = read_labels(labels_file)
    if limit is not None:
        gold = sorted(gold, key=lambda g: (g.article, g.start, g.end, g.label))[:limit]
    labels = label_names(gold, labels_file)
    with tempfile.TemporaryDirectory(prefix="keystrokes-") as tmp:
        lib, ids = _import(articles, Path(tmp) / "lib")
        try:
            results = asyncio.run(replay(lib, ids, gold, labels))
        finally:
            lib.close()
    return summarise(results)


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.keystrokes", description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, required=True, help="folder of article files")
    parser.add_argument(
        "--labels", type=Path, required=True, help="PTC labels file (article, label, start, end)"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N spans (by article, offset)")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    args = parser.parse_args(argv)
    for path in (args.articles, args.labels):
        if not path.exists():
            print(f"keystrokes: {path}: not found", file=sys.stderr)
            return 2
    summary = run(args.articles, args.labels, args.limit)
    if args.json:
        out(json.dumps(summary))
        return 0
    out(
        f"{summary['spans']} spans: median {summary['median']}, p90 {summary['p90']}, mean {summary['mean']} "
        f"keys per span (label key included); replayed exactly {summary['exact']}/{summary['spans']}"
    )
    for reason, n in sorted(summary["not_exact"].items()):
        out(f"  not replayed: {n} {reason}")
    out("worst spans:")
    for w in summary["worst"]:
        out(f"  {w['article']} {w['start']}-{w['end']} {w['label']}: {w['keys']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
