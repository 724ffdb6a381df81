"""CoNLL / IOB2 (`--format conll`): one token per line, tab-separated, per article:

    -DOCSTART-<TAB><article id>
    <blank>
    TOKEN<TAB>START<TAB>END<TAB>LABEL_1[<TAB>LABEL_2 ...]

START/END are code-point offsets in the clean body. Tokens (`textspans.tokenize`): runs of word
characters (letters with their combining marks, digits, `_`), each other character alone, split
at every span edge; whitespace is not a token, a line break ends a sentence (a blank line).
Labels are IOB2 (`B-X`, `I-X`, `O`). Overlapping spans, and a highlight's second label, go to
extra label columns (`LABEL_2`, ...): every line has as many columns as the export needs, and the
first column alone is a valid non-overlapping layer. Lost: notes, article tags, annotators,
highlights outside the body and those without a label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.interchange.formats.textspans import (
    body_spans,
    find_article,
    layers,
    outside_warning,
    sentences,
    tokenize,
)
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    PlannedSpan,
    check_count,
    check_labels,
    fail,
    int_offsets,
    make_highlight,
    read_text,
)
from library.interchange.rendering import ExportOptions, Rendered
from library.interchange.spec import FormatSpec

DOCSTART = "-DOCSTART-"


def _article_lines(article: dict[str, Any], width: int) -> list[str]:
    body = article["body"]
    spans, _ = body_spans(article)
    flat = [(sp.start, sp.end, tag) for sp in spans for tag in sp.tags]
    bounds = {x for s, e, _ in flat for x in (s, e)}
    toks = tokenize(body, bounds)
    stacked = layers(flat)
    labels: dict[tuple[int, int], list[str]] = {t: ["O"] * width for t in toks}
    for k, layer in enumerate(stacked):
        for s, e, tag in layer:
            first = True
            for t in toks:
                if t[0] >= s and t[1] <= e and not body[t[0] : t[1]].isspace():
                    labels[t][k] = ("B-" if first else "I-") + tag
                    first = False
    lines = [f"{DOCSTART}\t{article['id']}", ""]
    for sent in sentences(body, toks):
        for s, e in sent:
            lines.append("\t".join([body[s:e], str(s), str(e), *labels[(s, e)]]))
        lines.append("")
    return lines


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    width = 1
    outside = untagged = extra = written = 0
    for article in doc["articles"]:
        spans, left = body_spans(article)
        outside += left
        untagged += sum(1 for sp in spans if not sp.tags)
        written += sum(1 for sp in spans if sp.tags)
        stacked = layers([(sp.start, sp.end, t) for sp in spans for t in sp.tags])
        width = max(width, len(stacked))
        extra += sum(len(layer) for layer in stacked[1:])
    lines = [
        f"# newsnotes-reader CoNLL/IOB2: TOKEN START END {' '.join(f'LABEL_{k + 1}' for k in range(width))}"
    ]
    for article in doc["articles"]:
        lines.extend(_article_lines(article, width))
    warnings = outside_warning(outside, "CoNLL")
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a label left out")
    if extra:
        warnings.append(f"{extra} overlapping label(s) in extra columns LABEL_2..LABEL_{width}")
    if any(a["note"] or a["tags"] or any(h["note"] for h in a["highlights"]) for a in doc["articles"]):
        warnings.append("CoNLL holds no notes or article tags")
    return Rendered(
        ("\n".join(lines) + "\n").encode(), warnings, records=len(doc["articles"]), highlights=written
    )


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    docs: list[tuple[int, str, list[tuple[int, str, int, int, list[str]]]]] = []
    for n, line in enumerate(read_text(path).splitlines(), 1):
        parts = line.split("\t")
        is_token = len(parts) >= 4 and parts[1].isdigit() and parts[2].isdigit()
        if not line.strip() or (line.startswith("#") and not is_token):
            continue  # a comment line; a token "#" (a hashtag's) is not one
        if parts[0] == DOCSTART:
            docs.append((n, parts[1].strip() if len(parts) > 1 else "", []))
            continue
        if not docs:
            raise fail(p, f"line {n}: tokens before the first {DOCSTART} line")
        if len(parts) < 4:
            raise fail(p, f"line {n}: expected TOKEN<TAB>START<TAB>END<TAB>LABEL (offsets are needed)")
        s, e = int_offsets(p, f"line {n}", parts[1], parts[2])
        for tag in parts[3:]:
            if tag != "O" and not (tag[:2] in ("B-", "I-") and len(tag) > 2):
                raise fail(p, f"line {n}: label {tag[:40]!r} is not IOB2 (B-X, I-X or O)")
        docs[-1][2].append((n, parts[0], s, e, parts[3:]))
        check_count(p, n)
    for n0, key, tokens in docs:
        where = f"document at line {n0}"
        aid = find_article(plan, index, where, key, None)
        if aid is None:
            continue
        article = index.article(aid)
        body = article.body
        width = max((len(t[4]) for t in tokens), default=0)
        found: dict[tuple[int, int], list[str]] = {}
        for k in range(width):
            current: tuple[int, int, str] | None = None
            for _n, _text, s, e, labels in [*tokens, (0, "", 0, 0, [])]:
                tag = labels[k] if k < len(labels) else "O"
                if tag.startswith("I-") and current is not None and current[2] == tag[2:]:
                    current = (current[0], e, current[2])
                    continue
                if current is not None:
                    found.setdefault((current[0], current[1]), []).append(current[2])
                    current = None
                if tag != "O":
                    current = (s, e, tag[2:])
        check_labels(plan, options, [t for tags in found.values() for t in tags])
        for (s, e), tags in sorted(found.items()):
            tok_text = [t for t in tokens if t[2] >= s and t[3] <= e]
            holds = e <= len(body) and all(body[t[2] : t[3]] == t[1] for t in tok_text)
            quote = body[s:e] if holds else " ".join(t[1] for t in tok_text)
            hl = make_highlight(
                article,
                quote=quote,
                body=(s, e) if holds else None,
                tags=list(dict.fromkeys(tags)),
                annotator=annotator,
            )
            plan.spans.append(PlannedSpan(aid, hl, f"{where} [{s}, {e}]"))


SPEC = FormatSpec(
    name="conll",
    extension=".conll",
    description="CoNLL / IOB2, one token per line with offsets; overlaps in extra columns",
    lost="notes, article tags, annotators, highlights outside the clean body or without a label",
    writer=write,
    reader=read,
    needs_bodies=True,
)
