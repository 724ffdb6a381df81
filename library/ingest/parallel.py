"""Parsing many small article files in worker processes, in order.

Why: cleaning an article (boilerplate rules, fingerprints, dates) is pure-Python work of a few
milliseconds, so a folder of 10,000 articles is CPU-bound in one process. Files are sent to a
pool in chunks and the results are yielded in the original order, so the importer, its
progress and its reports behave exactly as with one process. Only regular files up to
`SMALL_FILE_BYTES` go to workers; anything larger (data sets, pipes) is read here, streamed,
after the chunks before it. Folders of fewer than `MIN_FILES` files are read here too: starting
workers would cost more than it saves. When cleaning is deferred (`defer`), text files are only
read, which is faster here than shipping them between processes, so only HTML pages (whose
extraction is slow) go to workers, and the pool starts only if there is one. Workers are forked
from a single-threaded caller (the command line); from the app, which imports in a thread,
`forkserver` is used, since forking a threaded process is unsafe. If the pool fails, the files
are read here instead.
"""

from __future__ import annotations

import multiprocessing
import os
import stat
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any, cast

from library.model import ParsedArticle, SourceArticle

MAX_WORKERS = 4
SMALL_FILE_BYTES = 1024 * 1024
MIN_FILES = 200
CHUNK = 32


def _read_chunk(
    paths: list[str],
    fmt: str | None,
    mapping: Mapping[str, str] | None,
    defer: bool = False,
    skip_labels: bool = False,
) -> list[list[ParsedArticle | SourceArticle | object]]:
    """In a worker: each file's items, exactly as `read_file` yields them."""
    from library.ingest.reading import read_file

    return [
        list(read_file(Path(p), fmt=fmt, mapping=mapping, defer=defer, skip_labels=skip_labels))
        for p in paths
    ]


def default_workers() -> int:
    """One worker process per CPU, at most `MAX_WORKERS`."""
    return min(MAX_WORKERS, os.cpu_count() or 1)


def _worth_a_worker(path: Path, defer: bool) -> bool:
    """Files whose reading is CPU-bound: every small file when parsing; with `defer` (text files
    are only read, at file speed, which a worker would slow down) only HTML pages."""
    from library.ingest.reading import extension_format

    if defer and extension_format(os.fspath(path)) != "html":
        return False
    return _is_small_file(path)


def _is_small_file(path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size <= SMALL_FILE_BYTES


def _context() -> multiprocessing.context.BaseContext:
    """`fork` from a single-threaded process (fast, and never re-runs the caller's script);
    `forkserver` or `spawn` when other threads run (the app), as forking those is unsafe."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def start_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool: `fork` when this process runs one thread, else `forkserver`/`spawn`.

    A program that replaces `sys.stderr` with an object without a file number (a terminal UI
    does) must start multiprocessing's resource tracker before it does so; see
    `reader.app.launch.prepare_worker_processes`."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=_context())


def read_files_parallel(
    items: Iterable[Path | object],
    fmt: str | None,
    mapping: Mapping[str, str] | None,
    workers: int,
    defer: bool = False,
    skip_labels: bool = False,
) -> Iterator[ParsedArticle | SourceArticle | object]:
    """What `read_file` yields for each path of `items` (IngestErrors pass through), in order."""
    from library.ingest.reading import read_file

    it = iter(items)
    head: list[Path | object] = []
    for item in it:
        head.append(item)
        if len(head) >= MIN_FILES:
            break
    if len(head) < MIN_FILES:  # a few files: not worth a pool
        for item in head:
            if isinstance(item, Path):
                yield from read_file(item, fmt=fmt, mapping=mapping, defer=defer, skip_labels=skip_labels)
            else:
                yield item
        return

    def all_items() -> Iterator[Path | object]:
        yield from head
        yield from it

    # In flight, in order: ("chunk", future) or ("inline", path) or ("item", error).
    pending: deque[tuple[str, object]] = deque()
    chunk: list[str] = []
    limit = workers * 3
    pool: ProcessPoolExecutor | None = None  # started when the first chunk is ready
    try:

        def flush() -> None:
            nonlocal pool
            if chunk:
                paths = list(chunk)
                chunk.clear()
                try:
                    if pool is None:
                        pool = start_pool(workers)
                    future = pool.submit(_read_chunk, paths, fmt, mapping, defer, skip_labels)
                except Exception:  # the pool is broken: these files are read here instead
                    pending.extend(("inline", Path(p)) for p in paths)
                    return
                pending.append(("chunk", (future, paths)))

        def drain(keep: int) -> Iterator[ParsedArticle | SourceArticle | object]:
            while pending and (len(pending) > keep or pending[0][0] != "chunk"):
                kind, value = pending.popleft()
                if kind == "chunk":
                    future, paths = cast(tuple[Future[Any], list[str]], value)
                    try:
                        results = future.result()
                    except Exception:  # a worker died or a result would not pickle: read them here
                        results = [
                            list(read_file(Path(p), fmt=fmt, mapping=mapping, skip_labels=skip_labels))
                            for p in paths
                        ]
                    for file_items in results:
                        yield from file_items
                elif kind == "inline":
                    assert isinstance(value, Path)
                    yield from read_file(
                        value, fmt=fmt, mapping=mapping, defer=defer, skip_labels=skip_labels
                    )
                else:
                    yield value

        for item in all_items():
            if isinstance(item, Path) and _worth_a_worker(item, defer):
                chunk.append(os.fspath(item))
                if len(chunk) >= CHUNK:
                    flush()
            else:
                flush()
                pending.append(("inline", item) if isinstance(item, Path) else ("item", item))
            yield from drain(limit)
        flush()
        yield from drain(0)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
