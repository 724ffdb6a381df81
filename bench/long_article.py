"""The long-article figures: one article of 100,000 words in the real app under `App.run_test`
(120x40). Open: from `open_article` until the body is loaded and the screen has repainted. Page
down and one word (`w`): from just before `pilot.press` until the end of the first screen repaint
(`Screen._compositor_refresh`) that follows it; this includes Textual's frame pacing (a repaint
waits for the next 1/60 s tick).
"""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path
from typing import Any

from bench.corpus import long_article
from bench.measure import median


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * pct / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def _long_article_session(lib: Any, aid: str, keys: int) -> dict[str, Any]:
    from textual.screen import Screen

    from reader.app.app import ReaderApp
    from reader.app.screens.article import ArticleScreen
    from reader.app.settings import Settings

    refreshes: list[float] = []
    original = Screen._compositor_refresh

    def stamped(self: Screen[Any]) -> None:
        original(self)
        refreshes.append(time.perf_counter())

    Screen._compositor_refresh = stamped  # type: ignore[method-assign]

    async def repaint_after(start: float, limit: float = 10.0) -> float:
        """Seconds from `start` to the end of the first compositor refresh that began after it (NaN when
        none comes within `limit`: generous, as a loaded machine can take seconds)."""
        while time.perf_counter() - start < limit:
            later = [t for t in refreshes[-50:] if t > start]
            if later:
                return later[0] - start
            await asyncio.sleep(0.0005)
        return float("nan")

    try:
        app = ReaderApp(lib, Settings())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            app.open_article(aid)
            while not (isinstance(app.screen, ArticleScreen) and app.screen.article is not None):
                await asyncio.sleep(0.0005)
            loaded = time.perf_counter() - start
            opened = loaded + await repaint_after(time.perf_counter())
            await pilot.pause()
            body = app.screen.body
            lines = body.wrapped_document.height
            page_down: list[float] = []
            for _ in range(5):
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("pagedown")
                page_down.append(await repaint_after(start))
            word: list[float] = []
            for _ in range(keys):
                await pilot.pause()
                start = time.perf_counter()
                await pilot.press("w")
                word.append(await repaint_after(start))
            moved = body.cursor_offset
            await pilot.press("q")
            await pilot.pause()
    finally:
        Screen._compositor_refresh = original  # type: ignore[method-assign]
    return {
        "open_s": opened,
        "load_s": loaded,
        "page_down_s": median(page_down),
        "word_ms": word,
        "wrapped_lines": lines,
        "cursor_offset_after": moved,
    }


def bench_long_article(work: Path, words: int, runs: int, keys: int) -> dict[str, Any]:
    from library import Library
    from library.ingest.reading import IngestError, read_inputs

    src = work / "long"
    src.mkdir(exist_ok=True)
    path = src / "long-article.txt"
    path.write_text(long_article(words), encoding="utf-8")
    lib_path = work / "lib-long"
    if lib_path.exists():
        shutil.rmtree(lib_path)
    opens, loads, pages, word_all, info = [], [], [], [], {}
    with Library.open(lib_path) as lib:
        items = [i for i in read_inputs([str(path)]) if not isinstance(i, IngestError)]
        lib.add_articles(items)
        aid = lib.ids()[0]
        body_words = len(lib.article(aid).body.split())
        for _ in range(runs):
            lib._raw_cache.clear()  # noqa: SLF001 - every run opens it from disk
            out = asyncio.run(_long_article_session(lib, aid, keys))
            opens.append(out["open_s"])
            loads.append(out["load_s"])
            pages.append(out["page_down_s"])
            word_all.extend(w for w in out["word_ms"])
            info = out
    return {
        "words": body_words,
        "wrapped_lines": info.get("wrapped_lines"),
        "open_s": median(opens),
        "load_s": median(loads),
        "page_down_s": median(pages),
        "word_p50_ms": percentile(word_all, 50) * 1000,
        "word_p95_ms": percentile(word_all, 95) * 1000,
        "keystrokes": len(word_all),
    }
