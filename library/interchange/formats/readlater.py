"""What the quote-only imports share (Hypothesis, Kindle, Readwise): their highlights carry a
quote, maybe some context, but no offsets into our text. The article is found by URL or title;
the quote is searched in it (whitespace-tolerant, then fuzzy). A verbatim, unambiguous match is
*exact*; a near one *reanchored* with its score; one found nowhere (or in two places equally
well) an *orphan*, kept with its quote. Each verdict is listed in the import report."""

from __future__ import annotations

import unicodedata

from library.annotations.model import ANCHOR_EXACT, ANCHOR_ORPHAN, ANCHOR_REANCHORED, Highlight
from library.interchange.planning import ArticleIndex, ImportPlan, PlannedSpan, make_highlight

# Typographic variants that read-it-later apps and e-readers swap freely.
_FOLD = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def tidy_quote(quote: str) -> str:
    return quote.strip()


def _variants(quote: str) -> list[str]:
    """Other spellings of the same quote: composed or decomposed accents, straight quotes."""
    out = []
    for form in ("NFC", "NFD"):
        for q in (unicodedata.normalize(form, quote), unicodedata.normalize(form, quote).translate(_FOLD)):
            if q != quote and q not in out:
                out.append(q)
    return out


def plan_quote(
    plan: ImportPlan,
    index: ArticleIndex,
    where: str,
    *,
    title: str | None,
    url: str | None,
    quote: str,
    prefix: str = "",
    suffix: str = "",
    note: str = "",
    tags: list[str] | None = None,
    annotator: str,
    created: str | None = None,
    hid: str | None = None,
) -> None:
    aid, how = index.find_by_title_or_url(title, url)
    if aid is None:
        plan.unmatched.append(f"{where}: {how}")
        return
    article = index.article(aid)
    quote = tidy_quote(quote)

    def anchored(text: str) -> Highlight:
        return make_highlight(
            article,
            quote=text,
            prefix=prefix,
            suffix=suffix,
            tags=list(tags or []),
            note=note,
            annotator=annotator,
            hid=hid,
            created=created,
        )

    hl = anchored(quote)
    for variant in _variants(quote) if hl.anchor == ANCHOR_ORPHAN or hl.confidence < 1.0 else []:
        retry = anchored(variant)
        if retry.anchor == ANCHOR_REANCHORED and retry.confidence > hl.confidence:
            if unicodedata.normalize("NFC", variant) == unicodedata.normalize("NFC", quote):
                quote = variant  # the same text, only composed differently: still exact
            else:
                retry.confidence = min(retry.confidence, 0.99)  # typography differed
            hl = retry
            if hl.confidence >= 1.0:
                break
    if hl.anchor == ANCHOR_REANCHORED and hl.confidence >= 1.0:
        span = article.source_to_body(hl.source_start, hl.source_end)
        text = (
            article.body[span[0] : span[1]] if span else article.source_text[hl.source_start : hl.source_end]
        )
        if text == quote:
            hl.anchor = ANCHOR_EXACT  # verbatim and in one place only
    plan.spans.append(PlannedSpan(aid, hl, f"{where} ({how})"))
