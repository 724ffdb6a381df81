"""Small libraries for the app tests, built through the real store."""

from __future__ import annotations

from pathlib import Path

from library import Library
from library.model import Block, Metadata, Origin, ParsedArticle
from library.textmap import TextBuilder

EVIL_TITLE = "[@click=app.quit]x[/] \x1b[2J [b]bold"


def article(
    title: str, body: str, *, site: str = "example.org", date: str = "2024-01-02", n: int = 0
) -> ParsedArticle:
    """A one-paragraph article whose body is copied from its source (offsets map one-to-one)."""
    source = f"{title}\n\n{body}\n"
    builder = TextBuilder()
    builder.copy(len(title) + 2, body)
    block = Block(text=builder.text(), runs=builder.runs())
    return ParsedArticle(
        source_text=source,
        meta=Metadata(title=title, site=site, published=date),
        blocks=[block],
        format="text",
        origin=Origin(f"/samples/{n}.txt"),
    )


ARTICLES = [
    (
        "Council approves the harbour budget",
        "The council met on Tuesday. The harbour plan passed.",
        "harbour.example",
        "2024-03-01",
    ),
    (
        "Drought hits the valley farms",
        "Farmers report the driest spring in decades. Wells ran low.",
        "valley.example",
        "2024-02-11",
    ),
    (
        "Rail strike ends after talks",
        "Unions and the operator agreed on pay. Trains run again.",
        "harbour.example",
        "2023-12-05",
    ),
    (
        "New library opens downtown",
        "The reading rooms opened to crowds. The harbour view is fine.",
        "city.example",
        "2024-01-20",
    ),
]


def make_library(path: Path, *, evil: bool = False, count: int | None = None) -> Library:
    lib = Library.open(path)
    lib.annotator = "tester"
    items = [article(t, b, site=s, date=d, n=i) for i, (t, b, s, d) in enumerate(ARTICLES)]
    if count is not None:
        items = [
            article(
                f"Article {i:05d}",
                f"Body number {i} with common words.",
                date=f"2024-01-{i % 28 + 1:02d}",
                n=i,
            )
            for i in range(count)
        ]
    if evil:
        items.append(
            article(
                EVIL_TITLE,
                "An article with \x1b[31m escapes and [red]markup[/red].",
                site="[i]evil[/i]",
                n=99,
            )
        )
    lib.add_articles(items)
    return lib
