"""Annotation commands: export, import-annotations, merge, agreement, annotate, tag.

Machine output (`annotate`, `tag`, `--json`) is JSON with every control, escape and bidi character
escaped, so piping it to a terminal is safe. Messages go to standard error, one line each.
The interchange, agreement and editing modules load inside the handlers that use them, so that
building the parser (`reader --help`, every other command) does not pay for them.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

from library.safetext import display_text, one_line
from reader.cli.commands_schemes import add_state_filter, work_filter
from reader.cli.common import CliError, add_global_options, open_library
from reader.cli.format_names import EXPORT_FORMATS, IMPORT_FORMATS

# Characters JSON may carry raw but a terminal must not receive: C1 controls, DEL, bidi marks.
_UNSAFE_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]")


def safe_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON text that keeps readable Unicode but escapes everything a terminal could act on."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _iso_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from err


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="export annotations (see --list-formats)")
    add_global_options(p)
    p.add_argument(
        "--format", dest="fmt", choices=EXPORT_FORMATS, default="json", help="output format (default: json)"
    )
    p.add_argument(
        "--list-formats",
        action="store_true",
        help="list the formats (extension, import/export, what each cannot carry) and exit",
    )
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE (default: standard output)"
    )
    p.add_argument("--tag", action="append", default=[], help="only articles and highlights with this tag")
    p.add_argument("--site", action="append", default=[], help="only articles from this site")
    p.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="published on or after")
    p.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD", help="published on or before")
    p.add_argument(
        "--id", dest="ids", nargs="+", action="extend", default=[], metavar="ID", help="only these articles"
    )
    p.add_argument("--all", action="store_true", help="also articles without annotations")
    add_state_filter(p)  # --state; with --annotator NAME only NAME's work is exported (commands_schemes)
    bodies = p.add_mutually_exclusive_group()
    bodies.add_argument(
        "--with-bodies", dest="bodies", action="store_true", default=False, help="include clean bodies"
    )
    bodies.add_argument("--no-bodies", dest="bodies", action="store_false", help="leave bodies out (default)")
    p.add_argument("--utf16", action="store_true", help="also give UTF-16 offsets (for JavaScript tools)")
    p.add_argument("--force", action="store_true", help="overwrite an existing output file")
    _label_options(p)
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import-annotations", help="import annotations (see export --list-formats)")
    add_global_options(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--format", dest="fmt", choices=IMPORT_FORMATS, help="input format (default: detected)")
    units = p.add_mutually_exclusive_group()
    units.add_argument(
        "--utf16",
        dest="utf16",
        action="store_const",
        const=True,
        default=None,
        help="offsets count UTF-16 code units (doccano, JavaScript tools)",
    )
    units.add_argument(
        "--no-utf16",
        dest="utf16",
        action="store_const",
        const=False,
        help="offsets count code points (default: detected per record)",
    )
    _label_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=cmd_import_annotations)

    p = sub.add_parser("merge", help="merge several annotators' files, keeping who annotated what")
    add_global_options(p)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--format", dest="fmt", choices=IMPORT_FORMATS, help="input format (default: detected)")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.set_defaults(handler=cmd_merge)

    p = sub.add_parser("agreement", help="agreement between two annotators (span F1, Cohen's kappa)")
    add_global_options(p)
    p.add_argument("--a", required=True, metavar="NAME", help="first annotator")
    p.add_argument("--b", required=True, metavar="NAME", help="second annotator")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=cmd_agreement)

    p = sub.add_parser("annotate", help="add a highlight (for scripts); prints it as JSON")
    add_global_options(p)
    p.add_argument("id", metavar="ID", help="article id (a unique prefix or the external id works)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--quote", metavar="TEXT", help="the text to highlight (as in the clean body)")
    where.add_argument(
        "--start", type=int, metavar="N", help="start offset (clean body; see --source-offsets)"
    )
    p.add_argument("--end", type=int, metavar="N", help="end offset, exclusive")
    p.add_argument("--occurrence", type=int, metavar="K", help="which occurrence of the quote (1 = first)")
    p.add_argument("--source-offsets", action="store_true", help="--start/--end count in the original file")
    p.add_argument("--tag", dest="tags", action="append", default=[], metavar="T", help="tag (repeatable)")
    p.add_argument("--note", default="", metavar="TEXT")
    p.set_defaults(handler=cmd_annotate)

    p = sub.add_parser("tag", help="add a tag to an article (for scripts); prints the tags as JSON")
    add_global_options(p)
    p.add_argument("id", metavar="ID")
    p.add_argument("tag", metavar="TAG")
    p.set_defaults(handler=cmd_tag)


def _label_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--labels",
        type=Path,
        metavar="FILE",
        help="label scheme to check against: one label per line (PTC: its 14 techniques by default)",
    )
    p.add_argument(
        "--strict-labels", action="store_true", help="refuse labels outside the scheme instead of warning"
    )


def _allowed_labels(args: argparse.Namespace) -> frozenset[str] | None:
    if getattr(args, "labels", None) is None:
        return None
    try:
        lines = args.labels.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise CliError(f"{args.labels}: cannot read the label list ({err})") from None
    return frozenset(ln.strip() for ln in lines if ln.strip() and not ln.startswith("#"))


def _print_format_table() -> None:
    from library.interchange.formats import format_table

    rows = format_table()
    width = max(len(r["name"]) for r in rows)
    ext_width = max(len(r["extension"]) for r in rows)
    dir_width = max(len(r["directions"]) for r in rows)
    for r in rows:
        print(
            f"{r['name']:<{width}}  {r['extension']:<{ext_width}}  {r['directions']:<{dir_width}}  "
            f"{r['description']}; loses: {r['lost']}"
        )


def _warn(message: str) -> None:
    print(f"reader: {one_line(message)}", file=sys.stderr)


def _resolve(lib: Any, ident: str) -> str:
    """The article `ident` names, by the one rule of library.interchange.ids: a full id, an
    external id, an origin file name or PTC number (`article<ID>.txt`), a URL, a unique id
    prefix; an ambiguous one is refused with the candidates."""
    if ident.strip() in lib:  # a full id wins first by that rule: no index of every article needed
        return ident.strip()
    from library.errors import ArticleNotFound
    from library.interchange.planning import ArticleIndex
    from library.naming import ptc_file_name

    index = ArticleIndex(lib)
    found = index.find(ident) or index.find(ptc_file_name(ident))  # AmbiguousId: bad input, exit 2
    if found is None:
        raise ArticleNotFound(f"no article with id {ident!r} in {lib.path}")  # not found: exit 1
    return found


# --- export ---------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    if args.list_formats:
        _print_format_table()
        return 0
    from library.interchange.export import ExportError, ExportFilters, export_library

    allowed = _allowed_labels(args)
    strict = args.strict_labels
    with open_library(args, write=False) as lib:
        if allowed is None and lib.scheme.names:  # the library's label scheme, when it has one
            allowed, strict = frozenset(lib.scheme.names), strict or lib.scheme.strict
        filters = ExportFilters(
            tags=args.tag,
            sites=args.site,
            since=args.since,
            until=args.until,
            ids=[_resolve(lib, i) for i in args.ids],
            include_unannotated=args.all,
            annotator=work_filter(args)[0],
            state=work_filter(args)[1] or None,
        )
        try:
            result = export_library(
                lib,
                args.fmt,
                args.output,
                filters=filters,
                with_bodies=args.bodies,
                utf16=args.utf16,
                force=args.force,
                allowed_labels=allowed,
                strict_labels=strict,
            )
        except ExportError as err:
            raise CliError(str(err)) from None
    if args.output is None:
        data = result.data
        if args.fmt == "spacy" and sys.stdout.isatty():
            raise CliError("spacy writes a binary file: give one with -o FILE.spacy")
        if args.fmt in ("ptc", "csv") and sys.stdout.isatty():
            # Raw article text must not reach a terminal; files and pipes get it unchanged.
            data = display_text(data.decode()).encode()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    for warning in result.warnings:
        _warn(warning)
    # The summary goes to stderr even when the export itself goes to stdout, so an empty
    # result (`--tag Nope`) is never silent.
    summary = result.summary()
    if not result.articles and (args.tag or args.site or args.since or args.until or args.ids):
        summary += " (no article matched the filters)"
    print(summary, file=sys.stderr)
    return 0


# --- import and merge -----------------------------------------------------------------------


def _print_import_report(report: Any, as_json: bool) -> int:
    if as_json:
        print(safe_json(report.to_json()))
    else:
        print(
            f"{report.added} highlight(s) added: {report.exact} exact, {report.reanchored} re-anchored, "
            f"{report.orphaned} orphaned; {report.skipped} already present; "
            f"{report.tags_added} article tag(s), {report.notes_set} note(s)"
        )
        if report.per_annotator:
            print(
                "by annotator: "
                + ", ".join(f"{one_line(k) or '(none)'} {v}" for k, v in sorted(report.per_annotator.items()))
            )
        for line in report.verdicts:
            print(f"  {one_line(line)}")
        for line in [] if report.verdicts else report.reanchored_list[:20]:
            print(f"  re-anchored: {one_line(line)}")
        for line in [] if report.verdicts else report.orphans:
            print(f"  orphan (kept, not placed): {one_line(line)}")
    for line in report.notices:
        _warn(line)
    for line in report.unmatched:
        _warn(f"not imported: {line}")
    return 1 if report.unmatched else 0


def cmd_import_annotations(args: argparse.Namespace) -> int:
    from library.interchange.importing import AnnotationFileError, import_annotation_files

    with open_library(args, write=True) as lib:
        try:
            report = import_annotation_files(
                lib,
                args.files,
                fmt=args.fmt,
                annotator=lib.annotator,
                utf16=args.utf16,
                allowed_labels=_allowed_labels(args),
                strict_labels=args.strict_labels,
            )
        except AnnotationFileError as err:
            raise CliError(f"{one_line(str(err))} (nothing was imported)", exit_code=1) from None
    return _print_import_report(report, args.json)


def cmd_merge(args: argparse.Namespace) -> int:
    from library.interchange.merge import merge_annotator_files
    from library.interchange.planning import AnnotationFileError

    with open_library(args, write=True) as lib:
        try:
            report = merge_annotator_files(lib, args.files, fmt=args.fmt)
        except AnnotationFileError as err:
            raise CliError(f"{one_line(str(err))} (nothing was merged)", exit_code=1) from None
    return _print_import_report(report, args.json)


# --- agreement ------------------------------------------------------------------------------


def cmd_agreement(args: argparse.Namespace) -> int:
    from library.annotations.agreement import agreement, format_report

    with open_library(args, write=False) as lib:
        items = [lib.annotations(s.id) for s in lib.summaries() if s.highlights or s.tags]
    report = agreement(items, args.a, args.b)
    if args.json:
        print(safe_json(report.to_json()))
    else:
        print(format_report(report))
    return 0


# --- scripts: annotate and tag -------------------------------------------------------------


def cmd_annotate(args: argparse.Namespace) -> int:
    """Tag a span by the same rule as the app's keys: your highlight with exactly that span gets
    the tags (and the note, when one is given), else a new highlight is made."""
    if args.quote is None and args.end is None:
        raise CliError("--start needs --end")
    if args.quote is not None and (args.end is not None or args.source_offsets):
        raise CliError("--quote cannot be combined with --end or --source-offsets")
    if args.occurrence is not None and args.quote is None:
        raise CliError("--occurrence goes with --quote")
    from library.annotations.editing import AmbiguousQuote, EditRefused

    with open_library(args, write=True) as lib:
        aid = _resolve(lib, args.id)
        try:
            if args.quote is not None:
                anchor = lib.quote_anchor(aid, args.quote, args.occurrence)
            elif args.source_offsets:
                anchor = lib.anchor_at(aid, args.start, args.end)
            else:
                anchor = lib.body_anchor(aid, args.start, args.end)
            saved = lib.tag_anchor(aid, anchor, args.tags, note=args.note or None)
        except AmbiguousQuote as err:
            raise CliError(
                f"the quote occurs {err.count} times; choose one with --occurrence 1..{err.count}"
            ) from None
        except EditRefused as err:
            raise CliError(one_line(str(err))) from None
        highlight = saved.highlight
        assert highlight is not None
        span = lib.article(aid).source_to_body(highlight.source_start, highlight.source_end)
    out = {
        "article_id": aid,
        **highlight.to_json(),
        "start": span[0] if span else None,
        "end": span[1] if span else None,
    }
    print(safe_json(out))
    return 0


def cmd_tag(args: argparse.Namespace) -> int:
    from library.annotations.editing import EditRefused

    with open_library(args, write=True) as lib:
        aid = _resolve(lib, args.id)
        try:
            saved = lib.tag_article(aid, args.tag)
        except EditRefused as err:
            raise CliError(one_line(str(err))) from None
        tags = [t.to_json() for t in saved.annotations.tags]
    print(safe_json({"article_id": aid, "tags": tags}))
    return 0
