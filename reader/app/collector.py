"""The cyclic garbage collector around opening an article: paused while it loads, and what the
load made kept out of later collections while the article is open.

Why: opening an article with thousands of highlights, or of 100,000 words, makes hundreds of
thousands of objects at once (highlights, rows, marks, the document's lines and wrap offsets),
none of them garbage. Each collection the allocations trigger walks them all again, and the full
ones walk the whole heap: a large share of the open, and later a pause on some keystroke (the
p95). So the collector waits during the load, and `gc.freeze` then moves what exists into the
permanent generation, which collections skip; leaving the article gives it back (`gc.unfreeze`),
so nothing is kept for good. (`launch.py` says why the library screen does without this.)
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator

_OFF = bool(os.environ.get("READER_NO_GC_PAUSE"))  # for side-by-side measurement only


def pause_collector() -> bool:
    """Pause the collector from now (the screen is being built); True when this paused it, and
    `collector_paused(resume=True)` must then end the pause."""
    if _OFF or not gc.isenabled():
        return False
    gc.disable()
    return True


@contextlib.contextmanager
def collector_paused(*, paused: bool = False) -> Iterator[None]:
    """Run the block with the collector paused (already, when `paused`), then keep what exists
    out of collections and let the collector run again."""
    if not paused and (_OFF or not gc.isenabled()):
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def release_article_objects(paused: bool) -> None:
    """The article is closed: what was frozen goes back to being collected (and a pause that
    never reached its end, a screen closed before it loaded, ends)."""
    if _OFF:
        return
    gc.unfreeze()
    if paused:
        gc.enable()
