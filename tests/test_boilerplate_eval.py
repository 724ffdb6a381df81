"""Quality bar on the real dev corpora: boilerplate lines leave the body, article lines stay.

The gold labels (`bench/gold/boilerplate.jsonl`) were made by hand and hold only line numbers,
labels and short hashes; the texts are read from the corpus, so these tests skip without it.
Each data set is imported whole, with the site repetition the store applies.
"""

from __future__ import annotations

import sys

import pytest
from conftest import REPO, corpus_dir

sys.path.insert(0, str(REPO))  # `bench` sits next to the installed packages, not inside them
from bench.boilerplate_eval import BAR_KEPT, BAR_REMOVED, DATASETS, score  # noqa: E402

FOLDERS = {"recovery": "recovery-dev", "ptc": "ptc-dev", "bibp": "bibp-archive-globalresearch"}


@pytest.mark.parametrize("dataset", sorted(DATASETS))
def test_dev_set_clears_the_bar(dataset: str) -> None:
    root = corpus_dir(FOLDERS[dataset]).parent
    result = score(dataset, corpus=root)
    assert result.mismatched == 0, "corpus lines changed since the gold was labelled"
    assert result.unlabelled == 0
    assert result.boiler > 0 and result.article > 0
    lost = [e for e in result.errors if e.startswith("LOST")]
    assert result.kept >= BAR_KEPT, lost[:10]
    assert result.removed >= BAR_REMOVED, [e for e in result.errors if e.startswith("KEPT")][:10]
    assert result.meta_removed == result.meta  # titles and header lines never reach the body
