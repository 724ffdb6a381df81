"""Importing: the one flow the command line and the app call (`import_paths`: read, clean and
store a batch at a time), storing articles as they are (`add_articles`), and cleaning what was
stored unparsed (`clean_pending`).

Why one pass: cleaning takes a millisecond or so an article in worker processes, and the store
writes each batch's texts, entries and counts once; cleaning a batch while the next is read keeps
the workers busy, and storing it cleaned writes no pending entry to rewrite later. Storing
unparsed (`add_articles`) stays for what a stopped import leaves: it runs at file speed, the
articles are listed at once, and `reader clean`, the next import or the app cleans them later.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, BinaryIO

import orjson

from library.annotations.model import now_iso
from library.core.reading import ReadingPart
from library.core.records import (
    block_json,
    blocks_line,
    cleaned_fields,
    compact_meta,
    origin_label,
    packed_block,
    sha,
    stored_form,
    whole_file,
)
from library.errors import InvalidInput
from library.model import ParsedArticle, SourceArticle
from library.store.sitemodel import SiteModel


@dataclass
class ImportReport:
    imported: list[str] = field(default_factory=list)  # new article ids
    unchanged: list[str] = field(default_factory=list)  # ids already in the store with identical source
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (origin label, existing id, why)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (origin label, reason)
    pending: int = 0  # of `imported`, how many are stored but not cleaned yet (see `clean_pending`)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # inputs not read: (label, reason)
    cleaning: CleanReport | None = None  # what `import_paths` cleaning step did
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why): not articles, left out
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (file, what): read, with a caveat

    @property
    def failed_count(self) -> int:
        """Everything that did not go in: unreadable inputs and articles that failed."""
        return len(self.unreadable) + len(self.failed)

    def absorb(self, cleaning: CleanReport) -> None:
        """Fold in what cleaning the import found: the duplicates and failures it removed are
        reported as the import would have reported them, and are no longer `imported`."""
        removed = set(cleaning.removed)
        self.imported = [aid for aid in self.imported if aid not in removed]
        self.duplicates.extend(cleaning.duplicates)
        self.failed.extend(cleaning.failed)


@dataclass
class CleanReport:
    cleaned: list[str] = field(default_factory=list)  # ids now cleaned
    # Removed: the same body as an article already in the library: (origin label, kept id, why).
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # removed: (origin label, reason)
    removed: list[str] = field(default_factory=list)  # ids of the duplicates and failures removed


MIN_BATCH = 500
MAX_BATCH_BYTES = 64 * 1024 * 1024  # a batch's pack lines; past this it is written whatever its count
CLEAN_BATCH = 500
PIPE_BATCH = 2000  # articles read ahead and cleaned as one batch by `import_paths`, after the first
Slot = tuple[dict[str, Any], ParsedArticle | SourceArticle, str]  # (entry so far, item, origin label)


def zip_batches(
    batches: Iterator[tuple[list[str], list[SourceArticle]]],
    run: Callable[[Iterator[list[SourceArticle]]], Iterator[list[Any]]],
) -> Iterator[tuple[list[str], list[SourceArticle], list[Any]]]:
    """(ids, articles, results) for each batch of `batches`, the results from `run`, which
    consumes the articles itself (a batch ahead). The batches it has taken are remembered in
    order so each result meets its own batch."""
    seen: list[tuple[list[str], list[SourceArticle]]] = []

    def tap() -> Iterator[list[SourceArticle]]:
        for ids, items in batches:
            seen.append((ids, items))
            yield items

    for results in run(tap()):
        ids, items = seen.pop(0)
        yield ids, items, results


class ImportingPart(ReadingPart):
    """Storing and cleaning new articles (see the module docstring)."""

    def import_paths(
        self,
        paths: Sequence[str | PathLike[str]],
        *,
        fmt: str | None = None,
        mapping: Mapping[str, str] | None = None,
        stdin: BinaryIO | None = None,
        progress: Callable[[str, int, int | None], None] | None = None,
        stored: Callable[[ImportReport], None] | None = None,
        stop: Callable[[], bool] | None = None,
        workers: int | None = None,
        include_all: bool = False,
    ) -> ImportReport:
        """Import files, folders, globs or `-` (standard input): read, clean and store a batch
        at a time (`_import_cleaned`).

        The one import flow of the command line and the app. `progress(stage, done, total)`
        follows the import (stage "importing", done the articles read, total None), then
        cleaning what an earlier import left pending, if anything ("cleaning"); `stored(report)`
        is called when the first batch is listed (cleaned) and again as more are; `stop()` is
        asked between batches, and what is not read yet is then stored pending. Inputs that cannot be read are on `report.unreadable`
        and the rest goes on; files a folder walk leaves out as not articles are on
        `report.skipped` (`include_all` reads them too), files read with a caveat (bad bytes
        replaced) on `report.warnings`. With no `paths`, only cleans what an earlier import left.
        Raises InvalidInput for an unknown `fmt` or `mapping` field (nothing is read).
        """
        from library.ingest import datasets
        from library.ingest.reading import FORMATS, IngestNotice, read_inputs

        if fmt is not None and fmt not in FORMATS:
            raise InvalidInput(f"unknown format {fmt!r} (formats: {', '.join(FORMATS)})")
        try:
            datasets.check_mapping(mapping)
        except ValueError as err:
            raise InvalidInput(str(err)) from None
        report = ImportReport()

        def articles() -> Iterator[ParsedArticle | SourceArticle]:
            for item in read_inputs(
                [str(p) for p in paths],
                fmt=fmt,
                mapping=mapping,
                stdin=stdin,
                workers=workers,
                defer_cleaning=True,
                include_all=include_all,
            ):
                if isinstance(item, ParsedArticle | SourceArticle):
                    yield item
                elif isinstance(item, IngestNotice):
                    (report.skipped if item.kind == "skipped" else report.warnings).append(
                        (item.label, item.reason)
                    )
                else:
                    report.unreadable.append((item.label, item.reason))

        def step(stage: str) -> Callable[..., None] | None:
            if progress is None:
                return None
            return lambda done, total=None: progress(stage, done, total)

        if paths:
            report.cleaning = CleanReport()
            items = articles()
            stopped = self._import_cleaned(
                items, report, progress=step("importing"), stored=stored, stop=stop, workers=workers
            )
            if stopped:  # what is left is stored as it is, cleaned later: nothing read is lost
                rest = self.add_articles(items)
                report.imported.extend(rest.imported)
                report.unchanged.extend(rest.unchanged)
                report.duplicates.extend(rest.duplicates)
                report.failed.extend(rest.failed)
                report.pending += rest.pending
        # What an earlier, interrupted import left (or what a stop left just now) is cleaned here.
        with self._lock:
            waiting = len(self.pending_ids()) if not self.read_only else 0
        if not waiting:
            if report.cleaning is None:
                report.cleaning = CleanReport()
            return report
        if progress is not None:  # the cleaning step shows at once, not after its first batch
            progress("cleaning", 0, waiting)
        rest_cleaned = self.clean_pending(progress=step("cleaning"), stop=stop, workers=workers)
        report.absorb(rest_cleaned)
        if report.cleaning is None:
            report.cleaning = rest_cleaned
        else:
            for name in ("cleaned", "duplicates", "failed", "removed"):
                getattr(report.cleaning, name).extend(getattr(rest_cleaned, name))
        return report

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
            # are larger: fewer files, fewer merges, and fsyncs are most of a batch's fixed cost.
            limit = PIPE_BATCH if read else MIN_BATCH
            size = 0
            for item in items:
                read += 1
                label = origin_label(item.origin)
                try:
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
                    if len(slots) >= limit or size >= MAX_BATCH_BYTES:
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

    def add_articles(
        self,
        items: Iterable[ParsedArticle | SourceArticle],
        *,
        progress: Callable[[int], None] | None = None,
        batch_size: int | None = None,
    ) -> ImportReport:
        """Store parsed articles in batches (one catalogue write and one body-pack write per batch).

        `progress(done)` is called with the number of items handled so far. A batch is durable
        once its catalogue write returns; a crash mid-import loses at most the batch in flight.
        By default a batch is 2,000 articles, or a tenth of the catalogue up to 5,000 (a batch
        writes only its own catalogue segment, so its size is about fewer, larger files; and the
        dozen fsyncs of a batch's files are most of its fixed cost).

        A `SourceArticle` is stored as it is (its text and header metadata) and marked pending:
        it is listed and can be opened at once (opening cleans it in memory), and
        `clean_pending` cleans and stores it later. Cleaning is most of the cost of an import,
        so this is what lets a large folder be imported at close to the speed of copying it.
        Duplicate bodies of pending articles are found when they are cleaned.
        """
        report = ImportReport()
        batch: list[tuple[dict[str, Any], bytes, list[str]]] = []
        pending_ids: dict[str, dict[str, Any]] = {}
        pending_bodies: dict[str, str] = {}
        done = 0
        batch_bytes = 0  # the texts a batch holds in memory are bounded too, not only its count
        stamp = now_iso()  # one import, one time
        with self._lock:
            self._check_writable()
            self._catalog.lines()  # every id, to tell new articles from those already stored
            for item in items:
                done += 1
                label = origin_label(item.origin)
                try:
                    outcome = self._prepare(item, label, pending_ids, pending_bodies, stamp)
                except Exception as err:  # one bad article must not stop the import
                    report.failed.append((label, f"cannot store: {err}"))
                    outcome = None
                if outcome is None:
                    pass
                elif outcome[0] == "unchanged":
                    report.unchanged.append(outcome[1])
                elif outcome[0] == "duplicate":
                    report.duplicates.append((label, outcome[1][0], outcome[1][1]))
                else:
                    entry = outcome[1][0]
                    batch.append(outcome[1])
                    pending_ids[entry["id"]] = entry
                    if entry.get("body_hash"):
                        pending_bodies[entry["body_hash"]] = entry["id"]
                    if entry.get("pending"):
                        report.pending += 1
                if outcome is not None and outcome[0] == "new":
                    batch_bytes += len(outcome[1][1])
                limit = batch_size or min(max(4 * MIN_BATCH, len(self._catalog) // 10), 10 * MIN_BATCH)
                if len(batch) >= limit or batch_bytes >= MAX_BATCH_BYTES:
                    self._write_batch(batch, report)
                    batch, pending_ids, pending_bodies, batch_bytes = [], {}, {}, 0
                if progress is not None:
                    progress(done)
            self._write_batch(batch, report)
            self._packs.wait_copies()
        return report

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

    def _prepare(
        self,
        item: ParsedArticle | SourceArticle,
        label: str,
        pending_ids: dict[str, dict[str, Any]],
        pending_bodies: dict[str, str],
        stamp: str,
    ) -> tuple[str, Any]:
        """("new", (entry, pack line, fingerprints)), ("unchanged", id) or ("duplicate", (id, why))."""
        admitted = self._admit(item, pending_ids, stamp)
        if admitted[0] != "new":
            return admitted
        entry = admitted[1]
        aid = entry["id"]
        if isinstance(item, SourceArticle):
            # One line per article, fails here for this article alone if it cannot be stored.
            line = orjson.dumps({"id": aid, "source": item.source_text})
            entry["pending"] = True  # its site (for the site model) is found when it is cleaned
            return ("new", (entry, line, []))
        fields = cleaned_fields(item)
        body_hash = fields["body_hash"]
        if body_hash:
            other = self._catalog.by_body_hash.get(body_hash) or pending_bodies.get(body_hash)
            if other is not None:
                return ("duplicate", (other, f"same body as article {other} under another title or URL"))
        record = {
            "id": aid,
            "source": item.source_text,
            "blocks": [packed_block(block_json(b), item.source_text) for b in item.blocks],
        }
        line = orjson.dumps(record)
        entry.update(fields)
        return ("new", (entry, line, [b.fingerprint for b in item.blocks]))

    def _write_batch(
        self, batch: list[tuple[dict[str, Any], bytes, list[str]]], report: ImportReport
    ) -> None:
        if not batch:
            return
        refs = self._packs.write_lines([line for _, line, _ in batch])
        entries = []
        for (entry, _, _), ref in zip(batch, refs, strict=True):
            entries.append({**entry, "body": ref.to_json()})
        self._catalog.add_batch(entries)
        report.imported.extend(e["id"] for e in entries)
        counted = [(entry["site"], fps) for entry, _, fps in batch if not entry.get("pending")]
        if counted:  # pending articles are counted when they are cleaned
            part = SiteModel()
            for site, fingerprints in counted:
                part.add(site, fingerprints)
            part.packs.add(refs[0].pack)
            self._add_site_part(self._sites, part)

    # --- cleaning what an import stored unparsed ---------------------------------------------
    def pending_ids(self) -> list[str]:
        """Ids of articles stored but not cleaned yet, in import order."""
        with self._lock:
            return self._catalog.pending_ids()

    def clean_pending(
        self,
        *,
        progress: Callable[[int, int], None] | None = None,
        stop: Callable[[], bool] | None = None,
        workers: int | None = None,
        batch_size: int | None = None,
    ) -> CleanReport:
        """Clean every pending article and store the result, a batch per catalogue write.

        Meant for a background thread as well as the command line: the library lock is held
        only to read a batch's texts and to store its results, never while cleaning, and
        `stop()` is asked between batches. `progress(done, total)` follows each batch. A batch
        is 500 articles, or a tenth of the catalogue up to 2,000 (a batch writes only its own
        catalogue segment and site-count file; larger batches mean fewer files). An
        article whose body turns out to be the same as one already in the library is removed
        (as an import would have refused it), unless the user has annotated it meanwhile.
        """
        from library.cleaning.parallel import clean_batches_prepared

        report = CleanReport()
        with self._cleaning:  # one cleaner at a time; others find nothing left to do
            with self._lock:
                self._check_writable()
                ids = self.pending_ids()
            if not ids:
                return report
            done = 0
            if batch_size is None:
                batch_size = min(max(CLEAN_BATCH, len(self._catalog) // 10), 4 * CLEAN_BATCH)

            def batches() -> Iterator[tuple[list[str], list[SourceArticle]]]:
                for start in range(0, len(ids), batch_size):
                    if (stop is not None and stop()) or self._closed:
                        return
                    with self._lock:  # released before the batch goes to be cleaned
                        if self._closed:  # closed meanwhile (the app is quitting): stop quietly
                            return
                        part = [a for a in ids[start : start + batch_size] if self._is_pending(a)]
                        batch = [
                            self._source_article(self._catalog.entries[a], self._source(a)) for a in part
                        ]
                    yield part, batch

            # The stored form of each article is made in the cleaning workers (`stored_form`).
            clean = lambda b: clean_batches_prepared(b, len(ids), stored_form, workers)  # noqa: E731
            for part, items, results in zip_batches(batches(), clean):
                with self._lock:
                    if self._closed:
                        break
                    self._store_cleaned(part, items, results, report)
                done += len(items)
                if progress is not None:
                    progress(done, len(ids))
            self._packs.wait_copies()
        return report

    def _is_pending(self, article_id: str) -> bool:
        entry = self._catalog.entries.get(article_id)
        return entry is not None and bool(entry.get("pending"))

    def _store_cleaned(
        self, ids: list[str], items: list[SourceArticle], results: list[Any], report: CleanReport
    ) -> None:
        """One blocks pack, one catalogue write and one site-model write for a cleaned batch."""
        updated: list[dict[str, Any]] = []
        lines: list[bytes] = []
        fingerprints: list[list[str]] = []
        removed: list[str] = []
        bodies: dict[str, str] = {}
        for aid, item, result in zip(ids, items, results, strict=True):
            entry = self._catalog.entries.get(aid)
            if entry is None or not entry.get("pending"):
                continue  # gone or cleaned meanwhile
            label = origin_label(item.origin)
            kept = not self._ann.get(aid).is_empty()
            if isinstance(result, str):
                if kept:  # the user's work stays; the article stays pending
                    report.failed.append((label, f"{result} (kept: it has annotations)"))
                    continue
                report.failed.append((label, result))
                removed.append(aid)
                continue
            fields, blocks_json, block_fingerprints = result  # `stored_form`
            body_hash = fields["body_hash"]
            other = (
                (self._catalog.by_body_hash.get(body_hash) or bodies.get(body_hash)) if body_hash else None
            )
            if other is not None and other != aid and not kept:
                why = f"same body as article {other} under another title or URL"
                report.duplicates.append((label, other, why))
                removed.append(aid)
                continue
            if body_hash:
                bodies.setdefault(body_hash, aid)
            new = {k: v for k, v in entry.items() if k != "pending"}
            new.update(fields)
            updated.append(new)
            lines.append(blocks_line(aid, blocks_json))
            fingerprints.append(block_fingerprints)
        refs = self._packs.write_lines(lines) if lines else []
        for new, ref in zip(updated, refs, strict=True):
            new["blocks"] = ref.to_json()
        self._catalog.replace_batch(updated, removed)
        report.removed.extend(removed)
        for aid in [e["id"] for e in updated] + removed:
            self._raw_cache.pop(aid, None)
        report.cleaned.extend(e["id"] for e in updated)
        if updated:
            part = SiteModel()
            for new, fps in zip(updated, fingerprints, strict=True):
                part.add(new["site"], fps)
            part.packs.add(refs[0].pack)
            self._add_site_part(self._sites, part)
