"""What every format's reader shares: the import plan, the checks on untrusted values, finding
articles, and anchoring one span. Nothing here writes to the library."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from library.annotations.anchoring import anchor_in_article, quote_and_context
from library.annotations.model import ANCHOR_ORPHAN, ArticleTag, Highlight, new_id, now_iso
from library.errors import LibraryError
from library.interchange.ids import AmbiguousId, resolve_article_id
from library.interchange.rendering import URN_ARTICLE
from library.model import Article
from library.naming import ptc_article_number

if TYPE_CHECKING:
    from library import Library

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 200_000  # spans/annotations in one file; the whole PTC v2 corpus has about 7,000
MAX_TEXT = 1_000_000  # characters in one quote, note or tag


class AnnotationFileError(LibraryError):
    """An annotation file that cannot be imported; the message names the file and the reason."""


@dataclass
class ImportOptions:
    """`utf16`: True when the file's offsets count UTF-16 code units (doccano, Label Studio, JS
    tools), False for code points, None to detect from the file. `allowed_labels`: a label scheme;
    with `strict`, a file using other labels is refused."""

    utf16: bool | None = None
    allowed_labels: frozenset[str] | None = None
    strict: bool = False


@dataclass
class PlannedSpan:
    """One imported highlight, anchored (or orphaned) and ready to store."""

    article_id: str
    highlight: Highlight
    label: str  # where it came from in the file, for the orphan list


@dataclass
class ImportPlan:
    path: str
    format: str
    spans: list[PlannedSpan] = field(default_factory=list)
    tags: list[tuple[str, ArticleTag]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)  # entries naming an article not in the library
    notices: list[str] = field(default_factory=list)  # how the file was read (e.g. offsets as UTF-16)


def fail(path: str, reason: str) -> AnnotationFileError:
    return AnnotationFileError(f"{path}: {reason}")


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(str(path), f"file too large ({size} bytes, limit {MAX_FILE_BYTES})")
        return path.read_bytes()
    except FileNotFoundError:
        raise fail(str(path), "no such file") from None
    except IsADirectoryError:
        raise fail(str(path), "is a directory") from None
    except OSError as err:
        raise fail(str(path), f"cannot read ({err.strerror})") from err


def read_text(path: Path) -> str:
    raw = read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise fail(str(path), f"not UTF-8 text (byte {err.start})") from None


def loads(path: str, text: str | bytes, where: str = "") -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as err:
        raise fail(path, f"malformed JSON{where} ({err})") from None
    except RecursionError:
        raise fail(path, f"JSON nested too deeply{where}") from None


def check_count(path: str, count: int) -> None:
    if count > MAX_ENTRIES:
        raise fail(path, f"too many entries ({count}; the limit is {MAX_ENTRIES} per file)")


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def offsets(path: str, where: str, start: Any, end: Any) -> tuple[int, int]:
    if not (is_int(start) and is_int(end)):
        raise fail(
            path, f"{where}: offsets must be integers (got {type(start).__name__}, {type(end).__name__})"
        )
    if start < 0 or end < 0:
        raise fail(path, f"{where}: negative offset ({start}, {end})")
    if end < start:
        raise fail(path, f"{where}: end {end} before start {start}")
    return start, end


def int_offsets(path: str, where: str, s_raw: str, e_raw: str) -> tuple[int, int]:
    try:
        s, e = int(s_raw), int(e_raw)
    except ValueError:
        raise fail(path, f"{where}: offsets must be integers ({s_raw[:20]!r}, {e_raw[:20]!r})") from None
    return offsets(path, where, s, e)


def text(path: str, where: str, value: Any, name: str, *, optional: bool = True) -> str:
    if value is None and optional:
        return ""
    if not isinstance(value, str):
        raise fail(path, f"{where}: {name} must be a string (got {type(value).__name__})")
    if len(value) > MAX_TEXT:
        raise fail(path, f"{where}: {name} longer than {MAX_TEXT} characters")
    return value


def folder_files(path: Path, pattern: str) -> list[Path]:
    """The files of a folder format (brat, WebAnno: one file per article), or `path` itself when it
    is a file; a folder with none of them is a bad input."""
    if not path.is_dir():
        return [path]
    files = sorted(path.glob(pattern))
    if not files:
        raise fail(str(path), f"no {pattern.removeprefix('*')} files in this folder")
    return files


def in_range(path: str, where: str, span: tuple[int, int], length: int, what: str) -> None:
    if span[1] > length:
        raise fail(path, f"{where}: offsets ({span[0]}, {span[1]}) beyond the end of the {what} ({length})")


def check_labels(
    plan: ImportPlan, options: ImportOptions, labels: list[str], where: Mapping[str, str] | None = None
) -> None:
    """Labels outside the scheme: a notice, or (strict) a refusal of the whole file. `where`
    names where each label first occurs (e.g. "line 12") for formats that have lines."""
    if options.allowed_labels is None:
        return
    outside = sorted({lab for lab in labels if lab not in options.allowed_labels})
    if not outside:
        return
    shown = ", ".join(f"{lab} ({where[lab]})" if where and lab in where else lab for lab in outside[:10])
    if options.strict:
        raise fail(plan.path, f"label(s) outside the scheme: {shown}")
    plan.notices.append(f"{plan.path}: {len(outside)} label(s) outside the scheme: {shown}")


# --- finding articles -------------------------------------------------------------------------

_SPACES = re.compile(r"\s+")


def normal_title(title: str) -> str:
    """A title compared loosely: case, accents' composition, quotes and spacing do not matter."""
    t = unicodedata.normalize("NFKC", title).casefold()
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return _SPACES.sub(" ", t).strip()


def normal_url(url: str) -> str:
    u = url.strip().lower()
    u = re.sub(r"^https?://(www\.)?", "", u)
    u = u.split("#", 1)[0].split("?", 1)[0]
    return u.rstrip("/")


class ArticleIndex:
    """Finds library articles by id, external id, origin file name (article<ID>.txt), URL, body or
    title, by the rules of `library.interchange.ids` (an ambiguous key raises AmbiguousId)."""

    # Past this many lookups the maps of every article are built, which answer each one at once.
    DIRECT_LOOKUPS = 32

    def __init__(self, lib: Library) -> None:
        """Nothing is read until asked: a command that names one article finds it through the
        library's catalogue indexes (`Library.find_article`) without reading every summary."""
        self.lib = lib
        self._articles: dict[str, Article] = {}
        self._bodies: dict[str, str] | None = None
        self._maps: (
            tuple[
                set[str],
                dict[str, list[str]],
                dict[str, list[str]],
                dict[str, list[str]],
                dict[str, list[str]],
            ]
            | None
        ) = None
        self._lookups = 0

    def _build(
        self,
    ) -> tuple[
        set[str], dict[str, list[str]], dict[str, list[str]], dict[str, list[str]], dict[str, list[str]]
    ]:
        if self._maps is not None:
            return self._maps
        summaries = self.lib.summaries()
        ids = {s.id for s in summaries}
        external: dict[str, list[str]] = {}
        other: dict[str, list[str]] = {}
        titles: dict[str, list[str]] = {}
        urls: dict[str, list[str]] = {}
        for s in summaries:
            if s.meta.external_id:
                external.setdefault(str(s.meta.external_id), []).append(s.id)
            keys = [s.meta.url, os.path.basename(s.origin.path or "")]
            number = ptc_article_number(s.origin.path or "")
            if number:
                keys.append(number)
            for key in {k for k in keys if k}:
                other.setdefault(key, []).append(s.id)
            if s.meta.title:
                titles.setdefault(normal_title(s.meta.title), []).append(s.id)
            if s.meta.url:
                urls.setdefault(normal_url(s.meta.url), []).append(s.id)
        self._maps = (ids, external, other, titles, urls)
        return self._maps

    @property
    def ids(self) -> set[str]:
        return self._build()[0]

    @property
    def external(self) -> dict[str, list[str]]:
        return self._build()[1]

    @property
    def other(self) -> dict[str, list[str]]:
        return self._build()[2]

    @property
    def titles(self) -> dict[str, list[str]]:
        return self._build()[3]

    @property
    def urls(self) -> dict[str, list[str]]:
        return self._build()[4]

    def find(self, key: Any) -> str | None:
        """The article `key` names; None when none; AmbiguousId when several."""
        if key is None:
            return None
        key = str(key)
        if key.startswith(URN_ARTICLE):
            key = key[len(URN_ARTICLE) :]
        if not key.strip():
            return None
        self._lookups += 1
        if self._maps is None and self._lookups <= self.DIRECT_LOOKUPS and hasattr(self.lib, "find_article"):
            return self.lib.find_article(key)
        return resolve_article_id(key, self.ids, self.external, self.other)

    def find_for(self, plan: ImportPlan, where: str, *keys: Any, missing: str) -> str | None:
        """The first key that names an article. An ambiguous key, or none naming one (`missing`
        says how), is listed in the plan as not imported."""
        for key in keys:
            try:
                found = self.find(key)
            except AmbiguousId as err:
                plan.unmatched.append(f"{where}: {err}")
                return None
            if found is not None:
                return found
        plan.unmatched.append(f"{where}: {missing}")
        return None

    def find_by_title_or_url(self, title: str | None, url: str | None) -> tuple[str | None, str]:
        """(article id, how) for read-it-later exports; ambiguous titles give (None, reason)."""
        if url:
            hits = self.urls.get(normal_url(url), [])
            if len(hits) == 1:
                return hits[0], "url"
        if title:
            hits = self.titles.get(normal_title(title), [])
            if len(hits) == 1:
                return hits[0], "title"
            if len(hits) > 1:
                return None, f"title {title[:60]!r} matches {len(hits)} articles"
        return None, f"no article titled {str(title)[:60]!r}" + (f" or at {url[:80]}" if url else "")

    def find_by_body(self, body: str) -> str | None:
        if self._bodies is None:
            self._bodies = {}
            for aid in sorted(self.ids):
                self._bodies.setdefault(self.article(aid).body, aid)
        return self._bodies.get(body)

    def article(self, article_id: str) -> Article:
        art = self._articles.get(article_id)
        if art is None:
            art = self.lib.article(article_id)
            self._articles[article_id] = art
        return art


# --- building highlights --------------------------------------------------------------------


def make_highlight(
    article: Article,
    *,
    quote: str | None,
    prefix: str = "",
    suffix: str = "",
    source: tuple[int, int] | None = None,
    body: tuple[int, int] | None = None,
    tags: list[str],
    note: str = "",
    annotator: str,
    hid: str | None = None,
    created: str | None = None,
    updated: str | None = None,
) -> Highlight:
    """Anchor one span; without a quote the offsets are taken as they are (PTC gold, doccano text)."""
    stamp = now_iso()
    h = Highlight(
        id=hid or new_id(),
        source_start=0,
        source_end=0,
        quote=quote or "",
        prefix=prefix,
        suffix=suffix,
        tags=tags,
        note=note,
        annotator=annotator,
        created=created or stamp,
        updated=updated or created or stamp,
    )
    if quote is None:
        if source is None and body is not None:
            source = article.body_to_source(*body)
        if source is None:
            h.anchor, h.confidence = ANCHOR_ORPHAN, 0.0
            return h
        h.source_start, h.source_end = source
        h.quote, h.prefix, h.suffix = quote_and_context(article, *source)
        return h
    found = anchor_in_article(
        article,
        quote,
        prefix=prefix,
        suffix=suffix,
        source_start=source[0] if source else None,
        source_end=source[1] if source else None,
        body_start=body[0] if body else None,
        body_end=body[1] if body else None,
    )
    if found is None:
        # Orphan: kept where it said it was, with its quote, for the user to place.
        if source is not None:
            h.source_start, h.source_end = source
        h.anchor, h.confidence = ANCHOR_ORPHAN, 0.0
        return h
    h.source_start, h.source_end = found.source_start, found.source_end
    h.anchor, h.confidence = found.anchor, round(found.confidence, 4)
    if not prefix and not suffix:
        _, h.prefix, h.suffix = quote_and_context(article, found.source_start, found.source_end)
    return h
