"""Plans the fewest keys the selection grammar allows to select a span, from where the cursor is.

The planner runs the app's own grammar (`reader.app.grammar`) for every step it considers, so a plan
is a sequence the app will execute exactly so; `bench.keystrokes` then presses each plan through
Pilot and checks the stored highlight. The search is exhaustive within bounds (stated per route
below) rather than guaranteed optimal over all sequences: each route is the cheapest of its shape.

Routes, each followed by the label's key(s):
- `v` route: reach one end of the span, `v`, move to the other end (first motion may take a count);
- object route: reach a position inside the span, a text object (`is`, `2iw`, `i"` ...), then at most
  two adjusting moves of either end (`o` swaps ends);
Reaching a position: up to three motion keys (a count counts as a key), or up to two motion keys and
one find (`fx`, `3tx`, `Fx`, `Tx`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from reader.app.grammar import Cursor, Grammar, object_span

_WORDS = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]+")

MOTIONS = ["h", "l", "w", "b", "e", "W", "E", ")", "(", "}", "{", "0", "$", "^", "g", "G"]
COUNTED = ["h", "l", "w", "b", "e", "W", "E", ")", "(", "}", "{"]
OBJECTS = ["w", "W", "s", "p", '"', "'", "(", "["]

Keys = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    keys: Keys  # selection keys only; the label keys follow
    route: str


class Planner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.grammar = Grammar(text)
        self._edges: dict[tuple[int, bool], list[tuple[Keys, int]]] = {}
        self._steps: dict[tuple[str, int], int] = {}
        self.occ: dict[str, list[int]] = {}
        for i, ch in enumerate(text):
            self.occ.setdefault(ch, []).append(i)

    # --- running the grammar -------------------------------------------------------------------
    def run(self, keys: Iterable[str], cur: Cursor) -> Cursor:
        g = self.grammar
        g.reset()
        for k in keys:
            cur = g.feed(k, cur).cursor
        g.reset()
        return cur

    def step(self, key: str, pos: int) -> int:
        """One motion, as the grammar moves (a count is the same step repeated, as in the grammar)."""
        memo = self._steps.get((key, pos))
        if memo is None:
            memo = (0 if key == "g" else len(self.text) - 1) if key in "gG" else self.grammar._step(key, pos)
            memo = max(0, min(memo, max(0, len(self.text) - 1)))
            self._steps[(key, pos)] = memo
        return memo

    def edges(self, pos: int, counts: bool) -> list[tuple[Keys, int]]:
        """Single motions from `pos` (with a count prefix when `counts`), as (keys, new position)."""
        cached = self._edges.get((pos, counts))
        if cached is not None:
            return cached
        out: dict[int, Keys] = {}
        for m in MOTIONS:
            q = self.step(m, pos)
            if q != pos and q not in out:
                out[q] = (m,)
            if counts and m in COUNTED:
                for n in range(2, 10):
                    q = self.step(m, q)
                    if q != pos and q not in out:
                        out[q] = (str(n), m)
        self._edges[(pos, counts)] = result = [(k, p) for p, k in out.items()]
        return result

    def finds_to(self, pos: int, target: int, counts: bool) -> Keys | None:
        """The shortest f/t/F/T (with a count when allowed) that lands exactly on `target`."""
        text = self.text
        best: Keys | None = None
        options: list[tuple[str, str]] = []
        if target > pos:
            options.append(("f", text[target]))
            if target + 1 < len(text):
                options.append(("t", text[target + 1]))
        elif target < pos:  # (T is the screen's article tag key)
            options.append(("F", text[target]))
        for kind, ch in options:
            if ch in "\n":
                continue
            occ = self.occ.get(ch, [])
            if kind in "ft":
                anchor = target if kind == "f" else target + 1
                k = bisect.bisect_right(occ, anchor) - bisect.bisect_right(occ, pos)
            else:
                anchor = target if kind == "F" else target - 1
                k = bisect.bisect_left(occ, pos) - bisect.bisect_left(occ, anchor)
            if k < 1 or (k > 1 and not counts) or k > 9:
                continue
            seq: Keys = (kind, ch) if k == 1 else (str(k), kind, ch)
            if best is None or len(seq) < len(best):
                best = seq
        return best

    # --- reaching positions --------------------------------------------------------------------
    def reach(self, start: int, *, first_count: bool, more_counts: bool, depth: int = 3) -> dict[int, Keys]:
        """Positions reachable with up to `depth` motion keys, cheapest keys for each."""
        best: dict[int, Keys] = {start: ()}
        frontier = [start]
        for level in range(depth):
            nxt = []
            for p in frontier:
                counts = first_count if not best[p] else more_counts
                for keys, q in self.edges(p, counts):
                    cand = best[p] + keys
                    if len(cand) > depth:
                        continue
                    if q not in best or len(cand) < len(best[q]):
                        best[q] = cand
                        nxt.append(q)
            frontier = nxt
            if not frontier or level >= depth:
                break
        return best

    def path_to(
        self,
        start: int,
        target: int,
        *,
        first_count: bool,
        more_counts: bool,
        reach: dict[int, Keys] | None = None,
    ) -> Keys | None:
        reach = (
            reach
            if reach is not None
            else self.reach(start, first_count=first_count, more_counts=more_counts)
        )
        best = reach.get(target)
        for p, keys in reach.items():
            if len(keys) > 2 or (best is not None and len(keys) + 2 >= len(best)):
                continue
            counts = first_count if not keys else more_counts
            find = self.finds_to(p, target, counts)
            if find is not None and (best is None or len(keys) + len(find) < len(best)):
                best = keys + find
        return best

    # --- planning a span -----------------------------------------------------------------------
    def plan(self, cur: Cursor, span: tuple[int, int]) -> Plan | None:
        """Keys that, from `cur`, leave exactly `span` selected (ready for a label key). Far spans
        (beyond three motions and a find) are searched again with up to six motions."""
        return self._plan(cur, span, 3) or self._plan(cur, span, 6)

    def _plan(self, cur: Cursor, span: tuple[int, int], depth: int) -> Plan | None:
        s, e = span
        last = e - 1
        labelled = cur.labelled
        # digits right after labelling are label keys: the first move takes no count
        reach = self.reach(cur.pos, first_count=not labelled, more_counts=True, depth=depth)
        plans: list[Plan] = []

        def to(target: int) -> Keys | None:
            return self.path_to(cur.pos, target, first_count=not labelled, more_counts=True, reach=reach)

        for a, b in ((s, last), (last, s)):  # the v route, forwards and backwards
            head = to(a)
            if head is None:
                continue
            tail = self.path_to(a, b, first_count=True, more_counts=False)
            if tail == ():  # one character: a move and back, so that digits are labels, not counts
                tail = ("l", "h") if a + 1 < len(self.text) else ("h", "l")
            if tail is not None:
                plans.append(Plan(head + ("v",) + tail, "v"))
        best_len = min((len(p.keys) for p in plans), default=99)
        objects: dict[tuple[int, int], set[int]] = {}  # (object keys id) -> positions inside the span
        found: dict[int, tuple[Keys, Keys]] = {}
        spans_at: list[tuple[int, Keys, Keys]] = []
        for q in self._object_points(s, e):
            for obj in OBJECTS:
                for around in (False, True):
                    for count in (1, 2, 3):
                        got = object_span(self.text, q, around, obj, count)
                        if got is None:
                            continue
                        fix = self._adjust(got, span)
                        if fix is None:
                            continue
                        keys = ((str(count),) if count > 1 else ()) + ("a" if around else "i", obj)
                        spans_at.append((q, keys, fix))
        del objects, found
        spans_at.sort(key=lambda x: len(x[1]) + len(x[2]))
        heads: dict[int, Keys | None] = {}
        for q, keys, fix in spans_at:
            if len(keys) + len(fix) >= best_len:
                break
            if q not in heads:
                heads[q] = to(q)
            head = heads[q]
            if head is None:
                continue
            if keys[0].isdigit() and labelled and not head:
                continue  # digits label right after a label
            cand = head + keys + fix
            if len(cand) < best_len:
                plans.append(Plan(cand, "object"))
                best_len = len(cand)
        for plan in sorted(plans, key=lambda p: len(p.keys)):
            done = self.run(plan.keys, cur)
            if done.span == span and done.moved:  # never a plan the grammar does not carry out, nor
                return plan  # one after which a digit would be a count instead of a label
        return None

    def _object_points(self, s: int, e: int) -> list[int]:
        """Where inside [s, e) a text object is worth trying: the ends, and the first and last
        character of each word (what motions land on; any other point gives the same objects as
        one of these, at a dearer head)."""
        points = {s, e - 1}
        for m in _WORDS.finditer(self.text, s, e):
            points.add(m.start())
            points.add(m.end() - 1)
        return sorted(p for p in points if s <= p < e)

    def _adjust(self, got: tuple[int, int], want: tuple[int, int]) -> Keys | None:
        """Moves after a text object (digits are labels there, so no counts) that turn `got` into `want`."""
        if got == want:
            return ()
        gs, ge = got
        ws, we = want
        if gs == ws:
            return self._short_path(ge - 1, we - 1)
        if ge == we:
            path = self._short_path(gs, ws)
            return None if path is None else ("o",) + path
        return None

    def _short_path(self, a: int, b: int) -> Keys | None:
        """At most two keys (a motion, or a find) from a to b, with no counts."""
        for keys, q in self.edges(a, False):
            if q == b:
                return keys
        find = self.finds_to(a, b, False)
        if find is not None:
            return find
        for keys, q in self.edges(a, False):
            for keys2, r in self.edges(q, False):
                if r == b:
                    return keys + keys2
        return None


def plan_spans(text: str, spans: Sequence[tuple[int, int]], start: int = 0) -> list[Plan | None]:
    """Plans for each span in order, each from where the previous one left the cursor (labelled)."""
    planner = Planner(text)
    cur = Cursor(start)
    plans: list[Plan | None] = []
    for span in spans:
        plan = planner.plan(cur, span)
        plans.append(plan)
        if plan is not None:
            cur = Grammar.labelled(planner.run(plan.keys, cur))
    return plans
