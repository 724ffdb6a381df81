"""Plain text (the PTC form: title on line 1, blank line, one sentence per line) and record bodies.

Each line is a unit, so a poll prompt or an "Email *" field inside a paragraph can leave the
body on its own; the body lines of one paragraph (blank-line separated) are joined with spaces
into one block. A paragraph broken in mid-sentence across a blank line is joined again.
A line whose being a line carries meaning, a dateline ("October 13, 2017, Legal Insurrection"
under a quoted source's introduction), is kept as its own block instead of joined into prose.
"""

from __future__ import annotations

import re

from library.cleaning.boilerplate import rule_reason
from library.cleaning.metadata import DATE_PATTERN
from library.cleaning.paragraphs import Span, continues_sentence, line_spans
from library.cleaning.parsers.blocks import Unit, finish, make_unit
from library.model import Metadata, Origin, ParsedArticle

# "October 13, 2017", "October 13, 2017, Legal Insurrection", "Legal Insurrection, October 13, 2017".
DATELINE_RE = re.compile(
    rf"^\s*(?:(?:{DATE_PATTERN})(?:\s*[,–—|-]\s*[^.!?\n]{{1,60}})?|[^,.!?\n]{{2,60}},\s+(?:{DATE_PATTERN}))\s*$",
    re.IGNORECASE,
)


def is_dateline(line: str) -> bool:
    """A date (with an outlet's name) alone on its line: a heading of what follows, not prose."""
    return len(line) <= 90 and DATELINE_RE.match(line) is not None


def body_units(text: str, spans: list[Span], para: int = 0) -> list[Unit]:
    """One unit per line (a sentence broken over two lines is one unit); blank lines part
    paragraphs, and a dateline is a paragraph of its own."""
    units: list[Unit] = []
    blank_before = False
    prev_text = ""
    for span in spans:
        line = text[span[0] : span[1]]
        if not line:
            blank_before = True
            continue
        alone = bool(units) and (is_dateline(line) or is_dateline(prev_text))  # no join, own block
        if not alone and units and continues_sentence(prev_text, line) and rule_reason(prev_text) is None:
            last = units[-1]
            units[-1] = make_unit(text, last.spans + [span], last.para)
        else:
            if units and (blank_before or alone):
                para += 1
            units.append(make_unit(text, [span], para))
        blank_before = False
        prev_text = line
    return units


def read_header(text: str, spans: list[Span]) -> tuple[Metadata, int]:
    """The title (the first non-blank line) and the index in `spans` where the body starts."""
    meta = Metadata()
    i = 0
    while i < len(spans) and spans[i][0] == spans[i][1]:
        i += 1
    if i < len(spans):
        s, e = spans[i]
        meta.title = text[s:e].strip() or None
        i += 1
    return meta, i


def parse(text: str, origin: Origin) -> ParsedArticle:
    spans = line_spans(text)
    meta, i = read_header(text, spans)
    return finish(text, body_units(text, spans[i:]), meta, "text", origin)


def parse_body(text: str, meta: Metadata, origin: Origin, fmt: str = "record") -> ParsedArticle:
    """A data-set record's body: the whole text is body (the title came from its own field)."""
    return finish(text, body_units(text, line_spans(text)), meta, fmt, origin)
