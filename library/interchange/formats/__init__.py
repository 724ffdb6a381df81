"""The registry of annotation formats: one module per format, each holding its reader and writer.

`FORMATS` maps a name to its `FormatSpec`, in the order `reader export --list-formats` shows them.
"""

from __future__ import annotations

from library.interchange.formats import (
    brat,
    conll,
    doccano,
    hypothesis,
    json_doc,
    jsonl,
    kindle,
    label_studio,
    markdown,
    ptc,
    readwise,
    spacy_docbin,
    w3c,
    webanno,
)
from library.interchange.formats import csv as csv_format
from library.interchange.spec import FormatSpec

_SPECS: list[FormatSpec] = [
    json_doc.SPEC,
    jsonl.SPEC,
    w3c.SPEC,
    ptc.SPEC,
    ptc.SPEC_SI,
    doccano.SPEC,
    csv_format.SPEC,
    markdown.SPEC,
    brat.SPEC,
    label_studio.SPEC,
    spacy_docbin.SPEC,
    conll.SPEC,
    webanno.SPEC,
    hypothesis.SPEC,
    kindle.SPEC,
    readwise.SPEC,
]

FORMATS: dict[str, FormatSpec] = {s.name: s for s in _SPECS}
EXPORT_FORMATS: tuple[str, ...] = tuple(n for n, s in FORMATS.items() if s.writer is not None)
IMPORT_FORMATS: tuple[str, ...] = tuple(n for n, s in FORMATS.items() if s.reader is not None)


def format_table() -> list[dict[str, str]]:
    """Name, extension, directions and what is lost, for `--list-formats` and the README."""
    return [
        {
            "name": s.name,
            "extension": "folder" if s.extension == "/" else s.extension,
            "directions": s.directions,
            "description": s.description,
            "lost": s.lost,
        }
        for s in FORMATS.values()
    ]
