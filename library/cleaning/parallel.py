"""Cleaning stored-but-uncleaned articles in worker processes, a batch ahead of the caller.

Why: cleaning is a few milliseconds of pure Python per article, so the store's background
cleaning of a 10,000-article import is CPU-bound. Batches are cut into chunks for a process
pool, and the next batch is already being cleaned while the caller stores the previous one.
Small jobs (fewer than `MIN_ITEMS` articles) are cleaned here: a pool would cost more than it
saves. If the pool fails, the articles are cleaned here instead. Results are in input order.

A worker sends each parse back as a compact tuple of strings and ints (`to_compact`), without
the source text the caller already holds, and the caller rebuilds the `ParsedArticle`
(`from_compact`): pickling the dataclasses themselves cost about three times as much, both
sides of the pipe counted. The store does better still (`clean_batches_prepared`): the worker
also makes what is stored of the parse, so the parent rebuilds nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future
from functools import partial
from operator import attrgetter
from typing import Any, TypeVar

from library.ingest.parallel import default_workers, start_pool
from library.model import Block, Metadata, Origin, ParsedArticle, SourceArticle
from library.textmap import make_run

MIN_ITEMS = 200
CHUNK = 32

CleanResult = ParsedArticle | str  # the parse, or why it failed (one phrase)
T = TypeVar("T")
R = TypeVar("R")
Prepare = Callable[[SourceArticle, ParsedArticle], T]  # a parse to what the caller keeps of it


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


_META_FIELDS = attrgetter(*Metadata.__slots__)
Compact = tuple[Any, ...] | str  # what a worker sends back for one article (see `to_compact`)


def to_compact(item: SourceArticle, result: CleanResult) -> Compact:
    """`result` as plain tuples: the metadata's fields, the format, the origin and the source
    text (None when they are the item's own), and per block its text, reason, fingerprint and
    runs flattened to (clean, source, length, clean, ...)."""
    if isinstance(result, str):
        return result
    blocks = tuple(
        (b.text, b.reason, b.fingerprint, tuple(n for r in b.runs for n in (r.clean, r.source, r.length)))
        for b in result.blocks
    )
    origin = result.origin
    same_origin = origin is item.origin or origin == item.origin
    return (
        _META_FIELDS(result.meta),
        result.format,
        None if same_origin else (origin.path, origin.record),
        None if result.source_text == item.source_text else result.source_text,
        blocks,
    )


def from_compact(item: SourceArticle, data: Compact) -> CleanResult:
    """The `ParsedArticle` (or failure) that `to_compact` was given for `item`."""
    if isinstance(data, str):
        return data
    meta, fmt, origin, source, blocks = data
    out = []
    for text, reason, fingerprint, flat in blocks:
        values = iter(flat)
        out.append(Block(text, list(map(make_run, values, values, values)), reason, fingerprint))
    return ParsedArticle(
        item.source_text if source is None else source,
        Metadata(*meta),
        out,
        fmt,
        item.origin if origin is None else Origin(*origin),
    )


Sent = tuple[str, tuple[Any, ...], str, str, int | None]  # a SourceArticle on its way to a worker


def _send(items: list[SourceArticle]) -> list[Sent]:
    """The items as plain tuples: pickling the dataclasses costs four times as much."""
    return [(i.source_text, _META_FIELDS(i.meta), i.format, i.origin.path, i.origin.record) for i in items]


def _received(sent: list[Sent]) -> list[SourceArticle]:
    return [
        SourceArticle(text, Metadata(*meta), fmt, Origin(path, record))
        for text, meta, fmt, path, record in sent
    ]


def _clean_compact(sent: list[Sent]) -> list[Compact]:
    """In a worker: each item's parse, compact."""
    return [to_compact(item, clean_one(item)) for item in _received(sent)]


def _clean_prepared(items: list[SourceArticle], prepare: Prepare[T]) -> list[T | str]:
    """Each item's parse turned by `prepare` into what the caller keeps (failures as they are)."""
    out: list[T | str] = []
    for item in items:
        result = clean_one(item)
        out.append(result if isinstance(result, str) else prepare(item, result))
    return out


def _clean_prepared_sent(sent: list[Sent], prepare: Prepare[T]) -> list[T | str]:
    """In a worker: `_clean_prepared` of the items sent."""
    return _clean_prepared(_received(sent), prepare)


def clean_batches(
    batches: Iterable[list[SourceArticle]], total: int, workers: int | None = None
) -> Iterator[list[CleanResult]]:
    """For each batch of `batches`, its results in order. `total` (the number of articles in
    all batches) decides whether a pool is worth starting."""
    yield from _batches(batches, total, workers, _clean_compact, from_compact, _clean_chunk)


def clean_batches_prepared(
    batches: Iterable[list[SourceArticle]], total: int, prepare: Prepare[T], workers: int | None = None
) -> Generator[list[T | str], None, None]:
    """`clean_batches`, each parse turned by `prepare(item, parse)` where it was made (in the
    worker process): what the caller stores can be made there, in parallel, and only that
    travels back. `prepare` must be a module-level function (it is sent to the workers). Closing
    the generator stops the pool (what it was cleaning is dropped)."""
    here = partial(_clean_prepared, prepare=prepare)
    yield from _batches(
        batches, total, workers, partial(_clean_prepared_sent, prepare=prepare), _as_sent, here
    )


def _as_sent(item: SourceArticle, result: R) -> R:
    return result


def warm_up() -> None:
    """Import the parsers and the boilerplate modules and build the rule table, here, before
    the workers start: forked workers then share it instead of each spending a few hundred
    milliseconds compiling the same regexes (most of it at import)."""
    from library.cleaning.boilerplate import fragments, heuristics, rule_reason, site_model  # noqa: F401
    from library.cleaning.parsers import globalresearch, markdown, plaintext, records  # noqa: F401

    rule_reason("")


def _batches(
    batches: Iterable[list[SourceArticle]],
    total: int,
    workers: int | None,
    work: Callable[[list[Sent]], list[Any]],
    receive: Callable[[SourceArticle, Any], R],
    here: Callable[[list[SourceArticle]], list[R]],
) -> Iterator[list[R]]:
    """Batches sent (`_send`) to `work` in worker processes, each result passed to `receive`
    with its item; or through `here` in this process for small jobs and for the chunks of a
    dead worker (`work` runs here for those a broken pool would not take)."""
    workers = default_workers() if workers is None else workers
    if workers <= 1 or total < MIN_ITEMS:
        for batch in batches:
            yield here(batch)
        return
    warm_up()  # forked workers inherit what this loaded and compiled
    pool = start_pool(workers)
    pending: deque[tuple[list[SourceArticle], list[Future[list[Any]]]]] = deque()

    def submit(batch: list[SourceArticle]) -> None:
        futures = []
        for start in range(0, len(batch), CHUNK):
            sent = _send(batch[start : start + CHUNK])
            try:
                futures.append(pool.submit(work, sent))
            except Exception:  # a broken pool: the rest of this batch is cleaned here
                done: Future[list[Any]] = Future()
                done.set_result(work(sent))
                futures.append(done)
        pending.append((batch, futures))

    def collect() -> list[R]:
        batch, futures = pending.popleft()
        results: list[R] = []
        for index, future in enumerate(futures):
            chunk = batch[index * CHUNK : (index + 1) * CHUNK]
            try:
                sent = future.result()
            except Exception:  # a worker died or a result would not pickle: clean them here
                results.extend(here(chunk))
                continue
            results.extend(map(receive, chunk, sent))
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
