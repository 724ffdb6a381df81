"""Reading a library: article assembly, summaries, id resolution and the site model they use.

`ReadingPart` is what every other part builds on after opening: an article's blocks are
classified here (the parser's verdict, then site repetition, then the user's flips), and the
summaries the library list shows are made here. The site model lives here because reading
needs it for every article; importing and cleaning add to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from library.annotations.model import ArticleAnnotations
from library.annotations.work_state import state_of_json
from library.core.labels import LabelIndex, TagCount
from library.core.opening import ARTICLE_CACHE, SITES_NAME, OpeningPart
from library.core.records import (
    block_json,
    blocks_pack,
    classify_by_counts,
    compact_meta,
    lookup_keys,
    unpacked_blocks,
)
from library.errors import ArticleNotFound
from library.interchange.ids import AmbiguousId, resolve_article_id
from library.model import (
    REASON_USER,
    Article,
    ArticleSummary,
    Block,
    Metadata,
    Origin,
    ParsedArticle,
    SourceArticle,
)
from library.store.atomic import backup_path, load_json_recovering
from library.store.bodies import BodyRef
from library.store.catalog import summary_from_entry
from library.store.errors import StoreCorrupt, StoreError
from library.store.sitemodel import SiteModel


def _check_site_model(data: Any) -> None:
    """ValueError when `data` is not a site model (for `load_json_recovering`)."""
    SiteModel.from_json(data)


class ReadingPart(OpeningPart):
    """Articles and summaries as the user sees them (see the module docstring)."""

    def _site_model(self) -> SiteModel:
        """The site counts, loaded on first use; packs they have not counted yet are counted now.

        Which packs hold blocks comes from the catalogue's index headers, so this reads the whole
        catalogue only when some pack was not counted (a crash between a batch's catalogue write
        and its count write, or a damaged count file)."""
        if self._sites is not None:
            return self._sites
        if self._site_files.read_only and self._v1_sites():
            model = self._v1_site_model()
        else:
            model = self._site_files.load()
        known = self._catalog.blocks_packs()
        if model.packs - known:  # counts articles the catalogue does not have: start over
            model = SiteModel()
            self._site_files.clear()
        missing = known - model.packs
        if missing:
            part = SiteModel()
            for aid, entry in self._catalog.entries.items():
                pack = blocks_pack(entry)
                if pack in missing:
                    part.add(
                        entry.get("site", ""), (b.get("fingerprint", "") for b in self._stored_blocks(aid))
                    )
            part.packs |= missing
            self._add_site_part(model, part)
        self._sites = model
        return model

    def _v1_sites(self) -> bool:
        """Whether this (read-only) view is of a version 1 library that keeps `sites.json`."""
        path = self.path / SITES_NAME
        return path.exists() or backup_path(path).exists()

    def _v1_site_model(self) -> SiteModel:
        path = self.path / SITES_NAME
        try:
            data = load_json_recovering(
                path, read_only=True, notice=self._notice, validate=_check_site_model, what="site model"
            )
        except StoreCorrupt as err:  # derived data: count it again rather than refuse to open
            self._notice(f"{err}; counting it again from the body packs")
            data = None
        return SiteModel.from_json(data) if data is not None else SiteModel()

    def _add_site_part(self, model: SiteModel | None, part: SiteModel) -> None:
        """Add a batch's counts to the model in memory (when loaded) and to disk as one file."""
        if model is not None:
            for site, counts in part.counts.items():
                model.counts.setdefault(site, Counter()).update(counts)
            model.articles.update(part.articles)
            model.packs |= part.packs
        if self.read_only:
            return
        try:
            self._site_files.append(part)
        except OSError as err:  # counted again from the packs at the next open
            self._notice(f"{self._site_files.dir}: could not save the site counts ({err.strerror or err})")

    def _source(self, article_id: str) -> str:
        cached = self._raw_cache.get(article_id)
        if cached is not None:
            return str(cached["source"])
        return str(self._packs.read(self._catalog.body_ref(article_id))["source"])

    def __len__(self) -> int:
        return len(self._catalog)

    def ids(self) -> list[str]:
        """Every article id, in import order."""
        return list(self._catalog.entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._catalog

    def summaries(self) -> list[ArticleSummary]:
        with self._lock:
            notes = self._ann.all_json()
            who = self.annotator
            return [self._summary(entry, notes.get(aid), who) for aid, entry in self._catalog.entries.items()]

    def summary(self, article_id: str) -> ArticleSummary:
        with self._lock:
            entry = self._require(article_id)
            return self._summary(entry, self._ann.get(article_id).to_json(), self.annotator)

    @staticmethod
    def _summary(entry: dict[str, Any], ann: dict[str, Any] | None, annotator: str = "") -> ArticleSummary:
        summary = summary_from_entry(entry)
        if ann:
            summary.state = state_of_json(ann, annotator)  # the library annotator's work state
            summary.work = {str(k): str(v) for k, v in (ann.get("work") or {}).items()}
            tags = ann.get("tags") or []
            highlights = ann.get("highlights") or []
            summary.tags = list(dict.fromkeys(str(t.get("tag", "")) for t in tags))
            summary.highlights = len(highlights)
            summary.read = bool(ann.get("read", False))
            if highlights:
                summary.span_tags = list(
                    dict.fromkeys(str(t) for h in highlights for t in h.get("tags") or ())
                )
            people = [str(t.get("annotator") or "") for t in tags]
            people.extend(str(h.get("annotator") or "") for h in highlights)
            summary.annotators = [p for p in dict.fromkeys(people) if p]
            summary.has_note = bool(ann.get("note"))
        return summary

    def resolve_id(self, prefix: str) -> str:
        """Full id from an exact id, a unique external id or a unique prefix (the rules of
        library.interchange.ids); ArticleNotFound or AmbiguousId (with its candidates) otherwise."""
        with self._lock:
            found = None if self._catalog.loaded else self._resolve_by_index(prefix)
            if found is None:  # also when the indexes found nothing: they could be damaged
                found = resolve_article_id(prefix, self._catalog.entries, self._catalog.by_external_id)
            if found is None:
                raise ArticleNotFound(f"no article with id {prefix!r} in {self.path}")
            return found

    def find_article(self, key: str) -> str | None:
        """The article `key` names by the whole rule of `library.interchange.ids` (full id,
        external id, file name, PTC number or URL, id prefix); None when none, AmbiguousId when
        several. Through the catalogue's indexes, so one lookup does not read the catalogue."""
        with self._lock:
            found = None if self._catalog.loaded else self._resolve_by_index(key, other=True)
            if found is None:
                others: dict[str, list[str]] = {}
                for aid, entry in self._catalog.entries.items():
                    for other in lookup_keys(entry):
                        others.setdefault(other, []).append(aid)
                found = resolve_article_id(key, self._catalog.entries, self._catalog.by_external_id, others)
            return found

    def _resolve_by_index(self, key: str, *, other: bool = False) -> str | None:
        """`resolve_article_id`'s rules through the catalogue's sorted indexes: one article is
        found without reading the catalogue (exact id, external id, with `other` the further
        keys of `lookup_keys`, then id prefix)."""
        key = key.strip()
        if not key:
            return None
        if key in self._catalog:
            return key
        by_external = self._catalog.external_ids(key)
        if len(by_external) > 1:
            raise AmbiguousId(key, by_external, "external id")
        if by_external:
            return by_external[0]
        if other:
            by_other = self._catalog.other_ids(key)
            if by_other is None:
                return None  # the indexes cannot say: the caller asks every entry
            if len(by_other) > 1:
                raise AmbiguousId(key, by_other, "file name or URL")
            if by_other:
                return by_other[0]
        prefixed = self._catalog.ids_with_prefix(key.lower())
        if len(prefixed) > 1:
            raise AmbiguousId(key, prefixed, "id prefix; give more of the id")
        return prefixed[0] if prefixed else None

    def _raw(self, article_id: str) -> dict[str, Any]:
        """{"source", "blocks"} of an article (plus "meta" and "format" when it was cleaned just
        now because it is pending); the last few are cached."""
        cached = self._raw_cache.get(article_id)
        if cached is not None:
            self._raw_cache.move_to_end(article_id)
            return cached
        entry = self._catalog.entries[article_id]
        raw = self._packs.read(BodyRef.from_json(entry["body"]))
        if entry.get("blocks"):
            try:
                raw["blocks"] = self._packs.read(BodyRef.from_json(entry["blocks"]))["blocks"]
            except StoreCorrupt:
                pack = str(entry["blocks"][0])
                if self._packs.has_copy(pack):
                    raise
                # A pack of blocks keeps no copy: they are made again from the source text.
                self._notice(
                    f"{self._packs.dir / pack}: blocks of article {article_id} are damaged; it is "
                    "cleaned again from its source (`reader check --repair` has the pack's articles "
                    "cleaned again and stored)"
                )
                entry = {**entry, "pending": True}
        if "blocks" in raw:
            raw["blocks"] = unpacked_blocks(raw["blocks"], raw["source"])
        elif entry.get("pending"):
            parsed = self._clean_now(entry, raw["source"])
            raw["blocks"] = [block_json(b) for b in parsed.blocks]
            raw["meta"] = compact_meta(parsed.meta.to_json())
            raw["format"] = parsed.format
        self._raw_cache[article_id] = raw
        if len(self._raw_cache) > ARTICLE_CACHE:
            self._raw_cache.popitem(last=False)
        return raw

    @staticmethod
    def _source_article(entry: dict[str, Any], source: str) -> SourceArticle:
        origin = entry.get("origin") or {}
        return SourceArticle(
            source_text=source,
            meta=Metadata.from_json(entry.get("meta") or {}),
            format=entry.get("format", ""),
            origin=Origin(str(origin.get("path", "")), origin.get("record")),
        )

    def _clean_now(self, entry: dict[str, Any], source: str) -> ParsedArticle:
        """A pending article cleaned in memory (it is stored by `clean_pending`)."""
        from library.cleaning.parallel import clean_one

        result = clean_one(self._source_article(entry, source))
        if isinstance(result, str):
            raise StoreError(f"article {entry['id']}: {result}")
        return result

    def _stored_blocks(self, article_id: str) -> list[dict[str, Any]]:
        return list(self._raw(article_id)["blocks"])

    def _base_blocks(self, entry: dict[str, Any], raw: dict[str, Any]) -> list[Block]:
        """Blocks as the parser and the site model classify them (before the user's flips)."""
        blocks = [Block.from_json(b) for b in raw["blocks"]]
        site = entry.get("site", "")
        counts, articles = self._site_counts(site)
        return self._rules.apply(site, classify_by_counts(counts, articles, blocks))

    def _site_counts(self, site: str) -> tuple[Mapping[str, int], int]:
        """One site's counts and number of articles: from the site model when it is loaded,
        else looked up in the count files (when they have counted exactly the packs the
        catalogue says hold blocks; otherwise the model is loaded, which mends them)."""
        if self._sites is None and not (self.read_only and self._v1_sites()):
            found = self._site_files.lookup_files()
            if found is not None and found[0] == self._catalog.blocks_packs():
                return self._site_files.lookup(site)
        model = self._site_model()
        return model.counts.get(site) or Counter(), model.articles.get(site, 0)

    @staticmethod
    def _apply_flips(blocks: list[Block], flips: dict[int, bool]) -> None:
        for index, to_body in flips.items():
            if 0 <= index < len(blocks):
                block = blocks[index]
                if to_body:
                    block.reason = None
                elif block.reason is None:
                    block.reason = REASON_USER

    def article(self, article_id: str) -> Article:
        """The article with blocks classified by parser, site repetition and the user's flips."""
        with self._lock:
            entry = self._require(article_id)
            raw = self._raw(article_id)
            blocks = self._base_blocks(entry, raw)
            self._apply_flips(blocks, self._ann.peek(article_id).flips)  # read only: no copy
            origin = entry.get("origin") or {}
            return Article(
                id=article_id,
                meta=Metadata.from_json(raw.get("meta") or entry.get("meta") or {}),
                source_text=raw["source"],
                blocks=blocks,
                format=raw.get("format") or entry.get("format", ""),
                origin=Origin(str(origin.get("path", "")), origin.get("record")),
            )

    # --- labels (kept up to date by the annotation writes) -----------------------------------
    def _labels(self) -> LabelIndex:
        if self._label_index is None:
            self._label_index = LabelIndex.build(self._ann.all_json())
        index: LabelIndex = self._label_index
        return index

    def _annotations_saved(self, article_id: str, ann: ArticleAnnotations | Mapping[str, Any] | None) -> None:
        """Every write of an article's annotations ends here, so derived data follows it."""
        if self._label_index is not None:
            data = ann.to_json() if isinstance(ann, ArticleAnnotations) else ann
            self._label_index.update(article_id, data)

    def tags(self) -> dict[str, TagCount]:
        """Every label in use (article tags and span tags, exact spellings) -> how many articles
        and spans carry it, in case-insensitive order. Kept up to date by the writes: cheap to
        call on every keypress."""
        with self._lock:
            return self._labels().counts()
