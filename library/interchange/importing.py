"""Importing annotations made elsewhere: dispatch to the format's reader, then one batch write.

A file is read, checked completely and anchored against the library's articles *before* anything
is written; then everything goes into the store in one `Library.put_annotations` call. A bad file
therefore changes nothing and gets one error naming the file and the reason. Spans are anchored by
`library.annotations.anchoring` (exact / reanchored with a confidence / orphan); orphans are kept
with their original offsets and listed, never dropped or moved. Importing the same file twice adds
nothing: a highlight with a known id, or with the same span, tags and annotator, is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from library.annotations.model import (
    ANCHOR_EXACT,
    ANCHOR_ORPHAN,
    ANCHOR_REANCHORED,
    ArticleAnnotations,
    Highlight,
)
from library.interchange.document import SCHEMA_NAME
from library.interchange.formats import FORMATS, IMPORT_FORMATS
from library.interchange.planning import (
    MAX_ENTRIES,
    MAX_FILE_BYTES,
    MAX_TEXT,
    AnnotationFileError,
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    PlannedSpan,
    fail,
    read_bytes,
)

if TYPE_CHECKING:
    from library import Library

__all__ = [
    "IMPORT_FORMATS",
    "MAX_ENTRIES",
    "MAX_FILE_BYTES",
    "MAX_TEXT",
    "AnnotationFileError",
    "AnnotationImportReport",
    "ArticleIndex",
    "ImportOptions",
    "ImportPlan",
    "PlannedSpan",
    "detect_format",
    "import_annotation_files",
    "merge_plans",
    "plan_file",
]


@dataclass
class AnnotationImportReport:
    files: list[str] = field(default_factory=list)
    exact: int = 0
    reanchored: int = 0
    orphaned: int = 0
    added: int = 0
    skipped: int = 0  # already in the library (same id, or same span, tags and annotator)
    tags_added: int = 0
    notes_set: int = 0
    orphans: list[str] = field(default_factory=list)  # "file: entry: quote" lines
    reanchored_list: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    per_annotator: dict[str, int] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)  # how files were read (units, labels)
    # Quote-only formats (Hypothesis, Kindle, Readwise): "file: entry (how): 'quote': verdict".
    verdicts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "exact": self.exact,
            "reanchored": self.reanchored,
            "orphaned": self.orphaned,
            "added": self.added,
            "skipped": self.skipped,
            "tags_added": self.tags_added,
            "notes_set": self.notes_set,
            "orphans": self.orphans,
            "reanchored_spans": self.reanchored_list,
            "unmatched": self.unmatched,
            "per_annotator": self.per_annotator,
            "notices": self.notices,
            "verdicts": self.verdicts,
        }


# --- which format -----------------------------------------------------------------------------


def _head(path: Path, size: int = 8192) -> str:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(size)
    except OSError:
        return ""
    return raw.decode("utf-8-sig", errors="replace")


def _detect_folder(path: Path) -> str:
    names = [p.name.lower() for p in path.iterdir()]
    if any(n.endswith(".ann") for n in names):
        return "brat"
    for p in sorted(path.glob("*.tsv")):
        if _head(p, 200).startswith("#FORMAT=WebAnno TSV 3"):
            return "webanno"
    raise fail(str(path), "a folder, but neither brat (.ann files) nor WebAnno TSV files")


def detect_format(path: Path, text: str | None = None) -> str:
    """Guess the format from the name and the first bytes."""
    if path.is_dir():
        return _detect_folder(path)
    name = path.name.lower()
    head = text[:8192] if text is not None else _head(path)
    stripped = head.lstrip()
    if name.endswith(".spacy"):
        return "spacy"
    if name.endswith(".ann"):
        return "brat"
    if name.endswith((".conll", ".iob", ".iob2", ".bio")):
        return "conll"
    if stripped.startswith("#FORMAT=WebAnno TSV 3"):
        return "webanno"
    first_line = stripped.split("\n", 1)[0]
    if first_line.startswith(("# newsnotes-reader CoNLL", "-DOCSTART-")):
        return "conll"
    if first_line.startswith("article_id,") and "source_start" in first_line:
        return "csv"
    if "my clippings" in name or "\n==========" in head:
        return "kindle"
    if name.endswith(".csv"):
        first = stripped.split("\n", 1)[0]
        if "Highlight" in first and ("Book Title" in first or "Title" in first) and "quote" not in first:
            return "readwise"
        return "csv"
    if name.endswith((".tsv", ".txt", ".labels")) or (stripped and stripped[0] not in "{["):
        first = next((ln for ln in stripped.splitlines() if ln.strip()), "")
        parts = first.split("\t")
        return "ptc-si" if len(parts) == 3 and all(x.strip().isdigit() for x in parts[1:]) else "ptc"
    if name.endswith(".jsonl") or name.endswith(".ndjson"):
        first = stripped.split("\n", 1)[0]
        if '"label"' in first or '"entities"' in first:
            return "doccano"
        return "jsonl"
    if stripped.startswith("{") and "\n" in stripped.strip():
        line1 = stripped.split("\n", 1)[0]
        if line1.rstrip().endswith("}") and '"highlights"' in line1:
            return "jsonl"
    if stripped.startswith("["):
        if '"annotations"' in head[:4000] and '"data"' in head[:4000]:
            return "label-studio"
        if '"uri"' in head and '"user"' in head and '"target"' in head:
            return "hypothesis"
        return "w3c"
    if '"schema"' in head and SCHEMA_NAME in head:
        return "json"
    if "@context" in head or '"Annotation' in head:
        return "w3c"
    if '"rows"' in head and '"uri"' in head:
        return "hypothesis"
    if '"text"' in head and ('"label"' in head or '"entities"' in head):
        return "doccano"
    return "json"


# --- planning and applying -----------------------------------------------------------------------


def plan_file(
    lib: Library | ArticleIndex,
    path: Path | str,
    *,
    fmt: str | None = None,
    annotator: str = "",
    options: ImportOptions | None = None,
) -> ImportPlan:
    """Read, check and anchor one file (or brat/WebAnno folder) without writing anything.
    Raises AnnotationFileError."""
    path = Path(path)
    index = lib if isinstance(lib, ArticleIndex) else ArticleIndex(lib)
    if fmt is not None and (fmt not in FORMATS or FORMATS[fmt].reader is None):
        raise fail(str(path), f"unknown import format {fmt!r} (choose from {', '.join(IMPORT_FORMATS)})")
    if not path.exists():
        raise fail(str(path), "no such file")
    if not path.is_dir() and path.stat().st_size > MAX_FILE_BYTES:
        read_bytes(path)  # raises the "too large" error
    fmt = fmt or detect_format(path)
    reader = FORMATS[fmt].reader
    assert reader is not None
    plan = ImportPlan(str(path), fmt)
    try:
        reader(plan, index, path, annotator or "", options or ImportOptions())
    except RecursionError:
        raise fail(str(path), "nested too deeply") from None
    return plan


def _span_key(h: Highlight) -> tuple[Any, ...]:
    return (
        h.source_start,
        h.source_end,
        tuple(sorted(h.tags)),
        h.annotator,
        h.quote if h.anchor == ANCHOR_ORPHAN else "",
    )


def merge_plans(
    lib: Library, plans: Iterable[ImportPlan]
) -> tuple[dict[str, ArticleAnnotations], AnnotationImportReport]:
    """The annotations each touched article will have after the import, and the report. No writes."""
    report = AnnotationImportReport()
    changed: dict[str, ArticleAnnotations] = {}
    seen_ids: dict[str, dict[str, Highlight]] = {}
    seen_spans: dict[str, set[tuple[Any, ...]]] = {}

    def current(aid: str) -> ArticleAnnotations:
        if aid not in changed:
            ann = lib.annotations(aid).copy()
            changed[aid] = ann
            seen_ids[aid] = {h.id: h for h in ann.highlights}
            seen_spans[aid] = {_span_key(h) for h in ann.highlights}
        return changed[aid]

    touched: set[str] = set()
    for plan in plans:
        report.files.append(plan.path)
        report.unmatched.extend(f"{plan.path}: {u}" for u in plan.unmatched)
        report.notices.extend(plan.notices)
        quote_only = FORMATS[plan.format].quote_only
        for span in plan.spans:
            ann = current(span.article_id)
            h = span.highlight
            if quote_only:
                verdict = {
                    ANCHOR_EXACT: "exact",
                    ANCHOR_REANCHORED: f"re-anchored ({h.confidence:.2f})",
                }.get(h.anchor, "orphaned")
                report.verdicts.append(f"{plan.path}: {span.label}: {h.quote[:60]!r}: {verdict}")
            same_id = seen_ids[span.article_id].get(h.id)
            if same_id is not None and (same_id.source_start, same_id.source_end) != (
                h.source_start,
                h.source_end,
            ):
                # The same id for another span: a conflict to report, not a duplicate to drop.
                report.unmatched.append(
                    f"{plan.path}: {span.label}: highlight id {h.id} is already present at "
                    f"{same_id.source_start}-{same_id.source_end}, not at {h.source_start}-{h.source_end}"
                )
                continue
            if same_id is not None or _span_key(h) in seen_spans[span.article_id]:
                report.skipped += 1
                continue
            ann.highlights.append(h)
            seen_ids[span.article_id][h.id] = h
            seen_spans[span.article_id].add(_span_key(h))
            touched.add(span.article_id)
            report.added += 1
            report.per_annotator[h.annotator] = report.per_annotator.get(h.annotator, 0) + 1
            if h.anchor == ANCHOR_EXACT:
                report.exact += 1
            elif h.anchor == ANCHOR_REANCHORED:
                report.reanchored += 1
                report.reanchored_list.append(
                    f"{plan.path}: {span.label}: {h.quote[:60]!r} ({h.confidence:.2f})"
                )
            else:
                report.orphaned += 1
                report.orphans.append(f"{plan.path}: {span.label}: {h.quote[:60]!r}")
        for aid, tag in plan.tags:
            ann = current(aid)
            if any(t.tag == tag.tag and t.annotator == tag.annotator for t in ann.tags):
                continue
            ann.tags.append(tag)
            touched.add(aid)
            report.tags_added += 1
        for aid, note in plan.notes:
            ann = current(aid)
            if note == ann.note or note in ann.note.split("\n\n"):
                continue
            ann.note = f"{ann.note}\n\n{note}" if ann.note else note
            touched.add(aid)
            report.notes_set += 1
    return {aid: changed[aid] for aid in sorted(touched)}, report


def import_annotation_files(
    lib: Library,
    paths: Iterable[Path | str],
    *,
    fmt: str | None = None,
    annotator: str = "",
    utf16: bool | None = None,
    allowed_labels: frozenset[str] | set[str] | None = None,
    strict_labels: bool = False,
) -> AnnotationImportReport:
    """Import files: all are checked and anchored first, then written in one batch (one Library
    call). An invalid file raises AnnotationFileError and nothing is written.

    `utf16`: the files' offsets count UTF-16 code units (True), code points (False), or detect
    (None). `allowed_labels`/`strict_labels`: a label scheme; labels outside it are reported, or
    with `strict_labels` refuse the file (and so the whole import). Without `allowed_labels`
    the library's scheme is used (`Library.scheme`: its labels, and whether it is strict)."""
    scheme = lib.scheme
    if allowed_labels is None and scheme.names:  # the library's label scheme, strict or open
        allowed_labels, strict_labels = set(scheme.names), strict_labels or scheme.strict
    options = ImportOptions(
        utf16=utf16,
        allowed_labels=frozenset(allowed_labels) if allowed_labels is not None else None,
        strict=strict_labels,
    )
    index = ArticleIndex(lib)
    plans = [plan_file(index, p, fmt=fmt, annotator=annotator, options=options) for p in paths]
    changes, report = merge_plans(lib, plans)
    if changes:
        lib.put_annotations(changes, label=f"import annotations ({len(report.files)} file(s))")
    return report
