"""The annotation formats' names, for `--format` choices, without loading the format registry.

Why a copy: building the parser must not import library/interchange/formats (every reader and
writer, jsonschema, spaCy's optional bits): `reader --help` would pay for them. The registry
stays the one source of truth; tests/test_cli_startup.py checks that this table matches it
name for name, in order, with the same directions, so the two cannot drift.
"""

from __future__ import annotations

# (name, directions) in the registry's order (library/interchange/formats/__init__.py).
FORMAT_DIRECTIONS: tuple[tuple[str, str], ...] = (
    ("json", "import/export"),
    ("jsonl", "import/export"),
    ("w3c", "import/export"),
    ("ptc", "import/export"),
    ("ptc-si", "import/export"),
    ("doccano", "import/export"),
    ("csv", "import/export"),
    ("markdown", "export"),
    ("brat", "import/export"),
    ("label-studio", "import/export"),
    ("spacy", "import/export"),
    ("conll", "import/export"),
    ("webanno", "import/export"),
    ("hypothesis", "import"),
    ("kindle", "import"),
    ("readwise", "import"),
)

EXPORT_FORMATS: tuple[str, ...] = tuple(n for n, d in FORMAT_DIRECTIONS if "export" in d.split("/"))
IMPORT_FORMATS: tuple[str, ...] = tuple(n for n, d in FORMAT_DIRECTIONS if "import" in d.split("/"))
