"""Child process for the first-screen benchmark: start the real app headless on a library and say
when the library screen is up and has painted, then exit.

Run as `python -m bench.first_screen LIBRARY [--search WORD [--delay SECONDS]]`. Prints
`READY <rss_kb> <rows>` as soon as the library screen has mounted, filled its table and been
refreshed once (it accepts keys from then on); the parent times process start to that line.
With `--search`, `--delay` seconds later (default 1 s: the time a user takes to press `/` and
type a word) it runs the session's first search and prints `SEARCHED <rss_kb> <seconds> <found>`,
so peak memory includes a built search index. With `--tag-filter NAME`, right after READY it
filters the list by that tag as the labels view's "find" does and prints `FILTERED <seconds>
<rows>`, timed from the call to the end of the repaint that shows the filtered rows. Memory is this process's peak resident set
(`VmHWM`; `ru_maxrss` where /proc is absent).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_kb() -> int:
    """Peak resident set of this process in KB: VmHWM, which starts afresh at exec. (Linux keeps
    `ru_maxrss` across exec, so it would report the benchmark parent's peak instead.)"""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def launch(
    lib_path: Path,
    search: str | None = None,
    delay: float = 1.0,
    tag_filter: str | None = None,
    timeout: float = 120,
) -> dict[str, float]:
    """The parent's side: spawn this module on a library; seconds from spawn to READY, peak RSS
    (MB) at READY and after a search, the tag filter's seconds and rows."""
    cmd = [sys.executable, "-m", "bench.first_screen", str(lib_path)]
    if search:
        cmd += ["--search", search, "--delay", str(delay)]
    if tag_filter:
        cmd += ["--tag-filter", tag_filter]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    assert proc.stdout is not None
    killer = threading.Timer(timeout, proc.kill)  # a child that never gets ready is stopped
    killer.start()
    out: dict[str, float] = {}
    for line in proc.stdout:
        parts = line.split()
        if parts and parts[0] == "READY":
            out["seconds"] = time.perf_counter() - start
            out["rss_mb"] = int(parts[1]) / 1024
            out["rows"] = int(parts[2])
        elif parts and parts[0] == "FILTERED":
            out["filter_s"] = float(parts[1])
            out["filtered_rows"] = int(parts[2])
        elif parts and parts[0] == "SEARCHED":
            out["rss_after_search_mb"] = int(parts[1]) / 1024
            out["in_app_search_s"] = float(parts[2])
    _, err = proc.communicate()
    killer.cancel()
    if proc.returncode != 0 or "seconds" not in out:
        raise RuntimeError(f"first-screen child failed ({proc.returncode}): {err[-2000:]}")
    return out


def main(argv: list[str]) -> int:
    library_path = Path(argv[0])
    search_word = argv[argv.index("--search") + 1] if "--search" in argv else None
    delay = float(argv[argv.index("--delay") + 1]) if "--delay" in argv else 1.0
    tag_filter = argv[argv.index("--tag-filter") + 1] if "--tag-filter" in argv else None

    from library import Library
    from reader.app.app import ReaderApp
    from reader.app.screens.library import LibraryScreen
    from reader.app.settings import Settings

    lib = Library.open(library_path)
    original_mount = LibraryScreen.on_mount

    def on_mount(screen: LibraryScreen) -> None:
        original_mount(screen)
        screen.call_after_refresh(ready, screen)

    def ready(screen: LibraryScreen) -> None:
        print(f"READY {peak_rss_kb()} {screen.table.row_count}", flush=True)
        if tag_filter is not None:
            start = time.perf_counter()
            screen.show_label(tag_filter)
            screen.call_after_refresh(filtered, screen, start)
        else:
            after_filter(screen)

    def filtered(screen: LibraryScreen, start: float) -> None:
        print(f"FILTERED {time.perf_counter() - start:.6f} {screen.table.row_count}", flush=True)
        after_filter(screen)

    def after_filter(screen: LibraryScreen) -> None:
        if search_word is None:
            screen.app.exit()
        else:
            screen.set_timer(delay, lambda: search(screen))

    def search(screen: LibraryScreen) -> None:
        """The first search of the session, `delay` seconds after the screen (a user typing it)."""
        assert search_word is not None
        start = time.perf_counter()
        found = len(lib.search(search_word))
        took = time.perf_counter() - start
        time.sleep(0.2)  # let a background indexer finish, so the peak includes a full index
        print(f"SEARCHED {peak_rss_kb()} {took:.6f} {found}", flush=True)
        screen.app.exit()

    LibraryScreen.on_mount = on_mount  # type: ignore[method-assign]
    try:
        ReaderApp(lib, Settings()).run(headless=True, size=(120, 40))
    finally:
        lib.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
