"""Synthetic parsed articles for the store tests (no parser involved), and a check of the builder.

`make_article(i)` gives a small article: a byline block (boilerplate), body paragraphs, and a
donation block (boilerplate), with offset runs into its source text and block fingerprints.
"""

from __future__ import annotations

import hashlib
import random

from library.model import REASON_DONATION, REASON_METADATA, Block, Metadata, Origin, ParsedArticle
from library.textmap import TextBuilder

WORDS = (
    "river council budget harbour minister vote season archive lantern orchard valley tunnel "
    "signal bridge market winter garden ledger pilot canvas meadow"
).split()


def _fp(text: str) -> str:
    return hashlib.sha1(" ".join(text.lower().split()).encode()).hexdigest()[:16]


def make_article(
    i: int,
    *,
    site: str = "example.org",
    paragraphs: int = 3,
    words: int = 30,
    extra_blocks: list[str] | None = None,
    title: str | None = None,
    body_seed: int | None = None,
    folder: str = "/data/in",
) -> ParsedArticle:
    """A deterministic synthetic article; `body_seed` lets two articles share a body."""
    rng = random.Random(i if body_seed is None else body_seed)
    title = title if title is not None else f"Article number {i}"
    paras = [f"By Reporter {i % 7}"]
    for p in range(paragraphs):
        paras.append(f"Paragraph {p} " + " ".join(rng.choice(WORDS) for _ in range(words)) + ".")
    paras.extend(extra_blocks or [])
    paras.append("Please donate to keep this site running.")
    header = title + "\n\n"
    source = header + "\n\n".join(paras) + "\n"
    blocks: list[Block] = []
    pos = len(header)
    for k, text in enumerate(paras):
        tb = TextBuilder()
        tb.copy(pos, text)
        reason = REASON_METADATA if k == 0 else REASON_DONATION if k == len(paras) - 1 else None
        blocks.append(Block(tb.text(), tb.runs(), reason, _fp(text)))
        pos += len(text) + 2
    meta = Metadata(title=title, authors=[f"Reporter {i % 7}"], site=site, url=f"https://{site}/a/{i}")
    return ParsedArticle(source, meta, blocks, "text", Origin(f"{folder}/{i:05d}.txt"))


def test_sample_blocks_point_into_their_source() -> None:
    art = make_article(3, extra_blocks=["An extra line"])
    for block in art.blocks:
        for run in block.runs:
            assert (
                art.source_text[run.source : run.source + run.length]
                == block.text[run.clean : run.clean + run.length]
            )
    assert [b.is_body for b in art.blocks] == [False, True, True, True, True, False]
