"""Words a regular expression cannot match without: a cheap test before running it.

Why: the boilerplate phrase rules are some seventy regexes tried on every paragraph of every
article, and most of them search the whole paragraph for a phrase it does not contain. For each
pattern, `required_literals` finds a set of strings one of which is in every text the pattern can
match (read from the pattern's parse tree: runs of literal characters, alternatives,
repetitions of at least one, lookarounds); a text without any of them is ruled out with
substring tests before the regex runs. It never rules out a text the pattern matches: texts and literals are
compared lower-cased, after mapping the few characters that `re.IGNORECASE` equates with ASCII
letters (dotless i, long s, Kelvin sign) the same way. A pattern it cannot read gets None
(always run).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

# Python 3.11+ keeps the regex parser under re/ (private modules without type stubs).
_c: Any = importlib.import_module("re._constants")
_parse: Any = importlib.import_module("re._parser")

Needles = frozenset[str]

# Characters re.IGNORECASE treats as equal to an ASCII letter that str.lower() keeps apart.
_FOLD = str.maketrans({"ı": "i", "İ": "i", "ſ": "s", "K": "k"})
_REPEATS = tuple(
    op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None
)


_FOLDED_RE = re.compile("[ıİſK]")


def fold(text: str) -> str:
    """The form both sides are compared in (translating only when one of the four is there:
    `str.translate` looks up every character)."""
    return text.translate(_FOLD).lower() if _FOLDED_RE.search(text) else text.lower()


def _best(candidates: list[Needles]) -> Needles | None:
    """The most selective candidate: the one whose shortest string is longest, then fewest."""
    usable = [c for c in candidates if c and all(c)]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


def _required(items: object, charsets: bool = False, every: list[Needles] | None = None) -> Needles | None:
    """The best of the candidate sets the sequence `items` requires (`every` gets them all);
    with `charsets`, a small class of ASCII characters (`[|/]`) is a set of one-character strings."""
    candidates: list[Needles] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(frozenset({fold("".join(run))}))
            run.clear()

    for op, av in items:  # type: ignore[attr-defined]
        if op is _c.LITERAL:
            run.append(chr(av))
            continue
        end_run()
        if op is _c.SUBPATTERN:
            found = _required(av[-1], charsets)
        elif op is _c.BRANCH:
            branches = [_required(branch, charsets) for branch in av[1]]
            found = frozenset().union(*branches) if branches and all(branches) else None  # type: ignore[arg-type]
        elif op in _REPEATS:
            low, _high, item = av
            found = _required(item, charsets) if low >= 1 else None
        elif op is _c.ASSERT:  # a lookahead or lookbehind: its text is in the string too
            found = _required(av[1], charsets)
        elif op is _c.IN and charsets:
            found = _charset(av)
        else:  # anchors, classes, any character, negative lookarounds: nothing required
            found = None
        if found:
            candidates.append(found)
    end_run()
    if every is not None:
        every.extend(c for c in candidates if c and all(c))
    return _best(candidates)


def _charset(items: Any) -> Needles | None:
    """The characters of a class of at most four ASCII literals, folded; else None. (An ASCII
    character's IGNORECASE equivalents are the ones `fold` maps.)"""
    chars = [chr(value) for kind, value in items if kind is _c.LITERAL]
    if len(chars) != len(items) or len(chars) > 4 or not all(c.isascii() for c in chars):
        return None
    return frozenset(fold(c) for c in chars)


def cheap_guard(pattern: re.Pattern[str]) -> Needles | None:
    """Of the sets of strings that every match of `pattern` holds one of, the cheapest to test
    when it is much cheaper than `required_literals` (one-character strings are found by one
    fast scan each, longer ones cost about eight times as much); else None.

    Why: a caption rule needs one of eighteen agency names, and also "|", "/" or "via"."""
    if not isinstance(pattern.pattern, str):
        return None
    every: list[Needles] = []
    try:
        _required(_parse.parse(pattern.pattern, pattern.flags), True, every)
    except Exception:  # noqa: BLE001 - unreadable: no guard
        return None
    best = required_literals(pattern)
    every = [c for c in every if not any(n.isspace() for n in c)]  # a space is in every paragraph
    if not every:
        return None
    guard = min(every, key=_cost)
    return guard if best is None or 2 * _cost(guard) < _cost(best) else None


def _cost(needles: Needles) -> int:
    return sum(1 if len(n) == 1 else 8 for n in needles)


def required_literals(pattern: re.Pattern[str]) -> Needles | None:
    """Strings (folded) one of which every match of `pattern` contains, or None if unknown."""
    if not isinstance(pattern.pattern, str):
        return None
    try:
        return _required(_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - an unreadable pattern is simply always run
        return None


_ALL_ASCII = frozenset(map(chr, range(128)))


def first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The ASCII characters a match of `pattern` can start with, or None for any character
    (also when the pattern can match the empty string or holds something not read here).
    Over-approximated: lookarounds and `\b` are read as if absent; which ASCII characters one
    character of the pattern takes is asked of the regex engine."""
    try:
        found, nullable = _first(_parse.parse(pattern.pattern, pattern.flags), pattern.flags)
    except Exception:  # noqa: BLE001 - unreadable: any character
        return None
    return None if nullable or found is None else found


def _first(items: Any, flags: int) -> tuple[frozenset[str] | None, bool]:
    """(first characters or None for any, whether the sequence can match nothing)."""
    out: set[str] = set()
    for op, av in items:
        found, nullable = _first_item(op, av, flags)
        if found is None:
            return None, nullable
        out |= found
        if not nullable:
            return frozenset(out), False
    return frozenset(out), True


def _first_item(op: Any, av: Any, flags: int) -> tuple[frozenset[str] | None, bool]:
    if op is _c.AT or op is _c.ASSERT or op is _c.ASSERT_NOT:
        return frozenset(), True  # consumes nothing
    if op is _c.LITERAL:
        return _ascii_members(re.escape(chr(av)), flags), False
    if op is _c.IN:
        parts = []
        for kind, value in av:
            if kind is _c.LITERAL:
                parts.append(re.escape(chr(value)))
            elif kind is _c.RANGE:
                parts.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
            elif kind is _c.CATEGORY and value in _CATEGORIES:
                parts.append(_CATEGORIES[value])
            elif kind is _c.NEGATE and not parts:
                parts.append("^")
            else:
                return None, False  # not read here: any character
        return _ascii_members(f"[{''.join(parts)}]", flags), False
    if op is _c.SUBPATTERN:
        _group, add, remove, inner = av
        return _first(inner, (flags | add) & ~remove)
    if op is _c.BRANCH:
        out: set[str] = set()
        nullable = False
        for branch in av[1]:
            found, empty = _first(branch, flags)
            if found is None:
                return None, True
            out |= found
            nullable = nullable or empty
        return frozenset(out), nullable
    if op in _REPEATS:
        low, _high, inner = av
        found, empty = _first(inner, flags)
        return found, empty or low == 0
    return None, True  # anything else: any character, maybe none


_CATEGORIES = {
    _c.CATEGORY_DIGIT: r"\d",
    _c.CATEGORY_NOT_DIGIT: r"\D",
    _c.CATEGORY_SPACE: r"\s",
    _c.CATEGORY_NOT_SPACE: r"\S",
    _c.CATEGORY_WORD: r"\w",
    _c.CATEGORY_NOT_WORD: r"\W",
}


def _ascii_members(element: str, flags: int) -> frozenset[str]:
    """The ASCII characters one character of the pattern (`element`, a literal or a class)
    accepts under the pattern's flags, as the regex engine itself says (so case folding such as
    the Kelvin sign's is counted exactly)."""
    test = re.compile(element, flags & (re.IGNORECASE | re.ASCII))
    return frozenset(x for x in _ALL_ASCII if test.fullmatch(x))
