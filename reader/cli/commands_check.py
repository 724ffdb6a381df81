"""`reader check [--repair]`: every file of the library verified, one line per finding.

Exit codes: 0 when the library is sound (or every finding was repaired), 1 when findings remain,
2 when the check itself cannot run (a lock held by another process, a missing library).
"""

from __future__ import annotations

import argparse

from library.safetext import one_line
from reader.cli.common import CliError, add_global_options, store_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="verify every file of the library (schema, checksums, backups, orphans, leftovers)",
        description="Read every file of the library and its backup, and report each problem in one "
        "line. With --repair, mend what has a good copy (damaged files are kept aside, never deleted).",
    )
    add_global_options(p)
    p.add_argument(
        "--repair", action="store_true", help="repair what has a good copy (takes the writer lock)"
    )
    p.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace) -> int:
    from library import StoreError
    from library.core.check import check_library

    path = store_path(args)
    if not path.is_dir():
        raise CliError(f"{path}: no library here")
    try:
        report = check_library(path, repair=args.repair)
    except StoreError as err:
        raise CliError(str(err)) from err
    for finding in report.findings:
        print(one_line(finding.line(), 1000))
    left = len(report.unrepaired)
    if not report.findings:
        print(f"library is sound: {report.files} files checked")
    elif args.repair:
        print(f"{len(report.findings)} finding(s), {len(report.findings) - left} repaired, {left} left")
    else:
        print(f"{len(report.findings)} finding(s); `reader check --repair` mends what has a good copy")
    return 1 if left else 0
