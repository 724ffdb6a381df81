"""The benchmark's report as text: every figure of the run, then the targets with their load."""

from __future__ import annotations

from typing import Any

from bench.targets import Results, render_targets


def _load(window: dict[str, Any] | None) -> str:
    if not window:
        return ""
    before, after = window.get("before") or ["?"], window.get("after") or ["?"]
    mark = ", LOADED" if window.get("under_load") else ""
    return f" [load {before[0]} -> {after[0]}{mark}]"


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def render_table(res: Results) -> str:
    m = res.metrics
    mach = res.machine
    lines = [
        f"machine: {mach['nproc']} CPUs, {mach['cpu'] or 'unknown CPU'}, Python {mach['python']}; "
        f"fsync of 1 KB: {mach.get('fsync_ms_before', 0):.2f} ms before, {mach.get('fsync_ms_after', 0):.2f} ms after",
        f"medians of {res.settings['runs']} runs; sizes {', '.join(map(str, res.settings['sizes']))}; "
        f"commit {mach.get('commit', '?')}; load {mach.get('load_start')} at the start, "
        f"{mach.get('load_end')} at the end; took {res.settings.get('took_s', 0):.0f} s",
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
    lines += scale_lines(res)
    lines += ["", render_targets(res)]
    return "\n".join(lines)


def scale_lines(res: Results) -> list[str]:
    """The data-set-scale figures (commands run as children), one line each."""
    m = res.metrics
    lines: list[str] = []
    e2e = m.get("end_to_end")
    if e2e:
        imp, flo = e2e["import"], e2e["floor"]
        peer = (
            f", {e2e['peer_name']} {e2e['peer']['median']:.2f} s" if isinstance(e2e.get("peer"), dict) else ""
        )
        lines += [
            "",
            f"reader import N={e2e['n']} end to end: {imp['median']:.2f} s, floor {flo['median']:.3f} s "
            f"({e2e['ratio_to_floor']:.1f}x){peer}; {e2e['rounds']} rounds, "
            f"{'stable' if e2e['stable'] else 'NOT stable'} within {e2e['tolerance']:.0%}",
        ]
        if "ratio_to_peer" in e2e:
            got = e2e.get("peer_extracted")
            got = f" (it extracted text from {got} of {e2e['n']} files)" if got is not None else ""
            lines.append(f"  against the peer: {e2e['ratio_to_peer']:.2f}x{got}")
        else:
            lines.append("  peer: not installed")
    lin = m.get("linear")
    if lin:
        lines.append("reader import, bytes sent to storage / source bytes (disk usage after / source):")
        for n, c in lin["sizes"].items():
            disk = f", disk {c['disk_per_source']:.2f}x" if "disk_per_source" in c else ""
            done = "" if c.get("finished", True) else " (did not finish)"
            lines.append(
                f"  N={n}: {c['seconds']:.2f} s, written {_mb(c['write_bytes'])} of {_mb(c['source_bytes'])} "
                f"source = {c['written_per_source']:.2f}x{disk}; peak RSS {c['peak_rss_mb']:.0f} MB{done}"
                f"{_load(c.get('load'))}"
            )
        if lin.get("large_n"):
            lines.append(f"  linear: N={lin['large_n']} / N={lin['reference_n']} = {lin['ratio']:.1f}x")
    if "cli_list" in m:
        cl = m["cli_list"]
        lines.append(
            f"reader list N={cl['n']} to a 120x40 terminal: {cl['list']['median']:.2f} s, list --json "
            f"{cl['json']['median']:.2f} s ({cl['ratio']:.2f}x; {cl['rounds']} rounds)"
        )
    if "cli_help" in m:
        ch = m["cli_help"]
        lines.append(
            f"reader --help {ch['help']['median'] * 1000:.0f} ms (python -c pass {ch['python']['median'] * 1000:.0f} ms;"
            f" {ch['rounds']} rounds)"
        )
    for key, where in (("at_scale", m), ("at_scale", m.get("huge") or {})):
        sc = where.get(key)
        if not sc:
            continue
        c, app, s = sc["commands"], sc["app"], sc["search"]
        lines.append(
            f"at N={sc['n']}: reader annotate {c['annotate_big']['median'] * 1000:.0f} ms "
            f"(N=10 {c['annotate_small']['median'] * 1000:.0f} ms), show {c['show_big']['median'] * 1000:.0f} ms "
            f"(N=10 {c['show_small']['median'] * 1000:.0f} ms); app first screen {app['first_screen_s']:.2f} s, "
            f"tag filter {app['tag_filter_s'] * 1000:.0f} ms ({app['filtered_rows']} rows), RSS {app['rss_mb']:.0f} MB; "
            f"search warm {s['warm_s'] * 1000:.1f} ms, cold {s['cold_s'] * 1000:.0f} ms, grep {s['grep_s'] * 1000:.0f} ms"
        )
    hg = m.get("huge")
    if hg:
        imp = hg["import"]
        took = f"{imp['seconds']:.0f} s" if imp["finished"] else f"did not finish in {imp['timeout_s']:.0f} s"
        lines.append(
            f"huge: {hg['n']} JSONL records ({_mb(hg['data_bytes'])}): import {took}, "
            f"peak RSS {imp['peak_rss_mb']:.0f} MB, written {imp['written_per_source']:.2f}x the source; "
            f"the step took {hg['took_s']:.0f} s{_load(imp.get('load'))}"
        )
    hv = m.get("heavy")
    if hv:
        if "absent" in hv:
            lines.append(f"article with 5,000 highlights: not measured ({hv['absent']})")
        else:
            lines.append(
                f"article with 5,000 highlights: open {hv['open_ms']:.0f} ms, add a highlight to repaint "
                f"p50 {hv['add_p50_ms']:.1f} / p95 {hv['add_p95_ms']:.1f} ms{_load(hv.get('load'))}"
            )
    return lines
