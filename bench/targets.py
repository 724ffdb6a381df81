"""The benchmark's targets: each figure against its limit, with the load it was taken under, and
the tables (plain text and Markdown) that show them.

A target without a figure (the peer is not installed, the huge step was not asked for, a tree
lacks a benchmark module) is reported as `n/a` with the reason, never as a pass. A figure is
marked `LOADED` when the machine's 1-minute load average exceeded its cores less half a core
while it was taken (see `bench.measure.is_under_load`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

HELP_MS = 100
HUGE_N = 1_000_000


@dataclass
class Target:
    name: str
    value: float | None
    limit: float
    unit: str
    higher_is_better: bool = False
    under_load: bool = False
    load: float | None = None  # the highest 1-minute load average seen while it was taken
    note: str = ""  # why there is no figure, or what to know about it
    runs: int | None = None
    spread: float | None = None  # relative MAD of the figure's runs

    @property
    def passed(self) -> bool | None:
        if self.value is None or self.value != self.value:
            return None
        return self.value >= self.limit if self.higher_is_better else self.value <= self.limit

    @property
    def result(self) -> str:
        return {True: "PASS", False: "MISS", None: "n/a"}[self.passed]

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "limit": self.limit,
            "unit": self.unit,
            "pass": self.passed,
            "under_load": self.under_load,
            "load": self.load,
            "runs": self.runs,
            "spread": self.spread,
            "note": self.note,
        }


@dataclass
class Results:
    machine: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    metrics: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    loads: dict[str, dict[str, Any]] = field(default_factory=dict)  # part -> LoadWindow.as_dict()


def _peak(window: dict[str, Any] | None) -> float | None:
    if not window:
        return None
    ones = [x[0] for x in (window.get("before"), window.get("after")) if x]
    return max(ones) if ones else None


def _series_peak(series: dict[str, Any]) -> float | None:
    ones = [x[0] for key in ("load_before", "load_after") for x in series.get(key, []) if x]
    return max(ones) if ones else None


def _alt(
    name: str, value: float | None, limit: float, unit: str, alt: dict[str, Any], keys: list[str], **kw: Any
) -> Target:
    """A target from an `Alternated.as_dict()`: its load is that of the named series."""
    series = [alt[k] for k in keys if k in alt]
    peaks = [p for p in (_series_peak(s) for s in series) if p is not None]
    return Target(
        name,
        value,
        limit,
        unit,
        under_load=any(s.get("under_load") for s in series),
        load=max(peaks) if peaks else None,
        runs=alt.get("rounds"),
        **kw,
    )


def _window(
    name: str, value: float | None, limit: float, unit: str, window: dict[str, Any] | None, **kw: Any
) -> Target:
    return Target(
        name,
        value,
        limit,
        unit,
        under_load=bool(window and window.get("under_load")),
        load=_peak(window),
        **kw,
    )


def today_targets(res: Results) -> list[Target]:
    """The targets the benchmark had before the data-set-scale work (issue 5), unchanged."""
    m, loads = res.metrics, res.loads
    small, big = str(res.settings["small"]), str(res.settings["reference"])
    out = []
    if "highlight" in m:
        save_small, save_big = m["highlight"][small]["save"], m["highlight"][big]["save"]
        ratio = save_big["p95_ms"] / save_small["p95_ms"]
        w = loads.get("highlight")
        out.append(_window(f"save highlight p95 N={big} / N={small}", ratio, 1.5, "x", w))
        out.append(_window(f"save highlight p95 at N={big}", save_big["p95_ms"], 20, "ms", w))
    if "import" in m and big in m["import"]:
        # At the reference size: at N=10 the floor is a millisecond and fixed costs dominate.
        ratio = m["import"][big]["ratio_to_floor"]
        out.append(_window(f"import (store step) / floor at N={big}", ratio, 3, "x", loads.get("import")))
    if "first_screen" in m:
        w = loads.get("screen")
        out.append(_window(f"first screen N={big} / N={small}", m["first_screen"]["ratio"], 1.5, "x", w))
    if "search" in m:
        w = loads.get("search")
        if "in_app_first_ratio" in m["search"]:
            delay = m["in_app_search"]["delay_s"]
            name = f"search / grep -ril, first search in the app ({delay:g} s in)"
            out.append(_window(name, m["search"]["in_app_first_ratio"], 2, "x", w))
        out.append(_window("search / grep -ril, later searches (warm)", m["search"]["warm_ratio"], 2, "x", w))
    if "long_article" in m:
        la, w = m["long_article"], loads.get("long")
        out.append(_window(f"{la['words']}-word article opens", la["open_s"] * 1000, 300, "ms", w))
        out.append(_window("keystroke (one word) to repaint p95", la["word_p95_ms"], 16, "ms", w))
    if "memory" in m:
        rss = m["memory"]["rss_after_search_mb"]
        out.append(_window(f"peak RSS with {big} articles open", rss, 300, "MB", loads.get("screen")))
    return out


def scale_targets(res: Results) -> list[Target]:
    """The targets of the data-set-scale issue (17)."""
    m = res.metrics
    out: list[Target] = []
    e2e = m.get("end_to_end")
    if e2e:
        n = e2e["n"]
        spread = e2e.get("ratio_to_floor_spread")
        out.append(
            _alt(f"reader import N={n} end to end / floor", e2e["ratio_to_floor"], 10, "x", e2e,
                 ["floor", "import"], spread=spread)
        )  # fmt: skip
        name = f"reader import N={n} / trafilatura.extract"
        if "ratio_to_peer" in e2e:
            out.append(
                _alt(name, e2e["ratio_to_peer"], 0.5, "x", e2e, ["import", "peer"],
                     spread=e2e.get("ratio_to_peer_spread"))
            )  # fmt: skip
        else:
            out.append(Target(name, None, 0.5, "x", note="peer not installed (pip install -e '.[bench]')"))
    lin = m.get("linear")
    if lin:
        if lin.get("large_n"):
            large, ref = lin["large_n"], lin["reference_n"]
            note = (
                ""
                if lin["large_finished"]
                else f"did not finish in {lin['large_seconds']:.0f} s: a lower bound"
            )
            out.append(
                _window(
                    f"reader import N={large} / N={ref}", lin["ratio"], 11, "x", lin.get("load"), note=note
                )
            )
        for n, cost in lin["sizes"].items():
            note = "" if cost.get("finished", True) else "did not finish: bytes up to the timeout"
            window = cost.get("load")
            out.append(
                _window(
                    f"bytes written / source bytes, N={n}",
                    cost["written_per_source"],
                    3,
                    "x",
                    window,
                    note=note,
                )
            )
    hg = m.get("huge")
    if hg:
        imp = hg["import"]
        note = "" if imp["finished"] else f"did not finish in {imp['timeout_s']:.0f} s"
        n = hg["n"]
        w = imp.get("load")
        out.append(
            _window(
                f"peak RSS, reader import of {n} JSONL records", imp["peak_rss_mb"], 2048, "MB", w, note=note
            )
        )
        out.append(
            _window(
                f"bytes written / source bytes, {n} records", imp["written_per_source"], 3, "x", w, note=note
            )
        )
    else:
        note = "not run: add --huge"
        out.append(Target(f"peak RSS, reader import of {HUGE_N} JSONL records", None, 2048, "MB", note=note))
    scale = (hg or {}).get("at_scale") or m.get("at_scale")
    if scale:
        n = scale["n"]
        note = "" if n >= HUGE_N else f"at N={n}; the target is at {HUGE_N} (--huge)"
        cmds = scale["commands"]
        out.append(_alt(f"reader annotate N={n} / N=10", cmds["annotate_ratio"], 1.5, "x", cmds,
                        ["annotate_small", "annotate_big"], note=note))  # fmt: skip
        out.append(_alt(f"reader show N={n} / N=10", cmds["show_ratio"], 1.5, "x", cmds,
                        ["show_small", "show_big"], note=note))  # fmt: skip
        app = scale["app"]
        w = app["load"]
        out.append(
            _window(
                f"app first screen at N={n}", app["first_screen_s"], 2, "s", w, note=note, runs=app["runs"]
            )
        )
        out.append(
            _window(f"app tag filter at N={n}", app["tag_filter_s"], 1, "s", w, note=note, runs=app["runs"])
        )
        s = scale["search"]
        out.append(_window(f"search (warm) / grep at N={n}", s["warm_ratio"], 2, "x", s["load"], note=note))
    elif "huge" not in m:
        note = "not run"
        for name, limit, unit in (("reader annotate / N=10", 1.5, "x"), ("app first screen", 2, "s")):
            out.append(Target(f"{name} at scale", None, limit, unit, note=note))
    if "cli_list" in m:
        cl = m["cli_list"]
        n = cl.get("n", "")
        out.append(_alt(f"reader list / list --json, N={n}", cl["ratio"], 1.5, "x", cl, ["list", "json"]))
    if "cli_help" in m:
        ch = m["cli_help"]
        out.append(_alt("reader --help", ch["help"]["median"] * 1000, HELP_MS, "ms", ch, ["help"],
                        spread=ch["help"]["spread"]))  # fmt: skip
    if "heavy" in m:
        hv = m["heavy"]
        if "absent" in hv:
            for name, limit in (
                ("add a highlight to repaint p95, 5,000 highlights", 50),
                ("open, 5,000 highlights", 300),
            ):
                out.append(Target(name, None, limit, "ms", note=hv["absent"]))
        else:
            w = hv.get("load")
            out.append(
                _window("add a highlight to repaint p95, 5,000 highlights", hv["add_p95_ms"], 50, "ms", w)
            )
            out.append(_window("open, 5,000 highlights", hv["open_ms"], 300, "ms", w))
    return out


def targets(res: Results) -> list[Target]:
    return today_targets(res) + scale_targets(res)


def _value(t: Target) -> str:
    if t.value is None or t.value != t.value:
        return "-"
    return f"{t.value:.3g}" if abs(t.value) < 100 else f"{t.value:.0f}"


def _load(t: Target) -> str:
    if t.load is None:
        return ""
    return f"{t.load:.1f}" + (" LOADED" if t.under_load else "")


def _runs(t: Target) -> str:
    if t.runs is None:
        return ""
    return f"{t.runs}" + (f" ±{t.spread * 100:.0f}%" if t.spread is not None and t.spread == t.spread else "")


def target_rows(res: Results) -> list[tuple[str, ...]]:
    rows = []
    for t in res.targets:
        op = ">=" if t.higher_is_better else "<="
        rows.append(
            (
                t.name,
                f"{_value(t)} {t.unit}",
                f"{op} {t.limit:g} {t.unit}",
                t.result,
                _load(t),
                _runs(t),
                t.note,
            )
        )
    return rows


HEAD = ("target", "value", "limit", "result", "load", "runs", "note")


def render_targets(res: Results) -> str:
    cores = res.machine.get("nproc")
    lines = [
        f"targets (load: highest 1-minute load average while taken, {cores} cores; LOADED above cores - 0.5)"
    ]
    rows = [HEAD, *target_rows(res)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD) - 1)]
    for r in rows:
        cells = [r[i].ljust(widths[i]) if i == 0 else r[i].rjust(widths[i]) for i in range(len(widths))]
        lines.append("  ".join(cells) + ("  " + r[-1] if r[-1] else ""))
    return "\n".join(lines)


def render_markdown(res: Results) -> str:
    """The targets as a Markdown table (the README's is printed by `python -m bench.run --markdown`)."""
    mach = res.machine
    lines = [
        f"{mach.get('nproc')} cores, {mach.get('cpu') or 'unknown CPU'}, Python {mach.get('python')}; "
        f"commit {mach.get('commit', '?')}; load {mach.get('load_start', [])} at the start, "
        f"{mach.get('load_end', [])} at the end; took {res.settings.get('took_s', 0):.0f} s",
        "",
        "| " + " | ".join(HEAD) + " |",
        "|" + "|".join(["---", "--:", "--:", ":-:", "--:", "--:", "---"]) + "|",
    ]
    for row in target_rows(res):
        lines.append("| " + " | ".join(cell.replace("|", "/") for cell in row) + " |")
    return "\n".join(lines)
