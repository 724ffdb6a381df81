"""The catalogue as write-once segments: batches, edits, merging, damage, crashes, migration,
and one-article commands that do not read the catalogue."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import orjson
import pytest
from test_store_samples import make_article

from library import Library
from library.store import atomic as atomic_mod
from library.store import segments as segments_mod
from library.store.catalog import Catalog
from library.store.segments import FULL_SEGMENT, MERGE_FANIN, SegmentIndex, merge_count
from library.store.site_counts import SiteCountFiles
from reader.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def manifest(store: Path) -> dict:
    return orjson.loads((store / "catalog.json").read_bytes())


def segment_files(store: Path) -> list[str]:
    return sorted(p.name for p in (store / "catalog").glob("seg-*.jsonl"))


def test_batches_are_segments_that_reopen_in_import_order(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        first = lib.add_articles([make_article(i) for i in range(3)]).imported
        second = lib.add_articles([make_article(i) for i in range(3, 5)]).imported
    data = manifest(store_dir)
    assert data["count"] == 5 and [s["name"] for s in data["segments"]] == ["seg-000001", "seg-000002"]
    assert segment_files(store_dir) == ["seg-000001.jsonl", "seg-000002.jsonl"]
    # The copy is the same bytes, gzip-compressed (what `zcat` reads).
    assert (
        gzip.decompress((store_dir / "catalog" / "seg-000001.jsonl.bak").read_bytes())
        == (store_dir / "catalog" / "seg-000001.jsonl").read_bytes()
    )
    with Library.open(store_dir, read_only=True) as lib:
        assert lib.ids() == first + second
        assert lib.article(second[1]).meta.title == "Article number 4"


def test_replacements_and_removals_are_later_segments(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(4)]).imported
        entry = dict(lib._catalog.entries[ids[1]])
        entry["meta"] = {**entry["meta"], "title": "Renamed"}
        lib._catalog.replace_batch([entry], [ids[2]])
        assert len(lib) == 3
    assert len(segment_files(store_dir)) == 2
    second = (store_dir / "catalog" / "seg-000002.jsonl").read_bytes().splitlines()
    assert len(second) == 2 and orjson.loads(second[1]) == {"id": ids[2], "removed": True}
    with Library.open(store_dir, read_only=True) as lib:
        assert lib.ids() == [ids[0], ids[1], ids[3]]  # a replaced article keeps its place
        assert lib.summary(ids[1]).title == "Renamed"
        assert ids[2] not in lib


def test_the_list_by_date_probes_only_segments_that_replace_something(store_dir: Path, monkeypatch) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(4)]).imported
        ids += lib.add_articles([make_article(10 + i) for i in range(3)]).imported
        entry = dict(lib._catalog.entries[ids[1]])
        entry["meta"] = {**entry["meta"], "title": "Renamed"}
        lib._catalog.replace_batch([entry], [ids[2]])
    # An import batch replaces nothing; the third segment replaces one entry and removes one.
    assert [s.get("replaces") for s in manifest(store_dir)["segments"]] == [0, 0, 2]
    probed: list[str] = []
    finds: list[str] = []
    real_holds, real_find = Catalog._holds, SegmentIndex.find

    def holds(self, info, aid):  # type: ignore[no-untyped-def]
        probed.append(info.name)
        return real_holds(self, info, aid)

    def find(self, aid):  # type: ignore[no-untyped-def]
        finds.append(aid)
        return real_find(self, aid)

    monkeypatch.setattr(Catalog, "_holds", holds)
    monkeypatch.setattr(SegmentIndex, "find", find)
    with Library.open(store_dir, read_only=True) as lib:
        pages = lib.by_date()
        assert pages is not None
        rows = pages.upto(10)
        assert sorted(r.id for r in rows) == sorted(set(ids) - {ids[2]})
        assert next(r for r in rows if r.id == ids[1]).title == "Renamed"
        # Only the segment that replaces something is asked whether it hides an older line.
        assert set(probed) == {"seg-000003"}
        # Each row is read from the segment the list found it in: one probe, not one per segment.
        rows_probes = [aid for aid in finds if aid in {r.id for r in rows}]
        assert len(rows_probes) == len(rows)
    with Library.open(store_dir) as lib:  # a write forgets where articles were found
        lib._catalog.replace_batch([], [ids[0]])
        assert lib._catalog._located == {} and ids[0] not in lib
        assert lib.summary(ids[1]).title == "Renamed"


def test_merge_rule_takes_one_level_at_a_time() -> None:
    assert merge_count([0] * (MERGE_FANIN - 1)) == 0
    assert merge_count([0] * MERGE_FANIN) == MERGE_FANIN
    assert merge_count([2, 1] + [0] * MERGE_FANIN) == MERGE_FANIN
    assert merge_count([1] * (MERGE_FANIN - 1) + [0]) == 0
    small, full = [1] * MERGE_FANIN, [FULL_SEGMENT] * MERGE_FANIN
    assert merge_count([0] * MERGE_FANIN, small) == MERGE_FANIN
    assert merge_count([0] * MERGE_FANIN, full) == 0  # a full segment is not merged by level
    assert merge_count([0] * MERGE_FANIN, [*small[1:], FULL_SEGMENT]) == 0


def test_full_segments_are_written_once_and_small_ones_still_merge(store_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(segments_mod, "FULL_SEGMENT", 5)
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(5 * MERGE_FANIN)], batch_size=5).imported
        first = (store_dir / "catalog" / "seg-000001.jsonl").read_bytes()
        assert len(manifest(store_dir)["segments"]) == MERGE_FANIN  # eight full batches, not merged
        more = lib.add_articles([make_article(100 + i) for i in range(MERGE_FANIN)], batch_size=1).imported
    data = manifest(store_dir)
    # The eight one-article batches merged into one segment; the full ones are as they were written.
    assert [s["records"] for s in data["segments"]] == [5] * MERGE_FANIN + [MERGE_FANIN]
    assert (store_dir / "catalog" / "seg-000001.jsonl").read_bytes() == first
    with Library.open(store_dir, read_only=True) as lib:
        assert lib.ids() == ids + more
        assert lib.article(ids[3]).meta.title == "Article number 3"


def test_segment_copies_are_compressed_and_plain_copies_of_old_still_recover(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(12)]).imported
    segment = store_dir / "catalog" / "seg-000001.jsonl"
    copy = segment.with_name(segment.name + ".bak")
    good = segment.read_bytes()
    assert len(copy.read_bytes()) < len(good) / 2
    segment.write_bytes(b"#" * len(good))
    code, out, _ = run(capsys, "--db", str(store_dir), "check", "--repair")
    assert code == 0 and "written again from seg-000001.jsonl.bak" in out, out
    assert segment.read_bytes() == good  # the segment itself is written plain
    copy.write_bytes(b"\x1f\x8b" + b"#" * 40)
    code, out, _ = run(capsys, "--db", str(store_dir), "check")
    assert code == 1 and "copy of a catalogue segment is damaged" in out and "decompress" in out, out
    code, out, _ = run(capsys, "--db", str(store_dir), "check", "--repair")
    assert code == 0 and gzip.decompress(copy.read_bytes()) == good
    # A copy written before copies were compressed holds the plain bytes: it still recovers.
    copy.write_bytes(good)
    segment.write_bytes(b"")
    with Library.open(store_dir) as lib:
        assert lib.ids() == ids
        assert any("seg-000001.jsonl" in n and "recovered from its copy" in n for n in lib.notices)
    assert segment.read_bytes() == good


def test_many_batches_are_merged_and_their_files_removed(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(70)], batch_size=1).imported
        lib._catalog.replace_batch([], ids[:5])
    data = manifest(store_dir)
    # 71 batches: 8 level-1 segments made a level-2 one, then the rest stay below the fan-in.
    assert len(data["segments"]) < 2 * MERGE_FANIN
    assert [s["name"] for s in data["segments"]] == [
        p.removesuffix(".jsonl") for p in segment_files(store_dir)
    ]
    assert data["count"] == 65
    listed = {s["name"] for s in data["segments"]}
    leftovers = [p for p in (store_dir / "catalog").iterdir() if p.name.split(".")[0] not in listed]
    assert leftovers == []
    with Library.open(store_dir, read_only=True) as lib:
        assert lib.ids() == ids[5:]
        assert lib.article(ids[40]).meta.title == "Article number 40"


def test_a_damaged_segment_recovers_from_its_copy_and_without_one_is_named_in_one_line(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(4)]).imported
    segment = store_dir / "catalog" / "seg-000001.jsonl"
    raw = bytearray(segment.read_bytes())
    raw[30:40] = b"#" * 10
    segment.write_bytes(bytes(raw))
    code, out, err = run(capsys, "--db", str(store_dir), "list", "--json")
    assert code == 0 and len(json.loads(out)) == 4
    assert "seg-000001.jsonl" in err and "reading its copy" in err  # `list` changes no file
    with Library.open(store_dir) as lib:
        assert lib.ids() == ids
        assert any("seg-000001.jsonl" in n and "recovered from its copy" in n for n in lib.notices)
    assert list(segment.parent.glob("seg-000001.jsonl.corrupt-*"))
    segment.write_bytes(b"")
    segment.with_name(segment.name + ".bak").write_bytes(b"{")
    code, _, err = run(capsys, "--db", str(store_dir), "list", "--json")
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and "seg-000001.jsonl" in lines[0] and "Traceback" not in err
    # One article through the index finds the damage too (its line no longer matches).
    code, _, err = run(capsys, "--db", str(store_dir), "show", ids[0])
    assert code == 2 and "seg-000001.jsonl" in err


def test_a_damaged_index_is_written_again_from_its_segment(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(4)]).imported
    index = store_dir / "catalog" / "seg-000001.idx"
    good = index.read_bytes()
    index.write_bytes(b"garbage")
    with Library.open(store_dir, read_only=True) as lib:  # read-only: the segment is read instead
        assert lib.resolve_id(ids[2][:6]) == ids[2]
    assert index.read_bytes() == b"garbage"
    with Library.open(store_dir) as lib:
        assert lib.resolve_id(ids[2][:6]) == ids[2]
        assert any("seg-000001.idx" in n and "written again" in n for n in lib.notices)
    assert index.read_bytes() == good


def test_a_crash_before_the_manifest_loses_only_that_batch(store_dir: Path, monkeypatch) -> None:
    with Library.open(store_dir) as lib:
        kept = lib.add_articles([make_article(i) for i in range(3)]).imported
        real = atomic_mod.atomic_write_bytes

        def crash(path, data, **kw):
            if Path(path).name == "catalog.json":
                raise Killed  # the process dies here: the segment is on disk, unlisted
            return real(path, data, **kw)

        monkeypatch.setattr(atomic_mod, "atomic_write_bytes", crash)
        with pytest.raises(Killed):
            lib.add_articles([make_article(10), make_article(11)])
        monkeypatch.undo()
    assert "seg-000002.jsonl" in segment_files(store_dir)  # written, never committed
    with Library.open(store_dir) as lib:
        assert lib.ids() == kept and not lib.notices
    assert segment_files(store_dir) == ["seg-000001.jsonl"]  # the writer removed the leftover


class Killed(BaseException):
    """Stands for the process being killed between two writes (nothing catches it)."""


def _bytes_written(action) -> int:
    def wchar() -> int:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("wchar:"):
                return int(line.split()[1])
        raise AssertionError("no wchar")

    before = wchar()
    action()
    return wchar() - before


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc/self/io to count bytes")
def test_bytes_written_per_batch_do_not_grow_with_the_library(store_dir: Path) -> None:
    def batches(lib: Library, start: int) -> list[int]:
        sizes = []
        for b in range(MERGE_FANIN):
            items = [make_article(start + b * 10 + i) for i in range(10)]
            sizes.append(_bytes_written(lambda items=items: lib.add_articles(items, batch_size=10)))
        return sorted(sizes)

    with Library.open(store_dir) as lib:
        small = batches(lib, 0)
        lib.add_articles([make_article(1000 + i) for i in range(3000)], batch_size=500)
        large = batches(lib, 10_000)
    # The median batch (a merge falls on one batch in `MERGE_FANIN`) writes the same bytes in a
    # library of 80 articles as in one of 3,080; rewriting the catalogue would write ~40 times more.
    assert large[len(large) // 2] < 1.3 * small[len(small) // 2], (small, large)


def _one_article_commands_do_not_read_the_catalogue(
    store_dir: Path, capsys, monkeypatch, ids: list[str]
) -> None:
    def whole_read(self: Catalog) -> dict:
        raise AssertionError("the whole catalogue was read")

    def all_counts(self: SiteCountFiles) -> None:
        raise AssertionError("every site count was read")

    monkeypatch.setattr(Catalog, "lines", whole_read)
    monkeypatch.setattr(SiteCountFiles, "load", all_counts)
    code, out, err = run(capsys, "--db", str(store_dir), "show", ids[7][:8], "--json")
    assert code == 0, err
    assert json.loads(out)["id"] == ids[7]
    code, out, err = run(capsys, "--db", str(store_dir), "annotate", ids[7][:8], "--start", "0", "--end", "9")
    assert code == 0, err
    code, out, err = run(capsys, "--db", str(store_dir), "tag", ids[7], "claim")
    assert code == 0, err
    monkeypatch.undo()
    with Library.open(store_dir, read_only=True) as lib:
        assert len(lib.annotations(ids[7]).highlights) == 1
        assert [t.tag for t in lib.annotations(ids[7]).tags] == ["claim"]


def test_show_annotate_and_tag_do_not_read_the_catalogue(store_dir: Path, capsys, monkeypatch) -> None:
    sidebar = "Read our special report on the harbour tunnel scandal today"
    with Library.open(store_dir) as lib:
        ids = lib.add_articles(
            [make_article(i, extra_blocks=[sidebar]) for i in range(30)], batch_size=4
        ).imported
        expected = lib.article(ids[7]).body
    assert sidebar not in expected  # the site rule needs the counts: looked up, not loaded
    with Library.open(store_dir, read_only=True) as lib:
        lib._site_files.load = None  # type: ignore[method-assign]
        assert lib.article(ids[7]).body == expected and not lib._catalog.loaded
    _one_article_commands_do_not_read_the_catalogue(store_dir, capsys, monkeypatch, ids)


def test_prefixes_and_external_ids_resolve_through_the_indexes(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(40)], batch_size=3).imported
    with Library.open(store_dir, read_only=True) as lib:
        for aid in ids:
            assert lib.resolve_id(aid[:7]) == aid
        first = {aid[0] for aid in ids}
        digit = next(c for c in sorted(first) if sum(a[0] == c for a in ids) > 1)
        with pytest.raises(KeyError) as err:
            lib.resolve_id(digit)
        assert sorted(err.value.candidates) == sorted(a for a in ids if a[0] == digit)
        assert not lib._catalog.loaded


# --- a library of the version 1 layout -------------------------------------------------------
def make_v1_library(store: Path, n: int = 6) -> list[str]:
    """A library as the version 1 code left it: `catalog.json` a TinyDB catalogue with its
    backup, `sites.json` with its backup, `meta.json` saying version 1 (same packs, same buckets)."""
    with Library.open(store) as lib:
        ids = lib.add_articles([make_article(i) for i in range(n)]).imported
        lib.add_highlight(ids[0], 0, 5, tags=["claim"])
        entries = list(lib._catalog.entries.values())
        sites = lib._site_model().to_json()
    catalog = {
        "articles": {str(i + 1): e for i, e in enumerate(entries)},
        "_meta": {"1": {"count": len(entries)}},
    }
    for name, data in (
        ("catalog.json", catalog),
        ("sites.json", sites),
        ("meta.json", {"schema_version": 1, "created": "2026-01-01T00:00:00Z"}),
    ):
        for target in (store / name, store / f"{name}.bak"):
            target.write_bytes(orjson.dumps(data))
    for folder in ("catalog", "sites"):
        for path in (store / folder).iterdir():
            path.unlink()
        (store / folder).rmdir()
    return ids


def test_a_version_1_library_is_read_as_it_is_and_migrated_on_the_first_writable_open(
    store_dir: Path,
) -> None:
    ids = make_v1_library(store_dir)
    before = {p.name: p.read_bytes() for p in store_dir.iterdir() if p.is_file() and p.name != "lock"}
    with Library.open(store_dir, read_only=True) as lib:
        assert lib.ids() == ids and lib.resolve_id(ids[3][:6]) == ids[3]
        body = lib.article(ids[0]).body
        assert len(lib.annotations(ids[0]).highlights) == 1
    after = {p.name: p.read_bytes() for p in store_dir.iterdir() if p.is_file() and p.name != "lock"}
    assert after == before  # a read-only view changes nothing
    with Library.open(store_dir) as lib:
        assert lib.ids() == ids and lib.article(ids[0]).body == body and not lib.notices
    assert orjson.loads((store_dir / "meta.json").read_bytes())["schema_version"] == 2
    data = manifest(store_dir)
    assert data["count"] == len(ids) and len(data["segments"]) == 1
    assert orjson.loads((store_dir / "catalog.json.bak").read_bytes()) == data
    assert not (store_dir / "sites.json").exists() and list((store_dir / "sites").glob("counts-*.tsv"))
    with Library.open(store_dir) as lib:
        assert lib.ids() == ids and len(lib.annotations(ids[0]).highlights) == 1
        assert lib.add_articles([make_article(i) for i in range(8)]).unchanged == ids
    code = main(["--db", str(store_dir), "check"])
    assert code == 0


def test_a_read_only_view_follows_a_merge_that_removed_its_segments(store_dir: Path) -> None:
    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(3)]).imported
    with Library.open(store_dir, read_only=True) as view:
        with Library.open(store_dir) as lib:  # a writer merges the view's segments away
            more = lib.add_articles([make_article(10 + i) for i in range(MERGE_FANIN)], batch_size=1).imported
        assert not (store_dir / "catalog" / "seg-000001.jsonl").exists()
        assert view.ids() == ids + more and not view.notices


def test_blocks_packs_are_kept_by_the_writes_once_the_catalogue_is_loaded(store_dir: Path) -> None:
    """`blocks_packs` (read by every save) is counted once and then kept by the writes: after
    imports, cleaning, replacements and removals it equals a fresh pass over every entry."""
    from library.store.catalog import blocks_pack_of

    with Library.open(store_dir) as lib:
        ids = lib.add_articles([make_article(i) for i in range(4)]).imported
        catalog = lib._catalog
        catalog.lines()  # the whole catalogue loaded, as the app's list does
        assert catalog.blocks_packs()  # counted now
        ids += lib.add_articles([make_article(i) for i in range(4, 7)]).imported
        entry = dict(catalog.entries[ids[1]])
        entry["meta"] = {**entry["meta"], "title": "Renamed"}
        catalog.replace_batch([entry], [ids[2], ids[5]])
        fresh = {p for e in catalog.entries.values() if (p := blocks_pack_of(e)) is not None}
        assert catalog.blocks_packs() == fresh and len(fresh) >= 2
