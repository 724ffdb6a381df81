"""The benchmark's harness: the repeat-until-stable loop, load marking, target evaluation, the
JSONL generator and the child-process measurements, on tiny sizes (no timing asserted)."""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench import measure, scale  # noqa: E402
from bench.corpus import write_jsonl  # noqa: E402
from bench.targets import Results, Target, render_markdown, render_targets, targets  # noqa: E402


def constant(value: float, calls: list[str], name: str):  # type: ignore[no-untyped-def]
    def call() -> float:
        calls.append(name)
        return value

    return call


def test_alternate_stops_once_stable_and_reverses_the_order_each_round() -> None:
    calls: list[str] = []
    result = measure.alternate(
        {"a": constant(1.0, calls, "a"), "b": constant(2.0, calls, "b")},
        min_rounds=3,
        max_rounds=9,
        ratios=[("b", "a")],
    )
    assert result.stable and result.rounds == 3
    assert calls == ["a", "b", "b", "a", "a", "b"]
    assert result.ratio("b", "a") == 2.0
    assert result.series["a"].samples == [1.0, 1.0, 1.0]


def test_alternate_goes_on_to_the_limit_while_the_spread_is_large() -> None:
    values = iter([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    result = measure.alternate({"noisy": lambda: next(values)}, min_rounds=2, max_rounds=6, tolerance=0.1)
    assert not result.stable and result.rounds == 6
    assert result.as_dict()["noisy"]["runs"] == 6


def test_alternate_settles_when_a_noisy_start_calms_down() -> None:
    values = iter([5.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    result = measure.alternate({"x": lambda: next(values)}, min_rounds=3, max_rounds=8, tolerance=0.1)
    assert result.stable and result.rounds == 3  # median absolute deviation ignores one outlier
    assert result.series["x"].value == 1.0


def test_an_unsteady_ratio_keeps_the_loop_going_when_each_side_is_steady_enough() -> None:
    def sides():  # type: ignore[no-untyped-def]
        a = iter([1.0, 1.09, 0.92, 1.0])
        b = iter([1.0, 0.92, 1.09, 1.0])
        return {"a": lambda: next(a), "b": lambda: next(b)}

    alone = measure.alternate(sides(), min_rounds=2, max_rounds=4, tolerance=0.05)
    assert alone.stable and alone.rounds == 2
    paired = measure.alternate(sides(), min_rounds=2, max_rounds=4, tolerance=0.05, ratios=[("b", "a")])
    assert paired.rounds == 4 and not paired.stable


def test_relative_mad() -> None:
    assert measure.relative_mad([10, 10, 10]) == 0
    assert measure.relative_mad([9, 10, 11]) == pytest.approx(0.1)
    assert measure.relative_mad([1.0]) == float("inf")  # one run says nothing of its spread


def test_load_marking_uses_cores_less_half_a_core() -> None:
    assert not measure.is_under_load(1.4, 2)
    assert measure.is_under_load(1.6, 2)
    assert not measure.is_under_load(None, 2)
    window = measure.LoadWindow(before=[0.2, 0.1, 0.1], after=[9.0, 1.0, 1.0])
    assert window.peak == 9.0
    assert window.under_load == measure.is_under_load(9.0)
    merged = measure.merge_windows([{"before": [0.5], "after": [0.1]}, {"before": [2.0], "after": [0.3]}])
    assert merged["before"] == [2.0] and merged["after"] == [0.3]


def test_each_sample_records_the_load_around_it(monkeypatch: pytest.MonkeyPatch) -> None:
    loads = iter([[0.1, 0, 0], [0.2, 0, 0], [50.0, 0, 0], [60.0, 0, 0]])
    monkeypatch.setattr(measure, "load", lambda: next(loads))
    result = measure.alternate({"quiet": lambda: 1.0, "busy": lambda: 1.0}, min_rounds=1, max_rounds=1)
    assert not result.series["quiet"].under_load
    assert result.series["busy"].under_load
    assert result.under_load
    assert result.as_dict()["busy"]["load_before"] == [[50.0, 0, 0]]


def test_target_pass_miss_and_no_figure() -> None:
    assert Target("t", 2.0, 3, "x").passed is True
    assert Target("t", 4.0, 3, "x").passed is False
    assert Target("t", 4.0, 3, "x", higher_is_better=True).passed is True
    missing = Target("t", None, 3, "x", note="peer not installed")
    assert missing.passed is None and missing.result == "n/a"
    assert Target("t", float("nan"), 3, "x").passed is None


def alt(name: str, samples: list[float], load1: float = 0.1) -> dict:  # type: ignore[type-arg]
    return {
        "median": sorted(samples)[len(samples) // 2],
        "samples": samples,
        "spread": 0.0,
        "load_before": [[load1, 0, 0]] * len(samples),
        "load_after": [[load1, 0, 0]] * len(samples),
        "under_load": measure.is_under_load(load1, 2),
    }


def scale_results() -> Results:
    cost = {"seconds": 12.0, "finished": True, "write_bytes": 400, "source_bytes": 100, "written_per_source": 4.0,
            "peak_rss_mb": 90.0, "load": {"before": [0.3], "after": [0.2], "under_load": False}}  # fmt: skip
    e2e = {"n": 20, "rounds": 3, "stable": True, "tolerance": 0.1, "floor": alt("floor", [1, 1, 1]),
           "import": alt("import", [12, 12, 12], load1=5.0), "ratio_to_floor": 12.0,
           "peer_name": "peer not installed", "bytes": cost}  # fmt: skip
    big = {**cost, "seconds": 200.0, "finished": False, "timeout_s": 200, "written_per_source": 2.0}
    linear = {"sizes": {"20": cost, "200": big}, "reference_n": 20, "large_n": 200, "large_seconds": 200.0,
              "large_finished": False, "ratio": 16.7, "load": cost["load"]}  # fmt: skip
    return Results(
        machine={"nproc": 2, "cpu": "cpu", "python": "3.11", "commit": "abc1234"},
        settings={"sizes": [10, 20], "runs": 1, "small": 10, "reference": 20},
        metrics={"end_to_end": e2e, "linear": linear, "cli_help": {"rounds": 5, "help": alt("help", [0.05] * 5),
                 "python": alt("python", [0.02] * 5)}},
    )  # fmt: skip


def test_scale_targets_say_what_they_lack_and_mark_load() -> None:
    res = scale_results()
    res.targets = targets(res)
    by_name = {t.name: t for t in res.targets}
    floor = by_name["reader import N=20 end to end / floor"]
    assert floor.value == 12.0 and floor.passed is False and floor.under_load and floor.load == 5.0
    peer = by_name["reader import N=20 / trafilatura.extract"]
    assert peer.passed is None and "peer not installed" in peer.note
    linear = by_name["reader import N=200 / N=20"]
    assert linear.passed is False and "did not finish" in linear.note
    assert by_name["bytes written / source bytes, N=20"].passed is False
    assert by_name["bytes written / source bytes, N=200"].passed is True
    assert by_name["reader --help"].value == pytest.approx(50) and by_name["reader --help"].passed
    huge = by_name["peak RSS, reader import of 1000000 JSONL records"]
    assert huge.passed is None and "--huge" in huge.note
    table = render_targets(res)
    assert "LOADED" in table and "n/a" in table and "MISS" in table and "PASS" in table
    markdown = render_markdown(res)
    assert markdown.count("\n| ") == len(res.targets) + 1  # the head, then one row per target
    assert "abc1234" in markdown


def test_jsonl_generator_writes_n_records_the_importer_reads(tmp_path: Path) -> None:
    from library.ingest.reading import IngestError, read_inputs

    path = tmp_path / "records.jsonl"
    size = write_jsonl(path, 25, paragraphs=1)
    lines = path.read_bytes().splitlines()
    assert len(lines) == 25 and size == path.stat().st_size
    records = [orjson.loads(line) for line in lines]
    assert len({r["id"] for r in records}) == 25
    assert all(r["content"] and r["title"] and r["domain"] for r in records)
    items = list(read_inputs([str(path)], defer_cleaning=True))
    assert not [i for i in items if isinstance(i, IngestError)]
    assert len(items) == 25


def test_run_child_counts_bytes_sent_to_storage_by_the_child(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    code = f"import os; f = open({str(target)!r}, 'wb'); f.write(b'x' * 2_000_000); f.flush(); os.fsync(f.fileno())"
    run = measure.run_child([sys.executable, "-c", code])
    assert run.ok and run.wchar >= 2_000_000
    if Path("/proc/self/io").exists() and run.write_bytes:  # 0 on a file system that counts none
        assert run.write_bytes >= 2_000_000


def test_run_child_stops_a_child_at_its_timeout() -> None:
    run = measure.run_child([sys.executable, "-c", "import time; time.sleep(30)"], timeout=0.5)
    assert run.returncode is None and not run.ok


def test_run_in_pty_gives_the_child_a_terminal() -> None:
    code = "import sys; assert sys.stdout.isatty(); print('x' * 5000)"
    _took, printed = measure.run_in_pty([sys.executable, "-c", code])
    assert printed >= 5000
    with pytest.raises(RuntimeError):
        measure.run_in_pty([sys.executable, "-c", "raise SystemExit(2)"])


def test_heavy_part_says_so_when_the_tree_lacks_its_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scale, "ROOT", tmp_path)
    assert "absent" in scale.heavy(runs=1)


def test_peer_child_reports_when_it_is_not_installed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bench import peer

    monkeypatch.setattr(peer, "available", lambda: False)
    listing = tmp_path / "files.txt"
    listing.write_text("")
    assert peer.main([str(listing)]) == 3


def test_a_saved_run_prints_again_as_a_table_and_as_markdown(tmp_path: Path) -> None:
    from bench import run as bench_run

    res = scale_results()
    res.targets = targets(res)
    saved = tmp_path / "run.json"
    saved.write_bytes(orjson.dumps(bench_run.payload(res)))
    printed: list[str] = []
    assert bench_run.main(["--from", str(saved), "--markdown"], out=printed.append) == 0
    assert printed == [render_markdown(res)]
    assert bench_run.main(["--from", str(saved)], out=printed.append) == 0
    assert "reader import N=20 end to end / floor" in printed[1]
