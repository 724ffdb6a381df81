"""kill -9 at seeded random moments of every command that writes: annotate, import, clean,
import-annotations and merge. After each kill the library opens without damage, nothing a
command reported saved is lost, and a batch of annotations is there whole or not at all.

Bounded: a few seconds per command (small libraries, 12-16 kills each).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crash_helpers import REPO
from test_store_samples import make_article

from library import Library
from library.annotations.model import ArticleAnnotations, Highlight, new_id

ENV = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + str(REPO / "tests")}
FIGURES: dict[str, dict[str, int]] = {}
KILLS = 10

CHILD_BATCH = r"""
import sys
from pathlib import Path
from library import Library
from library.annotations.model import ArticleAnnotations, Highlight, new_id
from library.interchange.importing import import_annotation_files
from library.interchange.merge import merge_annotator_files
store, kind, files = sys.argv[1], sys.argv[2], sys.argv[3:]
lib = Library.open(store)
put = lib.put_annotations
def announced(*args, **kwargs):
    print("start", flush=True)  # the kill window is the batch write itself
    return put(*args, **kwargs)
lib.put_annotations = announced
if kind == "merge":
    report = merge_annotator_files(lib, [Path(f) for f in files])
else:
    report = import_annotation_files(lib, [Path(f) for f in files])
print("done", report.added, flush=True)
lib.close()
"""


def _spawn(code: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
    )


def _kill_after_start(child: subprocess.Popen[str], delay: float) -> tuple[list[str], float]:
    """Wait for the child's "start" line, then SIGKILL it `delay` seconds later (unless done).
    Returns its lines and how long it ran after "start"."""
    assert child.stdout is not None
    first = child.stdout.readline()
    assert first.startswith("start"), (first, child.stderr.read() if child.stderr else "")
    started = time.monotonic()
    deadline = started + delay
    while child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    out, _ = child.communicate()
    lines = out.splitlines()
    if out and not out.endswith("\n"):
        lines.pop()  # the kill cut this line off as it was printed: it reports nothing
    return [first.strip(), *lines], time.monotonic() - started


def _template(tmp_path: Path, n: int = 30) -> tuple[Path, list[Path]]:
    """A library of `n` articles (in many buckets) and two annotators' exports of spans on all."""
    from library.interchange.export import export_library

    source = tmp_path / "annotated"
    files = []
    for who in ("ann", "bob"):
        lib = Library.open(source / who)
        ids = lib.add_articles([make_article(i) for i in range(n)]).imported
        changes = {}
        for aid in ids:
            text = lib.article(aid).source_text
            ann = ArticleAnnotations(article_id=aid)
            for k in range(5):
                s, e = 10 + 20 * k, 25 + 20 * k
                ann.highlights.append(Highlight(new_id(), s, e, text[s:e], tags=[f"{who}{k}"], annotator=who))
            changes[aid] = ann
        lib.put_annotations(changes, label="spans")
        path = tmp_path / f"{who}.json"
        export_library(lib, "json", path)
        lib.close()
        files.append(path)
    template = tmp_path / "template"
    with Library.open(template) as lib:
        lib.add_articles([make_article(i) for i in range(n)])
    return template, files


def _highlights(store: Path) -> int:
    with Library.open(store) as lib:  # a writer open finishes an interrupted batch
        damage = [m for m in lib.notices if "interrupted" not in m and "history" not in m]
        assert not damage, damage
        return sum(len(lib.annotations(aid).highlights) for aid in lib.ids())


def _one_batch_run(
    template: Path, store: Path, kind: str, files: list[Path], delay: float
) -> tuple[bool, int]:
    """Copy the template, run the batch, kill it after `delay`; (killed, highlights after)."""
    shutil.rmtree(store, ignore_errors=True)
    shutil.copytree(template, store)
    lines, _ = _kill_after_start(_spawn(CHILD_BATCH, str(store), kind, *map(str, files)), delay)
    with Library.open(store, read_only=True) as view:  # before any writer finishes the batch
        seen = sum(len(view.annotations(aid).highlights) for aid in view.ids())
    count = _highlights(store)
    assert seen == count, (seen, count)
    return lines[-1].split()[0] != "done", count


@pytest.mark.parametrize("kind", ["import-annotations", "merge"])
def test_kill_during_an_annotation_batch_leaves_all_or_nothing(tmp_path: Path, kind: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    template, files = _template(tmp_path)
    if kind == "import-annotations":
        files = files[:1]
    store = tmp_path / "store"
    shutil.copytree(template, store)
    lines, duration = _kill_after_start(_spawn(CHILD_BATCH, str(store), kind, *map(str, files)), 60)
    full = int(lines[-1].split()[1])
    assert _highlights(store) == full > 0
    rng = random.Random(16)
    # Within the first part of the write: a lone calibration run can be slower than the later ones.
    delays = [rng.uniform(0, 0.6 * duration) for _ in range(KILLS)]
    with ThreadPoolExecutor(3) as pool:
        runs = list(
            pool.map(
                lambda i: _one_batch_run(template, tmp_path / f"s{i}", kind, files, delays[i]), range(KILLS)
            )
        )
    kills = sum(killed for killed, _ in runs)
    states = sorted({count for _, count in runs})
    partial = sum(count not in (0, full) for _, count in runs)
    FIGURES[kind] = {"kills": kills, "partial": partial}
    assert partial == 0, states
    assert kills >= 3, kills
    assert 0 in states or full in states


# --- annotate, import, clean ------------------------------------------------------------------
CHILD_ANNOTATE = r"""
import sys
from library import Library
lib = Library.open(sys.argv[1])
ids = lib.ids()
print("start", flush=True)
for n in range(400):
    aid = ids[n % len(ids)]
    if n % 3 == 2:
        lib.set_article_note(aid, f"note {n}")
        print("note", aid, n, flush=True)
    else:
        h = lib.add_highlight(aid, 10, 20 + n % 30, tags=[f"t{n}"])
        print("highlight", aid, h.id, flush=True)
print("done 0", flush=True)
"""

CHILD_CLI = r"""
import sys
from reader.cli import main
print("start", flush=True)
code = main(sys.argv[1:])
print("done", code, flush=True)
"""


def _pool_runs(run_one, n: int) -> list:  # type: ignore[no-untyped-def]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(3) as pool:
        return list(pool.map(run_one, range(n)))


def test_kill_during_annotate_loses_no_reported_save(tmp_path: Path) -> None:
    template = tmp_path / "template"
    with Library.open(template) as lib:
        lib.add_articles([make_article(i) for i in range(20)])
    rng = random.Random(7)
    delays = [rng.uniform(0.05, 1.5) for _ in range(KILLS)]

    def one(i: int) -> tuple[bool, int]:
        store = tmp_path / f"a{i}"
        shutil.copytree(template, store)
        lines, _ = _kill_after_start(_spawn(CHILD_ANNOTATE, str(store)), delays[i])
        reported = [line.split() for line in lines[1:] if line.endswith(tuple("0123456789abcdef"))]
        with Library.open(store) as lib:
            assert [m for m in lib.notices if "history" not in m] == []
            checked = 0
            last_note: dict[str, int] = {}
            for words in reported:
                if words[0] == "highlight":
                    assert words[2] in {h.id for h in lib.annotations(words[1]).highlights}
                    checked += 1
                elif words[0] == "note":
                    last_note[words[1]] = int(words[2])
            for aid, n in last_note.items():
                stored = int(lib.annotations(aid).note.split()[1])
                assert stored >= n  # the last reported note, or a later one whose line was cut off
                checked += 1
        return lines[-1].split()[0] != "done", checked

    runs = _pool_runs(one, KILLS)
    kills, saves = sum(k for k, _ in runs), sum(c for _, c in runs)
    FIGURES["annotate"] = {"kills": kills, "saves checked": saves, "lost": 0}
    assert kills >= KILLS // 2 and saves > 50


def _article_files(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        words = " ".join(f"word{(i * 7 + k) % 97}" for k in range(60))
        (folder / f"a{i:03d}.txt").write_text(
            f"Title {i}\n\nBy Someone {i}\n\n{words}.\n\nMore {i} {words}.\n"
        )


def _sound(store: Path) -> int:
    """Open as a writer (as the next command would): no damage, every article readable."""
    with Library.open(store) as lib:
        assert [m for m in lib.notices if "history" not in m] == [], lib.notices
        for aid in lib.ids():
            lib.article(aid)
        return len(lib)


@pytest.mark.parametrize("kind", ["import", "clean"])
def test_kill_during_import_or_clean_leaves_a_sound_library_that_finishes(tmp_path: Path, kind: str) -> None:
    files = tmp_path / "in"
    _article_files(files, 120)
    template = tmp_path / "template"
    if kind == "clean":  # stored, not cleaned: what an interrupted import leaves
        from library.ingest.reading import read_inputs

        with Library.open(template) as lib:
            lib.add_articles(read_inputs([str(files)], defer_cleaning=True), batch_size=30)
            assert len(lib.pending_ids()) == 120
        args = ["--db", "{store}", "clean", "-q"]
    else:
        template.mkdir()
        args = ["--db", "{store}", "import", "-q", str(files)]
    store = tmp_path / "probe"
    shutil.copytree(template, store)
    lines, duration = _kill_after_start(_spawn(CHILD_CLI, *[a.format(store=store) for a in args]), 120)
    assert lines[-1] == "done 0", lines
    rng = random.Random(11)
    delays = [rng.uniform(0, duration) for _ in range(KILLS)]

    def one(i: int) -> bool:
        store = tmp_path / f"k{i}"
        shutil.copytree(template, store)
        lines, _ = _kill_after_start(_spawn(CHILD_CLI, *[a.format(store=store) for a in args]), delays[i])
        _sound(store)
        # Running the command again finishes the work: every article there, cleaned, none twice.
        again, _ = _kill_after_start(_spawn(CHILD_CLI, *[a.format(store=store) for a in args]), 120)
        assert again[-1] == "done 0", again
        assert _sound(store) == 120
        with Library.open(store, read_only=True) as lib:
            assert lib.pending_ids() == []
        return lines[-1].split()[0] != "done"

    kills = sum(_pool_runs(one, KILLS))
    FIGURES[kind] = {"kills": kills, "lost": 0}
    assert kills >= 3, kills


def test_zz_print_figures() -> None:
    """The figures of this run, for the README's table (shown with -s)."""
    for kind, figures in FIGURES.items():
        print(f"kill -9 figures: {kind}: {figures}")
