"""Catalogue queries answered through the segments' sorted indexes, without reading the catalogue:
one article's entry, the list's pages by date, import order, pending ids, id prefixes, external
ids and further lookup keys. The base of `library.store.catalog.Catalog`, which owns the state they read (the
live segments, their opened indexes, the loaded lines when a caller read them all); kept apart
so that the class holding the writes and the commit point stays readable.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from library.store.segments import (
    LookupKeys,
    SegmentIndex,
    SegmentInfo,
    digest,
    is_tombstone,
    line_id,
    read_line,
    segment_lines,
)

LOCATED_MAX = 100_000  # articles whose segment `Catalog._located` remembers
SMALL_SEGMENT = 50_000  # records: a segment this small keeps its ids as a set for `by_date`


class IndexedReads:
    """Read-only queries over `Catalog`'s segments (see the module docstring)."""

    _lines: dict[str, bytes] | None
    _segments: list[SegmentInfo]
    _small_ids: dict[str, frozenset[str]]
    _located: dict[str, SegmentInfo]
    lookup_keys: LookupKeys | None
    dir: Path

    if TYPE_CHECKING:  # defined by Catalog

        def __len__(self) -> int: ...
        def __contains__(self, article_id: object) -> bool: ...
        def _index(self, info: SegmentInfo) -> SegmentIndex | None: ...
        def _segment_bytes(self, info: SegmentInfo) -> bytes: ...
        def lines(self) -> dict[str, bytes]: ...
        def segment_names(self) -> list[str]: ...
        @property
        def by_external_id(self) -> dict[str, list[str]]: ...

    def get(self, article_id: str) -> dict[str, Any] | None:
        """One entry (a new dict), through the indexes unless the catalogue is read already."""
        line = self._lines.get(article_id) if self._lines is not None else self._find_line(article_id)
        return None if line is None else orjson.loads(line)

    def _find_line(self, article_id: str) -> bytes | None:
        located = self._located.get(article_id)
        if located is not None:
            line = self._line_in((located,), article_id)
            if line is not None:
                return line
        return self._line_in(reversed(self._segments), article_id)

    def _line_in(self, segments: Iterable[SegmentInfo], article_id: str) -> bytes | None:
        """The article's line in the first of `segments` that has one (None: a tombstone, or none)."""
        for info in segments:
            index = self._index(info)
            if index is None:
                return self.lines().get(article_id)
            found = index.find(article_id)
            if found is None:
                continue
            offset, length, expected = found
            if offset < 0:
                return None
            try:
                line = read_line(self.dir / f"{info.name}.jsonl", offset, length)
            except OSError:
                line = b""
            if digest(line) != expected or line_id(line) != article_id:
                return self.lines().get(article_id)  # damaged: the verified whole read recovers it
            self._remember(article_id, info)  # the next lookup of it (a command makes several) goes here
            return line
        return None

    def ids_with_prefix(self, prefix: str) -> list[str]:
        """Live ids starting with `prefix`, in import order when the catalogue is read."""
        if self._lines is not None:
            return [aid for aid in self._lines if aid.startswith(prefix)]
        found: dict[str, None] = {}
        for info in self._segments:
            index = self._index(info)
            if index is None:
                return [aid for aid in self.lines() if aid.startswith(prefix)]
            found.update(dict.fromkeys(index.ids_with_prefix(prefix, 1 << 62)))
        return [aid for aid in found if aid in self]

    def external_ids(self, external_id: str) -> list[str]:
        """Live articles whose external id is `external_id`."""
        if self._lines is not None:
            return list(self.by_external_id.get(external_id, []))
        found: dict[str, None] = {}
        for info in self._segments:
            index = self._index(info)
            if index is None:
                return list(self.by_external_id.get(external_id, []))
            found.update(dict.fromkeys(index.external(external_id)))
        result = []
        for aid in found:
            entry = self.get(aid)
            if entry is not None and str((entry.get("meta") or {}).get("external_id")) == external_id:
                result.append(aid)
        return result

    def by_date(self, *, newest_first: bool = True) -> Iterator[tuple[str, str]] | None:
        """(published, id) of every live article by publication date then id (newest first by
        default), merged lazily from the segments' indexes: the list's first page reads a page
        of index lines, not the catalogue. None when an index cannot say (written before it held
        dates, or unusable): the caller sorts the whole catalogue instead."""
        if len(self) and not self._segments:  # a version 1 catalogue, read as it is
            return None
        indexes = []
        for info in self._segments:
            index = self._index(info)
            if index is None or not index.has_dates:
                return None
            indexes.append(index)
        streams = [
            self._live_in(position, index.dates(newest_first=newest_first))
            for position, index in enumerate(indexes)
        ]
        return heapq.merge(*streams, reverse=newest_first)

    def _live_in(self, position: int, lines: Iterator[tuple[str, str]]) -> Iterator[tuple[str, str]]:
        """The lines of segment `position` that no later segment overrides (a newer entry, which
        its own segment lists, or a tombstone)."""
        here = self._segments[position]
        later = self._may_hide(position)
        for published, aid in lines:
            if not later or not any(self._holds(info, aid) for info in later):
                self._remember(aid, here)  # the page's rows are read from here, not looked for
                yield published, aid

    def _may_hide(self, position: int) -> list[SegmentInfo]:
        """The segments after `position` that may hold a line replacing one of its lines."""
        return [info for info in self._segments[position + 1 :] if info.replaces != 0]

    def _remember(self, article_id: str, info: SegmentInfo) -> None:
        """Note the segment holding the article's live line (bounded: see `LOCATED_MAX`)."""
        if len(self._located) >= LOCATED_MAX:
            self._located.clear()
        self._located[article_id] = info

    def _holds(self, info: SegmentInfo, article_id: str) -> bool:
        """Whether the segment has a line (entry or tombstone) for the article: a set of its ids
        for a small segment (a batch), else a bisection of its index."""
        ids = self._small_ids.get(info.name)
        if ids is None and info.records <= SMALL_SEGMENT:
            index = self._index(info)
            if index is not None:
                ids = self._small_ids[info.name] = frozenset(index.ids())
        if ids is not None:
            return article_id in ids
        index = self._index(info)
        return index is not None and index.find(article_id) is not None

    def in_import_order(self, article_ids: list[str]) -> list[str] | None:
        """The live ones of `article_ids` in import order (where `lines` has them), through the
        indexes: an article's place is its line in the first segment that holds it (a merge
        and a replacement keep the first place). None when an index cannot say."""
        if self._lines is not None or (len(self) and not self._segments):
            wanted = set(article_ids)
            return [aid for aid in self.lines() if aid in wanted]
        indexes = []
        for info in self._segments:
            index = self._index(info)
            if index is None:
                return None
            indexes.append(index)
        placed: list[tuple[int, int, str]] = []
        for aid in dict.fromkeys(article_ids):
            if aid not in self:
                continue
            for position, index in enumerate(indexes):
                found = index.find(aid)
                if found is not None:
                    placed.append((position, found[0], aid))
                    break
        return [aid for _, _, aid in sorted(placed)]

    def live_lines(self, chunk: int = 5000) -> Iterator[list[bytes]]:
        """Every live entry's line, `chunk` at a time, segment by segment, without keeping the
        catalogue (a caller that builds its own records of a million articles does not also
        hold their lines). The segments are read newest first, so a line is live when no
        segment read before held its article (an entry or a tombstone): one set of the ids seen
        so far, not a question to every later segment per line (45 s at a million). The order is
        by segment, newest first, not import order."""
        if self._lines is not None or not self._segments:
            lines = list(self.lines().values()) if self._lines is not None or len(self) else []
            for start in range(0, len(lines), chunk):
                yield lines[start : start + chunk]
            return
        seen: set[str] = set()
        for info in reversed(self._segments):
            part: list[bytes] = []
            for _, line in segment_lines(self._segment_bytes(info)):
                aid = line_id(line)
                if aid in seen:
                    continue
                seen.add(aid)
                if is_tombstone(line):
                    continue
                part.append(line)
                if len(part) >= chunk:
                    yield part
                    part = []
            if part:
                yield part

    def generation(self) -> tuple[str, ...]:
        """Which segments are live: it changes with every write of the catalogue (a derived
        cache, such as the search index, is current while it is the same)."""
        return (*self.segment_names(), str(len(self)))

    def pending_ids(self) -> list[str]:
        """Ids of the entries stored but not cleaned yet, in import order: from the indexes' `p`
        lines when the catalogue is not read (the app asks at every start), else parsing only
        the lines that may say so."""
        if self._lines is None and self._segments:
            indexes = [self._index(info) for info in self._segments]
            if all(index is not None and index.has_pending for index in indexes):
                found: list[str] = []
                for position, index in enumerate(indexes):
                    assert index is not None
                    later = self._may_hide(position)
                    found.extend(
                        aid for aid in index.pending() if not any(self._holds(info, aid) for info in later)
                    )
                ordered = self.in_import_order(found)
                if ordered is not None:
                    return ordered
        return [
            aid
            for aid, line in self.lines().items()
            if b'"pending":true' in line and orjson.loads(line).get("pending")
        ]

    def other_ids(self, key: str) -> list[str] | None:
        """Live articles that `lookup_keys` names by `key`; None when the indexes cannot say
        (the catalogue is read already, or an index is unusable): the caller asks every entry."""
        if self._lines is not None or self.lookup_keys is None:
            return None
        found: dict[str, None] = {}
        for info in self._segments:
            index = self._index(info)
            if index is None:
                return None
            found.update(dict.fromkeys(index.external(key, b"o")))
        result = []
        for aid in found:
            entry = self.get(aid)
            if entry is not None and key in set(self.lookup_keys(entry)):
                result.append(aid)
        return result
