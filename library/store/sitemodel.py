"""How often each block fingerprint occurs across a site's articles, for repetition-based boilerplate.

Why files of their own (`sites/counts-NNNNNN.tsv`, see `library.store.site_counts`; `sites.json` before):
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

from collections import Counter
from collections.abc import Iterable
from typing import Any


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


def add_into(model: SiteModel, part: SiteModel) -> None:
    """Add `part`'s counts, articles and packs to `model`."""
    for site, counts in part.counts.items():
        model.counts.setdefault(site, Counter()).update(counts)
    model.articles.update(part.articles)
    model.packs |= part.packs
