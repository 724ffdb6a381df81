"""Shared pieces of the command line: global options, opening the store, safe output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from library import Library, LibraryError, NotFound, default_store_path
from library.safetext import one_line

# Exit codes (README): 0 success; 1 some input failed or what was asked for is not there;
# 2 a usage error, bad input, or a store that cannot be used.
EXIT_FAILED = 1
EXIT_ERROR = 2


class CliError(Exception):
    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def error_exit(err: LibraryError | CliError) -> tuple[str, int]:
    """The one line and the exit code for an error that ends a command: the one place where the
    domain's error family meets the command line's exit codes."""
    if isinstance(err, CliError):
        return one_line(str(err)), err.exit_code
    code = EXIT_FAILED if isinstance(err, NotFound) else EXIT_ERROR
    return one_line(str(err)), code


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
    lib = Library.open(path, read_only=not write)  # StoreLocked, StoreCorrupt, ...: see `error_exit`
    for notice in lib.notices:  # e.g. recovered from a backup: never silently
        print(f"reader: {one_line(notice)}", file=sys.stderr)
    from reader.config import annotator_name

    lib.annotator = annotator_name(getattr(args, "annotator", None))
    return lib
