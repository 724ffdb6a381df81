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
        "--linear-n", "20",
        "--only", "import,highlight,screen,search,long,e2e,linear,cli,scale",
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
        "end_to_end",
        "linear",
        "cli_list",
        "cli_help",
        "at_scale",
    }
    assert set(metrics["import"]) == {"3", "12"}
    assert metrics["import"]["12"]["clean_seconds"] > 0  # cleaning is timed apart from the import
    assert metrics["first_screen"]["12"]["rows"] == 12
    assert metrics["search"]["found"] == metrics["search"]["grep_found"] > 0
    assert metrics["long_article"]["keystrokes"] == 3
    names = [t["name"] for t in data["targets"]]
    assert len(names) == 9 + 14  # today's targets, then the data-set-scale ones (no heavy part here)
    peer = next(t for t in data["targets"] if "trafilatura" in t["name"])
    from bench import peer as peer_module

    if peer_module.available():
        assert isinstance(peer["pass"], bool)
    else:
        assert peer["pass"] is None and "peer not installed" in peer["note"]
    huge = [t for t in data["targets"] if "1000000" in t["name"]]
    assert huge and all(t["pass"] is None for t in huge)  # not run without --huge
    others = [t for t in data["targets"] if t not in huge and t is not peer]
    assert [t["name"] for t in others if not isinstance(t["pass"], bool)] == []
    assert all(t["load"] is not None for t in others)  # every figure has the load beside it
    # The at-scale figures ran on the linear step's library, against one of 10 articles.
    assert metrics["at_scale"]["n"] == 20
    assert metrics["at_scale"]["app"]["filtered_rows"] >= 1  # the tag `reader annotate` added
    assert set(metrics["linear"]["sizes"]) == {"3", "12", "20"}
    assert all(c["write_bytes"] > 0 for c in metrics["linear"]["sizes"].values())
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
    assert "import (store step) / floor at N=20" in table
    assert "MISS" in table
