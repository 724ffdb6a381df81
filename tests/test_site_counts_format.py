"""Site-count files name each site once, in the header, and number it on its lines; files written
before (the site's name on every line, an "articles" object in the header) are still read and
looked up the same."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import orjson

from library.store.site_counts import SiteCountFiles, decode, encode
from library.store.sitemodel import SiteModel


def model() -> SiteModel:
    m = SiteModel()
    m.add("site:global research", ["0a1b", "ffee", "0a1b"])
    m.add("site:global research", ["0a1b"])
    m.add('site:odd "name"\twith tab', ["0a1b", 'not\thex"'])
    m.add("site:b", [])
    m.packs = {"pack-000002.jsonl"}
    return m


def old_encode(m: SiteModel, level: int) -> bytes:
    """How the files were written before the sites were numbered: byte for byte what the
    previous `encode` gave (checked against it when this test was written)."""
    header = orjson.dumps({"level": level, "packs": sorted(m.packs), "articles": dict(m.articles)})
    lines = [
        orjson.dumps(site)[1:-1] + b"\t" + orjson.dumps(fp)[1:-1] + b"\t%d" % n
        for site, counts in m.counts.items()
        for fp, n in counts.items()
    ]
    return header + b"\n" + b"".join(line + b"\n" for line in sorted(lines))


def same(a: SiteModel, b: SiteModel) -> bool:
    return (
        a.packs == b.packs
        and a.articles == b.articles
        and {s: c for s, c in a.counts.items() if c} == {s: c for s, c in b.counts.items() if c}
    )


def test_a_file_names_each_site_once_and_reads_back_the_same() -> None:
    m = model()
    data = encode(m, 1)
    assert data.count(b"global research") == 1  # in the header only
    level, back = decode(data)
    assert level == 1 and same(back, m)
    assert back.counts["site:global research"] == Counter({"0a1b": 2, "ffee": 1})
    assert len(data) < len(old_encode(m, 1))


def test_files_of_both_layouts_are_summed_and_looked_up(tmp_path: Path) -> None:
    counts = tmp_path / "sites"
    counts.mkdir()
    old, new = model(), model()
    new.packs = {"pack-000004.jsonl"}
    (counts / "counts-000001.tsv").write_bytes(old_encode(old, 0))
    (counts / "counts-000002.tsv").write_bytes(encode(new, 0))
    files = SiteCountFiles(counts, read_only=True, notice=lambda m: None)
    try:
        total = files.load()
        assert total.packs == {"pack-000002.jsonl", "pack-000004.jsonl"}
        assert total.articles["site:global research"] == 4
        assert total.counts['site:odd "name"\twith tab'] == Counter({"0a1b": 2, 'not\thex"': 2})
        found = files.lookup_files()
        assert found is not None and found[0] == total.packs
        site, articles = files.lookup("site:global research")
        assert articles == 4 and site["0a1b"] == 4 and site["ffee"] == 2
        odd, _ = files.lookup('site:odd "name"\twith tab')
        assert odd['not\thex"'] == 2
        nowhere, none = files.lookup("site:nowhere")
        assert none == 0 and nowhere.get("0a1b") is None
    finally:
        files.close()
