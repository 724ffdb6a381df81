"""Performance benchmark: builds libraries of N synthetic articles and measures what issue 5 asks.

Usage (from the repository root):

    .venv/bin/python -m bench.run              # N = 10, 1,000, 10,000; 3 runs; a table
    .venv/bin/python -m bench.run --full       # adds N = 50,000
    .venv/bin/python -m bench.run --json       # the same figures as JSON
    .venv/bin/python -m bench.run --quick      # a ~1 minute smoke run (small N, 1 run)
    .venv/bin/python -m bench.run --sizes 10,2000 --runs 5

Every figure is a median over `--runs` runs measured in this one process; ratios compare
figures measured side by side in the same run (the machines are shared and noisy). Methods:

- import: `ingest.read_inputs(defer_cleaning=True)` + `Library.add_articles` into a fresh
  library, as `reader import` and the app do: when it returns, every article is stored durably
  (with its spare copy), listed, searchable and openable. Against a floor that reads the same
  files and writes one orjson file of their texts (fsynced). The files are read once
  beforehand, so both sides read from the page cache. The target is checked at N=10,000 (at
  N=10 fixed costs such as creating the library dominate).
- cleaning: `Library.clean_pending()` right after each import (worker processes), reported
  beside the import (no target: `reader import` shows it as a second progress bar, the app
  runs it in the background). Every later measurement uses the cleaned libraries.
- highlight: add, retag and delete one highlight, each op timed alone (p50/p95 over all repeats
  of all runs), at the smallest N and at N=10,000, the two libraries taking turns op by op.
- first screen: wall time from spawning `python -m bench.first_screen LIB` (the real app, headless,
  120x40) to its `READY` line, printed after the library screen has mounted, filled its table
  and refreshed once (it accepts keys from then on). N=10 and N=10,000 take turns, three pairs
  per run; the ratio is the median of the pairs' ratios.
- search: `Library.search(word)` in a freshly opened library with no index (cold: the index is
  built by the query), then again (warm), against `grep -ril word` over the same source files
  (page cache warm). The target uses what a user meets: the app builds the index in a
  background thread once the first screen is drawn, and the first search in the app is timed
  `--delay` seconds (default 1) after that screen.
- long article: one article of 100,000 words, in the real app under `App.run_test` (120x40).
  Open: from `open_article` until the body is loaded and the screen has repainted. Page down and
  one word (`w`): from just before `pilot.press` until the end of the first screen repaint
  (`Screen._compositor_refresh`) that follows it; this includes Textual's frame pacing (a repaint
  waits for the next 1/60 s tick).
- memory: peak RSS of the first-screen child at N=10,000 once the search index is built
  (`VmHWM`; not `ru_maxrss`, which Linux carries across exec from the benchmark itself).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from bench.corpus import long_article, write_corpus

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORD = "pipeline"
DEFAULT_SIZES = [10, 1_000, 10_000]
REFERENCE_N = 10_000


# --- small helpers ---------------------------------------------------------------------------------


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Target:
    name: str
    value: float
    limit: float
    unit: str
    higher_is_better: bool = False

    @property
    def passed(self) -> bool:
        return self.value >= self.limit if self.higher_is_better else self.value <= self.limit


@dataclass
class Results:
    machine: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)


def machine_info() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": sys.version.split()[0],
        "platform": sys.platform,
    }


def fsync_probe(folder: Path, count: int = 15) -> float:
    """Median ms to write and fsync a 1 KB file here: the disk's state during this run."""
    path = folder / ".fsync-probe"
    times = []
    for _ in range(count):
        start = time.perf_counter()
        with open(path, "wb") as handle:
            handle.write(b"x" * 1024)
            handle.flush()
            os.fsync(handle.fileno())
        times.append(time.perf_counter() - start)
    path.unlink()
    return median(times) * 1000


# --- import ------------------------------------------------------------------------------------------


def source_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def measure_floor(paths: list[Path], out: Path) -> float:
    start = time.perf_counter()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    with open(out, "wb") as handle:
        handle.write(orjson.dumps(texts))
        handle.flush()
        os.fsync(handle.fileno())
    took = time.perf_counter() - start
    out.unlink()
    return took


def import_library(src: Path, dest: Path) -> tuple[float, float]:
    """Seconds to import `src` into a new library at `dest`, then seconds to clean it."""
    from library import Library
    from library.ingest.reading import IngestError, read_inputs

    if dest.exists():
        shutil.rmtree(dest)
    start = time.perf_counter()
    with Library.open(dest) as lib:
        items = (i for i in read_inputs([str(src)], defer_cleaning=True) if not isinstance(i, IngestError))
        report = lib.add_articles(items)
        took = time.perf_counter() - start
        start = time.perf_counter()
        cleaning = lib.clean_pending()
        cleaned = time.perf_counter() - start
    if report.failed or cleaning.failed:
        raise RuntimeError(f"import failed: {(report.failed + cleaning.failed)[:3]}")
    return took, cleaned


def bench_import(work: Path, sizes: list[int], runs: int, res: Results) -> dict[int, Path]:
    libraries: dict[int, Path] = {}
    for n in sizes:
        src = work / f"src-{n}"
        if not src.exists():
            log(f"writing a corpus of {n} articles")
            write_corpus(src, n)
        paths = source_files(src)
        for path in paths:  # both sides then read from the page cache, as a user's re-import would
            path.read_bytes()
        floors, imports, ratios, cleans = [], [], [], []
        for run in range(runs):
            lib_path = work / f"lib-{n}"
            floor = measure_floor(paths, work / "floor.json")
            took, cleaned = import_library(src, lib_path)
            floors.append(floor)
            imports.append(took)
            cleans.append(cleaned)
            ratios.append(took / floor)
            log(
                f"import N={n} run {run + 1}: {took:.2f} s (floor {floor * 1000:.0f} ms), "
                f"then cleaning {cleaned:.2f} s"
            )
            libraries[n] = lib_path
        res.metrics.setdefault("import", {})[str(n)] = {
            "seconds": median(imports),
            "articles_per_s": n / median(imports),
            "clean_seconds": median(cleans),
            "clean_articles_per_s": n / median(cleans),
            "floor_seconds": median(floors),
            "floor_articles_per_s": n / median(floors),
            "ratio_to_floor": median(ratios),
        }
    return libraries


# --- highlights --------------------------------------------------------------------------------------


def bench_highlights(lib_paths: list[Path], repeats: int, runs: int) -> list[dict[str, dict[str, float]]]:
    """p50/p95 of save, retag and delete for each library. The libraries take turns, one
    operation each, so a slow moment of a shared disk falls on both sides of the ratio."""
    from library import Library

    libs = [Library.open(path) for path in lib_paths]
    try:
        targets = []
        for lib in libs:
            ids = lib.ids()
            aid = ids[len(ids) // 2]
            art = lib.article(aid)
            span = art.body_to_source(0, min(40, len(art.body)))
            assert span is not None
            targets.append((aid, span))
        times: list[dict[str, list[float]]] = [{"save": [], "retag": [], "delete": []} for _ in libs]
        for _ in range(runs):
            for i in range(repeats):
                for lib, (aid, (start, end)), out in zip(libs, targets, times, strict=True):
                    t = time.perf_counter()
                    hl = lib.add_highlight(aid, start, end, tags=["bench"])
                    out["save"].append(time.perf_counter() - t)
                    hl.tags = [f"bench-{i}"]
                    t = time.perf_counter()
                    lib.update_highlight(aid, hl)
                    out["retag"].append(time.perf_counter() - t)
                    t = time.perf_counter()
                    lib.delete_highlight(aid, hl.id)
                    out["delete"].append(time.perf_counter() - t)
    finally:
        for lib in libs:
            lib.close()
    return [
        {
            op: {"p50_ms": percentile(v, 50) * 1000, "p95_ms": percentile(v, 95) * 1000}
            for op, v in out.items()
        }
        for out in times
    ]


# --- first screen and memory --------------------------------------------------------------------------


def first_screen(lib_path: Path, search: str | None = None, delay: float = 1.0) -> dict[str, float]:
    """Spawn the headless app; seconds to READY, peak RSS (MB) at READY and after a search."""
    cmd = [sys.executable, "-m", "bench.first_screen", str(lib_path)]
    if search:
        cmd += ["--search", search, "--delay", str(delay)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    out: dict[str, float] = {}
    for line in proc.stdout:
        parts = line.split()
        if parts and parts[0] == "READY":
            out["seconds"] = time.perf_counter() - start
            out["rss_mb"] = int(parts[1]) / 1024
            out["rows"] = int(parts[2])
        elif parts and parts[0] == "SEARCHED":
            out["rss_after_search_mb"] = int(parts[1]) / 1024
            out["in_app_search_s"] = float(parts[2])
    _, err = proc.communicate(timeout=120)
    if proc.returncode != 0 or "seconds" not in out:
        raise RuntimeError(f"first-screen child failed ({proc.returncode}): {err[-2000:]}")
    return out


# --- search ------------------------------------------------------------------------------------------


def bench_search(lib_path: Path, src: Path, runs: int) -> dict[str, float]:
    from library import Library

    cold, warm, grep, found = [], [], [], 0
    subprocess.run(["grep", "-ril", SEARCH_WORD, str(src)], capture_output=True, check=False)  # page cache
    for _ in range(runs):
        with Library.open(lib_path, read_only=True) as lib:
            t = time.perf_counter()
            found = len(lib.search(SEARCH_WORD))
            cold.append(time.perf_counter() - t)
            t = time.perf_counter()
            lib.search(SEARCH_WORD)
            warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        proc = subprocess.run(["grep", "-ril", SEARCH_WORD, str(src)], capture_output=True, check=False)
        grep.append(time.perf_counter() - t)
        grep_found = proc.stdout.count(b"\n")
    return {
        "word": SEARCH_WORD,  # type: ignore[dict-item]
        "cold_s": median(cold),
        "warm_s": median(warm),
        "grep_s": median(grep),
        "cold_ratio": median([c / g for c, g in zip(cold, grep, strict=True)]),
        "warm_ratio": median([w / g for w, g in zip(warm, grep, strict=True)]),
        "found": found,
        "grep_found": grep_found,
    }


# --- the long article --------------------------------------------------------------------------------


async def _long_article_session(lib: Any, aid: str, keys: int) -> dict[str, Any]:
    from textual.screen import Screen

    from reader.app.app import ReaderApp
    from reader.app.screens.article import ArticleScreen
    from reader.app.settings import Settings

    refreshes: list[float] = []
    original = Screen._compositor_refresh

    def stamped(self: Screen[Any]) -> None:
        original(self)
        refreshes.append(time.perf_counter())

    Screen._compositor_refresh = stamped  # type: ignore[method-assign]

    async def repaint_after(start: float, limit: float = 2.0) -> float:
        """Seconds from `start` to the end of the first compositor refresh that began after it."""
        while time.perf_counter() - start < limit:
            later = [t for t in refreshes[-50:] if t > start]
            if later:
                return later[0] - start
            await asyncio.sleep(0.0005)
        return float("nan")

    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.open_article(aid)
            while not (isinstance(app.screen, ArticleScreen) and app.screen.article is not None):
                await asyncio.sleep(0.0005)
            loaded = time.perf_counter() - start
            opened = loaded + await repaint_after(time.perf_counter())
            await pilot.pause()
            body = app.screen.body
            lines = body.wrapped_document.height
            page_down: list[float] = []
            for _ in range(5):
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("pagedown")
                page_down.append(await repaint_after(start))
            word: list[float] = []
            for _ in range(keys):
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("w")
                word.append(await repaint_after(start))
            moved = body.cursor_offset
            await pilot.press("q")
            await pilot.pause()
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
    return {
        "open_s": opened,
        "load_s": loaded,
        "page_down_s": median(page_down),
        "word_ms": word,
        "wrapped_lines": lines,
        "cursor_offset_after": moved,
    }


def bench_long_article(work: Path, words: int, runs: int, keys: int) -> dict[str, Any]:
    from library import Library
    from library.ingest.reading import IngestError, read_inputs

    src = work / "long"
    src.mkdir(exist_ok=True)
    path = src / "long-article.txt"
    path.write_text(long_article(words), encoding="utf-8")
    lib_path = work / "lib-long"
    if lib_path.exists():
        shutil.rmtree(lib_path)
    opens, loads, pages, word_all, info = [], [], [], [], {}
    with Library.open(lib_path) as lib:
        items = [i for i in read_inputs([str(path)]) if not isinstance(i, IngestError)]
        lib.add_articles(items)
        aid = lib.ids()[0]
        body_words = len(lib.article(aid).body.split())
        for _ in range(runs):
            lib._raw_cache.clear()  # noqa: SLF001 - every run opens it from disk
            out = asyncio.run(_long_article_session(lib, aid, keys))
            opens.append(out["open_s"])
            loads.append(out["load_s"])
            pages.append(out["page_down_s"])
            word_all.extend(w for w in out["word_ms"])
            info = out
    return {
        "words": body_words,
        "wrapped_lines": info.get("wrapped_lines"),
        "open_s": median(opens),
        "load_s": median(loads),
        "page_down_s": median(pages),
        "word_p50_ms": percentile(word_all, 50) * 1000,
        "word_p95_ms": percentile(word_all, 95) * 1000,
        "keystrokes": len(word_all),
    }


# --- the run -------------------------------------------------------------------------------------------


PARTS = ("import", "highlight", "screen", "search", "long")


def run(args: argparse.Namespace) -> Results:
    res = Results(machine=machine_info())
    sizes: list[int] = args.sizes
    small, big = min(sizes), (REFERENCE_N if REFERENCE_N in sizes else max(sizes))
    parts = args.only or PARTS
    res.settings = {
        "sizes": sizes,
        "runs": args.runs,
        "small": small,
        "reference": big,
        "long_words": args.long_words,
        "parts": list(parts),
    }
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        res.machine["fsync_ms_before"] = fsync_probe(work)
        if "import" in parts or not all((work / f"lib-{n}").exists() for n in sizes):
            libraries = bench_import(work, sizes, args.runs, res)
        else:
            libraries = {n: work / f"lib-{n}" for n in sizes}

        if "highlight" in parts:
            log("highlights")
            pair = bench_highlights([libraries[small], libraries[big]], args.repeats, args.runs)
            res.metrics["highlight"] = {str(small): pair[0], str(big): pair[1]}

        if "screen" in parts:
            log("first screen")
            fs: dict[str, Any] = {}
            samples: dict[int, list[dict[str, float]]] = {small: [], big: []}
            # Taking turns, so noise falls on both sides of the ratio; three pairs per run, since a
            # start-up is short (a third of a second) and single starts vary by tens of percent.
            for _ in range(3 * args.runs):
                for n in (small, big):
                    samples[n].append(first_screen(libraries[n]))
            for n in (small, big):
                fs[str(n)] = {
                    "seconds": median([s["seconds"] for s in samples[n]]),
                    "rows": samples[n][0]["rows"],
                }
            fs["ratio"] = median(
                [b["seconds"] / a["seconds"] for a, b in zip(samples[small], samples[big], strict=True)]
            )
            res.metrics["first_screen"] = fs
            in_app = [
                first_screen(libraries[big], search=SEARCH_WORD, delay=args.delay) for _ in range(args.runs)
            ]
            res.metrics["memory"] = {
                "n": big,
                "rss_at_screen_mb": max(s["rss_mb"] for s in in_app),
                "rss_after_search_mb": max(s.get("rss_after_search_mb", s["rss_mb"]) for s in in_app),
            }
            res.metrics["in_app_search"] = {
                "n": big,
                "delay_s": args.delay,
                "first_search_s": median([s["in_app_search_s"] for s in in_app]),
            }

        if "search" in parts:
            log("search")
            res.metrics["search"] = {
                "n": big,
                **bench_search(libraries[big], work / f"src-{big}", args.runs),
            }
            if "in_app_search" in res.metrics:
                first = res.metrics["in_app_search"]["first_search_s"]
                res.metrics["search"]["in_app_first_s"] = first
                res.metrics["search"]["in_app_first_ratio"] = first / res.metrics["search"]["grep_s"]

        if "long" in parts:
            log("long article")
            res.metrics["long_article"] = bench_long_article(work, args.long_words, args.runs, args.keys)
        res.machine["fsync_ms_after"] = fsync_probe(work)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    res.targets = targets(res)
    return res


def targets(res: Results) -> list[Target]:
    m = res.metrics
    small, big = str(res.settings["small"]), str(res.settings["reference"])
    out = []
    if "highlight" in m:
        save_small, save_big = m["highlight"][small]["save"], m["highlight"][big]["save"]
        ratio = save_big["p95_ms"] / save_small["p95_ms"]
        out.append(Target(f"save highlight p95 N={big} / N={small}", ratio, 1.5, "x"))
        out.append(Target(f"save highlight p95 at N={big}", save_big["p95_ms"], 20, "ms"))
    if "import" in m:
        # At the reference size: at N=10 the floor is a millisecond and fixed costs dominate.
        ratio = m["import"][big]["ratio_to_floor"]
        out.append(Target(f"import time / floor at N={big}", ratio, 3, "x"))
    if "first_screen" in m:
        out.append(Target(f"first screen N={big} / N={small}", m["first_screen"]["ratio"], 1.5, "x"))
    if "search" in m:
        if "in_app_first_ratio" in m["search"]:
            delay = m["in_app_search"]["delay_s"]
            name = f"search / grep -ril, first search in the app ({delay:g} s in)"
            out.append(Target(name, m["search"]["in_app_first_ratio"], 2, "x"))
        out.append(Target("search / grep -ril, later searches (warm)", m["search"]["warm_ratio"], 2, "x"))
    if "long_article" in m:
        la = m["long_article"]
        out.append(Target(f"{la['words']}-word article opens", la["open_s"] * 1000, 300, "ms"))
        out.append(Target("keystroke (one word) to repaint p95", la["word_p95_ms"], 16, "ms"))
    if "memory" in m:
        rss = m["memory"]["rss_after_search_mb"]
        out.append(Target(f"peak RSS with {big} articles open", rss, 300, "MB"))
    return out


def render_table(res: Results) -> str:
    m = res.metrics
    mach = res.machine
    lines = [
        f"machine: {mach['nproc']} CPUs, {mach['cpu'] or 'unknown CPU'}, Python {mach['python']}; "
        f"fsync of 1 KB: {mach.get('fsync_ms_before', 0):.2f} ms before, {mach.get('fsync_ms_after', 0):.2f} ms after",
        f"medians of {res.settings['runs']} runs; sizes {', '.join(map(str, res.settings['sizes']))}",
    ]
    if "import" in m:
        lines += [
            "",
            f"{'import':<12}{'N':>8}{'articles/s':>12}{'seconds':>10}{'floor art/s':>13}{'ratio':>8}"
            f"{'then cleaning':>16}",
        ]
        for n, v in m["import"].items():
            clean = f"{v['clean_seconds']:.2f} s" if "clean_seconds" in v else ""
            lines.append(
                f"{'':<12}{n:>8}{v['articles_per_s']:>12.0f}{v['seconds']:>10.2f}"
                f"{v['floor_articles_per_s']:>13.0f}{v['ratio_to_floor']:>7.1f}x{clean:>16}"
            )
    if "highlight" in m:
        ops = ("save", "retag", "delete")
        lines += [
            "",
            f"{'highlight':<12}{'N':>8}{'save p50/p95 ms':>18}{'retag p50/p95':>16}{'delete p50/p95':>16}",
        ]
        for n, by_op in m["highlight"].items():
            cells = [f"{by_op[o]['p50_ms']:.2f}/{by_op[o]['p95_ms']:.2f}" for o in ops]
            lines.append(f"{'':<12}{n:>8}{cells[0]:>18}{cells[1]:>16}{cells[2]:>16}")
        ns = list(m["highlight"])
        if len(ns) == 2:
            ratios = [m["highlight"][ns[1]][o]["p95_ms"] / m["highlight"][ns[0]][o]["p95_ms"] for o in ops]
            lines.append(f"{'':<12}{'p95 ratio':>8}{ratios[0]:>17.2f}x{ratios[1]:>15.2f}x{ratios[2]:>15.2f}x")
    lines.append("")
    if "first_screen" in m:
        fs = m["first_screen"]
        sizes = [k for k in fs if k != "ratio"]
        lines.append(
            "first screen: "
            + ", ".join(f"N={n} {fs[n]['seconds'] * 1000:.0f} ms ({fs[n]['rows']} rows)" for n in sizes)
            + f"; ratio {fs['ratio']:.2f}x"
        )
    if "search" in m:
        s = m["search"]
        lines.append(
            f"search '{s['word']}' N={s['n']}: first search (cold index) {s['cold_s'] * 1000:.0f} ms, "
            f"later (warm) {s['warm_s'] * 1000:.1f} ms; grep -ril {s['grep_s'] * 1000:.0f} ms; "
            f"ratios {s['cold_ratio']:.2f}x / {s['warm_ratio']:.2f}x ({s['found']} articles; grep {s['grep_found']})"
        )
        if "in_app_first_s" in s:
            lines.append(
                f"  in the app (index built in the background from the first screen on): the first search, "
                f"{m['in_app_search']['delay_s']:g} s after the first screen, {s['in_app_first_s'] * 1000:.0f} ms "
                f"({s['in_app_first_ratio']:.2f}x grep)"
            )
    if "long_article" in m:
        la = m["long_article"]
        lines.append(
            f"long article, {la['words']} words ({la['wrapped_lines']} wrapped lines): open "
            f"{la['open_s'] * 1000:.0f} ms (read+parse+load {la['load_s'] * 1000:.0f} ms), page down "
            f"{la['page_down_s'] * 1000:.1f} ms, word key to repaint p50 {la['word_p50_ms']:.1f} / "
            f"p95 {la['word_p95_ms']:.1f} ms ({la['keystrokes']} keys)"
        )
    if "memory" in m:
        mem = m["memory"]
        lines.append(
            f"peak RSS N={mem['n']}: {mem['rss_at_screen_mb']:.0f} MB at the first screen, "
            f"{mem['rss_after_search_mb']:.0f} MB with the search index built"
        )
    lines += ["", f"{'target':<50}{'value':>12}{'limit':>10}  result"]
    for t in res.targets:
        op = ">=" if t.higher_is_better else "<="
        lines.append(
            f"{t.name:<50}{t.value:>10.2f}{t.unit:<2}{op:>4}{t.limit:>5g}{t.unit:<2}  "
            f"{'PASS' if t.passed else 'MISS'}"
        )
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=None)
    p.add_argument("--full", action="store_true", help="add N = 50,000")
    p.add_argument("--runs", type=int, default=3, help="runs per figure; medians are reported")
    p.add_argument("--quick", action="store_true", help="a ~1 minute smoke run: small N, one run")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")
    p.add_argument("--long-words", type=int, default=100_000, help="words in the long article")
    p.add_argument("--repeats", type=int, default=40, help="highlight operations per run")
    p.add_argument("--keys", type=int, default=60, help="word keystrokes per run")
    p.add_argument(
        "--delay",
        type=float,
        default=1.0,
        help="seconds from the first screen to the first search in the app",
    )
    p.add_argument("--workdir", help="keep corpora and libraries here (reused between runs)")
    p.add_argument("--keep", action="store_true", help="do not delete the temporary work directory")
    p.add_argument(
        "--only",
        type=lambda s: [x for x in s.split(",") if x],
        default=None,
        help=f"run only these parts (comma-separated: {', '.join(PARTS)}); for development",
    )
    args = p.parse_args(argv)
    if args.quick:
        args.sizes = args.sizes or [10, 200]
        args.runs = 1
        args.long_words = min(args.long_words, 20_000)
        args.repeats = min(args.repeats, 10)
        args.keys = min(args.keys, 15)
    if args.sizes is None:
        args.sizes = list(DEFAULT_SIZES) + ([50_000] if args.full else [])
    elif args.full and 50_000 not in args.sizes:
        args.sizes.append(50_000)
    args.sizes = sorted(set(args.sizes))
    return args


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = parse_args(argv)
    res = run(args)
    if args.json:
        payload = {
            "machine": res.machine,
            "settings": res.settings,
            "metrics": res.metrics,
            "targets": [
                {"name": t.name, "value": t.value, "limit": t.limit, "unit": t.unit, "pass": t.passed}
                for t in res.targets
            ],
        }
        out(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode())
    else:
        out(render_table(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
