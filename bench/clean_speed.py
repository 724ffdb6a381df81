"""Cleaning alone, in this process: articles per second and CPU per article.

Why: the import's wait is mostly cleaning (pure Python in worker processes), and on a shared
machine a whole import's wall time says little about a change to the cleaner. This writes the
benchmark's seed-format corpus (`bench.corpus.write_corpus`), reads it as the import does
(`read_inputs(..., defer_cleaning=True)`), then cleans every article with the pool's own
function (`library.cleaning.parallel.clean_one`) in this one process, several times, and
prints the best and median rounds: CPU time per article (`time.process_time`, which other
processes' load does not inflate much) and the articles per second it implies.

    .venv/bin/python -m bench.clean_speed                    # 10,000 articles, 3 rounds
    .venv/bin/python -m bench.clean_speed -n 2000 -r 5
    .venv/bin/python -m bench.clean_speed --against ../main  # the other checkout too, rounds alternated

With `--against DIR` the same measurement runs on the checkout at DIR (its `library` package
first on the path) in a child process, round for round with this one, so both figures come
from the same minutes of the machine's load.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def read_articles(folder: Path) -> list[Any]:
    """The corpus as the import reads it, cleaning deferred."""
    from library.ingest.reading import read_inputs
    from library.model import SourceArticle

    return [
        it
        for it in read_inputs([str(folder)], defer_cleaning=True, workers=1)
        if isinstance(it, SourceArticle)
    ]


def one_round(items: list[Any]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to clean every item once."""
    from library.cleaning.parallel import clean_one

    cpu, wall = time.process_time(), time.perf_counter()
    for item in items:
        clean_one(item)
    return time.process_time() - cpu, time.perf_counter() - wall


def _child(folder: Path, rounds: int) -> None:
    """Rounds on request: a line on stdin asks for one, the answer is 'cpu wall'."""
    from library.cleaning.parallel import warm_up

    items = read_articles(folder)
    warm_up()
    print(len(items), flush=True)
    for _ in range(rounds):
        if not sys.stdin.readline():
            return
        cpu, wall = one_round(items)
        print(f"{cpu} {wall}", flush=True)


def _start(checkout: Path, folder: Path, rounds: int) -> subprocess.Popen[str]:
    """This file run as a child whose `library` is the one of `checkout`."""
    env = dict(os.environ, PYTHONPATH=str(checkout.resolve()))
    return subprocess.Popen(
        [sys.executable, __file__, "--child", str(folder), str(rounds)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=str(checkout),
    )


def _ask(proc: subprocess.Popen[str]) -> tuple[float, float]:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()
    cpu, wall = proc.stdout.readline().split()
    return float(cpu), float(wall)


def _summary(name: str, n: int, rounds: list[tuple[float, float]]) -> str:
    cpus = [c for c, _ in rounds]
    walls = [w for _, w in rounds]
    best, med = min(cpus), statistics.median(cpus)
    return (
        f"{name:<10} {n} articles: CPU {best / n * 1e3:.3f} ms an article best, {med / n * 1e3:.3f} median "
        f"= {n / best:,.0f} articles/s; wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.clean_speed", description=__doc__.split("\n")[0])
    parser.add_argument("-n", "--articles", type=int, default=10_000, help="seed-format articles")
    parser.add_argument("-r", "--rounds", type=int, default=3, help="times each article is cleaned")
    parser.add_argument("--against", type=Path, metavar="DIR", help="another checkout, measured alternately")
    args = parser.parse_args(argv)
    from bench.corpus import write_corpus

    with tempfile.TemporaryDirectory(prefix="clean-speed-") as tmp:
        folder = Path(tmp) / "corpus"
        write_corpus(folder, args.articles)
        procs = {"this": _start(REPO, folder, args.rounds)}
        if args.against is not None:
            procs[str(args.against)] = _start(args.against, folder, args.rounds)
        counts = {}
        for name, proc in procs.items():
            assert proc.stdout is not None
            counts[name] = int(proc.stdout.readline())
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in procs}
        for _ in range(args.rounds):
            for name, proc in procs.items():
                results[name].append(_ask(proc))
        for proc in procs.values():
            proc.communicate()
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    for name in procs:
        print(_summary(name, counts[name], results[name]))
    if args.against is not None:
        this, other = (min(c for c, _ in results[k]) / counts[k] for k in procs)
        print(f"CPU an article: {other / this:.2f}x less here than in {args.against} (best rounds)")
    print(f"load average at the end: {load:.1f} ({os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        sys.path.pop(0)  # this file's folder: `library` comes from PYTHONPATH
        _child(Path(sys.argv[2]), int(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main())
