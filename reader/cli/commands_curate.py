"""`reader curate`: settle the disagreements between annotators into one curated layer.

Interactive by default (the app opens on the curation view); `--auto` is for scripts: it writes only
what the annotators agree on (or, with `--majority`, what most of them proposed) and prints what is
left to decide.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from library.safetext import one_line
from reader.cli.common import CliError, add_global_options, open_library

if TYPE_CHECKING:
    from library import Library
    from library.core.curating import CurationSession

# library.annotations.curation.DEFAULT_CURATOR, repeated so that building the parser does not load
# the curation modules (tests/test_cli_startup.py checks that the two agree).
DEFAULT_CURATOR = "curation"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "curate",
        help="adjudicate between annotators into a curated layer (interactive, or --auto)",
        description="Settle every disagreement between the chosen annotators into one curated layer "
        "(an annotator like any other, exported with --annotator NAME).",
        epilog="example: reader curate --from alice --from ben --auto --json",
    )
    add_global_options(p)
    p.add_argument(
        "--from",
        dest="sources",
        action="append",
        default=[],
        metavar="NAME",
        required=True,
        help="an annotator to curate (give it two or more times)",
    )
    p.add_argument(
        "--as",
        dest="curator",
        default=DEFAULT_CURATOR,
        metavar="NAME",
        help=f"name of the curated layer (default: {DEFAULT_CURATOR})",
    )
    p.add_argument("--auto", action="store_true", help="write only the agreed spans and print what is left")
    p.add_argument(
        "--majority",
        action="store_true",
        help="with three or more annotators, also accept what more than half of them proposed",
    )
    p.add_argument(
        "--no-agreed",
        dest="accept_agreed",
        action="store_false",
        help="do not accept exact agreements at once: decide them too",
    )
    p.add_argument("--json", action="store_true", help="with --auto: print the report as JSON")
    p.set_defaults(handler=cmd_curate)


def _session(lib: Library, args: argparse.Namespace) -> CurationSession:
    from library.annotations.curation import CurationError
    from library.core.curating import CurationSession

    try:
        return CurationSession(
            lib,
            args.sources,
            curator=args.curator,
            accept_agreed=args.accept_agreed,
            majority=args.majority,
        )
    except CurationError as err:
        raise CliError(f"curate: {err}") from err


def cmd_curate(args: argparse.Namespace) -> int:
    if not args.auto:
        from reader.cli.commands_app import launch_curation

        return launch_curation(args)
    with open_library(args, write=True) as lib:
        session = _session(lib, args)
        session.prepare_all()
        report = session.report()
    from library.annotations.curation import KIND_ARTICLE_LABEL

    if args.json:
        from reader.cli.commands_annotations import safe_json

        print(safe_json(report))
        return 0
    print(
        f"curated layer {one_line(args.curator, 40)}: {report['pre_accepted']} agreed proposal(s) accepted "
        f"over {report['articles']} article(s); {report['total'] - report['decided']} of {report['total']} "
        f"disagreement(s) left to decide in {report['articles_open']} article(s)"
    )
    for plan in report["open"]:
        for item in plan["open"]:
            props = "; ".join(
                f"{'+'.join(one_line(a, 20) for a in p['annotators'])}: {one_line(p['label'], 30)}"
                + ("" if item["kind"] == KIND_ARTICLE_LABEL else f" [{p['source_start']},{p['source_end']})")
                for p in item["proposals"]
            )
            quote = next((p["quote"] for p in item["proposals"] if p["quote"]), "")
            tail = f" “{one_line(quote, 40)}”" if quote else ""
            print(f"  {plan['article_id'][:12]}  {item['kind']:13} {props}{tail}")
    return 0
