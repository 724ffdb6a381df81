"""How often each block fingerprint occurs across a site's articles, for repetition-based boilerplate.

Why derived, not stored: the catalogue already holds every article's site key and block
fingerprints, so the counts are rebuilt from it at open (a few tens of milliseconds at 10,000
articles) and can never disagree with it after a crash between two files.
The classification rules themselves belong to `library.boilerplate`; this module only counts and
calls them, with a plain fallback while that module is absent.
"""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath
from typing import Any

from library.model import Block, Metadata, Origin


def site_key(meta: Metadata, origin: Origin) -> str:
    """The site an article belongs to (the boilerplate module's rule when present)."""
    try:
        from library.boilerplate import site_key as rule
    except ImportError:
        rule = None
    if rule is not None:
        return str(rule(meta, origin))
    if meta.site:
        return meta.site.strip().lower()
    parent = PurePath(origin.path).parent.as_posix() if origin.path else ""
    return f"dir:{parent}"


def apply_site_repetition(blocks: list[Block], counts: dict[str, int], site_articles: int) -> list[Block]:
    """Mark blocks repeated across the site as boilerplate (the boilerplate module's rule)."""
    try:
        from library.boilerplate import apply_site_repetition as rule
    except ImportError:
        return blocks
    result = rule(blocks, counts, site_articles)
    return blocks if result is None else list(result)


class SiteModel:
    """site key -> Counter(fingerprint -> number of distinct articles), and articles per site."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = {}
        self.articles: Counter[str] = Counter()
        self.version = 0  # bumped on every change, so classified bodies can be recomputed

    def add(self, site: str, fingerprints: list[str]) -> None:
        self.counts.setdefault(site, Counter()).update(set(fingerprints))
        self.articles[site] += 1
        self.version += 1

    def add_entries(self, entries: Any) -> None:
        for entry in entries:
            self.add(entry.get("site", ""), entry.get("fingerprints") or [])

    def classify(self, site: str, blocks: list[Block]) -> list[Block]:
        return apply_site_repetition(blocks, self.counts.get(site, Counter()), self.articles.get(site, 0))
