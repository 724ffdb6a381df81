"""Querying a library: full-text search and `ArticleQuery` (which articles pass a filter).

`QueryingPart.query` is what the command line's `list`, the export and every other filter over
stored articles call; the app's list applies the same `ArticleQuery.matches` to the summaries it
holds, and asks `search` only for the full-text part.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import orjson

from library.annotations.work_state import STATE_DONE, state_of_json
from library.core.listing import DatePages
from library.core.query import ArticleQuery
from library.core.reading import ReadingPart
from library.core.records import (
    block_text,
    blocks_pack,
    classify_by_counts,
    site_rule_threshold,
    unpacked_blocks,
)
from library.model import ArticleSummary, Block
from library.store.bodies import BodyRef
from library.store.errors import StoreError
from library.store.search import Snippet, snippet

BRIEF_META = ("title", "published", "site")  # what a list row shows (`summary_chunks`)
SEARCH_LOOKUPS = 2000  # a search over more articles loads the site model (see `_fresh_site_cache`)


class QueryingPart(ReadingPart):
    """Search and queries (see the module docstring)."""

    def query(self, query: ArticleQuery) -> list[ArticleSummary]:
        """The summaries of the articles that pass `query`, in import order.

        A query by label looks only at the labelled articles (the label index knows them), so a
        tag filter on a million articles reads the few it names, not the catalogue."""
        with self._lock:
            wanted = self._candidates(query)
            if wanted is not None:
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

    def _candidates(self, query: ArticleQuery) -> list[str] | None:
        """The only articles that can pass `query`, in import order, when fewer than all: its
        ids, or the articles carrying its labels. None: any article can."""
        if query.ids:
            return [aid for aid in dict.fromkeys(query.ids) if aid in self._catalog]
        if not query.labels:
            return None
        labelled = [aid for aid, labels in self._labels().labelled().items() if query.labels_match(labels)]
        return self._catalog.in_import_order(labelled)

    def summaries_of(self, article_ids: list[str]) -> list[ArticleSummary]:
        """The summaries of these articles (those that exist), in the order given: one lookup
        each, for a page of the list."""
        with self._lock:
            out = []
            for aid in article_ids:
                entry = self._catalog.get(aid)
                if entry is not None:
                    out.append(self._summary(entry, self._ann.get_json(aid), self.annotator))
            return out

    def by_date(self, *, newest_first: bool = True) -> DatePages | None:
        """The list by date, read a page at a time from the catalogue's indexes (see
        `library.core.listing`); None when the indexes cannot say (`summaries` then)."""
        with self._lock:
            stream = self._catalog.by_date(newest_first=newest_first)
            if stream is None:
                return None
            return DatePages(
                stream, self.summaries_of, len(self._catalog), self._lock, newest_first=newest_first
            )

    def summary_chunks(
        self, chunk: int = 5000, *, brief: bool = False
    ) -> Iterator[list[ArticleSummary] | None]:
        """Every summary, `chunk` at a time, for a background reader of the whole list. The
        segment files are read and parsed outside the lock (they are written once), so the
        caller's other calls (a page, a filter, a toggle) do not wait for it; when the catalogue
        changed meanwhile it yields None and starts again (the caller drops what it has). The
        order is the catalogue's segments', not import order; annotations are those at the start.
        `brief`: each summary keeps only the metadata a list row shows and sorts by (title, date,
        site), a third of the memory of a whole one at a million articles."""
        while True:
            with self._lock:
                generation = self._catalog.generation()
                lines = self._catalog.live_lines(chunk)
                notes = self._ann.all_json()
                who = self.annotator
            summary = self._summary
            loads = orjson.loads
            while True:
                try:
                    part = next(lines, None)
                except StoreError:  # a segment merged away meanwhile, or damage (then raised)
                    with self._lock:
                        if self._catalog.generation() == generation:
                            raise
                    break
                with self._lock:
                    if self._closed:
                        return
                    changed = self._catalog.generation() != generation
                if changed:
                    break
                if part is None:
                    return
                rows = []
                for line in part:
                    entry = loads(line)
                    if brief:
                        meta = entry.get("meta") or {}
                        entry["meta"] = {k: meta[k] for k in BRIEF_META if k in meta}
                        entry.pop("origin", None)
                    rows.append(summary(entry, notes.get(entry["id"]), who))
                yield rows
            yield None

    def annotated_ids(self) -> list[str]:
        """The articles that have an annotation record (tags, highlights, a note, read or work
        state): what a change to every article's annotations can have touched."""
        with self._lock:
            return [aid for aid in self._ann.all_json() if aid in self._catalog]

    def work_done(self) -> int:
        """How many articles the library's annotator marked done (only annotated ones can be)."""
        with self._lock:
            who = self.annotator
            return sum(
                1
                for aid, ann in self._ann.all_json().items()
                if state_of_json(ann, who) == STATE_DONE and aid in self._catalog
            )

    def search(self, query: str, ids: Iterable[str] | None = None) -> list[str]:
        """Ids of articles whose title or body contains every word and "quoted phrase" of `query`
        (case-insensitive; a phrase matches across line breaks).

        Over the whole library, a search while nothing changed since the last one (the
        catalogue's segments, the site rules, no article forgotten by a flip) tests the kept
        texts without asking each article whether its entry is current."""
        with self._lock:
            entries = self._catalog.entries
            if ids is None:
                current = (self._catalog.generation(), self._rules.version)
                self._fresh_site_cache(current)
                return self._search.search_all(
                    query, current, self._all_for_search, self._search_stamp, self._search_texts
                )
            wanted = [aid for aid in ids if aid in entries]
            self._fresh_site_cache((self._catalog.generation(), self._rules.version), len(wanted))
            return self._search.search(query, wanted, self._search_stamp, self._search_texts)

    def search_snippet(self, article_id: str, query: str, width: int = 120) -> Snippet | None:
        """Where `query` matches in one article (its body, else its title), for a result list."""
        art = self.article(article_id)
        return snippet(art.body, query, width) or snippet(art.meta.title or "", query, width)

    def prepare_search(self, chunk: int = 250, pause: float = 0.0) -> None:
        """Build the search index for the whole library now, so that the first search of a session
        is as fast as later ones. Meant for a background thread at start-up: the lock is taken one
        chunk at a time, so the app's own calls wait at most one chunk; `pause` seconds between
        chunks leave the interpreter to the app's own thread (its keys stay quick meanwhile)."""
        with self._lock:
            ids = self.ids()
            self._fresh_site_cache((self._catalog.generation(), self._rules.version), len(ids))
        for start in range(0, len(ids), chunk):
            with self._lock:
                if self._closed:
                    return
                part = [aid for aid in ids[start : start + chunk] if aid in self._catalog]
                self._search.refresh(part, self._search_stamp, self._search_texts)
            if pause:
                time.sleep(pause)

    def _search_stamp(self, article_id: str) -> object:
        entry = self._catalog.entries[article_id]
        if entry.get("pending"):
            return "pending"  # indexed from its source text until it is cleaned
        return (self._site_articles(entry.get("site", "")), self._rules.version)

    def _all_for_search(self) -> list[str]:
        ids = list(self._catalog.entries)
        self._fresh_site_cache(self._search_sites[0], len(ids))
        return ids

    def _fresh_site_cache(self, current: object, articles: int = 0) -> None:
        """Forget the sites' counts looked up for the search when the catalogue changed. A search
        that may build the texts of more than `SEARCH_LOOKUPS` articles loads the site model
        (one read of the count files) rather than looking up each fingerprint."""
        if articles > SEARCH_LOOKUPS:
            self._site_model()
        cache = getattr(self, "_search_sites", None)
        if cache is None or cache[0] != current:
            self._search_sites: tuple[object, dict[str, tuple[Mapping[str, int], int]]] = (current, {})

    def _site_of_search(self, site: str) -> tuple[Mapping[str, int], int]:
        """One site's counts and articles, looked up once per catalogue generation: a search
        reads the counts of the sites it meets, not every site's (`_site_counts`)."""
        cache = getattr(self, "_search_sites", None)
        if cache is None:
            self._fresh_site_cache(None)
            cache = self._search_sites
        found = cache[1].get(site)
        if found is None:
            if self._sites is not None:
                found = (self._sites.counts.get(site) or {}, self._sites.articles.get(site, 0))
            else:
                found = self._site_counts(site)
            cache[1][site] = found
        return found

    def _site_articles(self, site: str) -> int:
        return self._site_of_search(site)[1]

    def _search_source(
        self, article_id: str, entry: dict[str, Any], read: Callable[[BodyRef], bytes | None]
    ) -> str:
        """An article's source text for the search, through `read` (one read of each source
        pack); a line that does not verify takes the checked path, which recovers it."""
        line = read(BodyRef.from_json(entry["body"]))
        if line is not None:
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError:
                record = None
            if (
                isinstance(record, dict)
                and record.get("id") == article_id
                and isinstance(record.get("source"), str)
            ):
                return str(record["source"])
        return self._source(article_id)

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
        read_source = self._packs.cached_reader()
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
                title = (entry.get("meta") or {}).get("title") or ""
                flips = (notes.get(aid) or {}).get("flips") or {}
                if flips or self._rules.has(entry.get("site", "")):
                    if any("text" not in b for b in raw.get("blocks") or ()):  # kept without their text
                        raw["blocks"] = unpacked_blocks(raw["blocks"], raw.get("source") or self._source(aid))
                    blocks = self._base_blocks(entry, raw)
                    self._apply_flips(blocks, {int(k): bool(v) for k, v in flips.items()})
                    texts = [b.text for b in blocks if b.is_body]
                else:
                    site = entry.get("site", "")
                    counts, site_articles = self._site_of_search(site)
                    threshold = threshold_of(site_articles)
                    texts = []
                    source: str | None = raw.get("source")
                    for b in raw.get("blocks") or ():
                        if b.get("reason") is not None:
                            continue  # boilerplate: its text (kept as runs into the source) is never built
                        if "text" not in b:
                            if source is None:
                                source = self._search_source(aid, entry, read_source)
                            b["text"] = block_text(b, source)
                        fp = b.get("fingerprint") or ""
                        if fp and counts.get(fp, 0) >= threshold:
                            key = (site, fp, b["text"])
                            verdict = verdicts.get(key)
                            if verdict is None:
                                probe = Block(text=b["text"], runs=[], reason=None, fingerprint=fp)
                                verdict = verdicts[key] = classify_by_counts(counts, site_articles, [probe])[
                                    0
                                ].is_body
                            if not verdict:
                                continue
                        texts.append(b["text"])
                yield aid, title + "\n" + "\n".join(texts)
