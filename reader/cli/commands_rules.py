"""`reader rules`: the site rules learned from the user's flips (list, add, edit, remove).

A rule does on every article of one site what the user did to one block: keep it out of the body
(or in it), matched by the block's fingerprint or by a pattern. `--json` prints the rules as JSON
(`id`, `site`, `kind`, `value`, `to_body`, `label`, `created`) with unsafe characters escaped.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from library.safetext import one_line
from reader.cli.commands_annotations import safe_json
from reader.cli.common import CliError, add_global_options, open_library

if TYPE_CHECKING:
    from library.core.site_rules import SiteRule


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("rules", help="site rules learned from flips: list, add, edit, remove")
    add_global_options(p)
    actions = p.add_subparsers(dest="rules_action", metavar="ACTION")

    q = actions.add_parser("list", help="list the site rules")
    add_global_options(q)
    q.add_argument("--site", help="only the rules of this site key (as `rules list` shows it)")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q.set_defaults(handler=cmd_list)

    q = actions.add_parser("add", help="apply what a block of one article shows to every article of its site")
    add_global_options(q)
    q.add_argument("article", help="article id (or a unique prefix)")
    q.add_argument(
        "block", type=int, help="block number, as `reader show --json` and the boilerplate pane give it"
    )
    q.add_argument(
        "--pattern", metavar="REGEX", help="match blocks by this pattern instead of the block's text"
    )
    _direction(q, "(default: as the block is now)")
    q.add_argument("--json", action="store_true", help="print the new rule as JSON")
    q.set_defaults(handler=cmd_add)

    q = actions.add_parser("edit", help="change a rule's pattern or direction")
    add_global_options(q)
    q.add_argument("rule", help="rule id (r1, r2, ...)")
    q.add_argument("--pattern", metavar="REGEX", help="match by this pattern from now on")
    _direction(q, "")
    q.add_argument("--json", action="store_true", help="print the rule as JSON")
    q.set_defaults(handler=cmd_edit)

    q = actions.add_parser("remove", help="remove a rule (its blocks go back to how the cleaner left them)")
    add_global_options(q)
    q.add_argument("rule", help="rule id (r1, r2, ...)")
    q.add_argument("--json", action="store_true", help="print the removed rule as JSON")
    q.set_defaults(handler=cmd_remove)

    p.set_defaults(handler=cmd_list, site=None, json=False)


def _direction(parser: argparse.ArgumentParser, default: str) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--remove-blocks",
        dest="to_body",
        action="store_false",
        default=None,
        help=f"matching blocks leave the body {default}".rstrip(),
    )
    group.add_argument(
        "--keep-blocks", dest="to_body", action="store_true", help="matching blocks stay in the body"
    )


def _as_json(rule: SiteRule) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(rule)


def _print_rule(rule: SiteRule, as_json: bool, verb: str) -> None:
    if as_json:
        print(safe_json(_as_json(rule)))
    else:
        print(f"{verb} {one_line(rule.describe(), 200)}", file=sys.stderr)


def cmd_list(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        rules = lib.site_rules(args.site)
        if args.json:
            print(safe_json([_as_json(r) for r in rules]))
            return 0
        if not rules:
            print("No site rules. Flip a block in the app and press S, or use `reader rules add`.")
            return 0
        for rule in rules:
            count = len(lib.site_articles(rule.site))
            print(f"{one_line(rule.describe(), 200)}  ({count} articles)")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from library.core.site_rules import SiteRuleError

    with open_library(args, write=True) as lib:
        try:
            article_id = lib.resolve_id(args.article)
            rule = lib.add_site_rule(article_id, args.block, pattern=args.pattern, to_body=args.to_body)
        except (KeyError, SiteRuleError) as err:
            raise CliError(str(err.args[0] if isinstance(err, KeyError) else err)) from err
        _print_rule(rule, args.json, "added")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from library.core.site_rules import SiteRuleError

    if args.pattern is None and args.to_body is None:
        raise CliError("nothing to change: give --pattern, --remove-blocks or --keep-blocks")
    with open_library(args, write=True) as lib:
        try:
            rule = lib.edit_site_rule(args.rule, pattern=args.pattern, to_body=args.to_body)
        except SiteRuleError as err:
            raise CliError(str(err)) from err
        _print_rule(rule, args.json, "changed")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from library.core.site_rules import SiteRuleError

    with open_library(args, write=True) as lib:
        try:
            rule = lib.remove_site_rule(args.rule)
        except SiteRuleError as err:
            raise CliError(str(err)) from err
        _print_rule(rule, args.json, "removed")
    return 0
