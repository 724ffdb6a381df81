"""Shared pieces of the command line: global options, opening the store, safe output.

The library itself (`Library`, the store) loads when a command opens it, not when the parser is
built: `reader --help` and every usage error stay cheap."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from library.errors import LibraryError, NotFound
from library.safetext import one_line

if TYPE_CHECKING:
    from library import Library

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
        "--read-only",
        dest="read_only",
        action="store_true",
        default=argparse.SUPPRESS,
        help="open the library read-only: nothing is written, not even a repair (also $READER_READ_ONLY=1)",
    )
    parser.add_argument(
        "--annotator",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="name recorded on new annotations (default: from the config file, else your login name)",
    )


def store_path(args: argparse.Namespace) -> Path:
    db = getattr(args, "db", None)
    if db:
        return db
    from library import default_store_path

    return default_store_path()


READ_ONLY_ENV = "READER_READ_ONLY"


def read_only_requested(args: argparse.Namespace) -> bool:
    """`--read-only`, or $READER_READ_ONLY set to anything but "", 0, no, false or off."""
    if getattr(args, "read_only", False):
        return True
    value = os.environ.get(READ_ONLY_ENV, "").strip().lower()
    return value not in ("", "0", "no", "false", "off")


def open_library(
    args: argparse.Namespace, *, write: bool, create: bool = False, notices_to_stderr: bool = True
) -> Library:
    """Open the store; a locked store is an error for writers and a read-only view for readers.

    Only `create` (import, the app) makes a new library: any other command on a path that holds
    none says so, rather than reporting an empty library (`--db /tmp/typo list`). Every notice
    the store gives (a damaged file recovered from its backup, at open or at any moment later) is
    printed to standard error as one line when it happens, never kept silent; the app passes
    `notices_to_stderr=False` and shows them as notifications instead. With `--read-only` (or
    $READER_READ_ONLY) every command gets a read-only view (a write then fails with one line).
    """
    from library import Library
    from library import open_library as open_library_at

    path = store_path(args)
    if not create and not Library.exists(path):
        raise CliError(f"{path}: no library there (create one with: reader --db {path} import PATH)")
    from reader.config import annotator_name

    lib = open_library_at(
        path,
        read_only=not write or read_only_requested(args),
        annotator=annotator_name(getattr(args, "annotator", None)),
    )  # StoreLocked, StoreCorrupt, ...: see `error_exit`
    if notices_to_stderr:
        lib.on_notice(print_notice)
    # The config's default label scheme, for a library that remembers none (`reader scheme use`).
    from reader.config import default_scheme

    lib.fallback_scheme, problem = default_scheme()
    if problem:
        print_notice(problem)
    return lib


def print_notice(message: str) -> None:
    print(f"reader: {one_line(message)}", file=sys.stderr, flush=True)
