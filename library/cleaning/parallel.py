"""Cleaning stored-but-uncleaned articles in worker processes, a batch ahead of the caller.

Why: cleaning is a few milliseconds of pure Python per article, so the store's background
cleaning of a 10,000-article import is CPU-bound. Batches are cut into chunks for a process
pool, and the next batch is already being cleaned while the caller stores the previous one.
Small jobs (fewer than `MIN_ITEMS` articles) are cleaned here: a pool would cost more than it
saves. If the pool fails, the articles are cleaned here instead. Results are in input order.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future

from library.ingest.parallel import default_workers, start_pool
from library.model import ParsedArticle, SourceArticle

MIN_ITEMS = 200
CHUNK = 32

CleanResult = ParsedArticle | str  # the parse, or why it failed (one phrase)


def clean_one(item: SourceArticle) -> CleanResult:
    """The full parse of `item`, or the reason it could not be parsed (a parser bug)."""
    from library.cleaning import parsers as parsing

    try:
        return parsing.clean(item)
    except (RecursionError, MemoryError) as err:
        return f"could not parse: {type(err).__name__}"
    except Exception as err:
        return f"could not parse: {type(err).__name__}: {err}"


def _clean_chunk(items: list[SourceArticle]) -> list[CleanResult]:
    return [clean_one(item) for item in items]


def clean_batches(
    batches: Iterable[list[SourceArticle]], total: int, workers: int | None = None
) -> Iterator[list[CleanResult]]:
    """For each batch of `batches`, its results in order. `total` (the number of articles in
    all batches) decides whether a pool is worth starting."""
    workers = default_workers() if workers is None else workers
    if workers <= 1 or total < MIN_ITEMS:
        for batch in batches:
            yield _clean_chunk(batch)
        return
    pool = start_pool(workers)
    pending: deque[tuple[list[SourceArticle], list[Future[list[CleanResult]]]]] = deque()

    def submit(batch: list[SourceArticle]) -> None:
        futures = []
        for start in range(0, len(batch), CHUNK):
            try:
                futures.append(pool.submit(_clean_chunk, batch[start : start + CHUNK]))
            except Exception:  # a broken pool: the rest of this batch is cleaned here
                done: Future[list[CleanResult]] = Future()
                done.set_result(_clean_chunk(batch[start : start + CHUNK]))
                futures.append(done)
        pending.append((batch, futures))

    def collect() -> list[CleanResult]:
        batch, futures = pending.popleft()
        results: list[CleanResult] = []
        for index, future in enumerate(futures):
            try:
                results.extend(future.result())
            except Exception:  # a worker died or a result would not pickle: clean them here
                results.extend(_clean_chunk(batch[index * CHUNK : (index + 1) * CHUNK]))
        return results

    try:
        for batch in batches:
            submit(batch)
            if len(pending) > 1:  # one batch ahead: the caller stores while workers clean
                yield collect()
        while pending:
            yield collect()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
