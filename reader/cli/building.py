"""Building only the part of the parser a command line uses.

Why: argparse makes every option of every subcommand eagerly (about 200 options in 30 parsers,
each with its formatter and translation look-ups), which was most of what `reader --help` cost
once the command modules stopped importing the library. A command module registers its commands
through `Registering`, which builds the wanted commands in full and gives every other one a bare
parser with its help line: enough for `reader --help`, for the list of choices in a usage error,
and for finding which command the line names. `reader.cli.main` parses twice: once with every
command bare (to learn the command), then with that command in full.
"""

from __future__ import annotations

import argparse
from collections.abc import Container
from typing import Any

EVERY = None  # `wanted` for a parser with every command in full


class Registering:
    """The subparsers action as a command module sees it (`add_parser` is all a module calls).

    `wanted`: the names built in full (EVERY: all of them); any other command gets a bare parser
    (no options, no -h) and its options go to a `Discard`."""

    def __init__(self, sub: argparse._SubParsersAction, wanted: Container[str] | None) -> None:
        self.sub = sub
        self.wanted = wanted

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if self.wanted is EVERY or name in self.wanted:
            return self.sub.add_parser(name, **kwargs)
        self.sub.add_parser(name, help=kwargs.get("help"), add_help=False)
        return Discard()


class Discard:
    """Takes every parser-building call for a command that is not built, and keeps nothing."""

    def __getattr__(self, _name: str) -> Any:
        return self._anything

    def _anything(self, *_args: Any, **_kwargs: Any) -> Discard:
        return self
