"""Performance benchmark: builds libraries of N synthetic articles and measures every target of
issues 5 and 17 in one run, side by side, with the machine's load beside each figure.

Usage (from the repository root):

    .venv/bin/python -m bench.run              # N = 10, 1,000, 10,000 and 100,000: about 15 min
    .venv/bin/python -m bench.run --huge       # adds 1,000,000 JSONL records (an hour or more)
    .venv/bin/python -m bench.run --json       # every figure as JSON
    .venv/bin/python -m bench.run --markdown   # the targets as a Markdown table (the README's)
    .venv/bin/python -m bench.run --quick      # a smoke run (small N, one run)
    .venv/bin/python -m bench.run --sizes 10,2000 --runs 5 --linear-n 0 --only e2e,cli

The peer (`trafilatura.extract`) is in the `bench` extra: `pip install -e '.[bench]'`; without
it that target says "peer not installed". The data-set-scale parts (e2e, linear, cli, scale,
heavy, huge) run the project's own commands as child processes; `bench/scale.py` describes
them, `bench/measure.py` how a figure is taken (rounds alternated until their spread is within
`--tolerance`, load marking), `bench/targets.py` the targets. The older parts below are medians
over `--runs` runs in this one process; ratios compare figures measured side by side in the
same run (the machines are shared and noisy). Methods:

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
- long article: one article of 100,000 words, in the real app (`bench/long_article.py`).
- memory: peak RSS of the first-screen child at N=10,000 once the search index is built
  (`VmHWM`; not `ru_maxrss`, which Linux carries across exec from the benchmark itself).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from bench import measure, scale
from bench.inprocess import (
    bench_highlights,
    bench_import,
    bench_screen,
    bench_search,
    fsync_probe,
    log,
    machine_info,
)
from bench.long_article import bench_long_article
from bench.report import render_table
from bench.targets import Results, Target, render_markdown, targets

__all__ = ["Results", "Target", "main", "render_markdown", "render_table", "targets"]

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = [10, 1_000, 10_000]
REFERENCE_N = 10_000


# --- the run -------------------------------------------------------------------------------------------


PARTS = ("import", "highlight", "screen", "search", "long", "e2e", "linear", "cli", "scale", "heavy")


def commit() -> str:
    """The commit measured, with `+changes` when the work tree differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True
        )
    except OSError:
        return "unknown"
    return (
        head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
        if head.returncode == 0
        else "unknown"
    )


def run(args: argparse.Namespace) -> Results:
    with measure.bytecode_cached([ROOT / "library", ROOT / "reader", ROOT / "bench"]):
        return _run(args)


def _run(args: argparse.Namespace) -> Results:
    started = time.perf_counter()
    res = Results(machine={**machine_info(), "commit": commit(), "load_start": measure.load()})
    sizes: list[int] = args.sizes
    small, big = min(sizes), (REFERENCE_N if REFERENCE_N in sizes else max(sizes))
    parts = args.only or PARTS
    rounds = (args.min_rounds, args.max_rounds)
    res.settings = {
        "sizes": sizes,
        "runs": args.runs,
        "small": small,
        "reference": big,
        "long_words": args.long_words,
        "parts": list(parts),
        "rounds": list(rounds),
        "tolerance": args.tolerance,
        "linear_n": args.linear_n,
        "huge_n": args.huge_n if args.huge else None,
    }
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    work.mkdir(parents=True, exist_ok=True)

    def part(name: str) -> measure.Watch:
        log(name)
        return measure.Watch()

    try:
        res.machine["fsync_ms_before"] = fsync_probe(work)
        with measure.Watch() as watch:
            if "import" in parts or not all((work / f"lib-{n}").exists() for n in sizes):
                libraries = bench_import(work, sizes, args.runs, res)
            else:
                libraries = {n: work / f"lib-{n}" for n in sizes}
        res.loads["import"] = watch.window.as_dict()

        if "highlight" in parts:
            with part("highlight") as watch:
                pair = bench_highlights([libraries[small], libraries[big]], args.repeats, args.runs)
                res.metrics["highlight"] = {str(small): pair[0], str(big): pair[1]}
            res.loads["highlight"] = watch.window.as_dict()

        if "screen" in parts:
            with part("screen") as watch:
                bench_screen(libraries, small, big, args, res)
            res.loads["screen"] = watch.window.as_dict()

        if "search" in parts:
            with part("search") as watch:
                res.metrics["search"] = {
                    "n": big,
                    **bench_search(libraries[big], work / f"src-{big}", args.runs),
                }
                if "in_app_search" in res.metrics:
                    first = res.metrics["in_app_search"]["first_search_s"]
                    res.metrics["search"]["in_app_first_s"] = first
                    res.metrics["search"]["in_app_first_ratio"] = first / res.metrics["search"]["grep_s"]
            res.loads["search"] = watch.window.as_dict()

        if "long" in parts:
            with part("long") as watch:
                res.metrics["long_article"] = bench_long_article(work, args.long_words, args.runs, args.keys)
            res.loads["long"] = watch.window.as_dict()

        run_scale(work, parts, sizes, big, rounds, args, res)
        res.machine["fsync_ms_after"] = fsync_probe(work)
    finally:
        if not args.keep and not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    res.machine["load_end"] = measure.load()
    res.settings["took_s"] = time.perf_counter() - started
    res.targets = targets(res)
    return res


def run_scale(
    work: Path,
    parts: Any,
    sizes: list[int],
    big: int,
    rounds: tuple[int, int],
    args: argparse.Namespace,
    res: Results,
) -> None:
    """The data-set-scale parts, each through the project's commands in child processes."""
    tol, m = args.tolerance, res.metrics
    if any(p in parts for p in ("e2e", "linear", "cli", "scale")):
        log(f"reader import end to end, N={big}")
        m["end_to_end"] = scale.end_to_end(work, big, rounds=rounds, tolerance=tol)
    if "linear" in parts:
        log("linear: bytes at every size" + (f", time at N={args.linear_n}" if args.linear_n else ""))
        m["linear"] = scale.linear(work, sizes, args.linear_n, m["end_to_end"], args.linear_timeout)
    if "cli" in parts:
        log(f"reader list against list --json, N={big}")
        m["cli_list"] = {
            "n": big,
            **scale.cli_list(Path(m["end_to_end"]["library"]), rounds=rounds, tolerance=tol),
        }
        log("reader --help")
        m["cli_help"] = scale.cli_help(rounds=rounds, tolerance=tol)
    if "scale" in parts and not args.huge:
        lin = m.get("linear", {})
        n, lib = (
            (lin["large_n"], Path(lin["library"]))
            if lin.get("library")
            else (big, Path(m["end_to_end"]["library"]))
        )
        small_lib = work / "e2e-10"
        if not small_lib.exists():
            scale.import_cost(scale.ensure_corpus(work, 10), small_lib)
        m["at_scale"] = scale.at_scale(
            small_lib, lib, n, work / f"src-{n}", rounds=rounds, tolerance=tol, runs=args.runs
        )
    if "heavy" in parts:
        log("article with 5,000 highlights")
        m["heavy"] = scale.heavy(args.heavy_runs)
    if args.huge:
        m["huge"] = scale.huge(
            work, args.huge_n, args.huge_timeout, rounds=rounds, tolerance=tol, runs=args.runs
        )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x], default=None)
    p.add_argument("--full", action="store_true", help="add N = 50,000")
    p.add_argument("--runs", type=int, default=3, help="runs per figure; medians are reported")
    p.add_argument("--quick", action="store_true", help="a smoke run: small N, one run")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print JSON with every figure instead of a table")
    out.add_argument("--markdown", action="store_true", help="print the targets as a Markdown table")
    p.add_argument("--long-words", type=int, default=100_000, help="words in the long article")
    p.add_argument("--repeats", type=int, default=40, help="highlight operations per run")
    p.add_argument("--keys", type=int, default=60, help="word keystrokes per run")
    p.add_argument(
        "--delay",
        type=float,
        default=1.0,
        help="seconds from the first screen to the first search in the app",
    )
    p.add_argument("--min-rounds", type=int, default=3, help="alternated rounds at least (A B, B A, ...)")
    p.add_argument("--max-rounds", type=int, default=5, help="alternated rounds at most, when not stable")
    p.add_argument(
        "--tolerance", type=float, default=0.10, help="stable: relative MAD of every figure within this"
    )
    p.add_argument(
        "--linear-n", type=int, default=100_000, help="the large import of the linear target (0: skip)"
    )
    p.add_argument("--linear-timeout", type=float, default=480, help="seconds the large import may take")
    p.add_argument("--huge", action="store_true", help="add the 1,000,000-record JSONL data set (long)")
    p.add_argument("--huge-n", type=int, default=1_000_000, help="records in the --huge data set")
    p.add_argument("--huge-timeout", type=float, default=3600, help="seconds the --huge import may take")
    p.add_argument("--heavy-runs", type=int, default=3, help="runs of bench.heavy_article")
    p.add_argument(
        "--from",
        dest="from_json",
        type=Path,
        help="measure nothing: print the table (or --markdown) of a run saved with --json",
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
        args.min_rounds, args.max_rounds = 2, 2
        args.linear_n = min(args.linear_n, 3 * max(args.sizes))
        args.heavy_runs = 1
    if args.sizes is None:
        args.sizes = list(DEFAULT_SIZES) + ([50_000] if args.full else [])
    elif args.full and 50_000 not in args.sizes:
        args.sizes.append(50_000)
    args.sizes = sorted(set(args.sizes))
    args.max_rounds = max(args.max_rounds, args.min_rounds)
    return args


def payload(res: Results) -> dict[str, Any]:
    return {
        "machine": res.machine,
        "settings": res.settings,
        "loads": res.loads,
        "metrics": res.metrics,
        "targets": [t.as_dict() for t in res.targets],
    }


def load_results(path: Path) -> Results:
    """A run saved with --json, its targets evaluated again from its figures."""
    data = orjson.loads(path.read_bytes())
    res = Results(
        machine=data["machine"],
        settings=data["settings"],
        metrics=data["metrics"],
        loads=data.get("loads", {}),
    )
    res.targets = targets(res)
    return res


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    args = parse_args(argv)
    res = load_results(args.from_json) if args.from_json else run(args)
    if args.json:
        out(orjson.dumps(payload(res), option=orjson.OPT_INDENT_2).decode())
    elif args.markdown:
        out(render_markdown(res))
    else:
        out(render_table(res))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
