"""`reader list` as plain aligned lines: one line per article, written as the rows come.

Why not a table layout: rich's Table measures every cell of every row before it prints the
first, which made 10,000 rows take ten times as long as `--json`. Here each row is cut to its
columns and written at once; the widths come from one cheap pass over the rows in hand.

The look is the same at every size (a short list on a terminal gets no other layout): the
columns id, published, site, tags, hl, read, then the title last, so that every article is one
line and the columns before it align whatever the title's length. On a terminal the title is
cut with an ellipsis to the terminal's width and the header is bold; a pipe or a file gets the
whole title (up to TITLE_LIMIT characters) and no escape codes, for grep, cut and awk. Site and
tags are cut to SITE_WIDTH and TAGS_WIDTH cells, and on a narrow terminal to what the title
leaves them (`column_widths`). Article text is untrusted: every field goes
through `library.safetext` (control, escape and bidi characters become visible stand-ins, and
characters of no width are dropped so that the columns align).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from library.safetext import layout_text, one_line
from reader.cli.output import BOLD, Lines, fit, pad, widest

if TYPE_CHECKING:
    from library.model import ArticleSummary

SITE_WIDTH = 20
TAGS_WIDTH = 24
TITLE_LIMIT = 200  # characters of a title on a pipe
TITLE_LEAST = 20  # cells the title keeps however narrow the terminal
TITLE_SHARE = 60  # percent of the room left by the fixed columns that the title keeps
HEADERS = ("id", "published", "site", "tags", "hl", "read", "title")
GAP = "  "
CHUNK = 500  # rows per write


def _clean(text: str, limit: int) -> str:
    """`text` as safe one-line text of at most `limit` characters."""
    if (
        len(text) <= limit
        and text.isascii()
        and text.isprintable()
        and "  " not in text
        and text == text.strip()
    ):
        return text  # nothing to replace, collapse or cut (most fields): skip the regexes
    return layout_text(one_line(text, limit))


def row_fields(s: ArticleSummary) -> tuple[str, str, str, str, str, str, str]:
    """The seven columns of one article, as safe one-line text."""
    return (
        s.id[:8],
        _clean(s.meta.published or "-", 40),
        _clean(s.meta.site or "-", 100),
        _clean(", ".join(s.tags), 200),
        str(s.highlights),
        "✓" if s.read else "",
        _clean(s.meta.title or "(untitled)", TITLE_LIMIT),
    )


def column_widths(rows: Iterable[Sequence[str]], total: int | None) -> list[int]:
    """The seven column widths (the title's is 0, no limit, without a terminal width `total`),
    in one pass over `rows` that keeps none of them.

    In `total` cells the title keeps at least TITLE_SHARE of what the fixed columns (id,
    published, hl, read) leave; site and tags split the rest, neither wider than it needs."""
    widths = [len(h) for h in HEADERS]
    batch: list[Sequence[str]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == CHUNK:
            widths = _widen(widths, batch)
    widths = _widen(widths, batch)
    widths[2] = min(widths[2], SITE_WIDTH)
    widths[3] = min(widths[3], TAGS_WIDTH)
    if total is None:
        return [*widths[:6], 0]
    room = total - widths[0] - widths[1] - widths[4] - widths[5] - len(GAP) * 6
    site, tags, title = widths[2], widths[3], widths[6]
    if site + tags + title > room:
        title = min(title, max(TITLE_LEAST, room * TITLE_SHARE // 100, room - site - tags))
        site, tags = _split(room - title, site, tags)
        title = max(room - site - tags, len(HEADERS[6]))
    return [widths[0], widths[1], site, tags, widths[4], widths[5], title]


def _widen(widths: list[int], batch: list[Sequence[str]]) -> list[int]:
    """`widths` widened to the cells of a batch of rows (which is emptied)."""
    if batch:
        columns = list(zip(*batch, strict=True))
        widths = [max(w, widest(column)) for w, column in zip(widths, columns, strict=True)]
        batch.clear()
    return widths


def _split(room: int, a: int, b: int) -> tuple[int, int]:
    """`room` cells for two columns that want `a` and `b`: halves, and what one leaves the other
    gets (never below their headers' widths)."""
    if a + b > room:
        half = room // 2
        if a <= half:
            b = room - a
        elif b <= room - half:
            a = room - b
        else:
            a, b = half, room - half
    return max(a, len(HEADERS[2])), max(b, len(HEADERS[3]))


def format_row(fields: Sequence[str], widths: Sequence[int], *, cut_title: bool) -> str:
    ident, published, site, tags, hl, read, title = fields
    if (ident + published + site + tags + title).isascii():  # one character, one cell
        w = widths
        return GAP.join(
            (
                ident.ljust(w[0]),
                _cut(published, w[1]).ljust(w[1]),
                _cut(site, w[2]).ljust(w[2]),
                _cut(tags, w[3]).ljust(w[3]),
                hl.rjust(w[4]),
                read.ljust(w[5]),
                _cut(title, w[6]) if cut_title else title,
            )
        )
    return GAP.join(
        (
            pad(ident, widths[0]),
            pad(fit(published, widths[1]), widths[1]),
            pad(fit(site, widths[2]), widths[2]),
            pad(fit(tags, widths[3]), widths[3]),
            pad(hl, widths[4], right=True),
            pad(read, widths[5]),
            fit(title, widths[6]) if cut_title else title,
        )
    )


def _cut(text: str, width: int) -> str:
    """ASCII `text` cut to `width` with an ellipsis (`output.fit` for any text)."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


class ListWriter:
    """Writes `reader list`'s lines: `write` a batch of articles as they are found, `finish` with
    the count. The column widths come from `candidates` (every article that may be written, a
    superset of the rows), so batches found later (full-text hits) align with the first ones."""

    def __init__(
        self, stream: TextIO, candidates: Sequence[ArticleSummary], *, width: int | None = None
    ) -> None:
        self.stream = stream
        self.out = Lines(stream)
        if width is None and self.out.styled:
            width = shutil.get_terminal_size().columns
        self.cut = width is not None
        # The rows are made again when written rather than kept: at a million articles they
        # would be as large as the summaries themselves.
        self.widths = column_widths((row_fields(s) for s in candidates), width)
        self.written = 0

    def write(self, summaries: Iterable[ArticleSummary]) -> None:
        """Write these articles' lines, CHUNK at a time (the header before the first)."""
        chunk: list[str] = []
        for s in summaries:
            if not self.written and not chunk:
                self.out.line((format_row(HEADERS, self.widths, cut_title=self.cut).rstrip(), BOLD))
            chunk.append(format_row(row_fields(s), self.widths, cut_title=self.cut).rstrip() + "\n")
            if len(chunk) == CHUNK:
                self._flush(chunk)
        self._flush(chunk)

    def _flush(self, chunk: list[str]) -> None:
        if chunk:
            self.stream.write("".join(chunk))
            self.written += len(chunk)
            chunk.clear()
            self.stream.flush()

    def finish(self, total: int) -> None:
        self.out.line(f"{self.written} of {total} articles")
        self.stream.flush()
