"""One hash over everything cleaning outputs, to prove that a faster cleaner changes nothing.

Why: cleaning is optimised by hand (literal pre-tests before regexes, compact results from the
worker processes, cheaper normalisation); each change must keep every block, reason,
fingerprint, metadata field and stored record exactly as it was. This reads every article the
import would read under the corpus root (all folders, notes and label files included, so the
odd inputs count too), adds a large generated set, cleans them all through the import's own
path (`library.cleaning.parallel.clean_batches`, worker processes included), and hashes per
article:

- the article as read (origin, format, provisional metadata);
- the parse: metadata, format, every block (text, runs, reason, fingerprint), or why it failed;
- what the store writes for it: the catalogue fields (`cleaned_fields`: counts, body hash,
  site) and the pack line of its blocks, byte for byte;
- the site repetition the store applies afterwards (fingerprints counted per site over all the
  articles, then `apply_site_repetition`): the reasons it gives.

The generated set is the benchmark's seed-format articles (`bench.corpus`) plus "remixes" of
the real articles: their paragraphs shuffled between articles of the same kind, some with
links, digits, URLs and non-ASCII text added, and data-set records rebuilt from them, so the
rules and parsers see many more combinations than the corpus alone holds.

    .venv/bin/python -m bench.parse_hash                      # corpus + 2,000 seed + 2,000 remixes
    .venv/bin/python -m bench.parse_hash --articles DIR ...    # other folders instead of the corpus
    .venv/bin/python -m bench.parse_hash --workers 1           # cleaned in this process
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from bench.corpus import article as seed_article

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("READER_CORPUS", REPO.parent / "shared" / "corpus"))
BATCH = 500

# Additions a remix may splice into a paragraph: what the fingerprint and the rules react to.
_SPLICES = (
    " (https://example.org/a/b?c=1)",
    " www.example.com/page",
    " [a link](http://example.net/x)",
    " [dead](#)",
    " in 2019 and 2020, 3.5% of 1,200",
    " Ümlaut café — “quoted” ﬁ ligature ½",
    " © 2021 All rights reserved",
    " Photo by Jane Doe/Getty Images",
    " Story continues below advertisement.",
    " please support us with a donation",
)


def read_items(roots: Iterable[Path]) -> list[Any]:
    """What the import reads under `roots` (cleaning deferred), every file included."""
    from library.ingest.reading import read_inputs
    from library.model import ParsedArticle, SourceArticle

    items = []
    for root in roots:
        for item in read_inputs([str(root)], defer_cleaning=True, include_all=True, workers=1):
            if isinstance(item, SourceArticle | ParsedArticle):
                items.append(item)
    return items


def seed_items(count: int, seed: int = 1) -> list[Any]:
    """`count` articles in the seed's format, as the import reads them."""
    from library.cleaning.parsers import read_document
    from library.model import Origin

    rng = random.Random(seed)
    return [
        read_document(seed_article(rng, i), Origin(f"generated/{i // 1000:03d}/article-{i:06d}.txt"))
        for i in range(count)
    ]


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def remix_items(real: list[Any], count: int, seed: int = 2) -> list[Any]:
    """`count` new articles made of the real articles' paragraphs, shuffled between articles
    of the same kind (a text file's head kept so its format is still detected)."""
    from library.cleaning.parsers import detect_format, read_document, read_record
    from library.model import Origin, SourceArticle

    rng = random.Random(seed)
    kinds: dict[str, list[Any]] = {}
    for item in real:
        if not isinstance(item, SourceArticle):
            continue
        kind = detect_format(item.source_text) if item.format == "" else "record"
        kinds.setdefault(kind, []).append(item)
    pools = {kind: [p for it in items for p in _paragraphs(it.source_text)] for kind, items in kinds.items()}
    if "record" not in kinds and kinds:  # no data set read: records are made of the texts' paragraphs
        kinds["record"] = [it for items in kinds.values() for it in items]
        pools["record"] = [p for pool in pools.values() for p in pool]
    names = sorted(k for k in kinds if pools[k])
    out: list[Any] = []
    for i in range(count if names else 0):
        kind = names[i % len(names)]
        base = rng.choice(kinds[kind])
        paras = _paragraphs(base.source_text)
        head = 0 if kind == "record" else min(len(paras), rng.randint(1, 6))
        body = paras[head:]
        for _ in range(rng.randint(0, max(1, len(body) // 2))):
            if body:
                body[rng.randrange(len(body))] = rng.choice(pools[kind])
        rng.shuffle(body)
        if body and rng.random() < 0.5:
            k = rng.randrange(len(body))
            body[k] = body[k] + rng.choice(_SPLICES)
        if rng.random() < 0.3:
            body.append(rng.choice(pools[kind]))
        sep = "\n\n" if rng.random() < 0.8 else "\n"
        text = sep.join(paras[:head] + body) + "\n"
        path = f"remix/{kind}/{i:06d}"
        if kind == "record":
            meta = base.meta
            record = {
                "title": meta.title,
                "body": text,
                "authors": list(meta.authors) if rng.random() < 0.7 else None,
                "url": meta.url,
                "published": meta.published,
                "site": meta.site if rng.random() < 0.8 else None,
                "external_id": str(i),
            }
            out.append(read_record(record, Origin(f"{path}.csv", i), "csv"))
        else:
            out.append(read_document(text, Origin(f"{path}.txt")))
    return out


def article_record(item: Any, result: Any) -> bytes:
    """The bytes one article contributes: as read, as parsed, as stored."""
    from library.core.records import block_json, cleaned_fields
    from library.model import ParsedArticle

    head = [item.origin.to_json(), item.format, item.meta.to_json()]
    if isinstance(result, str):
        return orjson.dumps([head, "failed", result])
    assert isinstance(result, ParsedArticle)
    blocks = [block_json(b) for b in result.blocks]
    parsed = [
        result.meta.to_json(),
        result.format,
        result.origin.to_json(),
        result.source_text == item.source_text,
    ]
    stored = [cleaned_fields(result), orjson.dumps({"id": "-", "blocks": blocks}).decode()]
    return orjson.dumps([head, parsed, stored], option=orjson.OPT_SORT_KEYS)


def clean_all(items: list[Any], workers: int | None) -> list[Any]:
    """Every item cleaned through the import's path, in order (a ParsedArticle read as it is)."""
    from library.cleaning.parallel import clean_batches
    from library.model import ParsedArticle

    todo = [it for it in items if not isinstance(it, ParsedArticle)]
    batches = (todo[i : i + BATCH] for i in range(0, len(todo), BATCH))
    cleaned = iter([r for batch in clean_batches(batches, len(todo), workers) for r in batch])
    return [it if isinstance(it, ParsedArticle) else next(cleaned) for it in items]


def site_repetition(items: list[Any], results: list[Any]) -> bytes:
    """The reasons the site rule gives every article once all are counted, as the store does."""
    from library.cleaning.boilerplate import apply_site_repetition, site_key
    from library.model import ParsedArticle

    counts: dict[str, Counter[str]] = {}
    articles: Counter[str] = Counter()
    keys = []
    for result in results:
        if not isinstance(result, ParsedArticle):
            keys.append(None)
            continue
        site = site_key(result.meta, result.origin)
        keys.append(site)
        counts.setdefault(site, Counter()).update({b.fingerprint for b in result.blocks if b.fingerprint})
        articles[site] += 1
    out = hashlib.sha256()
    for site, result in zip(keys, results, strict=True):
        if site is None:
            continue
        blocks = apply_site_repetition(result.blocks, counts[site], articles[site])
        out.update(orjson.dumps([b.reason for b in blocks]))
    return out.digest()


def parse_hash(items: list[Any], workers: int | None = None) -> tuple[str, dict[str, Any]]:
    """The hash of cleaning `items`, and figures about the run."""
    start = time.perf_counter()
    results = clean_all(items, workers)
    took = time.perf_counter() - start
    digest = hashlib.sha256()
    failed = 0
    for item, result in zip(items, results, strict=True):
        failed += isinstance(result, str)
        digest.update(hashlib.sha256(article_record(item, result)).digest())
    digest.update(site_repetition(items, results))
    blocks = sum(len(r.blocks) for r in results if not isinstance(r, str))
    return digest.hexdigest(), {"articles": len(items), "failed": failed, "blocks": blocks, "seconds": took}


def gather(args: argparse.Namespace) -> Iterator[tuple[str, list[Any]]]:
    roots = [Path(p) for p in args.articles] if args.articles else ([CORPUS] if CORPUS.is_dir() else [])
    real = read_items(roots)
    if not roots:
        print(f"no corpus at {CORPUS}: generated articles only", file=sys.stderr)
    yield "read", real
    yield "seed-format", seed_items(args.seed_format)
    yield "remix", remix_items(real, args.remix)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.parse_hash", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", nargs="+", metavar="DIR", help="folders to read (default: the corpus)")
    parser.add_argument("--seed-format", type=int, default=2000, metavar="N", help="generated seed articles")
    parser.add_argument("--remix", type=int, default=2000, metavar="N", help="remixes of the real articles")
    parser.add_argument("--workers", type=int, default=None, help="cleaning processes (1: this one)")
    args = parser.parse_args(argv)
    total = hashlib.sha256()
    for name, items in gather(args):
        digest, figures = parse_hash(items, args.workers)
        total.update(bytes.fromhex(digest))
        print(
            f"{name:<12} {figures['articles']:>6} articles {figures['blocks']:>7} blocks "
            f"{figures['failed']:>3} failed  {figures['seconds']:6.2f} s  {digest[:16]}"
        )
    print(f"parse hash: {total.hexdigest()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
