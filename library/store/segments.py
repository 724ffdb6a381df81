"""Write-once catalogue segments and their sorted key index: `catalog/seg-NNNNNN.jsonl` + `.idx`.

Why segments: a single JSON catalogue must be rewritten whole on every batch, which made a large
import quadratic. Here a batch writes one new segment holding only the entries it adds or
replaces (and a tombstone per removed article); a later segment overrides an earlier one. The
list of live segments, with each one's size and checksum, is the small manifest
(`catalog.json`, see `library.store.catalog`), whose atomic rename is a batch's commit point.

Each segment is written twice (`.jsonl` and `.jsonl.bak`, like the body packs) and checked
against the manifest's checksum when it is read whole. Its index (`.idx`, derived, rebuilt when
damaged) holds one sorted line per key, so one article is found by bisection without parsing
the catalogue: `i<id>\\t<offset>\\t<length>\\t<hash>` for an entry (offset -1 for a tombstone) and
`x<external id>\\t<id>` for an external id, `o<key>\\t<id>` for each further key the caller names
(`lookup_keys`: file names, URLs), and `d<published>\\t<id>` for each entry (its publication date,
empty when undated), so the list's default order, newest first, is read from the end of the `d`
lines without parsing the catalogue (`dates`); `p<id>` for each entry stored but not cleaned yet
(`pending`). The header's "keys" names the kinds of these last two an index holds (an index
written before them has neither). Keys are JSON-escaped, so no key holds a tab or a
newline. The first line of an index is a JSON header naming the segment's checksum (an index of
another generation is not used) and the packs its entries point into.
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from library.store.atomic import atomic_write_bytes

SEGMENT_RE = re.compile(r"^seg-(\d{6,})\.(jsonl|idx)$")
LookupKeys = Callable[[dict[str, Any]], Iterable[str]]  # an entry -> further keys that name it
MERGE_FANIN = 8  # this many segments of one level are merged into one of the next level
FULL_SEGMENT = 500  # a segment of this many lines is not merged by level again (see `merge_count`)
_ID_PREFIX = b'{"id":"'
GZIP_MAGIC = b"\x1f\x8b"


def segment_name(number: int) -> str:
    return f"seg-{number:06d}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def line_id(line: bytes) -> str:
    """The id of an entry line without parsing all of it (entries are written id first)."""
    if line.startswith(_ID_PREFIX):
        end = line.find(b'"', 7)
        if end > 7 and b"\\" not in line[7:end]:
            return line[7:end].decode("utf-8")
    return str(orjson.loads(line)["id"])


def is_tombstone(line: bytes) -> bool:
    return (
        line.endswith(b',"removed":true}')
        and len(line) < 200
        and set(orjson.loads(line)) == {"id", "removed"}
    )


def tombstone(article_id: str) -> bytes:
    return orjson.dumps({"id": article_id, "removed": True})


def entry_line(entry: dict[str, Any]) -> bytes:
    """One entry as a segment line, its id first (see `line_id`).

    Copied to a bytes object of its own size: orjson's result keeps a 4 KB buffer, and the
    catalogue keeps a line per article (a million of them took 4 GB instead of 0.3)."""
    return memoryview(orjson.dumps({"id": entry["id"], **entry})).tobytes()


def _key(text: str) -> bytes:
    """`text` as a key: JSON-escaped (no tab, newline or quote is left raw)."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return text.encode()  # what the escaping gives, without it (ids, most URLs)
    return orjson.dumps(text)[1:-1]


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """A live segment as the manifest lists it."""

    name: str  # seg-NNNNNN
    records: int  # lines, tombstones included
    size: int
    sha: str
    level: int  # 0 for a batch; a merge of level-L segments is L + 1
    # At most how many of its lines are for articles an earlier segment holds (replaced entries,
    # tombstones); None where not recorded (a manifest written before): any line may be. Why: a
    # segment that replaces nothing cannot hide an earlier segment's line, so the list by date
    # need not look an article up in it (`IndexedReads._live_in`); an import's batches replace
    # nothing, and a million articles are five hundred of them.
    replaces: int | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "records": self.records,
            "size": self.size,
            "sha": self.sha,
            "level": self.level,
        }
        if self.replaces is not None:
            data["replaces"] = self.replaces
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SegmentInfo:
        replaces = data.get("replaces")
        return cls(
            str(data["name"]),
            int(data["records"]),
            int(data["size"]),
            str(data["sha"]),
            int(data["level"]),
            replaces if isinstance(replaces, int) and replaces >= 0 else None,
        )


def merge_count(levels: list[int], records: list[int] | None = None, fanin: int = MERGE_FANIN) -> int:
    """How many trailing segments to merge now (0: none): the last `fanin` when they share a level
    and each holds fewer than `FULL_SEGMENT` lines (`records`, one per segment, when given).

    Why levels: new segments are level 0, so the small segments of one level are together at
    the end; merging them when there are `fanin` of them rewrites each entry once per level,
    and the list holds fewer than `fanin` small segments per level. Why full segments stay: a
    batch of an import is already a segment of hundreds or thousands of lines, and merging it
    again by level would rewrite every entry once more per level (at a million short records
    the merges wrote more bytes than the records themselves), to save a lookup one probe of a
    memory-mapped index (a few microseconds). Stale lines are still dropped: the catalogue
    compacts all segments when most of their lines are stale."""
    if len(levels) < fanin or len(set(levels[-fanin:])) != 1:
        return 0
    if records is not None and any(count >= FULL_SEGMENT for count in records[-fanin:]):
        return 0
    return fanin


def write_segment(
    directory: Path,
    number: int,
    lines: list[bytes],
    level: int,
    lookup_keys: LookupKeys | None = None,
    entries: list[dict[str, Any] | None] | None = None,
    replaces: int | None = None,
) -> SegmentInfo:
    """Write a segment, its copy and its index, durably; return what the manifest must record.
    `entries`: the parsed lines when the caller has them (None for a tombstone), so the index is
    made without parsing them again. `replaces`: see `SegmentInfo`."""
    directory.mkdir(parents=True, exist_ok=True)
    name = segment_name(number)
    data = b"".join(line + b"\n" for line in lines)
    info = SegmentInfo(name, len(lines), len(data), digest(data), level, replaces)
    # The index first, without an fsync of its own: the segment's directory sync below makes its
    # rename durable, and an index whose bytes a power cut lost is unusable, noticed and rebuilt.
    _write_derived(directory / f"{name}.idx", index_bytes(info, data, lookup_keys, entries))
    atomic_write_bytes(directory / f"{name}.jsonl", data, keep_backup=True, backup=compressed_copy(data))
    return info


def compressed_copy(data: bytes) -> bytes:
    """The spare copy of a segment: gzip at its fastest level (what `zcat` reads). Why compressed:
    the copy is read only when the segment is damaged, and catalogue lines, their keys repeated
    on every line, shrink about five times; for a data set of short records the uncompressed
    copy was a third of all the bytes an import wrote. `mtime=0` keeps the copy of the same
    bytes the same."""
    import gzip  # here: most commands never write a segment

    return gzip.compress(data, compresslevel=1, mtime=0)


def copy_contents(data: bytes) -> bytes:
    """A segment's bytes from its copy as written (gzip), or as copies were before (the bytes
    themselves: a segment line starts with `{`, never with gzip's magic number). Raises
    ValueError when a compressed copy does not decompress."""
    if not data.startswith(GZIP_MAGIC):
        return data
    import gzip
    import zlib

    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:
        raise ValueError(f"its compressed bytes do not decompress ({err})") from None


def _write_derived(path: Path, data: bytes) -> None:
    """Replace a derived file atomically (a temporary file renamed), not durably."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def segment_lines(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(offset, line) for each line of a segment."""
    offset = 0
    size = len(data)
    while offset < size:
        end = data.find(b"\n", offset)
        if end < 0:
            end = size
        if end > offset:
            yield offset, data[offset:end]
        offset = end + 1


def write_index(
    directory: Path, info: SegmentInfo, data: bytes, lookup_keys: LookupKeys | None = None
) -> None:
    """The sorted key index of a segment (derived: no copy is kept, it is rebuilt when bad)."""
    atomic_write_bytes(directory / f"{info.name}.idx", index_bytes(info, data, lookup_keys))


def index_bytes(
    info: SegmentInfo,
    data: bytes,
    lookup_keys: LookupKeys | None = None,
    entries: list[dict[str, Any] | None] | None = None,
) -> bytes:
    """What the index of the segment `data` holds (see the module docstring). `entries`, when
    given, are its lines parsed, in order (None for a tombstone)."""
    keys: list[bytes] = []
    packs: dict[str, int] = {}
    blocks: set[str] = set()
    for number, (offset, line) in enumerate(segment_lines(data)):
        aid = line_id(line)
        if (entries[number] is None) if entries is not None else is_tombstone(line):
            keys.append(b"i%s\t-1\t0\t-" % _key(aid))
            continue
        keys.append(b"i%s\t%d\t%d\t%s" % (_key(aid), offset, len(line), digest(line).encode()))
        entry = entries[number] if entries is not None else orjson.loads(line)
        assert entry is not None
        ext = (entry.get("meta") or {}).get("external_id")
        if ext:
            keys.append(b"x%s\t%s" % (_key(str(ext)), _key(aid)))
        if lookup_keys is not None:
            for other in dict.fromkeys(lookup_keys(entry)):
                if other:
                    keys.append(b"o%s\t%s" % (_key(other), _key(aid)))
        published = (entry.get("meta") or {}).get("published") or ""
        keys.append(b"d%s\t%s" % (_key(str(published)), _key(aid)))
        if entry.get("pending"):
            keys.append(b"p%s" % _key(aid))
        for ref in (entry.get("body"), entry.get("blocks")):
            if ref:
                end = int(ref[1]) + int(ref[2])
                if end > packs.get(str(ref[0]), -1):
                    packs[str(ref[0])] = end
        if entry.get("blocks"):
            blocks.add(str(entry["blocks"][0]))
        elif not entry.get("pending") and entry.get("body"):
            blocks.add(str(entry["body"][0]))
    keys.sort()
    header = orjson.dumps(
        {"segment": info.name, "sha": info.sha, "packs": packs, "blocks": sorted(blocks), "keys": ["d", "p"]}
    )
    return header + b"\n" + b"".join(k + b"\n" for k in keys)


class SegmentIndex:
    """A segment's index opened for lookups (memory-mapped; nothing is parsed until asked)."""

    def __init__(self, path: Path, info: SegmentInfo) -> None:
        """Raises ValueError when the index is not the one of `info`'s segment."""
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size == 0:
                raise ValueError("index is empty")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        end = self._map.find(b"\n")
        if end < 0:
            raise ValueError("index has no header")
        try:
            header = orjson.loads(self._map[:end])
        except orjson.JSONDecodeError:
            raise ValueError("index header is not JSON") from None
        if not isinstance(header, dict) or header.get("sha") != info.sha:
            raise ValueError("index belongs to another generation of its segment")
        self.packs: dict[str, int] = {str(k): int(v) for k, v in (header.get("packs") or {}).items()}
        self.blocks: set[str] = {str(p) for p in header.get("blocks") or ()}
        kinds = header.get("keys") or ()
        self.has_dates = "d" in kinds  # an index written before them has none
        self.has_pending = "p" in kinds
        self._start = end + 1

    def close(self) -> None:
        self._map.close()

    def _first_at_least(self, key: bytes) -> int:
        """Byte offset of the first line whose key is >= `key` (bisection over line starts)."""
        mm = self._map
        lo, hi = self._start, len(mm)
        while lo < hi:
            mid = (lo + hi) // 2
            start = max(mm.rfind(b"\n", 0, mid) + 1, self._start)
            end = mm.find(b"\n", start)
            if end < 0:
                end = len(mm)
            line_key = mm[start:end].split(b"\t", 1)[0]
            if line_key < key:
                lo = end + 1
            else:
                hi = start
        return lo

    def _lines_from(self, offset: int) -> Iterator[list[bytes]]:
        mm = self._map
        while offset < len(mm):
            end = mm.find(b"\n", offset)
            if end < 0:
                end = len(mm)
            yield mm[offset:end].split(b"\t")
            offset = end + 1

    def find(self, article_id: str) -> tuple[int, int, str] | None:
        """(offset, length, hash) of the entry's line, (-1, 0, "-") for a tombstone, None if absent."""
        key = b"i" + _key(article_id)
        for fields in self._lines_from(self._first_at_least(key)):
            if fields[0] != key:
                return None
            return int(fields[1]), int(fields[2]), fields[3].decode()
        return None

    def ids_with_prefix(self, prefix: str, limit: int) -> list[str]:
        key = b"i" + _key(prefix)
        found: list[str] = []
        for fields in self._lines_from(self._first_at_least(key)):
            if not fields[0].startswith(key) or len(found) >= limit:
                break
            found.append(_unkey(fields[0][1:]))
        return found

    def external(self, external_id: str, kind: bytes = b"x") -> list[str]:
        """Ids listed under an external id (kind b"x") or a further lookup key (kind b"o")."""
        key = kind + _key(external_id)
        found: list[str] = []
        for fields in self._lines_from(self._first_at_least(key)):
            if fields[0] != key:
                break
            found.append(_unkey(fields[1]))
        return found

    def dates(self, *, newest_first: bool = True) -> Iterator[tuple[str, str]]:
        """(published, id) of every entry line (no tombstone), by date then id: from the last `d`
        line back when `newest_first`. Lazy: a page of the list reads a page of lines."""
        mm = self._map
        first = self._first_at_least(b"d")
        last = self._first_at_least(b"e")  # the first line after the `d` lines
        if not newest_first:
            for fields in self._lines_from(first):
                if not fields[0].startswith(b"d") or len(fields) < 2:
                    break
                yield _unkey(fields[0][1:]), _unkey(fields[1])
            return
        end = last - 1  # the newline ending the last `d` line
        while end > first:
            start = max(mm.rfind(b"\n", first, end) + 1, first)
            fields = mm[start:end].split(b"\t")
            if len(fields) >= 2 and fields[0].startswith(b"d"):
                yield _unkey(fields[0][1:]), _unkey(fields[1])
            end = start - 1

    def pending(self) -> list[str]:
        """Ids of the entries of this segment not cleaned yet (`p` lines)."""
        found: list[str] = []
        for fields in self._lines_from(self._first_at_least(b"p")):
            if not fields[0].startswith(b"p"):
                break
            found.append(_unkey(fields[0][1:]))
        return found

    def ids(self) -> Iterable[str]:
        """Every id this segment holds a line for (tombstones included)."""
        for fields in self._lines_from(self._start):
            if fields[0].startswith(b"i"):
                yield _unkey(fields[0][1:])


def _unkey(raw: bytes) -> str:
    return str(orjson.loads(b'"' + raw + b'"'))


def read_line(path: Path, offset: int, length: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(offset)
        return handle.read(length)
