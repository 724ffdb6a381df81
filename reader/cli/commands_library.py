"""Library commands: import, clean, list, show, stats.

`--json` output is stable and documented in the README; human output is plain lines
(reader/cli/output.py: bold and dim only on a terminal) with article text made safe, never
interpreted as markup. rich loads only for the progress bars of `import` and `clean` on a
terminal, and the library's parts only when a command runs.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from library.safetext import display_text, one_line
from reader.cli.commands_schemes import add_state_filter, work_filter
from reader.cli.common import CliError, add_global_options, open_library
from reader.cli.output import BOLD, DIM, Lines

if TYPE_CHECKING:
    from rich.console import Console

    from library import ArticleQuery
    from library.model import Article, ArticleSummary


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import article files, folders, globs or - (stdin)")
    add_global_options(p)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument(
        "--format",
        dest="fmt",
        choices=("globalresearch", "markdown", "text", "html", "csv", "jsonl", "json"),
        help="input format (default: detected from the content)",
    )
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="data sets: take FIELD (title, body, authors, url, published, site, external_id) from COLUMN",
    )
    p.add_argument(
        "--include-all",
        action="store_true",
        help="in folders, also read files that are plainly not articles (README, LICENSE, labels)",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("clean", help="clean articles an interrupted import stored but did not clean")
    add_global_options(p)
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(handler=cmd_clean)

    p = sub.add_parser("list", help="list articles (filters combine)")
    add_global_options(p)
    p.add_argument(
        "--tag",
        action="append",
        default=[],
        help="only articles with this tag on the article or on a highlight (any case; repeat: all of them)",
    )
    p.add_argument("--site", help="only articles from this site (case-insensitive)")
    p.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="published on or after")
    p.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD", help="published on or before")
    p.add_argument("--query", "-s", metavar="TEXT", help="full-text search in titles and bodies")
    p.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="NAME",
        help="only articles this annotator tagged or marked",
    )
    state = p.add_mutually_exclusive_group()
    state.add_argument("--read", dest="read", action="store_true", default=None, help="only read articles")
    state.add_argument("--unread", dest="read", action="store_false", help="only unread articles")
    add_state_filter(p)  # --state, with --annotator NAME (commands_schemes)
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show one article: metadata, body, boilerplate, annotations")
    add_global_options(p)
    p.add_argument("id", metavar="ID", help="article id (a unique prefix or the external id works)")
    p.add_argument("--json", action="store_true", help="machine-readable output (see README)")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("stats", help="counts of articles, sites, tags and highlights")
    add_global_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_stats)


def _iso_date(value: str) -> str:
    from datetime import date

    try:
        return date.fromisoformat(value).isoformat()
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from err


def _parse_mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise CliError(f"--map takes FIELD=COLUMN, got {pair!r}")
        mapping[field.strip()] = column.strip()
    return mapping


def _console(stream: Any) -> Console:
    """A rich console for the progress bars (only on a terminal: rich loads only then)."""
    from rich.console import Console

    return Console(file=stream, highlight=False, markup=False, emoji=False, soft_wrap=True)


def _dump_json(data: Any) -> None:
    # ensure_ascii keeps control characters and escapes out of the terminal as \u sequences.
    import json

    sys.stdout.write(json.dumps(data, ensure_ascii=True, indent=2) + "\n")


# --- import -------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    mapping = _parse_mapping(args.map)
    show_progress = not args.quiet and sys.stderr.isatty()

    with open_library(args, write=True, create=True) as lib, _stages(show_progress) as progress:
        report = lib.import_paths(
            args.paths,
            fmt=args.fmt,
            mapping=mapping,
            stdin=sys.stdin.buffer,
            progress=progress,
            include_all=args.include_all,
        )

    for label, reason in [*report.skipped, *report.warnings]:  # told, not failures
        _tell(f"{one_line(label)}: {reason}")
    for label, reason in [*report.unreadable, *report.failed]:
        _tell(f"{one_line(label)}: {reason}")
    for label, existing, why in report.duplicates:
        _tell(f"{one_line(label)}: duplicate of {existing} ({why}); not imported")
    summary = (
        f"imported {len(report.imported)}, unchanged {len(report.unchanged)}, "
        f"duplicates {len(report.duplicates)}, failed {report.failed_count}"
    )
    if report.skipped:
        summary += f", skipped {len(report.skipped)} (not articles; --include-all reads them)"
    print(summary)
    return 1 if report.failed_count else 0


def cmd_clean(args: argparse.Namespace) -> int:
    """Clean what an interrupted import left stored but not cleaned."""
    show_progress = not args.quiet and sys.stderr.isatty()
    with open_library(args, write=True) as lib, _progress(show_progress, "cleaning") as step:
        cleaning = lib.clean_pending(progress=step)
    for label, reason in cleaning.failed:
        _tell(f"{one_line(label)}: {reason}")
    for label, existing, why in cleaning.duplicates:
        _tell(f"{one_line(label)}: duplicate of {existing} ({why}); removed")
    summary = (
        f"cleaned {len(cleaning.cleaned)}, duplicates removed {len(cleaning.duplicates)}, "
        f"failed {len(cleaning.failed)}"
    )
    print(summary)
    return 1 if cleaning.failed else 0


def _tell(line: str) -> None:
    """One line on standard error, `reader: <file>: <why>` (the caller made it safe text)."""
    print(f"reader: {one_line(line)}", file=sys.stderr)


@contextlib.contextmanager
def _stages(show: bool) -> Iterator[Callable[[str, int, int | None], None]]:
    """`progress(stage, done, total)` for `Library.import_paths`: one transient bar per stage."""
    with contextlib.ExitStack() as stack:
        current: dict[str, Callable[[int, int | None], None]] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in current:
                stack.close()  # the previous stage's bar goes away
                current.clear()
                current[stage] = stack.enter_context(_progress(show, stage))
            current[stage](done, total)

        yield progress


@contextlib.contextmanager
def _progress(show: bool, what: str) -> Iterator[Callable[[int, int | None], None]]:
    """A transient progress bar on stderr (when it is a terminal); yields `step(done, total)`."""
    if not show:
        yield lambda _done, _total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn(what),
        BarColumn(),
        MofNCompleteColumn(),
        console=_console(sys.stderr),
        transient=True,
    ) as progress:
        task = progress.add_task(what, total=None)
        yield lambda done, total: progress.update(task, completed=done, total=total)


# --- list / show / stats -------------------------------------------------------------------


def summary_json(s: ArticleSummary) -> dict[str, Any]:
    """The `reader list --json` record: `reader show --json` minus body and boilerplate."""
    m = s.meta
    return {
        "id": s.id,
        "external_id": m.external_id,
        "title": m.title,
        "authors": list(m.authors),
        "published": m.published,
        "site": m.site,
        "url": m.url,
        "region": list(m.region),
        "themes": list(m.themes),
        "in_depth_report": m.in_depth_report,
        "original_source": m.original_source,
        "copyright": m.copyright,
        "format": s.format,
        "origin": s.origin.to_json(),
        "imported": s.imported,
        "paragraphs": s.paragraphs,
        "words": s.words,
        "cleaned": s.cleaned,
        "tags": list(s.tags),
        "highlights": s.highlights,
        "read": s.read,
        "state": s.state,  # your work state (library/annotations/work_state.py)
    }


SEARCH_BATCH = 500  # articles searched between writes of `reader list --query`


def list_query(args: argparse.Namespace) -> ArticleQuery:
    """`reader list`'s options as the library's one query (labels: article or span tags, any case;
    `--annotator NAME` adds NAME to `--by`, and `--state` is NAME's work state, else yours)."""
    from library import ArticleQuery

    who, state = work_filter(args)
    return ArticleQuery(
        labels=tuple(args.tag),
        sites=(args.site,) if args.site else (),
        since=args.since or "",
        until=args.until or "",
        read=args.read,
        annotators=tuple(dict.fromkeys([*args.by, *([who] if who else [])])),
        text=args.query or "",
        state=state or "",
    )


def cmd_list(args: argparse.Namespace) -> int:
    query = list_query(args)
    with open_library(args, write=False) as lib:
        total = len(lib)
        if args.json:
            _dump_json([summary_json(s) for s in lib.query(query)])
            return 0
        from reader.cli.listing import ListWriter

        # Full-text hits are looked for a batch at a time and each batch is written when found,
        # so `reader list --query X | head` shows the first ones before the search is over.
        candidates = lib.query(query.but(text="")) if query.text else lib.query(query)
        writer = ListWriter(sys.stdout, candidates)
        if not query.text:
            writer.write(candidates)
        for start in range(0, len(candidates) if query.text else 0, SEARCH_BATCH):
            batch = candidates[start : start + SEARCH_BATCH]
            hits = set(lib.search(query.text, [s.id for s in batch]))
            writer.write(s for s in batch if s.id in hits)
        writer.finish(total)
    return 0


def article_json(lib: Any, article: Article) -> dict[str, Any]:
    """The `reader show --json` record."""
    from library.interchange.document import highlight_entry

    summary = lib.summary(article.id)
    if not summary.cleaned:  # the article was cleaned just now, in memory: its own figures
        summary.meta, summary.format = article.meta, article.format
        summary.paragraphs = sum(1 for b in article.blocks if b.is_body)
        summary.words = len(article.body.split())
    ann = lib.annotations(article.id)
    data = summary_json(summary)
    data.update(
        {
            "body": article.body,
            "boilerplate": [{"block": i, "text": b.text, "reason": b.reason} for i, b in article.boilerplate],
            "tags": ann.tag_names,
            "note": ann.note,
            "highlights": [highlight_entry(article, h) for h in ann.highlights],
        }
    )
    return data


def cmd_show(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        article_id = lib.resolve_id(args.id)  # ArticleNotFound: exit 1 (see `error_exit`)
        article = lib.article(article_id)
        data = article_json(lib, article)
    if args.json:
        _dump_json(data)
        return 0
    out = Lines(sys.stdout)
    out.line((one_line(data["title"] or "(untitled)"), BOLD))
    for label, key in (
        ("id", "id"),
        ("authors", "authors"),
        ("published", "published"),
        ("site", "site"),
        ("url", "url"),
        ("region", "region"),
        ("themes", "themes"),
        ("in-depth report", "in_depth_report"),
        ("original source", "original_source"),
        ("tags", "tags"),
    ):
        value = data[key]
        if isinstance(value, list):
            value = ", ".join(value)
        if value:
            out.line((f"{label}: ", DIM), one_line(str(value)))
    origin = data["origin"]
    where = origin["path"] + (f" record {origin['record']}" if origin["record"] is not None else "")
    out.line(("origin: ", DIM), one_line(where))
    out.blank()
    for paragraph in article.paragraphs:
        out.line(display_text(paragraph))
        out.blank()
    if data["boilerplate"]:
        out.line(("Stripped boilerplate", BOLD))
        for block in data["boilerplate"]:
            out.line((f"[{one_line(block['reason'])}] ", DIM), one_line(block["text"], 100))
    if data["highlights"]:
        out.blank()
        out.line(("Highlights", BOLD))
        for h in data["highlights"]:
            tags = one_line(", ".join(h["tags"]))
            out.line((f"{tags}: ", BOLD), one_line(h["quote"], 100))
            if h["note"]:
                out.line(("  note: ", DIM), one_line(h["note"]))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_library(args, write=False) as lib:
        summaries = lib.summaries()
        sites = Counter(s.meta.site or "(unknown)" for s in summaries)
        tag_counts: Counter[str] = Counter()
        highlights = 0
        for s in summaries:
            if s.tags or s.highlights:
                ann = lib.annotations(s.id)
                tag_counts.update(ann.tag_names)
                for h in ann.highlights:
                    tag_counts.update(h.tags)
                highlights += len(ann.highlights)
        formats = Counter(s.format or "(not cleaned yet)" for s in summaries)
        path = str(lib.path)
        data = {
            "library": path,
            "articles": len(summaries),
            "not_cleaned": sum(1 for s in summaries if not s.cleaned),
            "read": sum(1 for s in summaries if s.read),
            "highlights": highlights,
            "sites": dict(sites.most_common()),
            "formats": dict(formats.most_common()),
            "tags": dict(tag_counts.most_common()),
        }
    if args.json:
        _dump_json(data)
        return 0
    out = Lines(sys.stdout)
    out.line(f"library: {one_line(path)}")
    out.line(f"{data['articles']} articles, {data['read']} read, {data['highlights']} highlights")
    if data["not_cleaned"]:
        out.line(f"{data['not_cleaned']} not cleaned yet (an import was interrupted): run `reader clean`")
    for title, counts in (("sites", sites), ("formats", formats), ("tags", tag_counts)):
        if counts:
            out.line((title, BOLD))
            for name, n in counts.most_common(15):
                out.line(f"  {n:6d}  {one_line(name, 60)}")
    return 0
