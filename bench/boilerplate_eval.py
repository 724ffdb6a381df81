"""How well boilerplate leaves the body on the real dev corpora, line by line, against hand-made gold.

The issue's bar ("imported whole": >= 85 % of boilerplate lines leave the body, >= 98 % of real
article lines stay) is measured here on the three dev data sets under the corpus root
(`$READER_CORPUS`, default `../shared/corpus`):

- `recovery`: ReCOVery CSV rows (`recovery-dev/*.csv`), the body field of each record;
- `ptc`: PTC plain-text articles (`ptc-dev/articles/*.txt`);
- `bibp`: Global-Research-derived markdown (`bibp-archive-globalresearch/articles/*.md`).

Each data set goes through the real import path (`library.ingest.reading.read_file`), then the site
repetition the store applies (fingerprints counted per site key over the whole data set, as after
importing it whole). A source line is "in the body" when any of its characters is copied by a body
block. The gold (`bench/gold/boilerplate.jsonl`) holds no text: per file and record, the line
numbers with a label (`a` article, `b` boilerplate, `m` title/header metadata line, scored apart,
`x` a scraper's verbatim copy of other text of the same article, not scored; lines without a letter
or digit are not labelled)
and the first 12 hex digits of sha1 of the whitespace-normalised line, so a changed corpus file is
detected instead of silently mis-scored.

    .venv/bin/python -m bench.boilerplate_eval            # scores per data set (+ a jusText-like baseline)
    .venv/bin/python -m bench.boilerplate_eval --verbose  # also every misclassified line, truncated
    .venv/bin/python -m bench.boilerplate_eval --dump recovery  # every line with its prediction (labelling aid)
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from library.cleaning import boilerplate
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
BAR_KEPT = 0.98
BAR_REMOVED = 0.85


def line_hash(line: str) -> str:
    """Short id of a source line: sha1 of its whitespace-normalised text, first 12 hex digits."""
    return hashlib.sha1(" ".join(line.split()).encode("utf-8")).hexdigest()[:12]


@dataclass
class Line:
    number: int  # 0-based line number in the article's source text (the record body for data sets)
    text: str
    in_body: bool
    reason: str | None  # the reason of the boilerplate block holding the line, when not in the body
    baseline_body: bool = True


@dataclass
class Doc:
    key: tuple[str, int | None]  # (path relative to the corpus root, record or None)
    parsed: ParsedArticle
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
        doc.lines = _lines(doc.parsed)
    return docs


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


def _lines(parsed: ParsedArticle) -> list[Line]:
    src = parsed.source_text
    owner = [-1] * (len(src) + 1)  # source code point -> index of the block copying it
    for index, block in enumerate(parsed.blocks):
        for run in block.runs:
            owner[run.source : run.source + run.length] = [index] * run.length
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
            lines.append(Line(number, raw.strip(), body, reason))
        pos = end + 1
    _baseline(lines)
    return lines


# ---- a jusText-like baseline (jusText's defaults, on lines; a port, not the library) -----------

_LINK_RE = re.compile(r"\[([^\[\]\n]*)\]\([^()\s]*\)")


def _baseline(lines: list[Line]) -> None:
    """jusText's context-free classes and smoothing (defaults 70/200/0.30/0.32/0.2), one line a paragraph."""
    classes = []
    for line in lines:
        links = sum(len(m.group(1)) for m in _LINK_RE.finditer(line.text))
        text = _LINK_RE.sub(r"\1", line.text)
        n = len(text)
        sw = boilerplate.stopword_density(text)
        if n and links / n > 0.2 or "©" in text:
            cls = "bad"
        elif n < 70:
            cls = "bad" if links else "short"
        elif sw >= 0.32:
            cls = "good" if n > 200 else "neargood"
        elif sw >= 0.30:
            cls = "neargood"
        else:
            cls = "bad"
        classes.append(cls)
    revised = list(classes)

    def neighbour(i: int, step: int, ignore_neargood: bool) -> str:
        j = i + step
        while 0 <= j < len(classes):
            c = classes[j]
            if c in ("good", "bad") or (c == "neargood" and not ignore_neargood):
                return c
            j += step
        return "bad"

    for i, cls in enumerate(classes):
        if cls != "short":
            continue
        prev, nxt = neighbour(i, -1, True), neighbour(i, 1, True)
        if prev == nxt:
            revised[i] = prev
        elif "neargood" in (neighbour(i, -1, False), neighbour(i, 1, False)):
            revised[i] = "good"
        else:
            revised[i] = "bad"
    for i, cls in enumerate(classes):
        if cls == "neargood":
            both_bad = neighbour(i, -1, True) == "bad" and neighbour(i, 1, True) == "bad"
            revised[i] = "bad" if both_bad else "good"
    for line, cls in zip(lines, revised, strict=True):
        line.baseline_body = cls == "good"


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
class Score:
    boiler: int = 0
    boiler_removed: int = 0
    article: int = 0
    article_kept: int = 0
    meta: int = 0
    meta_removed: int = 0
    base_boiler_removed: int = 0
    base_article_kept: int = 0
    mismatched: int = 0  # gold lines whose hash no longer matches the corpus
    unlabelled: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def removed(self) -> float:
        return self.boiler_removed / self.boiler if self.boiler else 1.0

    @property
    def kept(self) -> float:
        return self.article_kept / self.article if self.article else 1.0


def score(dataset: str, corpus: Path = CORPUS, gold_path: Path = GOLD) -> Score:
    gold = read_gold(gold_path)
    result = Score()
    for doc in load(dataset, corpus):
        labels = gold.get((dataset, doc.key[0], doc.key[1]))
        where = f"{doc.key[0]}" + (f"#{doc.key[1]}" if doc.key[1] is not None else "")
        if labels is None:
            result.unlabelled += len(doc.lines)
            continue
        for line in doc.lines:
            if not re.search(r"\w", line.text):
                continue
            entry = labels.get(line.number)
            if entry is None or entry[1] != line_hash(line.text):
                result.mismatched += 1
                continue
            label = entry[0]
            if label == "x":  # a verbatim copy of other text of the article: either way is right
                continue
            if label == "m":
                result.meta += 1
                result.meta_removed += not line.in_body
            elif label == "b":
                result.boiler += 1
                result.boiler_removed += not line.in_body
                result.base_boiler_removed += not line.baseline_body
                if line.in_body:
                    result.errors.append(f"KEPT boilerplate  {where}:{line.number}: {line.text[:110]}")
            else:
                result.article += 1
                result.article_kept += line.in_body
                result.base_article_kept += line.baseline_body
                if not line.in_body:
                    result.errors.append(
                        f"LOST article      {where}:{line.number} [{line.reason}]: {line.text[:110]}"
                    )
    return result


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:5.1f}%" if b else "  n/a"


def report(datasets: list[str], verbose: bool = False, corpus: Path = CORPUS) -> bool:
    ok = True
    print(
        f"{'data set':10} {'boiler':>7} {'removed':>8} {'article':>8} {'kept':>7}   "
        f"{'jusText-like: removed':>22} {'kept':>7}   header-lines removed"
    )
    for name in datasets:
        s = score(name, corpus)
        print(
            f"{name:10} {s.boiler:7d} {_pct(s.boiler_removed, s.boiler):>8} {s.article:8d} "
            f"{_pct(s.article_kept, s.article):>7}   {_pct(s.base_boiler_removed, s.boiler):>22} "
            f"{_pct(s.base_article_kept, s.article):>7}   {_pct(s.meta_removed, s.meta)} of {s.meta}"
        )
        if s.mismatched or s.unlabelled:
            print(f"  warning: {s.mismatched} lines changed since labelling, {s.unlabelled} unlabelled")
        if verbose:
            for err in s.errors:
                print("  " + err)
        ok = ok and s.kept >= BAR_KEPT and s.removed >= BAR_REMOVED
    return ok


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
    print("bar (kept >= 98%, removed >= 85%):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
