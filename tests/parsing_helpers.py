"""Shared checks for parser tests: offset-map soundness and nothing lost."""

from __future__ import annotations

from library.model import Article, ParsedArticle

MARKUP = set("[]()#>")


def check_runs(parsed: ParsedArticle) -> None:
    """Every run of every block copies the source exactly."""
    src = parsed.source_text
    for block in parsed.blocks:
        for r in block.runs:
            assert src[r.source : r.source + r.length] == block.text[r.clean : r.clean + r.length], block.text


def uncovered(parsed: ParsedArticle, skip: tuple[int, int] | None = None) -> str:
    """Non-whitespace source characters no block copies, except link/markdown markup."""
    src = parsed.source_text
    covered = bytearray(len(src))
    for block in parsed.blocks:
        for r in block.runs:
            covered[r.source : r.source + r.length] = b"\x01" * r.length
    lost = []
    for i, ch in enumerate(src):
        if covered[i] or ch.isspace() or ch in MARKUP:
            continue
        if skip and skip[0] <= i < skip[1]:
            continue
        lost.append(ch)
    return "".join(lost)


def title_span(parsed: ParsedArticle) -> tuple[int, int]:
    """Source span before the first block: where the title lines are."""
    first = min((b.source_start for b in parsed.blocks if b.runs), default=len(parsed.source_text))
    return (0, first)


def as_article(parsed: ParsedArticle) -> Article:
    return Article(
        id="t",
        meta=parsed.meta,
        source_text=parsed.source_text,
        blocks=parsed.blocks,
        format=parsed.format,
        origin=parsed.origin,
    )
