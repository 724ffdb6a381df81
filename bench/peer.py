"""Child process for the peer comparison: `trafilatura.extract` over the same files `reader import`
reads, with as many worker processes as the machine has cores (our import cleans in workers too).

trafilatura extracts from HTML and gives up on plain text (it returns None for every seed-format
file), so each file's paragraphs are wrapped as the page they were scraped from would hold them:
one `<p>` per paragraph, escaped, in an `<article>`. The wrapping is counted in the peer's time
(a few microseconds a file).

Run as `python -m bench.peer LISTFILE` (one path a line). Prints `DONE <files> <extracted>`;
exits 3 with `peer not installed` when trafilatura is absent (it is in the `bench` extra:
`pip install -e '.[bench]'`).
"""

from __future__ import annotations

import html
import importlib.util
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

CHUNK = 64


def available() -> bool:
    return importlib.util.find_spec("trafilatura") is not None


def as_html(text: str) -> str:
    """The text's paragraphs (blank-line separated) as a minimal HTML page."""
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return f"<html><body><article>{body}</article></body></html>"


def _extract(paths: list[str]) -> int:
    import trafilatura

    done = 0
    for path in paths:
        text = Path(path).read_text(encoding="utf-8", errors="replace")
        if trafilatura.extract(as_html(text)) is not None:
            done += 1
    return done


def main(argv: list[str]) -> int:
    if not available():
        print("peer not installed", flush=True)
        return 3
    paths = Path(argv[0]).read_text(encoding="utf-8").splitlines()
    chunks = [paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK)]
    workers = os.cpu_count() or 1
    if workers == 1:
        extracted = sum(_extract(c) for c in chunks)
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            extracted = sum(pool.map(_extract, chunks))
    print(f"DONE {len(paths)} {extracted}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
