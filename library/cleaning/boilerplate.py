"""Telling site boilerplate from article text, one unit (paragraph or line) at a time.

Three signals, strongest first:
1. Phrase rules: prose boilerplate (donation appeals, disclaimers, newsletter forms) that
   length and stop-word density cannot catch. Each rule is anchored or length-limited so a
   sentence of real reporting that merely mentions a donation or an e-mail stays in the body.
2. jusText-style heuristics (ported to text, not the library): link density, length and
   stop-word density, then smoothing with neighbours. Deliberately conservative: a short
   unit leaves the body only when no body text flanks it (both sides boilerplate or an edge
   next to boilerplate), because losing a line of the article is worse than keeping a footer.
3. Repetition: exact repeats inside one article (the earlier copy goes, never both), and
   repetition across the articles of one site (`apply_site_repetition`, driven by the store).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Mapping
from pathlib import PurePath

from library.cleaning.regex_literals import fold, required_literals
from library.model import (
    REASON_AUTHOR_BIO,
    REASON_CAPTION,
    REASON_CONTACT,
    REASON_COPYRIGHT,
    REASON_DISCLAIMER,
    REASON_DONATION,
    REASON_DUPLICATE,
    REASON_FAIR_USE,
    REASON_FORM,
    REASON_LOW_CONTENT,
    REASON_METADATA,
    REASON_NAVIGATION,
    REASON_ORIGINAL_SOURCE,
    REASON_READER_NOTE,
    REASON_REPUBLISHED,
    REASON_SOCIAL,
    Block,
    Metadata,
    Origin,
    repeated_reason,
)
from library.sentences import is_abbreviation

# Extra reason: everything after a Global Research footer's first line is site footer.
REASON_FOOTER = "site footer"

_I = re.IGNORECASE

# (reason, pattern, max length of the unit for the rule to apply)
RULES: list[tuple[str, re.Pattern[str], int]] = [
    # Original source / republication.
    (REASON_ORIGINAL_SOURCE, re.compile(r"^the original source of this article is\b", _I), 400),
    (
        REASON_REPUBLISHED,
        re.compile(
            r"^\W*(?:this|the|an earlier version of this)?\s*(?:article|piece|post|story|essay|report|interview)\s+"
            r"(?:was\s+|is\s+|has been\s+)?(?:first\s+|originally\s+)+(?:published|posted|appeared)\b",
            _I,
        ),
        500,
    ),
    (
        REASON_REPUBLISHED,
        re.compile(r"^\W*(?:\w+\s+){0,3}originally (?:published|appeared|posted) (?:on|in|at|by)\b", _I),
        400,
    ),
    (REASON_REPUBLISHED, re.compile(r"^the post .{3,300} appeared first on\b", _I), 500),
    (
        REASON_REPUBLISHED,
        re.compile(
            r"\b(?:reprinted|republished|reposted|posted|published|used|shared) (?:here )?(?:with|by) (?:kind |express )?permission\b",
            _I,
        ),
        300,
    ),
    (
        REASON_REPUBLISHED,
        re.compile(
            r"^\W*this (?:article|piece|post|story|essay|report|column)?\s*(?:first |originally )?appeared (?:first |originally )?(?:in|on|at)\b",
            _I,
        ),
        300,
    ),
    (REASON_REPUBLISHED, re.compile(r"^(?:via|h/t|hat tip)\s*:?\s*[\w.\- ]{2,40}$", _I), 60),
    (REASON_REPUBLISHED, re.compile(r"^translated (?:to|into|from) \w+ by\b", _I), 200),
    # Copyright, disclaimers, fair use.
    (REASON_COPYRIGHT, re.compile(r"^(?:copyright|©|\(c\))\s", _I), 300),
    (REASON_COPYRIGHT, re.compile(r"©|\ball rights reserved\b", _I), 250),
    (REASON_DISCLAIMER, re.compile(r"^disclaimer\b", _I), 2000),
    (
        REASON_DISCLAIMER,
        re.compile(r"\bcontents of this article are (?:of )?(?:the )?sole responsibility\b", _I),
        2000,
    ),
    (
        REASON_DISCLAIMER,
        re.compile(r"^the (?:views|opinions) expressed (?:in this|herein|by the author)", _I),
        500,
    ),
    (
        REASON_FAIR_USE,
        re.compile(r"\bcontains copyrighted material\b|\bprovisions of [\"“]?fair use\b", _I),
        2000,
    ),
    (REASON_FAIR_USE, re.compile(r"\bfair use\b.{0,80}\b(?:section 107|copyright law|title 17)\b", _I), 2000),
    # Donation appeals.
    (
        REASON_DONATION,
        re.compile(
            r"^(?=.*(?:\bdonat(?:e|ion|ing)|\bpaypal\b|\bpatreon\b|\bcrowdfund|\bsubscribestar\b|\bbuy me a coffee\b"
            r"|\bbitcoin\b|\breader[- ]funded\b|\bsupport (?:us|our work|independent media|global research)\b))"
            r"(?=.*(?:\bplease\b|\bsupport (?:us|our|the project|independent|global research)\b|\bhelp us\b"
            r"|\byour (?:support|donation|contribution|help|generosity)\b|\byou can (?:help|support|donate|contribute)\b"
            r"|\bcan you help\b|\bif you(?:'re| are) able\b|\bconsider (?:donating|a donation|supporting|making)\b"
            r"|\bdonate (?:now|today|here)\b|\bclick (?:here )?to donate\b|\bwithout your\b|\breader[- ]funded\b))",
            _I | re.DOTALL,
        ),
        700,
    ),
    (
        REASON_DONATION,
        re.compile(
            r"^(?:can you help us|please support|help us keep|click to donate|we need your support)", _I
        ),
        400,
    ),
    # Social and membership prompts (form fields first: "Email *" is a field, not a share link).
    (
        REASON_FORM,
        re.compile(
            r"^(?:e-?mail(?: address)?|name|first name|last name|full name|zip(?: code)?|phone|country|comment|website)\s*\*",
            _I,
        ),
        80,
    ),
    (REASON_SOCIAL, re.compile(r"^comment on (?:global research )?articles on our facebook\b", _I), 200),
    (
        REASON_SOCIAL,
        re.compile(r"^become an? (?:\w+ ){0,2}(?:member|patron|subscriber|insider|supporter)\b", _I),
        200,
    ),
    (
        REASON_SOCIAL,
        re.compile(r"^(?:please )?(?:follow|like|find|join) us\b(?: on [\w ]{2,30})?\W*$", _I),
        60,
    ),
    (
        REASON_SOCIAL,
        re.compile(
            r"^(?:please )?(?:follow|like|join) (?:us|me|\w+(?: \w+){0,4}) on (?:twitter|facebook|instagram|telegram|gab|youtube|social media)\b",
            _I,
        ),
        200,
    ),
    (
        REASON_SOCIAL,
        re.compile(
            r"^(?:share|tweet|email|e-mail|print|facebook|twitter|pinterest|whatsapp|linkedin|reddit|telegram|flipboard|shares?|comments?|\d+ (?:shares|comments))(?:\W+(?:share|tweet|email|e-mail|print|facebook|twitter|pinterest|whatsapp|linkedin|reddit|telegram|flipboard|this|on|article))*\W*$",
            _I,
        ),
        80,
    ),
    (
        REASON_SOCIAL,
        re.compile(r"^(?:subscribe|sign up|get)\b.{0,80}\b(?:newsletter|inbox|updates|today)\b", _I),
        400,
    ),
    (
        REASON_SOCIAL,
        re.compile(
            r"\bnewsletters?\b.{0,120}\b(?:sign up|subscribe|inbox|delivered|every (?:morning|day|week))\b"
            r"|\bsubscribe to (?:our|the)\b.{0,60}\bnewsletters?\b",
            _I,
        ),
        600,
    ),
    (REASON_SOCIAL, re.compile(r"\bnewsletters?\W*$", _I), 60),
    (
        REASON_SOCIAL,
        re.compile(r"^(?:subscribe(?: now| today)?|sign up(?: now| today)?|join (?:us|now))\W*$", _I),
        40,
    ),
    (
        REASON_SOCIAL,
        re.compile(r"^(?:to receive global research|visit and follow us|you'll only get the best)", _I),
        300,
    ),
    # Form fields and consent lines.
    (
        REASON_FORM,
        re.compile(r"\bthis field is for validation purposes\b|\bshould be left unchanged\b", _I),
        200,
    ),
    (
        REASON_FORM,
        re.compile(
            r"^(?:e-?mail )?(?:by (?:signing up|subscribing|clicking)|you can unsubscribe|you may (?:opt out|unsubscribe))\b",
            _I,
        ),
        300,
    ),
    (
        REASON_FORM,
        re.compile(
            r"\bby (?:signing up|subscribing)\b.{0,40}\byou agree\b|\bagree to receive\b.{0,40}\b(?:e-?mails?|newsletters?|alerts)\b",
            _I,
        ),
        600,
    ),
    (
        REASON_FORM,
        re.compile(
            r"\bagree to (?:this site's |our )?(?:the )?(?:privacy policy|terms of (?:use|service))\b", _I
        ),
        300,
    ),
    (REASON_FORM, re.compile(r"\bcompleting this poll\b", _I), 300),
    (
        REASON_FORM,
        re.compile(
            r"\bwe (?:use|are using) cookies\b|\buses cookies\b|\baccept (?:all )?cookies\b|\bcookie (?:policy|settings)\b",
            _I,
        ),
        400,
    ),
    # Notes to readers and in-body prompts.
    (
        REASON_READER_NOTE,
        re.compile(
            r"\b(?:click|use) the share buttons?\b|\bforward this article\b|\bcross-?post global research articles\b",
            _I,
        ),
        600,
    ),
    (REASON_READER_NOTE, re.compile(r"\bcan be read in \d+ languages\b|\btranslate website\b", _I), 400),
    (REASON_READER_NOTE, re.compile(r"^note to readers?\b|^global research editor[’']?s note\b", _I), 1200),
    (
        REASON_READER_NOTE,
        re.compile(
            r"\btake our poll\b|\bstory continues? below\b|^story continued below$|^personal liberty poll\b",
            _I,
        ),
        200,
    ),
    (
        REASON_READER_NOTE,
        re.compile(r"^click here (?:if|to)\b|\bhaving trouble viewing\b|\bthe gallery will resume\b", _I),
        200,
    ),
    (
        REASON_READER_NOTE,
        re.compile(r"^this (?:briefing|live blog|page) is no longer (?:being )?updat", _I),
        300,
    ),
    (
        REASON_READER_NOTE,
        re.compile(r"^we want to hear what you think\b|\bsubmit a letter to the editor\b", _I),
        300,
    ),
    (REASON_READER_NOTE, re.compile(r"\badvertisement\b$|^advertisement\b", _I), 120),
    (
        REASON_READER_NOTE,
        re.compile(
            r"\b(?:enable|requires|turn on) javascript\b|\bcan'?t render\b|\bbrowser does not support\b", _I
        ),
        400,
    ),
    (
        REASON_READER_NOTE,
        re.compile(
            r"^\W*this (?:article|story|piece|report|series|project|content|coverage) (?:is|was) (?:part of|supported by|"
            r"produced (?:by|in partnership|with)|made possible|funded by|published in partnership)\b",
            _I,
        ),
        400,
    ),
    # Navigation and related-links.
    (
        REASON_NAVIGATION,
        re.compile(
            r"^(?:read more|read also|see also|related(?: articles?| stories| story| posts| coverage| reading)?|more on this|more from|recommended|watch|read|listen|also read|trending|popular|you may also like)\b\s*[:|›»-]",
            _I,
        ),
        250,
    ),
    (
        REASON_NAVIGATION,
        re.compile(
            r"^(?:related(?: \w+)? (?:articles?|stories|posts|links)|you (?:may|might) also like|most (?:read|popular)|continue reading|read more|next article|previous article|back to top)\W*$",
            _I,
        ),
        80,
    ),
    (
        REASON_NAVIGATION,
        re.compile(r"^(?:spanish|english|french|german|italian|portuguese|russian) version$", _I),
        40,
    ),
    (REASON_NAVIGATION, re.compile(r"^Return to [A-Z\"“]"), 120),
    (
        REASON_NAVIGATION,
        re.compile(
            r"^(?:more (?:from|on|stories|articles|coverage)|related articles|related stories|related coverage|"
            r"related content|further reading|recommended reading)\b[^.!?]{0,160}\??$",
            _I,
        ),
        200,
    ),
    (
        REASON_NAVIGATION,
        re.compile(
            r"^(?:watch|read|listen to|see|explore|view)\b[^.!?]{0,40}(?:videos?|stories|coverage|more|here|podcasts?|photos)\s*:$",
            _I,
        ),
        60,
    ),
    (REASON_NAVIGATION, re.compile(r"^\[(?!(?:photos?|images?|pictures?)\s*/)[^\[\]]{5,150}\]$", _I), 152),
    (
        REASON_NAVIGATION,
        re.compile(r"^\|?\s*(?:articles|pdf|print|download(?: pdf)?|share|comments?)\s*\|?$", _I),
        20,
    ),
    (REASON_NAVIGATION, re.compile(r"^sources?\s*:?\s*$", _I), 10),
    (
        REASON_NAVIGATION,
        re.compile(
            r"^(?:home|menu|search|skip to (?:main )?content|log ?in|sign in|register)(?:\s*[|›»/]\s*\w+)*$",
            _I,
        ),
        60,
    ),
    # Contact lines.
    (REASON_CONTACT, re.compile(r"^for media inquiries\b", _I), 200),
    (
        REASON_CONTACT,
        re.compile(
            r"^(?:e-?mail|contact|write to|tips?)\s*(?:us|me|him|her|the author)?\s*(?:at|:)\s*\S+@\S+", _I
        ),
        200,
    ),
    # Captions and credits.
    (
        REASON_CAPTION,
        re.compile(
            r"^\W*(?:featured |top |header |cover |main )?(?:image|photo(?:graph)?|picture|graphic|illustration|video|"
            r"screenshot|screen grab|photo credit|image credit)s?(?: credit| source)?\s*(?::|by\b|courtesy\b|via\b|source\b|is from\b|from\b)",
            _I,
        ),
        400,
    ),
    (
        REASON_CAPTION,
        re.compile(
            r"\((?:image|photo|picture)s?(?: credit)?\s*(?::|by\b|courtesy\b)[^)]*\)\W*$|^\((?:image|photo)s?:",
            _I,
        ),
        400,
    ),
    (
        REASON_CAPTION,
        re.compile(
            r"\b(?:getty images|ap photo|afp photo|reuters/|shutterstock|istock(?:photo)?|wikimedia commons|eyeem)\b",
            _I,
        ),
        300,
    ),
    (
        REASON_CAPTION,
        re.compile(
            r"(?:[|/]|\bvia)\s*(?:getty images|ap photo|afp|reuters|shutterstock|istock(?:photo)?|eyeem|bloomberg|"
            r"nurphoto|sopa images|xinhua|anadolu|epa|dpa|sipa|alamy|pool|[\w ]{2,30} photo)\W*$",
            _I,
        ),
        600,
    ),
    (
        REASON_CAPTION,
        re.compile(
            r"\b(?i:photo(?:graph)?s?|illustration|cartoon|video|image) by [A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}\s*(?:[/|]|for\b|$|\))",
        ),
        400,
    ),
    (
        REASON_CAPTION,
        re.compile(
            r"^in (?:a|an|this|these|the) (?:\w+ ){0,4}(?:file )?(?:photos?|pictures?|images?|screenshots?|video still)\b",
            _I,
        ),
        500,
    ),
    (REASON_CAPTION, re.compile(r"^\[?(?:photos?|images?|pictures?)\s*/\s*[\w .-]{1,30}\]?$", _I), 50),
    (
        REASON_CAPTION,
        re.compile(r"\b(?:on|via) (?:scribd|youtube|vimeo|soundcloud|documentcloud|flickr)\W*$", _I),
        150,
    ),
    # Author bios (phrasing GR and others use at the foot of a piece).
    (
        REASON_AUTHOR_BIO,
        re.compile(
            r"\bis a (?:regular |frequent )?contributor to global research\b|\bresearch associate of the centre for research on globali[sz]ation\b",
            _I,
        ),
        800,
    ),
    (REASON_METADATA, re.compile(r"^articles by\s*:", _I), 300),
    (
        REASON_METADATA,
        re.compile(r"\bcontributed (?:reporting )?to this (?:report|article|story)\b", _I),
        300,
    ),
    (
        REASON_METADATA,
        re.compile(r"^[Bb][Yy] [A-Z][\w.'’-]+(?:,? (?:[A-Z][\w.'’-]+|and|&|de|van|von|al))*\W*$"),
        80,
    ),
    (
        REASON_METADATA,
        re.compile(
            r"^\(?(?:additional )?(?:reporting|writing|editing|produced|research|graphics|video|photos?) by\b"
            r"|^(?:associate |executive |senior )?producers?[,:]|^our standards\s*:",
            _I,
        ),
        300,
    ),
    (
        REASON_METADATA,
        re.compile(r"^\((?:fixes|updates|adds|corrects|recasts|repeats|changes)\b[^()]{0,80}\)$", _I),
        90,
    ),
]

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

LENGTH_SHORT = 70
# Lines that leave the body on their own merit but say nothing about their neighbours: a byline,
# a photo credit or a bio sits next to headings and bullet summaries of the article itself, so
# smoothing looks through them instead of treating them as boilerplate context.
# Boilerplate that comes with answer lines of its own (poll choices, form labels).
_FORM_REASONS = frozenset({REASON_FORM, REASON_READER_NOTE, REASON_LOW_CONTENT, REASON_SOCIAL})
_NEUTRAL_REASONS = frozenset(
    {REASON_METADATA, REASON_CAPTION, REASON_REPUBLISHED, REASON_AUTHOR_BIO, REASON_DUPLICATE}
)
# Shorter repeats (a speaker's attribution, a chart heading) are article text, not a lede copy.
DUPLICATE_MIN_CHARS = 80
MAX_LINK_DENSITY = 0.5

_WORD_RE = re.compile(r"[\w'’-]+")
_SENTENCE_END_RE = re.compile(r"[.!?…][\"'”’)\]]*\s*(?:\[\d+\]|\(\d+\))?$")


_PREPARED: list[tuple[str, re.Pattern[str], int, tuple[str, ...]]] = []


def _prepared_rules() -> list[tuple[str, re.Pattern[str], int, tuple[str, ...]]]:
    """RULES with the words each pattern needs (empty: always run), read once."""
    if len(_PREPARED) != len(RULES):
        _PREPARED[:] = [
            (reason, pattern, max_len, tuple(sorted(required_literals(pattern) or ())))
            for reason, pattern, max_len in RULES
        ]
    return _PREPARED


def rule_reason(text: str) -> str | None:
    """The reason of the first phrase rule that matches the unit, or None.

    Each rule's regex runs only if the unit contains one of the words it cannot match without
    (`library.cleaning.regex_literals`): the same verdicts, in three quarters of the time."""
    stripped = text.strip()
    n = len(stripped)
    folded = fold(stripped)
    for reason, pattern, max_len, needles in _prepared_rules():
        if n > max_len:
            continue
        if needles:
            for needle in needles:
                if needle in folded:
                    break
            else:
                continue  # a word the pattern cannot match without is missing
        if pattern.search(stripped):
            return reason
    return None


def stopword_density(text: str) -> float:
    words = _WORD_RE.findall(text.lower())
    if not words:
        return 0.0
    return sum(1 for w in words if w in STOP_WORDS) / len(words)


def _heuristic_class(text: str, link_chars: int) -> str:
    """jusText's first pass on text: "bad", "short" (undecided) or "good"."""
    n = len(text.strip())
    if n == 0:
        return "short"
    if link_chars / n > MAX_LINK_DENSITY and n < 300:
        return "bad"
    if n < LENGTH_SHORT:
        return "short"
    if stopword_density(text) < 0.1 and not _SENTENCE_END_RE.search(text.strip()) and n < 300:
        return "short"
    return "good"


def _is_bio(text: str, authors: list[str]) -> bool:
    m = _BIO_START_RE.match(text.strip())
    if not m or len(text) > 700:
        return False
    name = m.group("name").lower()
    for author in authors:
        parts = [
            p for p in re.split(r"\s+", author.lower()) if len(p) > 2 and p not in {"prof", "dr.", "prof."}
        ]
        if parts and parts[-1] in name:
            return bool(_BIO_WORDS_RE.search(text)) or len(text) < 300
    return False


# ---- titles, bios, sign-offs and headline lists ------------------------------------------------

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


def _words_key(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


def _mark_title_copy(texts: list[str], out: list[str | None], title: str | None) -> None:
    """The headline repeated as the first lines of the body is a copy of the title, not text."""
    key = _words_key(title or "")
    if len(key) < 12:
        return
    body = [i for i, r in enumerate(out) if r is None]
    for i in body[:3]:
        if _words_key(texts[i]) == key and len(body) > 1:
            out[i] = REASON_METADATA


def _author_keys(authors: list[str]) -> list[str]:
    keys = []
    for author in authors:
        key = _words_key(re.sub(r"^(?:dr|prof|professor|mr|mrs|ms)\.?\s+", "", author.strip(), flags=_I))
        if len(key) >= 5 and " " in key:
            keys.append(key)
    return keys


def _mark_bios_and_signoffs(texts: list[str], out: list[str | None], authors: list[str]) -> None:
    """Author bios next to the byline or at the foot of the piece, their follow-on lines, sign-offs."""
    body_idx = [i for i, r in enumerate(out) if r is None]
    head, tail = body_idx[:3], body_idx[-3:]
    for i in sorted(set(head) | set(tail)):
        text = texts[i].strip()
        if _is_bio(text, authors) or (i in tail and len(text) < 400 and _EMAIL_BIO_RE.search(text)):
            out[i] = REASON_AUTHOR_BIO
    # A bio at the top often runs on for a line or two ("He has taught at ...").
    for i in head:
        if out[i] != REASON_AUTHOR_BIO:
            continue
        j = i + 1
        while j < len(texts) and j - i <= 3:
            if out[j] is None and len(texts[j].strip()) < 200 and _PRONOUN_START_RE.match(texts[j].strip()):
                out[j] = REASON_AUTHOR_BIO
                j += 1
                continue
            break
    # "Jane Doe, Ph.D." on its own line (mostly at the end, before the notes): the author signing off.
    keys = _author_keys(authors)
    for i in body_idx[3:]:
        text = texts[i].strip()
        if out[i] is not None or len(text) > 80:
            continue
        key = _words_key(text)
        for author in keys:
            if key.startswith(author) and set(key[len(author) :].split()) <= _DEGREE_WORDS:
                out[i] = REASON_METADATA
                break
    # "Source: Other Outlet" as the last line: where the piece came from.
    for i in tail[-2:]:
        if out[i] is None and _SOURCE_LINE_RE.match(texts[i].strip()):
            out[i] = REASON_REPUBLISHED


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


def _headline_like(text: str, strict: bool) -> bool:
    """A link label: one short line without a closing full stop; strict also wants Title Case."""
    text = text.strip()
    if not 8 <= len(text) <= 160 or _has_sentence_break(text, questions=not strict):
        return False
    if text[-1] in _TERMINAL_PUNCT and not _ABBREV_END_RE.search(text):
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


def _mark_link_lists(texts: list[str], out: list[str | None]) -> None:
    """Headline lists: the lines after a "Related"/"Read more" label, and a run of four or more
    Title Case headlines that ends the article (the site's list of its other stories)."""
    n = len(texts)
    i = 0
    while i < n:
        if (
            out[i] == REASON_NAVIGATION
            and len(texts[i].strip()) <= 200
            and not texts[i].startswith("Return to")
        ):
            j = i + 1
            while j < n and (out[j] is None or out[j] == REASON_NAVIGATION):
                if out[j] is None:
                    if not texts[j].strip():
                        j += 1
                        continue
                    if not _headline_like(texts[j], strict=False):
                        break
                    out[j] = REASON_NAVIGATION
                j += 1
            i = j
            continue
        i += 1
    # A trailing run of Title Case headlines with no label.
    end = n
    while end > 0 and (out[end - 1] is not None or not texts[end - 1].strip()):
        end -= 1
    start = end
    while start > 0 and out[start - 1] is None and _headline_like(texts[start - 1], strict=True):
        start -= 1
    if end - start >= 4:
        for k in range(start, end):
            out[k] = REASON_NAVIGATION


def _normal(text: str) -> str:
    return " ".join(_WORD_RE.findall(text.lower()))


def _mark_duplicates(texts: list[str], reasons: list[str | None]) -> None:
    """An earlier exact copy of later body text (one unit or a run of up to 6) is the repeat."""
    normals = [_normal(t) for t in texts]
    window = 12
    for i, norm in enumerate(normals):
        if reasons[i] is not None or len(norm) < DUPLICATE_MIN_CHARS:
            continue
        for j in range(i + 1, min(len(normals), i + 1 + window)):
            if reasons[j] is not None or not normals[j] or not norm.startswith(normals[j]):
                continue
            joined = normals[j]
            k = j
            while len(joined) < len(norm) and k + 1 < len(normals) and k - j < 6:
                k += 1
                joined = f"{joined} {normals[k]}"
            if joined == norm:
                reasons[i] = REASON_DUPLICATE
                break


def classify(
    texts: list[str],
    reasons: list[str | None],
    link_chars: list[int],
    *,
    authors: list[str] | None = None,
    fmt: str = "text",
    title: str | None = None,
) -> list[str | None]:
    """Reasons for every unit (None = body); units that already have a reason keep it."""
    authors = authors or []
    out = list(reasons)
    fixed = [r is not None for r in reasons]
    for i, text in enumerate(texts):
        if out[i] is None:
            out[i] = rule_reason(text)
    _mark_title_copy(texts, out, title)
    _mark_bios_and_signoffs(texts, out, authors)
    _mark_link_lists(texts, out)
    # Global Research footer: from the first original-source/copyright line on, it is all site text.
    if fmt == "globalresearch":
        start = next((i for i, r in enumerate(out) if r in (REASON_ORIGINAL_SOURCE, REASON_COPYRIGHT)), None)
        if start is not None:
            for i in range(start, len(out)):
                if out[i] is None:
                    out[i] = REASON_FOOTER
    _mark_duplicates(texts, out)
    # jusText-style smoothing over units the rules left open.
    classes = []
    for i, text in enumerate(texts):
        if fixed[i] and not text.strip() or out[i] in _NEUTRAL_REASONS:
            classes.append("skip")
        elif out[i] is not None:
            classes.append("bad")
        else:
            classes.append(_heuristic_class(text, link_chars[i]))
    for i, cls in enumerate(classes):
        if cls == "bad" and out[i] is None:
            out[i] = REASON_LOW_CONTENT
    left = _anchors(classes, range(len(classes)))
    right = _anchors(classes, range(len(classes) - 1, -1, -1))
    for i, cls in enumerate(classes):
        if cls != "short" or out[i] is not None:
            continue
        (lcls, lpos), (rcls, rpos) = left[i], right[i]
        sides = (lcls, rcls)
        is_sentence = bool(_SENTENCE_END_RE.search(texts[i].strip()))
        # A short sentence goes only inside a form or poll (boilerplate on both sides, one of
        # them a form, poll or prompt); a fragment (label, headline, list of names) also goes
        # when it sits between boilerplate and the edge of the article.
        if is_sentence:
            if sides == ("bad", "bad") and (out[lpos] in _FORM_REASONS or out[rpos] in _FORM_REASONS):
                out[i] = REASON_LOW_CONTENT
        elif "good" not in sides and "bad" in sides:
            out[i] = REASON_LOW_CONTENT
    return out


def _anchors(classes: list[str], order: range) -> list[tuple[str, int]]:
    """For each unit, the class and position of the nearest good/bad unit before it in `order`
    (("edge", -1) if none)."""
    out: list[tuple[str, int]] = [("edge", -1)] * len(classes)
    last: tuple[str, int] = ("edge", -1)
    for i in order:
        out[i] = last
        if classes[i] in ("good", "bad"):
            last = (classes[i], i)
    return out


# ---- fingerprints and site repetition -------------------------------------------------------

_URL_RE = re.compile(r"\(?https?://\S+|\bwww\.\S+")


_DIGIT_RE = re.compile(r"\d")
_NOT_WORD_RE = re.compile(r"[^\w\s]|_")


def normalise_for_fingerprint(text: str) -> str:
    """CCNet-style: lowercase, digits -> 0, no punctuation or link targets, single spaces."""
    text = _URL_RE.sub(" ", text)
    if not text.isascii():  # NFKC changes nothing in ASCII text, and it is the costly step
        text = unicodedata.normalize("NFKC", text)
    text = _DIGIT_RE.sub("0", text.lower())
    text = _NOT_WORD_RE.sub(" ", text)  # keep what str.isalnum() or str.isspace() accepts
    return " ".join(text.split())


def fingerprint(text: str) -> str:
    norm = normalise_for_fingerprint(text)
    if not norm:
        return ""
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:16]


SHORT_REPEAT_CHARS = 300
LONG_REPEAT_CHARS = 3000


def repetition_threshold(site_articles: int) -> int:
    """Distinct articles of a site a block must appear in: 3, a little more on very large sites."""
    return max(3, min(10, math.ceil(0.02 * site_articles)))


def apply_site_repetition(blocks: list[Block], counts: Mapping[str, int], site_articles: int) -> list[Block]:
    """New blocks where body text repeated across many articles of the site becomes boilerplate.

    Short blocks (<= 300 chars, at least two words) need `repetition_threshold` articles; longer
    ones (<= 3000 chars) must also recur in 30% of the site's articles; longer
    paragraphs never go, so a quotation shared by a few articles stays in each of them.
    """
    threshold = repetition_threshold(site_articles)
    out: list[Block] = []
    for block in blocks:
        new = Block(
            text=block.text, runs=list(block.runs), reason=block.reason, fingerprint=block.fingerprint
        )
        n = counts.get(block.fingerprint, 0) if block.fingerprint else 0
        if block.reason is None and n >= threshold and _repeat_eligible(block.text, n, site_articles):
            new.reason = repeated_reason(n)
        out.append(new)
    return out


def _repeat_eligible(text: str, count: int, site_articles: int) -> bool:
    size = len(text.strip())
    norm = normalise_for_fingerprint(text)
    if len(norm.split()) < 2 and size < 15:
        return False
    if size <= SHORT_REPEAT_CHARS:
        return True
    if size <= LONG_REPEAT_CHARS:
        # A whole paragraph shared by a third of the site's articles is injected, not reported.
        return count >= 3 and count >= 0.3 * site_articles
    return False


def site_key(meta: Metadata, origin: Origin) -> str:
    """What groups articles for repetition: the site, else the data-set file or the folder."""
    if meta.site and meta.site.strip():
        return "site:" + " ".join(meta.site.lower().split())
    path = PurePath(origin.path)
    if origin.record is not None:
        return f"file:{path}"
    return f"folder:{path.parent}"


__all__ = [
    "REASON_CAPTION",
    "REASON_CONTACT",
    "REASON_FOOTER",
    "REASON_METADATA",
    "apply_site_repetition",
    "classify",
    "fingerprint",
    "normalise_for_fingerprint",
    "repetition_threshold",
    "rule_reason",
    "site_key",
]
