"""Plans the fewest keys the selection grammar allows to select a span, from where the cursor is.

The moves are the app's own (`bench.keystroke_moves` builds them from `reader.app.grammar`), and a
plan is checked by running the grammar, and the app's search, on it before it is used;
`bench.keystrokes` then presses each plan through Pilot and checks the stored highlight.

A plan has one of two shapes, each followed by the label's key(s):
- `v` route: reach one end of the span, `v`, move to the other end (only the first move after `v`
  may take a count: once a selection has moved, digits are label keys);
- object route: reach a position inside the span, a text object (`s`, `2iw`, `i"` ...), then
  moves of the end (and, after `o`, of the start) to the span's ends, with no counts.
Every part is a shortest path over cursor positions with every move (motions with counts up to 99,
f/t/F and `r` (two characters) with a count or `;` repeats, `/` searches of up to eight characters,
`{count}G` paragraph jumps): the reaching part by a breadth-first search by cost from the cursor
(layers of equal cost, all positions at once), the rest by the same search backwards from each end
of the span, with no counts. The searches stop at a cost beyond which no plan can be cheaper than
the best found, so each plan is the cheapest of its shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bench.keystroke_moves import Edge, Keys, Moves
from library.textsearch import find_occurrences
from reader.app.grammar import Cursor, Grammar, object_span
from reader.app.selection import word_span

INF = 10**6
TAIL_CAP = 8  # keys after `v` or a text object beyond which a route is not looked at
HEAD_CAP = 16

# Text objects: the keys, whether "around", the object key.
OBJECTS: list[tuple[Keys, bool, str]] = [(("s",), False, "s"), (("p",), False, "p")]
for _key in ("w", "W", "s", "p", '"', "'", "(", "["):
    OBJECTS += [(("i", _key), False, _key), (("a", _key), True, _key)]
COUNTABLE = {"w", "W", "s", "p"}


@dataclass(frozen=True, slots=True)
class Plan:
    keys: Keys  # selection keys only; the label keys follow
    route: str


class Planner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.grammar = Grammar(text)
        self.moves = Moves(text)
        self.n = self.moves.n
        self.free = [e for e in self.moves.edges if not e.counted]

    # --- running the grammar (and the app's search) ------------------------------------------------
    def run(self, keys: Iterable[str], cur: Cursor) -> Cursor:
        """The cursor after `keys`, as the app moves it: grammar keys, and `/` query Enter searches."""
        g = self.grammar
        g.reset()
        query: list[str] | None = None
        for k in keys:
            if query is not None:
                if k != "enter":
                    query.append(k)
                    continue
                cur = self._search(cur, "".join(query).strip())
                query = None
                continue
            out = g.feed(k, cur)
            if out.command == "search":
                query = []
            cur = out.cursor
        g.reset()
        return cur

    def _search(self, cur: Cursor, query: str) -> Cursor:
        """ArticleSearch: the first match from the cursor on (wrapping); over a selection it moves
        the selection's end."""
        matches = [m for m, _ in find_occurrences(self.text, query)] if query else []
        if not matches:
            return cur
        target = next((m for m in matches if m >= cur.pos), matches[0])
        return self.grammar.move_to(cur, target) if cur.selecting else Cursor(target)

    # --- searches ---------------------------------------------------------------------------------
    def _one(self, pos: int) -> np.ndarray:
        out = np.zeros(self.n, dtype=bool)
        out[pos] = True
        return out

    def to_target(self, target: int, cap: int = TAIL_CAP) -> np.ndarray:
        """Keys (no counts) from every position to `target`: a breadth-first search backwards."""
        dist = np.full(self.n, INF, dtype=np.int64)
        dist[target] = 0
        layers = [self._one(target)]
        for k in range(1, cap + 1):
            new = np.zeros(self.n, dtype=bool)
            for e in self.free:
                if e.cost <= k and layers[k - e.cost].any():
                    new |= self.moves.pre(e, layers[k - e.cost])
            new &= dist == INF
            dist[new] = k
            layers.append(new)
        return dist

    def first_move(self, start: int, dist: np.ndarray) -> tuple[int, Edge, int] | None:
        """The cheapest first move from `start` (a count allowed) plus the rest by `dist`:
        (cost, edge, landing)."""
        best: tuple[int, Edge, int] | None = None
        src = self._one(start)
        for e in self.moves.edges:
            if best is not None and e.cost >= best[0]:
                continue
            reach = self.moves.image(e, src)
            if not reach.any():
                continue
            where = np.flatnonzero(reach)
            i = int(np.argmin(dist[where]))
            cost = e.cost + int(dist[where[i]])
            if best is None or cost < best[0]:
                best = (cost, e, int(where[i]))
        return best if best is not None and best[0] < INF else None

    def downhill(self, start: int, dist: np.ndarray) -> Keys | None:
        """Keys (no counts) from `start` to the target of `dist`, following it down."""
        keys: Keys = ()
        pos = start
        while dist[pos] > 0:
            step = self._step_down(pos, dist)
            if step is None:
                return None
            keys, pos = keys + step[0], step[1]
        return keys

    def _step_down(self, pos: int, dist: np.ndarray) -> tuple[Keys, int] | None:
        d = int(dist[pos])
        src = self._one(pos)
        for e in sorted(self.free, key=lambda e: e.cost):
            if e.cost > d:
                break
            reach = self.moves.image(e, src) & (dist == d - e.cost)
            for q in np.flatnonzero(reach)[:4]:
                keys = self.moves.keys(e, pos, int(q))
                if keys is not None:
                    return keys, int(q)
        return None

    def from_cursor(self, cur: Cursor, rest: dict[int, int]) -> tuple[list[np.ndarray], int]:
        """Layers of positions by keys from the cursor (after a label the first key is no digit),
        searched until no position of `rest` (position -> keys still needed) can make a cheaper
        plan. Returns the layers and the cheapest total."""
        restricted = cur.labelled
        layers = [self._one(cur.pos)]
        seen = layers[0].copy()
        targets = np.array(sorted(rest), dtype=np.int64)
        need = np.array([rest[int(t)] for t in targets], dtype=np.int64)
        best = int(need[targets == cur.pos].min()) if (targets == cur.pos).any() else INF
        floor = int(need.min()) if len(need) else INF
        for k in range(1, HEAD_CAP + 1):
            if k + floor >= best:
                break
            new = np.zeros(self.n, dtype=bool)
            for e in self.moves.edges:
                j = k - e.cost
                if j < 0 or not layers[j].any() or (j == 0 and restricted and e.counted):
                    continue
                new |= self.moves.image(e, layers[j])
            new &= ~seen
            seen |= new
            layers.append(new)
            hit = new[targets]
            if hit.any():
                best = min(best, k + int(need[hit].min()))
        return layers, best

    def path_in(self, layers: list[np.ndarray], target: int, restricted: bool) -> Keys | None:
        """Keys from the cursor (layer 0) to `target`, back through the layers."""
        k = next((k for k, layer in enumerate(layers) if layer[target]), None)
        if k is None:
            return None
        if k == 0:
            return ()
        dst = self._one(target)
        for e in sorted(self.moves.edges, key=lambda e: e.cost):
            j = k - e.cost
            if j < 0 or (j == 0 and restricted and e.counted):
                continue
            back = self.moves.pre(e, dst) & layers[j]
            for p in np.flatnonzero(back)[:4]:
                step = self.moves.keys(e, int(p), target)
                if step is None:
                    continue
                head = self.path_in(layers[: j + 1], int(p), restricted)
                if head is not None:
                    return head + step
        return None

    # --- planning a span -----------------------------------------------------------------------
    def plan(self, cur: Cursor, span: tuple[int, int]) -> Plan | None:
        """Keys that, from `cur`, leave exactly `span` selected (ready for a label key), or None."""
        s, e = span
        last = e - 1
        to_last, to_s = self.to_target(last), self.to_target(s)
        labelled = cur.labelled
        # What each reachable position still needs: (keys, how) for the v routes and the objects.
        rest: dict[int, list[tuple[int, str, object]]] = {}
        for a, dist in ((s, to_last), (last, to_s)):
            first = self.first_move(a, dist)
            if first is not None:
                rest.setdefault(a, []).append((1 + first[0], "v", (a, first, dist)))
        for q in self._object_points(s, e):
            options = []
            for keys, around, key in OBJECTS:
                if key in "\"'([" and q not in (s, e - 1):
                    continue  # a quoted or bracketed span is one of these from its own ends
                for count in (1, 2, 3) if key in COUNTABLE else (1,):
                    got = object_span(self.text, q, around, key, count)
                    if got is None:
                        continue
                    fix = self._fix_cost(got, span, to_last, to_s)
                    if fix >= INF:
                        continue
                    obj = ((str(count),) if count > 1 else ()) + keys
                    options.append((len(obj) + fix, "object", (obj, got)))
            # any character of the word gives the same objects: the cheapest to reach will do
            ws, we = word_span(self.text, q)
            for p in range(max(ws, s), min(max(we, q + 1), e)):
                rest.setdefault(p, []).extend(options)
        if not rest:
            return None
        need = {q: min(c for c, _, _ in options) for q, options in rest.items()}
        layers, best = self.from_cursor(cur, need)
        candidates: list[tuple[int, int, str, object]] = []
        for q, options in rest.items():
            k = next((k for k, layer in enumerate(layers) if layer[q]), None)
            if k is None:
                continue
            for c, how, data in options:
                candidates.append((k + c, q, how, data))
        candidates.sort(key=lambda x: x[0])
        for _, q, how, data in candidates[:12]:
            head = self.path_in(layers, q, labelled)
            if head is None:
                continue
            rest_keys = self._rest_keys(how, data, span, to_last, to_s)
            if rest_keys is None:
                continue
            if how == "object" and labelled and not head and rest_keys[0].isdigit():
                continue  # right after a label a digit is a label key, not a count
            keys = head + rest_keys
            done = self.run(keys, cur)
            if done.span == span and done.moved:  # never a plan the grammar does not carry out, nor
                return Plan(keys, how)  # one after which a digit would be a count instead of a label
        return None

    def _rest_keys(
        self, how: str, data: object, span: tuple[int, int], to_last: np.ndarray, to_s: np.ndarray
    ) -> Keys | None:
        if how == "v":
            a, (_, edge, landing), dist = data  # type: ignore[misc]
            step = self.moves.keys(edge, a, landing)
            tail = self.downhill(landing, dist)
            return None if step is None or tail is None else ("v",) + step + tail
        obj, (gs, ge) = data  # type: ignore[misc]
        keys: Keys = obj
        if ge != span[1]:
            end = self.downhill(ge - 1, to_last)
            if end is None:
                return None
            keys += end
        if gs != span[0]:
            start = self.downhill(gs, to_s)
            if start is None:
                return None
            keys += ("o",) + start
        return keys

    def _fix_cost(
        self, got: tuple[int, int], want: tuple[int, int], to_last: np.ndarray, to_s: np.ndarray
    ) -> int:
        """Keys after a text object (no counts: digits are labels there) that turn `got` into `want`."""
        cost = 0
        if got[1] != want[1]:
            cost += int(to_last[got[1] - 1])
        if got[0] != want[0]:
            cost += 1 + int(to_s[got[0]])
        return cost

    def _object_points(self, s: int, e: int) -> list[int]:
        """Where inside [s, e) a text object is worth trying: the ends, and the first and last
        character of each word (what motions land on; any other point gives the same objects as
        one of these, at a dearer head)."""
        points = {s, e - 1}
        pos = s
        while pos < e:
            ws, we = word_span(self.text, pos)
            if we > ws:
                points.update((max(ws, s), min(we, e) - 1))
                pos = we
            else:
                pos += 1
        return sorted(p for p in points if s <= p < e)


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
