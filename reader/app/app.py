"""`ReaderApp`: the Textual application shell.

The app owns what every screen shares: the `Library`, the settings, app-wide keys (undo/redo, help,
export, import, quit), the "saved" sign, and the import worker. Screens own their own keys.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from library import READ_ONLY_NOTICE, CleanReport, ImportReport, Library, StoreError, StoreReadOnly
from library.safetext import one_line
from reader.app.commands import BindingCommands
from reader.app.launch import prepare_worker_processes
from reader.app.messages import (
    AnnotationsChanged,
    ImportFinished,
    ImportProgress,
    ImportStarted,
    ImportStored,
    LibraryChanged,
    LibraryNotice,
)
from reader.app.settings import DEFAULT_THEME, Settings

if TYPE_CHECKING:
    from reader.app.screens.library import LibraryScreen

PROGRESS_INTERVAL = 0.25  # seconds between progress messages from a worker (~4/s)
SEARCH_INDEX_PAUSE = 0.005  # seconds between two chunks of the background search index (see prepare_search)
SEARCH_INDEX_DELAY = 1.0  # seconds after start-up: build the search index if no screen asked


class ReaderApp(App[None]):
    """Read, highlight and tag the articles of one library."""

    TITLE = "newsnotes-reader"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {BindingCommands}

    BINDINGS = [
        Binding("u", "undo", "Undo", id="app.undo", tooltip="Undo the last change (survives restarts)"),
        Binding("ctrl+r", "redo", "Redo", id="app.redo", show=False, tooltip="Redo the last undone change"),
        Binding("question_mark", "help", "Help", id="app.help", key_display="?", tooltip="Every key"),
        Binding("e", "export", "Export", id="app.export", tooltip="Export annotations to a file"),
        Binding("i", "import", "Import", id="app.import", tooltip="Import articles from a file or folder"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", show=False, priority=True),
    ]

    saved_text: reactive[str] = reactive("")

    def __init__(
        self,
        library: Library,
        settings: Settings | None = None,
        *,
        on_start: Callable[[ReaderApp], None] | None = None,
    ) -> None:
        prepare_worker_processes()  # before Textual replaces sys.stderr (see reader.app.launch)
        super().__init__()
        self.library = library
        self.settings = settings or Settings()
        self._on_start = on_start  # e.g. open the curation view (`reader curate`)
        self.importing = False
        self._search_indexed = False
        self.notices_shown = 0  # of the library's notices, in order (all are posted to this app)

    # --- start-up -----------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        from reader.app.screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        try:
            self.theme = self.settings.theme
        except Exception:  # noqa: BLE001 - an unknown theme name in the config must not stop the app
            self.settings.problems.append(
                f"config: unknown theme {self.settings.theme!r}; using {DEFAULT_THEME}"
            )
            self.theme = DEFAULT_THEME
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        for problem in self.settings.problems:
            self.notify(one_line(problem), severity="warning", markup=False, timeout=10)
        # Notices from opening, and from then on whenever the store finds damage (any thread).
        self.library.on_notice(self._post_notice)
        if len(self.library) == 0:
            from reader.app.screens.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        # The library screen starts the search index once it has drawn; this is the fallback.
        self.set_timer(SEARCH_INDEX_DELAY, self._index_unless_listing)
        # Articles an interrupted import left uncleaned are cleaned in the background.
        self.set_timer(SEARCH_INDEX_DELAY, self.start_cleaning)
        if self._on_start is not None:
            self._on_start(self)

    def _index_unless_listing(self) -> None:
        """The fallback start of the search index, unless a library screen is still reading a
        large list (it starts the index when done: the two would compete for the one core)."""
        from reader.app.screens.library import LibraryScreen

        if any(isinstance(s, LibraryScreen) and not s.loaded for s in self.screen_stack):
            return
        self.index_for_search()

    def index_for_search(self) -> None:
        """Build the store's search index in the background (once), so the first search a user
        types is as fast as every later one. Called after the first screen is drawn: a thread
        started earlier would compete with drawing it."""
        if not self._search_indexed:
            self._search_indexed = True
            self._prepare_search()

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False, description="Indexing")
    def _prepare_search(self) -> None:
        """Runs in a thread: builds the store's search index; touches no widget."""
        from reader.app.screens.library import LibraryScreen

        prepare = getattr(self.library, "prepare_search", None)
        if prepare is not None:
            # A library the screen lists at once (up to EAGER_ROWS) is indexed in about a second,
            # before a user has typed a first search; a larger one takes long enough that the
            # pauses between chunks keep the keys quick meanwhile.
            large = len(self.library) > LibraryScreen.EAGER_ROWS
            prepare(pause=SEARCH_INDEX_PAUSE if large else 0.0)

    # --- shared helpers for screens -----------------------------------------------------
    def show_saved(self, message: str = "Saved") -> None:
        """The quiet sign that a change is on disk: "✓ Saved 21:43:05" in every screen's status line."""
        self.saved_text = f"✓ {one_line(message, 40)} {datetime.now():%H:%M:%S}"

    def write_blocked(self) -> bool:
        """True (and says why) when this session cannot write: call before starting an edit."""
        if self.library.read_only:
            self.notify(READ_ONLY_NOTICE, severity="warning", markup=False)
            return True
        return False

    def report_error(self, err: BaseException) -> None:
        """One safe line for a store error (never markup, never control characters)."""
        if isinstance(err, StoreReadOnly):
            self.write_blocked()
            return
        from reader.cli.failures import describe  # the same line the command line prints

        self.notify(describe(err) or type(err).__name__, severity="error", markup=False, timeout=10)

    def open_article(self, article_id: str, search: str = "") -> None:
        """Open an article; with `search` (the text a library search matched), at its first match."""
        from reader.app.screens.article import ArticleScreen

        self.push_screen(ArticleScreen(article_id, search=search))

    # --- app-wide actions ---------------------------------------------------------------
    def _undo_redo(self, redo: bool) -> None:
        if self.write_blocked():
            return
        try:
            change = self.library.next_change(redo=redo)
            description = self.library.redo() if redo else self.library.undo()
        except StoreError as err:
            self.report_error(err)
            return
        if description is None:
            self.notify("Nothing to redo" if redo else "Nothing to undo", markup=False)
            return
        verb = "Redone" if redo else "Undone"
        self.notify(self._change_message(verb, description, change), markup=False, timeout=8)
        self.show_saved(verb)
        self.screen.post_message(AnnotationsChanged(None))
        library_screen = self._library_screen()
        if library_screen is not None and library_screen is not self.screen:
            library_screen.post_message(AnnotationsChanged(None))
        if change is not None and library_screen is not None:
            library_screen.show_article(change.article_id)  # Enter there opens it

    def _change_message(self, verb: str, label: str, change: object) -> str:
        """ "Undone in “Title”: removes highlight Doubt “the council…”" and where to find it."""
        article_id = getattr(change, "article_id", None)
        detail = getattr(change, "detail", "") or label
        if article_id is None:
            return f"{verb}: {one_line(label, 120)}"
        try:
            title = self.library.summary(article_id).title or "(untitled)"
        except (KeyError, StoreError):
            return f"{verb}: {one_line(detail, 160)} (the article is gone)"
        where = f"{verb} in “{one_line(title, 60)}”: {one_line(detail, 160)}"
        current = getattr(self.screen, "article_id", None)
        if current == article_id:
            return where
        if self._library_screen() is self.screen:
            return where + " (Enter opens it)"
        return where + " (q, then Enter opens it)"

    def action_undo(self) -> None:
        self._undo_redo(redo=False)

    def action_redo(self) -> None:
        self._undo_redo(redo=True)

    def action_help(self) -> None:
        from reader.app.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def action_export(self) -> None:
        from reader.app.screens.export_dialog import ExportDialog

        if isinstance(self.screen, ExportDialog):
            return
        self.push_screen(ExportDialog())

    def action_import(self) -> None:
        from reader.app.screens.import_dialog import ImportDialog

        if isinstance(self.screen, ImportDialog):
            return
        if self.importing:
            self.notify("An import is already running", markup=False)
            return
        if self.write_blocked():
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                from reader.app.screens.welcome import WelcomeScreen

                if isinstance(self.screen, WelcomeScreen):
                    self.pop_screen()  # the library screen below shows the progress and the rows
                self.start_import([path], label=one_line(str(path), 60))

        self.push_screen(ImportDialog(), chosen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Curate annotators",
            "Settle the disagreements between annotators into a curated layer",
            self.action_curate,
        )

    def action_curate(self) -> None:
        from reader.app.screens.curation_setup import CurationSetup

        self.push_screen(CurationSetup())

    def curate(
        self,
        annotators: list[str],
        *,
        curator: str = "curation",
        majority: bool = False,
        accept_agreed: bool = True,
    ) -> None:
        """Open the curation view on `annotators` (see reader/app/screens/curation.py)."""
        from library.core.curating import CurationSession
        from reader.app.screens.curation import CurationScreen

        try:
            session = CurationSession(
                self.library, annotators, curator=curator, majority=majority, accept_agreed=accept_agreed
            )
        except ValueError as err:
            self.notify(one_line(str(err), 200), severity="warning", markup=False)
            return
        self.push_screen(CurationScreen(session))

    # --- importing ----------------------------------------------------------------------
    def start_import(self, paths: list[Path], *, label: str) -> None:
        """Import in a thread; progress shows on the library screen, and the UI stays live."""
        if self.importing or self.write_blocked():
            return
        self.importing = True
        self.post_message(ImportStarted(label))
        self._import_worker(paths, label)

    def start_cleaning(self) -> None:
        """Clean, in the background, what an earlier import stored but did not clean."""
        pending = getattr(self.library, "pending_ids", None)
        if self.importing or self.library.read_only or pending is None or not pending():
            return
        self.importing = True
        self._import_worker([], "")

    @work(thread=True, exclusive=True, group="import", exit_on_error=False, description="Importing")
    def _import_worker(self, paths: list[Path], label: str) -> None:
        """Runs in a thread: reads, cleans and stores a batch at a time (the rows appear as the
        first batches are stored); only posts messages, never touches widgets. With no `paths`
        it only cleans what an interrupted import left."""
        worker = get_current_worker()
        last = 0.0
        verbs = {"importing": "Importing", "cleaning": "Cleaning"}

        def progress(stage: str, done: int, total: int | None) -> None:
            nonlocal last
            now = time.monotonic()
            if now - last >= PROGRESS_INTERVAL:
                last = now
                self.post_message(ImportProgress(done, total, label, verbs.get(stage, "Importing")))

        def stored(report: ImportReport) -> None:
            if report.imported:
                self.post_message(ImportStored())  # listed now; their details fill in as they are cleaned

        report = self.library.import_paths(
            paths, progress=progress, stored=stored, stop=lambda: worker.is_cancelled
        )
        cleaning = report.cleaning or CleanReport()
        failed = [f"{one_line(origin, 80)}: {one_line(reason, 200)}" for origin, reason in report.failed]
        failed.extend(
            f"{one_line(origin, 80)}: {one_line(reason, 200)}" for origin, reason in report.unreadable
        )
        if paths:
            parts = [f"Imported {len(report.imported)} article(s)"]
            if report.unchanged:
                parts.append(f"{len(report.unchanged)} already present")
        else:
            parts = [f"Cleaned {len(cleaning.cleaned)} article(s)"]
        if report.duplicates:
            parts.append(f"{len(report.duplicates)} duplicate(s) skipped")
        if report.skipped:
            parts.append(f"{len(report.skipped)} file(s) not articles skipped")
        if failed:
            parts.append(f"{len(failed)} failed")
        self.post_message(ImportFinished(", ".join(parts), len(failed), failed))

    def _post_notice(self, text: str) -> None:
        """The library's notice listener (it may be called from any thread): shown on the UI thread."""
        self.post_message(LibraryNotice(text))

    @on(LibraryNotice)
    def _show_notice(self, message: LibraryNotice) -> None:
        self.notify(one_line(message.text, 300), severity="warning", markup=False, timeout=10)
        self.notices_shown += 1  # (in the library's order: see `unshown_notices`)

    def unshown_notices(self) -> list[str]:
        """The library's notices this app did not show (found while it was closing, or after):
        the command line prints them once the app has exited, so none is lost."""
        return list(self.library.notices[self.notices_shown :])

    @on(ImportProgress)
    def _forward_progress(self, message: ImportProgress) -> None:
        screen = self._library_screen()
        if screen is not None:
            screen.show_progress(message.done, message.total, message.label, message.verb)

    @on(ImportStored)
    def _import_stored(self, message: ImportStored) -> None:
        screen = self._library_screen()
        if screen is not None:
            screen.post_message(LibraryChanged())

    @on(ImportStarted)
    def _import_started(self, message: ImportStarted) -> None:
        screen = self._library_screen()
        if screen is not None:
            screen.show_progress(0, None, message.label)

    @on(ImportFinished)
    def _import_finished(self, message: ImportFinished) -> None:
        self.importing = False
        screen = self._library_screen()
        if screen is not None:
            screen.hide_progress()
        severity: SeverityLevel = "warning" if message.failed else "information"
        self.notify(message.summary, severity=severity, markup=False, timeout=8)
        for line in message.errors[:5]:
            self.notify(line, severity="error", markup=False, timeout=12)
        self.show_saved("Imported")
        if screen is not None:
            screen.post_message(LibraryChanged())

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        err = event.worker.error
        if event.worker.group == "import":
            self.importing = False
            screen = self._library_screen()
            if screen is not None:
                screen.hide_progress()
                screen.post_message(LibraryChanged())
        if err is not None:
            self.report_error(err)

    def _library_screen(self) -> LibraryScreen | None:
        from reader.app.screens.library import LibraryScreen

        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                return screen
        return None
