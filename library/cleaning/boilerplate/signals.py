"""Text signals the heuristics read: stop words, sentence ends, headline shape, bio openings.

Why apart from the heuristics: the same measures serve the cross-site detectors, the rules'
neighbours and the evaluation's baseline, and none of them depends on a site.
"""

from __future__ import annotations

import re

from library.sentences import is_abbreviation

_I = re.IGNORECASE

# Units that merely start like a rule but are article prose: long and sentence-rich.
_BIO_START_RE = re.compile(
    r"^(?:Dr\.?|Prof\.?|Professor)?\s*(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,4})(?:(?:,| \()?.{0,80}? (?:is|was|has been|teaches|lives|writes)\b|\s*[:,]\s+(?:Ph\.?\s?D|M\.?D|Dr|Prof|doctor|professor)\b)"
)
_BIO_WORDS_RE = re.compile(
    r"\b(?:author|co-?author|writer|journalist|columnist|professor|lecturer|editor|analyst|researcher|fellow|"
    r"contributor|correspondent|economist|activist|scholar|director|founder|scientist|secretary|worker|blogger|doctor|physician|psychologist|therapist|lawyer|attorney|ph\.?\s?d|specializes|specialises|lectures)\b",
    _I,
)

STOP_WORDS = frozenset(
    """a about above after again against all also although am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either even ever every few for from
    further had has have having he her here hers herself him himself his how however i if in into is it its itself
    just least less like many may me might more most much must my myself neither no nor not now of off on once
    one only or other others our ours ourselves out over own per perhaps rather same shall she should since so some
    such than that the their theirs them themselves then there these they this those though through thus to too
    under until up upon us very was we were what whatever when where whether which while who whom whose why will
    with within without would yet you your yours yourself yourselves said says say""".split()
)

_WORD_RE = re.compile(r"[\w'’-]+")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*\s*(?:\[\d+\]|\(\d+\))?$")


def stopword_density(text: str) -> float:
    words = _words(text)
    if not words:
        return 0.0
    return sum(map(STOP_WORDS.__contains__, words)) / len(words)


def _word_table() -> bytes:
    """Per ASCII character: itself lower-cased if `_WORD_RE` counts it as part of a word, else a space."""
    table = bytearray(b" " * 256)
    for code in range(128):
        char = chr(code).lower()
        if _WORD_RE.fullmatch(char):
            table[code] = ord(char)
    return bytes(table)


_WORD_TABLE = _word_table()


def _words(text: str) -> list[str]:
    """`_WORD_RE.findall(text.lower())`; for ASCII text through one table lookup per character."""
    if text.isascii():
        return text.encode("ascii").translate(_WORD_TABLE).decode("ascii").split()
    return _WORD_RE.findall(text.lower())


_SMALL_WORDS = frozenset(
    "a an the of to in on for and or nor but with by at from as is are was be vs via into over up out off per".split()
)
_WORDISH_RE = re.compile(r"[^\W\d_][\w'’.-]*")
_ABBREV_END_RE = re.compile(r"(?:\b[A-Z]\.){2,}$|\b(?:U\.S|U\.K|U\.N|Jr|Sr|Inc|Co|Corp|Ltd|St)\.$")
_TERMINAL_PUNCT = ".!,;:"
_EMAIL_BIO_RE = re.compile(r"\((?:e-?mail|contact|follow|write to) (?:him|her|them|me)\)", _I)
_DEGREE_WORDS = frozenset("ph d phd m md j jd ma msc mba esq jr sr".split())
_SOURCE_LINE_RE = re.compile(r"^(?:source|via|h/t|hat tip|from)\s*:\s*[^.!?:]{2,60}$", _I)
_SENTENCE_BREAK_RE = re.compile(r"([\w.’']+)[.!?][\"”’)]*\s+[A-Z“\"]")
_PRONOUN_START_RE = re.compile(r"^(?:He|She|His|Her|They|Their)\b")


# `_WORD_TABLE` leaves b" " the only whitespace: collapsing runs of it and stripping the ends
# is `b" ".join(t.split())` without a bytes object per word.
_SPACES_RE = re.compile(rb"  +")


def _words_key(text: str) -> str:
    """The text's words, lower case, one space apart."""
    if text.isascii():
        return _SPACES_RE.sub(b" ", text.encode("ascii").translate(_WORD_TABLE)).strip(b" ").decode("ascii")
    return " ".join(_WORD_RE.findall(text.lower()))


def _has_sentence_break(text: str, questions: bool = True) -> bool:
    """A full stop inside the line that ends a sentence (not "Dr." or "U.S."); with `questions`
    false, a question mark does not count (headlines ask "Will It Be Mandatory?")."""
    for m in _SENTENCE_BREAK_RE.finditer(text):
        if not questions and text[m.end(1)] == "?":
            continue
        word = m.group(1).lower().rstrip(".")
        if len(word) > 1 and not is_abbreviation(word) and not re.fullmatch(r"(?:[a-z]\.)+[a-z]?", word):
            return True
    return False


def _abbreviation_end(text: str) -> bool:
    """`_ABBREV_END_RE.search(text)`, searched from six characters before the end: a match ends
    there, and if a run of initials ("U.S.A.") matches, its last two do too (a `\\b` at the
    search's start still sees the character before it)."""
    return bool(_ABBREV_END_RE.search(text, max(0, len(text) - 6)))


def _headline_like(text: str, strict: bool) -> bool:
    """A link label: one short line without a closing full stop; strict also wants Title Case."""
    text = text.strip()
    if not 8 <= len(text) <= 160 or _has_sentence_break(text, questions=not strict):
        return False
    if text[-1] in _TERMINAL_PUNCT and not _abbreviation_end(text):
        return False
    if not strict:
        return True
    words = _WORDISH_RE.findall(text)
    if len(words) < 4 or len(text) < 20:
        return False
    considered = [w for w in words if w.lower() not in _SMALL_WORDS]
    if not considered:
        return False
    capitalised = sum(1 for w in considered if w[0].isupper())
    return capitalised / len(considered) >= 0.75


_normal = _words_key
