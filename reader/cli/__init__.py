"""`reader`: the command line. Each command module registers its own subcommands.

Exit codes: 0 success, 1 when some input failed (the rest went through), 2 usage or store errors.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from reader.cli import commands_annotations, commands_app, commands_library, commands_schemes
from reader.cli.common import CliError, add_global_options

COMMAND_MODULES = (commands_library, commands_annotations, commands_schemes, commands_app)


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
    try:
        if handler is None:
            from reader.cli.commands_app import run_app

            return run_app(args)
        return int(handler(args) or 0)
    except CliError as err:
        print(f"reader: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("reader: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `reader list | head`: the reader went away; stop quietly like other Unix tools.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
