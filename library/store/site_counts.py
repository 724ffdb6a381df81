"""The site counts on disk: write-once files `sites/counts-NNNNNN.tsv`, one per cleaned batch.

Why: one `sites.json` rewritten whole after every cleaned batch made large imports quadratic.
Each batch now writes the counts of its own articles, naming the packs they came from; the
files are summed when read, and merged by level as the catalogue segments are (see
`library.store.segments.merge_count`). A file is a JSON header line (its level, the packs it
counted, and its sites in order, each with its number of articles) and then one sorted line per
(site, fingerprint): `<site number>\\t<fp>\\t<n>` (the site's place in the header's list; keys
JSON-escaped), so showing one article looks up its own fingerprints by bisection
(`SiteCountFiles.lookup`) instead of reading every count of the library. Why a number, not the
site's name as files written before had it (`<site>\\t<fp>\\t<n>`, an `"articles"` object in the
header; still read): the name was half of every line. An older program finds no `"articles"` in
such a header, takes the file for damaged and counts its packs again.

The counts are derived from the packs, so a damaged file is moved aside (or skipped when
read-only), its packs are simply not counted, and the caller counts them again; no copy is kept.
A merge writes the sum first and removes the parts after: a file whose packs a newer file covers
is a part left by a crash, and is not counted.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from library.store.atomic import fsync_dir, move_aside, write_new_file
from library.store.segments import merge_count
from library.store.sitemodel import SiteModel, add_into

COUNTS_DIR = "sites"
COUNTS_RE = re.compile(r"^counts-(\d{6,})\.tsv$")


def _plain(text: str) -> bool:
    """Whether JSON escaping leaves `text` as it is (printable ASCII, no quote or backslash)."""
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def _key(text: str) -> bytes:
    """`text` JSON-escaped, without its quotes (no tab or newline is left raw)."""
    return text.encode() if _plain(text) else orjson.dumps(text)[1:-1]


def _unkey(raw: bytes) -> str:
    return str(orjson.loads(b'"' + raw + b'"'))


def encode(model: SiteModel, level: int) -> bytes:
    sites = sorted(set(model.counts) | set(model.articles))
    header = orjson.dumps(
        {
            "level": level,
            "packs": sorted(model.packs),
            "sites": [[site, int(model.articles.get(site, 0))] for site in sites],
        }
    )
    lines: list[bytes] = []
    for number, site in enumerate(sites):
        counts = model.counts.get(site)
        if not counts:
            continue
        if _plain("".join(counts)):  # (fingerprints are hex): one encode per site
            text = "\n".join([f"{number}\t{fp}\t{n}" for fp, n in counts.items()])
            lines.extend(text.encode().split(b"\n"))
        else:
            prefix = b"%d\t" % number
            lines.extend([b"%s%s\t%d" % (prefix, _key(fp), n) for fp, n in counts.items()])
    lines.sort()
    return header + b"\n" + b"".join(line + b"\n" for line in lines)


def _header(raw: bytes) -> dict[str, Any]:
    """The header, with `articles` (site -> articles) and `keys` (site -> the key its lines start
    with) in either layout (see the module docstring)."""
    header = orjson.loads(raw)
    if not isinstance(header, dict) or not isinstance(header.get("level"), int):
        raise ValueError("no level in its header")
    if not isinstance(header.get("packs"), list):
        raise ValueError("its header is malformed")
    sites, articles = header.get("sites"), header.get("articles")
    if isinstance(sites, list):
        if not all(isinstance(s, list) and len(s) == 2 and isinstance(s[0], str) for s in sites):
            raise ValueError("its list of sites is malformed")
        header["articles"] = {str(site): int(n) for site, n in sites}
        header["keys"] = {str(site): b"%d" % number for number, (site, _) in enumerate(sites)}
    elif isinstance(articles, dict):  # written before the sites were numbered
        header["keys"] = None
    else:
        raise ValueError("its header is malformed")
    return header


def decode(data: bytes) -> tuple[int, SiteModel]:
    """(level, counts) of a file; ValueError with the reason when it is not one."""
    end = data.find(b"\n")
    if end < 0:
        raise ValueError("no header line (truncated)")
    try:
        header = _header(data[:end])
        model = SiteModel()
        model.packs = {str(p) for p in header["packs"]}
        model.articles.update({str(k): int(v) for k, v in header["articles"].items() if v})
        keys: dict[str, bytes] | None = header["keys"]
        names = {key: site for site, key in keys.items()} if keys is not None else None
        sites: dict[bytes, Counter[str]] = {}
        for line in data[end + 1 :].split(b"\n"):
            if not line:
                continue
            site, fp, n = line.split(b"\t")
            counts = sites.get(site)
            if counts is None:
                name = names[site] if names is not None else _unkey(site)
                counts = sites[site] = model.counts.setdefault(name, Counter())
            counts[_unkey(fp)] = int(n)
    except (orjson.JSONDecodeError, ValueError, TypeError, AttributeError, KeyError) as err:
        raise ValueError(f"not a site-count file ({err})") from None
    return int(header["level"]), model


def check_file(path: Path) -> str:
    """Why `path` is not a good site-count file, or "" (for `reader check`)."""
    try:
        decode(path.read_bytes())
    except OSError as err:
        return err.strerror or str(err)
    except ValueError as err:
        return str(err)
    return ""


class _FileLookup:
    """One file opened for lookups: its header parsed, its lines memory-mapped."""

    def __init__(self, path: Path) -> None:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                raise ValueError("file is empty")
            self._map = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        end = self._map.find(b"\n")
        if end < 0:
            raise ValueError("no header line (truncated)")
        try:
            header = _header(self._map[:end])
        except (orjson.JSONDecodeError, TypeError) as err:
            raise ValueError(f"its header is not JSON ({err})") from None
        self.packs = frozenset(str(p) for p in header["packs"])
        self.articles = {str(k): int(v) for k, v in header["articles"].items()}
        self._keys: dict[str, bytes] | None = header["keys"]
        self._start = end + 1

    def count(self, site: str, fingerprint: str) -> int:
        if self._keys is None:
            prefix = _key(site)
        elif (found := self._keys.get(site)) is not None:
            prefix = found
        else:
            return 0
        key = prefix + b"\t" + _key(fingerprint) + b"\t"
        mm = self._map
        lo, hi = self._start, len(mm)
        while lo < hi:  # the first line >= key (bisection over line starts)
            mid = (lo + hi) // 2
            start = max(mm.rfind(b"\n", 0, mid) + 1, self._start)
            end = mm.find(b"\n", start)
            end = len(mm) if end < 0 else end
            if mm[start : end + 1] < key:
                lo = end + 1
            else:
                hi = start
        end = mm.find(b"\n", lo)
        line = mm[lo : len(mm) if end < 0 else end]
        if not line.startswith(key):
            return 0
        return int(line[len(key) :])

    def close(self) -> None:
        self._map.close()


class SiteCounts(Mapping[str, int]):
    """One site's fingerprint counts summed over the files, looked up one fingerprint at a time."""

    def __init__(self, files: list[_FileLookup], site: str) -> None:
        self._files = files
        self._site = site
        self._seen: dict[str, int] = {}

    def __getitem__(self, fingerprint: str) -> int:
        found = self._seen.get(fingerprint)
        if found is None:
            found = self._seen[fingerprint] = sum(f.count(self._site, fingerprint) for f in self._files)
        if not found:
            raise KeyError(fingerprint)
        return found

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a site's counts are looked up one fingerprint at a time")

    def __len__(self) -> int:
        raise TypeError("a site's counts are looked up one fingerprint at a time")


class SiteCountFiles:
    """The files of `sites/` (see the module docstring)."""

    def __init__(self, directory: Path, *, read_only: bool, notice: Any) -> None:
        self.dir = Path(directory)
        self.read_only = read_only
        self._notice = notice
        self._files: list[tuple[int, int, frozenset[str]]] = []  # (number, level, packs) of live files
        self._lookups: list[_FileLookup] | None = None

    def _numbers(self) -> list[int]:
        try:
            names = os.listdir(self.dir)
        except OSError:
            return []
        return sorted(int(m.group(1)) for name in names if (m := COUNTS_RE.match(name)))

    def _path(self, number: int) -> Path:
        return self.dir / f"counts-{number:06d}.tsv"

    def _damaged(self, path: Path, why: str) -> None:
        if self.read_only:
            self._notice(f"{path}: site counts are damaged ({why}); counted again from the body packs")
            return
        kept = move_aside(path)
        self._notice(
            f"{path}: site counts were damaged ({why}); counted again from the body packs, "
            f"the damaged file is kept as {kept.name}"
        )

    def _read(self, number: int) -> tuple[int, SiteModel] | None:
        path = self._path(number)
        try:
            return decode(path.read_bytes())
        except (OSError, ValueError) as err:
            self._damaged(path, err.strerror or str(err) if isinstance(err, OSError) else str(err))
            return None

    def load(self) -> SiteModel:
        """The sum of every live file (newest first, so a merge's leftover parts are skipped)."""
        model = SiteModel()
        files: list[tuple[int, int, frozenset[str]]] = []
        for number in reversed(self._numbers()):
            found = self._read(number)
            if found is None:
                continue
            level, part = found
            packs = frozenset(part.packs)
            if packs and packs <= model.packs:
                if not self.read_only:  # a part of a merge that was interrupted
                    with contextlib.suppress(OSError):
                        self._path(number).unlink()
                continue
            add_into(model, part)
            files.append((number, level, packs))
        self._files = sorted(files)
        return model

    def lookup_files(self) -> tuple[set[str], list[_FileLookup]] | None:
        """(packs counted, the files opened for `lookup`) from the headers alone; None when a
        file is unusable or a merge's leftover is there (the caller then `load`s, which mends)."""
        if self._lookups is None:
            lookups: list[_FileLookup] = []
            for number in self._numbers():
                try:
                    lookups.append(_FileLookup(self._path(number)))
                except (OSError, ValueError):
                    for opened in lookups:
                        opened.close()
                    return None
            self._lookups = lookups
        packs: set[str] = set()
        for f in self._lookups:
            if f.packs & packs:
                return None
            packs |= f.packs
        return packs, self._lookups

    def lookup(self, site: str) -> tuple[SiteCounts, int]:
        """(one site's counts, its number of articles) from the files opened by `lookup_files`."""
        files = self._lookups or []
        return SiteCounts(files, site), sum(f.articles.get(site, 0) for f in files)

    def append(self, part: SiteModel) -> None:
        """Write the counts of one batch (durably), then merge files when `merge_count` asks."""
        if self.read_only:
            return
        self.close()
        self.dir.mkdir(parents=True, exist_ok=True)
        number = max([n for n, _, _ in self._files] + self._numbers() + [0]) + 1
        write_new_file(self._path(number), encode(part, 0))
        self._files.append((number, 0, frozenset(part.packs)))
        while take := merge_count([level for _, level, _ in self._files]):
            old = self._files[-take:]
            total = SiteModel()
            for n, _, _ in old:
                found = self._read(n)
                if found is not None:
                    add_into(total, found[1])
            level = max(level for _, level, _ in old) + 1
            merged = old[-1][0] + 1
            write_new_file(self._path(merged), encode(total, level))
            for n, _, _ in old:
                with contextlib.suppress(FileNotFoundError):
                    self._path(n).unlink()
            fsync_dir(self.dir)
            self._files[-take:] = [(merged, level, frozenset(total.packs))]

    def clear(self) -> None:
        """Remove every file (the counts are started over from the packs)."""
        if self.read_only:
            return
        self.close()
        for number in self._numbers():
            with contextlib.suppress(FileNotFoundError):
                self._path(number).unlink()
        self._files = []
        fsync_dir(self.dir)

    def close(self) -> None:
        for f in self._lookups or []:
            f.close()
        self._lookups = None
