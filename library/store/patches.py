"""Patches between two stored annotation records of one article: what changed, and only that.

Why: an article can carry thousands of highlights, and a change touches one. The undo journal
and the annotation store's append log write a patch (the changed highlights and fields) instead
of whole records, so a change costs what it changed, not the size of the article.

A patch is JSON: `{"fields": {key: value}, "drop": [key], "del": [highlight id],
"put": [[index, highlight]]}`. Applied to a record it sets and drops top-level fields, removes
the highlights named in "del", then, in the order given (ascending index), replaces the
highlight with the same id where it is or inserts it at its index. `diff` gives the patch from
one record to another and the one back, or None when the highlights common to both changed
order (a patch of insertions cannot say that; the caller keeps whole records then).
"""

from __future__ import annotations

from typing import Any

Patch = dict[str, Any]
HIGHLIGHTS = "highlights"


def _id(h: Any) -> str:
    return str(h.get("id")) if isinstance(h, dict) else ""


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[Patch, Patch] | None:
    """(forward, backward): the patch that makes `after` of `before` and the one back; None when
    the shared highlights are in another order. Highlights are compared by identity first (the
    store hands out the same objects for unchanged ones), so a record of thousands costs little."""
    old = before.get(HIGHLIGHTS) or []
    new = after.get(HIGHLIGHTS) or []
    if not isinstance(old, list) or not isinstance(new, list):
        return None
    if len({_id(h) for h in old}) != len(old) or len({_id(h) for h in new}) != len(new):
        return None  # duplicate ids: only whole records say that exactly
    # The same objects at both ends are unchanged: only the middle is compared by id and value.
    p = 0
    while p < len(old) and p < len(new) and old[p] is new[p]:
        p += 1
    q = 0
    while q < len(old) - p and q < len(new) - p and old[-1 - q] is new[-1 - q]:
        q += 1
    mid_old, mid_new = old[p : len(old) - q], new[p : len(new) - q]
    old_ids = [_id(h) for h in mid_old]
    new_ids = [_id(h) for h in mid_new]
    old_at = {hid: i for i, hid in enumerate(old_ids)}
    new_at = {hid: i for i, hid in enumerate(new_ids)}
    if [h for h in old_ids if h in new_at] != [h for h in new_ids if h in old_at]:
        return None
    forward: Patch = {"del": [hid for hid in old_ids if hid not in new_at], "put": []}
    backward: Patch = {"del": [hid for hid in new_ids if hid not in old_at], "put": []}
    for i, h in enumerate(mid_new):
        was = old_at.get(new_ids[i])
        if was is None or not (mid_old[was] is h or mid_old[was] == h):
            forward["put"].append([p + i, h])
    for j, h in enumerate(mid_old):
        now = new_at.get(old_ids[j])
        if now is None or not (mid_new[now] is h or mid_new[now] == h):
            backward["put"].append([p + j, h])
    fields_fwd: dict[str, Any] = {}
    fields_back: dict[str, Any] = {}
    for key in (before.keys() | after.keys()) - {HIGHLIGHTS}:
        if key in before and key in after:
            if before[key] != after[key]:
                fields_fwd[key], fields_back[key] = after[key], before[key]
        elif key in after:
            fields_fwd[key] = after[key]
            backward.setdefault("drop", []).append(key)
        else:
            fields_back[key] = before[key]
            forward.setdefault("drop", []).append(key)
    if fields_fwd:
        forward["fields"] = fields_fwd
    if fields_back:
        backward["fields"] = fields_back
    return forward, backward


def apply(record: dict[str, Any], patch: Patch) -> dict[str, Any]:
    """A new record: `record` with `patch` applied (`record` itself is not changed)."""
    out = {k: v for k, v in record.items() if k not in set(patch.get("drop") or ())}
    out.update(patch.get("fields") or {})
    highlights = list(record.get(HIGHLIGHTS) or [])
    gone = set(patch.get("del") or ())
    if gone:
        highlights = [h for h in highlights if _id(h) not in gone]
    puts = patch.get("put") or []
    if puts:
        at = {_id(h): i for i, h in enumerate(highlights)}
        for index, h in puts:
            i = at.get(_id(h))
            if i is not None:
                highlights[i] = h
                continue
            index = max(0, min(int(index), len(highlights)))
            highlights.insert(index, h)
            if index == len(highlights) - 1:  # appended (a new highlight): nothing moved
                at[_id(h)] = index
            else:  # put back in the middle (undoing a delete): the ones after it moved
                at = {_id(x): k for k, x in enumerate(highlights)}
    out[HIGHLIGHTS] = highlights
    return out


def touched(patch: Patch) -> dict[str, Any]:
    """What a patch writes, as a partial record (for describing a change in words): its fields
    and the highlights it puts."""
    return {**(patch.get("fields") or {}), HIGHLIGHTS: [h for _, h in patch.get("put") or []]}


def check(patch: Any) -> None:
    """Raise ValueError when `patch` is not of the shape above (a damaged journal line)."""
    if not isinstance(patch, dict):
        raise ValueError("a patch is not an object")
    if not isinstance(patch.get("fields", {}), dict) or not isinstance(patch.get("drop", []), list):
        raise ValueError("a patch's fields are not an object")
    if not all(isinstance(x, str) for x in patch.get("del", [])):
        raise ValueError("a patch's removed highlights are not ids")
    for entry in patch.get("put", []):
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], int)):
            raise ValueError("a patch's highlight is not [index, highlight]")
        if not isinstance(entry[1], dict):
            raise ValueError("a patch's highlight is not an object")
