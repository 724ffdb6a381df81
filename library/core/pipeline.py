"""The one-pass import (`Library.import_paths`): read a batch, clean it in worker processes while
the next batch is read, and store each batch once, cleaned.

Why a module of its own: it is the part of importing that keeps a pipeline's state (what is read,
what the workers hold, what is stored); `library.core.importing` keeps the reports, the pending
path (`add_articles`, `clean_pending`) and the flow that chooses between them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import orjson

from library.annotations.model import now_iso
from library.core.reading import ReadingPart
from library.core.records import blocks_line, compact_meta, origin_label, sha, stored_form, whole_file
from library.model import ParsedArticle, SourceArticle
from library.store.sitemodel import SiteModel

if TYPE_CHECKING:
    from library.core.importing import CleanReport, ImportReport

FIRST_BATCH = 500  # the first batch: cleaning starts and the first rows are listed soon
PIPE_BATCH = 2000  # the later ones: fewer files and merges; fsyncs are most of a batch's fixed cost
# A later batch of short texts runs on past PIPE_BATCH articles until it holds BATCH_BYTES of
# text or MAX_PIPE_BATCH articles. Why: each batch is one catalogue segment, which a lookup of
# one article probes, and segments are not merged once full (`library.store.segments`); a
# million short records made 500 segments in batches of 2,000, and make 63 so. Articles of a
# few KB (news pages) reach BATCH_BYTES near PIPE_BATCH, so their batches are as before.
BATCH_BYTES = 16 * 1024 * 1024
MAX_PIPE_BATCH = 16_000
MAX_BATCH_BYTES = 64 * 1024 * 1024  # a batch's texts; past this it is cut whatever its count
Slot = tuple[dict[str, Any], ParsedArticle | SourceArticle, str]  # (entry so far, item, origin label)


class PipelinePart(ReadingPart):
    """Reading, cleaning and storing new articles a batch at a time (see the module docstring)."""

    def _import_cleaned(
        self,
        items: Iterator[ParsedArticle | SourceArticle],
        report: ImportReport,
        *,
        progress: Callable[[int], None] | None,
        stored: Callable[[ImportReport], None] | None,
        stop: Callable[[], bool] | None,
        workers: int | None,
    ) -> bool:
        """Read a batch, send it to the cleaning workers, read the next while they clean it, and
        store each batch once, cleaned (`_store_read_batch`). True when `stop()` (asked between
        batches) ended it with `items` not all read: the caller stores the rest pending.

        The batch being cleaned when `stop()` says so is finished and stored; a crash loses
        the batches read and not stored yet (at most two), which a new import reads again.
        `stored(report)` is called when the first batch is listed, and again each time the
        number listed has doubled (the app refreshes its list on it: a few times, not per batch).
        """
        from library.cleaning.parallel import MIN_ITEMS, clean_batches_prepared

        assert report.cleaning is not None
        cleaning = report.cleaning
        stamp = now_iso()
        with self._lock:
            self._check_writable()
            self._catalog.lines()  # every id, to tell new articles from those already stored
        reading: dict[str, dict[str, Any]] = {}  # entries read and not stored yet, by id
        read = 0
        exhausted = False
        stopped = False

        def read_batch() -> list[Slot]:
            """The next batch of new articles (sources checked against the library)."""
            nonlocal read, exhausted
            slots: list[Slot] = []
            # The first batch is small, so cleaning starts and rows are listed soon; later ones
            # are larger: fewer files and segments, and fsyncs are most of a batch's fixed cost.
            first_batch = not read
            limit = FIRST_BATCH if first_batch else PIPE_BATCH
            size = 0
            for item in items:
                read += 1
                label = origin_label(item.origin)
                try:
                    with self._lock:  # (held per article: the app reads the library meanwhile)
                        outcome = self._admit(item, reading, stamp)
                except Exception as err:  # one bad article must not stop the import
                    report.failed.append((label, f"cannot store: {err}"))
                    continue
                if outcome[0] == "unchanged":
                    report.unchanged.append(outcome[1])
                elif outcome[0] == "duplicate":
                    report.duplicates.append((label, outcome[1][0], outcome[1][1]))
                else:
                    reading[outcome[1]["id"]] = outcome[1]
                    slots.append((outcome[1], item, label))
                    size += len(item.source_text)
                    if size >= MAX_BATCH_BYTES or (
                        len(slots) >= limit
                        and (first_batch or size >= BATCH_BYTES or len(slots) >= MAX_PIPE_BATCH)
                    ):
                        return slots
            exhausted = True
            return slots

        taken: deque[list[Slot]] = deque()  # batches sent to be cleaned, in order

        def batches(first: list[Slot]) -> Iterator[list[SourceArticle]]:
            nonlocal stopped
            slots = first
            while True:
                taken.append(slots)
                yield [item for _, item, _ in slots if isinstance(item, SourceArticle)]
                if exhausted:
                    return
                if (stop is not None and stop()) or self._closed:
                    stopped = True
                    return
                slots = read_batch()

        first = read_batch()
        # A small import is cleaned here: a pool would cost more than it saves.
        total = sum(isinstance(item, SourceArticle) for _, item, _ in first)
        cleaned = clean_batches_prepared(
            batches(first), total if exhausted else max(total, MIN_ITEMS), stored_form, workers
        )
        listed_at = 0
        try:
            for results in cleaned:
                slots = taken.popleft()
                with self._lock:
                    if self._closed:  # closed meanwhile (the app is quitting): what is read is lost
                        return False
                    self._store_read_batch(slots, results, report, cleaning)
                for entry, _, _ in slots:
                    reading.pop(entry["id"], None)
                if progress is not None:
                    progress(read)
                if stored is not None and len(report.imported) > 2 * listed_at:
                    listed_at = len(report.imported)
                    stored(report)
        finally:
            cleaned.close()  # the worker pool stops
            self._packs.wait_copies()
        return stopped and not exhausted

    def _store_read_batch(
        self, slots: list[Slot], results: list[Any], report: ImportReport, cleaning: CleanReport
    ) -> None:
        """One source pack, one blocks pack, one catalogue segment and one site-count file for a
        batch read and cleaned in this import. A failure or a body already in the library (or
        earlier in the batch) is reported and not stored."""
        cleaned_results = iter(results)
        entries: list[dict[str, Any]] = []
        sources: list[bytes] = []
        blocks: list[bytes] = []
        fingerprints: list[list[str]] = []
        bodies: dict[str, str] = {}
        for entry, item, label in slots:
            # An HTML page was parsed as it was read; the rest comes back from the cleaning.
            result = next(cleaned_results) if isinstance(item, SourceArticle) else stored_form(item, item)
            aid = entry["id"]
            if isinstance(result, str):
                report.failed.append((label, result))
                cleaning.failed.append((label, result))
                continue
            fields, blocks_json, block_fingerprints = result
            body_hash = fields["body_hash"]
            other = (
                (self._catalog.by_body_hash.get(body_hash) or bodies.get(body_hash)) if body_hash else None
            )
            if other is not None and other != aid:
                why = f"same body as article {other} under another title or URL"
                report.duplicates.append((label, other, why))
                cleaning.duplicates.append((label, other, why))
                continue
            if body_hash:
                bodies.setdefault(body_hash, aid)
            try:  # one line per article: fails here for this article alone
                source_line = orjson.dumps({"id": aid, "source": item.source_text})
            except Exception as err:
                report.failed.append((label, f"cannot store: {err}"))
                continue
            # The keys in the order a pending article's entry has them once cleaned.
            entries.append({**entry, "body": None, **fields})
            sources.append(source_line)
            blocks.append(blocks_line(aid, blocks_json))
            fingerprints.append(block_fingerprints)
        if not entries:
            return
        body_refs = self._packs.write_lines(sources)
        block_refs = self._packs.write_lines(blocks, spare=False)  # derived: see `BodyPacks`
        for entry, body, block in zip(entries, body_refs, block_refs, strict=True):
            entry["body"] = body.to_json()
            entry["blocks"] = block.to_json()
        self._catalog.add_batch(entries)
        ids = [entry["id"] for entry in entries]
        report.imported.extend(ids)
        cleaning.cleaned.extend(ids)
        part = SiteModel()
        for entry, fps in zip(entries, fingerprints, strict=True):
            part.add(entry["site"], fps)
        part.packs.add(block_refs[0].pack)
        self._add_site_part(self._sites, part)

    def _admit(
        self, item: ParsedArticle | SourceArticle, pending_ids: dict[str, dict[str, Any]], stamp: str
    ) -> tuple[str, Any]:
        """("new", entry without its texts' places), ("unchanged", id) or ("duplicate", (id, why)):
        what the source text alone tells (the same file again, or its text under another title).
        `pending_ids`: entries read in this import and not stored yet."""
        source_hash = sha(item.source_text)
        aid = source_hash[:16]
        meta_json = item.meta.to_json()
        existing = self._catalog.entries.get(aid) or pending_ids.get(aid)
        if existing is not None:
            if whole_file(item.format) and whole_file(existing.get("format", "")):
                # The id hashes the whole file, title included: the same file again. (A text
                # file's title may be provisional on one side and parsed on the other.)
                return ("unchanged", aid)
            old = existing.get("meta") or {}
            if old.get("title") == meta_json.get("title") and old.get("url") == meta_json.get("url"):
                return ("unchanged", aid)
            return ("duplicate", (aid, f"same text as article {aid} under another title or URL"))
        entry: dict[str, Any] = {
            "id": aid,
            "meta": compact_meta(meta_json),
            "format": item.format,
            "origin": item.origin.to_json(),
            "imported": stamp,
        }
        return ("new", entry)
