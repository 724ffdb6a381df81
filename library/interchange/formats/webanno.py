"""WebAnno TSV 3.3 (`--format webanno`), the format INCEpTION imports and exports: a folder with
one `<id>.tsv` per article.

    #FORMAT=WebAnno TSV 3.3
    #T_SP=webanno.custom.Highlight|label|note
    <blank><blank>
    #Text=<one line of the clean body>
    1-1<TAB>0-3<TAB>The<TAB>_<TAB>_

Offsets count UTF-16 code units (Java strings, as INCEpTION does). A line of the body is a
sentence; tokens are `textspans.tokenize`'s. A highlight with several labels is stacked (`|`);
a span of several tokens carries its number (`Loaded_Language[3]`); `*` is a span with an empty
feature. Reserved characters are backslash-escaped. To annotate in INCEpTION, create a span
layer `webanno.custom.Highlight` with string features `label` and `note`. On import, other span
layers are read too (label: the feature named `label` or `value`, else the last one).
Lost: article tags and notes, annotators, timestamps, highlights outside the clean body.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from library.annotations.anchoring import Utf16Index
from library.interchange.formats.brat import file_stem
from library.interchange.formats.textspans import (
    body_spans,
    find_article,
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
    folder_files,
    make_highlight,
    read_text,
)
from library.interchange.rendering import ExportOptions, Rendered
from library.interchange.spec import FormatSpec

LAYER = "webanno.custom.Highlight"
HEADER = "#FORMAT=WebAnno TSV 3.3"
_RESERVED = re.compile(r"(\\|\[|\]|\||_|->|;|\*)")


def escape(value: str) -> str:
    value = _RESERVED.sub(lambda m: "\\" + m.group(), value)
    return value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def unescape(value: str) -> str:
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            nxt = value[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(nxt, nxt))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _split_unescaped(value: str, sep: str) -> list[str]:
    parts, buf, i = [], [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            buf.append(value[i : i + 2])
            i += 2
            continue
        if value[i] == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(value[i])
        i += 1
    parts.append("".join(buf))
    return parts


def article_tsv(article: dict[str, Any]) -> str:
    body = article["body"]
    u16 = Utf16Index(body)
    spans, _ = body_spans(article)
    flat = [(sp.start, sp.end, tag, sp.note) for sp in spans for tag in sp.tags]
    all_tokens = tokenize(body, {x for s, e, _, _ in flat for x in (s, e)})
    toks = [t for t in all_tokens if not body[t[0] : t[1]].isspace()]
    next_id = 1
    ids: dict[int, int] = {}
    per_token: dict[tuple[int, int], list[tuple[str, str]]] = {t: [] for t in toks}
    for k, (s, e, tag, note) in enumerate(sorted(flat, key=lambda x: (x[0], -x[1], x[2]))):
        covered = [t for t in toks if t[0] >= s and t[1] <= e]
        suffix = ""
        if len(covered) > 1:
            ids[k] = next_id
            suffix = f"[{next_id}]"
            next_id += 1
        for t in covered:
            per_token[t].append((escape(tag) + suffix, (escape(note) if note else "*") + suffix))
    lines = [HEADER, f"#T_SP={LAYER}|label|note", "", ""]
    for n, sent in enumerate(sentences(body, all_tokens), 1):
        lines.append("#Text=" + escape(body[sent[0][0] : sent[-1][1]]))
        for k, (s, e) in enumerate(sent, 1):
            stack = per_token[(s, e)]
            label = "|".join(a for a, _ in stack) or "_"
            note = "|".join(b for _, b in stack) or "_"
            lines.append(
                f"{n}-{k}\t{u16.to_utf16(s)}-{u16.to_utf16(e)}\t{escape(body[s:e])}\t{label}\t{note}"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    files = {f"{file_stem(a)}.tsv": article_tsv(a).encode() for a in doc["articles"]}
    outside = sum(body_spans(a)[1] for a in doc["articles"])
    untagged = sum(1 for a in doc["articles"] for sp in body_spans(a)[0] if not sp.tags)
    warnings = outside_warning(outside, "WebAnno TSV")
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a label left out")
    if any(a["tags"] or a["note"] for a in doc["articles"]):
        warnings.append("WebAnno TSV holds no article tags or article notes")
    written = sum(1 for a in doc["articles"] for sp in body_spans(a)[0] if sp.tags)
    return Rendered(b"", warnings, records=len(files), files=files, highlights=written)


_ITEM = re.compile(r"^(.*?)(?:\[(\d+)(?:_\d+)?\])?$", re.DOTALL)


def _layers(path: str, header: list[str]) -> list[tuple[str, list[str], bool]]:
    """(layer, features, is_span) per header line, in column order."""
    out = []
    for line in header:
        kind, _, rest = line.partition("=")
        parts = rest.split("|")
        if kind in ("#T_SP", "#T_RL", "#T_CH"):
            out.append((parts[0], parts[1:], kind == "#T_SP"))
    if not out:
        raise fail(path, "no #T_SP layer in the header")
    return out


def _plan_file(
    plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions
) -> None:
    p = str(path)
    lines = read_text(path).splitlines()
    if not lines or not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        raise fail(p, "not WebAnno TSV 3 (first line is not #FORMAT=WebAnno TSV 3.x)")
    header = [ln for ln in lines[1:] if ln.startswith("#T_")]
    layer_defs = _layers(p, header)
    columns: list[tuple[int, str, str]] = []  # (layer index, feature, role)
    for k, (_name, feats, is_span) in enumerate(layer_defs):
        label_feat = next((f for f in feats if f in ("label", "value")), feats[-1] if feats else "")
        for f in feats:
            role = (
                "label"
                if is_span and f == label_feat
                else "note"
                if is_span and f in ("note", "comment")
                else ""
            )
            columns.append((k, f, role))
    tokens: list[tuple[int, int, str, list[str]]] = []
    for n, line in enumerate(lines, 1):
        if not line or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 3 or "-" not in parts[1]:
            raise fail(p, f"line {n}: expected sentence-token<TAB>begin-end<TAB>token ...")
        try:
            b, e = (int(x) for x in parts[1].split("-", 1))
        except ValueError:
            raise fail(p, f"line {n}: offsets {parts[1][:20]!r} are not begin-end") from None
        tokens.append((b, e, unescape(parts[2]), parts[3:]))
        check_count(p, len(tokens))
    # Gather span annotations: per layer, per id (multi-token) or per token line and stack slot.
    spans: dict[tuple[Any, ...], dict[str, Any]] = {}
    for t_index, (b, e, _text, cells) in enumerate(tokens):
        for c, (layer, _feat, role) in enumerate(columns):
            if not role or c >= len(cells) or cells[c] in ("_", ""):
                continue
            for slot, item in enumerate(_split_unescaped(cells[c], "|")):
                m = _ITEM.match(item)
                value, num = (m.group(1), m.group(2)) if m else (item, None)
                key = (layer, "id", num) if num else (layer, "tok", t_index, slot)
                entry = spans.setdefault(key, {"b": b, "e": e, "label": "", "note": ""})
                entry["b"], entry["e"] = min(entry["b"], b), max(entry["e"], e)
                if value != "*":
                    entry[role] = unescape(value)
    stem = path.stem
    aid = find_article(plan, index, path.name, stem, None)
    if aid is None and stem.endswith(".txt"):
        plan.unmatched.pop()
        aid = find_article(plan, index, path.name, stem[:-4], None)
    if aid is None:
        return
    article = index.article(aid)
    body = article.body
    u16 = Utf16Index(body)
    by_span: dict[tuple[int, int], dict[str, Any]] = {}
    for entry in spans.values():
        merged = by_span.setdefault((entry["b"], entry["e"]), {"tags": [], "note": ""})
        if entry["label"] and entry["label"] not in merged["tags"]:
            merged["tags"].append(entry["label"])
        merged["note"] = merged["note"] or entry["note"]
    check_labels(plan, options, [t for m in by_span.values() for t in m["tags"]])
    for (b, e), merged in sorted(by_span.items()):
        s, end = u16.from_utf16(b), u16.from_utf16(e)
        covered = [t for t in tokens if t[0] >= b and t[1] <= e]
        holds = all(body[u16.from_utf16(t[0]) : u16.from_utf16(t[1])] == t[2] for t in covered)
        quote = body[s:end] if holds else " ".join(t[2] for t in covered)
        hl = make_highlight(
            article,
            quote=quote,
            body=(s, end) if holds else None,
            tags=merged["tags"],
            note=merged["note"],
            annotator=annotator,
        )
        plan.spans.append(PlannedSpan(aid, hl, f"{path.name} [{b}, {e}]"))


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    for f in folder_files(path, "*.tsv"):
        _plan_file(plan, index, f, annotator, options)


SPEC = FormatSpec(
    name="webanno",
    extension="/",
    description="WebAnno TSV 3.3 (INCEpTION): <id>.tsv per article, UTF-16 offsets",
    lost="article tags and notes, annotators, timestamps, highlights outside the clean body",
    writer=write,
    reader=read,
    needs_bodies=True,
)
