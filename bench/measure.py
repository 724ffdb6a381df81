"""How the benchmark takes a figure on a shared, noisy machine: the load beside every figure,
alternatives timed in turn until their spread is small, and children measured from outside.

- `load()` reads `/proc/loadavg`; a figure is *under load* when the 1-minute load average before
  or after it exceeds the cores less half a core (the machine had no idle core for it).
- `alternate()` runs two or more timed alternatives round by round (A B, then B A, ...) until every
  figure's relative median absolute deviation is within a tolerance, or a round limit is hit; the
  figures are medians, ratios are medians of the rounds' ratios.
- `run_child()` runs a command to completion and reports its wall time, the bytes it and its
  reaped children sent to storage (`/proc/self/io` of this process grows by a child's counts when
  the child is waited for), and the peak resident set of its whole process tree, sampled.
- `run_in_pty()` runs a command with a pseudo-terminal as its output, as a user's terminal.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LOADAVG = Path("/proc/loadavg")


def cores() -> int:
    return os.cpu_count() or 1


def load() -> list[float]:
    """The 1, 5 and 15 minute load averages (empty where /proc is absent)."""
    try:
        return [float(x) for x in LOADAVG.read_text().split()[:3]]
    except (OSError, ValueError):
        return []


def is_under_load(load1: float | None, ncores: int | None = None) -> bool:
    """True when the 1-minute load average left less than half a core idle."""
    if load1 is None:
        return False
    return load1 > (ncores or cores()) - 0.5


@dataclass
class LoadWindow:
    """The load averages before and after a figure was taken."""

    before: list[float] = field(default_factory=list)
    after: list[float] = field(default_factory=list)

    @property
    def peak(self) -> float | None:
        ones = [x[0] for x in (self.before, self.after) if x]
        return max(ones) if ones else None

    @property
    def under_load(self) -> bool:
        return is_under_load(self.peak)

    def as_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "cores": cores(), "under_load": self.under_load}


def merge_windows(windows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One load window for several (`LoadWindow.as_dict()`s): the highest loads before and after."""
    befores = [w["before"] for w in windows if w.get("before")]
    afters = [w["after"] for w in windows if w.get("after")]
    return {
        "before": max(befores, key=lambda x: x[0]) if befores else [],
        "after": max(afters, key=lambda x: x[0]) if afters else [],
        "cores": cores(),
        "under_load": any(w.get("under_load") for w in windows),
    }


class Watch:
    """`with Watch() as w:` records the load before and after the block in `w.window`."""

    def __init__(self) -> None:
        self.window = LoadWindow()

    def __enter__(self) -> Watch:
        self.window.before = load()
        return self

    def __exit__(self, *exc: object) -> None:
        self.window.after = load()


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def relative_mad(values: Sequence[float]) -> float:
    """Median absolute deviation over the median: 0.05 means half the runs lie within 5%."""
    if len(values) < 2:
        return float("inf")
    mid = statistics.median(values)
    if mid == 0:
        return 0.0 if all(v == 0 for v in values) else float("inf")
    return statistics.median(abs(v - mid) for v in values) / abs(mid)


@dataclass
class Series:
    """Every sample of one alternative, with the load around each."""

    name: str
    samples: list[float] = field(default_factory=list)
    loads: list[LoadWindow] = field(default_factory=list)

    @property
    def value(self) -> float:
        return median(self.samples)

    @property
    def spread(self) -> float:
        return relative_mad(self.samples)

    @property
    def under_load(self) -> bool:
        return any(w.under_load for w in self.loads)

    def as_dict(self) -> dict[str, Any]:
        return {
            "median": self.value,
            "samples": self.samples,
            "spread": self.spread,
            "runs": len(self.samples),
            "load_before": [w.before for w in self.loads],
            "load_after": [w.after for w in self.loads],
            "under_load": self.under_load,
        }


@dataclass
class Alternated:
    """The outcome of `alternate`: the series by name, the rounds taken and whether it settled."""

    series: dict[str, Series]
    rounds: int
    stable: bool
    tolerance: float

    def ratio(self, top: str, bottom: str) -> float:
        """Median of the rounds' ratios (each round's pair was taken side by side)."""
        a, b = self.series[top].samples, self.series[bottom].samples
        return median([x / y for x, y in zip(a, b, strict=False) if y])

    def ratio_spread(self, top: str, bottom: str) -> float:
        a, b = self.series[top].samples, self.series[bottom].samples
        return relative_mad([x / y for x, y in zip(a, b, strict=False) if y])

    @property
    def under_load(self) -> bool:
        return any(s.under_load for s in self.series.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "rounds": self.rounds,
            "stable": self.stable,
            "tolerance": self.tolerance,
            "under_load": self.under_load,
            **{name: s.as_dict() for name, s in self.series.items()},
        }


def alternate(
    alternatives: dict[str, Callable[[], float]],
    *,
    min_rounds: int = 3,
    max_rounds: int = 7,
    tolerance: float = 0.10,
    ratios: Sequence[tuple[str, str]] = (),
    on_sample: Callable[[str, int, float], None] | None = None,
) -> Alternated:
    """Time each alternative once per round, in turn (the order reversed every other round, so a
    slow moment falls on both sides), until every series and every listed ratio has a relative
    MAD within `tolerance` after at least `min_rounds`, or `max_rounds` are done. Each callable
    returns its own figure (seconds, bytes...)."""
    series = {name: Series(name) for name in alternatives}
    names = list(alternatives)
    rounds = 0
    stable = False
    while rounds < max_rounds:
        order = names if rounds % 2 == 0 else names[::-1]
        for name in order:
            with Watch() as watch:
                value = alternatives[name]()
            series[name].samples.append(value)
            series[name].loads.append(watch.window)
            if on_sample is not None:
                on_sample(name, rounds + 1, value)
        rounds += 1
        if rounds >= min_rounds:
            spreads = [s.spread for s in series.values()]
            spreads += [relative_mad(_ratios(series, a, b)) for a, b in ratios]
            if all(x <= tolerance for x in spreads):
                stable = True
                break
    return Alternated(series, rounds, stable, tolerance)


def _ratios(series: dict[str, Series], top: str, bottom: str) -> list[float]:
    return [x / y for x, y in zip(series[top].samples, series[bottom].samples, strict=False) if y]


@contextmanager
def bytecode_cached(folders: Sequence[Path]) -> Iterator[None]:
    """Children start as an installed copy does, from compiled bytecode: the sources under
    `folders` are compiled beforehand and PYTHONDONTWRITEBYTECODE is lifted while inside (some
    shells set it; then every child would compile every module it imports, and `reader --help`
    would measure the compiler)."""
    import compileall

    for folder in folders:
        compileall.compile_dir(str(folder), quiet=1)
    saved = os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["PYTHONDONTWRITEBYTECODE"] = saved


# --- children -----------------------------------------------------------------------------------


def _io_counts() -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            key, _, value = line.partition(":")
            out[key.strip()] = int(value)
    except (OSError, ValueError):
        pass
    return out


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return out


def tree_rss_kb(pid: int) -> int:
    """Resident set of `pid` and all its descendants, in KB (0 where /proc is absent)."""
    total = 0
    for child in _descendants(pid):
        try:
            for line in Path(f"/proc/{child}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except (OSError, ValueError):
            continue
    return total


@dataclass
class ChildRun:
    """What one child command cost, measured from outside it."""

    seconds: float
    returncode: int | None  # None: killed at the timeout
    write_bytes: int  # sent to storage by it and its reaped children (/proc/self/io delta)
    wchar: int  # bytes passed to write() by them (files, pipes)
    peak_tree_rss_mb: float  # sampled sum over its process tree
    stdout: str = ""
    stderr: str = ""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def run_child(
    cmd: Sequence[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float | None = None,
    sample_every: float = 0.05,
    stdin: Any = subprocess.DEVNULL,
) -> ChildRun:
    """Run `cmd` to completion (killed after `timeout` seconds) and measure it from outside."""
    before = _io_counts()
    peak = [0]
    start = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=env,
        stdin=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, so a timeout stops its workers too
    )
    done = threading.Event()

    def sample() -> None:
        while not done.wait(sample_every):
            peak[0] = max(peak[0], tree_rss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    took = time.perf_counter() - start
    done.set()
    sampler.join()
    after = _io_counts()
    return ChildRun(
        seconds=took,
        returncode=code,
        write_bytes=after.get("write_bytes", 0) - before.get("write_bytes", 0),
        wchar=after.get("wchar", 0) - before.get("wchar", 0),
        peak_tree_rss_mb=peak[0] / 1024,
        stdout=out,
        stderr=err,
    )


def run_in_pty(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    timeout: float = 600,
    columns: int = 120,
    rows: int = 40,
) -> tuple[float, int]:
    """Seconds for `cmd` to finish writing to a pseudo-terminal of `columns` x `rows` (drained
    as fast as it comes, as a terminal would), and the bytes it wrote there."""
    import fcntl
    import pty
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    received = [0]

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            received[0] += len(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            list(cmd),
            stdin=subprocess.DEVNULL,
            stdout=slave,
            stderr=slave,
            env=env,
            timeout=timeout,
            check=False,
        )
    finally:
        took = time.perf_counter() - start
        os.close(slave)
        reader.join(timeout=5)
        os.close(master)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed with {proc.returncode}")
    return took, received[0]


def disk_usage(path: Path) -> int:
    """Bytes the files under `path` take on disk (allocated blocks, as `du`)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                continue
    return total


def tree_bytes(path: Path) -> int:
    """Apparent size of the file `path`, or of the files under it."""
    if path.is_file():
        return path.stat().st_size
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total
