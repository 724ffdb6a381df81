"""Reading metadata out of recognised header lines: dates, author lists, markdown links.

Dates are parsed only from the date part of a line an anchored regex has already recognised
(python-dateutil on that captured span, never fuzzy mode over free text), so a sentence like
"the strike may have killed 23 people" can never become a publication date.

Links: `[text](#)` (a scraper's dead link) becomes `text`; a link with a real target keeps its
URL visible as `text (http://x)`, the URL copied from the source so it still maps back.
"""

from __future__ import annotations

import ast
import re
from datetime import date, datetime

from dateutil import parser as dateparser

from library.textmap import TextBuilder

MONTHS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "May 23, 2017", "May 05, 2013", "May 5 2013", "23 May 2017", "2017-05-23".
DATE_PATTERN = (
    rf"(?:{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*\d{{4}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS},?\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})"
)
DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)
DATE_LINE_RE = re.compile(rf"^\s*(?P<date>{DATE_PATTERN})\s*$", re.IGNORECASE)
# "Global Research, May 23, 2017" and the same for another outlet name.
SITE_DATE_RE = re.compile(
    rf"^\s*(?P<site>[^,\n\[\]]{{2,60}}?),\s+(?P<date>{DATE_PATTERN})\s*$", re.IGNORECASE
)

LINK_RE = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\((?P<target>[^()\s]*)\)")
DEAD_TARGETS = {"", "#"}

_MONTH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_MONTH_NUMBERS = {
    **{name: i for i, name in enumerate(_MONTH_NAMES, 1)},
    **{name[:3]: i for i, name in enumerate(_MONTH_NAMES, 1)},
}
_SIMPLE_DATE_RE = re.compile(r"(?P<month>[A-Za-z]+) (?P<day>\d{1,2}), (?P<year>\d{4})")

MIN_YEAR = 1990
MAX_YEAR = 2100


def parse_date(text: str) -> str | None:
    """ISO date of a string that is *only* a date (already isolated by an anchored regex)."""
    text = text.strip()
    if not text or not DATE_RE.fullmatch(text):
        return None
    try:
        simple = _SIMPLE_DATE_RE.fullmatch(text)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            value = date.fromisoformat(text)
        elif simple and simple.group("month").lower() in _MONTH_NUMBERS:
            # "May 23, 2017", the common form: what dateutil gives, about 20 times faster.
            month = _MONTH_NUMBERS[simple.group("month").lower()]
            value = date(int(simple.group("year")), month, int(simple.group("day")))
        else:
            value = dateparser.parse(text, default=datetime(1900, 1, 1), ignoretz=True).date()
    except (ValueError, OverflowError):
        return None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return value.isoformat()


def parse_published(value: str | None) -> str | None:
    """ISO date of a data-set field such as "2020-05-22", "2020-05-22T10:00:00Z" or "May 22, 2020"."""
    if not value:
        return None
    text = value.strip()
    m = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$", text)
    if m:
        return parse_date(m.group(1))
    return parse_date(text)


def find_date_line(line: str) -> tuple[str, str] | None:
    """(site, ISO date) of a "<Site>, <date>" line, or None."""
    m = SITE_DATE_RE.match(line)
    if not m:
        return None
    iso = parse_date(m.group("date"))
    return (m.group("site").strip(), iso) if iso else None


# "www.globalresearch.ca 18  March 2005": the 2004-05 archive pages' date line (no comma).
DOMAIN_DATE_RE = re.compile(
    rf"^\s*(?P<site>(?:https?://)?(?:www\.)?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{{2,6}})\s*[,|-]?\s+"
    rf"(?P<date>{DATE_PATTERN})\s*$",
    re.IGNORECASE,
)
# "[Outlet](#) 13 May 2020" / "Outlet 13 May 2020": where a republished article first appeared.
NAME_DATE_RE = re.compile(rf"^\s*(?P<name>[^,\n]{{2,80}}?)\s+(?P<date>{DATE_PATTERN})\s*$", re.IGNORECASE)


def find_domain_date_line(line: str) -> tuple[str, str] | None:
    """(domain, ISO date) of a "www.example.org 18 March 2005" line, or None."""
    m = DOMAIN_DATE_RE.match(line)
    if not m:
        return None
    iso = parse_date(m.group("date"))
    return (m.group("site").strip(), iso) if iso else None


def find_bare_date(line: str) -> str | None:
    """ISO date of a line that is only a date ("22 May 2017"), or None."""
    m = DATE_LINE_RE.match(line)
    return parse_date(m.group("date")) if m else None


def find_name_date_line(line: str) -> tuple[str, str] | None:
    """(name, ISO date) of a "Name 13 May 2020" line (no comma before the date), or None."""
    m = NAME_DATE_RE.match(line)
    if not m:
        return None
    iso = parse_date(m.group("date"))
    return (m.group("name").strip(), iso) if iso else None


def strip_links(text: str) -> str:
    """Plain text of a line: `[a](#)` -> `a`, `[a](http://x)` -> `a (http://x)`."""
    if "[" not in text:  # no link (most lines): one fast scan instead of the regex
        return text

    def repl(m: re.Match[str]) -> str:
        target = m.group("target")
        return m.group("text") if target in DEAD_TARGETS else f"{m.group('text')} ({target})"

    return LINK_RE.sub(repl, text)


def link_texts(text: str) -> list[str]:
    if "[" not in text:
        return []
    return [m.group("text").strip() for m in LINK_RE.finditer(text) if m.group("text").strip()]


def append_clean(builder: TextBuilder, source: str, start: int, end: int) -> int:
    """Copy source[start:end] into `builder`, turning markdown links into text; returns link chars."""
    if source.find("[", start, end) < 0:  # no link can start here: the usual line
        builder.copy(start, source[start:end])
        return 0
    link_chars = 0
    pos = start
    for m in LINK_RE.finditer(source, start, end):
        builder.copy(pos, source[pos : m.start()])
        text_start = m.start("text")
        builder.copy(text_start, m.group("text"))
        link_chars += len(m.group("text"))
        target = m.group("target")
        if target not in DEAD_TARGETS:
            builder.insert(" (")
            builder.copy(m.start("target"), target)
            builder.insert(")")
        pos = m.end()
    builder.copy(pos, source[pos:end])
    return link_chars


_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|;|&|\band\b|\|)\s*", re.IGNORECASE)
_QUOTES = "'\"‘’“”`"


def split_authors(text: str) -> list[str]:
    """Names from a byline such as "A, B and C" (links already removed or not)."""
    names = link_texts(text)
    if names:
        return _unique(names)
    text = strip_links(text).strip()
    text = re.sub(r"^(?:written\s+)?by\s+", "", text, flags=re.IGNORECASE)
    parts = [p.strip(" .") for p in _AUTHOR_SPLIT_RE.split(text)]
    return _unique([p for p in parts if p])


def parse_author_field(value: object) -> list[str]:
    """Authors of a data-set field: a list, a list literal ("['A', 'B']", typographic quotes too) or a name."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return _unique([str(v).strip() for v in value if str(v).strip()])
    text = str(value).strip()
    if not text:
        return []
    if text.startswith("[") and text.endswith("]"):
        normalised = re.sub(r"[‘’‚′]", "'", text)
        normalised = re.sub(r"[“”„″]", '"', normalised)
        try:
            parsed = ast.literal_eval(normalised)
        except (ValueError, SyntaxError):
            parsed = [p.strip().strip(_QUOTES).strip() for p in text[1:-1].split(",")]
        if isinstance(parsed, (list, tuple)):
            return _unique(
                [str(p).strip().strip(_QUOTES).strip() for p in parsed if str(p).strip(_QUOTES + " ")]
            )
    return split_authors(text)


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.casefold()
        if item and key not in seen:
            seen.add(key)
            out.append(item)
    return out
