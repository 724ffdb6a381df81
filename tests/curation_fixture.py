"""Two (or three) annotators' work on one fixture article, with every kind of disagreement."""

from __future__ import annotations

from pathlib import Path

from test_app_article_support import parsed_article, store_with

from library import Library

# Sentences of the fixture article (tests/test_app_article_support.py), each a span below.
AGREED = "The council met on Tuesday to discuss the budget."  # alice and ben: Doubt
ONLY_ALICE = "Critics called the plan a disaster."  # alice only: Loaded_Language
LABEL = "The mayor said the plan was fair."  # alice Doubt, ben Flag_Waving
BOUNDARY_A = "Supporters of the plan said it would save money."  # alice: Exaggeration
BOUNDARY_B = "Supporters of the plan"  # ben: Exaggeration (same label, shorter span)
ONLY_BEN = "Nobody knows what the plan will cost."  # ben only: Doubt


def source_span(library: Library, aid: str, text: str) -> tuple[int, int]:
    article = library.article(aid)
    start = article.body.index(text)
    span = article.body_to_source(start, start + len(text))
    assert span is not None
    return span


def curation_library(path: Path, *, third: bool = False) -> tuple[Library, str]:
    """alice and ben disagree in every way a curator meets; `third` adds cara (a majority maker)."""
    library, (aid,) = store_with(path, parsed_article())

    def add(who: str, text: str, *tags: str) -> None:
        library.annotator = who
        library.add_highlight(aid, *source_span(library, aid, text), tags=list(tags))

    add("alice", AGREED, "Doubt")
    add("ben", AGREED, "Doubt")
    add("alice", ONLY_ALICE, "Loaded_Language")
    add("alice", LABEL, "Doubt")
    add("ben", LABEL, "Flag_Waving")
    add("alice", BOUNDARY_A, "Exaggeration")
    add("ben", BOUNDARY_B, "Exaggeration")
    add("ben", ONLY_BEN, "Doubt")
    if third:
        add("cara", AGREED, "Doubt")
        add("cara", ONLY_ALICE, "Loaded_Language")  # with alice: 2 of 3, a majority
    # article labels: both give Politics, only alice gives Opinion
    ann = library.annotations(aid)
    from library.annotations.model import ArticleTag

    ann.tags = [
        ArticleTag("Politics", "alice"),
        ArticleTag("Politics", "ben"),
        ArticleTag("Opinion", "alice"),
    ]
    if third:
        ann.tags.append(ArticleTag("Politics", "cara"))
    library.replace_annotations(aid, ann, label="fixture labels")
    library.annotator = "tester"
    return library, aid
