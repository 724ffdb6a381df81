"""What one undo step changes, in words a person recognises.

Why: the undo history stores each step as the article's annotations before and after, with a
short label ("edit highlight"). Undoing a step in another article with only that label leaves
the user guessing what came back; this compares the two states and names the highlight (its
labels and quote), the article tags or the note that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from library.safetext import one_line

QUOTE_CHARS = 40


@dataclass(frozen=True, slots=True)
class ChangeInfo:
    """One undo/redo step: which article, the store's label, and what it changes in words."""

    article_id: str
    label: str
    detail: str


def _quote(highlight: dict[str, Any]) -> str:
    return f"“{one_line(str(highlight.get('quote', '')), QUOTE_CHARS)}”"


def _labels(highlight: dict[str, Any]) -> str:
    tags = [str(t) for t in highlight.get("tags") or []]
    return ", ".join(tags) if tags else "untagged"


def _highlight(highlight: dict[str, Any]) -> str:
    return f"highlight {_labels(highlight)} {_quote(highlight)}"


def describe(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What going from `before` to `after` (two annotation states of one article) changes:
    e.g. 'removes highlight Doubt “the council met…”' or 'adds tag Labour'. "" when only fields
    a person does not edit differ."""
    parts: list[str] = []
    old = {str(h["id"]): h for h in before.get("highlights") or []}
    new = {str(h["id"]): h for h in after.get("highlights") or []}
    for hid, h in new.items():
        if hid not in old:
            parts.append(f"adds {_highlight(h)}")
    for hid, h in old.items():
        if hid not in new:
            parts.append(f"removes {_highlight(h)}")
    for hid, h in new.items():
        was = old.get(hid)
        if was is None:
            continue
        if list(was.get("tags") or []) != list(h.get("tags") or []):
            parts.append(f"labels {_quote(h)} {_labels(was)} → {_labels(h)}")
        elif was.get("note", "") != h.get("note", ""):
            parts.append(f"changes the note on {_highlight(h)}")
        elif (was.get("source_start"), was.get("source_end")) != (h.get("source_start"), h.get("source_end")):
            parts.append(f"moves {_highlight(was)} to {_quote(h)}")
    old_tags = [str(t.get("tag")) for t in before.get("tags") or []]
    new_tags = [str(t.get("tag")) for t in after.get("tags") or []]
    added = [t for t in new_tags if t not in old_tags]
    removed = [t for t in old_tags if t not in new_tags]
    if added:
        parts.append(f"adds tag {', '.join(added)}")
    if removed:
        parts.append(f"removes tag {', '.join(removed)}")
    if before.get("note", "") != after.get("note", ""):
        parts.append("changes the article note")
    if (before.get("flips") or {}) != (after.get("flips") or {}):
        parts.append("moves a block between body and boilerplate")
    if len(parts) > 2:
        parts = [*parts[:2], f"and {len(parts) - 2} more"]
    return "; ".join(parts)
