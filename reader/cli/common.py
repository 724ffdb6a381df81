"""Shared pieces of the command line: global options, opening the store, safe output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from library import Library, StoreError, default_store_path
from library.safetext import one_line


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """--db is accepted before the command and after it (`reader --db X list`, `reader list --db X`)."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=argparse.SUPPRESS,
        help="library directory (default: $READER_DB or the user data directory)",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="name recorded on new annotations (default: from the config file, else your login name)",
    )


def store_path(args: argparse.Namespace) -> Path:
    return getattr(args, "db", None) or default_store_path()


def open_library(args: argparse.Namespace, *, write: bool) -> Library:
    """Open the store; a locked store is an error for writers and a read-only view for readers."""
    path = store_path(args)
    try:
        lib = Library.open(path, read_only=not write)
    except StoreError as err:  # StoreLocked, StoreCorrupt, ...: one line naming the file and the reason
        raise CliError(str(err)) from err
    for notice in lib.notices:  # e.g. recovered from a backup: never silently
        print(f"reader: {one_line(notice)}", file=sys.stderr)
    from reader.config import annotator_name

    lib.annotator = annotator_name(getattr(args, "annotator", None))
    # The config's default label scheme, for a library that remembers none (`reader scheme use`).
    from reader.config import default_scheme

    lib.fallback_scheme, problem = default_scheme()
    if problem:
        print(f"reader: {one_line(problem)}", file=sys.stderr)
    return lib
