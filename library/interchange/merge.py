"""Merging several annotators' files into one library, keeping who annotated what.

Our own exports carry the annotator on every highlight and tag and keep it. Files that name no
annotator (doccano, PTC TSV, W3C without `creator`) are credited to the file's name (`bob.jsonl`
-> "bob"), so two colleagues' files never blend into one person's work.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from library.interchange.importing import (
    AnnotationImportReport,
    ArticleIndex,
    ImportOptions,
    merge_plans,
    plan_file,
)

if TYPE_CHECKING:
    from library import Library


def annotator_from_path(path: Path | str) -> str:
    name = Path(path).name
    for suffix in (
        ".doccano.jsonl",
        ".jsonl",
        ".jsonld",
        ".json",
        ".tsv",
        ".txt",
        ".ndjson",
        ".csv",
        ".spacy",
        ".conll",
        ".ann",
    ):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] or name
    return name


def merge_annotator_files(
    lib: Library, paths: Iterable[Path | str], *, fmt: str | None = None
) -> AnnotationImportReport:
    """Check and anchor every file, then write them all in one batch (nothing on any error)."""
    index = ArticleIndex(lib)
    scheme = lib.scheme  # a strict library scheme refuses files with other labels
    options = (
        ImportOptions(allowed_labels=frozenset(scheme.names), strict=scheme.strict) if scheme.names else None
    )
    plans = [plan_file(index, p, fmt=fmt, annotator=annotator_from_path(p), options=options) for p in paths]
    changes, report = merge_plans(lib, plans)
    if changes:
        lib.put_annotations(changes, label=f"merge annotations ({len(report.files)} file(s))")
    return report
