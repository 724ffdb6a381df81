"""Querying a library: full-text search and `ArticleQuery` (which articles pass a filter).

`QueryingPart.query` is what the command line's `list`, the export and every other filter over
stored articles call; the app's list applies the same `ArticleQuery.matches` to the summaries it
holds, and asks `search` only for the full-text part.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import orjson

from library.core.query import ArticleQuery
from library.core.reading import ReadingPart
from library.core.records import blocks_pack, classify_by_site, site_rule_threshold, unpacked_blocks
from library.model import ArticleSummary, Block
from library.store.search import Snippet, snippet


class QueryingPart(ReadingPart):
    """Search and queries (see the module docstring)."""

    def query(self, query: ArticleQuery) -> list[ArticleSummary]:
        """The summaries of the articles that pass `query`, in import order."""
        with self._lock:
            if query.ids:
                wanted = [aid for aid in dict.fromkeys(query.ids) if aid in self._catalog]
                notes = {aid: self._ann.get(aid).to_json() for aid in wanted}
                entries = [self._catalog.entries[aid] for aid in wanted]
            else:
                notes = self._ann.all_json()
                entries = list(self._catalog.entries.values())
            chosen = [
                s for e in entries if query.matches(s := self._summary(e, notes.get(e["id"]), self.annotator))
            ]
            if query.text:
                hits = set(self.search(query.text, [s.id for s in chosen]))
                chosen = [s for s in chosen if s.id in hits]
            return chosen

    def search(self, query: str, ids: Iterable[str] | None = None) -> list[str]:
        """Ids of articles whose title or body contains every word and "quoted phrase" of `query`
        (case-insensitive; a phrase matches across line breaks)."""
        with self._lock:
            entries = self._catalog.entries
            wanted = list(entries) if ids is None else [aid for aid in ids if aid in entries]
            return self._search.search(query, wanted, self._search_stamp, self._search_texts)

    def search_snippet(self, article_id: str, query: str, width: int = 120) -> Snippet | None:
        """Where `query` matches in one article (its body, else its title), for a result list."""
        art = self.article(article_id)
        return snippet(art.body, query, width) or snippet(art.meta.title or "", query, width)

    def prepare_search(self, chunk: int = 250) -> None:
        """Build the search index for the whole library now, so that the first search of a session
        is as fast as later ones. Meant for a background thread at start-up: the lock is taken one
        chunk at a time, so the app's own calls wait at most one chunk."""
        with self._lock:
            ids = self.ids()
        for start in range(0, len(ids), chunk):
            with self._lock:
                if self._closed:
                    return
                part = [aid for aid in ids[start : start + chunk] if aid in self._catalog]
                self._search.refresh(part, self._search_stamp, self._search_texts)

    def _search_stamp(self, article_id: str) -> object:
        entry = self._catalog.entries[article_id]
        if entry.get("pending"):
            return "pending"  # indexed from its source text until it is cleaned
        return (self._site_model().articles.get(entry.get("site", ""), 0), self._rules.version)

    def _search_texts(self, ids: list[str]) -> Iterable[tuple[str, str]]:
        """(id, title + body) for `ids`, reading each pack file once.

        Why not `article()`: building Block objects and re-running the site rule for every block of
        10,000 articles is most of a cold search. The site rule judges each block on its own (its
        text, its fingerprint's count, the site's size), so a block the parser kept is body when its
        fingerprint is below the rule's threshold, and otherwise the rule's verdict is asked once
        per distinct (site, text) and reused. Articles with flips take the exact `article()` path.
        An article not cleaned yet is searched in its whole source text (boilerplate included)
        rather than cleaned here, which for a fresh import of thousands would make the first
        search take as long as the cleaning; its stamp changes when it is cleaned.
        """
        notes = self._ann.all_json()
        sites = self._site_model()
        threshold_of = site_rule_threshold()
        verdicts: dict[tuple[str, str, str], bool] = {}
        by_pack: dict[str | None, list[str]] = {}
        for aid in ids:
            by_pack.setdefault(blocks_pack(self._catalog.entries[aid]), []).append(aid)
        for pack, pack_ids in by_pack.items():
            try:
                data = self._packs.pack_bytes(pack) if pack is not None else b""
            except OSError:
                data = b""
            for aid in pack_ids:
                entry = self._catalog.entries[aid]
                raw: dict[str, Any]
                if pack is None:  # pending
                    yield aid, (entry.get("meta") or {}).get("title", "") + "\n" + self._source(aid)
                    continue
                _, offset, length, _hash = entry.get("blocks") or entry["body"]
                try:
                    raw = orjson.loads(data[offset : offset + length])
                except orjson.JSONDecodeError:
                    raw = {}
                if not isinstance(raw, dict) or raw.get("id") != aid:  # garbled or misplaced line
                    raw = self._raw(aid)  # verified read, recovering from the pack's copy
                elif any("text" not in b for b in raw.get("blocks") or ()):  # kept without their text
                    raw["blocks"] = unpacked_blocks(raw["blocks"], raw.get("source") or self._source(aid))
                title = (entry.get("meta") or {}).get("title") or ""
                flips = (notes.get(aid) or {}).get("flips") or {}
                if flips or self._rules.has(entry.get("site", "")):
                    blocks = self._base_blocks(entry, raw)
                    self._apply_flips(blocks, {int(k): bool(v) for k, v in flips.items()})
                    texts = [b.text for b in blocks if b.is_body]
                else:
                    site = entry.get("site", "")
                    counts: Mapping[str, int] = sites.counts.get(site) or {}
                    threshold = threshold_of(sites.articles.get(site, 0))
                    texts = []
                    for b in raw["blocks"]:
                        if b.get("reason") is not None:
                            continue
                        fp = b.get("fingerprint") or ""
                        if fp and counts.get(fp, 0) >= threshold:
                            key = (site, fp, b["text"])
                            verdict = verdicts.get(key)
                            if verdict is None:
                                probe = Block(text=b["text"], runs=[], reason=None, fingerprint=fp)
                                verdict = verdicts[key] = classify_by_site(sites, site, [probe])[0].is_body
                            if not verdict:
                                continue
                        texts.append(b["text"])
                yield aid, title + "\n" + "\n".join(texts)
