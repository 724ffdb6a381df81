"""Detectors from signals that carry across sites: the shape of a line, not one site's wording.

Each detector names the signal it read in its reason, so the boilerplate pane can say why a block
left the body ("author bio: a name, then 'is a … of/at …'"). They run after the phrase rules, on
units the rules left open, and only at places where such lines sit (the edges of the body for
bios and promotions), because a sentence of reporting can have the same shape in the middle.
"""

from __future__ import annotations

import re

from library.cleaning.boilerplate.signals import _words_key
from library.cleaning.regex_literals import first_chars, fold, required_literals
from library.model import REASON_AUTHOR_BIO, REASON_CONTACT

_I = re.IGNORECASE

# A bio sentence and a contact line are the kinds the phrase rules already name ("author bio",
# "contact line"): the same reason, whichever signal found them.
REASON_BIO_SENTENCE = REASON_AUTHOR_BIO
REASON_CONTACT_LINE = REASON_CONTACT
REASON_BARE_URL = "bare URL"
REASON_CREDIT_ONLY = "credit only (agency, photographer, screen grab)"
REASON_TITLE_REPEAT = "repeats the title"
REASON_AD_LABEL = "ad label"
REASON_PROMOTION = "promotion (podcast, newsletter, app, book, group)"
REASON_SEPARATOR = "separator"
REASON_BYLINE = "byline (by / posted by / with reporting by …)"
REASON_ALSO_ON = "related link ('also on …', 'related')"
REASON_COMMENT_PROMPT = "comment prompt"
REASON_SHARE = "share prompt"
REASON_SECTION_LABEL = "section label (tags, filed under)"

DETECTOR_REASONS = (
    REASON_BARE_URL,
    REASON_CREDIT_ONLY,
    REASON_TITLE_REPEAT,
    REASON_AD_LABEL,
    REASON_PROMOTION,
    REASON_SEPARATOR,
    REASON_BYLINE,
    REASON_ALSO_ON,
    REASON_COMMENT_PROMPT,
    REASON_SHARE,
    REASON_SECTION_LABEL,
)

# A person's name: two to four capitalised words, an initial allowed ("Edwin S. Rubenstein").
_PERSON = r"(?:(?:Dr|Prof|Rev|Sen|Rep|Gen)\.?\s+)?[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.|[A-Z][\w'’-]+|de|van|von|al|bin|da|di|le|la)){1,3}"
_BIO_RE = re.compile(
    rf"^{_PERSON}(?:\s*\([^)]{{0,40}}\))?,?\s+(?:is|was|has been|serves as)\s+(?:a|an|the)\b[^.]{{0,160}}?"
    r"\b(?:of|at|for|with|in|on)\b"
)
# Words that make "X is a ... of ..." a sentence about a writer rather than about the story.
_ROLE_RE = re.compile(
    r"\b(?:author|writer|journalist|columnist|reporter|correspondent|editor|contributor|professor|"
    r"lecturer|analyst|researcher|fellow|economist|activist|scholar|founder|director|blogger|host|"
    r"producer|commentator|ph\.?\s?d|senior|contributing|freelance|award-winning|books?)\b",
    _I,
)
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE_RE = re.compile(r"(?:^|[\s(:])@[A-Za-z_]\w{1,30}\b")
# "— Name (@handle) May 23, 2020": the signature of an embedded post, which is quoted content.
_POST_SIGNATURE_RE = re.compile(r"\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}")
_CONTACT_RE = re.compile(
    r"\bcan be reached\b|\breach (?:the )?(?:reporter|author|writer|him|her|them|me)\b|"
    r"\b(?:follow|contact|e-?mail|write to) (?:him|her|them|me|the (?:author|reporter|writer))\b|"
    r"^(?:follow|contact|e-?mail|reach)\b.{0,80}\b(?:on|at|via)\b",
    _I,
)
_URL_ONLY_RE = re.compile(r"^[(<\[]?(?:https?://|www\.)\S+[)>\]]?[.,;]?$", _I)
_AGENCY = (
    r"(?:getty images|ap(?: photo)?|afp(?: photo)?|reuters|shutterstock|istock(?:photo)?|eyeem|alamy|epa|"
    r"xinhua|anadolu|nurphoto|sopa images|wikimedia commons|flickr|pool|bloomberg|dpa|sipa|zuma(?: press)?|"
    r"associated press|the associated press|tass|sputnik)"
)
_CREDIT_RE = re.compile(
    rf"^\(?\s*(?:(?:photo|image|picture|video|graphic|illustration)s?(?: credit)?\s*[:/]?\s*)?"
    rf"(?:[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}}\s*[/|]\s*)?(?:{_AGENCY})(?:\s*(?:/|\||via)\s*[\w .]{{1,30}})?\s*\)?\W*$"
    r"|^\(?\s*screen ?(?:grab|shot)\b[^.]{0,60}\)?\W*$"
    r"|^\((?:photo|image|picture)s?\s*(?::|by|courtesy(?: of)?)\s*[^()]{2,60}\)\W*$"
    rf"|^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{1,3}}(?:\s*[|/]\s*[\w .]{{2,30}}){{1,3}}\s*[|/]\s*{_AGENCY}\W*$",
    _I,
)
_AD_RE = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content| post)?|promoted(?: content)?|ad|paid content)\W*$",
    _I,
)
_PROMO_RE = re.compile(
    r"^[\w’' .&-]{0,50}\bpodcast\s*:|^(?:listen|subscribe) to (?:the|our) [\w ]{0,40}podcast\b|"
    r"^download (?:the|our) [\w ]{0,30}app\b|\bjoin(?:ing)? our [\w ]{0,20}(?:group|community|channel)\b|"
    r"^(?:order|buy|get) (?:your|a) copy\b|\bcheck out (?:all|more of) (?:the|our)\b",
    _I,
)


_NAME = r"[A-Z][\w.'’-]*(?:\s+(?:[A-Z][\w.'’-]*|de|van|von|al|bin|da|di|le|la)){0,3}"
_DATE = r"(?:(?:on\s+)?(?:\w+day,?\s+)?(?:\w{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+\w{3,9}\.?\s+\d{4}|\d{4}-\d\d-\d\d)(?:\s+(?:at\s+)?\d{1,2}:\d\d\s*(?:[ap]\.?m\.?)?)?)"
# An outlet or a place after a byline: capitalised words ("The Guardian", "Reuters", "Paris").
_OUTLET = r"[A-Z][\w.&'’-]*(?:\s+(?:[A-Z][\w.&'’-]*|of|the|and|for|&)){0,5}"
# "By Monday, …", "By March 2021 …": a time, not a name.
_NOT_A_NAME = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Christmas|Easter|Then|Now|The|This|That|Way|Far)\b"
)
_BYLINE_RE = re.compile(
    rf"^(?:(?i:by|written by|words by|story by|text by|reporting by|with reporting by|additional reporting by)\s*:?\s+(?!{_NOT_A_NAME}){_NAME}"
    rf"(?:\s*(?:,|\band\b|&)\s*{_NAME})*"
    rf"|(?i:posted by|submitted by|published by)\s*:?\s+[\w.'’-]+(?:\s+[\w.'’-]+){{0,3}}?)"
    rf"(?:\s*(?:[/|,–—-]|\b(?i:for|at|in)\b)\s*{_OUTLET})?(?:\s*[,·|–—-]?\s*{_DATE})?\W*$"
)
_ALSO_ON_RE = re.compile(
    r"^(?:also on|more on|elsewhere on|from our partners at)\s+[\w .’'&-]{2,40}:\s*\S|^related\s*:?$", _I
)
_COMMENT_RE = re.compile(
    r"^(?:leave a (?:comment|reply)|comments? (?:are|is) closed|post a comment|add a comment|\d+ comments?|"
    r"join the (?:conversation|discussion)|view comments|show comments|load comments)\b"
    r"|\b(?:let us know|tell us|share your (?:thoughts|views))\b.{0,40}\bcomments?\b",
    _I,
)
_SHARE_RE = re.compile(
    r"^(?:click to (?:share|email|print)\b|like this:?$|share this:?$|share on (?:facebook|twitter|whatsapp|linkedin)\b)",
    _I,
)
_SECTION_RE = re.compile(
    r"^(?:tags?|tagged|filed under|categories|category|topics)\s*:\s*[\w ,&’'/-]{2,200}$", _I
)


# How the lines of the anchored short-line signals below begin: one cheap test before several.
_SHORT_START_RE = re.compile(
    r"(?:by|posted|submitted|written|words|story|text|reporting|with|additional|published|also|more|"
    r"elsewhere|from|related|click|like|share|tags?|tagged|filed|categor|topics|advertis|sponsored|promoted|ad|paid)\b",
    _I,
)


# Words the contact and promotion patterns cannot match without (compared folded): a unit
# without any of them is not searched.
_CONTACT_NEEDLES = tuple(sorted(required_literals(_CONTACT_RE) or ("",)))
_PROMO_NEEDLES = tuple(sorted(required_literals(_PROMO_RE) or ("",)))
# `_PROMO_RE` in two: its alternatives anchored at the start (tried at one position) and the two
# that may start anywhere, searched only when the unit holds a word they need. Why: a search of
# the whole alternation tried all six at every position of the unit.
_PROMO_AT_START_RE = re.compile(
    r"^[\w’' .&-]{0,50}\bpodcast\s*:|^(?:listen|subscribe) to (?:the|our) [\w ]{0,40}podcast\b|"
    r"^download (?:the|our) [\w ]{0,30}app\b|^(?:order|buy|get) (?:your|a) copy\b",
    _I,
)
_PROMO_ANYWHERE_RE = re.compile(
    r"\bjoin(?:ing)? our [\w ]{0,20}(?:group|community|channel)\b|\bcheck out (?:all|more of) (?:the|our)\b",
    _I,
)
_PROMO_ANYWHERE_NEEDLES = tuple(sorted(required_literals(_PROMO_ANYWHERE_RE) or ("",)))


def _holds(folded: str, needles: tuple[str, ...]) -> bool:
    return any(map(folded.__contains__, needles))  # no generator: this runs for most edge units


def _is_separator(text: str) -> bool:
    return bool(text) and not any(map(str.isalnum, text))


def detect(text: str, *, position: str, title_key: str, notes_before: bool) -> str | None:
    """The reason of the first cross-site signal the unit shows, or None.

    `position` is "head" (first body units), "tail" (last body units) or "middle"; `title_key` the
    title's words; `notes_before` whether a notes/sources list has begun above (bare URLs there are
    the article's references, which the convention keeps)."""
    t = text.strip()
    n = len(t)
    if not t:
        return None
    if n <= 80 and _is_separator(t):
        return REASON_SEPARATOR
    edge = position != "middle"
    if n > 500:  # every signal below is a short line: a long paragraph is read no further
        return None
    if n <= 250 and _SHORT_START_RE.match(t):
        if n <= 40 and _AD_RE.match(t):
            return REASON_AD_LABEL
        if n <= 140 and _BYLINE_RE.match(t):
            return REASON_BYLINE
        if _ALSO_ON_RE.match(t):
            return REASON_ALSO_ON

        if n <= 120 and _SHARE_RE.match(t):
            return REASON_SHARE
        if n <= 220 and _SECTION_RE.match(t):
            return REASON_SECTION_LABEL
    if n <= 200 and "comment" in t.lower() and _COMMENT_RE.search(t):
        return REASON_COMMENT_PROMPT
    if n <= 300 and _URL_ONLY_RE.match(t) and not notes_before:
        return REASON_BARE_URL
    if n <= 160 and _CREDIT_RE.match(t):
        return REASON_CREDIT_ONLY
    if len(title_key) >= 12 and n <= len(title_key) + 80:
        key = _words_key(t)
        if key == title_key:
            return REASON_TITLE_REPEAT
        # The headline again with a little around it ("| Photographer/AP Photo <headline>"), not a sentence.
        if (
            len(title_key) >= 20
            and title_key in key
            and len(key) - len(title_key) <= 40
            and t[-1] not in '.!?"”'
        ):
            return REASON_TITLE_REPEAT
    if not edge:
        return None
    if _BIO_RE.match(t) and _ROLE_RE.search(t):
        return REASON_BIO_SENTENCE
    if n > 250:
        return None
    folded = fold(t)
    if n <= 220:
        embedded_post = "t.co/" in t or "pic.twitter.com" in t or bool(_POST_SIGNATURE_RE.search(t))
        if ("@" in t and not embedded_post) and (_EMAIL_RE.search(t) or _HANDLE_RE.search(t)):
            return REASON_CONTACT_LINE
        if _holds(folded, _CONTACT_NEEDLES) and _CONTACT_RE.search(t) and not t.startswith(("“", '"')):
            return REASON_CONTACT_LINE
    if _holds(folded, _PROMO_NEEDLES) and (
        _PROMO_AT_START_RE.match(t)
        or _holds(folded, _PROMO_ANYWHERE_NEEDLES)
        and _PROMO_ANYWHERE_RE.search(t)
    ):
        return REASON_PROMOTION
    return None


_NOTES_RE = re.compile(
    r"^(?:notes?|sources?|references?|endnotes?|footnotes?|bibliography)\W*$|^\[?\d{1,3}[\].)]\s", _I
)


# The ASCII characters a notes heading or numbered note can start with (read off the pattern).
_NOTES_FIRSTS = first_chars(_NOTES_RE)


def is_notes_start(text: str) -> bool:
    """A notes/sources heading or a numbered note: what follows may be the article's references."""
    t = text.strip()
    first = t[:1]
    if _NOTES_FIRSTS is not None and first.isascii() and first not in _NOTES_FIRSTS:
        return False  # runs for every body unit; most start with another character
    return bool(_NOTES_RE.match(t))
