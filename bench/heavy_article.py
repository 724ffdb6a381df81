"""Benchmark: one article carrying 5,000 highlights, in the real app under `App.run_test` (120x40).

Usage (from the repository root):

    .venv/bin/python -m bench.heavy_article                 # this tree: a table
    .venv/bin/python -m bench.heavy_article --json          # the same figures as JSON
    .venv/bin/python -m bench.heavy_article --against DIR   # also DIR's code (a checkout of
                                                            # another commit), run by run in turn

What is measured (each figure a p50/p95 over every action of every run):

- open: from `open_article` until the article screen has loaded the article and the screen has
  repainted (the same method as `bench.run`'s long article).
- add: the cursor is put on a word no highlight covers, `v` `e` select it (not timed), then
  from just before pressing `1` (the first quick label) to the end of the first screen repaint
  (`Screen._compositor_refresh`) that follows the key's write (the screen's `_write`, which saves
  and redraws): the change is then on disk and on screen.
- retag: `2` on the new highlight (still selected): it gets the second label.
- delete: `x` with the cursor in it.
- writes: how many times the article's annotation bucket was written per action (store level:
  `AtomicJSONStorage.write` calls), and the bucket's size.

`--against DIR` runs the same session with DIR on `sys.path` in a child process, the two trees
taking turns run by run, so a slow moment of the shared machine falls on both sides; the
ratios compare medians of the two. The machine's load (`/proc/loadavg`) is printed beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HIGHLIGHTS = 5_000
WORDS = 40_000  # long enough that 5,000 word-sized highlights leave free words between them
LABELS = ["Loaded_Language", "Name_Calling", "Doubt", "Exaggeration", "Appeal_to_fear"]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(v for v in values if v == v)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def build_library(lib_path: Path, *, highlights: int = HIGHLIGHTS, words: int = WORDS, seed: int = 5) -> str:
    """A library holding one long synthetic article with `highlights` highlights over its words
    (every other word at most, so free words stay between them). Returns the article id."""
    from bench.corpus import long_article
    from library import Library
    from library.annotations.model import ArticleAnnotations, Highlight, new_id, now_iso
    from library.ingest.reading import IngestError, read_inputs

    src = lib_path.parent / f"{lib_path.name}-src"
    src.mkdir(parents=True, exist_ok=True)
    path = src / "heavy-article.txt"
    path.write_text(long_article(words, seed=seed), encoding="utf-8")
    rng = random.Random(seed)
    with Library.open(lib_path) as lib:
        items = [i for i in read_inputs([str(path)]) if not isinstance(i, IngestError)]
        lib.add_articles(items)
        aid = lib.ids()[0]
        body = lib.article(aid).body
        spans = _word_spans(body)
        if len(spans) // 2 < highlights:
            raise ValueError(f"{words} words leave room for {len(spans) // 2} highlights, not {highlights}")
        chosen = sorted(rng.sample(range(0, len(spans), 2), highlights))
        stamp = now_iso()
        made = []
        for index in chosen:
            anchor = lib.body_anchor(aid, *spans[index])
            made.append(
                Highlight(
                    id=new_id(),
                    source_start=anchor.source_start,
                    source_end=anchor.source_end,
                    quote=anchor.quote,
                    prefix=anchor.prefix,
                    suffix=anchor.suffix,
                    tags=[rng.choice(LABELS)],
                    note="",
                    annotator=lib.annotator,
                    created=stamp,
                    updated=stamp,
                )
            )
        lib.put_annotations({aid: ArticleAnnotations(aid, highlights=made)}, label="bench highlights")
    return aid


def _word_spans(text: str) -> list[tuple[int, int]]:
    import re

    return [m.span() for m in re.finditer(r"[A-Za-z]{3,}", text)]


def _count_bucket_writes() -> list[int]:
    """Patch the bucket storage to count its writes; the list's one item is the count."""
    from library.store.atomic import AtomicJSONStorage

    count = [0]
    original = AtomicJSONStorage.write

    def counted(self: Any, data: dict[str, Any]) -> None:
        if self.what == "annotation bucket":
            count[0] += 1
        original(self, data)

    AtomicJSONStorage.write = counted  # type: ignore[method-assign]
    return count


async def _session(lib: Any, aid: str, actions: int, seed: int) -> dict[str, Any]:
    from textual.screen import Screen

    from reader.app.app import ReaderApp
    from reader.app.screens.article import ArticleScreen
    from reader.app.screens.article_editing import EditKeysMixin
    from reader.app.settings import Settings

    refreshes: list[float] = []
    original = Screen._compositor_refresh
    written: list[float] = []
    original_write = EditKeysMixin._write

    def stamped_write(self: Any, *args: Any, **kwargs: Any) -> Any:
        result = original_write(self, *args, **kwargs)
        written.append(time.perf_counter())
        return result

    def stamped(self: Screen[Any]) -> None:
        original(self)
        refreshes.append(time.perf_counter())

    async def repaint_after(start: float, limit: float = 5.0) -> float:
        while time.perf_counter() - start < limit:
            later = [t for t in refreshes[-50:] if t > start]
            if later:
                return later[0] - start
            await asyncio.sleep(0.0005)
        return float("nan")

    writes = _count_bucket_writes()
    Screen._compositor_refresh = stamped  # type: ignore[method-assign]
    EditKeysMixin._write = stamped_write  # type: ignore[method-assign]
    out: dict[str, Any] = {"add": [], "retag": [], "delete": [], "writes": [], "cpu": []}
    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.open_article(aid)
            while not (isinstance(app.screen, ArticleScreen) and app.screen.article is not None):
                await asyncio.sleep(0.0005)
            out["open"] = time.perf_counter() - start + await repaint_after(time.perf_counter())
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ArticleScreen)
            body = screen.body
            covered = {h.id: screen._spans.get(h.id) for h in screen.annotations.highlights}  # noqa: SLF001
            taken = set()
            for span in covered.values():
                if span:
                    taken.update(range(span[0], span[1]))
            free = [s for s in _word_spans(body.body) if not taken.intersection(range(s[0] - 1, s[1] + 1))]
            rng = random.Random(seed)
            before = len(screen.annotations.highlights)
            for word in rng.sample(free, min(actions, len(free))):
                body.move_to_offset(word[0], select=False, center=True)
                await pilot.press("v", "e")
                await pilot.pause()
                for op, key in (("add", "1"), ("retag", "2"), ("delete", "x")):
                    await pilot.pause()
                    writes[0] = 0
                    written.clear()
                    cpu = time.process_time()
                    start = time.perf_counter()
                    await pilot.press(key)
                    while not written and time.perf_counter() - start < 10:
                        await asyncio.sleep(0.0005)
                    # the save and the redraw are done when the key's write returns; the screen
                    # shows them at the end of the first repaint after that
                    out[op].append(
                        written[0] - start + await repaint_after(written[0]) if written else float("nan")
                    )
                    out["writes"].append(writes[0])
                    out["cpu"].append(time.process_time() - cpu)
                await pilot.press("escape")
            out["highlights_after"] = len(screen.annotations.highlights)
            out["highlights_before"] = before
            await pilot.press("q")
            await pilot.pause()
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
        EditKeysMixin._write = original_write  # type: ignore[method-assign]
    return out


def child(lib_path: Path, aid: str, actions: int, seed: int) -> dict[str, Any]:
    """One app session on a fresh copy of the library (so every run starts from 5,000)."""
    from library import Library

    work = Path(tempfile.mkdtemp(prefix="heavy-run-"))
    try:
        copy = work / "lib"
        shutil.copytree(lib_path, copy)
        with Library.open(copy) as lib:
            out = asyncio.run(_session(lib, aid, actions, seed))
        bucket = next((copy / "annotations").glob(f"{aid[:2]}.json"))
        out["bucket_bytes"] = bucket.stat().st_size
    finally:
        shutil.rmtree(work, ignore_errors=True)
    import library

    out["code"] = str(Path(library.__file__).resolve().parent.parent)
    return out


def _run_child(tree: Path, lib_path: Path, aid: str, actions: int, seed: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "-c", _CHILD, str(lib_path), aid, str(actions), str(seed)]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"heavy-article child in {tree} failed: {proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# The child runs this file's `child` from ROOT (this tree), with the code under test first on
# sys.path, so the same session drives either tree.
_CHILD = f"""
import json, sys
sys.path.insert(1, {str(ROOT / "bench")!r})
import heavy_article
print(json.dumps(heavy_article.child(__import__("pathlib").Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))))
"""


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    ms = {op: [v * 1000 for r in runs for v in r[op]] for op in ("add", "retag", "delete")}
    opens = [r["open"] * 1000 for r in runs]
    summary: dict[str, Any] = {
        op: {"p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95), "n": len(v)} for op, v in ms.items()
    }
    summary["open_ms"] = percentile(opens, 50)
    cpu = [v * 1000 for r in runs for v in r["cpu"]]
    # CPU time of this process over the same windows (all three actions): less moved by other
    # work on a shared machine than the wall time, though it includes Textual's idle frames
    summary["cpu_ms"] = {"p50_ms": percentile(cpu, 50), "p95_ms": percentile(cpu, 95)}
    writes = [w for r in runs for w in r["writes"]]
    # most actions: a timer's save of the reading position can fall inside one action's window
    summary["bucket_writes_per_action"] = max(set(writes), key=writes.count) if writes else 0
    summary["bucket_writes_max"] = max(writes) if writes else 0
    summary["bucket_bytes"] = runs[-1]["bucket_bytes"]
    summary["code"] = runs[-1]["code"]
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--actions", type=int, default=20, help="add/retag/delete rounds per run")
    p.add_argument("--highlights", type=int, default=HIGHLIGHTS)
    p.add_argument("--against", type=Path, help="another tree's code to run side by side")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="heavy-bench-"))
    try:
        lib_path = work / "lib"
        aid = build_library(lib_path, highlights=args.highlights)
        trees = [ROOT] + ([args.against.resolve()] if args.against else [])
        runs: dict[Path, list[dict[str, Any]]] = {t: [] for t in trees}
        for i in range(args.runs):
            for tree in trees if i % 2 == 0 else reversed(trees):
                runs[tree].append(_run_child(tree, lib_path, aid, args.actions, seed=i))
        result = {str(t): summarise(r) for t, r in runs.items()}
        result["loadavg"] = (
            Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"one article, {args.highlights} highlights; {args.runs} runs x {args.actions} actions; load {result['loadavg']}"
    )
    print(
        f"{'tree':<28}{'open ms':>9}{'add p50/p95':>16}{'retag p50/p95':>16}{'delete p50/p95':>16}{'writes':>8}"
    )
    for tree in trees:
        s = result[str(tree)]
        cells = [f"{s[op]['p50_ms']:.1f}/{s[op]['p95_ms']:.1f}" for op in ("add", "retag", "delete")]
        print(
            f"{str(tree)[-28:]:<28}{s['open_ms']:>9.0f}{cells[0]:>16}{cells[1]:>16}{cells[2]:>16}"
            f"{s['cpu_ms']['p50_ms']:>8.1f}/{s['cpu_ms']['p95_ms']:<5.1f}{s['bucket_writes_per_action']:>8}"
        )
    if args.against:
        new, old = result[str(ROOT)], result[str(trees[1])]
        ratios = [new[op]["p95_ms"] / old[op]["p95_ms"] for op in ("add", "retag", "delete")]
        print(
            f"p95 ratio this/other: add {ratios[0]:.2f}x, retag {ratios[1]:.2f}x, delete {ratios[2]:.2f}x; "
            f"open {new['open_ms'] / old['open_ms']:.2f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
