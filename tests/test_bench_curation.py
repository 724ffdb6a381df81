"""The keys-per-decision benchmark replays its planned keys through the real curation view exactly."""

from __future__ import annotations

import json
import sys

from conftest import REPO

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench import curation_keys  # noqa: E402


def test_replayed_keys_build_exactly_the_gold_layer() -> None:
    printed: list[str] = []
    assert curation_keys.main(["--articles", "6", "--seed", "5", "--json"], out=printed.append) == 0
    result = json.loads(printed[0])
    assert result["decisions"] > 10 and result["unplanned"] == 0
    assert result["gold_spans_curated_exactly"] == result["gold_spans"] > 0
    assert result["problems"] == []
    assert result["keys"] >= result["decisions"]  # every decision costs at least its one key
