"""The undo/redo journal (`history.jsonl`): append-only, fsynced, replayed at open.

Why a journal: undo must survive a restart, and appending one line is cheap and cannot damage
earlier lines. Records are `{"op": "do", "n", "article_id", "forward", "backward", "label"}`,
`{"op": "undo", "n"}` and `{"op": "redo", "n"}`; replaying them rebuilds both stacks. A torn
last line (a crash mid-append) is ignored. Past `COMPACT_AT` records the file is rewritten
atomically with only the newest `KEEP` undoable changes.

A change of an article's annotations is journalled as two patches (`library.store.patches`):
what redo applies to the state before and what undo applies to the state after, so a change of one
highlight among thousands writes one highlight, not the article twice. Whole states ("before" and
"after") are kept where a patch cannot say the change (the highlights reordered, the site rules'
state) and read from journals written before patches.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from library.store import patches
from library.store.atomic import atomic_write_bytes
from library.store.errors import StoreReadOnly

COMPACT_AT = 3000
KEEP = 500


@dataclass(slots=True)
class Change:
    """One undoable step: whole states (`before`, `after`) or the two patches between them."""

    n: int
    article_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    label: str
    group: int = 0  # changes with the same non-zero group are undone and redone as one step
    forward: patches.Patch | None = None  # before -> after (when journalled as patches)
    backward: patches.Patch | None = None  # after -> before

    @classmethod
    def of(
        cls,
        n: int,
        article_id: str,
        before: dict[str, Any],
        after: dict[str, Any],
        label: str,
        group: int = 0,
    ) -> Change:
        """The change from `before` to `after`, as patches when they are annotation records."""
        if isinstance(before.get("highlights"), list) and isinstance(after.get("highlights"), list):
            both = patches.diff(before, after)
            if both is not None:
                return cls(n, article_id, None, None, label, group, both[0], both[1])
        return cls(n, article_id, before, after, label, group)

    @classmethod
    def from_record(cls, rec: dict[str, Any]) -> Change:
        """A "do" record read back; ValueError (or KeyError, TypeError) when it is not one."""
        n, aid, label, group = (
            int(rec["n"]),
            str(rec["article_id"]),
            str(rec.get("label", "")),
            int(rec.get("group") or 0),
        )
        if "forward" in rec:
            patches.check(rec["forward"])
            patches.check(rec["backward"])
            return cls(n, aid, None, None, label, group, rec["forward"], rec["backward"])
        if not isinstance(rec["before"], dict) or not isinstance(rec["after"], dict):
            raise ValueError("a state is not an object")
        return cls(n, aid, rec["before"], rec["after"], label, group)

    def state(self, *, redo: bool, current: dict[str, Any] | None) -> dict[str, Any]:
        """The state undo (or redo) goes back (or on) to: the whole state journalled, or the
        patch applied to `current`, the state the store holds now."""
        whole = self.after if redo else self.before
        if whole is not None:
            return whole
        patch = self.forward if redo else self.backward
        assert patch is not None
        base = current if current is not None else {"article_id": self.article_id, "highlights": []}
        return patches.apply(base, patch)

    def described(self, *, redo: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        """(from, to) states for describing the step in words: whole, or what the patches touch."""
        if self.before is not None and self.after is not None:
            return (self.before, self.after) if redo else (self.after, self.before)
        assert self.forward is not None and self.backward is not None
        old, new = patches.touched(self.backward), patches.touched(self.forward)
        return (old, new) if redo else (new, old)

    def record(self) -> dict[str, Any]:
        rec: dict[str, Any] = {"op": "do", "n": self.n, "article_id": self.article_id}
        if self.forward is not None:
            rec["forward"], rec["backward"] = self.forward, self.backward
        else:
            rec["before"], rec["after"] = self.before, self.after
        rec["label"] = self.label
        if self.group:
            rec["group"] = self.group
        return rec


class History:
    def __init__(self, path: Path, *, read_only: bool, notice: Any) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self._records = 0
        self._next = 1
        skipped = self._replay()
        if skipped:
            notice(
                f"{self.path}: ignored {skipped} unreadable line(s) of the undo history (an interrupted write)"
            )

    def _replay(self) -> int:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return 0
        skipped = 0
        by_n: dict[int, Change] = {}
        for line in raw.split(b"\n"):
            if not line.strip():
                continue
            try:
                rec = orjson.loads(line)
                op = rec["op"]
                n = int(rec["n"])
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                skipped += 1
                continue
            self._records += 1
            self._next = max(self._next, n + 1)
            if op == "do":
                try:
                    change = Change.from_record(rec)
                except (KeyError, TypeError, ValueError):
                    skipped += 1
                    continue
                by_n[n] = change
                self.undo_stack.append(change)
                self.redo_stack.clear()
            elif op == "undo" and self.undo_stack and self.undo_stack[-1].n == n:
                self.redo_stack.append(self.undo_stack.pop())
            elif op == "redo" and self.redo_stack and self.redo_stack[-1].n == n:
                self.undo_stack.append(self.redo_stack.pop())
        return skipped

    def _append(self, record: dict[str, Any]) -> None:
        self._append_lines(orjson.dumps(record) + b"\n", 1)

    def _append_lines(self, line: bytes, count: int) -> None:
        """One write and one fsync for `count` records (whole lines)."""
        if self.read_only:
            raise StoreReadOnly(f"{self.path}: library is open read-only")
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            # A torn previous line (crash mid-append) must not swallow this record: start a new line.
            if os.fstat(fd).st_size and not self._ends_with_newline():
                line = b"\n" + line
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        self._records += count

    def _maybe_compact(self) -> None:
        if self._records > COMPACT_AT:
            # On failure the long journal is still valid; compaction is retried on the next change.
            with contextlib.suppress(OSError):
                self._compact()

    def _ends_with_newline(self) -> bool:
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            return handle.read(1) == b"\n"

    def _compact(self) -> None:
        start = max(0, len(self.undo_stack) - KEEP)
        while (
            0 < start < len(self.undo_stack)
            and self.undo_stack[start].group
            and (self.undo_stack[start - 1].group == self.undo_stack[start].group)
        ):
            start -= 1  # never cut a grouped change in two
        keep = self.undo_stack[start:]
        lines = [orjson.dumps(c.record()) for c in keep]
        redo = list(reversed(self.redo_stack))  # oldest undone first
        for c in redo:  # an undone change is a "do" followed by its "undo", newest undone last
            lines.append(orjson.dumps(c.record()))
        for c in reversed(redo):
            lines.append(orjson.dumps({"op": "undo", "n": c.n}))
        atomic_write_bytes(self.path, b"".join(line + b"\n" for line in lines))
        self.undo_stack = keep
        self._records = len(lines)

    def new_group(self) -> int:
        """A group number for several changes that undo as one (a library-wide rename)."""
        return self._next

    def record(
        self, article_id: str, before: dict[str, Any], after: dict[str, Any], label: str, group: int = 0
    ) -> None:
        change = Change.of(self._next, article_id, before, after, label, group)
        self._next += 1
        self._append(change.record())
        self.undo_stack.append(change)
        self.redo_stack.clear()
        self._maybe_compact()

    def record_many(self, changes: list[tuple[str, dict[str, Any], dict[str, Any], str]]) -> None:
        """Journal a batch (article id, before, after, label) with one write and one fsync."""
        if not changes:
            return
        made = [
            Change.of(self._next + i, aid, before, after, label)
            for i, (aid, before, after, label) in enumerate(changes)
        ]
        self._append_lines(b"".join(orjson.dumps(c.record()) + b"\n" for c in made), len(made))
        self._next += len(made)
        self.undo_stack.extend(made)
        self.redo_stack.clear()
        self._maybe_compact()

    def peek_undo(self) -> Change | None:
        return self.undo_stack[-1] if self.undo_stack else None

    def peek_redo(self) -> Change | None:
        return self.redo_stack[-1] if self.redo_stack else None

    def mark_undone(self, change: Change) -> None:
        self._append({"op": "undo", "n": change.n})
        self.redo_stack.append(self.undo_stack.pop())
        self._maybe_compact()

    def mark_redone(self, change: Change) -> None:
        self._append({"op": "redo", "n": change.n})
        self.undo_stack.append(self.redo_stack.pop())
        self._maybe_compact()
