"""brat standoff (`--format brat`): a folder with `<id>.txt` (the clean body) and `<id>.ann` per
article, plus `annotation.conf` declaring the labels.

- One `T` line per (highlight, label): `T3<TAB>Label start end<TAB>text`. A span that crosses a line
  break is written as fragments (`start end;start end`), as brat needs; the text field joins the
  fragments with a space.
- A highlight without a label is a `T` line of type `Highlight_without_label`.
- Notes are `#` AnnotatorNotes lines on the first T of the highlight (line breaks become spaces).
- Article tags and the article note (brat has no document-level annotation), by convention: an
  entity `T0` of type `Article` over the first line of the text, with one `A` attribute line per
  tag (`A1<TAB>Tag T0 economy`) and the note as its AnnotatorNotes.
- Labels with spaces are written with `_` (brat type names are one token) and counted in a warning.
- Lost: highlights outside the clean body, annotators, timestamps.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from library.annotations.model import ArticleTag, now_iso
from library.interchange.formats.textspans import (
    body_spans,
    find_article,
    outside_warning,
    plan_body_spans,
)
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    check_count,
    check_labels,
    fail,
    folder_files,
    read_text,
)
from library.interchange.rendering import ExportOptions, Rendered
from library.interchange.spec import FormatSpec

UNLABELLED = "Highlight_without_label"
ARTICLE = "Article"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")


def _type_name(label: str) -> str:
    return re.sub(r"\s+", "_", label.strip())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def fragments(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """(start, end) pieces of a span without its line breaks, as brat wants them."""
    out = []
    pos = s
    for piece in text[s:e].split("\n"):
        if piece:
            out.append((pos, pos + len(piece)))
        pos += len(piece) + 1
    return out or [(s, e)]


def file_stem(article: dict[str, Any]) -> str:
    return _SAFE_NAME.sub("_", article["id"])


def ann_text(article: dict[str, Any]) -> tuple[str, int, int, set[str]]:
    """The .ann file of one article, with (left-out, renamed) counts and the types used."""
    body = article["body"]
    lines: list[str] = []
    types: set[str] = set()
    t = a = n = 0
    renamed = 0
    if article["tags"] or article["note"]:
        first = body.split("\n", 1)[0] or body[:1]
        if first:
            lines.append(f"T0\t{ARTICLE} 0 {len(first)}\t{first}")
            types.add(ARTICLE)
            for tag in article["tags"]:
                a += 1
                lines.append(f"A{a}\tTag T0 {_type_name(tag['tag'])}")
                renamed += _type_name(tag["tag"]) != tag["tag"]
            if article["note"]:
                n += 1
                lines.append(f"#{n}\tAnnotatorNotes T0\t{_one_line(article['note'])}")
    spans, outside = body_spans(article)
    for span in spans:
        frags = fragments(body, span.start, span.end)
        where = ";".join(f"{fs} {fe}" for fs, fe in frags)
        shown = " ".join(body[fs:fe] for fs, fe in frags)
        first_t = None
        for label in span.tags or [UNLABELLED]:
            t += 1
            name = _type_name(label)
            renamed += name != label
            types.add(name)
            lines.append(f"T{t}\t{name} {where}\t{shown}")
            first_t = first_t or f"T{t}"
        if span.note:
            n += 1
            lines.append(f"#{n}\tAnnotatorNotes {first_t}\t{_one_line(span.note)}")
    return "".join(line + "\n" for line in lines), outside, renamed, types


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    files: dict[str, bytes] = {}
    outside = renamed = 0
    types: set[str] = set()
    has_tags = False
    for article in doc["articles"]:
        stem = file_stem(article)
        ann, left, ren, used = ann_text(article)
        outside += left
        renamed += ren
        types |= used
        has_tags = has_tags or bool(article["tags"])
        files[f"{stem}.txt"] = article["body"].encode()
        files[f"{stem}.ann"] = ann.encode()
    conf = ["[entities]", *sorted(types), "", "[relations]", "", "[events]", "", "[attributes]"]
    if has_tags:
        conf.append(
            f"Tag\tArg:{ARTICLE}, Value:"
            + "|".join(sorted({_type_name(t["tag"]) for a in doc["articles"] for t in a["tags"]}))
        )
    files["annotation.conf"] = ("\n".join(conf) + "\n").encode()
    warnings = outside_warning(outside, "brat")
    if renamed:
        warnings.append(f"{renamed} label(s) with spaces written with '_' (brat type names are one word)")
    spans = sum(len(body_spans(a)[0]) for a in doc["articles"])
    return Rendered(b"", warnings, records=len(doc["articles"]), files=files, highlights=spans)


_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")


def _plan_pair(
    plan: ImportPlan, index: ArticleIndex, ann_path: Path, annotator: str, options: ImportOptions
) -> None:
    txt_path = ann_path.with_suffix(".txt")
    if not txt_path.exists():
        raise fail(str(ann_path), f"no text file {txt_path.name} beside it")
    body = read_text(txt_path)
    ann = read_text(ann_path)
    where0 = ann_path.name
    entities: dict[str, tuple[str, int, int]] = {}
    attributes: list[tuple[str, str]] = []
    notes: dict[str, str] = {}
    lines = [ln for ln in ann.splitlines() if ln.strip()]
    check_count(str(ann_path), len(lines))
    for n, line in enumerate(lines, 1):
        if line.startswith("T"):
            m = _T_LINE.match(line)
            if not m:
                raise fail(str(ann_path), f"line {n}: expected T<n><TAB>Type start end<TAB>text")
            pieces = [tuple(int(x) for x in p.split()) for p in m.group(3).split(";")]
            s, e = min(p[0] for p in pieces), max(p[1] for p in pieces)
            if any(p[1] < p[0] for p in pieces):
                raise fail(str(ann_path), f"line {n}: a fragment ends before it starts")
            if e > len(body):
                raise fail(
                    str(ann_path), f"line {n}: offsets ({s}, {e}) beyond the end of the text ({len(body)})"
                )
            entities[m.group(1)] = (m.group(2), s, e)
        elif line.startswith("A") or line.startswith("M"):
            parts = line.split("\t", 1)[-1].split()
            if len(parts) >= 3 and parts[0] == "Tag":
                attributes.append((parts[1], " ".join(parts[2:])))
        elif line.startswith("#"):
            parts = line.split("\t")
            if len(parts) >= 3 and parts[1].startswith("AnnotatorNotes "):
                notes[parts[1].split(" ", 1)[1]] = parts[2]
        elif line[:1] in ("R", "E", "N", "*"):
            continue  # relations, events, normalisations: nothing we keep
        else:
            raise fail(str(ann_path), f"line {n}: unknown annotation line {line[:20]!r}")
    aid = find_article(plan, index, where0, ann_path.stem, body)
    if aid is None:
        return
    grouped: dict[tuple[int, int], tuple[list[str], str]] = {}
    labels = []
    for tid, (kind, s, e) in entities.items():
        if kind == ARTICLE:
            continue
        tags, note = grouped.setdefault((s, e), ([], ""))
        if kind != UNLABELLED:
            tags.append(kind)
            labels.append(kind)
        if tid in notes:
            grouped[(s, e)] = (tags, notes[tid])
    check_labels(plan, options, labels)
    for tid, (kind, _s, _e) in entities.items():
        if kind == ARTICLE:
            for target, value in attributes:
                if target == tid:
                    plan.tags.append((aid, ArticleTag(value, annotator, now_iso())))
            if tid in notes:
                plan.notes.append((aid, notes[tid]))
    spans = [(s, e, tags, note, annotator, None) for (s, e), (tags, note) in sorted(grouped.items())]
    plan_body_spans(plan, index, aid, body, spans, where0)


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    anns = folder_files(path, "*.ann")
    check_count(str(path), len(anns))
    for ann in anns:
        _plan_pair(plan, index, ann, annotator, options)


SPEC = FormatSpec(
    name="brat",
    extension="/",
    description="brat standoff: <id>.txt + <id>.ann per article, annotation.conf",
    lost="highlights outside the clean body, annotators, timestamps, line breaks in notes",
    writer=write,
    reader=read,
    needs_bodies=True,
)
