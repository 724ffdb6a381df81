"""What the store keeps on disk: block texts are not stored twice (they are the source's slices
plus glue), and every block reads back exactly as cleaning made it."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from conftest import corpus_dir
from test_store_samples import make_article

from library import Library
from library.cleaning.parallel import clean_one
from library.core.records import block_json, packed_block, unpacked_block
from library.ingest.reading import read_inputs
from library.model import SourceArticle


def test_packed_blocks_round_trip_and_keep_a_text_they_cannot_rebuild() -> None:
    art = make_article(4, extra_blocks=["A sidebar line"])
    for block in art.blocks:
        stored = packed_block(block_json(block), art.source_text)
        assert "text" not in stored
        assert unpacked_block(stored, art.source_text) == block_json(block)
    odd = {"text": "not in the source", "runs": [[0, 0, 3]], "reason": None, "fingerprint": "f"}
    assert packed_block(odd, "abcdef") == odd  # kept whole: its runs do not give its text
    glued = {"text": "abc def", "runs": [[0, 0, 3], [4, 10, 3]], "reason": None, "fingerprint": ""}
    source = "abc\n\n.....def"
    stored = packed_block(glued, source)
    assert stored["glue"] == [[3, " "]] and unpacked_block(stored, source) == glued


@pytest.mark.parametrize("corpus", ["bibp-archive-globalresearch", "ptc-dev"])
def test_real_articles_read_back_exactly_as_cleaned(store_dir: Path, corpus: str) -> None:
    folder = corpus_dir(corpus)
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file())[:40]
    with Library.open(store_dir) as lib:
        report = lib.import_paths(files)
        assert report.imported
    sources = {}
    for item in read_inputs(files, defer_cleaning=True):
        if isinstance(item, SourceArticle):
            sources[item.source_text] = item
    with Library.open(store_dir, read_only=True) as lib:
        for aid in report.imported:
            art = lib.article(aid)
            expected = clean_one(sources[art.source_text])
            assert not isinstance(expected, str)
            assert [(b.text, b.runs) for b in art.blocks] == [(b.text, b.runs) for b in expected.blocks]
            assert lib.search(art.blocks[-1].text.split()[0], [aid]) in ([aid], [])
    # The blocks packs hold the paragraphs' places, not their texts.
    blocks_lines = [
        orjson.loads(line)
        for pack in (store_dir / "bodies").glob("pack-*.jsonl")
        for line in pack.read_bytes().splitlines()
        if b'"source"' not in line
    ]
    assert blocks_lines
    stored = [b for line in blocks_lines for b in line["blocks"]]
    assert sum("text" in b for b in stored) < len(stored) // 10
