"""Global Research scrapes: title, header (`By [A](#)`, `Global Research, May 23, 2017`, Region/Theme/Report), body, footer.

The header is read by `gr_header` (every layout: web page, print view, 2004-05 archive page).
Every non-blank line of the body is a paragraph; a paragraph the scraper broke in mid-sentence
is joined with the next one. The footer gives the original source (its notice, else the
copyright line's outlet, else the header's source line), the copyright and the article's URL.
"""

from __future__ import annotations

import re

from library.cleaning.boilerplate import rule_reason
from library.cleaning.metadata import (
    find_date_line,
    find_domain_date_line,
    split_authors,
    strip_links,
)
from library.cleaning.paragraphs import Span, continues_sentence, line_spans
from library.cleaning.parsers.blocks import Unit, finish, make_unit
from library.cleaning.parsers.gr_header import (
    BARE_URL_RE,
    BY_RE,
    REGION_RE,
    REPORT_RE,
    THEME_RE,
    URL_LABEL_RE,
    URL_RE,
    is_banner,
    is_gr_site,
    read_header,
)
from library.cleaning.regex_literals import first_chars
from library.model import REASON_METADATA, Metadata, Origin, ParsedArticle

ORIGINAL_RE = re.compile(r"^the original source of this article is\s+(?P<rest>.+)$", re.IGNORECASE)
COPYRIGHT_RE = re.compile(r"^(?:©\s*)?copyright\s*(?:©|\(c\))?\s*(?P<rest>.+)$", re.IGNORECASE)
# The copyright notice run into the original-source line: "...is [X](#)Copyright © ...".
_GLUED_COPYRIGHT_RE = re.compile(
    r"\s*(?:©\s*)?\b[Cc]opyright\b|(?<=[a-z.])Copyright(?=\s*(?:©|\([cC]\)))", re.UNICODE
)
_GLUED_AFTER_LINK_RE = re.compile(r"(?<=\))(?:©\s*)?copyright\b\s*(?:©|\(c\))?", re.IGNORECASE)
_YEAR_RE = re.compile(r"^(?:19|20)\d{2}$")
_YEAR_END_RE = re.compile(r"\b(?:19|20)\d{2}\b(?=\.\s+\S)")


def looks_like(text: str) -> bool:
    """Two GR header signs near the top (a GR date line or the archive URL line counts twice)."""
    # The first 14 non-blank lines, each stripped once and read only until the score is
    # reached (the header's first two lines, as a rule); links are stripped only for the
    # tests that read the plain line.
    score = 0
    seen = 0
    for raw in text[:4000].splitlines():
        line = raw.strip()
        if not line:
            continue
        if seen == 14:
            break
        seen += 1
        if (
            BY_RE.match(line)
            and "](" in line
            or (REGION_RE.match(line) or THEME_RE.match(line) or REPORT_RE.match(line))
            and ("](" in line or not line.endswith(":"))
        ):
            score += 1
        elif (
            found := find_date_line(plain := strip_links(line)) or find_domain_date_line(plain)
        ) is not None:
            score += 2 if is_gr_site(found[0]) else 1
        elif URL_LABEL_RE.match(plain) or is_banner(line):
            score += 1
        if score >= 2:
            return True
    return False


def parse(text: str, origin: Origin) -> ParsedArticle:
    spans = line_spans(text)
    header = read_header(text, spans)
    meta = header.meta
    units = [make_unit(text, [span], para, verdict) for para, (span, verdict) in enumerate(header.lines)]
    para = len(units)
    # Body and footer: one paragraph per non-blank line, split sentences joined.
    groups: list[list[Span]] = []
    prev = ""  # the last non-blank line (the last span of the last group)
    for span in spans[header.body_start :]:
        if span[1] <= span[0]:
            continue
        line = text[span[0] : span[1]]
        if groups and continues_sentence(prev, line, lenient=True) and rule_reason(prev) is None:
            groups[-1].append(span)
        else:
            groups.append([span])
        prev = line
    footer = _Footer()
    for group in groups:
        unit = make_unit(text, group, para)
        para += 1
        footer.read(unit, text, meta)
        units.append(unit)
    footer.finish(meta, header.source_name)
    return finish(text, units, meta, "globalresearch", origin)


def _footer_firsts() -> frozenset[str]:
    """The ASCII characters a footer notice can start with (every ASCII character if a
    pattern cannot be read); a line starting with another ASCII character holds none."""
    found: set[str] = set()
    for pattern in (URL_LABEL_RE, ORIGINAL_RE, COPYRIGHT_RE):
        firsts = first_chars(pattern)
        found |= set(map(chr, range(128))) if firsts is None else firsts
    return frozenset(found)


_FOOTER_FIRSTS = _footer_firsts()


class _Footer:
    """The notices after the body: original source, copyright, the article's URL."""

    def __init__(self) -> None:
        self.copyright_raw: str | None = None
        self.url_label = False  # "Url of this article:" seen, its URL expected next

    def read(self, unit: Unit, source: str, meta: Metadata) -> None:
        line = unit.text.strip()
        first = line[:1]
        if not self.url_label and first.isascii() and first not in _FOOTER_FIRSTS:
            return  # none of the notices' patterns can match: the usual body paragraph
        if self.url_label:
            self.url_label = False
            if BARE_URL_RE.match(line.split(" (")[0]):
                meta.url = meta.url or URL_RE.search(line).group(0)  # type: ignore[union-attr]
                unit.reason, unit.fixed = REASON_METADATA, True
                return
        m = URL_LABEL_RE.match(line)
        if m and len(line) < 400:
            url = URL_RE.search(m.group("rest"))
            if url:
                meta.url = meta.url or url.group(0)
            else:
                self.url_label = True
            unit.reason, unit.fixed = REASON_METADATA, True
            return
        m = ORIGINAL_RE.match(line)
        if m and meta.original_source is None:
            rest = m.group("rest")
            raw_rest = ORIGINAL_RE.match(_raw(unit, source).strip())
            glued = _glued_copyright(raw_rest.group("rest") if raw_rest else rest)
            if glued is not None:
                name, notice = glued
                meta.original_source = name or None
                self._copyright(notice, meta)
                return
            meta.original_source = rest.strip().rstrip(".").strip() or None
            return
        m = COPYRIGHT_RE.match(line)
        if m and len(line) < 300:
            raw = _raw(unit, source)
            self._copyright(raw.strip()[raw.strip().lower().find("copyright") :], meta)

    def _copyright(self, notice_raw: str, meta: Metadata) -> None:
        """Record a copyright notice (its raw text, links still marked)."""
        m = COPYRIGHT_RE.match(strip_links(notice_raw).strip())
        if not m or meta.copyright is not None:
            return
        rest = m.group("rest").strip()
        cut = _YEAR_END_RE.search(rest)  # "MICHEL CHOSSUDOVSKY 2005. For fair use only"
        meta.copyright = (rest[: cut.end()] if cut else rest) or None
        raw_m = COPYRIGHT_RE.match(notice_raw.strip())
        self.copyright_raw = raw_m.group("rest") if raw_m else notice_raw

    def finish(self, meta: Metadata, source_name: str | None) -> None:
        """The original source, when no notice named it: the copyright line's outlet, else the
        header's source line."""
        if meta.original_source is None and self.copyright_raw:
            meta.original_source = copyright_outlet(self.copyright_raw, meta.authors)
        if meta.original_source is None and source_name:
            meta.original_source = source_name


def _raw(unit: Unit, source: str) -> str:
    """The unit's lines as written (links still marked): sliced only for the notices that need it."""
    return source[unit.spans[0][0] : unit.spans[-1][1]]


def _glued_copyright(rest_raw: str) -> tuple[str, str] | None:
    """(original source, copyright notice) of "[X](#)Copyright © ..." on one line, or None."""
    m = _GLUED_AFTER_LINK_RE.search(rest_raw) or _GLUED_COPYRIGHT_RE.search(rest_raw)
    if not m or m.start() == 0:
        return None
    name = strip_links(rest_raw[: m.start()]).strip().rstrip(".").strip()
    return name, rest_raw[m.start() :].strip()


def copyright_outlet(rest_raw: str, authors: list[str]) -> str | None:
    """The outlet of "Copyright © Authors, Outlet, 2017" (GR's form), or None when the notice
    names only the authors."""
    plain_parts = [strip_links(p).strip(" .") for p in _split_top(rest_raw)]
    parts = [p for p in plain_parts if p and not _YEAR_RE.match(p)]
    if parts and re.search(r"\s(?:19|20)\d{2}\b.*$", parts[-1]):  # "MICHEL CHOSSUDOVSKY 2005. For..."
        parts[-1] = re.sub(r"\s+(?:19|20)\d{2}\b.*$", "", parts[-1]).strip()
    if not parts:
        return None
    known = {a.casefold() for a in authors}
    last = parts[-1]
    last_names = {n.casefold() for n in split_authors(last)}
    if last_names and last_names <= known:
        # Only authors: the outlet when repeated ("South Front, South Front, 2017"), else none.
        return last if len(parts) >= 2 and last.casefold() in {p.casefold() for p in parts[:-1]} else None
    return last


def _split_top(text: str) -> list[str]:
    """Comma-separated parts, commas inside link markup left alone."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts
