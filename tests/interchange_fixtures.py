"""A small library for the format tests: emoji (also with skin-tone modifiers), combining marks,
right-to-left script, overlapping spans, notes, a span in the title, shared external ids."""

from __future__ import annotations

from pathlib import Path

from export_samples import make_article, parsed

from library import Library
from library.annotations.anchoring import quote_and_context
from library.annotations.model import ArticleAnnotations, ArticleTag, Highlight
from library.model import Origin

SOURCE_MIX = (
    "Émigrés 😀 and שלום: a test\n"
    "\n"
    "By Staff Writer | Example News, 2024-03-01\n"
    "\n"
    "The café 😀 owner said the new\n"
    "tax would hurt. Ame\u0301lie agreed 👍🏽 loudly.\n"
    "\n"
    "قال الوزير إن الضريبة عادلة. The *not emphasis* and <b>bold</b> = fine 🇫🇷 indeed.\n"
    "\n"
    "Donate now to keep us independent!\n"
)
SOURCE_TWO = SOURCE_MIX.replace("owner said", "baker claimed").replace("Ame\u0301lie", "Zoe\u0308")
SOURCE_THREE = SOURCE_MIX.replace("الوزير", "الرئيس").replace("agreed", "disagreed")


def _highlight(lib_article, quote: str, tags: list[str], *, note: str = "", hid: str, title: bool = False):
    art = lib_article
    if title:
        s = art.source_text.index(quote)
        src = (s, s + len(quote))
    else:
        b = art.body.index(quote)
        src = art.body_to_source(b, b + len(quote))
    assert src is not None
    q, pre, suf = quote_and_context(art, *src)
    return Highlight(
        id=hid,
        source_start=src[0],
        source_end=src[1],
        quote=q,
        prefix=pre,
        suffix=suf,
        tags=tags,
        note=note,
        annotator="alice",
        created="2024-03-02T10:00:00+00:00",
        updated="2024-03-02T10:00:00+00:00",
    )


def articles_only(path: Path) -> tuple[Library, list[str]]:
    """The three articles, no annotations (the "fresh library" of a round trip)."""
    lib = Library.open(path)
    lib.annotator = "alice"
    items = []
    for n, (src, ext) in enumerate(((SOURCE_MIX, "7"), (SOURCE_TWO, "1"), (SOURCE_THREE, "1"))):
        item = parsed(make_article(f"m{n}", src, external_id=ext, title=f"Mixed {n} 😀 שלום"))
        item.origin = Origin(f"/data/mixed{n}.txt")
        items.append(item)
    report = lib.add_articles(items)
    assert not report.failed and not report.duplicates
    return lib, list(report.imported)


def fixture_library(path: Path) -> tuple[Library, list[str]]:
    """The three articles with highlights, article tags and notes."""
    lib, ids = articles_only(path)
    changes = {}
    for n, aid in enumerate(ids):
        art = lib.article(aid)
        ann = ArticleAnnotations(aid)
        ann.highlights = [
            _highlight(
                art,
                "owner said the new tax" if n != 1 else "baker claimed the new tax",
                ["Loaded_Language"],
                note='a note, with "quotes" 😀',
                hid=f"a{n}",
            ),
            _highlight(art, "new tax would hurt", ["Doubt"], hid=f"b{n}"),
            _highlight(
                art,
                "Ame\u0301lie agreed 👍🏽" if n == 0 else "loudly",
                ["Name_Calling,Labeling", "Repetition"],
                hid=f"c{n}",
            ),
            _highlight(art, "إن الضريبة عادلة", ["Flag-Waving"], hid=f"d{n}"),
            _highlight(art, "*not emphasis* and <b>bold</b>", [], note="just a note", hid=f"e{n}"),
            _highlight(art, "שלום", ["Slogans"], hid=f"f{n}", title=True),
        ]
        ann.tags = [ArticleTag("economy", "alice", "2024-03-02T10:00:00+00:00")]
        ann.note = "Check the figures 😀."
        changes[aid] = ann
    lib.put_annotations(changes, label="fixture")
    return lib, ids
