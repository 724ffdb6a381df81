"""Markdown articles like the bibp archive: `# title` (maybe wrapped), `> Source: URL`, byline block, body.

The byline block comes apart ("by A" / "May 05, 2013" / "from" / "GlobalResearch Website") or
run together ("by A November 14, 2014 from GlobalResearch Website"), sometimes with the
author's outlet on a line of its own. The body is usually hard-wrapped at <= 76 columns with
no blank lines between paragraphs, so paragraph ends are inferred (see `library.cleaning.paragraphs`).
"""

from __future__ import annotations

import re

from library.cleaning.boilerplate import rule_reason
from library.cleaning.metadata import DATE_LINE_RE, DATE_PATTERN, parse_date, split_authors, strip_links
from library.cleaning.paragraphs import Span, continues_sentence, line_spans, unwrap, wrap_width
from library.cleaning.parsers.blocks import finish, make_unit, metadata_units
from library.model import REASON_NAVIGATION, Metadata, Origin, ParsedArticle

TITLE_RE = re.compile(r"^#\s+\S")
SOURCE_RE = re.compile(r"^>\s*source\s*:\s*(?P<url>\S+)", re.IGNORECASE)
BYLINE_RE = re.compile(
    rf"^by\s+(?P<author>.+?)(?:\s+(?P<date>{DATE_PATTERN}))?(?:\s+from\s+(?P<site>.+?)\s+website)?\s*$",
    re.IGNORECASE,
)
FROM_SITE_RE = re.compile(r"^(?:from\s+)?(?P<site>.{2,60}?)\s+website$", re.IGNORECASE)
FROM_RE = re.compile(r"^from$", re.IGNORECASE)
NAV_LINE_RE = re.compile(r"^Return to [A-Z\"“]")


def looks_like(text: str) -> bool:
    if not text.lstrip().startswith("#"):  # TITLE_RE wants "#" to begin the first line
        return False
    lines = [ln.strip() for ln in text[:3000].splitlines() if ln.strip()][:8]
    return bool(lines) and bool(TITLE_RE.match(lines[0])) and any(SOURCE_RE.match(ln) for ln in lines[1:])


def read_header(text: str, spans: list[Span]) -> tuple[Metadata, list[Span], int]:
    """The metadata of the title and header lines, the header lines' spans, and the index in
    `spans` where the body starts."""
    meta = Metadata()
    header: list[Span] = []
    i = 0
    n = len(spans)
    while i < n and spans[i][0] == spans[i][1]:
        i += 1
    # Title: "# ..." and its continuation lines up to the first blank line.
    if i < n and TITLE_RE.match(text[spans[i][0] : spans[i][1]]):
        parts = [text[spans[i][0] : spans[i][1]].lstrip("#").strip()]
        i += 1
        while i < n and spans[i][0] != spans[i][1] and not SOURCE_RE.match(text[spans[i][0] : spans[i][1]]):
            parts.append(text[spans[i][0] : spans[i][1]].strip())
            i += 1
        meta.title = " ".join(p for p in parts if p) or None
    # Header: source line, byline, date, "from", "<Site> Website", the author's outlet.
    header_end = i
    seen_by = False
    j = i
    limit = min(n, i + 14)
    while j < limit:
        s, e = spans[j]
        line = text[s:e]
        if not line:
            j += 1
            continue
        if not _read_header_line(line, meta, seen_by):
            if seen_by and meta.site is None and _site_line_ahead(text, spans, j, limit):
                pass  # the author's outlet, between byline and "from ... Website"
            else:
                break
        if BYLINE_RE.match(line):
            seen_by = True
        header.append(spans[j])
        j += 1
        header_end = j
    return meta, header, header_end


def parse(text: str, origin: Origin) -> ParsedArticle:
    spans = line_spans(text)
    meta, header, header_end = read_header(text, spans)
    units = metadata_units(text, header)
    para = len(units)
    body = spans[header_end:]
    # Navigation lines stand apart before unwrapping; the rest is unwrapped into paragraphs.
    width = wrap_width(e - s for s, e in body if not NAV_LINE_RE.match(text[s:e]))
    segments: list[list[Span]] = [[]]
    for span in body:
        line = text[span[0] : span[1]]
        if NAV_LINE_RE.match(line) and len(line) < 120:
            segments.append([span])
            segments.append([])
        else:
            segments[-1].append(span)
    paragraphs: list[list[Span]] = []
    for segment in segments:
        if len(segment) == 1 and NAV_LINE_RE.match(text[segment[0][0] : segment[0][1]]):
            paragraphs.append(segment)
            continue
        for group in unwrap(text, segment, width):
            if paragraphs and _joinable(text, paragraphs[-1], group):
                paragraphs[-1].extend(group)
            else:
                paragraphs.append(group)
    for group in paragraphs:
        reason = (
            REASON_NAVIGATION
            if len(group) == 1 and NAV_LINE_RE.match(text[group[0][0] : group[0][1]])
            else None
        )
        units.append(make_unit(text, group, para, reason))
        para += 1
    return finish(text, units, meta, "markdown", origin)


def _joinable(text: str, prev: list[Span], nxt: list[Span]) -> bool:
    a = text[prev[-1][0] : prev[-1][1]]
    b = text[nxt[0][0] : nxt[0][1]]
    return continues_sentence(a, b) and rule_reason(a) is None and not NAV_LINE_RE.match(a)


def _site_line_ahead(text: str, spans: list[Span], j: int, limit: int) -> bool:
    for k in range(j + 1, min(limit, j + 3)):
        line = text[spans[k][0] : spans[k][1]]
        if FROM_RE.match(line) or FROM_SITE_RE.match(line):
            return True
    return False


def _read_header_line(line: str, meta: Metadata, seen_by: bool) -> bool:
    m = SOURCE_RE.match(line)
    if m:
        meta.url = meta.url or m.group("url")
        return True
    m = BYLINE_RE.match(line)
    if m and len(line) < 200 and not seen_by:
        author = m.group("author").strip()
        date_text = m.group("date")
        # "by Prof Michel Chossudovsky April 08, 2015" (no "from"): the regex may leave the date in author.
        if not date_text:
            dm = re.search(rf"\s+(?P<date>{DATE_PATTERN})$", author, re.IGNORECASE)
            if dm:
                date_text = dm.group("date")
                author = author[: dm.start()].strip()
        meta.authors = split_authors(author)
        if date_text and meta.published is None:
            meta.published = parse_date(date_text)
        if m.group("site"):
            meta.site = m.group("site").strip()
        return True
    m = DATE_LINE_RE.match(strip_links(line))
    if m:
        if meta.published is None:
            meta.published = parse_date(m.group("date"))
        return True
    if FROM_RE.match(line):
        return True
    m = FROM_SITE_RE.match(line)
    if m:
        meta.site = meta.site or m.group("site").strip()
        return True
    return False
