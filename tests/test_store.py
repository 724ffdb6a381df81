"""The store's API: import, read, search, annotations, undo/redo, and what survives a reopen."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from test_store_samples import make_article

from library import AmbiguousId, ArticleNotFound, Library, LibraryError, StoreError, StoreReadOnly
from library.annotations.model import ArticleAnnotations
from library.model import REASON_USER


@pytest.fixture
def lib(store_dir: Path):
    with Library.open(store_dir) as library:
        library.annotator = "alice"
        yield library


def _import(lib: Library, n: int, **kw) -> list[str]:
    report = lib.add_articles([make_article(i, **kw) for i in range(n)])
    assert not report.failed
    return report.imported


def test_import_then_read_back(lib: Library) -> None:
    ids = _import(lib, 5)
    assert len(lib) == 5 and lib.ids() == ids
    parsed = make_article(2)
    art = lib.article(ids[2])
    assert art.source_text == parsed.source_text
    assert art.meta.title == "Article number 2" and art.meta.url == "https://example.org/a/2"
    assert art.paragraphs == [b.text for b in parsed.blocks if b.is_body]
    assert art.boilerplate[0] == (0, parsed.blocks[0])
    assert art.origin.path == "/data/in/00002.txt" and art.format == "text"
    # body offsets map back into the source text
    s, e = art.body_to_source(0, 9)
    assert art.source_text[s:e] == art.body[:9]


def test_summaries_carry_counts_and_annotations(lib: Library) -> None:
    ids = _import(lib, 3)
    lib.set_article_tags(ids[1], ["Loaded_Language", "Doubt"])
    lib.add_highlight(ids[1], 30, 40, tags=["Doubt"])
    lib.set_reading_state(ids[1], read=True)
    by_id = {s.id: s for s in lib.summaries()}
    assert list(by_id) == ids
    one = by_id[ids[1]]
    assert one.tags == ["Loaded_Language", "Doubt"] and one.highlights == 1 and one.read
    assert one.paragraphs == 3 and one.boilerplate_blocks == 2 and one.words > 90
    assert by_id[ids[0]].tags == [] and by_id[ids[0]].highlights == 0
    assert lib.summary(ids[1]).highlights == 1


def test_same_file_again_is_unchanged_and_same_body_elsewhere_is_a_duplicate(lib: Library) -> None:
    ids = _import(lib, 3)
    again = lib.add_articles([make_article(1)])
    assert again.unchanged == [ids[1]] and not again.imported
    twin = make_article(99, body_seed=1, title="Another headline")  # same paragraphs as article 1
    twin.blocks[0].text = "By Reporter 1"  # byline differs only in boilerplate
    report = lib.add_articles([twin])
    assert not report.imported
    assert report.duplicates and report.duplicates[0][0] == "/data/in/00099.txt"
    assert report.duplicates[0][1] == ids[1] and "same body" in report.duplicates[0][2]
    # duplicates inside one batch are caught too
    report = lib.add_articles([make_article(200, body_seed=7), make_article(201, body_seed=7)])
    assert len(report.imported) == 1 and len(report.duplicates) == 1
    assert len(lib) == 4


def test_unstorable_article_fails_alone(lib: Library) -> None:
    bad = make_article(1)
    bad.source_text += "\ud800"  # a lone surrogate cannot be written as UTF-8
    report = lib.add_articles([make_article(0), bad, make_article(2)])
    assert len(report.imported) == 2
    assert report.failed and report.failed[0][0] == "/data/in/00001.txt"


def test_batches_write_one_pack_each(store_dir: Path) -> None:
    seen: list[int] = []
    with Library.open(store_dir) as lib:
        report = lib.add_articles((make_article(i) for i in range(10)), batch_size=4, progress=seen.append)
    assert len(report.imported) == 10 and seen[-1] == 10 and seen == sorted(seen)
    packs = sorted(p.name for p in (store_dir / "bodies").glob("pack-*.jsonl"))
    assert packs == ["pack-000001.jsonl", "pack-000002.jsonl", "pack-000003.jsonl"]
    with Library.open(store_dir, read_only=True) as ro:
        assert ro.ids() == report.imported
        assert ro.article(report.imported[9]).meta.title == "Article number 9"


def test_resolve_id(lib: Library) -> None:
    art = make_article(0)
    art.meta.external_id = "news-777"
    ids = lib.add_articles([art, *[make_article(i) for i in range(1, 40)]]).imported
    assert lib.resolve_id(ids[5]) == ids[5]
    assert lib.resolve_id(ids[5][:10]) == ids[5]
    assert lib.resolve_id("news-777") == ids[0]
    with pytest.raises(ArticleNotFound, match="no article") as missing:
        lib.resolve_id("zzzz")
    assert isinstance(missing.value, KeyError) and str(missing.value).startswith("no article")
    first = {i[0] for i in ids}
    common = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in ids) > 1)
    assert common in first
    with pytest.raises(AmbiguousId, match="matches") as ambiguous:
        lib.resolve_id(common)
    assert ambiguous.value.candidates == sorted(i for i in ids if i.startswith(common))
    assert isinstance(ambiguous.value, ValueError) and isinstance(ambiguous.value, LibraryError)


def test_search_title_and_body_not_boilerplate(lib: Library) -> None:
    ids = lib.add_articles(
        [
            make_article(0, extra_blocks=["The Zebra Crossing was closed"]),
            make_article(1, title="Zebra sighting downtown"),
            make_article(2),
        ]
    ).imported
    assert lib.search("zebra") == ids[:2]
    assert lib.search("ZEBRA crossing") == [ids[0]]
    assert lib.search("zebra", ids=[ids[1], ids[2]]) == [ids[1]]
    assert lib.search("donate") == []  # only in the donation block
    assert lib.search("") == ids
    # flipping the donation block into the body makes it searchable
    lib.flip_block(ids[2], len(lib.article(ids[2]).blocks) - 1)
    assert lib.search("donate") == [ids[2]]
    lib.undo()
    assert lib.search("donate") == []


def test_site_repetition_moves_repeated_blocks_out_of_the_body(lib: Library) -> None:
    sidebar = "Read our special report on the harbour tunnel scandal today"
    ids = lib.add_articles([make_article(i, extra_blocks=[sidebar]) for i in range(6)]).imported
    art = lib.article(ids[0])
    reasons = [b.reason for b in art.blocks if b.text == sidebar]
    assert reasons and reasons[0] is not None and "repeated" in reasons[0]
    assert sidebar not in art.body
    assert lib.search("scandal") == []


def test_highlight_quote_context_and_annotator(lib: Library) -> None:
    [aid] = _import(lib, 1)
    art = lib.article(aid)
    para = art.paragraphs[1]
    start = art.source_text.index(para) + 10
    h = lib.add_highlight(aid, start, start + 20, tags=["Doubt", "Doubt"], note="why")
    assert h.quote == art.source_text[start : start + 20]
    assert art.body.endswith(h.quote + h.suffix) or (h.prefix + h.quote + h.suffix) in art.body
    assert len(h.prefix) == 32 and len(h.suffix) == 32
    assert h.tags == ["Doubt"] and h.note == "why" and h.annotator == "alice"
    # a span in boilerplate quotes the source
    donation = art.boilerplate[-1][1]
    h2 = lib.add_highlight(aid, donation.source_start, donation.source_end, tags=[])
    assert h2.quote == donation.text
    with pytest.raises(ValueError):
        lib.add_highlight(aid, 5, 5, tags=[])
    with pytest.raises(ValueError):
        lib.add_highlight(aid, 0, len(art.source_text) + 1, tags=[])
    with pytest.raises(KeyError):
        lib.add_highlight("0000000000000000", 0, 1, tags=[])
    assert [x.id for x in lib.annotations(aid).highlights] == [h.id, h2.id]


def test_update_and_delete_highlight(lib: Library) -> None:
    [aid] = _import(lib, 1)
    h = lib.add_highlight(aid, 30, 50, tags=["a"])
    h.tags = ["b"]
    h.note = "edited"
    lib.update_highlight(aid, h)
    [stored] = lib.annotations(aid).highlights
    assert stored.tags == ["b"] and stored.note == "edited"
    with pytest.raises(KeyError):
        lib.delete_highlight(aid, "nope")
    lib.delete_highlight(aid, h.id)
    assert lib.annotations(aid).highlights == []


def test_tags_note_and_reading_state(lib: Library) -> None:
    [aid] = _import(lib, 1)
    lib.set_article_tags(aid, ["x", "y", "x", ""])
    first = {t.tag: t for t in lib.annotations(aid).tags}
    assert list(first) == ["x", "y"] and first["x"].annotator == "alice"
    lib.annotator = "bob"
    lib.set_article_tags(aid, ["y", "z"])
    tags = {t.tag: t for t in lib.annotations(aid).tags}
    assert list(tags) == ["y", "z"] and tags["y"].annotator == "alice" and tags["z"].annotator == "bob"
    lib.set_article_note(aid, "a note")
    lib.set_reading_state(aid, position=120, read=True)
    ann = lib.annotations(aid)
    assert ann.note == "a note" and ann.position == 120 and ann.read
    assert lib.undo() == "edit note"  # reading state is not an undo step
    ann = lib.annotations(aid)
    assert ann.note == "" and ann.read and ann.position == 120


def test_flip_block_both_ways(lib: Library) -> None:
    [aid] = _import(lib, 1)
    art = lib.flip_block(aid, 1)  # a body paragraph -> boilerplate
    assert art.blocks[1].reason == REASON_USER and art.blocks[1].text not in art.body
    assert lib.annotations(aid).flips == {1: False}
    art = lib.flip_block(aid, 0)  # the byline -> body
    assert art.blocks[0].is_body and art.body.startswith("By Reporter")
    art = lib.flip_block(aid, 1)  # back to the parser's choice: no flip kept
    assert art.blocks[1].is_body and lib.annotations(aid).flips == {0: True}
    with pytest.raises(IndexError):
        lib.flip_block(aid, 99)


def test_undo_redo_across_restart(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        [aid] = _import(lib, 1)
        h = lib.add_highlight(aid, 30, 50, tags=["a"])
        lib.set_article_tags(aid, ["t"])
        lib.flip_block(aid, 1)
    with Library.open(store_dir) as lib:
        assert lib.undo() == "move block 2 to the boilerplate"
        assert lib.undo() == "set tags"
        assert lib.annotations(aid).tags == [] and lib.annotations(aid).flips == {}
    with Library.open(store_dir) as lib:
        assert lib.redo() == "set tags"
        assert lib.annotations(aid).tag_names == ["t"]
        lib.set_article_note(aid, "new change clears redo")
        assert lib.redo() is None
    with Library.open(store_dir) as lib:
        assert lib.redo() is None
        assert lib.undo() == "edit note"
        assert lib.undo() == "set tags"
        assert lib.undo() == "add highlight"
        assert lib.annotations(aid).highlights == []
        assert lib.undo() is None
        assert lib.redo() == "add highlight"
        assert [x.id for x in lib.annotations(aid).highlights] == [h.id]


def test_history_tolerates_a_torn_last_line_and_compacts(store_dir: Path, monkeypatch) -> None:
    from library.store import history

    with Library.open(store_dir) as lib:
        [aid] = _import(lib, 1)
        lib.set_article_note(aid, "one")
        lib.set_article_note(aid, "two")
    with open(store_dir / "history.jsonl", "ab") as f:
        f.write(b'{"op": "do", "n": 9, "artic')  # a crash mid-append
    with Library.open(store_dir) as lib:
        assert any("history" in n for n in lib.notices)
        lib.set_article_note(aid, "three")
        assert lib.undo() == "edit note" and lib.annotations(aid).note == "two"
    monkeypatch.setattr(history, "COMPACT_AT", 20)
    monkeypatch.setattr(history, "KEEP", 5)
    with Library.open(store_dir) as lib:
        for k in range(30):
            lib.set_article_note(aid, f"n{k}")
        lib.undo()
        lines = (store_dir / "history.jsonl").read_bytes().splitlines()
        assert len(lines) <= 21
    with Library.open(store_dir) as lib:
        assert lib.redo() == "edit note" and lib.annotations(aid).note == "n29"
        undone = 0
        while lib.undo():
            undone += 1
        assert 5 <= undone <= 21
        assert lib.annotations(aid).note != "n29"


def test_read_only_refuses_every_write(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        [aid] = _import(lib, 1)
        h = lib.add_highlight(aid, 30, 40, tags=[])
    with Library.open(store_dir, read_only=True) as ro:
        assert ro.read_only and ro.annotations(aid).highlights[0].id == h.id
        writes = [
            lambda: ro.add_articles([make_article(5)]),
            lambda: ro.add_highlight(aid, 1, 5, tags=[]),
            lambda: ro.update_highlight(aid, h),
            lambda: ro.delete_highlight(aid, h.id),
            lambda: ro.set_article_tags(aid, ["x"]),
            lambda: ro.set_article_note(aid, "x"),
            lambda: ro.flip_block(aid, 1),
            lambda: ro.set_reading_state(aid, read=True),
            lambda: ro.undo(),
            lambda: ro.redo(),
        ]
        for write in writes:
            with pytest.raises(StoreReadOnly):
                write()
    files = sorted(p.name for p in store_dir.rglob("*"))
    with Library.open(store_dir, read_only=True):
        pass
    assert sorted(p.name for p in store_dir.rglob("*")) == files


def test_read_only_on_a_missing_directory_creates_nothing(tmp_path: Path) -> None:
    with Library.open(tmp_path / "nothing", read_only=True) as ro:
        assert len(ro) == 0 and ro.summaries() == []
    assert not (tmp_path / "nothing").exists()


def test_newer_schema_is_refused(store_dir: Path) -> None:
    Library.open(store_dir).close()
    (store_dir / "meta.json").write_bytes(orjson.dumps({"schema_version": 99}))
    with pytest.raises(StoreError, match="version 99 is newer"):
        Library.open(store_dir)


def test_annotations_live_in_small_buckets(lib: Library, store_dir: Path) -> None:
    ids = _import(lib, 40)
    lib.set_article_note(ids[0], "hello")
    buckets = list((store_dir / "annotations").glob("*.json"))
    assert [b.name for b in buckets] == [ids[0][:2] + ".json"]
    data = orjson.loads(buckets[0].read_bytes())
    [doc] = data["annotations"].values()
    assert ArticleAnnotations.from_json(doc).note == "hello"
    assert b"Paragraph" not in (store_dir / "catalog.json").read_bytes()  # bodies live apart
