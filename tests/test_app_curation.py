"""Pilot tests of the curation view: every kind of disagreement settled with keys, then exported."""

from __future__ import annotations

import json
from pathlib import Path

from curation_fixture import AGREED, BOUNDARY_A, BOUNDARY_B, LABEL, ONLY_ALICE, curation_library

from library.interchange.export import export_library
from reader.app.app import ReaderApp
from reader.app.screens.curation import CurationScreen
from reader.app.settings import Settings


def _panel(screen: CurationScreen) -> str:
    return str(screen.query_one("#cur-panel").render())


def _header(screen: CurationScreen) -> str:
    return str(screen.query_one("#cur-header").render())


def _curated(library, aid: str) -> list[tuple[str, list[str]]]:  # type: ignore[no-untyped-def]
    return sorted(
        (h.quote, sorted(h.tags)) for h in library.annotations(aid).highlights if h.annotator == "curation"
    )


async def test_curate_every_kind_with_keys_undo_and_export(tmp_path: Path) -> None:
    library, aid = curation_library(tmp_path / "lib")
    app = ReaderApp(library, Settings(annotator="tester"), on_start=lambda app: app.curate(["alice", "ben"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CurationScreen)
        # agreed spans are in the curated layer before any key
        assert _curated(library, aid) == [(AGREED, ["Doubt"])]
        assert "here 0/5" in _header(screen) and "only one" in _panel(screen)
        assert ONLY_ALICE in _panel(screen) and "alice (underlined)" in _panel(screen)
        await pilot.press("a")  # only alice: accept hers
        assert "label" in _panel(screen) and "ben (reversed): Flag_Waving" in _panel(screen)
        await pilot.press("b")  # label disagreement: ben's label
        assert "boundary" in _panel(screen)
        await pilot.press(
            "e"
        )  # edit the boundary: alice's long span, cut to "Supporters of the plan said it"
        assert screen.editing is not None
        await pilot.press("b", "b", "b", "b", "enter")  # "." then money, save, would
        await pilot.pause()
        assert screen.editing is None
        await pilot.press("x")  # only ben: reject
        assert "article label" in _panel(screen) and "Opinion" in _panel(screen)
        await pilot.press("a")  # alice's article label
        await pilot.pause()
        assert "Every disagreement is decided" in _panel(screen)
        assert "here 5/5" in _header(screen)
        edited = "Supporters of the plan said it"
        assert _curated(library, aid) == sorted(
            [
                (AGREED, ["Doubt"]),
                (ONLY_ALICE, ["Loaded_Language"]),
                (LABEL, ["Flag_Waving"]),
                (edited, ["Exaggeration"]),
            ]
        )
        # undo the last decision (the article label), then the reject: both come back as open
        await pilot.press("u")
        await pilot.pause()
        assert "here 4/5" in _header(screen)
        assert sorted(t.tag for t in library.annotations(aid).tags if t.annotator == "curation") == [
            "Politics"
        ]
        await pilot.press("a")
        await pilot.pause()
        # the scores panel: each annotator against the curated layer
        await pilot.press("s")
        await pilot.pause()
        scores = str(screen.query_one("#cur-scores").render())
        assert "alice: span F1" in scores and "ben: span F1" in scores
    result = export_library(library, "json", None)
    (article,) = json.loads(result.data)["articles"]
    spans = sorted(
        (h["quote"], h["tags"], h["provenance"]["decision"], h["provenance"]["proposed_by"])
        for h in article["highlights"]
        if h["annotator"] == "curation"
    )
    assert spans == sorted(
        [
            (AGREED, ["Doubt"], "agreed", ["alice", "ben"]),
            (ONLY_ALICE, ["Loaded_Language"], "alice", ["alice"]),
            (LABEL, ["Flag_Waving"], "ben", ["ben"]),
            (edited, ["Exaggeration"], "edit", ["alice", "ben"]),
        ]
    )
    assert BOUNDARY_A not in [s[0] for s in spans] and BOUNDARY_B not in [s[0] for s in spans]
    tags = sorted((t["tag"], t["annotator"]) for t in article["tags"] if t["annotator"] == "curation")
    assert tags == [("Opinion", "curation"), ("Politics", "curation")]
    library.close()


async def test_setup_dialog_from_the_palette_action(tmp_path: Path) -> None:
    library, aid = curation_library(tmp_path / "lib")
    app = ReaderApp(library, Settings(annotator="tester"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_curate()
        await pilot.pause()
        await pilot.press("enter")  # nothing marked: refused
        await pilot.pause()
        assert not isinstance(app.screen, CurationScreen)
        await pilot.press("space", "down", "space", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CurationScreen)
        assert set(app.screen.session.annotators) == {"alice", "ben"}
    library.close()
