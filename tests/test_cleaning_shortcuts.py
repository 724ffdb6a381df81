"""Cheap tests put in front of costly ones in cleaning give the verdicts of the code without them.

Each shortcut (a head compare before whole normal forms, a last name looked for before the bio
regex, a needle test before a search, a first-character test before a split) is compared with
the straightforward code it replaced, on generated text that mixes what the tests react to:
names, labels, repeated paragraphs, ASCII and other characters. The whole-corpus check is
`python -m bench.parse_hash` (see tests/test_cleaning_equivalence.py).
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from library.cleaning import metadata, paragraphs
from library.cleaning.boilerplate import detectors, heuristics, signals, site_model
from library.cleaning.boilerplate.signals import _BIO_WORDS_RE, _normal, _words_key
from library.cleaning.metadata import append_clean
from library.cleaning.parsers import blocks, globalresearch, gr_header, markdown
from library.cleaning.regex_literals import fold
from library.core.records import block_json, packed_block, packed_block_of, word_count
from library.model import REASON_DUPLICATE, REASON_METADATA, Block
from library.textmap import TextBuilder, make_run

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

WORDS = st.sampled_from(
    "the army said Miller Jane Omar Haddad Fernández Lucía is was writes professor author "
    "Dr. Prof. contact follow reach me podcast: download our app copy Region Theme In-depth "
    "Report region: themes: [Europe](#) [a](http://x.y) # > Source: İstanbul ſ K Σ café 2020 "
    "— , . ! ? ( ) | / ’ “".split()
)
PIECE = st.lists(WORDS, min_size=0, max_size=14).map(" ".join)
SPACING = st.sampled_from([" ", "  ", "\n", ", ", "! ", " - ", "\t"])
REASONS = st.sampled_from([None, None, None, REASON_METADATA])


def plain_mark_duplicates(texts: list[str], reasons: list[str | None]) -> None:
    normals = [_normal(t) for t in texts]
    for i, norm in enumerate(normals):
        if reasons[i] is not None or len(norm) < heuristics.DUPLICATE_MIN_CHARS:
            continue
        for j in range(i + 1, min(len(normals), i + 13)):
            if reasons[j] is not None or not normals[j] or not norm.startswith(normals[j]):
                continue
            joined, k = normals[j], j
            while len(joined) < len(norm) and k + 1 < len(normals) and k - j < 6:
                k += 1
                joined = f"{joined} {normals[k]}"
            if joined == norm:
                reasons[i] = REASON_DUPLICATE
                break


@st.composite
def units_with_copies(draw: st.DrawFn) -> tuple[list[str], list[str | None]]:
    """Units where some earlier unit is (or nearly is) a later one or a run of later ones."""
    units = draw(st.lists(PIECE, min_size=1, max_size=10))
    for _ in range(draw(st.integers(0, 3))):
        j = draw(st.integers(0, len(units) - 1))
        k = draw(st.integers(j, min(len(units) - 1, j + 6)))
        copy = draw(SPACING).join(units[j : k + 1])
        if draw(st.booleans()):
            copy += draw(st.sampled_from(["", ".", " more", "!!", " x"]))
        units.insert(draw(st.integers(0, j)), copy)
    return units, [draw(REASONS) for _ in units]


@SETTINGS
@given(units_with_copies())
def test_duplicates_equal_comparing_whole_normal_forms(case: tuple[list[str], list[str | None]]) -> None:
    texts, reasons = case
    fast, plain = list(reasons), list(reasons)
    heuristics._mark_duplicates(texts, fast)
    plain_mark_duplicates(texts, plain)
    assert fast == plain


@SETTINGS
@given(units_with_copies(), st.integers(0, 3))
def test_title_copies_equal_comparing_whole_keys(case: tuple[list[str], list[str | None]], at: int) -> None:
    texts, reasons = case
    title = texts[min(at, len(texts) - 1)] + " "
    fast = list(reasons)
    heuristics._mark_title_copy(texts, fast, title)
    plain = list(reasons)
    key = _words_key(title)
    if len(key) >= 12:
        body = [i for i, r in enumerate(plain) if r is None]
        for i in body[:3]:
            if _words_key(texts[i]) == key and len(body) > 1:
                plain[i] = REASON_METADATA
    assert fast == plain


def plain_is_bio(text: str, authors: list[str]) -> bool:
    m = heuristics._BIO_START_RE.match(text.strip())
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


AUTHORS = st.lists(
    st.sampled_from(
        ["Jane Miller", "Omar Haddad", "Lucía Fernández", "Prof. Al", "Dr. Mei Lin", "SOUTH FRONT"]
    ),
    max_size=3,
)


@SETTINGS
@given(
    PIECE,
    AUTHORS,
    st.sampled_from(
        [
            "",
            "Dr. ",
            "Jane Miller ",
            "Omar HADDAD, ",
            "Fernández ",
            "Jane Miller is a writer ",
            "Lucía Fernández was ",
        ]
    ),
)
def test_bios_equal_the_regex_first(text: str, authors: list[str], start: str) -> None:
    line = start + text
    assert heuristics._is_bio(line, authors) == plain_is_bio(line, authors)


@SETTINGS
@given(PIECE, st.sampled_from(["", "Region: ", "themes : ", "In-depth Report:", " Region:", "x Theme:"]))
def test_topic_lines_equal_the_label_search(text: str, start: str) -> None:
    line = start + text
    starts = [m.start() for m in gr_header._LABEL_RE.finditer(line)]
    if not starts or starts[0] != 0:
        assert gr_header.topic_segments(line) is None
    else:
        assert gr_header.topic_segments(line) is not None


@SETTINGS
@given(PIECE)
def test_contact_and_promotion_needles_are_in_every_match(text: str) -> None:
    for pattern, needles in (
        (detectors._CONTACT_RE, detectors._CONTACT_NEEDLES),
        (detectors._PROMO_RE, detectors._PROMO_NEEDLES),
    ):
        if pattern.search(text):
            assert detectors._holds(fold(text), needles), text


@SETTINGS
@given(st.sampled_from(["", "\n", " \n\t", "\ufeff"]), PIECE, PIECE)
def test_markdown_sniff_equals_reading_the_lines(lead: str, first: str, rest: str) -> None:
    text = f"{lead}{first}\n> Source: http://x\n{rest}"
    lines = [ln.strip() for ln in text[:3000].splitlines() if ln.strip()][:8]
    plain = (
        bool(lines)
        and bool(markdown.TITLE_RE.match(lines[0]))
        and any(markdown.SOURCE_RE.match(ln) for ln in lines[1:])
    )
    assert markdown.looks_like(text) == plain


@SETTINGS
@given(st.lists(PIECE, min_size=1, max_size=3), st.integers(0, 2))
def test_one_line_units_equal_the_builder(lines: list[str], pick: int) -> None:
    source = "\n".join(lines)
    spans, pos = [], 0
    for line in lines:
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    span = [spans[min(pick, len(spans) - 1)]]
    builder = TextBuilder()
    links = append_clean(builder, source, *span[0])
    assert blocks.build_text(source, span) == (builder.text(), builder.runs(), links)


ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=80)


@SETTINGS
@given(st.one_of(ASCII_TEXT, PIECE, st.lists(SPACING, max_size=6).map("".join)))
def test_collapsed_spaces_equal_split_and_join(text: str) -> None:
    """The fingerprint's and the word key's ASCII forms collapse spaces by one regex pass;
    joining the split words is the plain way (every whitespace character included)."""
    if not text.isascii():
        return
    data = text.encode("ascii")
    assert site_model._ascii_normal(text) == b" ".join(data.translate(site_model._ASCII_TABLE).split())
    assert _words_key(text) == b" ".join(data.translate(signals._WORD_TABLE).split()).decode("ascii")
    assert _words_key(text) == " ".join(re.findall(r"[\w'’-]+", text.lower()))


ANY_SPACING = st.sampled_from(
    [" ", "  ", "\n", "\n\n", "\t", "\x1c", "\x1f", "\x0b", "\x85", "\u00a0", "\u2003", ""]
)


@SETTINGS
@given(st.lists(st.one_of(PIECE, ASCII_TEXT, ANY_SPACING), max_size=8).map("".join))
def test_word_count_equals_split(text: str) -> None:
    """The catalogue's word count (word starts in a translated copy for ASCII) is the split's."""
    assert word_count(text) == len(text.split())


@SETTINGS
@given(st.one_of(PIECE, ASCII_TEXT, st.lists(st.one_of(PIECE, ANY_SPACING), max_size=5).map("".join)))
def test_split_once_says_two_words_like_a_whole_split(text: str) -> None:
    """`continues_sentence` asks whether a line has two words with a split that stops early."""
    assert (len(text.split(None, 1)) >= 2) == (len(text.split()) >= 2)


@SETTINGS
@given(PIECE, PIECE, st.booleans())
def test_continues_sentence_equals_the_plain_reading(prev: str, nxt: str, lenient: bool) -> None:
    """The last word is worked out only where it is read: same verdicts as reading it first."""
    assert paragraphs.continues_sentence(prev, nxt, lenient) == plain_continues_sentence(prev, nxt, lenient)


def plain_continues_sentence(prev: str, nxt: str, lenient: bool = False) -> bool:
    """`paragraphs.continues_sentence` as it read before its shortcuts."""
    p = paragraphs
    if not prev or not nxt or p.is_list_item(prev):
        return False
    if p.ends_sentence(prev):
        return False
    dash_start = nxt.lstrip()[:1] in ("—", "–")
    if p.is_list_item(nxt) and not (lenient and dash_start):
        return False
    pv = p.visible(prev).rstrip()
    first = p.first_visible_char(nxt)
    if not first:
        return False
    last_word = re.sub(r"[^\w]", "", pv.rsplit(" ", 1)[-1]).lower()
    if first.islower():
        if lenient and len(pv.split()) >= 2:
            return True
        return len(pv) >= 25 or pv.endswith((",", ";", "-", "–", "—"))
    if lenient:
        if p._URLISH_RE.search(pv.rsplit(" ", 1)[-1]):
            return False
        if (first in "—–-(" or not first.isalpha()) and len(pv) >= 25 and pv[-1].isalnum():
            return True
        if last_word in p._FUNCTION_WORDS and len(pv) >= 15:
            return True
        if len(pv) >= 60 and (pv[-1].isalnum() or pv.endswith((",", ";"))):
            return True
    return len(pv) >= 40 and (last_word in p._FUNCTION_WORDS or pv.endswith((",", ";")))


LINE_STARTS = st.sampled_from(
    [
        "",
        " ",
        "\t",
        "- ",
        "* ",
        "• ",
        "– ",
        "1. ",
        "12) ",
        "(3) ",
        "[4]",
        "## ",
        "> ",
        "١. ",
        "The ",
        "the ",
        "Url of this article: ",
        "URL ",
        "Copyright ",
        "© ",
        "copyright ",
        "İ",
        "ſ",
        "K",
        "x",
        "~",
        "(",
        "[",
    ]
)


@SETTINGS
@given(LINE_STARTS, PIECE)
def test_list_item_first_character_equals_the_regex(start: str, rest: str) -> None:
    """A line whose first character no list item starts with is told apart without the regex."""
    line = start + rest
    assert paragraphs.is_list_item(line) == bool(paragraphs._LIST_START_RE.match(line.lstrip()))


@SETTINGS
@given(LINE_STARTS, PIECE)
def test_footer_notices_start_with_a_first_character(start: str, rest: str) -> None:
    """The footer reads a line only when its first character can start one of its notices."""
    line = (start + rest).strip()
    first = line[:1]
    if first.isascii() and first not in globalresearch._FOOTER_FIRSTS:
        for pattern in (gr_header.URL_LABEL_RE, globalresearch.ORIGINAL_RE, globalresearch.COPYRIGHT_RE):
            assert not pattern.match(line)


@st.composite
def blocks_over_a_source(draw: st.DrawFn) -> tuple[Block, str]:
    """A block whose runs are mostly true slices of the source (one run of the whole text, or
    several with glue between them), sometimes off by a character or out of range."""
    source = draw(st.text(alphabet="ab [](#)\n", max_size=40))
    text, runs = "", []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(source) + 2))
        length = draw(st.integers(0, 8))
        glue = draw(st.sampled_from(["", "", " ", "\n\n"]))
        piece = source[start : start + length]
        if draw(st.integers(0, 9)) == 0:
            piece = piece[:-1] + "z"  # not the source's text
        text += glue
        runs.append(make_run(len(text) + draw(st.sampled_from([0, 0, 0, -1])), start, length))
        text += piece
    text += draw(st.sampled_from(["", "", " tail"]))
    return Block(text, runs, draw(st.sampled_from([None, "caption"])), "f"), source


@SETTINGS
@given(blocks_over_a_source())
def test_packed_block_of_equals_packing_the_json(case: tuple[Block, str]) -> None:
    """The stored form's packed block, made at once, is the packed block of its JSON."""
    block, source = case
    assert packed_block_of(block, source) == packed_block(block_json(block), source)
    one = Block(source[1:], [make_run(0, 1, len(source) - 1)] if len(source) > 1 else [], None, "")
    assert packed_block_of(one, source) == packed_block(block_json(one), source)


HEADER_LINES = st.sampled_from(
    [
        "By [Jane Miller](#)",
        "By Jane Miller",
        "Global Research, November 13, 2023",
        "www.globalresearch.ca 18 March 2005",
        "Example News, May 2, 2017",
        "[Global Research](#), May 2, 2017",
        "Region: [Europe](#)",
        "Theme:",
        "In-depth Report: [Syria](#)",
        "Url of this article:",
        "GLOBAL RESEARCH",
        "",
        "  ",
    ]
)


def plain_looks_like(text: str) -> bool:
    """`globalresearch.looks_like` as it read before its lines were read lazily."""
    g = globalresearch
    lines = [ln.strip() for ln in text[:4000].splitlines() if ln.strip()][:14]
    score = 0
    for line in lines:
        plain = g.strip_links(line)
        if (
            g.BY_RE.match(line)
            and "](" in line
            or any(p.match(line) for p in (g.REGION_RE, g.THEME_RE, g.REPORT_RE))
            and ("](" in line or not line.endswith(":"))
        ):
            score += 1
        elif (found := g.find_date_line(plain) or g.find_domain_date_line(plain)) is not None:
            score += 2 if g.is_gr_site(found[0]) else 1
        elif g.URL_LABEL_RE.match(plain) or g.is_banner(line):
            score += 1
        if score >= 2:
            return True
    return False


@SETTINGS
@given(st.lists(st.one_of(HEADER_LINES, PIECE), max_size=20))
def test_gr_sniff_equals_reading_every_line(lines: list[str]) -> None:
    text = "\n".join(lines)
    assert globalresearch.looks_like(text) == plain_looks_like(text)


@SETTINGS
@given(
    st.lists(
        st.tuples(st.sampled_from(["", "The army", "The army said ", "the ARMY said, ", "Σ ", "a"]), PIECE),
        min_size=1,
        max_size=12,
    ),
    st.lists(REASONS, min_size=12, max_size=12),
)
def test_duplicates_grouped_by_head_key_equal_comparing_every_pair(
    parts: list[tuple[str, str]], reasons: list[str | None]
) -> None:
    """Units whose heads share their first characters (or are shorter than the key, or not
    ASCII) are still compared with every unit in the window."""
    texts = [head + rest for head, rest in parts]
    texts += [texts[0] + " " + t for t in texts[1:3]] + texts[:2]
    fast = reasons[: len(texts)] + [None] * max(0, len(texts) - 12)
    plain = list(fast)
    heuristics._mark_duplicates(texts, fast)
    plain_mark_duplicates(texts, plain)
    assert fast == plain


ENDINGS = st.sampled_from(
    ["", ".", " U.S.", " U.S.A.", "A.B.", " a.B.", " Corp.", "Corp.", "xCo.", " Jr.", " St.\n", "?"]
)
PROMO_BITS = st.sampled_from(
    [
        "Podcast:",
        "listen to our daily podcast",
        "Download our app",
        "join our Telegram channel",
        "joining our community",
        "Check out more of our",
        "check out all the",
        "buy a copy",
        "İ",
        "ſ",
        "K",
    ]
)


@SETTINGS
@given(st.lists(st.one_of(PIECE, PROMO_BITS), max_size=4).map(" ".join), ENDINGS)
def test_split_searches_equal_the_whole_patterns(text: str, ending: str) -> None:
    """The abbreviation test searched near the end, and the promotion pattern as its anchored
    and unanchored halves, say what the whole searches say."""
    line = text + ending
    assert signals._abbreviation_end(line) == bool(signals._ABBREV_END_RE.search(line))
    t = line.strip()
    folded = fold(t)
    halves = bool(
        detectors._PROMO_AT_START_RE.match(t)
        or detectors._holds(folded, detectors._PROMO_ANYWHERE_NEEDLES)
        and detectors._PROMO_ANYWHERE_RE.search(t)
    )
    assert halves == bool(detectors._PROMO_RE.search(t))


@SETTINGS
@given(
    st.lists(
        st.one_of(
            PIECE, st.sampled_from(["-", " - ", " | ", "|", " / ", "•", " — ", "www.globalresearch.ca"])
        ),
        max_size=5,
    ).map("".join)
)
def test_banner_without_separators_equals_splitting(line: str) -> None:
    """A line with no separator mark is its one part, as the split would make it."""
    plain = metadata.strip_links(line).strip()
    parts = [p.strip() for p in gr_header._BANNER_SPLIT_RE.split(plain) if p.strip()]
    plain_verdict = (
        bool(plain)
        and len(plain) <= 160
        and bool(parts)
        and all(gr_header._BANNER_PART_RE.match(p) for p in parts)
    )
    assert gr_header.is_banner(line) == plain_verdict


@SETTINGS
@given(
    st.sampled_from(
        ["", " ", "Notes", "notes:", "Sources", "[1] ", "12. ", "1) ", "ſources", "Bibliography", "x"]
    ),
    PIECE,
)
def test_notes_start_first_character_equals_the_regex(start: str, rest: str) -> None:
    text = start + rest
    assert detectors.is_notes_start(text) == bool(detectors._NOTES_RE.match(text.strip()))


def plain_line_spans(text: str) -> list[tuple[int, int]]:
    """`paragraphs.line_spans` of a whole text as it read before blank lines were taken at once."""
    spans, pos = [], 0
    if "\r" in text and "\r" in text.replace("\r\n", ""):
        lines = paragraphs._LINE_BREAK_RE.split(text)
        breaks = [len(m.group(0)) for m in paragraphs._LINE_BREAK_RE.finditer(text)] + [0]
    else:
        lines = text.split("\n")
        breaks = [1] * len(lines)
    for line, brk in zip(lines, breaks, strict=True):
        size = len(line)
        s = pos + size - len(line.lstrip())
        e = pos + len(line.rstrip())
        spans.append((s, e) if e > s else (s, s))
        pos += size + brk
    return spans


@SETTINGS
@given(
    st.lists(st.one_of(PIECE, st.sampled_from(["", " ", "\t", "\r", "\u2003"])), max_size=8),
    st.sampled_from(["\n", "\r\n", "\r", "\n\n"]),
)
def test_line_spans_equal_stripping_every_line(lines: list[str], end: str) -> None:
    text = end.join(lines)
    assert paragraphs.line_spans(text) == plain_line_spans(text)
