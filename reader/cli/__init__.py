"""`reader`: the command line. Each command module registers its own subcommands.

Exit codes: 0 success, 1 when some input failed (the rest went through), 2 usage or store errors.
Every error is one line on stderr shaped `reader: <what>: <why>`.

Building the parser imports no more than argparse and the command modules' option tables: each
handler loads the library parts it uses when it runs, so that `reader --help`, a usage error and
every light command start fast (tests/test_cli_startup.py keeps it so).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Container, Sequence
from typing import Any, NoReturn

from library.errors import LibraryError
from reader.cli import (
    commands_annotations,
    commands_app,
    commands_check,
    commands_curate,
    commands_library,
    commands_rules,
    commands_schemes,
)
from reader.cli.building import EVERY, Registering
from reader.cli.common import CliError, add_global_options, error_exit
from reader.cli.failures import describe

COMMAND_MODULES = (
    commands_library,
    commands_annotations,
    commands_curate,
    commands_rules,
    commands_schemes,
    commands_check,
    commands_app,
)

# One example per subcommand, shown at the end of its --help.
EXAMPLES = {
    "import": "reader import ~/articles/ --format globalresearch",
    "clean": "reader clean --quiet",
    "list": "reader list --tag Doubt --since 2017-10-01 --unread",
    "show": "reader show 1a2b3c4d --json",
    "stats": "reader stats --json",
    "export": "reader export --format w3c --tag Doubt -o doubt.jsonld",
    "import-annotations": "reader import-annotations colleague.json",
    "merge": "reader merge alice.json bob.json",
    "agreement": "reader agreement --a alice --b bob",
    "annotate": 'reader annotate 1a2b3c4d --quote "Las Vegas" --tag Doubt',
    "tag": "reader tag 1a2b3c4d Reviewed",
    "curate": "reader curate --from alice --from ben --auto --json",
    "scheme": "reader scheme use ptc",
    "tags": "reader tags rename Doubt Doubt_Casting",
    "state": "reader state 1a2b3c4d done",
    "rules": "reader rules list --site example.org",
    "check": "reader check --repair",
    "demo": "reader demo",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("newsnotes-reader")
    except PackageNotFoundError:
        return "unknown"


class _Version(argparse.Action):
    """`--version`: the installed version, looked up only when asked for (the lookup reads the
    package metadata, which every other command would pay for)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> None:
        print(f"reader (newsnotes-reader) {_version()}")
        parser.exit()


class Parser(argparse.ArgumentParser):
    """argparse with errors in the command line's one shape: `reader <cmd>: <what>: <why>`."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        what = self.prog.removeprefix("reader").strip() or "command line"
        self.exit(2, f"reader: {what}: {message}\n")


def build_parser(wanted: Container[str] | None = EVERY) -> argparse.ArgumentParser:
    """The command line's parser. `wanted`: the commands built in full (default: all); the others
    get a bare parser with their help line (reader/cli/building.py)."""
    parser = Parser(
        prog="reader",
        description="Read, clean and annotate scraped news articles. Without a command, opens the app.",
        epilog="example: reader --db ~/news import ~/articles/ && reader --db ~/news",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    registering = Registering(sub, wanted)
    for module in COMMAND_MODULES:
        module.register(registering)  # add_parser is all they call
    for name, command in sub.choices.items():
        example = EXAMPLES.get(name)
        if wanted is not EVERY and name not in wanted:
            continue
        if example and "example" not in (command.epilog or ""):
            command.epilog = (
                f"{command.epilog}\n\nexample: {example}" if command.epilog else f"example: {example}"
            )
            command.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser


def error_line(message: str, command: str | None) -> str:
    """`reader: <what>: <why>`: a message that names no subject gets the command's name."""
    what, sep, why = message.partition(": ")
    if not sep or not what or (" " in what and not what.startswith(("/", "~", "."))):
        return f"reader: {command or 'reader'}: {message}"
    return f"reader: {message}"


def parse(argv: Sequence[str] | None) -> tuple[argparse.ArgumentParser, argparse.Namespace, list[str]]:
    """(parser, args, unrecognized) for `argv`, building in full only the command it names: a
    first pass with every command bare finds the command (and answers `reader --help`, `--version`
    and a usage error of the top level), the second parses the command's own options."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(wanted=())
    args, extra = parser.parse_known_args(argv)
    command = getattr(args, "command", None)
    if command is not None:
        parser = build_parser(wanted={command})
        args, extra = parser.parse_known_args(argv)
    return parser, args, extra


def main(argv: Sequence[str] | None = None) -> int:
    parser, args, extra = parse(argv)
    if extra:  # named after the command they were given to, like every other error
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))  # noqa: SLF001
        commands = sub.choices
        (commands.get(getattr(args, "command", None) or "") or parser).error(
            f"unrecognized arguments: {' '.join(extra)}"
        )
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from reader.cli.commands_app import run_app

            return run_app(args)
        return int(handler(args) or 0)
    except (CliError, LibraryError) as err:  # one line naming the thing and the reason, never a traceback
        message, code = error_exit(err)
        print(error_line(message, getattr(args, "command", None)), file=sys.stderr)
        return code
    except OSError as err:  # disk full, read-only file system, permission denied: one line
        if isinstance(err, BrokenPipeError):
            return _broken_pipe()
        print(error_line(describe(err), getattr(args, "command", None)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"reader: {getattr(args, 'command', None) or 'reader'}: interrupted", file=sys.stderr)
        return 130


def _broken_pipe() -> int:
    # `reader list | head`: the reader went away; stop quietly like other Unix tools.
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 141


if __name__ == "__main__":
    sys.exit(main())
