"""The article body's selection grammar: vi keys read one at a time, with no Textual in sight.

The screen feeds every key (its printable character, or a name such as "escape") to `Grammar.feed`
with the current `Cursor`; the grammar answers with the new cursor and, when the keys form a command
rather than a motion, the command for the screen to run (label, open the picker, search, repeat ...).
Keeping it pure lets the tests, and the keystroke benchmark's planner, run exactly the rules the app
runs.

The model is vi's: the cursor sits *on* a character; a selection runs from its anchor to the cursor,
both characters included, so what looks selected is what is selected.

Counts and label keys share the digits:
- with no selection, and in a selection before its first motion (`v3e`), digits are counts;
- once the selection has been moved or made by a text object (`ve`, `vis`, `iw`, `s`), a digit 1-9
  is a label key; `0` is always the line start unless a count is being typed.
`Enter` on a selection asks for its label by name (the tag picker); `\\` then a letter is a label key
beyond the ninth (`\\a` is the tenth label). After labelling, the new highlight stays selected, so another
digit adds a second label and `n`, `x`, `*` act on it; the next motion starts afresh from the cursor
(it does not extend the labelled selection), and `v` starts a new selection there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reader.app import selection as sel

_WORD = re.compile(r"\w+(?:['’\-]\w+)*|[^\w\s]+")
_BIGWORD = re.compile(r"\S+")
QUOTES = {
    '"': ('"', '"'),
    "'": ("'", "'"),
    "“": ("“", "”"),
    "”": ("“", "”"),
    "‘": ("‘", "’"),
    "’": ("‘", "’"),
}
QUOTES |= {"«": ("«", "»"), "»": ("«", "»")}
BRACKETS = {"(": ("(", ")"), ")": ("(", ")"), "b": ("(", ")"), "[": ("[", "]"), "]": ("[", "]")}
BRACKETS |= {"{": ("{", "}"), "}": ("{", "}"), "<": ("<", ">"), ">": ("<", ">")}
# `B` and `T` are left to the screen (boilerplate pane, article tag): `b`, `F` and `t` cover them.
MOTION_KEYS = set("hlwbeWE)(}{0$^gGjk;,")
FIND_KEYS = set("fFt")
SNEAK = "r"  # then two characters: to the next place they occur together (vim-sneak's jump)
LEADER = "`"  # then a letter: the second layer of label keys (10 onwards; `;` and `,` are finds)
LEADER_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_COUNT = 9999

# The help screen's summary of the grammar (shown above the key table of the article screen).
HELP = (
    "Selecting, as in vi. The cursor sits on a character; a selection includes both end characters.\n"
    "Motions: h l w b e W E ( ) { } 0 ^ $ g G j k, with a count first (3w, 12j, 2)); "
    "f/t/F + a character, r + two characters (to where they next occur together, 2rth the second "
    "time); ; and , repeat the last f/t/F/r forwards and back. ) goes to the next sentence's start; "
    "g the top, G the end, 12G the start of the 12th paragraph (the title is the 1st).\n"
    "v starts or ends a selection; o swaps its moving end; / inside a selection extends it to the match.\n"
    'Text objects select at once: iw aw iW aW is as ip ap i" a" (typographic quotes too) i( a( ib i[ a[; '
    "s and p are the sentence and paragraph.\n"
    "Digits: counts with nothing selected and right after v (v3e); label keys once the selection has "
    "moved or was made by a text object (ve2, is3). ` (backtick) then a letter: the second layer of labels (see the legend).\n"
    "After a label the new highlight stays selected: another digit adds a label, n x * act on it, "
    ". repeats the last label on the next selection. Enter picks a label by name. "
    "During a search n is Note while something is selected, else the next match.\n"
    "The title is part of the text (g goes there); S shows the blocks the cleaner set aside, in place."
)


@dataclass(frozen=True, slots=True)
class Cursor:
    """Where the cursor is and, while a selection exists, where it started."""

    pos: int
    anchor: int | None = None
    moved: bool = False  # the selection has been moved or made by an object: digits are labels
    labelled: bool = False  # just labelled: digits add labels, the next motion starts afresh

    @property
    def selecting(self) -> bool:
        return self.anchor is not None

    @property
    def span(self) -> tuple[int, int] | None:
        """The selection as a body span [start, end), both end characters included."""
        if self.anchor is None:
            return None
        return min(self.anchor, self.pos), max(self.anchor, self.pos) + 1


@dataclass(frozen=True, slots=True)
class Outcome:
    cursor: Cursor
    command: str | None = None  # "label", "lines", "search", "repeat", "swap" ... for the screen
    arg: int | str | None = None
    pending: str = ""  # keys typed so far of an unfinished command, for the status line
    handled: bool = True  # False: not a grammar key; the screen's own bindings take it


class Grammar:
    """Reads keys into motions, text objects and commands over one body text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.count = ""
        self.prefix = ""  # "i"/"a" (text object) or f/F/t/T (find) waiting for its next key
        self.last_find: tuple[str, str] | None = None

    # --- entry point -------------------------------------------------------------------------
    def reset(self) -> None:
        self.count, self.prefix = "", ""

    @property
    def pending(self) -> str:
        return self.count + self.prefix

    def feed(self, key: str, cur: Cursor) -> Outcome:
        """Apply one key. `key` is the typed character, or "escape" / "enter" for those keys."""
        if self.prefix:
            prefix, self.prefix = self.prefix, ""
            if prefix in FIND_KEYS:
                return self._find(prefix, key, cur)
            if prefix[0] == SNEAK:
                if len(prefix) == 1 and len(key) == 1:
                    self.prefix = SNEAK + key  # the first of the two characters
                    return Outcome(cur, pending=self.pending)
                if len(prefix) == 2 and len(key) == 1:
                    return self._find("f", prefix[1] + key, cur)
                self.count = ""
                return Outcome(cur)
            if prefix == LEADER:
                if len(key) == 1 and key in LEADER_LETTERS:
                    return Outcome(cur, "label", 10 + LEADER_LETTERS.index(key))
                return Outcome(cur)
            return self._object(prefix, key, cur)
        if key == "escape":
            had = bool(self.pending)
            self.reset()
            if had:
                return Outcome(cur)
            return Outcome(Cursor(cur.pos), handled=cur.selecting)
        if key.isdigit() and not (key == "0" and not self.count):
            if cur.selecting and cur.moved and not self.count:
                return Outcome(replace(cur, moved=True), "label", int(key))
            self.count = (self.count + key)[-4:]
            return Outcome(cur, pending=self.pending)
        if key in FIND_KEYS or key in ("i", "a", SNEAK) or key == LEADER:
            if key == LEADER:
                self.count = ""
            self.prefix = key
            return Outcome(cur, pending=self.pending)
        if key in ("s", "p"):  # `s` and `p` select the sentence / paragraph at once, as `is` / `ip`
            return self._object("i", key, cur)
        if key == "v":
            self.reset()
            if cur.selecting and not cur.labelled:
                return Outcome(Cursor(cur.pos))
            return Outcome(Cursor(cur.pos, anchor=cur.pos))
        if key == "o" and cur.selecting and cur.anchor is not None:
            self.reset()
            return Outcome(Cursor(cur.anchor, anchor=cur.pos, moved=cur.moved))
        if key == "enter" and cur.selecting:
            self.reset()
            return Outcome(replace(cur, moved=True), "pick")
        if key in MOTION_KEYS:
            return self._motion(key, cur)
        if key == ".":
            self.reset()
            return Outcome(cur, "repeat")
        if key == "/":
            self.reset()
            return Outcome(cur, "search")
        self.reset()
        return Outcome(cur, handled=False)

    @staticmethod
    def labelled(cur: Cursor) -> Cursor:
        """The cursor after the screen labelled the selection: the new highlight stays selected."""
        return replace(cur, moved=True, labelled=True)

    def take_count(self, default: int = 1) -> int:
        n = int(self.count) if self.count else default
        self.count = ""
        return max(1, min(n, MAX_COUNT))

    def move_to(self, cur: Cursor, pos: int) -> Cursor:
        """The cursor after a motion to `pos` (a line move, a search jump): it extends a selection
        being made, and starts afresh after a label, like every motion."""
        return self._moved(cur, pos).cursor

    # --- motions -----------------------------------------------------------------------------
    def _moved(self, cur: Cursor, pos: int) -> Outcome:
        pos = max(0, min(pos, max(0, len(self.text) - 1)))
        if cur.selecting and not cur.labelled:
            return Outcome(Cursor(pos, cur.anchor, moved=True))
        return Outcome(Cursor(pos))

    def _motion(self, key: str, cur: Cursor) -> Outcome:
        if key in "jk":
            n = self.take_count()
            return Outcome(cur, "lines", n if key == "j" else -n)
        if key == "g":
            self.count = ""
            return self._moved(cur, 0)
        if key == "G":
            if self.count:  # 12G: the start of the 12th paragraph (the title is the first)
                return self._moved(cur, paragraph_start(self.text, self.take_count()))
            return self._moved(cur, len(self.text) - 1)
        if key in ";,":
            n = self.take_count()
            if self.last_find is None:
                return Outcome(cur)
            kind, char = self.last_find
            if key == ",":
                kind = kind.swapcase()
            pos = cur.pos
            for _ in range(n):
                nxt = self._find_pos(kind, char, pos, repeat=True)
                if nxt is None:
                    break
                pos = nxt
            return self._moved(cur, pos)
        n = self.take_count()
        pos = cur.pos
        for _ in range(n):
            pos = self._step(key, pos)
        return self._moved(cur, pos)

    def _step(self, key: str, pos: int) -> int:
        text = self.text
        if key == "h":
            return max(0, pos - 1)
        if key == "l":
            return min(len(text) - 1, pos + 1)
        if key == "w":
            return sel.next_word_start(text, pos)
        if key == "W":
            m = _BIGWORD.search(text, pos)
            m2 = _BIGWORD.search(text, m.end()) if m and m.start() <= pos else m
            return m2.start() if m2 else len(text) - 1
        if key == "b":
            return sel.prev_word_start(text, pos)
        if key == "e":
            return max(0, sel.word_end(text, pos + 1) - 1)
        if key == "E":
            for m in _BIGWORD.finditer(text, pos + 1):
                if m.end() - 1 > pos:
                    return m.end() - 1
            return len(text) - 1
        if key == ")":
            return next_sentence_start(text, pos)
        if key == "(":
            return prev_sentence_start(text, pos)
        if key == "}":
            return max(0, sel.next_paragraph_end(text, pos + 1) - 1) if pos + 1 < len(text) else pos
        if key == "{":
            return sel.prev_paragraph_start(text, pos)
        start, end = sel.paragraph_span(text, pos)
        if key == "0":
            return start
        if key == "^":
            return sel.trim_span(text, start, end)[0]
        return max(start, end - 1)  # "$"

    # --- f, t, F, T ----------------------------------------------------------------------------
    def _find_pos(self, kind: str, char: str, pos: int, *, repeat: bool = False) -> int | None:
        text = self.text
        if kind in "ft":
            start = pos + (2 if kind == "t" and repeat else 1)
            i = text.find(char, start)
            if i == -1:
                return None
            return i if kind == "f" else i - 1
        start = pos - (1 if kind == "T" and repeat else 0)
        i = text.rfind(char, 0, max(0, start))
        if i == -1:
            return None
        return i if kind == "F" else i + 1

    def _find(self, kind: str, char: str, cur: Cursor) -> Outcome:
        """f/t/F a character; `r` is `f` with two characters (they repeat with ; and , alike)."""
        n = self.take_count()
        if len(char) not in (1, 2) or "\n" in char:
            return Outcome(cur)
        self.last_find = (kind, char)
        pos = cur.pos
        for i in range(n):
            nxt = self._find_pos(kind, char, pos, repeat=i > 0)
            if nxt is None:
                break
            pos = nxt
        return self._moved(cur, pos)

    # --- text objects ------------------------------------------------------------------------------
    def _object(self, prefix: str, key: str, cur: Cursor) -> Outcome:
        n = self.take_count()
        span = object_span(self.text, cur.pos, prefix == "a", key, n)
        if span is None:
            return Outcome(cur)
        start, end = span
        return Outcome(Cursor(end - 1, anchor=start, moved=True))


# --- pure helpers -------------------------------------------------------------------------------


def paragraph_start(text: str, number: int) -> int:
    """`{number}G`: where the number-th paragraph (non-blank line) starts; the last one if fewer."""
    start = 0
    for seen, m in enumerate(re.finditer(r"[^\n]+", text), start=1):
        start = m.start()
        if seen == number:
            break
    return start


def next_sentence_start(text: str, pos: int) -> int:
    """`)`: the first character of the next sentence (it may be in the next paragraph)."""
    pstart, pend = sel.paragraph_span(text, pos)
    for s, _ in sel.sentence_spans(text, pstart, pend):
        if s > pos:
            return s
    m = re.compile(r"[^\n]").search(text, pend)
    if m is None:
        return pos
    return sel.sentence_span(text, m.start())[0]


def prev_sentence_start(text: str, pos: int) -> int:
    """`(`: the start of the sentence holding `pos`, or of the previous one when already there."""
    return sel.prev_sentence_start(text, pos)


def object_span(text: str, pos: int, around: bool, key: str, count: int = 1) -> tuple[int, int] | None:
    """The span of text object `i{key}` (or `a{key}` with `around`) at `pos`, [start, end)."""
    if not text:
        return None
    pos = max(0, min(pos, len(text) - 1))
    if key in "wW":
        pattern = _WORD if key == "w" else _BIGWORD
        m = next((m for m in pattern.finditer(text, max(0, pos - 200)) if m.end() > pos), None)
        if m is None:
            return None
        if m.start() > pos:  # on white space: the space run (inner) is the object
            start, end = pos, m.start()
            while start > 0 and text[start - 1] in " \t":
                start -= 1
            return (start, end) if not around else (start, m.end())
        start, end = m.span()
        for _ in range(count - 1):
            nxt = pattern.search(text, end)
            if nxt is None:
                break
            end = nxt.end()
        if around:
            tail = end
            while tail < len(text) and text[tail] in " \t":
                tail += 1
            if tail > end:
                end = tail
            else:
                while start > 0 and text[start - 1] in " \t":
                    start -= 1
        return start, end
    if key == "s":
        start, end = sel.sentence_span(text, pos)
        for _ in range(count - 1):
            nxt_start = next_sentence_start(text, end - 1)
            if nxt_start <= end - 1:
                break
            end = sel.sentence_span(text, nxt_start)[1]
        if around:
            while end < len(text) and text[end] == " ":
                end += 1
        return start, end
    if key == "p":
        start, end = sel.paragraph_span(text, pos)
        for _ in range(count - 1):
            m = re.compile(r"[^\n]").search(text, end)
            if m is None:
                break
            end = sel.paragraph_span(text, m.start())[1]
        if around:
            while end < len(text) and text[end] == "\n":
                end += 1
        return start, end
    if key in ('"', "'"):  # a straight quote key finds typographic pairs too (the nearest pair wins)
        found = [
            s
            for pair in ((key, key), ("“", "”") if key == '"' else ("‘", "’"))
            if (s := _pair_span(text, pos, pair, around, nested=False)) is not None
        ]
        return min(found, key=lambda s: s[1] - s[0]) if found else None
    pair = QUOTES.get(key) or BRACKETS.get(key)
    if pair is None:
        return None
    return _pair_span(text, pos, pair, around, nested=key not in QUOTES)


def _pair_span(
    text: str, pos: int, pair: tuple[str, str], around: bool, *, nested: bool
) -> tuple[int, int] | None:
    open_, close = pair
    start: int | None = None
    end: int | None = None
    if open_ == close:  # straight quotes: the pair around pos on its line
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end == -1 else line_end
        marks = [i for i in range(line_start, line_end) if text[i] == open_]
        for a, b in zip(marks[::2], marks[1::2], strict=False):
            if a <= pos <= b:
                start, end = a, b
                break
        else:
            after = [i for i in marks if i > pos]
            if len(after) < 2:
                return None
            start, end = after[0], after[1]
    else:  # brackets pair within their paragraph (a line of the body), as they do in prose
        line_start = text.rfind("\n", 0, pos) + 1
        line_end = text.find("\n", pos)
        line_end = len(text) if line_end == -1 else line_end
        depth = 0
        i = pos
        if text[pos] == close and pos > 0:
            i = pos - 1
        while i >= line_start:
            if text[i] == close and i != pos and nested:
                depth += 1
            elif text[i] == open_:
                if depth == 0:
                    start = i
                    break
                depth -= 1
            i -= 1
        if start is None:
            return None
        depth = 0
        for j in range(start + 1, line_end):
            if text[j] == open_ and nested:
                depth += 1
            elif text[j] == close:
                if depth == 0:
                    end = j
                    break
                depth -= 1
        if end is None:
            return None
    return (start, end + 1) if around else (start + 1, end)
