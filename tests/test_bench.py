"""The benchmark script runs end to end and reports every metric and target (no timing asserted)."""

from __future__ import annotations

import sys

import orjson
from conftest import REPO

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench import run as bench_run  # noqa: E402


def test_quick_run_prints_every_metric_and_target(tmp_path) -> None:
    printed: list[str] = []
    argv = [
        "--quick",
        "--sizes", "3,12",
        "--long-words", "3000",
        "--repeats", "3",
        "--keys", "3",
        "--delay", "0.1",
        "--workdir", str(tmp_path),
        "--json",
    ]  # fmt: skip
    assert bench_run.main(argv, out=printed.append) == 0
    data = orjson.loads(printed[0])
    metrics = data["metrics"]
    assert set(metrics) == {
        "import",
        "highlight",
        "first_screen",
        "memory",
        "in_app_search",
        "search",
        "long_article",
    }
    assert set(metrics["import"]) == {"3", "12"}
    assert metrics["import"]["12"]["clean_seconds"] > 0  # cleaning is timed apart from the import
    assert metrics["first_screen"]["12"]["rows"] == 12
    assert metrics["search"]["found"] == metrics["search"]["grep_found"] > 0
    assert metrics["long_article"]["keystrokes"] == 3
    names = [t["name"] for t in data["targets"]]
    assert len(names) == 9
    assert all(isinstance(t["pass"], bool) for t in data["targets"])
    for op in ("save", "retag", "delete"):
        assert metrics["highlight"]["12"][op]["p95_ms"] > 0


def test_table_names_each_target_with_pass_or_miss() -> None:
    res = bench_run.Results(
        machine={"nproc": 2, "cpu": "cpu", "python": "3.11"},
        settings={"sizes": [10, 20], "runs": 1, "small": 10, "reference": 20},
        metrics={"import": {"20": {"articles_per_s": 5, "seconds": 2, "floor_articles_per_s": 500,
                                   "ratio_to_floor": 4.0}}},
    )  # fmt: skip
    res.targets = bench_run.targets(res)
    table = bench_run.render_table(res)
    assert "import time / floor at N=20" in table
    assert "MISS" in table
