"""SIGKILL while an import's articles are being cleaned: nothing stored is lost, the store
loads without damage, and cleaning the rest later gives exactly a cleaning import's library."""

from __future__ import annotations

import random
from pathlib import Path

from crash_helpers import run_and_kill
from test_deferred_cleaning import import_into, same_library, write_folder

from library import Library

CHILD = r"""
import sys
from library.ingest.reading import IngestError, read_inputs
from library import Library

path, folder = sys.argv[1], sys.argv[2]
lib = Library.open(path, wait_for_lock=True)
print("open", flush=True)
items = (i for i in read_inputs([folder], defer_cleaning=True) if not isinstance(i, IngestError))
report = lib.add_articles(items, batch_size=20)
print("stored", *report.imported, flush=True)
lib.clean_pending(batch_size=5, workers=1, progress=lambda done, total: print("cleaned", done, flush=True))
print("done", flush=True)
"""


def test_sigkill_during_cleaning_loses_nothing(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "in", 60)
    rng = random.Random(20261124)
    stored: set[str] = set()
    killed = 0
    for round_ in range(6):
        store = tmp_path / f"library-{round_}"
        # line 2 is "stored ...", then one line per cleaned batch of 5 (12 batches)
        lines = run_and_kill(CHILD, [str(store), str(folder)], rng.randint(2, 12), rng.uniform(0, 0.01))
        killed += lines[-1] != ["done"]
        stored = {aid for line in lines if line[0] == "stored" for aid in line[1:]}
        with Library.open(store) as lib:
            assert not lib.notices, lib.notices
            assert stored <= set(lib.ids())
            for aid in lib.ids():  # every article opens, cleaned or not
                assert lib.article(aid).blocks
            lib.clean_pending()
        with Library.open(store, read_only=True) as lib:
            eager = import_into(tmp_path / f"eager-{round_}", [str(folder)], defer=False)
            try:
                same_library(eager, lib)
            finally:
                eager.close()
    assert killed >= 3
