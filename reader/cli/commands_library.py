"""Library commands: import, list, show, stats."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Filled in with the foundation work."""
