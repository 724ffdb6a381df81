"""Global Research scrapes: the seed exactly as issue 2 states, and fixtures with the variations."""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_dir
from parsing_helpers import as_article, check_runs, title_span, uncovered

from library.cleaning.parsers import detect_format, parse_document
from library.model import REASON_METADATA, Origin

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"


def parse_fixture(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_document(text, Origin(str(FIXTURES / name)))


def test_seed_comes_out_as_stated():
    path = corpus_dir("seed") / "000_06f29f9339602858.txt"
    text = path.read_text(encoding="utf-8")
    assert detect_format(text) == "globalresearch"
    parsed = parse_document(text, Origin(str(path)))
    meta = parsed.meta
    assert meta.title == "Video: ISIS Terrorists Rapidly Losing Ground in Eastern Aleppo"
    assert meta.authors == ["South Front"]
    assert meta.published == "2017-05-23"
    assert meta.region == ["Middle East & North Africa"]
    assert meta.themes == ["Terrorism", "US NATO War Agenda"]
    assert meta.in_depth_report == "SYRIA"
    assert meta.original_source == "South Front"
    body = [b for b in parsed.blocks if b.is_body]
    assert len(body) == 11
    assert body[0].text.startswith("The Syrian Arab Army (SAA) Tiger Forces")
    assert body[-1].text.endswith("to Idlib province.")
    assert any("the reports still have to be confirmed by some evidence." in b.text for b in body)
    # Every footer block from the donation appeal to "For media inquiries" is boilerplate with a reason.
    texts = [b.text for b in parsed.blocks]
    start = next(i for i, t in enumerate(texts) if t.startswith("If you're able"))
    end = next(i for i, t in enumerate(texts) if t.startswith("For media inquiries"))
    assert end == len(texts) - 1
    for block in parsed.blocks[start : end + 1]:
        assert block.reason, block.text
    header = [b for b in parsed.blocks[:6]]
    assert all(b.reason == REASON_METADATA for b in header)
    check_runs(parsed)
    assert uncovered(parsed, title_span(parsed)) == ""
    assert all(b.fingerprint for b in parsed.blocks)


def test_seed_offsets_round_trip():
    path = corpus_dir("seed") / "000_06f29f9339602858.txt"
    text = path.read_text(encoding="utf-8")
    article = as_article(parse_document(text, Origin(str(path))))
    phrase = "confirmed by some evidence."
    s = text.index(phrase)
    clean = article.source_to_body(s, s + len(phrase))
    assert clean is not None
    assert article.body[clean[0] : clean[1]] == phrase
    assert article.body_to_source(*clean) == (s, s + len(phrase))


def test_variations_several_authors_themes_no_region_notes_and_footer():
    parsed = parse_fixture("gr_variations.txt")
    meta = parsed.meta
    assert parsed.format == "globalresearch"
    assert meta.authors == ["Jane Doe", "Richard Roe"]
    assert meta.published == "2009-03-03"
    assert meta.region == []
    assert meta.themes == ["Militarization and WMD", "Global Economy", "US NATO War Agenda"]
    assert meta.in_depth_report is None
    assert meta.original_source == "Strategic Culture Foundation"
    assert meta.copyright and "2009" in meta.copyright
    reasons = {b.text.split(":")[0].split(" ")[0]: b.reason for b in parsed.blocks}
    assert reasons["Note"] == "note to readers"
    assert reasons["Featured"] == "image caption"
    body = [b.text for b in parsed.blocks if b.is_body]
    assert body == [
        "The defence budget request sent to Congress on Monday is the largest since the end of the Second World War,"
        " according to figures the committee released.",
        "Officials said the request, which still has to be approved by both chambers, would fund new procurement"
        " programmes over the next five years.",
        "The strike may have killed 23 people, according to local reports.",
    ]
    bp = {b.text: b.reason for b in parsed.blocks if not b.is_body}
    assert (
        bp["This article was originally published on Strategic Culture Foundation."] == "republication notice"
    )
    assert any(r == "donation appeal" for r in bp.values())
    check_runs(parsed)
    assert uncovered(parsed, title_span(parsed)) == ""


def test_minimal_page_day_first_date_real_links_kept():
    parsed = parse_fixture("gr_minimal.txt")
    meta = parsed.meta
    assert meta.authors == ["A. Writer"]
    assert meta.published == "2003-06-05"
    assert meta.region == [] and meta.themes == []
    assert meta.original_source == "Global Research"
    body = [b.text for b in parsed.blocks if b.is_body]
    assert (
        body[0] == "The report was published on the ministry website (http://example.org/report) on Friday."
    )
    assert [b.reason for b in parsed.blocks if not b.is_body][-2:] == [
        "donation appeal",
        "original source notice",
    ]
    check_runs(parsed)


def test_detect_format():
    assert detect_format((FIXTURES / "gr_variations.txt").read_text()) == "globalresearch"
    assert detect_format((FIXTURES / "bibp_like.md").read_text()) == "markdown"
    assert detect_format((FIXTURES / "ptc_like.txt").read_text()) == "text"
    assert detect_format("Just a title\n\nBy the river we sat.\n") == "text"
