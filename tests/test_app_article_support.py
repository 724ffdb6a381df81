"""Shared helpers for the article-screen tests: deterministic articles built block by block."""

from __future__ import annotations

from pathlib import Path

from library import Library
from library.model import Block, Metadata, Origin, ParsedArticle
from library.textmap import TextBuilder

PARAGRAPHS: list[tuple[str, str | None]] = [
    ("By Jane Doe, staff writer", "byline/metadata line"),
    (
        "The council met on Tuesday to discuss the budget. Critics called the plan a disaster. "
        "The mayor said the plan was fair.",
        None,
    ),
    (
        "Supporters of the plan said it would save money. Opponents disagreed loudly. "
        "Nobody knows what the plan will cost.",
        None,
    ),
    ("Please donate to keep our journalism free.", "donation appeal"),
    ("The vote is expected next month. The plan may change before then.", None),
]


def parsed_article(
    paragraphs: list[tuple[str, str | None]] | None = None,
    *,
    title: str = "Council debates the budget plan",
    site: str = "example.org",
    url: str = "https://example.org/budget",
) -> ParsedArticle:
    """An article whose source is the paragraphs joined by blank lines, one block per paragraph."""
    paragraphs = PARAGRAPHS if paragraphs is None else paragraphs
    source_parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    for text, reason in paragraphs:
        if source_parts:
            source_parts.append("\n\n")
            pos += 2
        builder = TextBuilder()
        builder.copy(pos, text)
        blocks.append(Block(builder.text(), builder.runs(), reason=reason))
        source_parts.append(text)
        pos += len(text)
    meta = Metadata(
        title=title,
        authors=["Jane Doe"],
        published="2024-03-05",
        site=site,
        url=url,
        region=["Europe"],
        themes=["Budget"],
    )
    return ParsedArticle("".join(source_parts), meta, blocks, "text", Origin("fixtures/budget.txt"))


def store_with(path: Path, *articles: ParsedArticle) -> tuple[Library, list[str]]:
    library = Library.open(path)
    library.annotator = "tester"
    report = library.add_articles(list(articles))
    assert not report.failed, report.failed
    return library, report.imported


def notifications(app: object) -> list[str]:
    """The messages the app has notified, oldest first (Textual keeps no public list of them)."""
    return [str(n.message) for n in app._notifications]  # type: ignore[attr-defined]  # noqa: SLF001
