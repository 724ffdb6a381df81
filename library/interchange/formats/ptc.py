"""PTC / SemEval-2020 Task 11 TSV: technique classification (`ptc`, 4 columns: article id,
technique, start, end) and span identification (`ptc-si`, 3 columns: article id, start, end).
Offsets count code points in the original article file, as the task's scorers do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    PlannedSpan,
    check_count,
    check_labels,
    fail,
    in_range,
    int_offsets,
    make_highlight,
    read_text,
)
from library.interchange.rendering import (
    ExportOptions,
    LabelRefused,
    Rendered,
    export_article_id,
    tsv_field,
)
from library.interchange.spec import FormatSpec
from library.naming import ptc_article_number

# The 14 techniques of the task (propaganda-techniques-names-semeval2020task11.txt).
PTC_TECHNIQUES = frozenset(
    {
        "Appeal_to_Authority",
        "Appeal_to_fear-prejudice",
        "Bandwagon,Reductio_ad_hitlerum",
        "Black-and-White_Fallacy",
        "Causal_Oversimplification",
        "Doubt",
        "Exaggeration,Minimisation",
        "Flag-Waving",
        "Loaded_Language",
        "Name_Calling,Labeling",
        "Repetition",
        "Slogans",
        "Thought-terminating_Cliches",
        "Whataboutism,Straw_Men,Red_Herring",
    }
)


def ptc_article_id(article: dict[str, Any], options: ExportOptions | None = None) -> str:
    """The PTC article number: the external id (when it names this article alone), else the
    number in `article<ID>.txt`, else our id."""
    options = options or ExportOptions()
    chosen = export_article_id(article, options)
    if chosen != article["id"]:
        return chosen
    number = ptc_article_number(article["origin"]["path"] or "")
    if number and number not in options.ambiguous_external_ids:
        return number
    return article["id"]


def _outside_scheme(doc: dict[str, Any], options: ExportOptions) -> list[str]:
    scheme = options.allowed_labels if options.allowed_labels is not None else PTC_TECHNIQUES
    used = {t for a in doc["articles"] for h in a["highlights"] if h["anchor"] != "orphan" for t in h["tags"]}
    return sorted(used - scheme)


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    outside = _outside_scheme(doc, options)
    if outside and options.strict:
        raise LabelRefused(f"label(s) outside the scheme: {', '.join(outside[:10])} (nothing was written)")
    lines: list[str] = []
    untagged = orphans = written = 0
    for article in doc["articles"]:
        aid = tsv_field(ptc_article_id(article, options))
        for h in article["highlights"]:
            if h["anchor"] == "orphan":
                orphans += 1
                continue
            if not h["tags"]:
                untagged += 1
                continue
            written += 1
            for tag in h["tags"]:
                lines.append(f"{aid}\t{tsv_field(tag)}\t{h['source_start']}\t{h['source_end']}\n")
    warnings = []
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a tag left out (PTC lines need a technique)")
    if orphans:
        warnings.append(f"{orphans} orphaned highlight(s) left out")
    if outside:
        warnings.append(
            f"{len(outside)} label(s) outside the 14 PTC techniques, which the task's scorer rejects: "
            + ", ".join(outside[:10])
        )
    return Rendered("".join(lines).encode(), warnings, records=len(lines), highlights=written)


def write_si(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    lines: list[str] = []
    orphans = 0
    for article in doc["articles"]:
        aid = tsv_field(ptc_article_id(article, options))
        spans = set()
        for h in article["highlights"]:
            if h["anchor"] == "orphan":
                orphans += 1
                continue
            spans.add((h["source_start"], h["source_end"]))
        lines.extend(f"{aid}\t{s}\t{e}\n" for s, e in sorted(spans))
    warnings = [f"{orphans} orphaned highlight(s) left out"] if orphans else []
    warnings.append("span identification carries no labels, notes or article tags")
    return Rendered("".join(lines).encode(), warnings, records=len(lines))


def _rows(plan: ImportPlan, text: str, width: int) -> list[tuple[int, str, str, int, int]]:
    rows: list[tuple[int, str, str, int, int]] = []
    layout = "article_id<TAB>technique<TAB>start<TAB>end" if width == 4 else "article_id<TAB>start<TAB>end"
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != width:
            raise fail(plan.path, f"line {n}: expected {layout} ({len(parts)} fields)")
        if width == 4:
            aid_raw, tag, s_raw, e_raw = parts
            if not tag:
                raise fail(plan.path, f"line {n}: empty technique")
        else:
            aid_raw, s_raw, e_raw = parts
            tag = ""
        s, e = int_offsets(plan.path, f"line {n}", s_raw, e_raw)
        rows.append((n, aid_raw, tag, s, e))
        check_count(plan.path, len(rows))
    return rows


def _plan_rows(
    plan: ImportPlan, index: ArticleIndex, rows: list[tuple[int, str, str, int, int]], annotator: str
) -> None:
    grouped: dict[tuple[str, int, int], list[tuple[int, str]]] = {}
    for n, aid_raw, tag, s, e in rows:
        aid = index.find_for(
            plan, f"line {n}", aid_raw, f"article{aid_raw}.txt", missing=f"no article {aid_raw[:40]}"
        )
        if aid is None:
            continue
        in_range(plan.path, f"line {n}", (s, e), len(index.article(aid).source_text), "original text")
        grouped.setdefault((aid, s, e), []).append((n, tag))
    for (aid, s, e), entries in grouped.items():
        tags = list(dict.fromkeys(t for _, t in entries if t))
        hl = make_highlight(index.article(aid), quote=None, source=(s, e), tags=tags, annotator=annotator)
        plan.spans.append(PlannedSpan(aid, hl, f"line {entries[0][0]}"))


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    rows = _rows(plan, read_text(path), 4)
    scheme = (
        options
        if options.allowed_labels is not None
        else ImportOptions(allowed_labels=PTC_TECHNIQUES, strict=options.strict)
    )
    first_line: dict[str, str] = {}
    for r in rows:
        first_line.setdefault(r[2], f"line {r[0]}")
    check_labels(plan, scheme, [r[2] for r in rows], first_line)
    _plan_rows(plan, index, rows, annotator)


def read_si(
    plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions
) -> None:
    _plan_rows(plan, index, _rows(plan, read_text(path), 3), annotator)


SPEC = FormatSpec(
    name="ptc",
    extension=".tsv",
    description="PTC / SemEval-2020 task 11 technique classification (4 columns)",
    lost="highlights without a label, orphans, notes, article tags, annotators",
    writer=write,
    reader=read,
)
SPEC_SI = FormatSpec(
    name="ptc-si",
    extension=".tsv",
    description="PTC span identification (3 columns: article, start, end)",
    lost="labels, orphans, notes, article tags, annotators",
    writer=write_si,
    reader=read_si,
)
