"""Propose boilerplate labels from the labelling convention's rules (the first step of making the gold).

The convention is `../shared/research/boilerplate-labelling.md`. This script reads every record of
the dev corpora, proposes a label per line from rules written from the convention (not from the
cleaner), takes the hand label already in the gold where no rule speaks, and then the reviewed
corrections in `review.tsv` (set, path, record, line, label, why), which win over both. It writes
`boilerplate.jsonl` (labels and hashes only, never corpus text) and, with --show, prints every
line whose proposal differs from the current gold, for review by eye.

    .venv/bin/python bench/gold/propose.py --show     # lines to review
    .venv/bin/python bench/gold/propose.py --write    # rewrite boilerplate.jsonl
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from bench.boilerplate_eval import DATASETS, GOLD, line_hash, load, read_gold  # noqa: E402

_I = re.IGNORECASE
NAME = r"(?-i:[A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|al|bin|la|le|da|di)){0,4})"
# A person's name: two to four capitalised words.
PERSON = r"(?-i:(?:Dr\.|Prof\.)?\s*[A-Z][\w.'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+)){1,3})"
AGENCIES = r"(?:getty images|ap photo|afp|reuters|shutterstock|istock(?:photo)?|eyeem|alamy|epa|xinhua|anadolu|nurphoto|sopa images|wikimedia commons|flickr|pool)"

# (label, why, pattern, max length): boilerplate kinds the convention names.
RULES: list[tuple[str, str, re.Pattern[str], int]] = [
    (
        "b",
        "byline",
        re.compile(
            rf"^(?:by|posted by|submitted by|written by|words by|with reporting by)\s*:?\s*{NAME}\W*$", _I
        ),
        120,
    ),
    (
        "b",
        "credit line",
        re.compile(
            r"\bcontributed (?:reporting )?to this (?:report|article|story)\b|^(?:additional )?(?:reporting|editing|writing) by\b|^produced by\b",
            _I,
        ),
        300,
    ),
    (
        "b",
        "author bio",
        re.compile(rf"^{PERSON},? (?:is|was) (?:a|an|the)\b.{{0,200}}\b(?:of|at|for|with|in)\b", 0),
        400,
    ),
    (
        "b",
        "author bio",
        re.compile(
            r"\bis the author of\b|\bhis (?:latest )?book\b.{0,60}\bis\b|\bher (?:latest )?book\b.{0,60}\bis\b",
            _I,
        ),
        400,
    ),
    (
        "b",
        "contact/follow",
        re.compile(
            r"[\w.+-]+@[\w-]+\.[\w.]+|(?:^|\s)@\w{2,}\b|\bcan be reached\b|\bfollow (?:him|her|them|me|us)\b|\breach (?:the )?(?:reporter|author|him|her)\b",
            _I,
        ),
        220,
    ),
    ("b", "bare URL", re.compile(r"^\(?(?:https?://|www\.)\S+\)?$", _I), 400),
    (
        "b",
        "copyright/republication",
        re.compile(
            r"©|\ball rights reserved\b|^copyright\b|\bappeared first on\b|\boriginally (?:published|appeared)\b|\bfirst (?:published|appeared)\b|\breprinted with\b|\bwith permission\b|^the original source of this article\b",
            _I,
        ),
        500,
    ),
    (
        "b",
        "disclaimer",
        re.compile(r"^disclaimer\b|\bviews expressed\b|\bsole responsibility of the author", _I),
        1500,
    ),
    (
        "b",
        "prompt",
        re.compile(
            r"\bsubscribe\b|\bsign up\b|\bnewsletter|\bdonat(?:e|ion)|\bshare this\b|\bcomment (?:below|on)\b|\bclick here\b|\bbecome a (?:member|patron)\b|\bsupport (?:us|our work)\b",
            _I,
        ),
        250,
    ),
    (
        "b",
        "related/read more",
        re.compile(
            r"^(?:read more|read also|see also|related(?: articles| stories| coverage| posts)?|also on|more from|recommended|trending|watch|listen)\b\s*[:|-]",
            _I,
        ),
        250,
    ),
    (
        "b",
        "related heading",
        re.compile(
            r"^(?:related(?: \w+)? (?:articles|stories|posts)|related|read more|you may also like|more on this|also on [\w ]+)\W*$",
            _I,
        ),
        60,
    ),
    ("b", "ad label", re.compile(r"^(?:advertisement|sponsored(?: content)?|ad)\W*$", _I), 30),
    (
        "b",
        "credit only",
        re.compile(
            rf"^\(?(?:photo|image|picture|credit|screen ?grab|screenshot)s?\b[^.]{{0,80}}\)?$|^[^.]{{0,80}}(?:/|\|)\s*{AGENCIES}\W*$|^\(?{AGENCIES}\)?$|^screen ?grab\b",
            _I,
        ),
        120,
    ),
]


CREDIT_TAIL = re.compile(
    rf"\((?:photo|image|picture)s? (?:by|courtesy)[^)]*\)\W*$|(?:photograph|photo|illustration) by [A-Z][^.]*$|\s[^.]{{0,80}}(?:/|\|)\s*{AGENCIES}\W*$",
    _I,
)


def descriptive_caption(text: str) -> bool:
    """A caption that tells what the picture shows (a sentence before the credit): content."""
    head = CREDIT_TAIL.sub("", text).strip()
    return head != text.strip() and len(head.split()) >= 6


def proposal(text: str, title: str) -> tuple[str, str] | None:
    t = text.strip()
    if descriptive_caption(t):
        return ("a", "caption describing the story, credit attached")
    norm = " ".join(re.findall(r"\w+", t.lower()))
    tnorm = " ".join(re.findall(r"\w+", title.lower()))
    if (
        norm
        and tnorm
        and (norm == tnorm or (len(norm) > 12 and tnorm.endswith(norm) and not t.endswith(".")))
    ):
        return ("b", "repeats the title")
    for label, why, pattern, max_len in RULES:
        if len(t) <= max_len and pattern.search(t):
            return (label, why)
    return None


def read_review(path: Path = HERE / "review.tsv") -> dict[tuple[str, str, int | None, int], str]:
    out: dict[tuple[str, str, int | None, int], str] = {}
    if not path.exists():
        return out
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        ds, rel, record, line, label = raw.split("\t")[:5]
        out[(ds, rel, None if record == "-" else int(record), int(line))] = label
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show", action="store_true")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("datasets", nargs="*")
    args = parser.parse_args(argv)
    gold = read_gold(GOLD) if GOLD.exists() else {}
    review = read_review()
    rows = []
    for ds in args.datasets or list(DATASETS):
        for doc in load(ds):
            rel, record = doc.key
            old = gold.get((ds, rel, record), {})
            title = doc.parsed.meta.title or ""
            labels = []
            for line in doc.lines:
                if not re.search(r"\w", line.text):
                    continue
                prior = old.get(line.number, (None, ""))[0]
                prop = proposal(line.text, title) if prior not in ("m", "x") else None
                label = prop[0] if prop else (prior or "a")
                final = review.get((ds, rel, record, line.number), label)
                if args.show and final != (prior or "?"):
                    why = prop[1] if prop else "new line"
                    print(
                        f"{ds}\t{rel}\t{'-' if record is None else record}\t{line.number}\t{final}\t{prior}\t{why}\t{line.text[:170]}"
                    )
                labels.append([line.number, final, line_hash(line.text)])
            rows.append({"set": ds, "path": rel, "record": record, "lines": labels})
    if args.write:
        with open(GOLD, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
