"""The benchmark's in-process parts (the first performance work's): the store step of an import
against its floor, then cleaning; highlights at two library sizes; the first screen in turns;
search against grep. Their methods are described in `bench/run.py`'s docstring.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import write_corpus
from bench.first_screen import launch
from bench.scale import floor as measure_floor
from bench.scale import source_files
from bench.targets import Results

SEARCH_WORD = "pipeline"


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


def bench_screen(
    libraries: dict[int, Path], small: int, big: int, args: argparse.Namespace, res: Results
) -> None:
    fs: dict[str, Any] = {}
    samples: dict[int, list[dict[str, float]]] = {small: [], big: []}
    # Taking turns, so noise falls on both sides of the ratio; three pairs per run, since a
    # start-up is short (a third of a second) and single starts vary by tens of percent.
    for _ in range(3 * args.runs):
        for n in (small, big):
            samples[n].append(launch(libraries[n]))
    for n in (small, big):
        fs[str(n)] = {"seconds": median([s["seconds"] for s in samples[n]]), "rows": samples[n][0]["rows"]}
    fs["ratio"] = median(
        [b["seconds"] / a["seconds"] for a, b in zip(samples[small], samples[big], strict=True)]
    )
    res.metrics["first_screen"] = fs
    in_app = [launch(libraries[big], search=SEARCH_WORD, delay=args.delay) for _ in range(args.runs)]
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
