"""Child process for the first-screen benchmark: start the real app headless on a library and say
when the library screen is up and has painted, then exit.

Run as `python -m bench.first_screen LIBRARY [--search WORD [--delay SECONDS]]`. Prints
`READY <rss_kb> <rows>` as soon as the library screen has mounted, filled its table and been
refreshed once (it accepts keys from then on); the parent times process start to that line.
With `--search`, `--delay` seconds later (default 1 s: the time a user takes to press `/` and
type a word) it runs the session's first search and prints `SEARCHED <rss_kb> <seconds> <found>`,
so peak memory includes a built search index. Memory is this process's peak resident set
(`VmHWM`; `ru_maxrss` where /proc is absent).
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


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


def main(argv: list[str]) -> int:
    library_path = Path(argv[0])
    search_word = argv[argv.index("--search") + 1] if "--search" in argv else None
    delay = float(argv[argv.index("--delay") + 1]) if "--delay" in argv else 1.0

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
