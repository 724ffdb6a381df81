"""Units of text between parsing and blocks: line spans that read as one piece, with a verdict.

A parser cuts the source into *units* (a paragraph of a GR page, an unwrapped paragraph of a
markdown file, one sentence line of a PTC file). Units are classified one by one (metadata,
rules, heuristics); then consecutive body units of the same paragraph are merged into one
`Block`, so a boilerplate line in the middle of a paragraph leaves the body on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from library.cleaning import boilerplate
from library.cleaning.metadata import append_clean
from library.cleaning.paragraphs import Span
from library.model import REASON_METADATA, Block, Metadata, Origin, ParsedArticle
from library.textmap import Run, TextBuilder, make_run


@dataclass(slots=True)
class Unit:
    spans: list[Span]
    para: int
    reason: str | None = None
    fixed: bool = False  # decided by the parser (metadata); heuristics leave it alone
    text: str = ""
    runs: list[Run] = field(default_factory=list)
    link_chars: int = 0


def build_text(source: str, spans: list[Span]) -> tuple[str, list[Run], int]:
    """Clean text of lines joined by single spaces, links turned to text, with its runs."""
    if len(spans) == 1:  # one line without a link (the usual unit): its text and one run
        start, end = spans[0]
        if source.find("[", start, end) < 0:
            return source[start:end], [make_run(0, start, end - start)] if end > start else [], 0
    builder = TextBuilder()
    link_chars = 0
    for i, (start, end) in enumerate(spans):
        if i:
            builder.insert(" ")
        link_chars += append_clean(builder, source, start, end)
    return builder.text(), builder.runs(), link_chars


def make_unit(source: str, spans: list[Span], para: int, reason: str | None = None) -> Unit:
    text, runs, links = build_text(source, spans)
    # Positional: the fields in their order (spans, para, reason, fixed, text, runs, link_chars).
    return Unit(list(spans), para, reason, reason is not None, text, runs, links)


def metadata_units(source: str, header: list[Span]) -> list[Unit]:
    """One boilerplate unit per header line (byline, date, topics), numbered from 0."""
    return [make_unit(source, [span], para, REASON_METADATA) for para, span in enumerate(header)]


def classify(units: list[Unit], meta: Metadata, fmt: str) -> None:
    """Fill in the reason of every unit the parser left open."""
    reasons = boilerplate.classify(
        [u.text for u in units],
        [u.reason for u in units],
        [u.link_chars for u in units],
        authors=meta.authors,
        fmt=fmt,
        title=meta.title,
    )
    for unit, reason in zip(units, reasons, strict=True):
        unit.reason = reason


def to_blocks(source: str, units: list[Unit]) -> list[Block]:
    """Merge consecutive body units of one paragraph; every boilerplate unit stays its own block."""
    blocks: list[Block] = []
    pending: list[Unit] = []

    def flush() -> None:
        if not pending:
            return
        if len(pending) == 1:
            u = pending[0]
            text, runs = u.text, u.runs
        else:
            text, runs, _ = build_text(source, [s for u in pending for s in u.spans])
        blocks.append(Block(text, runs, None))
        pending.clear()

    for unit in units:
        if not unit.text.strip():
            continue
        if unit.reason is None:
            if pending and pending[-1].para != unit.para:
                flush()
            pending.append(unit)
            continue
        flush()
        blocks.append(Block(unit.text, unit.runs, unit.reason))
    flush()
    blocks = boilerplate.cut_fragments(blocks)
    for block in blocks:
        block.fingerprint = boilerplate.fingerprint(block.text)
    return blocks


def finish(source: str, units: list[Unit], meta: Metadata, fmt: str, origin: Origin) -> ParsedArticle:
    classify(units, meta, fmt)
    return ParsedArticle(
        source_text=source, meta=meta, blocks=to_blocks(source, units), format=fmt, origin=origin
    )
