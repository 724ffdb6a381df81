"""`Library.import_paths`: the one import flow the command line and the app both call."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_deferred_cleaning import write_folder

from library import InvalidInput, open_library


def test_reads_stores_then_cleans_with_progress_and_a_stored_callback(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 6)
    (folder / "empty.txt").write_text("")
    stages: list[tuple[str, int, int | None]] = []
    stored_seen: list[int] = []
    with open_library(tmp_path / "lib", annotator="ann") as lib:
        assert lib.annotator == "ann"

        def stored(report) -> None:  # listed, not cleaned yet
            stored_seen.append(len(report.imported))
            assert len(lib.pending_ids()) == len(report.imported)

        report = lib.import_paths(
            [folder], progress=lambda *step: stages.append(step), stored=stored, workers=1
        )
        assert len(report.imported) == 6 and stored_seen == [6]
        assert report.cleaning is not None and len(report.cleaning.cleaned) == 6
        assert lib.pending_ids() == [] and all(s.cleaned for s in lib.summaries())
        assert [label.endswith("empty.txt") for label, _ in report.unreadable] == [True]
        assert report.failed_count == 1
        assert {stage for stage, _, _ in stages} == {"importing", "cleaning"}
        assert stages[0][0] == "importing" and stages[-1] == ("cleaning", 6, 6)
        assert stages.index(("cleaning", 0, 6)) == [s[0] for s in stages].index("cleaning")  # at once
        again = lib.import_paths([folder], workers=1)
        assert sorted(again.unchanged) == sorted(report.imported) and not again.imported


def test_no_paths_only_cleans_and_bad_options_are_refused(tmp_path: Path) -> None:
    with open_library(tmp_path / "lib") as lib:
        report = lib.import_paths([])
        assert report.imported == [] and report.cleaning is not None and report.cleaning.cleaned == []
        with pytest.raises(InvalidInput, match="unknown format"):
            lib.import_paths([tmp_path], fmt="nonsense")
        with pytest.raises(InvalidInput, match="unknown field"):
            lib.import_paths([tmp_path], mapping={"colour": "c"})
