"""Make `screenshots/*.svg` (and PNGs when `rsvg-convert` is installed) of every screen, from the
bundled samples, by driving the real app headless with the keys a person would press.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--size 120x40]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from library import Library  # noqa: E402
from reader.app.app import ReaderApp  # noqa: E402
from reader.app.settings import Settings  # noqa: E402
from reader.cli.commands_app import import_samples  # noqa: E402

Step = Callable[[object], Awaitable[None]]


def keys(*pressed: str) -> Step:
    async def run(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press(*pressed)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.2)

    return run


async def open_export(pilot) -> None:  # type: ignore[no-untyped-def]
    from reader.app.screens.export_dialog import ExportDialog

    pilot.app.push_screen(ExportDialog(today=date.today()))
    await pilot.pause(0.2)


async def annotate_first(pilot) -> None:  # type: ignore[no-untyped-def]
    """Open the first article and tag two sentences with the keys a reader uses: `}` to the next
    paragraph, `s` to select the sentence, a quick-tag digit."""
    await pilot.press("enter")
    await pilot.pause(0.3)
    await pilot.press("right_curly_bracket", "right_curly_bracket", "s", "4")
    await pilot.pause(0.2)
    await pilot.press("right_curly_bracket", "s", "1")
    await pilot.pause(0.3)


async def curate_two(pilot) -> None:  # type: ignore[no-untyped-def]
    """Two annotators label the first article's opening sentences a little differently; open curation."""
    lib = pilot.app.library
    aid = next(iter(lib.summaries())).id
    body = lib.article(aid).body
    sentences = [s.strip() + "." for s in body.split(".") if len(s.strip()) > 40][:4]
    plan = [
        ("alice", 0, "Loaded_Language", 0),
        ("ben", 0, "Loaded_Language", 12),  # ends 12 characters sooner: a boundary disagreement
        ("alice", 1, "Doubt", 0),
        ("ben", 1, "Doubt", 0),  # agreed: accepted at once
        ("alice", 2, "Flag_Waving", 0),
        ("ben", 2, "Exaggeration,Minimisation", 0),  # a label disagreement
        ("ben", 3, "Doubt", 0),  # only ben
    ]
    for who, n, label, short in plan:
        start = body.index(sentences[n])
        span = lib.article(aid).body_to_source(start, start + len(sentences[n]) - short)
        lib.annotator = who
        lib.add_highlight(aid, *span, tags=[label])
    lib.annotator = "demo"
    pilot.app.curate(["alice", "ben"])
    await pilot.pause(0.3)


async def use_ptc_scheme(pilot) -> None:  # type: ignore[no-untyped-def]
    """Give the library the bundled SemEval-2020 Task 11 scheme (as `reader scheme use ptc`)."""
    from library.annotations.schemes import bundled_scheme

    pilot.app.library.use_scheme(bundled_scheme("ptc"))
    await pilot.pause(0.1)


async def labels_view(pilot) -> None:  # type: ignore[no-untyped-def]
    """Label a few sentences with both key layers, then open the labels view from the library."""
    await use_ptc_scheme(pilot)
    await pilot.press("enter")
    await pilot.pause(0.3)
    await pilot.press("right_curly_bracket", "s", "1", "right_curly_bracket", "s", "grave_accent", "w")
    await pilot.press("right_curly_bracket", "s", "4", "q")
    await pilot.pause(0.2)
    await pilot.press("j", "enter")
    await pilot.pause(0.3)
    await pilot.press("s", "1", "d", "q", "L")
    await pilot.pause(0.3)


# name -> (steps run on a fresh app, whether the library starts empty)
SHOTS: dict[str, tuple[list[Step], bool]] = {
    "welcome": ([], True),
    "library": ([], False),
    "library-search": ([keys("slash", *'"city council"', "enter")], False),
    "library-filter": ([keys("f")], False),
    "help": ([keys("question_mark")], False),
    "export": ([open_export], False),
    "import": ([keys("i")], False),
    "article": ([keys("enter")], False),
    "article-annotated": ([annotate_first], False),
    "curation": ([curate_two], False),
    "picker-scheme": ([use_ptc_scheme, keys("enter"), keys("right_curly_bracket", "s", "t")], False),
    "labels": ([labels_view], False),
}


async def shoot(
    name: str, steps: list[Step], empty: bool, size: tuple[int, int], out: Path, work: Path
) -> Path:
    lib = Library.open(work / ("empty" if empty else "samples"))
    lib.annotator = "demo"
    try:
        if not empty and len(lib) == 0:
            import_samples(lib)
        app = ReaderApp(lib, Settings(annotator="demo"))
        async with app.run_test(size=size) as pilot:
            await pilot.pause(0.2)
            for step in steps:
                await step(pilot)
            await pilot.pause(0.3)  # the footer is composed once the bindings settle
            svg = app.export_screenshot(title=f"newsnotes-reader — {name}")
    finally:
        lib.close()
    path = out / f"{name}.svg"
    path.write_text(svg, encoding="utf-8")
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.lower().split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    converter = shutil.which("rsvg-convert")
    with tempfile.TemporaryDirectory() as tmp:
        for name, (steps, empty) in SHOTS.items():
            # each shot starts from the same state: annotations made by one shot do not leak into another
            work = Path(tmp) / name
            try:
                svg = asyncio.run(shoot(name, steps, empty, (width, height), args.out, work))
            except Exception as err:  # noqa: BLE001 - one failing screen must not stop the others
                print(f"{name}: failed ({type(err).__name__}: {err})", file=sys.stderr)
                continue
            print(svg.relative_to(REPO) if svg.is_relative_to(REPO) else svg)
            if converter:
                png = svg.with_suffix(".png")
                subprocess.run([converter, str(svg), "-o", str(png)], check=True)
                print(png.relative_to(REPO) if png.is_relative_to(REPO) else png)
    if not converter:
        print(
            "rsvg-convert not found: only SVGs were written (apt-get install librsvg2-bin)", file=sys.stderr
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
