"""HTML pages through trafilatura: main text and metadata, hostile pages refused cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest

from library.ingest.html import HtmlError, extract_record
from library.ingest.reading import IngestError, read_inputs
from library.model import ParsedArticle
from reader.samples import SAMPLE_DIR

SAMPLE = SAMPLE_DIR / "040_html_port_closure.html"


def test_sample_page_gives_text_and_metadata() -> None:
    record = extract_record(SAMPLE.read_text(encoding="utf-8"))
    assert record["title"] == "Port of Sel Closes Night Shift as Cargo Volumes Fall"
    assert record["authors"] == ["Iris Calloway"]
    assert record["published"] == "2019-11-14"
    assert record["site"] == "The Harbour Ledger"
    assert record["url"] == "https://ledger.example.org/2019/11/port-of-sel-night-shift"
    body = record["body"]
    assert "About 340 dockworkers are affected." in body
    assert "\n\n" in body  # paragraphs separated by blank lines
    assert "Cookie settings" not in body and "Subscribe" not in body


def test_no_date_is_guessed_from_free_text() -> None:
    html = (
        "<html><head><title>Strike</title></head><body><article><p>"
        + "The strike on 12 March 2003 may have killed 23 people, officials said on Monday. " * 5
        + "</p></article></body></html>"
    )
    assert extract_record(html)["published"] is None


@pytest.mark.parametrize(
    "html",
    [
        "<html><body>" + "<div>" * 100_000 + "<p>Deep.</p>" + "</div>" * 100_000 + "</body></html>",
        "<html><body><script>var x = 1;</script></body></html>",
        "",
    ],
    ids=["nested-100000-deep", "no-text", "empty"],
)
def test_hostile_pages_give_a_clean_error(html: str) -> None:
    with pytest.raises(HtmlError, match="no article text|nested"):
        extract_record(html)


def test_truncated_page_gives_its_text(tmp_path: Path) -> None:
    page = SAMPLE.read_text(encoding="utf-8")
    cut = page[: page.index("The city council will debate") + 10]
    path = tmp_path / "cut.html"
    path.write_text(cut, encoding="utf-8")
    [article] = list(read_inputs([str(path)]))
    assert isinstance(article, ParsedArticle) and article.format == "html"
    assert "About 340 dockworkers" in article.source_text


def test_html_is_sniffed_without_an_extension(tmp_path: Path) -> None:
    path = tmp_path / "page"
    path.write_bytes(SAMPLE.read_bytes())
    [article] = list(read_inputs([str(path)]))
    assert isinstance(article, ParsedArticle) and article.format == "html"
    assert article.meta.title == "Port of Sel Closes Night Shift as Cargo Volumes Fall"


def test_page_without_text_is_one_ingest_error(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_text("<!DOCTYPE html><html><body></body></html>", encoding="utf-8")
    [err] = list(read_inputs([str(path)]))
    assert isinstance(err, IngestError) and err.reason == "no article text found in the HTML page"
