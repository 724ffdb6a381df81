"""Which files in a folder are plainly not articles: notes (README, LICENSE, SOURCE), annotation
label files and technique lists, which data-set folders keep next to their articles.

A folder import skips them (one notice each); a file named on the command line is read anyway.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_LINE_END_RE = re.compile(r"\r\n|\r|\n")


# Names of files that sit next to articles in a data-set folder and are never articles.
_NOT_ARTICLE_NAME_RE = re.compile(
    r"^(?:readme|licen[cs]e|copying|source|sources|changelog|changes|contributing|authors|notice)"
    r"(?:[._-].*)?$",
    re.IGNORECASE,
)
_LABEL_NAME_RE = re.compile(r"^(?:.*\.labels(?:\.\w+)?|labels?(?:[._-].*)?\.(?:tsv|txt|csv))$", re.IGNORECASE)
_TECHNIQUES_NAME_RE = re.compile(r"^(?:.*[._-])?techniques(?:[._-].*)?\.txt$", re.IGNORECASE)
# "article_id <TAB> label <TAB> start <TAB> end" (PTC) and the like: an id, offsets, a label.
_LABEL_ROW_RE = re.compile(r"^[^\t]+(?:\t[^\t]*)*\t\d+\t\d+(?:\t[^\t]*)*$|^[^\t]+\t\d+\t\d+\t[^\t]+$")
_LABEL_TOKEN_RE = re.compile(r"^[A-Za-z][\w,/&'()-]*$")  # "Loaded_Language", "Name_Calling,Labeling"
_ANY_SKIP_NAME_RE = re.compile(
    "|".join(f"(?:{p.pattern})" for p in (_LABEL_NAME_RE, _TECHNIQUES_NAME_RE, _NOT_ARTICLE_NAME_RE)),
    re.IGNORECASE,
)
HINT_LABELS = "annotation labels, not articles: load them with `reader import-annotations`"
LABEL_SNIFF_BYTES = 4096


def skip_reason(name: str, head: str | None = None) -> str | None:
    """Why a file found in a folder is plainly not an article (its name, or for `.tsv`/`.txt`
    its first lines), or None."""
    base = os.path.basename(name)
    if not _ANY_SKIP_NAME_RE.match(base) and head is None:
        return None  # (one regex for the common case: an article's name)
    if _LABEL_NAME_RE.match(base):
        return HINT_LABELS
    if _TECHNIQUES_NAME_RE.match(base):
        return "a list of technique labels, not an article"
    if _NOT_ARTICLE_NAME_RE.match(base):
        return "a notes or licence file, not an article"
    if head is not None and looks_like_labels(head):
        return HINT_LABELS
    return None


_FIRST_LINE_RE = re.compile(r"\S[^\r\n]*")  # from the first character that is not space to the line's end


def looks_like_labels(head: str) -> bool:
    """Lines of tab-separated label rows (id, label, start, end), or one short label per line.

    Called on every text file an import reads, so an article is told apart at once: without a
    tab no line can be a label row, and a list of label names needs its first line to be one
    (the full check below gives the same answer, at a few times the cost)."""
    if "\t" not in head:
        first = _FIRST_LINE_RE.search(head)
        if first is None:
            return False
        name = first.group().rstrip()
        if len(name) > 60 or not _LABEL_TOKEN_RE.match(name):
            return False
    lines = [ln.strip() for ln in _LINE_END_RE.split(head)[:40] if ln.strip()]
    if len(head) >= LABEL_SNIFF_BYTES:
        lines = lines[:-1]  # (the last line may be cut)
    if len(lines) < 2:
        return False
    rows = sum(1 for ln in lines if _LABEL_ROW_RE.match(ln))
    if rows >= 0.9 * len(lines):
        return True
    return len(lines) >= 3 and all(_LABEL_TOKEN_RE.match(ln) and len(ln) <= 60 for ln in lines)


LABEL_EXTENSIONS = (".txt", ".tsv", ".labels")


def holds_labels(path: Path, head: bytes) -> bool:
    """A label file by its first lines (only files named like text are looked at)."""
    start = head[:200]
    if b"\t" not in start and b" " in start:
        return False  # prose: neither label rows nor a list of label names
    if os.path.splitext(os.fspath(path))[1].lower() not in LABEL_EXTENSIONS:
        return False
    return looks_like_labels(head[:LABEL_SNIFF_BYTES].decode("utf-8", "ignore"))
