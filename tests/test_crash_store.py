"""SIGKILL during imports and annotation writes: the store always loads, and nothing reported saved is lost.

A child process imports small synthetic articles in batches, then makes 200 annotation writes,
printing a line after each call returns ("reported saved"). The parent kills it at a seeded
random moment, reopens the store and checks every reported article and highlight is there.
"""

from __future__ import annotations

import random
from pathlib import Path

from crash_helpers import REPO, run_and_kill

from library import Library

CHILD = r"""
import random, sys
sys.path.insert(0, sys.argv[3])
from test_store_samples import make_article
from library import Library

path, rnd = sys.argv[1], int(sys.argv[2])
rng = random.Random(rnd)
lib = Library.open(path, wait_for_lock=True)
print("open", flush=True)
base = rnd * 1000
for b in range(0, 120, 10):
    report = lib.add_articles([make_article(base + i) for i in range(b, b + 10)], batch_size=5)
    print("imported", *report.imported, flush=True)
ids = lib.ids()
for n in range(200):
    aid = rng.choice(ids)
    kind = n % 4
    if kind == 3:
        lib.set_article_note(aid, f"note {rnd}-{n}")
        print("note", aid, f"note {rnd}-{n}", flush=True)
    elif kind == 2:
        lib.set_article_tags(aid, [f"t{rnd}-{n}"])
        print("tags", aid, f"t{rnd}-{n}", flush=True)
    else:
        h = lib.add_highlight(aid, 20, 40, tags=[f"r{rnd}"])
        print("highlight", aid, h.id, flush=True)
print("done", flush=True)
"""


def _run_and_kill(store: Path, rnd: int, kill_after: int, extra: float) -> list[list[str]]:
    return run_and_kill(CHILD, [str(store), str(rnd), str(REPO / "tests")], kill_after, extra)


def _note_key(note: str) -> tuple[int, int]:
    rnd, n = note.split()[-1].split("-")
    return int(rnd), int(n)


def test_sigkill_never_loses_reported_writes(tmp_path: Path) -> None:
    store = tmp_path / "library"
    rng = random.Random(20240611)
    imported: set[str] = set()
    highlights: dict[str, set[str]] = {}
    last_note: dict[str, str] = {}
    killed_in = {"import": 0, "annotations": 0}
    for rnd in range(1, 13):
        # kill during the import in some rounds, during the annotation writes in the others
        kill_after = rng.randint(1, 12) if rnd % 2 else rng.randint(14, 200)
        lines = _run_and_kill(store, rnd, kill_after, rng.uniform(0, 0.004))
        phase = "annotations" if any(line[0] in {"highlight", "note", "tags"} for line in lines) else "import"
        if lines[-1] != ["done"]:
            killed_in[phase] += 1
        for line in lines:
            if line[0] == "imported":
                imported.update(line[1:])
            elif line[0] == "highlight":
                highlights.setdefault(line[1], set()).add(line[2])
            elif line[0] == "note":
                last_note[line[1]] = " ".join(line[2:])
        with Library.open(store) as lib:
            damage = [n for n in lib.notices if "history" not in n]
            assert not damage, damage
            assert imported <= set(lib.ids())
            for aid, hids in highlights.items():
                assert hids <= {h.id for h in lib.annotations(aid).highlights}, (rnd, aid)
            for aid, note in last_note.items():
                stored = lib.annotations(aid).note
                # the last reported note, or one written after it whose report was cut off
                assert stored and _note_key(stored) >= _note_key(note), (aid, note, stored)
            for summary in lib.summaries():
                lib.article(summary.id)
    assert killed_in["import"] >= 3 and killed_in["annotations"] >= 3, killed_in
    assert len(imported) > 100 and sum(map(len, highlights.values())) > 100
