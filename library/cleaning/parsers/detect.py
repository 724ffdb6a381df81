"""Which single-article text format a file is in, from its content alone."""

from __future__ import annotations

from library.cleaning.parsers import globalresearch, markdown


def detect_format(text: str) -> str:
    """ "globalresearch" for the GR header, "markdown" for `# title` + `> Source:`, else "text"."""
    head = text.lstrip("\ufeff")
    if markdown.looks_like(head):
        return "markdown"
    if globalresearch.looks_like(head):
        return "globalresearch"
    return "text"
