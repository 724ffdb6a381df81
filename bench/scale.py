"""The data-set-scale figures: what a user waits for through the project's own commands, run as
child processes (`reader import`, `reader list`, `reader annotate`, `reader show`, `reader --help`,
the headless app), so they measure whatever the code is, before and after a change to it.

- end to end: `reader import` of N files (store and clean; the command returns after both) against
  the floor (read the files, write one orjson file of their texts, fsynced) and the peer
  (`trafilatura.extract` on the same files, `bench.peer`), alternated round by round until stable.
- linear: one `reader import` of the large size (default 100,000 files) against the median of the
  end-to-end runs; bytes sent to storage (`write_bytes` of the child and its workers) against the
  source bytes at every size, with the library's disk usage after.
- CLI: `reader list` against `reader list --json`, both to a pseudo-terminal of 120x40;
  `reader --help` (with `python -c pass`, the interpreter's own start, beside it).
- at scale: `reader annotate` and `reader show` on the largest library against a library of 10
  articles, alternated; the app's first screen and a tag filter there (`bench.first_screen`);
  full-text search (warm: the second `Library.search` in one process) against grep over the
  same texts.
- huge (`--huge`): a JSONL data set of 1,000,000 records imported in one `reader import`, its peak
  resident set (sampled sum over the process tree) and bytes written; then the at-scale figures
  on that library against a 10-record library from the same generator.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import measure, peer
from bench.corpus import write_corpus, write_jsonl

ROOT = Path(__file__).resolve().parent.parent
TAG = "benchtag"


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def reader_cmd() -> list[str]:
    """The `reader` a user runs (the console script beside this interpreter), else `-m`."""
    script = Path(sys.executable).parent / "reader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "120", "LINES": "40"}


def reader(args: list[str], timeout: float | None = 600) -> measure.ChildRun:
    run = measure.run_child(reader_cmd() + args, cwd=ROOT, env=child_env(), timeout=timeout)
    if run.returncode is not None and run.returncode != 0:
        raise RuntimeError(f"reader {' '.join(args[:3])} failed ({run.returncode}): {run.stderr[-1500:]}")
    return run


def ensure_corpus(work: Path, n: int) -> Path:
    src = work / f"src-{n}"
    if not src.exists():
        log(f"writing a corpus of {n} articles")
        write_corpus(src, n)
    return src


def source_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def floor(paths: list[Path], out: Path) -> float:
    """Read the files and write one orjson file of their texts, fsynced: the least an import does."""
    import orjson

    start = time.perf_counter()
    texts = [p.read_text(encoding="utf-8") for p in paths]
    with open(out, "wb") as handle:
        handle.write(orjson.dumps(texts))
        handle.flush()
        os.fsync(handle.fileno())
    took = time.perf_counter() - start
    out.unlink()
    return took


def import_cost(src: Path, lib: Path, timeout: float | None = 600) -> dict[str, Any]:
    """One `reader import` into a fresh library: seconds, bytes, peak RSS, disk after."""
    if lib.exists():
        shutil.rmtree(lib)
    run = reader(["--db", str(lib), "import", "--quiet", str(src)], timeout=timeout)
    source = measure.tree_bytes(src)
    out: dict[str, Any] = {
        "seconds": run.seconds,
        "finished": run.ok,
        "write_bytes": run.write_bytes,
        "wchar": run.wchar,
        "source_bytes": source,
        "written_per_source": run.write_bytes / source if source else float("nan"),
        "peak_rss_mb": run.peak_tree_rss_mb,
    }
    if run.ok:
        usage = measure.disk_usage(lib)
        out["library_disk_bytes"] = usage
        out["disk_per_source"] = usage / source if source else float("nan")
    else:
        out["timeout_s"] = timeout
    return out


def end_to_end(work: Path, n: int, *, rounds: tuple[int, int], tolerance: float) -> dict[str, Any]:
    """`reader import` of n files against the floor and the peer, alternated until stable."""
    src = ensure_corpus(work, n)
    paths = source_files(src)
    for path in paths:  # every side then reads from the page cache, as a user's re-import would
        path.read_bytes()
    listing = work / f"files-{n}.txt"
    listing.write_text("\n".join(map(str, paths)), encoding="utf-8")
    lib = work / f"e2e-{n}"
    costs: list[dict[str, Any]] = []
    extracted: list[str] = []

    def do_import() -> float:
        cost = import_cost(src, lib)
        costs.append(cost)
        return float(cost["seconds"])

    def do_peer() -> float:
        run = measure.run_child([sys.executable, "-m", "bench.peer", str(listing)], cwd=ROOT, env=child_env())
        if not run.ok:
            raise RuntimeError(f"peer failed: {run.stderr[-1500:]}")
        extracted[:] = run.stdout.split()[-1:]  # `DONE <files> <extracted>`
        return run.seconds

    alternatives = {"floor": lambda: floor(paths, work / "floor.json"), "import": do_import}
    ratios = [("import", "floor")]
    if peer.available():
        alternatives["peer"] = do_peer
        ratios.append(("import", "peer"))
    result = measure.alternate(
        alternatives,
        min_rounds=rounds[0],
        max_rounds=rounds[1],
        tolerance=tolerance,
        ratios=ratios,
        on_sample=lambda name, r, v: log(f"end to end N={n} round {r}: {name} {v:.2f} s"),
    )
    out: dict[str, Any] = {
        "n": n,
        **result.as_dict(),
        "ratio_to_floor": result.ratio("import", "floor"),
        "ratio_to_floor_spread": result.ratio_spread("import", "floor"),
        "bytes": costs[-1],
        "peer_name": "trafilatura.extract" if peer.available() else "peer not installed",
        "library": str(lib),
    }
    if peer.available():
        out["peer_extracted"] = int(extracted[0]) if extracted and extracted[0].isdigit() else None
        out["ratio_to_peer"] = result.ratio("import", "peer")
        out["ratio_to_peer_spread"] = result.ratio_spread("import", "peer")
    return out


SMALL_BYTES_N = 1000  # up to this size, the bytes written are the median of a few imports:
SMALL_BYTES_RUNS = 5  # the kernel's write_bytes of one small import varies by a few pages (the
# same files written, per strace: 2.99x to 3.8x the source at N=10), a page being 5% of it there


def _median_bytes(first: dict[str, Any], more: list[dict[str, Any]]) -> dict[str, Any]:
    """`first` with the median write_bytes of it and `more` (each run's beside it)."""
    runs = [first, *more]
    written = [r["write_bytes"] for r in runs]
    median = statistics.median(written)
    return {
        **first,
        "write_bytes": median,
        "written_per_source": median / first["source_bytes"] if first["source_bytes"] else float("nan"),
        "write_bytes_runs": written,
    }


def linear(
    work: Path, sizes: list[int], large: int, reference: dict[str, Any], timeout: float
) -> dict[str, Any]:
    """Bytes written at every size; the large import's time against the reference's median."""
    out: dict[str, Any] = {"sizes": {}, "reference_n": reference["n"], "large_n": large}
    for n in sorted(set(sizes) | ({large} if large else set())):
        if n == reference["n"]:
            imp = reference["import"]
            windows = [
                {
                    "before": b,
                    "after": a,
                    "under_load": measure.is_under_load(max([x[0] for x in (b, a) if x] or [0])),
                }
                for b, a in zip(imp["load_before"], imp["load_after"], strict=True)
            ]
            out["sizes"][str(n)] = {**reference["bytes"], "load": measure.merge_windows(windows)}
            continue
        src = ensure_corpus(work, n)
        log(f"reader import of {n} files" + (f" (timeout {timeout:.0f} s)" if n == large else ""))
        with measure.Watch() as watch:
            cost = import_cost(src, work / f"e2e-{n}", timeout=timeout if n == large else 600)
            if n <= SMALL_BYTES_N:
                cost = _median_bytes(
                    cost, [import_cost(src, work / f"e2e-{n}") for _ in range(SMALL_BYTES_RUNS - 1)]
                )
        cost["load"] = watch.window.as_dict()
        out["sizes"][str(n)] = cost
        log(f"  {cost['seconds']:.1f} s, {cost['write_bytes'] / 1e6:.0f} MB written")
    if large:
        big = out["sizes"][str(large)]
        ref = reference["import"]["median"]
        out["large_seconds"] = big["seconds"]
        out["large_finished"] = big["finished"]
        out["ratio"] = big["seconds"] / ref  # a lower bound when it did not finish
        out["load"] = big["load"]
        if big["finished"]:
            out["library"] = str(work / f"e2e-{large}")
    return out


def cli_list(lib: Path, *, rounds: tuple[int, int], tolerance: float) -> dict[str, Any]:
    """`reader list` against `reader list --json`, both printing to a 120x40 pseudo-terminal."""
    sizes: dict[str, int] = {}

    def timed(args: list[str], key: str) -> float:
        took, printed = measure.run_in_pty(reader_cmd() + ["--db", str(lib), "list", *args], env=child_env())
        sizes[key] = printed
        return took

    result = measure.alternate(
        {"list": lambda: timed([], "list"), "json": lambda: timed(["--json"], "json")},
        min_rounds=rounds[0],
        max_rounds=rounds[1],
        tolerance=tolerance,
        ratios=[("list", "json")],
    )
    return {
        **result.as_dict(),
        "ratio": result.ratio("list", "json"),
        "bytes_printed": sizes,
    }


def cli_help(*, rounds: tuple[int, int], tolerance: float) -> dict[str, Any]:
    """`reader --help` to a pipe, with the bare interpreter's start beside it."""

    def run(cmd: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(cmd, cwd=ROOT, env=child_env(), capture_output=True, check=True)
        return time.perf_counter() - start

    result = measure.alternate(
        {
            "help": lambda: run(reader_cmd() + ["--help"]),
            "python": lambda: run([sys.executable, "-c", "pass"]),
        },
        min_rounds=max(5, rounds[0]),
        max_rounds=max(15, rounds[1]),
        tolerance=tolerance,
    )
    return result.as_dict()


def pick_article(lib: Path) -> str:
    """An article in the middle of the library, by id."""
    import library

    with library.open_library(lib, read_only=True) as opened:
        ids = opened.ids()
        return ids[len(ids) // 2]


def commands_at(small: Path, big: Path, *, rounds: tuple[int, int], tolerance: float) -> dict[str, Any]:
    """`reader annotate` and `reader show` on `big` against `small`, alternated until stable."""
    ids = {"small": pick_article(small), "big": pick_article(big)}
    libs = {"small": small, "big": big}

    def annotate(which: str) -> float:
        args = ["--db", str(libs[which]), "--annotator", "bench", "annotate", ids[which]]
        return reader([*args, "--start", "0", "--end", "12", "--tag", TAG]).seconds

    def show(which: str) -> float:
        return reader(["--db", str(libs[which]), "show", ids[which]]).seconds

    result = measure.alternate(
        {
            "annotate_small": lambda: annotate("small"),
            "annotate_big": lambda: annotate("big"),
            "show_small": lambda: show("small"),
            "show_big": lambda: show("big"),
        },
        min_rounds=rounds[0],
        max_rounds=rounds[1],
        tolerance=tolerance,
        ratios=[("annotate_big", "annotate_small"), ("show_big", "show_small")],
    )
    return {
        **result.as_dict(),
        "annotate_ratio": result.ratio("annotate_big", "annotate_small"),
        "show_ratio": result.ratio("show_big", "show_small"),
    }


def app_at(lib: Path, runs: int, timeout: float) -> dict[str, Any]:
    """The app's first screen and a tag filter on `lib` (its annotated articles carry TAG)."""
    from bench.first_screen import launch

    samples = []
    for _ in range(runs):
        with measure.Watch() as watch:
            sample = launch(lib, tag_filter=TAG, timeout=timeout)
        sample["load"] = watch.window.as_dict()
        samples.append(sample)
    return {
        "first_screen_s": measure.median([s["seconds"] for s in samples]),
        "tag_filter_s": measure.median([s["filter_s"] for s in samples]),
        "rows": samples[0]["rows"],
        "filtered_rows": samples[0]["filtered_rows"],
        "rss_mb": max(s["rss_mb"] for s in samples),
        "runs": runs,
        "under_load": any(s["load"]["under_load"] for s in samples),
        "load": measure.merge_windows([s["load"] for s in samples]),
    }


def search_at(lib: Path, texts: Path, word: str, runs: int) -> dict[str, Any]:
    """Warm full-text search (`Library.search` again in the process that built the index) against
    grep -i over the same texts (the folder of files, or the JSONL file), page cache warm, taking
    turns."""
    import library

    grep = ["grep", "-ril", word, str(texts)] if texts.is_dir() else ["grep", "-ic", word, str(texts)]
    subprocess.run(grep, capture_output=True, check=False)
    warm, greps = [], []
    with measure.Watch() as watch, library.open_library(lib, read_only=True) as opened:
        t = time.perf_counter()
        found = len(opened.search(word))  # builds the index (cold), once: it is not a target
        cold = [time.perf_counter() - t]
        for _ in range(runs):
            t = time.perf_counter()
            opened.search(word)
            warm.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run(grep, capture_output=True, check=False)
            greps.append(time.perf_counter() - t)
    return {
        "word": word,
        "cold_s": measure.median(cold),
        "warm_s": measure.median(warm),
        "grep_s": measure.median(greps),
        "warm_ratio": measure.median([w / g for w, g in zip(warm, greps, strict=True)]),
        "found": found,
        "load": watch.window.as_dict(),
        "under_load": watch.window.under_load,
    }


def at_scale(
    small: Path, big: Path, n: int, texts: Path, *, rounds: tuple[int, int], tolerance: float, runs: int
) -> dict[str, Any]:
    """Every at-scale figure on the library `big` of n articles, against `small` (10 articles)."""
    log(f"annotate and show at N={n} against N=10")
    out: dict[str, Any] = {"n": n, "commands": commands_at(small, big, rounds=rounds, tolerance=tolerance)}
    log(f"app first screen and tag filter at N={n}")
    out["app"] = app_at(big, runs, timeout=max(120.0, n / 1000))
    log(f"search at N={n}")
    out["search"] = search_at(big, texts, "pipeline", runs)
    return out


def huge(
    work: Path, n: int, timeout: float, *, rounds: tuple[int, int], tolerance: float, runs: int
) -> dict[str, Any]:
    """A JSONL data set of n records imported and cleaned in one `reader import`, then every
    at-scale figure on it."""
    data = work / f"records-{n}.jsonl"
    if not data.exists():
        log(f"writing a JSONL data set of {n} records")
        write_jsonl(data, n, paragraphs=1)
    small_data = work / "records-10.jsonl"
    write_jsonl(small_data, 10, paragraphs=1)
    started = time.perf_counter()
    log(f"reader import of {n} records (timeout {timeout:.0f} s)")
    with measure.Watch() as watch:
        cost = import_cost(data, work / f"huge-{n}", timeout=timeout)
    cost["load"] = watch.window.as_dict()
    out: dict[str, Any] = {"n": n, "data_bytes": data.stat().st_size, "import": cost}
    if cost["finished"]:
        small = work / "huge-10"
        import_cost(small_data, small)
        out["at_scale"] = at_scale(
            small, work / f"huge-{n}", n, data, rounds=rounds, tolerance=tolerance, runs=runs
        )
    out["took_s"] = time.perf_counter() - started
    return out


def heavy(runs: int, timeout: float = 900) -> dict[str, Any]:
    """The article with 5,000 highlights, by `bench.heavy_article` where the tree has it."""
    if not (ROOT / "bench" / "heavy_article.py").exists():
        return {"absent": "bench/heavy_article.py is not in this tree"}
    with measure.Watch() as watch:
        run = measure.run_child(
            [sys.executable, "-m", "bench.heavy_article", "--json", "--runs", str(runs)],
            cwd=ROOT,
            env=child_env(),
            timeout=timeout,
        )
    if not run.ok:
        return {"absent": f"bench.heavy_article failed ({run.returncode}): {run.stderr[-300:]}"}
    import json

    data = json.loads(run.stdout[run.stdout.index("{") :])
    mine = data.get(str(ROOT)) or next(v for v in data.values() if isinstance(v, dict) and "add" in v)
    return {
        "add_p95_ms": mine["add"]["p95_ms"],
        "add_p50_ms": mine["add"]["p50_ms"],
        "open_ms": mine["open_ms"],
        "detail": mine,
        "load": watch.window.as_dict(),
        "under_load": watch.window.under_load,
    }
