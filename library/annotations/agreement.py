"""Agreement between two annotators: span F1 per tag (exact and overlapping), Cohen's κ on article tags.

Spans are compared in the original text's offsets (`source_start`, `source_end`), which do not move
when a block is flipped, so two people who read different cleanings still compare fairly.
Orphaned highlights are left out (their place is unknown).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from library.annotations.model import ANCHOR_ORPHAN, ArticleAnnotations
from library.safetext import one_line

Span = tuple[str, int, int]  # (article id, source start, source end)


@dataclass
class TagScores:
    tag: str
    a_spans: int
    b_spans: int
    exact_matches: int
    exact_f1: float | None
    overlap_precision: float | None  # share of b's spans overlapping one of a's
    overlap_recall: float | None  # share of a's spans overlapping one of b's
    overlap_f1: float | None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Disagreement:
    article_id: str
    kind: str  # "span" (one annotator only), "boundary" (overlapping, not equal), "article tag"
    tag: str
    annotator: str  # who has it (for "boundary": a's span)
    source_start: int | None = None
    source_end: int | None = None
    quote: str = ""
    other_start: int | None = None  # the other annotator's overlapping span, for "boundary"
    other_end: int | None = None

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class AgreementReport:
    a: str
    b: str
    articles: int  # articles either annotator touched
    tags: list[TagScores] = field(default_factory=list)
    micro_exact_f1: float | None = None
    micro_overlap_f1: float | None = None
    kappa: float | None = None  # over every (article, tag) decision, pooled
    kappa_per_tag: dict[str, float | None] = field(default_factory=dict)
    disagreements: list[Disagreement] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "articles": self.articles,
            "span_f1": [t.to_json() for t in self.tags],
            "micro_exact_f1": self.micro_exact_f1,
            "micro_overlap_f1": self.micro_overlap_f1,
            "article_tag_kappa": self.kappa,
            "article_tag_kappa_per_tag": self.kappa_per_tag,
            "disagreements": [d.to_json() for d in self.disagreements],
        }


def _f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 0.0 if p + r == 0 else round(2 * p * r / (p + r), 4)


def _ratio(n: int, d: int) -> float | None:
    return None if d == 0 else round(n / d, 4)


def _overlaps(x: Span, y: Span) -> bool:
    return x[0] == y[0] and (x == y or (x[1] < y[2] and y[1] < x[2]))


def cohen_kappa(pairs: list[tuple[bool, bool]]) -> float | None:
    """κ for binary decisions; None when it is undefined (no decisions, or chance agreement is 1)."""
    n = len(pairs)
    if not n:
        return None
    agree = sum(1 for x, y in pairs if x == y) / n
    pa = sum(1 for x, _ in pairs if x) / n
    pb = sum(1 for _, y in pairs if y) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    if expected >= 1.0:
        return None
    return round((agree - expected) / (1 - expected), 4)


def _spans_by_tag(
    items: Iterable[ArticleAnnotations], annotator: str
) -> tuple[dict[str, set[Span]], dict[Span, str], set[str]]:
    by_tag: dict[str, set[Span]] = {}
    quotes: dict[Span, str] = {}
    touched: set[str] = set()
    for ann in items:
        for h in ann.highlights:
            if h.annotator != annotator or h.anchor == ANCHOR_ORPHAN:
                continue
            touched.add(ann.article_id)
            span = (ann.article_id, h.source_start, h.source_end)
            quotes.setdefault(span, h.quote)
            for tag in h.tags:
                by_tag.setdefault(tag, set()).add(span)
        if any(t.annotator == annotator for t in ann.tags):
            touched.add(ann.article_id)
    return by_tag, quotes, touched


def agreement(items: Iterable[ArticleAnnotations], a: str, b: str) -> AgreementReport:
    """Compare annotators `a` and `b` over the annotations of every article given."""
    items = list(items)
    a_tags, a_quotes, a_touched = _spans_by_tag(items, a)
    b_tags, b_quotes, b_touched = _spans_by_tag(items, b)
    touched = a_touched | b_touched
    report = AgreementReport(a=a, b=b, articles=len(touched))
    tot_a = tot_b = tot_exact = tot_ov_a = tot_ov_b = 0
    for tag in sorted(set(a_tags) | set(b_tags)):
        sa, sb = a_tags.get(tag, set()), b_tags.get(tag, set())
        exact = sa & sb
        by_article_b: dict[str, list[Span]] = {}
        for s in sb:
            by_article_b.setdefault(s[0], []).append(s)
        by_article_a: dict[str, list[Span]] = {}
        for s in sa:
            by_article_a.setdefault(s[0], []).append(s)
        ov_a = sum(1 for s in sa if any(_overlaps(s, t) for t in by_article_b.get(s[0], [])))
        ov_b = sum(1 for s in sb if any(_overlaps(s, t) for t in by_article_a.get(s[0], [])))
        p_ov, r_ov = _ratio(ov_b, len(sb)), _ratio(ov_a, len(sa))
        report.tags.append(
            TagScores(
                tag=tag,
                a_spans=len(sa),
                b_spans=len(sb),
                exact_matches=len(exact),
                exact_f1=_ratio(2 * len(exact), len(sa) + len(sb)),
                overlap_precision=p_ov,
                overlap_recall=r_ov,
                overlap_f1=_f1(p_ov, r_ov) if sa and sb else (0.0 if sa or sb else None),
            )
        )
        tot_a, tot_b, tot_exact = tot_a + len(sa), tot_b + len(sb), tot_exact + len(exact)
        tot_ov_a, tot_ov_b = tot_ov_a + ov_a, tot_ov_b + ov_b
        for who, mine, other_by_article, quotes in (
            (a, sa - sb, by_article_b, a_quotes),
            (b, sb - sa, by_article_a, b_quotes),
        ):
            for s in sorted(mine):
                partner = next((t for t in sorted(other_by_article.get(s[0], [])) if _overlaps(s, t)), None)
                if partner is not None and who == b:
                    continue  # a boundary disagreement is listed once, from a's side
                report.disagreements.append(
                    Disagreement(
                        article_id=s[0],
                        kind="boundary" if partner else "span",
                        tag=tag,
                        annotator=who,
                        source_start=s[1],
                        source_end=s[2],
                        quote=quotes.get(s, ""),
                        other_start=partner[1] if partner else None,
                        other_end=partner[2] if partner else None,
                    )
                )
    report.micro_exact_f1 = _ratio(2 * tot_exact, tot_a + tot_b)
    p, r = _ratio(tot_ov_b, tot_b), _ratio(tot_ov_a, tot_a)
    report.micro_overlap_f1 = _f1(p, r) if tot_a and tot_b else (0.0 if tot_a or tot_b else None)

    # Article tags: every (article, tag) in the articles either touched is one yes/no decision each.
    tags_of: dict[str, dict[str, set[str]]] = {}
    for ann in items:
        if ann.article_id not in touched:
            continue
        for t in ann.tags:
            if t.annotator in (a, b):
                tags_of.setdefault(ann.article_id, {}).setdefault(t.annotator, set()).add(t.tag)
    all_tags = sorted({tag for per in tags_of.values() for s in per.values() for tag in s})
    pooled: list[tuple[bool, bool]] = []
    for tag in all_tags:
        pairs = []
        for aid in sorted(touched):
            per = tags_of.get(aid, {})
            x, y = tag in per.get(a, set()), tag in per.get(b, set())
            pairs.append((x, y))
            if x != y:
                report.disagreements.append(Disagreement(aid, "article tag", tag, a if x else b))
        report.kappa_per_tag[tag] = cohen_kappa(pairs)
        pooled.extend(pairs)
    report.kappa = cohen_kappa(pooled)
    return report


def format_report(report: AgreementReport, *, limit: int = 50) -> str:
    """A plain-text table for the terminal (untrusted text made safe by `one_line`)."""

    def num(v: float | None) -> str:
        return "  n/a" if v is None else f"{v:5.3f}"

    def safe(text: str, width: int) -> str:
        return one_line(text, width)

    lines = [
        f"Agreement between {safe(report.a, 40)} and {safe(report.b, 40)} over {report.articles} article(s)",
        "",
        f"{'tag':40} {'a':>5} {'b':>5} {'exact':>5} {'F1 ex':>6} {'F1 ov':>6}",
    ]
    for t in report.tags:
        lines.append(
            f"{safe(t.tag, 40):40} {t.a_spans:5d} {t.b_spans:5d} {t.exact_matches:5d} "
            f"{num(t.exact_f1):>6} {num(t.overlap_f1):>6}"
        )
    lines.append(
        f"{'all tags (micro)':40} {'':5} {'':5} {'':5} {num(report.micro_exact_f1):>6} {num(report.micro_overlap_f1):>6}"
    )
    lines += ["", f"Cohen's kappa on article tags: {num(report.kappa).strip()}"]
    for tag, k in report.kappa_per_tag.items():
        lines.append(f"  {safe(tag, 40):40} {num(k)}")
    lines += ["", f"Disagreements: {len(report.disagreements)}"]
    for d in report.disagreements[:limit]:
        where = d.article_id[:12]
        quote = safe(d.quote, 40)
        if d.kind == "article tag":
            lines.append(f"  {where}  article tag {safe(d.tag, 40)} only by {safe(d.annotator, 30)}")
        elif d.kind == "boundary":
            lines.append(
                f"  {where}  {safe(d.tag, 40)}: {safe(report.a, 20)} [{d.source_start},{d.source_end}) vs "
                f"{safe(report.b, 20)} [{d.other_start},{d.other_end}) “{quote}”"
            )
        else:
            lines.append(
                f"  {where}  {safe(d.tag, 40)}: only {safe(d.annotator, 20)} "
                f"[{d.source_start},{d.source_end}) “{quote}”"
            )
    if len(report.disagreements) > limit:
        lines.append(f"  ... and {len(report.disagreements) - limit} more (use --json for all)")
    return "\n".join(lines)
