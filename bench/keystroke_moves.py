"""The cursor moves of the selection grammar as edges over every position of one text, for the planner.

Why vectorised: the planner looks for the cheapest key sequence between two positions with every
motion, count, find and search the app accepts, so it needs distances from (and to) every position
of an article of up to ~15,000 characters. Each kind of move is an `Edge` that maps a set of
positions (a numpy bool array) to the set it reaches in one step (`image`) or to the set that
reaches it (`pre`), and says which keys make a given step (`keys`). The moves themselves come from
the app's own grammar (`Grammar._step`, run once per position); finds and searches are modelled from
their definitions, and every plan is checked afterwards by running the grammar (and the search the
app runs) on it, so a modelling slip can cost a key but never a wrong plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from library.textsearch import find_occurrences
from reader.app.grammar import Grammar

Keys = tuple[str, ...]
Bools = np.ndarray

# Motions and the largest count worth typing before each (cost: 1 key, 2 keys for 2-9, 3 for 10-99).
MOTIONS = "hlwbeWE)(}{0$^gG"
MAX_COUNT = {"w": 99, "b": 99, "e": 99, "W": 99, "E": 99, "h": 20, "l": 20}
MAX_COUNT |= {")": 30, "(": 30, "}": 30, "{": 30}
MAX_FIND_REPEAT = 9  # `3fx` (a count) or `fx;;` (repeats, where digits would be labels)
MAX_QUERY = 8  # `/` + up to eight characters + Enter
# Characters a search query may hold: typed into the search field as they are.
_QUERY_CHARS = re.compile(r"[A-Za-z0-9][A-Za-z0-9 .,'\-]*")


def _findable(ch: str) -> bool:
    """A character `f`/`t`/`F` can be given as its argument (typed as one key)."""
    return ch == " " or (ch.isprintable() and not ch.isspace())


@dataclass(frozen=True)
class Edge:
    """One kind of move: a motion with a count range, the k-th find of a kind, or a search of length L."""

    kind: str  # "motion", "find", "search", "line"
    cost: int  # keys it takes
    counted: bool  # typed with a count (not allowed where digits are label keys)
    key: str = ""  # the motion or find key
    lo: int = 1  # count range (motions) / occurrence (finds) / query length (search)
    hi: int = 1


class Moves:
    """Every edge of the grammar over one text, with set images, preimages and the keys of a step."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = n = max(1, len(text))
        grammar = Grammar(text)
        last = max(0, len(text) - 1)
        self.f: dict[str, np.ndarray] = {}
        for m in MOTIONS:
            if m == "g":
                arr = np.zeros(n, dtype=np.int64)
            elif m == "G":
                arr = np.full(n, last, dtype=np.int64)
            else:
                arr = np.fromiter(
                    (max(0, min(grammar._step(m, p), last)) for p in range(n)), dtype=np.int64, count=n
                )
            self.f[m] = arr
        self._ranges: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        self._finds_tables()
        self._search_tables()
        self.line_starts: np.ndarray | None = self._lines()
        self.edges = self._edges()

    # --- tables -------------------------------------------------------------------------------------
    def _finds_tables(self) -> None:
        """For `f`/`t`/`F` (one character) and `r` (two): prev[k][q], the k-th previous occurrence
        before q of what starts at q (-1: none); next[k][q], the k-th next one after q (n: none);
        prev[0] = next[0] = q. Only what can be typed counts (no line breaks)."""
        text = self.text
        self.occ: dict[str, list[int]] = {}
        for i, ch in enumerate(text):
            self.occ.setdefault(ch, []).append(i)
        self.pairs: dict[str, list[int]] = {}
        for i in range(len(text) - 1):
            self.pairs.setdefault(text[i : i + 2], []).append(i)
        self.prev, self.next, self.findable = self._occurrences(self.occ)
        self.prev2, self.next2, self.findable2 = self._occurrences(self.pairs)

    def _occurrences(self, occ: dict[str, list[int]]) -> tuple[np.ndarray, np.ndarray, Bools]:
        n, depth = self.n, MAX_FIND_REPEAT
        prev = np.full((depth + 1, n), -1, dtype=np.int64)
        nxt = np.full((depth + 1, n), n, dtype=np.int64)
        prev[0] = nxt[0] = np.arange(n)
        findable = np.zeros(n, dtype=bool)
        for chars, where in occ.items():
            if not all(_findable(ch) for ch in chars):
                continue
            idx = np.array(where, dtype=np.int64)
            findable[idx] = True
            for k in range(1, depth + 1):
                if len(idx) > k:
                    prev[k][idx[k:]] = idx[:-k]
                    nxt[k][idx[:-k]] = idx[k:]
        return prev, nxt, findable

    def _search_tables(self) -> None:
        """For each query length L: which positions start a match of the L characters there (as the
        app's search finds them: case ignored, no overlaps), the previous match's start + 1, and for
        the first match of a query, the last match's start + 1 (from there the search wraps to it)."""
        text, n = self.text, self.n
        hay = _folded(text)
        self.q_valid: dict[int, Bools] = {}
        self.q_lo: dict[int, np.ndarray] = {}
        self.q_wrap: dict[int, np.ndarray] = {}
        for size in range(1, MAX_QUERY + 1):
            valid = np.zeros(n, dtype=bool)
            lo = np.zeros(n, dtype=np.int64)
            wrap = np.full(n, n, dtype=np.int64)
            seen: dict[str, list[int]] = {}
            for q in range(len(text) - size + 1):
                gram = text[q : q + size]
                if gram[-1] == " " or _QUERY_CHARS.fullmatch(gram) is None:
                    continue
                seen.setdefault(hay[q : q + size], []).append(q)
            for starts in seen.values():
                kept: list[int] = []
                for q in starts:  # no overlaps, as the search finds them
                    if not kept or q >= kept[-1] + size:
                        kept.append(q)
                idx = np.array(kept, dtype=np.int64)
                valid[idx] = True
                lo[idx[1:]] = idx[:-1] + 1
                wrap[idx[0]] = idx[-1] + 1
            self.q_valid[size], self.q_lo[size], self.q_wrap[size] = valid, lo, wrap

    def _lines(self) -> np.ndarray:
        """Where each paragraph (non-blank line) starts: the targets of `{count}G`."""
        return np.array([m.start() for m in re.finditer(r"[^\n]+", self.text)] or [0], dtype=np.int64)

    def _edges(self) -> list[Edge]:
        edges = [Edge("motion", 1, False, m) for m in MOTIONS]
        for m, top in MAX_COUNT.items():
            edges.append(Edge("motion", 2, True, m, 2, min(9, top)))
            if top >= 10:
                edges.append(Edge("motion", 3, True, m, 10, top))
        for kind in "ftFr":
            size = 3 if kind == "r" else 2  # `fx`, `rxy`
            edges.append(Edge("find", size, False, kind, 1, 1))
            edges.append(Edge("find", size + 1, False, kind, 2, 2))  # `fx;` (or `2fx`)
            for k in range(3, MAX_FIND_REPEAT + 1):
                edges.append(Edge("find", size + 1, True, kind, k, k))  # `3fx`
                edges.append(Edge("find", size + k - 1, False, kind, k, k))  # `fx;;`
        for size in range(1, MAX_QUERY + 1):
            edges.append(Edge("search", size + 2, False, "/", size, size))
        if self.line_starts is not None:
            lines = len(self.line_starts)
            for digits in (1, 2, 3):
                if 10 ** (digits - 1) <= lines:
                    edges.append(Edge("line", digits + 1, True, "G", 10 ** (digits - 1), 10**digits - 1))
        return edges

    # --- one step: images and preimages --------------------------------------------------------
    def image(self, e: Edge, src: Bools) -> Bools:
        """Positions reached from some position of `src` by one move `e`."""
        n = self.n
        out = np.zeros(n, dtype=bool)
        if not src.any():
            return out
        if e.kind == "motion":
            f = self.f[e.key]
            cur = np.flatnonzero(src)
            for step in range(1, e.hi + 1):
                cur = np.unique(f[cur])
                if step >= e.lo:
                    out[cur] = True
            return out
        if e.kind == "line":
            assert self.line_starts is not None
            out[self.line_starts[e.lo - 1 : e.hi]] = True
            return out
        cs = np.concatenate(([0], np.cumsum(src)))
        if e.kind == "search":
            size = e.lo
            q = np.arange(n)
            hit = (cs[q] - cs[self.q_lo[size]]) > 0
            hit |= (cs[n] - cs[np.minimum(self.q_wrap[size], n)]) > 0
            return self.q_valid[size] & hit
        lo, hi = self._find_range(e)
        hit = (cs[hi] - cs[lo]) > 0
        if e.key == "t":  # the range is of the character after the landing
            out[:-1] = hit[1:] & self.findable[1:]
            return out
        return hit & (self.findable2 if e.key == "r" else self.findable)

    def pre(self, e: Edge, dst: Bools) -> Bools:
        """Positions from which one move `e` lands in `dst`."""
        n = self.n
        if e.kind == "motion":
            f = self.f[e.key]
            cur, out = dst.copy(), np.zeros(n, dtype=bool)
            for step in range(1, e.hi + 1):
                cur = cur[f]
                if step >= e.lo:
                    out |= cur
            return out
        if e.kind == "line":
            assert self.line_starts is not None
            hit = dst[self.line_starts[e.lo - 1 : e.hi]].any()
            return np.full(n, bool(hit))
        if e.kind == "search":
            size = e.lo
            q = np.flatnonzero(dst & self.q_valid[size])
            diff = np.bincount(self.q_lo[size][q], minlength=n + 1) - np.bincount(q, minlength=n + 1)
            out = np.cumsum(diff)[:n] > 0
            out[q] = True  # the match under the cursor is found too (the search includes it)
            first = q[self.q_wrap[size][q] < n]
            if len(first):
                out[int(self.q_wrap[size][first].min()) :] = True
            return out
        lo, hi = self._find_range(e)
        targets = dst.copy()
        if e.key == "t":
            targets = np.zeros(n, dtype=bool)
            targets[1:] = dst[:-1]
        targets &= self.findable2 if e.key == "r" else self.findable
        q = np.flatnonzero(targets)
        diff = np.bincount(lo[q], minlength=n + 1) - np.bincount(hi[q], minlength=n + 1)
        return np.cumsum(diff)[:n] > 0

    def _find_range(self, e: Edge) -> tuple[np.ndarray, np.ndarray]:
        """For each landing character q, the cursor positions [lo, hi) from which the k-th find of
        its character lands on q (for `t`, q is the character after the landing)."""
        cached = self._ranges.get((e.key, e.lo))
        if cached is None:
            cached = self._ranges[(e.key, e.lo)] = self._compute_range(e.key, e.lo)
        return cached

    def _compute_range(self, key: str, k: int) -> tuple[np.ndarray, np.ndarray]:
        if key in "ftr":
            prev = self.prev2 if key == "r" else self.prev
            lo = np.maximum(prev[k], 0)
            hi = np.maximum(prev[k - 1], 0)
            return lo, np.maximum(hi, lo)
        lo = np.minimum(self.next[k - 1] + 1, self.n)
        hi = np.minimum(self.next[k], self.n - 1) + 1
        hi = np.where(self.next[k] >= self.n, self.n, hi)
        return lo, np.maximum(hi, lo)

    # --- keys of one step --------------------------------------------------------------------------
    def keys(self, e: Edge, p: int, q: int) -> Keys | None:
        """The keys of move `e` from p to q (None when `e` does not go there)."""
        text = self.text
        if e.kind == "motion":
            f, pos = self.f[e.key], p
            for step in range(1, e.hi + 1):
                pos = int(f[pos])
                if step >= e.lo and pos == q:
                    return (e.key,) if step == 1 else (*str(step), e.key)
            return None
        if e.kind == "line":
            assert self.line_starts is not None
            hits = np.flatnonzero(self.line_starts == q)
            if not len(hits) or not e.lo <= hits[0] + 1 <= e.hi:
                return None
            return (*str(int(hits[0]) + 1), "G")
        if e.kind == "search":
            query = text[q : q + e.lo]
            matches = [m for m, _ in find_occurrences(text, query)]
            if not matches:
                return None
            got = next((m for m in matches if m >= p), matches[0])
            return ("/", *query, "enter") if got == q else None
        k = e.lo
        if e.key == "f":
            ch, found = text[q], [i for i in self.occ.get(text[q], []) if p < i <= q]
        elif e.key == "t":
            if q + 1 >= len(text):
                return None
            ch, found = text[q + 1], [i for i in self.occ.get(text[q + 1], []) if p < i <= q + 1]
        elif e.key == "r":
            ch, found = text[q : q + 2], [i for i in self.pairs.get(text[q : q + 2], []) if p < i <= q]
        else:
            ch, found = text[q], [i for i in self.occ.get(text[q], []) if q <= i < p]
        if len(found) != k or len(ch) != (2 if e.key == "r" else 1) or not all(map(_findable, ch)):
            return None
        typed = (e.key, *ch)
        if k == 1:
            return typed
        return (str(k), *typed) if e.counted else typed + (";",) * (k - 1)


def _folded(text: str) -> str:
    """The text as the search compares it (case folded, offsets kept; see library.textsearch)."""
    for fold in (str.casefold, str.lower):
        folded = fold(text)
        if len(folded) == len(text):
            return folded
    return text
