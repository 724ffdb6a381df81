"""The bundled sample library: the seed Global Research scrape plus fictional articles we wrote,
one or more in each supported input format, shipped as package data so `reader` can demo itself
after a plain install."""

from __future__ import annotations

from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parent
SAMPLE_SUFFIXES = (".txt", ".md", ".html", ".csv", ".jsonl", ".json")


def sample_paths() -> list[Path]:
    """The sample article files, sorted by name (the seed article first)."""
    return sorted(p for p in SAMPLE_DIR.iterdir() if p.is_file() and p.suffix in SAMPLE_SUFFIXES)
