"""Work state per article and annotator: new, in progress, done; and filtering by it.

Why apart from "read": opening an article says nothing about whether its labelling is finished.
The state is stored with the article's annotations (`ArticleAnnotations.work`, annotator ->
state). An annotator with no recorded state is *in progress* once they have put a highlight or a
tag on the article and *new* before; "done" is only ever set on purpose (a key, or
`reader state ID done`).

Filtering by annotator and state is `ArticleQuery`'s (library/core/query.py: `annotators` and
`state`), the one query of the library list, `reader list` and `reader export`.
"""

from __future__ import annotations

from typing import Any

from library.annotations.model import ArticleAnnotations

STATE_NEW = "new"
STATE_PROGRESS = "progress"
STATE_DONE = "done"
STATES = (STATE_NEW, STATE_PROGRESS, STATE_DONE)
STATE_LABELS = {STATE_NEW: "new", STATE_PROGRESS: "in progress", STATE_DONE: "done"}


def parse_state(text: str) -> str:
    """`new`, `progress` (also "in progress", "in-progress") or `done`; ValueError otherwise."""
    key = text.strip().lower().replace("-", " ").replace("_", " ")
    if key in ("in progress", "progress", "started"):
        return STATE_PROGRESS
    if key in (STATE_NEW, STATE_DONE):
        return key
    raise ValueError(f"unknown work state {text!r} (choose from new, progress, done)")


def _has_work(data: dict[str, Any], annotator: str) -> bool:
    return any(str(h.get("annotator", "")) == annotator for h in data.get("highlights", ())) or any(
        str(t.get("annotator", "")) == annotator for t in data.get("tags", ())
    )


def state_of_json(data: dict[str, Any] | None, annotator: str) -> str:
    """The state of `annotator`'s work on an article, from its stored annotations (or None)."""
    if not data:
        return STATE_NEW
    explicit = (data.get("work") or {}).get(annotator)
    if explicit in STATES:
        return str(explicit)
    return STATE_PROGRESS if _has_work(data, annotator) else STATE_NEW


def state_of(ann: ArticleAnnotations, annotator: str) -> str:
    explicit = ann.work.get(annotator)
    if explicit in STATES:
        return explicit
    mine = any(h.annotator == annotator for h in ann.highlights) or any(
        t.annotator == annotator for t in ann.tags
    )
    return STATE_PROGRESS if mine else STATE_NEW


def only_annotator(ann: ArticleAnnotations, annotator: str) -> ArticleAnnotations:
    """A copy holding only `annotator`'s highlights and article tags (for a per-annotator export)."""
    out = ann.copy()
    out.highlights = [h for h in out.highlights if h.annotator == annotator]
    out.tags = [t for t in out.tags if t.annotator == annotator]
    return out


def progress(states: dict[str, str], ids: list[str]) -> tuple[int, int]:
    """(done, total) over `ids`."""
    return sum(1 for aid in ids if states.get(aid) == STATE_DONE), len(ids)
