"""Articles built by hand for the annotation export/import tests (no parser, no store needed)."""

from __future__ import annotations

from library.annotations.anchoring import quote_and_context
from library.annotations.model import ArticleAnnotations, ArticleTag, Highlight
from library.model import REASON_METADATA, Article, Block, Metadata, Origin
from library.textmap import TextBuilder

SOURCE = (
    "Café owners fear new tax 😀\n"
    "\n"
    "By Staff Writer | Global Research, 2024-03-01\n"
    "\n"
    "The mayor said the new tax\n"
    "would hurt small cafés. 😀 Owners in 東京 disagree,\n"
    "they say.\n"
    "\n"
    "Critics called the plan a disaster. The mayor said it again.\n"
    "\n"
    "Donate now to keep us independent!\n"
)


def _block(source: str, start: int, end: int, *, unwrap: bool = False, reason: str | None = None) -> Block:
    """A block copying source[start:end], optionally joining wrapped lines with spaces."""
    b = TextBuilder()
    if unwrap:
        pos = start
        for i, line in enumerate(source[start:end].split("\n")):
            if i:
                b.insert(" ")
            b.copy(pos, line)
            pos += len(line) + 1
    else:
        b.copy(start, source[start:end])
    return Block(b.text(), b.runs(), reason)


def make_article(article_id: str = "a1b2c3d4e5f60718", source: str = SOURCE, **meta: object) -> Article:
    """Title, metadata line (boilerplate), a wrapped paragraph, a plain one, a donation appeal."""
    paras = []
    pos = 0
    for chunk in source.split("\n\n"):
        paras.append((pos, pos + len(chunk.rstrip("\n"))))
        pos += len(chunk) + 2
    blocks = [
        _block(source, *paras[1], reason=REASON_METADATA),
        _block(source, *paras[2], unwrap=True),
        _block(source, *paras[3]),
        _block(source, *paras[4], reason="donation appeal"),
    ]
    fields = {
        "title": "Café owners fear new tax 😀",
        "site": "globalresearch.ca",
        "published": "2024-03-01",
        "url": "https://example.org/cafe-tax",
        "authors": ["Staff Writer"],
        "external_id": None,
    }
    fields.update(meta)
    return Article(
        id=article_id,
        meta=Metadata(**fields),  # type: ignore[arg-type]
        source_text=source,
        blocks=blocks,
        format="text",
        origin=Origin(f"/data/{article_id}.txt"),
    )


def highlight_on(
    article: Article, quote: str, *, tags: list[str], note: str = "", annotator: str = "alice", hid: str = ""
) -> Highlight:
    """A highlight on the first occurrence of `quote` in the body, anchored in the source."""
    s = article.body.index(quote)
    src = article.body_to_source(s, s + len(quote))
    assert src is not None
    q, pre, suf = quote_and_context(article, *src)
    return Highlight(
        id=hid or f"h{abs(hash((article.id, quote, annotator))) % 10**12:012d}",
        source_start=src[0],
        source_end=src[1],
        quote=q,
        prefix=pre,
        suffix=suf,
        tags=tags,
        note=note,
        annotator=annotator,
        created="2024-03-02T10:00:00+00:00",
        updated="2024-03-02T10:00:00+00:00",
    )


def annotated_sample() -> tuple[Article, ArticleAnnotations]:
    article = make_article()
    ann = ArticleAnnotations(article.id)
    ann.highlights = [
        highlight_on(
            article, "would hurt small cafés. 😀 Owners in 東京", tags=["Loaded_Language"], hid="h1"
        ),
        highlight_on(
            article, "a disaster", tags=["Name_Calling,Labeling", "Exaggeration,Minimisation"], hid="h2"
        ),
        highlight_on(article, "The mayor said it again.", tags=[], note="=SUM(A1) repeated", hid="h3"),
    ]
    ann.tags = [ArticleTag("economy", "alice", "2024-03-02T10:00:00+00:00")]
    ann.note = "Check the tax figures."
    return article, ann


def parsed(article: Article):  # noqa: ANN201 - ParsedArticle
    """The sample as a parser would hand it to `Library.add_articles`."""
    from library.model import ParsedArticle

    return ParsedArticle(article.source_text, article.meta, article.blocks, article.format, article.origin)


def sample_sources() -> list[str]:
    """Three distinct articles sharing the sample's layout."""
    return [
        SOURCE,
        SOURCE.replace("The mayor said the new tax", "The governor warned that a levy").replace(
            "Critics", "Bakers"
        ),
        SOURCE.replace("disaster", "catastrophe")
        .replace("small cafés", "tiny bakeries")
        .replace("東京", "大阪"),
    ]


def stored_library(path):  # noqa: ANN001, ANN201 - (Library, [article ids])
    """A fresh store holding the sample articles (external ids 101, 102, 103)."""
    from library import Library

    lib = Library.open(path)
    lib.annotator = "alice"
    items = [
        parsed(make_article(f"x{i}", src, external_id=str(101 + i), title=f"Article {i}"))
        for i, src in enumerate(sample_sources())
    ]
    for item in items:
        item.origin = Origin(f"/data/article{item.meta.external_id}.txt")
    report = lib.add_articles(items)
    assert not report.failed and not report.duplicates, (report.failed, report.duplicates)
    return lib, [lib.resolve_id(str(101 + i)) for i in range(len(items))]
