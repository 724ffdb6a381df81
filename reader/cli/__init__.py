"""`reader`: the command line. Each command module registers its own subcommands.

Exit codes: 0 success, 1 when some input failed (the rest went through), 2 usage or store errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from library import StoreError
from reader.cli import commands_annotations, commands_app, commands_check, commands_library
from reader.cli.common import CliError, add_global_options
from reader.cli.failures import describe, flush_notices, forget_all

COMMAND_MODULES = (commands_library, commands_annotations, commands_app, commands_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reader",
        description="Read, clean and annotate scraped news articles. Without a command, opens the app.",
    )
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    forget_all()  # notices belong to the libraries this command opens
    try:
        if handler is None:
            from reader.cli.commands_app import run_app

            return run_app(args)
        return int(handler(args) or 0)
    except CliError as err:
        flush_notices()
        print(f"reader: {err}", file=sys.stderr)
        return err.exit_code
    except (StoreError, OSError) as err:  # disk full, read-only, damage found late: one line
        if isinstance(err, BrokenPipeError):
            return _broken_pipe()
        flush_notices()
        print(f"reader: {describe(err)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    finally:
        flush_notices()
        forget_all()


def _broken_pipe() -> int:
    # `reader list | head`: the reader went away; stop quietly like other Unix tools.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


if __name__ == "__main__":
    sys.exit(main())
