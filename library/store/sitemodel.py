"""How often each block fingerprint occurs across a site's articles, for repetition-based boilerplate.

Why files of their own (`sites/counts-NNNNNN.json`, see `SiteCountFiles`; `sites.json` before):
the counts are needed to show an article, not to list the library, so keeping them out of the
catalogue keeps the catalogue small and the first screen fast; they are loaded on first use.
Articles are counted when they are cleaned. Each file records which packs of blocks it has
counted, so after a crash between the catalogue write and this one (or after any damage to it)
the missing packs are simply counted again from the packs themselves: the counts can be rebuilt
and never disagree for long.
The classification rules belong to `library.cleaning.boilerplate` (applied by `library.core`); the
store only keeps the counts, so it depends on no stage above it.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import orjson

from library.store.atomic import fsync_dir, move_aside, write_new_file


class SiteModel:
    """site key -> Counter(fingerprint -> number of distinct articles), and articles per site."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.articles: Counter[str] = Counter()
        self.packs: set[str] = set()  # body packs whose articles are counted

    def add(self, site: str, fingerprints: Iterable[str]) -> None:
        self.counts.setdefault(site, Counter()).update({f for f in fingerprints if f})
        self.articles[site] += 1

    def to_json(self) -> dict[str, Any]:
        return {
            "packs": sorted(self.packs),
            "articles": dict(self.articles),
            "counts": {site: dict(c) for site, c in self.counts.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> SiteModel:
        model = cls()
        if not isinstance(data, dict):
            raise ValueError("not a site model")
        model.packs = {str(p) for p in data.get("packs", [])}
        model.articles = Counter({str(k): int(v) for k, v in data.get("articles", {}).items()})
        model.counts = {str(k): Counter(v) for k, v in data.get("counts", {}).items()}
        return model


COUNTS_DIR = "sites"
COUNTS_RE = re.compile(r"^counts-(\d{6,})\.json$")


def _count_file_shape(data: Any) -> None:
    """A site-count file: a site model with its level (raises ValueError when it is not one)."""
    if not isinstance(data, dict) or not isinstance(data.get("level"), int):
        raise ValueError("not a site-count file")
    SiteModel.from_json(data)


class SiteCountFiles:
    """The site counts on disk as write-once files `sites/counts-NNNNNN.json`, one per batch.

    Why: one `sites.json` rewritten whole after every cleaned batch made large imports quadratic.
    Each batch now writes the counts of its own articles, naming the packs they came from; the
    files are summed when read, and merged by level as the catalogue segments are (see
    `library.store.segments.merge_count`). The counts are derived from the packs, so a damaged
    file is moved aside (or skipped when read-only), its packs are simply not counted, and the
    caller counts them again; no copy is kept. A merge writes the sum first and removes the parts
    after: a file whose packs a newer file covers is a part left by a crash, and is not counted.
    """

    def __init__(self, directory: Path, *, read_only: bool, notice: Any) -> None:
        self.dir = Path(directory)
        self.read_only = read_only
        self._notice = notice
        self._files: list[tuple[int, int, frozenset[str]]] = []  # (number, level, packs) of live files

    def _numbers(self) -> list[int]:
        try:
            names = os.listdir(self.dir)
        except OSError:
            return []
        return sorted(int(m.group(1)) for name in names if (m := COUNTS_RE.match(name)))

    def _path(self, number: int) -> Path:
        return self.dir / f"counts-{number:06d}.json"

    def _read(self, number: int) -> dict[str, Any] | None:
        path = self._path(number)
        try:
            data = orjson.loads(path.read_bytes())
            _count_file_shape(data)
        except (OSError, orjson.JSONDecodeError, ValueError, TypeError, AttributeError) as err:
            why = err.strerror if isinstance(err, OSError) else str(err)
            if self.read_only:
                self._notice(f"{path}: site counts are damaged ({why}); counted again from the body packs")
            else:
                kept = move_aside(path)
                self._notice(
                    f"{path}: site counts were damaged ({why}); counted again from the body packs, "
                    f"the damaged file is kept as {kept.name}"
                )
            return None
        return dict(data)

    def load(self) -> SiteModel:
        """The sum of every live file (newest first, so a merge's leftover parts are skipped)."""
        model = SiteModel()
        files: list[tuple[int, int, frozenset[str]]] = []
        for number in reversed(self._numbers()):
            data = self._read(number)
            if data is None:
                continue
            packs = frozenset(str(p) for p in data.get("packs", []))
            if packs and packs <= model.packs:
                if not self.read_only:  # a part of a merge that was interrupted
                    with contextlib.suppress(OSError):
                        self._path(number).unlink()
                continue
            part = SiteModel.from_json(data)
            _add_into(model, part)
            files.append((number, int(data["level"]), packs))
        self._files = sorted(files)
        return model

    def append(self, part: SiteModel) -> None:
        """Write the counts of one batch (durably), then merge files when `merge_count` asks."""
        from library.store.segments import merge_count

        if self.read_only:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        number = max([n for n, _, _ in self._files] + self._numbers() + [0]) + 1
        write_new_file(self._path(number), orjson.dumps({"level": 0, **part.to_json()}))
        self._files.append((number, 0, frozenset(part.packs)))
        while take := merge_count([level for _, level, _ in self._files]):
            old = self._files[-take:]
            total = SiteModel()
            for n, _, _ in old:
                data = self._read(n)
                if data is not None:
                    _add_into(total, SiteModel.from_json(data))
            level = max(level for _, level, _ in old) + 1
            merged = old[-1][0] + 1
            write_new_file(self._path(merged), orjson.dumps({"level": level, **total.to_json()}))
            for n, _, _ in old:
                with contextlib.suppress(FileNotFoundError):
                    self._path(n).unlink()
            fsync_dir(self.dir)
            self._files[-take:] = [(merged, level, frozenset(total.packs))]

    def clear(self) -> None:
        """Remove every file (the counts are started over from the packs)."""
        if self.read_only:
            return
        for number in self._numbers():
            with contextlib.suppress(FileNotFoundError):
                self._path(number).unlink()
        self._files = []
        fsync_dir(self.dir)


def _add_into(model: SiteModel, part: SiteModel) -> None:
    for site, counts in part.counts.items():
        model.counts.setdefault(site, Counter()).update(counts)
    model.articles.update(part.articles)
    model.packs |= part.packs
