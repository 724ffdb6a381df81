"""Global Research scrapes: title, `By [A](#)`, `Global Research, May 23, 2017`, Region/Theme/Report, body, footer.

The header lines may come in any order, some may be missing (no region, no themes), and each
becomes a metadata block rather than disappearing. Every non-blank line of the body is a
paragraph; a paragraph the scraper broke in mid-sentence is joined with the next one.
"""

from __future__ import annotations

import re

from library.cleaning.boilerplate import rule_reason
from library.cleaning.metadata import find_date_line, link_texts, split_authors, strip_links
from library.cleaning.paragraphs import Span, continues_sentence, line_spans
from library.cleaning.parsers.blocks import finish, make_unit, metadata_units
from library.model import Metadata, Origin, ParsedArticle

BY_RE = re.compile(r"^by\s+\S", re.IGNORECASE)
REGION_RE = re.compile(r"^regions?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
THEME_RE = re.compile(r"^themes?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
REPORT_RE = re.compile(r"^in-?depth reports?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
_NAME = r"(?:Dr\.?|Prof\.?|Professor)?\s*[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin|da))*"
PLAIN_BYLINE_RE = re.compile(rf"^[Bb][Yy]\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*\s*$")
ONLY_LINKS_RE = re.compile(r"^(?:\[[^\[\]\n]+\]\([^()\s]*\)(?:\s*(?:,|and|&)\s*)?)+$", re.IGNORECASE)
ORIGINAL_RE = re.compile(r"^the original source of this article is\s+(?P<rest>.+)$", re.IGNORECASE)
COPYRIGHT_RE = re.compile(r"^copyright\s*(?:©|\(c\))?\s*(?P<rest>.+)$", re.IGNORECASE)

# A GR page is recognised by two of these header lines near the top.
HEADER_SIGNS = (BY_RE, REGION_RE, THEME_RE, REPORT_RE)


def looks_like(text: str) -> bool:
    lines = [ln.strip() for ln in text[:4000].splitlines() if ln.strip()][:14]
    score = 0
    for line in lines:
        if (
            BY_RE.match(line)
            and "](" in line
            or find_date_line(line)
            or any(p.match(line) for p in (REGION_RE, THEME_RE, REPORT_RE))
            and ("](" in line or not line.endswith(":"))
        ):
            score += 1
            if score >= 2:
                return True
    return False


def _names(rest: str) -> list[str]:
    names = link_texts(rest)
    if names:
        return names
    plain = strip_links(rest).strip()
    return [p.strip() for p in re.split(r"\s*,\s*", plain) if p.strip()] if plain else []


def _read_header_line(line: str, meta: Metadata) -> bool:
    """Record what a header line says; False when the line is not a header line."""
    if BY_RE.match(line) and ("](" in line and not meta.authors or PLAIN_BYLINE_RE.match(line)):
        # A linked byline, or plain names ("By Jane Doe and Tom Roe"): not a first paragraph
        # that happens to start with "By the end of the week…".
        if not meta.authors:
            meta.authors = split_authors(line)
        return True
    found = find_date_line(strip_links(line))
    if found:
        site, iso = found
        if meta.published is None:
            meta.published = iso
            meta.site = meta.site or site
        return True
    for pattern, attr in ((REGION_RE, "region"), (THEME_RE, "themes")):
        m = pattern.match(line)
        if m:
            getattr(meta, attr).extend(n for n in _names(m.group("rest")) if n not in getattr(meta, attr))
            return True
    m = REPORT_RE.match(line)
    if m:
        names = _names(m.group("rest"))
        if names and meta.in_depth_report is None:
            meta.in_depth_report = ", ".join(names)
        return True
    # The author link repeated on its own line.
    return bool(ONLY_LINKS_RE.match(line)) and len(line) < 300


def read_header(text: str, spans: list[Span]) -> tuple[Metadata, list[Span], int]:
    """The metadata the title and header lines give, the header lines' spans, and the index in
    `spans` where the body starts."""
    meta = Metadata()
    nonblank = [s for s in spans if s[1] > s[0]]
    if not nonblank:
        return meta, [], len(spans)
    title_span = nonblank[0]
    meta.title = strip_links(text[title_span[0] : title_span[1]]).strip() or None
    header: list[Span] = []
    rest = nonblank[1:]
    i = 0
    # Header: recognised lines right after the title (in any order).
    while i < len(rest) and i < 12:
        if not _read_header_line(text[rest[i][0] : rest[i][1]], meta):
            break
        header.append(rest[i])
        i += 1
    body_start = spans.index(rest[i]) if i < len(rest) else len(spans)
    return meta, header, body_start


def parse(text: str, origin: Origin) -> ParsedArticle:
    spans = line_spans(text)
    meta, header, body_start = read_header(text, spans)
    units = metadata_units(text, header)
    para = len(units)
    # Body and footer: one paragraph per non-blank line, split sentences joined.
    groups: list[list[Span]] = []
    for span in spans[body_start:]:
        if span[1] <= span[0]:
            continue
        line = text[span[0] : span[1]]
        if groups:
            prev = text[groups[-1][-1][0] : groups[-1][-1][1]]
            if continues_sentence(prev, line, lenient=True) and rule_reason(prev) is None:
                groups[-1].append(span)
                continue
        groups.append([span])
    for group in groups:
        unit = make_unit(text, group, para)
        para += 1
        _read_footer_line(unit.text, meta)
        units.append(unit)
    return finish(text, units, meta, "globalresearch", origin)


def _read_footer_line(clean: str, meta: Metadata) -> None:
    line = clean.strip()
    m = ORIGINAL_RE.match(line)
    if m and meta.original_source is None:
        meta.original_source = m.group("rest").strip().rstrip(".").strip() or None
        return
    m = COPYRIGHT_RE.match(line)
    if m and meta.copyright is None and len(line) < 300:
        meta.copyright = m.group("rest").strip() or None
