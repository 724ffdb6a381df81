"""spaCy DocBin (`--format spacy`, `.spacy`): one Doc per article over its clean body.

Needs spaCy, an optional extra (`pip install 'newsnotes-reader[spacy]'`); without it the export
and the import stop with a message saying so. Tokens come from `textspans.tokenize` (split at
every span edge, so no span is widened). Every (highlight, label) is a Span in
`doc.spans["newsnotes"]` (overlaps allowed); the spans that overlap no other are also `doc.ents`.
Article tags are `doc.cats` (1.0 each); the article id, highlight notes and the article note are
in `doc.user_data` (the DocBin stores user data).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from library.annotations.model import ArticleTag, now_iso
from library.interchange.formats.textspans import (
    body_spans,
    find_article,
    outside_warning,
    plan_body_spans,
    tokenize,
)
from library.interchange.planning import (
    ArticleIndex,
    ImportOptions,
    ImportPlan,
    check_count,
    check_labels,
    fail,
    read_bytes,
)
from library.interchange.rendering import ExportOptions, Rendered
from library.interchange.spec import FormatSpec
from library.interchange.writer import ExportError

SPANS_KEY = "newsnotes"
MISSING = "spaCy is not installed; install the extra: pip install 'newsnotes-reader[spacy]'"


def _spacy() -> Any:
    try:
        import spacy
        from spacy.tokens import Doc, DocBin, Span
    except ImportError:
        return None
    return spacy, Doc, DocBin, Span


def make_doc(vocab: Any, text: str, boundaries: set[int]) -> tuple[Any, dict[int, int], dict[int, int]]:
    """A Doc whose text is exactly `text`, with maps from character offsets to token indexes."""
    _, doc_cls, _, _ = _spacy()
    words: list[str] = []
    spaces: list[bool] = []
    starts: dict[int, int] = {}
    ends: dict[int, int] = {}
    for s, e in tokenize(text, boundaries):
        piece = text[s:e]
        if piece == " " and words and not spaces[-1] and not words[-1].isspace() and s not in boundaries:
            spaces[-1] = True
            ends[e] = len(words)
            continue
        starts[s] = len(words)
        words.append(piece)
        spaces.append(False)
        ends[e] = len(words)
    doc = doc_cls(vocab, words=words, spaces=spaces)
    if doc.text != text:  # cannot happen: every character is in a word or a trailing space
        raise ExportError("spaCy document text differs from the article body")
    return doc, starts, ends


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    loaded = _spacy()
    if loaded is None:
        raise ExportError(MISSING)
    spacy, _, doc_bin_cls, span_cls = loaded
    nlp = spacy.blank("xx")
    out = doc_bin_cls(store_user_data=True)
    outside = untagged = written = overlaps = 0
    for article in doc["articles"]:
        spans, left = body_spans(article)
        outside += left
        bounds = {x for sp in spans for x in (sp.start, sp.end)}
        sdoc, starts, ends = make_doc(nlp.vocab, article["body"], bounds)
        items = []
        for sp in spans:
            if not sp.tags:
                untagged += 1
                continue
            written += 1
            for tag in sp.tags:
                items.append(span_cls(sdoc, starts[sp.start], ends[sp.end], label=tag))
        items.sort(key=lambda x: (x.start_char, x.end_char, x.label_))
        sdoc.spans[SPANS_KEY] = items
        lone = [
            x
            for i, x in enumerate(items)
            if not any(
                j != i and y.start_char < x.end_char and x.start_char < y.end_char
                for j, y in enumerate(items)
            )
        ]
        overlaps += len(items) - len(lone)
        sdoc.ents = lone
        sdoc.cats = {t["tag"]: 1.0 for t in article["tags"]}
        sdoc.user_data["newsnotes_id"] = article["id"]
        sdoc.user_data["newsnotes_note"] = article["note"]
        sdoc.user_data["newsnotes_notes"] = [[sp.start, sp.end, sp.note] for sp in spans if sp.note]
        out.add(sdoc)
    warnings = outside_warning(outside, "spaCy")
    if untagged:
        warnings.append(f"{untagged} highlight(s) without a label left out (their notes are in user_data)")
    if overlaps:
        warnings.append(
            f"{overlaps} span(s) overlap another: in doc.spans[{SPANS_KEY!r}] only, not in doc.ents"
        )
    return Rendered(out.to_bytes(), warnings, records=len(doc["articles"]), highlights=written)


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    loaded = _spacy()
    if loaded is None:
        raise fail(plan.path, MISSING)
    spacy, _, doc_bin_cls, _ = loaded
    nlp = spacy.blank("xx")
    try:
        docs = list(doc_bin_cls().from_bytes(read_bytes(path)).get_docs(nlp.vocab))
    except Exception as err:  # noqa: BLE001 - any decoding failure of a foreign file is one message
        raise fail(plan.path, f"not a spaCy DocBin ({type(err).__name__})") from None
    check_count(plan.path, len(docs))
    for n, sdoc in enumerate(docs, 1):
        where = f"doc {n}"
        aid = find_article(plan, index, where, sdoc.user_data.get("newsnotes_id"), sdoc.text)
        if aid is None:
            continue
        source = [s for key in sdoc.spans for s in sdoc.spans[key]] or list(sdoc.ents)
        check_count(plan.path, len(source))
        grouped: dict[tuple[int, int], list[str]] = {}
        for s in source:
            grouped.setdefault((s.start_char, s.end_char), [])
            if s.label_ and s.label_ not in grouped[(s.start_char, s.end_char)]:
                grouped[(s.start_char, s.end_char)].append(s.label_)
        notes: dict[tuple[int, int], str] = {}
        for item in sdoc.user_data.get("newsnotes_notes") or []:
            if isinstance(item, list | tuple) and len(item) == 3:
                notes[(int(item[0]), int(item[1]))] = str(item[2])
                grouped.setdefault((int(item[0]), int(item[1])), [])
        check_labels(plan, options, [lab for tags in grouped.values() for lab in tags])
        for tag in sdoc.cats:
            plan.tags.append((aid, ArticleTag(tag, annotator, now_iso())))
        note = sdoc.user_data.get("newsnotes_note")
        if isinstance(note, str) and note:
            plan.notes.append((aid, note))
        spans = [
            (s, e, tags, notes.get((s, e), ""), annotator, None) for (s, e), tags in sorted(grouped.items())
        ]
        plan_body_spans(plan, index, aid, sdoc.text, spans, where)


SPEC = FormatSpec(
    name="spacy",
    extension=".spacy",
    description="spaCy DocBin: doc.spans (overlaps), doc.ents, doc.cats",
    lost="highlights outside the clean body, unlabelled highlights (notes kept), annotators, timestamps",
    writer=write,
    reader=read,
    needs_bodies=True,
    optional_package="spacy",
)
