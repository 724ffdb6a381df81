"""The phrase rule table: prose boilerplate that length and stop-word density cannot catch.

Each rule is anchored or length-limited so a sentence of real reporting that merely mentions a
donation or an e-mail stays in the body. A rule's regex runs only when the unit holds a word the
regex cannot match without (`library.cleaning.regex_literals`), or, for a rule anchored at the
start, as part of one regex of the rules that can start with the unit's first character
(`_Rules`); either way the verdict is the table's, first rule first (`rule_reason_in_order`).

Why one module of ~670 lines: most of it is the table itself (one entry per rule, with its
reason), and the dispatch that runs it must stay next to the table it reads.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from library.cleaning.regex_literals import _c, _parse, cheap_guard, first_chars, fold, required_literals
from library.model import (
    REASON_AUTHOR_BIO,
    REASON_CAPTION,
    REASON_CONTACT,
    REASON_COPYRIGHT,
    REASON_DISCLAIMER,
    REASON_DONATION,
    REASON_FAIR_USE,
    REASON_FORM,
    REASON_METADATA,
    REASON_NAVIGATION,
    REASON_ORIGINAL_SOURCE,
    REASON_READER_NOTE,
    REASON_REPUBLISHED,
    REASON_SOCIAL,
)

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


Entry = tuple[int, str, re.Pattern[str], int, tuple[str, ...]]  # index, reason, pattern, max length, needles


class _Rules:
    """The rule table arranged to be tried fast, with the verdict the table gives.

    The rules anchored at the unit's start become one regex of alternatives, a named group per
    rule in table order: at position 0 the engine tries them in that order, so the group that
    matches names the first anchored rule that matches (if the unit is too long for it, the
    anchored rules after it are tried one by one). There is one such regex per ASCII first
    character and tier of unit length (`_TIERS`), of only the rules that can start with it and
    allow a unit longer than the tier's bound. Only the unanchored rules before the
    one found, each behind its needle test and grouped by length limit, can still come first;
    they are tried in order.
    """

    def __init__(self) -> None:
        entries: list[Entry] = [
            (k, reason, pattern, max_len, tuple(sorted(required_literals(pattern) or ())))
            for k, (reason, pattern, max_len) in enumerate(RULES)
        ]
        # An anchored rule that can start with any letter (`^\W*(?:\w+\s+){0,3}originally`)
        # would be tried on every unit: it stays behind its needles with the unanchored rules.
        anchored = [
            e for e in entries if _cheap_anchored(e[2]) and not (first_chars(e[2]) or _LETTERS) >= _LETTERS
        ]
        everything = _Group(anchored)
        if everything.combined is None:  # cannot be combined: every rule is tried in order
            anchored, everything = [], _Group([])
        self.everything = everything
        chosen = {e[0] for e in anchored}
        # Per tier of unit length, the anchored rules that allow a unit longer than the tier's
        # lower bound (most allow a short line only: a paragraph skips them inside the regex
        # too), and per ASCII first character only those that can match a unit starting with it.
        firsts = {e[0]: first_chars(e[2]) for e in anchored}  # none is None: see above
        groups: dict[tuple[int, ...], _Group] = {tuple(e[0] for e in anchored): everything}
        self.by_tier: list[tuple[dict[str, _Group], _Group]] = []
        for low in (0, *_TIERS):
            allowed = [e for e in anchored if e[3] > low]
            tier_all = self._group(groups, allowed)
            by_first: dict[str, _Group] = {}
            for code in range(128):
                char = chr(code)
                by_first[char] = self._group(
                    groups, [e for e in allowed if (first := firsts[e[0]]) is None or char in first]
                )
            self.by_tier.append((by_first, tier_all))
        self.limits = sorted({e[3] for e in entries})
        # Per unanchored rule, a set of strings far cheaper to test than its needles, also
        # required (`cheap_guard`: "|", "/" or "via" before the eighteen agency names), or ().
        guards = {e[0]: tuple(sorted(cheap_guard(e[2]) or ())) for e in entries if e[0] not in chosen}
        self.unanchored = [
            [(*e, guards[e[0]]) for e in entries if e[0] not in chosen and e[3] >= limit]
            for limit in self.limits
        ]

    @staticmethod
    def _group(groups: dict[tuple[int, ...], _Group], entries: list[Entry]) -> _Group:
        """The group of `entries`, made once for every tier and character that has them."""
        key = tuple(e[0] for e in entries)
        if key not in groups:
            groups[key] = _Group(entries)
        return groups[key]

    def reason(self, stripped: str) -> str | None:
        n = len(stripped)
        index = bisect_left(self.limits, n)
        if index == len(self.limits):
            return None  # longer than every rule allows
        first, found = len(RULES), None
        by_first, tier_all = self.by_tier[bisect_left(_TIERS, n)]
        group = by_first.get(stripped[:1], tier_all)
        m = group.combined.match(stripped) if group.combined is not None else None
        if m is not None:
            start = group.position[m.lastgroup or ""]
            for k, reason, pattern, max_len, _ in group.entries[start:]:
                if n <= max_len and (k == group.entries[start][0] or pattern.match(stripped)):
                    first, found = k, reason
                    break
        folded: str | None = None
        for k, reason, pattern, _, needles, guard in self.unanchored[index]:
            if k > first:
                break
            if needles:
                if folded is None:
                    folded = (
                        stripped.lower() if stripped.isascii() else fold(stripped)
                    )  # fold maps only non-ASCII
                if guard:
                    for needle in guard:
                        if needle in folded:
                            break
                    else:
                        continue  # a cheaper set of which the pattern needs one is missing
                for needle in needles:
                    if needle in folded:
                        break
                else:
                    continue  # a word the pattern cannot match without is missing
            if pattern.search(stripped):
                return reason
        return found


# Lower bounds of the unit-length tiers of the anchored rules (a unit of n characters is in the
# tier of the greatest bound below n, or the first, bound 0). Each tier compiles its own groups
# once a process (before the pool forks): two bounds cost about 18 ms there and save about
# 2% of an article's cleaning; (300,) saves 1.4% for 7 ms, four bounds 2.2% for 40 ms.
_TIERS = (200, 400)


class _Group:
    """Anchored rules (in table order) as one regex of named alternatives."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.position = {f"r{e[0]}": i for i, e in enumerate(entries)}
        self.combined = _combine([(f"r{e[0]}", e[2]) for e in entries])


_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _cheap_anchored(pattern: re.Pattern[str]) -> bool:
    """Whether every match of `pattern` starts at the start of the text (a leading `^`, in
    every top-level alternative), so that `search` and `match` agree, and the pattern fails
    fast there: a leading lookahead (the donation rule's) reads the whole unit, so such a rule
    stays behind its needle test."""
    try:
        items = list(_parse.parse(pattern.pattern, pattern.flags))
    except Exception:  # noqa: BLE001 - unreadable: treated as unanchored, tried on its own
        return False
    if not items:
        return False
    op, av = items[0]
    if op is _c.AT:
        return bool(av is _c.AT_BEGINNING) and not (len(items) > 1 and items[1][0] is _c.ASSERT)
    if len(items) == 1 and op is _c.BRANCH:
        return all(
            len(b) > 1 and b[0][0] is _c.AT and b[0][1] is _c.AT_BEGINNING and b[1][0] is not _c.ASSERT
            for b in av[1]
        )
    return False


_SCOPED = {re.IGNORECASE: "i", re.DOTALL: "s", re.MULTILINE: "m", re.VERBOSE: "x"}


def _combine(named: list[tuple[str, re.Pattern[str]]]) -> re.Pattern[str] | None:
    """One regex trying each pattern in turn (its flags scoped to it), or None if it cannot."""
    if not named:
        return None
    parts = []
    for name, pattern in named:
        flags = pattern.flags & ~re.UNICODE
        letters = "".join(letter for flag, letter in _SCOPED.items() if flags & flag)
        if flags & ~sum(_SCOPED) or pattern.groupindex:
            return None  # a flag that cannot be scoped, or named groups that could clash
        parts.append(
            f"(?P<{name}>(?{letters}:{pattern.pattern}))" if letters else f"(?P<{name}>{pattern.pattern})"
        )
    try:
        return re.compile("|".join(parts))
    except re.error:
        return None


_TABLE: list[_Rules] = []  # built on first use


def rule_reason(text: str) -> str | None:
    """The reason of the first phrase rule that matches the unit, or None.

    Each rule's regex runs only if the unit contains one of the words it cannot match without
    (`library.cleaning.regex_literals`), and the rules anchored at the start run as one regex
    (`_Rules`). The rules are kept grouped by length limit, so a long paragraph is not tested
    against the rules for short lines at all, and verdicts are remembered: a site's footer
    lines recur in every article."""
    return _rule_reason(text)


@lru_cache(maxsize=4096)
def _rule_reason(text: str) -> str | None:
    if not _TABLE:
        _TABLE.append(_Rules())
    return _TABLE[0].reason(text.strip())


def rule_reason_in_order(text: str) -> str | None:
    """`rule_reason` as the table reads: every rule in turn (the reference the tests compare with)."""
    stripped = text.strip()
    for reason, pattern, max_len in RULES:
        if len(stripped) <= max_len and pattern.search(stripped):
            return reason
    return None
