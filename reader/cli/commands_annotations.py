"""Annotation commands: export, import-annotations, merge, agreement, annotate, tag."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Filled in with the annotation export/import work."""
