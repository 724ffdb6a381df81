"""Which article an id names: exact ids and external ids win, ambiguous keys are refused with the
candidates, on the command line and in imports alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from interchange_fixtures import fixture_library

from library.interchange.export import export_library
from library.interchange.ids import AmbiguousId, resolve_article_id
from library.interchange.importing import import_annotation_files
from reader.cli import main

IDS = ["1a2b000000000000", "1f00000000000000", "4400000000000000", "5500000000000000"]


def test_rules() -> None:
    external = {"1": ["4400000000000000"], "9": ["4400000000000000", "5500000000000000"]}
    # An exact external id wins over a hex prefix that also matches.
    assert resolve_article_id("1", IDS, external) == "4400000000000000"
    assert resolve_article_id(IDS[1], IDS, external) == IDS[1]
    assert resolve_article_id("1a", IDS, external) == IDS[0]
    assert resolve_article_id("zz", IDS, external) is None
    # A file name or PTC number (article1f.txt) beats a hex prefix of another article.
    assert resolve_article_id("1f", IDS, {}, {"1f": [IDS[2]]}) == IDS[2]
    with pytest.raises(AmbiguousId) as err:
        resolve_article_id("9", IDS, external)
    assert err.value.candidates == ["4400000000000000", "5500000000000000"]
    assert "4400000000000000" in str(err.value) and "external id" in str(err.value)
    with pytest.raises(AmbiguousId, match="id prefix"):
        resolve_article_id("1", IDS, {})
    assert isinstance(err.value, ValueError) and isinstance(err.value, KeyError)


def test_library_and_cli_refuse_a_shared_external_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib, ids = fixture_library(tmp_path / "lib")
    with pytest.raises(AmbiguousId) as err:
        lib.resolve_id("1")  # articles 2 and 3 both have external id 1
    assert set(err.value.candidates) == {ids[1], ids[2]}
    before = [len(lib.annotations(a).highlights) for a in ids]
    lib.close()
    code = main(["--db", str(tmp_path / "lib"), "annotate", "1", "--quote", "loudly", "--tag", "X"])
    out, errout = capsys.readouterr()
    assert code != 0 and "ambiguous" in errout and ids[1] in errout and ids[2] in errout
    code = main(["--db", str(tmp_path / "lib"), "tag", "1", "X"])
    assert code != 0 and "ambiguous" in capsys.readouterr().err
    code = main(["--db", str(tmp_path / "lib"), "annotate", "7", "--quote", "loudly", "--tag", "X"])
    out, _ = capsys.readouterr()
    assert code == 0 and json.loads(out)["article_id"] == ids[0]
    from library import Library

    with Library.open(tmp_path / "lib", read_only=True) as again:
        after = [len(again.annotations(a).highlights) for a in ids]
    assert after == [before[0] + 1, before[1], before[2]]


def test_import_says_ambiguous_not_missing(tmp_path: Path) -> None:
    lib, ids = fixture_library(tmp_path / "lib")
    gold = tmp_path / "gold.tsv"
    gold.write_text("1\tDoubt\t0\t5\n7\tDoubt\t0\t5\n", encoding="utf-8")
    report = import_annotation_files(lib, [gold])
    assert report.added == 1
    assert len(report.unmatched) == 1 and "ambiguous" in report.unmatched[0]
    assert ids[1] in report.unmatched[0] and ids[2] in report.unmatched[0]
    # Our own export writes ids that come back to the same articles.
    data = export_library(lib, "ptc", None).data.decode()
    assert not any(line.startswith("1\t") for line in data.splitlines())
