"""Reading a Global Research header, in every layout real pages show.

The header is the run of lines after the title: `By [A](#)`, `Global Research, May 23, 2017`,
a source line (`[Outlet](#) 13 May 2020`), Region / Theme / In-depth Report, in any order, with
or without link markup and blank lines. Layouts seen:

- the web page (links, blank lines), with or without a source line under the date;
- the print view (no blank lines, no links, the original date on its own line,
  `Url of this article:` and the URL);
- the 2004-05 archive page (site banner lines above the title, a lower-case `by`,
  `www.globalresearch.ca 18  March 2005`, `The URL of this article is: ...`).

An unrecognised line between header lines does not end the header: it is kept in place (the
classifier decides whether it is body or boilerplate) and the lines after it are still read.
The published date is the GR date line's; a second date (the source line's) never replaces it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from library.cleaning.metadata import (
    find_bare_date,
    find_date_line,
    find_domain_date_line,
    find_name_date_line,
    link_texts,
    split_authors,
    strip_links,
)
from library.cleaning.paragraphs import Span
from library.model import REASON_METADATA, REASON_NAVIGATION, Metadata

BY_RE = re.compile(r"^by\s+\S", re.IGNORECASE)
REGION_RE = re.compile(r"^regions?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
THEME_RE = re.compile(r"^themes?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
REPORT_RE = re.compile(r"^in-?depth reports?\s*:\s*(?P<rest>.*)$", re.IGNORECASE)
# Where a topic label starts inside a line ("Region: [Europe](#)Theme: [History](#)").
_LABEL_RE = re.compile(r"(?:(?<=^)|(?<=[\s\])]))(?:regions?|themes?|in-?depth reports?)\s*:", re.IGNORECASE)
_NAME = r"(?:Dr\.?|Prof\.?|Professor)?\s*[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin|da))*"
PLAIN_BYLINE_RE = re.compile(rf"^[Bb][Yy]\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*\s*$")
ONLY_LINKS_RE = re.compile(r"^(?:\[[^\[\]\n]+\]\([^()\s]*\)(?:\s*(?:,|and|&)\s*)?)+$", re.IGNORECASE)
# "Url of this article:" (print view), "The URL of this article is:" (archive); the URL may follow.
URL_LABEL_RE = re.compile(
    r"^(?:the\s+)?url\s+of\s+this\s+article(?:\s+is)?\s*:?\s*(?P<rest>.*)$", re.IGNORECASE
)
URL_RE = re.compile(r"(?:https?://|www\.)[^\s()<>\[\]]+", re.IGNORECASE)
BARE_URL_RE = re.compile(r"^<?(?:https?://|www\.)[^\s<>]+>?$", re.IGNORECASE)
# A plain outlet name on the line under the date: a few capitalised words, no sentence
# ("South Front", "Brasil de Fato", "Africa Is a Country", "The Ecologist").
_OUTLET_WORD = (
    r"(?:[A-Z0-9][\w&.'’-]*|&|a|an|and|at|de|del|des|di|do|da|du|for|in|la|le|of|on|the|\([A-Z]\w*\))"
)
_OUTLET_RE = re.compile(rf"^[A-Z0-9][\w&.'’-]*(?:\s+{_OUTLET_WORD})*$")
_BANNER_PART_RE = re.compile(
    r"^(?:centre\s+(?:for|of)\s+research\s+on\s+globali[sz]ation(?:\s*\((?:crg|crm)\))?"
    r"|centre\s+de\s+recherche\s+sur\s+la\s+mondialisation(?:\s*\((?:crg|crm)\))?"
    r"|(?:https?://)?(?:www\.)?globalresearch\.ca/?|global\s+research(?:\.ca)?|crg|crm)$",
    re.IGNORECASE,
)
_BANNER_SPLIT_RE = re.compile(r"\s+[-–—|/•]\s+|\s*\|\s*")
_BANNER_MARKS = "-–—|/•"  # every match of the split holds one of them

MAX_HEADER_LINES = 16  # non-blank lines after the title that may still be header lines
MAX_UNKNOWN_RUN = 3  # unrecognised lines in a row before the header is taken to have ended
MAX_HEADER_CHARS = 300  # no header line is longer


@dataclass
class Header:
    """What the title and header lines say, and what each line before the body is."""

    meta: Metadata
    title_span: Span | None = None
    # Every line from the first to the last header line, in order, with its verdict:
    # REASON_METADATA (a header line), REASON_NAVIGATION (a site banner) or None (unrecognised:
    # left to the classifier).
    lines: list[tuple[Span, str | None]] = field(default_factory=list)
    body_start: int = 0  # index in the spans where the body starts
    source_name: str | None = None  # the outlet of a source line (a fallback original source)


@dataclass
class _State:
    """What the reader has seen so far, to rank dates and recognise source lines."""

    gr_date: str | None = None
    gr_from_site: bool = False  # gr_date came from a Global Research date line
    other_date: str | None = None
    after_date: bool = False  # the previous line was a date line
    source_name: str | None = None  # the outlet of a source line, a fallback original source
    url_label_open: bool = False  # "Url of this article:" seen, its URL not yet


def is_gr_site(site: str) -> bool:
    folded = site.casefold().replace(" ", "")
    return "globalresearch" in folded


def is_banner(line: str) -> bool:
    """A site banner line ("Centre for Research on Globalisation", "www.globalresearch.ca")."""
    plain = strip_links(line).strip()
    if not plain or len(plain) > 160:
        return False
    if any(mark in plain for mark in _BANNER_MARKS):
        parts = [p.strip() for p in _BANNER_SPLIT_RE.split(plain) if p.strip()]
    else:  # no separator the split can cut at (the usual title): the line is its one part
        parts = [plain]
    return bool(parts) and all(_BANNER_PART_RE.match(p) for p in parts)


def names(rest: str) -> list[str]:
    """The names a topic line lists: its link texts, else its comma-separated parts."""
    found = link_texts(rest)
    if found:
        return found
    plain = strip_links(rest).strip()
    return [p.strip() for p in re.split(r"\s*,\s*", plain) if p.strip()] if plain else []


def topic_segments(line: str) -> list[tuple[str, str]] | None:
    """[(label, rest)] of a line made only of Region / Theme / In-depth Report parts, or None."""
    if not _LABEL_RE.match(line):  # the first label must start the line: most lines stop here
        return None
    starts = [m.start() for m in _LABEL_RE.finditer(line)]
    segments: list[tuple[str, str]] = []
    for i, start in enumerate(starts):
        piece = line[start : starts[i + 1] if i + 1 < len(starts) else len(line)].strip()
        for pattern, label in ((REGION_RE, "region"), (THEME_RE, "themes"), (REPORT_RE, "report")):
            m = pattern.match(piece)
            if m:
                segments.append((label, m.group("rest").strip()))
                break
    return segments


def _add_topics(meta: Metadata, label: str, found: list[str]) -> None:
    if label == "report":
        if found and meta.in_depth_report is None:
            meta.in_depth_report = ", ".join(found)
        return
    target = meta.region if label == "region" else meta.themes
    target.extend(n for n in found if n not in target)


def _set_date(meta: Metadata, state: _State, site: str | None, iso: str) -> None:
    """The first "<Site>, <date>" line gives the published date, unless a Global Research
    date line comes later; every other date (a source line's, a bare one) only fills a gap."""
    state.after_date = True
    if site is not None:
        gr = is_gr_site(site)
        if state.gr_date is None or gr and not state.gr_from_site:
            state.gr_date, state.gr_from_site = iso, gr
            meta.site = "Global Research" if gr and "." in site else site
            return
    if state.other_date is None:
        state.other_date = iso


_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)\]]*$")


def is_prose(plain: str) -> bool:
    """A sentence of body text (ten words or more, ending a sentence): never a header line."""
    return len(plain) > 200 or len(plain.split()) >= 10 and bool(_SENTENCE_END_RE.search(plain))


def _topics_line(line: str) -> bool:
    """A Region / Theme / In-depth Report line (not a sentence that starts with "Region:")."""
    return topic_segments(line) is not None and not is_prose(strip_links(line).strip())


def _is_author(name: str, meta: Metadata) -> bool:
    return name.casefold() in {a.casefold() for a in meta.authors}


def _read_line(line: str, meta: Metadata, state: _State, *, strong_only: bool) -> bool:
    """Record what a header line says; False when it is not a header line.

    `strong_only` (after an unrecognised line): accept only lines no body paragraph looks like."""
    after_date, state.after_date = state.after_date, False
    if len(line) > MAX_HEADER_CHARS:
        return False
    plain = strip_links(line).strip()
    if state.url_label_open:
        state.url_label_open = False
        if BARE_URL_RE.match(plain.split(" (")[0]):
            meta.url = meta.url or URL_RE.search(line).group(0)  # type: ignore[union-attr]
            return True
    if BY_RE.match(line) and ("](" in line and not meta.authors or PLAIN_BYLINE_RE.match(line)):
        # A linked byline, or plain names ("By Jane Doe and Tom Roe"): not a first paragraph
        # that happens to start with "By the end of the week…".
        if strong_only and meta.authors:
            return False
        if not meta.authors:
            meta.authors = split_authors(line)
        return True
    found = find_date_line(plain)
    if found:
        _set_date(meta, state, *found)
        return True
    found = find_domain_date_line(plain)
    if found:
        _set_date(meta, state, *found)
        return True
    segments = topic_segments(line)
    if segments and not is_prose(plain):
        for label, rest in segments:
            _add_topics(meta, label, names(rest))
        return True
    m = URL_LABEL_RE.match(plain)
    if m:
        url = URL_RE.search(line)
        if url:
            meta.url = meta.url or url.group(0)
        else:
            state.url_label_open = True
        return True
    if ONLY_LINKS_RE.match(line) and meta.authors and all(_is_author(t, meta) for t in link_texts(line)):
        return True  # the author link repeated
    if strong_only:
        return False
    iso = find_bare_date(plain)
    if iso:  # the original date on its own line (print view)
        _set_date(meta, state, None, iso)
        return True
    named = find_name_date_line(plain)
    if named and _outlet_shaped(named[0]):  # "[Outlet](#) 13 May 2020": not the published date
        name, iso = named
        _set_date(meta, state, None, iso)
        if after_date or "](" in line:
            state.source_name = state.source_name or _outlet(name, meta)
        return True
    if ONLY_LINKS_RE.match(line):  # the author link repeated, or the source outlet
        if after_date:
            texts = link_texts(line)
            state.source_name = state.source_name or (_outlet(texts[0], meta) if len(texts) == 1 else None)
        return True
    return False


def _outlet(name: str, meta: Metadata) -> str | None:
    name = strip_links(name).strip()
    return None if not name or _is_author(name, meta) else name


def _outlet_shaped(line: str) -> bool:
    plain = strip_links(line).strip()
    return bool(_OUTLET_RE.match(plain)) and len(plain) <= 60 and len(plain.split()) <= 6


def _plain_outlet(line: str, nxt: str | None, meta: Metadata, state: _State) -> bool:
    """A plain outlet name under the date ("South Front"), when a header line follows it."""
    if not _outlet_shaped(line) or nxt is None:
        return False
    plain = strip_links(line).strip()
    probe = _State(gr_date=state.gr_date, other_date=state.other_date, after_date=True)
    if not _read_line(nxt, Metadata(authors=list(meta.authors)), probe, strong_only=False):
        return False
    state.source_name = state.source_name or _outlet(plain, meta)
    state.after_date = True
    return True


def read_header(text: str, spans: list[Span]) -> Header:
    """The title, the header lines (and the unrecognised lines among them) and the body start."""
    meta = Metadata()
    header = Header(meta=meta, body_start=len(spans))
    nonblank = [i for i, s in enumerate(spans) if s[1] > s[0]]
    if not nonblank:
        return header

    def line_at(k: int) -> str:
        s, e = spans[nonblank[k]]
        return text[s:e]

    k = 0
    banner: list[Span] = []
    while k < min(4, len(nonblank) - 1) and is_banner(line_at(k)):
        banner.append(spans[nonblank[k]])
        k += 1
    title_k = k
    header.title_span = spans[nonblank[k]]
    meta.title = strip_links(line_at(k)).strip() or None
    k += 1
    state = _State()
    seen: list[tuple[int, str | None]] = []  # (index in nonblank, verdict)
    last_header = -1
    outlet_at = -1
    unknown_run = 0
    end = min(len(nonblank), k + MAX_HEADER_LINES)
    while k < end:
        line = line_at(k)
        nxt = line_at(k + 1) if k + 1 < len(nonblank) else None
        strong_only = unknown_run > 0
        after_date = state.after_date
        if _read_line(line, meta, state, strong_only=strong_only) or (
            after_date and not strong_only and _plain_outlet(line, nxt, meta, state)
        ):
            seen.append((k, REASON_METADATA))
            last_header = len(seen) - 1
            unknown_run = 0
        else:
            if after_date and not strong_only and _outlet_shaped(line):
                outlet_at = len(seen)  # a source line, if the header goes on after it
            unknown_run += 1
            prose = is_prose(strip_links(line).strip())
            if unknown_run > MAX_UNKNOWN_RUN or prose and not (nxt and _topics_line(nxt)):
                break  # the body has begun (a paragraph, or too many lines that are not header)
            seen.append((k, None))
        k += 1
    kept = seen[: last_header + 1]
    if 0 <= outlet_at < last_header:
        kept[outlet_at] = (kept[outlet_at][0], REASON_METADATA)
        state.source_name = state.source_name or _outlet(line_at(kept[outlet_at][0]), meta)
    header.lines = [(s, REASON_NAVIGATION) for s in banner]
    header.lines += [(spans[nonblank[idx]], verdict) for idx, verdict in kept]
    header.body_start = nonblank[kept[-1][0] if kept else title_k] + 1
    meta.published = state.gr_date or state.other_date
    header.source_name = state.source_name
    return header
