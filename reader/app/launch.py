"""What the app's process needs before Textual takes over the terminal.

Process-wide settings are decided here, by the program, not inside the domain library.

The garbage collector is left alone. The domain used to pause it while loading the catalogue and
summaries and then `gc.freeze()` everything (for good, on every `summaries()` call). Measured
from here (a 10,000-article library, opening it and building its summaries, 8 alternating runs
on a shared 2-core machine): 1,128 ms median without, 1,011 ms with the collector paused and
frozen once, a ~10% gain within the spread of single runs (829-1,555 ms); the second
`summaries()` took 135 ms without and 153 ms with. Not worth a process-wide side effect.
(Opening one article is another matter: `collector.py` pauses it there, and says why.)
"""

from __future__ import annotations

import contextlib
import threading

_started = threading.Lock()
_done = False


def prepare_worker_processes() -> None:
    """Start multiprocessing's resource tracker now, while `sys.stderr` is still a real file.

    Why: the domain cleans and reads in worker processes (`library.ingest.parallel.start_pool`).
    The resource tracker those pools need is started with `sys.stderr.fileno()` among the file
    descriptors it keeps, and while a Textual app runs `sys.stderr` is Textual's capture object
    whose `fileno()` is -1, so starting it then fails with "bad value(s) in fds_to_keep" (the
    app once reported that error instead of cleaning). Started here once, the tracker is reused
    by every later pool. It costs one short-lived `fork`+`exec` that the app does not wait for.
    """
    global _done
    with _started:
        if _done:
            return
        from multiprocessing import resource_tracker

        # Without a tracker the pools still fail loudly later, with the reason; never here.
        with contextlib.suppress(Exception):
            resource_tracker.ensure_running()
        _done = True
