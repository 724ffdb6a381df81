"""Plain text (PTC form) and data-set records: mid-paragraph boilerplate, gold spans, real rows."""

from __future__ import annotations

import csv
from pathlib import Path

from conftest import corpus_dir
from parsing_helpers import as_article, check_runs, title_span, uncovered

from library.cleaning.parsers import parse_document, parse_record
from library.model import Origin

FIXTURES = Path(__file__).parent / "fixtures" / "parsing"


def test_ptc_like_fixture_poll_leaves_the_paragraph():
    path = FIXTURES / "ptc_like.txt"
    parsed = parse_document(path.read_text(encoding="utf-8"), Origin(str(path)))
    assert parsed.format == "text"
    assert parsed.meta.title == "A Headline On The First Line"
    body = [b.text for b in parsed.blocks if b.is_body]
    assert body == [
        "The first sentence of the article sits on its own line. The second sentence of the same paragraph follows it.",
        "The story continues with a third sentence.",
        "A new paragraph starts after the blank line and the reports still have to be confirmed by some evidence.",
    ]
    reasons = [b.reason for b in parsed.blocks if not b.is_body]
    assert "note to readers" in reasons and "form field" in reasons
    check_runs(parsed)
    assert uncovered(parsed, title_span(parsed)) == ""


def test_every_ptc_article_and_gold_span_maps_back():
    folder = corpus_dir("ptc-dev")
    spans: dict[str, list[tuple[int, int]]] = {}
    for line in (folder / "labels.tsv").read_text(encoding="utf-8").splitlines():
        art, _tech, s, e = line.split("\t")
        spans.setdefault(art, []).append((int(s), int(e)))
    checked = 0
    for path in sorted((folder / "articles").glob("article*.txt")):
        text = path.read_text(encoding="utf-8")
        parsed = parse_document(text, Origin(str(path)))
        assert parsed.format == "text"
        assert parsed.meta.title == text.split("\n", 1)[0].strip()
        check_runs(parsed)
        assert uncovered(parsed, title_span(parsed)) == ""
        article = as_article(parsed)
        for s, e in spans.get(path.stem.removeprefix("article"), []):
            clean = article.source_to_body(s, e)
            if clean is None:
                continue  # the span lies in the title or in boilerplate
            back = article.body_to_source(*clean)
            inside = [r for r in article.body_map.runs if r.source < e and r.source + r.length > s]
            if len(inside) == 1 and inside[0].source <= s and inside[0].source + inside[0].length >= e:
                assert back == (s, e), (path.name, s, e)
                assert article.body[clean[0] : clean[1]] == text[s:e]
                checked += 1
            else:
                assert back is not None and back[0] >= s and back[1] <= e
    assert checked > 300


def _recovery_rows():
    folder = corpus_dir("recovery-dev")
    csv.field_size_limit(1 << 30)
    for name in ("reliable.csv", "unreliable.csv"):
        with open(folder / name, encoding="utf-8", newline="") as fh:
            for i, row in enumerate(csv.DictReader(fh)):
                record = {
                    "title": row["title"],
                    "body": row["body_text"],
                    "authors": row["author"],
                    "url": row["url"],
                    "published": row["publish_date"],
                    "site": row["publisher"],
                    "external_id": row["news_id"],
                }
                yield name, i, record


def test_recovery_rows_boilerplate_out_sentences_in():
    stripped: dict[str, str] = {}
    for name, i, record in _recovery_rows():
        parsed = parse_record(record, Origin(name, i))
        check_runs(parsed)
        assert uncovered(parsed) == ""
        assert parsed.meta.published == (record["published"] or None)
        for block in parsed.blocks:
            if block.reason:
                stripped[block.text] = block.reason
    assert stripped.get("Shares") == "social or membership prompt"
    assert stripped.get("RELATED STORY:") == "navigation"
    assert stripped.get("Read more:") == "navigation"
    assert stripped.get("Featured Photo: Quebec Vigil") == "image caption"
    assert stripped.get("Get the best Trump news straight to your inbox!") == "social or membership prompt"
    assert any(t.startswith("The post ") and r == "republication notice" for t, r in stripped.items())
    # Real sentences that mention donations, newsletters or e-mail stay in the body.
    assert not any(t.startswith("— Ben White") for t in stripped)
    assert not any(t.startswith("The gift drive was born") for t in stripped)


def test_record_authors_and_fields():
    parsed = parse_record(
        {
            "title": "T",
            "body": "One sentence here.\n\nAnother one.",
            "authors": "[‘Rachel Roubein']",
            "url": "https://x.example/a",
            "published": "2020-05-22",
            "site": "Politico",
            "external_id": "0",
            "mbfc_level": "High",
        },
        Origin("x.csv", 0),
    )
    assert parsed.meta.authors == ["Rachel Roubein"]
    assert parsed.meta.published == "2020-05-22"
    assert parsed.meta.site == "Politico"
    assert parsed.meta.external_id == "0"
    assert parsed.meta.extra == {"mbfc_level": "High"}
    assert [b.text for b in parsed.blocks if b.is_body] == ["One sentence here.", "Another one."]
    assert parsed.format == "record"
    assert parse_record({"title": "x", "body": None}, Origin("y.json", 3)).blocks == []


def test_ptc_file_names_carry_the_article_id() -> None:
    from library.cleaning.parsers import parse_document
    from library.model import Origin

    text = "A Title\n\nOne sentence of the body.\n"
    assert parse_document(text, Origin("/x/article111111134.txt")).meta.external_id == "111111134"
    assert parse_document(text, Origin("/x/notes.txt")).meta.external_id is None


def test_a_dateline_keeps_its_own_line_instead_of_joining_the_prose():
    from library.cleaning.parsers.plaintext import is_dateline

    text = (
        "Headline\n\n"
        "The author explains the latest revision of the timeline:\n"
        "October 13, 2017, Legal Insurrection\n"
        "\n"
        "Police and hotel still do not agree on some details.\n"
        "The rest of the quoted piece follows here.\n"
    )
    parsed = parse_document(text, Origin("dateline.txt"))
    body = [b.text for b in parsed.blocks if b.is_body]
    assert body == [
        "The author explains the latest revision of the timeline:",
        "October 13, 2017, Legal Insurrection",
        "Police and hotel still do not agree on some details. The rest of the quoted piece follows here.",
    ]
    check_runs(parsed)
    assert is_dateline("Legal Insurrection, October 13, 2017") and is_dateline("2017-10-13")
    assert not is_dateline("On October 13, 2017, the police said they had found nothing new at all.")


def test_the_ptc_dateline_is_not_merged_into_prose():
    path = corpus_dir("ptc-dev") / "articles" / "article698092698.txt"
    parsed = parse_document(path.read_text(encoding="utf-8"), Origin(str(path)))
    blocks = [b.text for b in parsed.blocks if b.is_body]
    assert "October 13, 2017, Legal Insurrection" in blocks
    assert not any("investigation: October 13" in b for b in blocks)
    check_runs(parsed)
