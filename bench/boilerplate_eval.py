"""How well boilerplate leaves the body on the real dev corpora, line by line, against hand-made gold.

Scored as `../shared/research/boilerplate-labelling.md` says, on four dev corpora under the corpus
root (`$READER_CORPUS`, default `../shared/corpus`):

- `recovery`: ReCOVery CSV rows (`recovery-dev/*.csv`), the body field of each record;
- `ptc`: PTC plain-text articles (`ptc-dev/articles/*.txt`);
- `bibp`: Global-Research-derived markdown (`bibp-archive-globalresearch/articles/*.md`);
- `seed`: the seed article.

Each data set goes through the real import path (`library.ingest.reading.read_file`), then the site
repetition the store applies (fingerprints counted per site over the site's own articles, as after
importing them). A content line is kept when its text is still in the clean body (copied by a body
block, or the same text elsewhere in the body); a boilerplate line is removed when it is not.

Leave-one-site-out. What is fitted from labels is fitted on the other sites only: each signal
(the reason a block gives) is trusted for a held-out site only if, on the gold of all other sites,
at least `MIN_PRECISION` of the lines it removed were boilerplate; an untrusted signal's blocks go
back to the body for that site. A "site" is the article's site (the publisher for ReCOVery); a
corpus of one site (PTC, bibp, the seed) is one site. The site-repetition counts are not fitted on
labels: they are counted, as on import, over the held-out site's own articles.

jusText (the library, installed with trafilatura) classifies the same lines: each paragraph of the
source line becomes one `<p>` (for hard-wrapped bibp, the lines the parser joined into one paragraph),
links become `<a>`, and a line takes its paragraph's class. Its defaults and English stop list are used.

The gold (`bench/gold/boilerplate.jsonl`, made as `bench/gold/README.md` says) holds no text: per
file and record, the line numbers with a label (`a` content, `b` boilerplate, `m` title/header
field line, scored apart, `x` a verbatim copy of other text of the same article, not scored; lines
without a letter or digit are not labelled) and the first 12 hex digits of sha1 of the
whitespace-normalised line, so a changed corpus file is detected instead of silently mis-scored.

    .venv/bin/python -m bench.boilerplate_eval            # leave-one-site-out, per data set and overall
    .venv/bin/python -m bench.boilerplate_eval --verbose  # also every misclassified line, truncated
    .venv/bin/python -m bench.boilerplate_eval --dump recovery  # every line with its prediction (labelling aid)
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import justext

from library.cleaning import boilerplate
from library.cleaning.paragraphs import visible
from library.ingest.reading import IngestError, read_file
from library.model import ParsedArticle

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("READER_CORPUS", REPO.parent / "shared" / "corpus"))
GOLD = REPO / "bench" / "gold" / "boilerplate.jsonl"

# data set -> (folder under the corpus root, glob of its files)
DATASETS: dict[str, tuple[str, str]] = {
    "recovery": ("recovery-dev", "*.csv"),
    "ptc": ("ptc-dev/articles", "*.txt"),
    "bibp": ("bibp-archive-globalresearch/articles", "*.md"),
    "seed": ("seed", "*.txt"),
}
# Hard-wrapped data sets: jusText gets their paragraphs (as the parser joined them), the others one
# line a paragraph (PTC is one sentence a line, ReCOVery one paragraph a line).
WRAPPED = frozenset({"bibp"})
BAR_KEPT = 0.99  # the target, leave-one-site-out: >= 99 % of content lines kept ...
BAR_REMOVED = 0.90  # ... with >= 90 % of boilerplate lines removed
MIN_PRECISION = (
    0.9  # a signal is trusted for a held-out site when this share of its removals elsewhere was boilerplate
)
MIN_SUPPORT = 3  # ... judged on at least this many labelled lines; fewer: trusted


def line_hash(line: str) -> str:
    """Short id of a source line: sha1 of its whitespace-normalised text, first 12 hex digits."""
    return hashlib.sha1(" ".join(line.split()).encode("utf-8")).hexdigest()[:12]


@dataclass
class Line:
    number: int  # 0-based line number in the article's source text (the record body for data sets)
    text: str
    in_body: bool  # some character of the line is copied by a body block
    reason: str | None  # the reason of the boilerplate block holding the line, when not in the body
    in_body_text: bool = False  # the line's words occur in the clean body (a copy kept elsewhere)
    justext_body: bool = True
    block: int = -1  # the first block copying the line (-1: none): the paragraph it belongs to


@dataclass
class Doc:
    key: tuple[str, int | None]  # (path relative to the corpus root, record or None)
    parsed: ParsedArticle
    site: str = ""
    lines: list[Line] = field(default_factory=list)


def load(dataset: str, corpus: Path = CORPUS) -> list[Doc]:
    """Every article of a data set parsed as on import, with site repetition applied."""
    folder, pattern = DATASETS[dataset]
    root = corpus / folder
    docs: list[Doc] = []
    for path in sorted(root.glob(pattern)):
        rel = path.relative_to(corpus).as_posix()
        for item in read_file(path):
            if isinstance(item, IngestError):
                raise RuntimeError(str(item))
            docs.append(Doc(key=(rel, item.origin.record), parsed=item))
    _apply_site_repetition(docs)
    for doc in docs:
        doc.site = eval_site(dataset, doc)
        doc.lines = _lines(doc.parsed, wrapped=dataset in WRAPPED)
    return docs


def eval_site(dataset: str, doc: Doc) -> str:
    """The site an article is held out with: its publisher in a multi-site data set, else the corpus."""
    if dataset == "recovery" and doc.parsed.meta.site:
        return f"{dataset}:{doc.parsed.meta.site.strip().lower()}"
    return dataset


def _apply_site_repetition(docs: list[Doc]) -> None:
    """What the store does after a whole import: count fingerprints per site, reclassify."""
    counts: dict[str, Counter[str]] = {}
    articles: Counter[str] = Counter()
    keys = []
    for doc in docs:
        site = boilerplate.site_key(doc.parsed.meta, doc.parsed.origin)
        keys.append(site)
        counts.setdefault(site, Counter()).update({b.fingerprint for b in doc.parsed.blocks if b.fingerprint})
        articles[site] += 1
    for doc, site in zip(docs, keys, strict=True):
        doc.parsed.blocks = boilerplate.apply_site_repetition(doc.parsed.blocks, counts[site], articles[site])


_LINK_RE = re.compile(r"\[([^\[\]\n]*)\]\([^()\s]*\)")


def _norm(text: str) -> str:
    return " ".join(re.findall(r"\w+", visible(text).lower()))


def _lines(parsed: ParsedArticle, wrapped: bool = False) -> list[Line]:
    src = parsed.source_text
    owner = [-1] * (len(src) + 1)  # source code point -> index of the block copying it
    for index, block in enumerate(parsed.blocks):
        for run in block.runs:
            owner[run.source : run.source + run.length] = [index] * run.length
    body_text = " " + " ".join(_norm(b.text) for b in parsed.blocks if b.reason is None) + " "
    lines: list[Line] = []
    pos = 0
    for number, raw in enumerate(src.split("\n")):
        end = pos + len(raw)
        if raw.strip():
            hit = {owner[i] for i in range(pos, end) if owner[i] >= 0 and not src[i].isspace()}
            body = any(parsed.blocks[i].reason is None for i in hit)
            reason = None
            if not body:
                reasons = [parsed.blocks[i].reason for i in sorted(hit)]
                reason = reasons[0] if reasons else "(not in any block: title)"
            norm = _norm(raw)
            copy = bool(norm) and f" {norm} " in body_text
            lines.append(Line(number, raw.strip(), body, reason, copy, block=min(hit, default=-1)))
        pos = end + 1
    _justext(src, lines, wrapped)
    return lines


# ---- jusText, the library, on the same lines ------------------------------------------------------

_STOPLIST = justext.get_stoplist("English")


def _justext(src: str, lines: list[Line], wrapped: bool) -> None:
    """Each line one <p> (for hard-wrapped text, the lines of one paragraph as the parser joined
    them); every line takes its paragraph's class."""
    groups: list[list[Line]] = []
    for line in lines:
        if wrapped and groups and line.block >= 0 and groups[-1][-1].block == line.block:
            groups[-1].append(line)
        else:
            groups.append([line])
    parts = []
    for group in groups:
        text = " ".join(line.text for line in group)
        escaped = html.escape(text)
        escaped = _LINK_RE.sub(lambda m: f'<a href="#">{m.group(1)}</a>', escaped)
        parts.append(f"<p>{escaped}</p>")
    page = "<html><body>" + "".join(parts) + "</body></html>"
    paragraphs = justext.justext(page.encode("utf-8"), _STOPLIST)
    verdicts = [not p.is_boilerplate for p in paragraphs]
    if len(verdicts) != len(groups):  # jusText dropped or split a paragraph: match by text instead
        good = " ".join(_norm(p.text) for p in paragraphs if not p.is_boilerplate)
        for group in groups:
            for line in group:
                line.justext_body = bool(_norm(line.text)) and f" {_norm(line.text)} " in f" {good} "
        return
    for group, keep in zip(groups, verdicts, strict=True):
        for line in group:
            line.justext_body = keep


# ---- gold and scores ----------------------------------------------------------------------------


def read_gold(path: Path = GOLD) -> dict[tuple[str, str, int | None], dict[int, tuple[str, str]]]:
    """(data set, path, record) -> line number -> (label, hash)."""
    gold: dict[tuple[str, str, int | None], dict[int, tuple[str, str]]] = {}
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            if not raw.strip():
                continue
            row = json.loads(raw)
            key = (row["set"], row["path"], row.get("record"))
            gold[key] = {int(n): (label, h) for n, label, h in row["lines"]}
    return gold


@dataclass
class Scored:
    """One labelled line as scored: its site, label, reason (None: in the body) and jusText's verdict."""

    site: str
    where: str
    label: str
    reason: str | None
    kept_elsewhere: bool
    justext_body: bool
    text: str


@dataclass
class Score:
    boiler: int = 0
    boiler_removed: int = 0
    article: int = 0
    article_kept: int = 0
    meta: int = 0
    meta_removed: int = 0
    justext_boiler_removed: int = 0
    justext_article_kept: int = 0
    mismatched: int = 0  # gold lines whose hash no longer matches the corpus
    unlabelled: int = 0
    distrusted: dict[str, list[str]] = field(default_factory=dict)  # held-out site -> signals put back
    errors: list[str] = field(default_factory=list)

    @property
    def removed(self) -> float:
        return self.boiler_removed / self.boiler if self.boiler else 1.0

    @property
    def kept(self) -> float:
        return self.article_kept / self.article if self.article else 1.0

    def add(self, other: Score) -> None:
        for name in (
            "boiler",
            "boiler_removed",
            "article",
            "article_kept",
            "meta",
            "meta_removed",
            "justext_boiler_removed",
            "justext_article_kept",
            "mismatched",
            "unlabelled",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.distrusted.update(other.distrusted)
        self.errors.extend(other.errors)


def scored_lines(dataset: str, corpus: Path = CORPUS, gold_path: Path = GOLD) -> tuple[list[Scored], Score]:
    """Every labelled line of a data set, and a Score holding only the hash/label bookkeeping."""
    gold = read_gold(gold_path)
    out: list[Scored] = []
    info = Score()
    for doc in load(dataset, corpus):
        labels = gold.get((dataset, doc.key[0], doc.key[1]))
        where = f"{doc.key[0]}" + (f"#{doc.key[1]}" if doc.key[1] is not None else "")
        if labels is None:
            info.unlabelled += len(doc.lines)
            continue
        for line in doc.lines:
            if not re.search(r"\w", line.text):
                continue
            entry = labels.get(line.number)
            if entry is None or entry[1] != line_hash(line.text):
                info.mismatched += 1
                continue
            if entry[0] == "x":  # a verbatim copy of other text of the article: either way is right
                continue
            reason = None if line.in_body else line.reason
            out.append(
                Scored(
                    doc.site,
                    f"{where}:{line.number}",
                    entry[0],
                    reason,
                    line.in_body_text,
                    line.justext_body,
                    line.text,
                )
            )
    return out, info


def fit_trust(lines: list[Scored]) -> set[str]:
    """The signals (reasons) that removed mostly boilerplate on these lines: the ones to trust."""
    removed: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for line in lines:
        if line.reason is None or line.label not in ("a", "b"):
            continue
        removed[line.reason] += 1
        right[line.reason] += line.label == "b"
    return {r for r in removed if removed[r] < MIN_SUPPORT or right[r] / removed[r] >= MIN_PRECISION}


def loso(all_lines: list[Scored]) -> dict[str, Score]:
    """Leave-one-site-out scores per site: trust fitted on every other site's lines."""
    sites = sorted({line.site for line in all_lines})
    scores: dict[str, Score] = {}
    for site in sites:
        train = [line for line in all_lines if line.site != site]
        trusted = fit_trust(train)
        seen = {line.reason for line in train if line.reason is not None and line.label in ("a", "b")}
        result = Score()
        put_back = set()
        for line in all_lines:
            if line.site != site:
                continue
            reason = line.reason
            if reason is not None and line.label != "m" and reason in seen and reason not in trusted:
                put_back.add(reason)
                reason = None
            in_body = reason is None or (line.kept_elsewhere and line.label != "m")
            if line.label == "m":
                result.meta += 1
                result.meta_removed += not in_body
            elif line.label == "b":
                result.boiler += 1
                result.boiler_removed += not in_body
                result.justext_boiler_removed += not line.justext_body
                if in_body:
                    result.errors.append(f"KEPT boilerplate  {line.where}: {line.text[:110]}")
            else:
                result.article += 1
                result.article_kept += in_body
                result.justext_article_kept += line.justext_body
                if not in_body:
                    result.errors.append(f"LOST article      {line.where} [{reason}]: {line.text[:110]}")
        if put_back:
            result.distrusted[site] = sorted(put_back)
        scores[site] = result
    return scores


def evaluate(datasets: list[str], corpus: Path = CORPUS, gold_path: Path = GOLD) -> dict[str, Score]:
    """Leave-one-site-out Score per data set (sites pooled within it), plus "overall"."""
    all_lines: list[Scored] = []
    infos: dict[str, Score] = {}
    for name in datasets:
        lines, info = scored_lines(name, corpus, gold_path)
        all_lines.extend(lines)
        infos[name] = info
    per_site = loso(all_lines)
    out: dict[str, Score] = {}
    overall = Score()
    for name in datasets:
        total = Score()
        total.add(infos[name])
        for site, result in per_site.items():
            if site == name or site.startswith(f"{name}:"):
                total.add(result)
        out[name] = total
        overall.add(total)
    out["overall"] = overall
    return out


def score(dataset: str, corpus: Path = CORPUS, gold_path: Path = GOLD) -> Score:
    """One data set's leave-one-site-out Score, the other data sets' sites among the training sites."""
    return evaluate(list(DATASETS), corpus, gold_path)[dataset]


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "  n/a"


def report(datasets: list[str], verbose: bool = False, corpus: Path = CORPUS) -> bool:
    results = evaluate(datasets, corpus)
    print("leave-one-site-out; boilerplate lines removed / content lines kept")
    print(
        f"{'data set':10} {'boiler':>7} {'removed':>8} {'content':>8} {'kept':>7}   "
        f"{'jusText: removed':>17} {'kept':>7}   header lines removed"
    )
    for name, s in results.items():
        print(
            f"{name:10} {s.boiler:7d} {_pct(s.boiler_removed, s.boiler):>8} {s.article:8d} "
            f"{_pct(s.article_kept, s.article):>7}   {_pct(s.justext_boiler_removed, s.boiler):>17} "
            f"{_pct(s.justext_article_kept, s.article):>7}   {_pct(s.meta_removed, s.meta)} of {s.meta}"
        )
        if name != "overall" and (s.mismatched or s.unlabelled):
            print(f"  warning: {s.mismatched} lines changed since labelling, {s.unlabelled} unlabelled")
        if verbose and name != "overall":
            for site, signals in sorted(s.distrusted.items()):
                print(f"  {site}: signals not trusted (fitted on the other sites): {'; '.join(signals)}")
            for err in s.errors:
                print("  " + err)
    overall = results["overall"]
    return overall.kept >= BAR_KEPT and overall.removed >= BAR_REMOVED


def dump(dataset: str, corpus: Path = CORPUS) -> Iterator[str]:
    """Every line with its number, hash and prediction: the aid used to write the gold."""
    for doc in load(dataset, corpus):
        yield f"=== {doc.key[0]} record={doc.key[1]} site={doc.parsed.meta.site}"
        for line in doc.lines:
            mark = "A" if line.in_body else "B"
            why = "" if line.in_body else f" [{line.reason}]"
            yield f"{line.number:4d} {line_hash(line.text)} {mark}{why} | {line.text[:160]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("datasets", nargs="*", help=f"any of {', '.join(DATASETS)} (default: all)")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every misclassified line")
    parser.add_argument("--dump", metavar="SET", choices=list(DATASETS), help="print every line's prediction")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"corpus {CORPUS} is absent (set READER_CORPUS)", file=sys.stderr)
        return 2
    if args.dump:
        for row in dump(args.dump):
            print(row)
        return 0
    unknown = [d for d in args.datasets if d not in DATASETS]
    if unknown:
        parser.error(f"unknown data set {unknown[0]!r}")
    ok = report(args.datasets or list(DATASETS), args.verbose)
    print(
        f"target overall (content kept >= {BAR_KEPT:.0%}, boilerplate removed >= {BAR_REMOVED:.0%}):",
        "met" if ok else "NOT met",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
