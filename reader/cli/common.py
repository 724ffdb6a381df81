"""Shared pieces of the command line: global options, opening the store, safe output."""

from __future__ import annotations

import argparse
import os
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
    return getattr(args, "db", None) or default_store_path()


READ_ONLY_ENV = "READER_READ_ONLY"


def read_only_requested(args: argparse.Namespace) -> bool:
    """`--read-only`, or $READER_READ_ONLY set to anything but "", 0, no, false or off."""
    if getattr(args, "read_only", False):
        return True
    value = os.environ.get(READ_ONLY_ENV, "").strip().lower()
    return value not in ("", "0", "no", "false", "off")


def open_library(args: argparse.Namespace, *, write: bool) -> Library:
    """Open the store; a locked store is an error for writers and a read-only view for readers.
    With `--read-only` every command gets a read-only view (a write then fails with one line)."""
    path = store_path(args)
    try:
        lib = Library.open(path, read_only=not write or read_only_requested(args))
    except StoreError as err:  # StoreLocked, StoreCorrupt, ...: one line naming the file and the reason
        raise CliError(str(err)) from err
    for notice in lib.notices:  # e.g. recovered from a backup: never silently
        print(f"reader: {one_line(notice)}", file=sys.stderr)
    from reader.cli.failures import track

    track(lib, len(lib.notices))  # damage found later (a bucket read mid-command) is printed too
    from reader.config import annotator_name

    lib.annotator = annotator_name(getattr(args, "annotator", None))
    return lib
