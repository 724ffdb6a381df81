"""Line ends: every real article parses the same with LF, CRLF, CR-only or mixed line ends
(the same metadata and block texts), and every block's runs still copy the source exactly."""

from __future__ import annotations

import itertools

import pytest
from conftest import corpus_dir
from parsing_helpers import check_runs

from library.cleaning.parsers import parse_document
from library.model import Origin


def _with_ends(text: str, ends: list[str]) -> str:
    """The text with its line ends taken in turn from `ends`. A lone CR before an empty line
    whose end is LF would make one CRLF of two line ends: there, CRLF is written instead."""
    cycle = itertools.cycle(ends)
    lines = text.split("\n")
    chosen = [next(cycle) for _ in lines[:-1]]
    for i in range(len(chosen) - 1):
        if chosen[i] == "\r" and lines[i + 1] == "" and chosen[i + 1].startswith("\n"):
            chosen[i] = "\r\n"
    return "".join(line + end for line, end in zip(lines, chosen, strict=False)) + lines[-1]


def _view(text: str, name: str) -> tuple[dict, list[tuple[str, str | None]]]:
    parsed = parse_document(text, Origin(name))
    check_runs(parsed)
    return parsed.meta.to_json(), [(b.text, b.reason) for b in parsed.blocks]


@pytest.mark.parametrize("corpus", ["seed", "bibp-archive-globalresearch", "ptc-dev"])
@pytest.mark.parametrize("ends", [["\r"], ["\r\n"], ["\n", "\r\n", "\r", "\n"]], ids=["cr", "crlf", "mixed"])
def test_real_articles_parse_the_same_whatever_the_line_ends(corpus: str, ends: list[str]) -> None:
    folder = corpus_dir(corpus)
    files = sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md") and p.name != "SOURCE.md")
    files = [p for p in files if p.name != "techniques.txt"]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        if "\r" in text:  # (a stray CR of the archive's: a line end of its own either way)
            text = text.replace("\r", "\n")
        assert _view(_with_ends(text, ends), path.name) == _view(text, path.name), path.name
