"""The whole list read in chunks (`summary_chunks`, the app's background reader of a large
library) holds each live article once, as its newest entry: the segments are read newest
first, and a line whose article a segment read before held is skipped."""

from __future__ import annotations

from pathlib import Path

from test_store_samples import make_article

from library import Library
from library.model import SourceArticle


def _source(i: int) -> SourceArticle:
    """An article stored as read, not cleaned (pending), in the seed's plain format."""
    parsed = make_article(i, folder="/data/pending")
    return SourceArticle(parsed.source_text, parsed.meta, parsed.format, parsed.origin)


def test_chunks_hold_every_live_article_once_as_its_newest_entry(tmp_path: Path) -> None:
    lib = Library.open(tmp_path / "lib")
    lib.add_articles([_source(i) for i in range(12)], batch_size=6)  # two segments, pending
    lib.add_articles(
        [make_article(i) for i in range(100, 108)], batch_size=4
    )  # two more, cleaned (six in all: no merge)
    pending = set(lib.pending_ids())
    assert len(pending) == 12
    lib.clean_pending(workers=1, batch_size=6)  # new entries in later segments override the old lines
    lib.close()
    lib = Library.open(tmp_path / "lib", read_only=True)
    assert len(lib._catalog.segment_names()) > 1
    rows = [s for chunk in lib.summary_chunks(chunk=7) if chunk is not None for s in chunk]
    assert sorted(s.id for s in rows) == sorted(lib.ids())  # each live article once
    assert len(rows) == 20
    assert all(s.cleaned for s in rows)  # the cleaned entries, not the pending lines they replaced
    whole = {s.id: s for s in lib.summaries()}
    assert {s.id: s.paragraphs for s in rows} == {aid: s.paragraphs for aid, s in whole.items()}
    lib.close()
