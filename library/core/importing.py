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

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from os import PathLike
from typing import Any, BinaryIO

import orjson

from library.annotations.model import now_iso
from library.core.pipeline import MAX_BATCH_BYTES, PipelinePart
from library.core.records import (
    blocks_line,
    cleaned_fields,
    origin_label,
    packed_block_of,
    stored_form,
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
CLEAN_BATCH = 500


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


class ImportingPart(PipelinePart):
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
            if self._closed:  # closed meanwhile (the app is quitting): stop quietly
                return report
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
            "blocks": [packed_block_of(b, item.source_text) for b in item.blocks],
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
