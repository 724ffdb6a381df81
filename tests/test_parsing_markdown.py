"""Markdown (bibp archive) articles: header variants, unwrapping, navigation, every real file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_dir
from parsing_helpers import check_runs, title_span, uncovered

from library.cleaning.parsers import parse_document
from library.model import REASON_METADATA, Origin

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"


def test_wrapped_title_run_together_byline_unwrapped_paragraphs():
    path = FIXTURES / "bibp_like.md"
    parsed = parse_document(path.read_text(encoding="utf-8"), Origin(str(path)))
    meta = parsed.meta
    assert parsed.format == "markdown"
    assert meta.title == "A Long Title That The Archive Wrapped Onto Two Lines Of The Markdown Header"
    assert meta.authors == ["Sam Example"]
    assert meta.published == "2014-11-14"
    assert meta.url == "https://example.net/archive/page.htm"
    assert meta.site == "GlobalResearch"
    reasons = [(b.reason, b.text[:20]) for b in parsed.blocks if not b.is_body]
    assert reasons[0][0] == REASON_METADATA
    assert ("author bio", "Sam Example is a wri") in reasons
    assert reasons[-1] == ("navigation", "Return to The Sectio")
    body = [b.text for b in parsed.blocks if b.is_body]
    assert body[0].startswith("The opening paragraph") and body[0].endswith("of the text.")
    assert body[1] == (
        "A second paragraph starts here and continues across the wrap boundary for a while before it ends on this"
        " shorter line."
    )
    assert body[-1].startswith("[1] First note") and body[-1].endswith("the next line.")
    check_runs(parsed)
    assert uncovered(parsed, title_span(parsed)) == ""


def test_crlf_file():
    path = FIXTURES / "bibp_crlf.md"
    parsed = parse_document(path.read_bytes().decode("utf-8"), Origin(str(path)))
    assert parsed.meta.title == "Title With CR"
    assert parsed.meta.published == "2013-05-05"
    assert [b.text for b in parsed.blocks if b.is_body] == ["One paragraph per line here.", "Another one."]
    assert all("\r" not in b.text for b in parsed.blocks)
    check_runs(parsed)


def _bibp_files():
    return sorted((corpus_dir("bibp-archive-globalresearch") / "articles").glob("*.md"))


def test_every_bibp_file():
    files = _bibp_files()
    assert len(files) >= 20
    for path in files:
        text = path.read_text(encoding="utf-8")
        parsed = parse_document(text, Origin(str(path)))
        meta = parsed.meta
        assert parsed.format == "markdown", path.name
        assert meta.title and "\r" not in meta.title, path.name
        assert meta.authors and all(len(a) < 60 for a in meta.authors), (path.name, meta.authors)
        assert meta.published and "2009" <= meta.published[:4] <= "2017", (path.name, meta.published)
        assert meta.url and meta.url.startswith("https://www.bibliotecapleyades.net/"), path.name
        check_runs(parsed)
        assert uncovered(parsed, title_span(parsed)) == "", path.name
        for block in parsed.blocks:
            if block.text.startswith("Return to ") and len(block.text) < 120:
                assert block.reason == "navigation", (path.name, block.text)
        # No body line lost: every source line after the header lies inside a body block or a reasoned block.
        assert all(b.reason is None or b.reason for b in parsed.blocks)
        # These files carry no site footer: only header lines, bios, navigation, repeats,
        # punctuation-only separators ("- - - - -") and bare source URLs under a chart may leave.
        allowed = {
            REASON_METADATA,
            "navigation",
            "author bio",
            "contact line",
            "repeated within the article",
            "separator",
            "bare URL",
        }
        for block in parsed.blocks:
            assert block.reason in allowed | {None}, (path.name, block.reason, block.text[:80])


@pytest.mark.parametrize("needle", ["by Shamus Cooke November 14, 2014 from GlobalResearch Website"])
def test_run_together_byline_real(needle):
    for path in _bibp_files():
        text = path.read_text(encoding="utf-8")
        if needle in text:
            parsed = parse_document(text, Origin(str(path)))
            assert parsed.meta.authors == ["Shamus Cooke"]
            assert parsed.meta.published == "2014-11-14"
            return
    pytest.skip("sample file not present")
