"""The read side the list uses at scale, against the whole-catalogue answers it replaces: the date
order from the indexes, pending ids and import order from the indexes, a label query from the
label index, and a warm search that skips the per-article checks."""

from __future__ import annotations

from pathlib import Path

from app_data import article

from library import ArticleQuery, Library
from library.core.listing import date_key


def build(path: Path) -> list[str]:
    """Four batches (segments), one replacing and one removing articles; returns removed ids."""
    lib = Library.open(path)
    items = [
        article(
            f"Story {(i * 37) % 400:03d}",
            f"Text {i} on the {'harbour' if i % 4 else 'valley'} matter.",
            date=f"202{i % 5}-0{i % 9 + 1}-1{i % 3}" if i % 17 else "",
            n=i,
        )
        for i in range(400)
    ]
    for start in range(0, 400, 100):
        lib.add_articles(items[start : start + 100])
    ids = lib.ids()
    changed = [dict(lib._catalog.entries[aid]) for aid in ids[10:30]]
    for entry in changed:
        entry["meta"] = {**entry["meta"], "published": "2031-05-05", "title": "Moved"}
    removed = ids[50:60]
    lib._catalog.replace_batch(changed, removed)
    for aid in ids[200:220:2]:
        lib.set_article_tags(aid, ["Port"])
    lib.close()
    return removed


def test_date_order_from_the_indexes_is_the_sorted_catalogue(tmp_path: Path) -> None:
    removed = build(tmp_path / "lib")
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        pages = lib.by_date()
        assert pages is not None
        first = [s.id for s in pages.upto(25)]
        assert not lib._catalog.loaded  # a page, not the catalogue
        every = pages.upto(10_000)
        oldest = lib.by_date(newest_first=False)
        assert oldest is not None
        backwards = oldest.upto(10_000)
        whole = lib.summaries()
    want = sorted(whole, key=date_key, reverse=True)
    assert [s.id for s in every] == [s.id for s in want]
    assert first == [s.id for s in want[:25]]
    assert [s.id for s in backwards] == [s.id for s in reversed(want)]
    assert len(every) == 390 and not set(removed) & {s.id for s in every}
    assert every[0].published == "2031-05-05" and every[0].title == "Moved"


def test_pending_and_import_order_from_the_indexes(tmp_path: Path) -> None:
    build(tmp_path / "lib")
    lib = Library.open(tmp_path / "lib")
    try:
        items = [article(f"Late {i}", f"Pending body {i}.", n=1000 + i) for i in range(5)]
        entries = [dict(lib._catalog.entries[aid]) for aid in lib.ids()[:3]]
        for entry in entries:
            entry["pending"] = True
        lib._catalog.replace_batch(entries, [])
        lib.add_articles(items)
    finally:
        lib.close()
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        indexed = lib._catalog.pending_ids()
        some = lib.ids()[::7][::-1]  # ids() reads the catalogue: the rest answers from it
        assert lib._catalog.loaded
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        ordered = lib._catalog.in_import_order(some)
        assert not lib._catalog.loaded
        whole = [aid for aid, line in lib._catalog.lines().items() if b'"pending":true' in line]
        everything = list(lib._catalog.lines())
    assert indexed == whole and len(whole) == 3
    assert ordered == [aid for aid in everything if aid in set(some)]


def test_label_query_reads_only_the_labelled(tmp_path: Path) -> None:
    build(tmp_path / "lib")
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        found = lib.query(ArticleQuery(labels=("port",)))
        assert not lib._catalog.loaded
        both = lib.query(ArticleQuery(labels=("port",), text="harbour"))
        whole = [s for s in lib.summaries() if "port" in {t.casefold() for t in s.labels}]
    assert [s.id for s in found] == [s.id for s in whole] and len(found) == 10
    assert both and all(s.id in {w.id for w in whole} for s in both)


def test_warm_search_follows_changes(tmp_path: Path) -> None:
    build(tmp_path / "lib")
    lib = Library.open(tmp_path / "lib")
    try:
        cold = lib.search("valley")
        assert lib.search("valley") == cold == [aid for aid in lib.ids() if aid in set(cold)]
        assert lib.search("valley harbour") == []
        lib.add_articles([article("Fresh valley", "A new valley text.", n=5000)])
        after = lib.search("valley")
        assert len(after) == len(cold) + 1
        gone = after[0]
        lib._catalog.replace_batch([], [gone])
        lib._search.forget(gone)
        assert gone not in lib.search("valley")
        assert lib.search("valley", lib.ids()[:50]) == [
            a for a in lib.search("valley") if a in lib.ids()[:50]
        ]
    finally:
        lib.close()


def test_an_index_without_dates_is_written_again_by_a_writer(tmp_path: Path) -> None:
    """A library whose indexes predate the date keys: read-only, the list falls back to reading
    the catalogue; the first writable open writes them again (derived), quietly."""
    build(tmp_path / "lib")

    for idx in (tmp_path / "lib" / "catalog").glob("*.idx"):
        head, _, rest = idx.read_bytes().partition(b"\n")
        old = [line for line in rest.split(b"\n") if line and not line.startswith((b"d", b"p"))]
        idx.write_bytes(head.replace(b',"keys":["d","p"]', b"") + b"\n" + b"".join(k + b"\n" for k in old))
    with Library.open(tmp_path / "lib", read_only=True) as lib:
        assert lib.by_date() is None
    with Library.open(tmp_path / "lib") as lib:
        pages = lib.by_date()
        assert pages is not None and len(pages.upto(500)) == 390
        assert lib.notices == []
    for idx in (tmp_path / "lib" / "catalog").glob("*.idx"):
        assert b'"keys":["d","p"]' in idx.read_bytes().partition(b"\n")[0]
