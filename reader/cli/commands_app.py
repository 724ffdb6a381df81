"""Starting the Textual app from the command line: bare `reader`, and `reader demo`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from library.safetext import one_line
from reader.cli.common import CliError, open_library, print_notice, store_path

if TYPE_CHECKING:
    from library import Library
    from reader.app.app import ReaderApp


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="open the app on a separate sample library (created from the bundled samples)",
        description="Open the app on a demo library that holds the bundled sample articles. "
        "It lives apart from your own library (or at --db if given).",
    )
    p.add_argument(
        "--db", metavar="PATH", type=Path, default=argparse.SUPPRESS, help="demo library directory"
    )
    p.set_defaults(handler=run_demo)


def demo_store_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("newsnotes-reader", appauthor=False) / "demo"


def _open_for_app(args: argparse.Namespace) -> Library:
    """Open for writing; when another reader holds the lock, fall back to a read-only view."""
    from library import READ_ONLY_NOTICE, StoreLocked

    try:
        lib = open_library(args, write=True, create=True, notices_to_stderr=False)
    except StoreLocked as err:  # (StoreLocked includes a lock that cannot be taken)
        lib = open_library(args, write=False, create=True, notices_to_stderr=False)
        lib.notice(f"{READ_ONLY_NOTICE} ({one_line(str(err), 200)})")
        return lib
    if lib.read_only:
        lib.notice(READ_ONLY_NOTICE)
    return lib


def _launch(
    lib: Library, args: argparse.Namespace, on_start: Callable[[ReaderApp], None] | None = None
) -> int:
    from reader.app.app import ReaderApp
    from reader.app.settings import Settings

    settings = Settings.load(getattr(args, "annotator", None))
    settings.annotator = lib.annotator or settings.annotator
    app = ReaderApp(lib, settings, on_start=on_start)
    try:
        app.run()
    finally:
        lib.close()
        for message in app.unshown_notices():  # found while closing: printed, not lost
            print_notice(message)
    return 0


def run_app(args: argparse.Namespace) -> int:
    return _launch(_open_for_app(args), args)


def launch_curation(args: argparse.Namespace) -> int:
    """`reader curate --from A --from B`: the app, opened on the curation view."""
    from library.annotations.curation import CurationError
    from library.core.curating import CurationSession

    lib = _open_for_app(args)
    try:
        CurationSession(lib, args.sources, curator=args.curator)  # refuse bad choices before the app starts
    except CurationError as err:
        lib.close()
        raise CliError(f"curate: {err}") from err
    return _launch(
        lib,
        args,
        lambda app: app.curate(
            args.sources, curator=args.curator, majority=args.majority, accept_agreed=args.accept_agreed
        ),
    )


def import_samples(lib: Library) -> int:
    """Import the bundled samples into `lib`; returns how many articles were added."""
    from reader.samples import sample_paths

    return len(lib.import_paths(sample_paths(), workers=1).imported)


def run_demo(args: argparse.Namespace) -> int:
    from library import StoreError

    if getattr(args, "db", None) is None:
        args.db = demo_store_path()
    lib = _open_for_app(args)
    if len(lib) == 0 and not lib.read_only:
        try:
            if not lib.has_own_scheme:  # the demo labels with the SemEval-2020 Task 11 techniques
                from library.annotations.schemes import bundled_scheme

                lib.use_scheme(bundled_scheme("ptc"))
            import_samples(lib)
        except StoreError as err:
            lib.close()
            raise CliError(f"{store_path(args)}: cannot import the samples ({err})") from err
    return _launch(lib, args)
