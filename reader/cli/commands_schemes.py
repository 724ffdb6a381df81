"""Commands for labelling projects: `reader scheme list|use|show`, `reader tags [rename|merge]`,
`reader state ID new|progress|done`, and the `--state` filter that `list` and `export` share.

The schemes, work-state and rich modules load inside the handlers: building the parser does not
pay for them."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from library.safetext import one_line
from reader.cli.common import CliError, add_global_options, open_library


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scheme", help="the library's label scheme: list, use, show")
    add_global_options(p)
    actions = p.add_subparsers(dest="scheme_command", metavar="ACTION", required=True)
    q = actions.add_parser("list", help="the bundled schemes")
    add_global_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_scheme_list)
    q = actions.add_parser("use", help="remember a scheme for this library (a bundled NAME or a TOML FILE)")
    add_global_options(q)
    q.add_argument("scheme", metavar="NAME|FILE", help="bundled scheme name, a scheme file, or 'none'")
    q.set_defaults(handler=cmd_scheme_use)
    q = actions.add_parser("show", help="the library's scheme with every label")
    add_global_options(q)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=cmd_scheme_show)

    p = sub.add_parser("tags", help="labels with span and article counts per annotator; rename, merge")
    add_global_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_tags)
    actions = p.add_subparsers(dest="tags_command", metavar="ACTION")
    for name, what in (("rename", "rename a label in every article"), ("merge", "merge OLD into NEW")):
        q = actions.add_parser(name, help=f"{what} (one undo step)")
        add_global_options(q)
        q.add_argument("old", metavar="OLD")
        q.add_argument("new", metavar="NEW")
        q.add_argument("--json", action="store_true")
        q.set_defaults(handler=cmd_tags_rename, merge=name == "merge")

    p = sub.add_parser("state", help="set the work state of an article: new, progress or done")
    add_global_options(p)
    p.add_argument("id", metavar="ID", help="article id (a unique prefix or the external id works)")
    p.add_argument("state", metavar="STATE", help="new | progress | done")
    p.set_defaults(handler=cmd_state)


def add_state_filter(p: argparse.ArgumentParser) -> None:
    """`--state` for `list` and `export` (with `--annotator NAME`: that annotator's state)."""
    p.add_argument(
        "--state",
        type=_state_arg,
        metavar="STATE",
        help="only articles in this work state (new, progress, done) of --annotator (default: you)",
    )


def _state_arg(value: str) -> str:
    from library.annotations.work_state import parse_state

    try:
        return parse_state(value)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def work_filter(args: argparse.Namespace) -> tuple[str | None, str | None]:
    """(annotator, state) that `list` and `export` filter by; the annotator only when named."""
    return getattr(args, "annotator", None), getattr(args, "state", None)


def _print_json(data: Any) -> None:
    from reader.cli.commands_annotations import safe_json

    print(safe_json(data))


# --- scheme ----------------------------------------------------------------------------------


def cmd_scheme_list(args: argparse.Namespace) -> int:
    from library.annotations.schemes import bundled_names, bundled_scheme

    schemes = [bundled_scheme(name) for name in bundled_names()]
    if args.json:
        _print_json(
            [{"name": s.name, "title": s.title, "mode": s.mode, "labels": len(s.labels)} for s in schemes]
        )
        return 0
    for s in schemes:
        print(f"{s.name:<12} {s.mode:<6} {len(s.labels):>2} labels  {one_line(s.title)}")
    return 0


def cmd_scheme_use(args: argparse.Namespace) -> int:
    from library.annotations.schemes import SchemeError, load_scheme

    with open_library(args, write=True) as lib:
        if args.scheme.strip().lower() == "none":
            lib.use_scheme(None)
            print("the library no longer has its own scheme")
            return 0
        try:
            scheme = load_scheme(args.scheme)
        except SchemeError as err:
            raise CliError(one_line(str(err))) from None
        lib.use_scheme(scheme)
        outside = [u.name for u in lib.label_usage() if not u.in_scheme]
    print(f"the library now uses scheme {scheme.name!r} ({scheme.mode}, {len(scheme.labels)} labels)")
    if scheme.strict and outside:
        shown = ", ".join(one_line(n, 40) for n in outside[:10])
        print(
            f"reader: {len(outside)} label(s) in use are outside the scheme: {shown} "
            "(rename or merge them with `reader tags rename`)",
            file=sys.stderr,
        )
    return 0


def cmd_scheme_show(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        scheme = lib.scheme
        own = lib.has_own_scheme
    if args.json:
        _print_json({**scheme.to_json(), "remembered": own})
        return 0
    if not scheme.name:
        print("no label scheme (open: any label may be created); `reader scheme use NAME` sets one")
        return 0
    where = "remembered by the library" if own else "the config's default"
    print(f"{one_line(scheme.name)}: {one_line(scheme.title)} ({scheme.mode}; {where})")
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("key", "label", "scope", "group", "definition"):
        table.add_column(column, overflow="fold", ratio=1 if column == "definition" else None)
    for label in scheme.labels:
        key = (f"`{label.key}" if label.second_layer else label.key) or "-"  # the app's second layer
        table.add_row(
            Text(key),
            Text(one_line(label.name)),
            Text(label.scope),
            Text(one_line(label.group)),
            Text(one_line(label.definition, 300)),
        )
    Console(soft_wrap=False).print(table)
    return 0


# --- tags ------------------------------------------------------------------------------------


def cmd_tags(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        usage = lib.label_usage()
        strict = lib.scheme.strict
    if args.json:
        _print_json([u.to_json() for u in usage])
        return 0
    import shutil

    from library.safetext import layout_text
    from reader.cli.output import Lines, aligned

    rows = []
    for u in usage:
        who = ", ".join(
            f"{one_line(name, 30) or '(none)'} {c['spans']}/{c['articles']}"
            for name, c in sorted(u.per_annotator.items())
        )
        mark = "" if u.in_scheme or not strict else "  (not in the scheme)"
        rows.append(
            (layout_text(one_line(u.name, 60) + mark), str(u.spans), str(u.articles), layout_text(who))
        )
    out = Lines(sys.stdout)
    width = shutil.get_terminal_size().columns if out.styled else None
    headers = ("label", "spans", "articles", "by annotator")
    aligned(out, headers, rows, right={1, 2}, caps={0: 60}, width=width)
    out.line("by annotator: spans/articles")
    return 0


def cmd_tags_rename(args: argparse.Namespace) -> int:
    with open_library(args, write=True) as lib:
        usage = {u.name: u for u in lib.label_usage()}
        old = usage.get(args.old)
        if old is None or not (old.spans or old.article_tags):
            raise CliError(f"no label {one_line(args.old)!r} is in use")
        target = usage.get(args.new)
        if args.merge and (target is None or not (target.spans or target.article_tags)):
            raise CliError(f"no label {one_line(args.new)!r} is in use to merge into (use rename)")
        try:
            changed = lib.rename_label(args.old, args.new)
        except ValueError as err:  # LabelNotInScheme: a strict scheme does not hold the new name
            raise CliError(one_line(str(err))) from None
        after = {u.name: u for u in lib.label_usage()}.get(args.new)
    verb = "merged" if target is not None and (target.spans or target.article_tags) else "renamed"
    result = {
        "old": args.old,
        "new": args.new,
        "articles_changed": changed,
        "before": {"old": old.to_json(), "new": target.to_json() if target else None},
        "after": after.to_json() if after else None,
    }
    if args.json:
        _print_json(result)
        return 0
    print(
        f"{verb} {one_line(args.old)!r} ({old.spans} spans, {old.articles} articles) into "
        f"{one_line(args.new)!r}: now {after.spans if after else 0} spans, "
        f"{after.articles if after else 0} articles; {changed} article(s) changed (u in the app undoes it)"
    )
    return 0


# --- state -----------------------------------------------------------------------------------


def cmd_state(args: argparse.Namespace) -> int:
    from library.annotations.work_state import parse_state
    from reader.cli.commands_annotations import _resolve

    try:
        state = parse_state(args.state)
    except ValueError as err:
        raise CliError(str(err)) from None
    with open_library(args, write=True) as lib:
        aid = _resolve(lib, args.id)
        lib.set_work_state(aid, state)
        who = lib.annotator
    _print_json({"article_id": aid, "annotator": who, "state": state})
    return 0


__all__ = ["add_state_filter", "register", "work_filter"]
