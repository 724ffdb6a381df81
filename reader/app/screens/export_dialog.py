"""`e`: export the library's annotations. Format and path are asked with defaults shown; an existing
file is replaced only after a second, explicit confirmation; the export itself runs in a worker."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static
from textual.worker import Worker, WorkerState

from library.safetext import one_line

if TYPE_CHECKING:
    from textual import getters

    from reader.app.app import ReaderApp

FORMATS = (
    ("json", "JSON — the full export (default)", ".json"),
    ("jsonl", "JSON Lines — one record per highlight", ".jsonl"),
    ("w3c", "W3C Web Annotation (JSON-LD)", ".jsonld"),
    ("ptc", "PTC / SemEval span labels (TSV)", ".tsv"),
    ("ptc-si", "PTC span identification (TSV, 3 columns)", ".tsv"),
    ("doccano", "doccano (JSONL with text and labels)", ".doccano.jsonl"),
    ("csv", "CSV — one row per highlight", ".csv"),
    ("markdown", "Markdown — readable notes", ".md"),
    ("label-studio", "Label Studio tasks (JSON)", ".label-studio.json"),
    ("brat", "brat standoff (a folder of .txt + .ann)", ""),
    ("webanno", "WebAnno TSV 3.3 for INCEpTION (a folder)", ""),
    ("conll", "CoNLL / IOB2 (one token per line)", ".conll"),
    ("spacy", "spaCy DocBin (needs spaCy)", ".spacy"),
)
EXTENSIONS = {name: ext for name, _label, ext in FORMATS}


def default_path(fmt: str, today: date | None = None) -> str:
    """Folder formats get a folder name (`annotations-<date>-brat`), PTC files a `-ptc` suffix."""
    stamp = (today or date.today()).strftime("%Y%m%d")
    ext = EXTENSIONS.get(fmt, "." + fmt)
    suffix = f"-{fmt}" if fmt.startswith("ptc") or not ext else ""
    return f"./annotations-{stamp}{suffix}{ext}"


class ExportDialog(ModalScreen[None]):
    if TYPE_CHECKING:  # the app it runs in, as the type checker sees it (at run time: Textual's)
        app = getters.app(ReaderApp)

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="export.cancel")]

    def __init__(self, today: date | None = None) -> None:
        super().__init__()
        self._today = today
        self._suggested = default_path("json", today)
        self._confirm_overwrite: Path | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-dialog"):
            yield Static("Export annotations", classes="dialog-title", markup=False)
            with Grid(classes="form"):
                yield Label("Format", markup=False)
                yield Select(
                    [(label, name) for name, label, _ext in FORMATS],
                    value="json",
                    allow_blank=False,
                    id="format",
                    compact=True,
                )
                yield Label("File", markup=False)
                yield Input(self._suggested, id="export-path", compact=True, select_on_focus=False)
            yield Static("", id="export-what", classes="dialog-hint", markup=False)
            yield Static("", id="export-status", classes="dialog-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()
        self._show_what()

    def _show_what(self) -> None:
        """Say what Enter will do: the format shown and the file, so nothing surprises."""
        fmt = str(self.query_one("#format", Select).value)
        label = next((label for name, label, _ext in FORMATS if name == fmt), fmt)
        raw = self.query_one("#export-path", Input).value.strip() or "…"
        self.query_one("#export-what", Static).update(
            f"Enter exports {label} to {one_line(raw, 60)}.\n"
            "Shift+Tab: the format (↑/↓ or Enter to choose); Esc cancels."
        )

    @on(Select.Changed, "#format")
    def _format_changed(self, event: Select.Changed) -> None:
        path_input = self.query_one("#export-path", Input)
        if path_input.value == self._suggested:  # the user has not typed their own path
            self._suggested = default_path(str(event.value), self._today)
            path_input.value = self._suggested
        self._confirm_overwrite = None
        self._status("")
        self._show_what()

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirm_overwrite = None
        self._show_what()

    def _status(self, text: str) -> None:
        self.query_one("#export-status", Static).update(text)

    @on(Input.Submitted)
    @on(Button.Pressed, "#export")
    def _submit(self) -> None:
        if self._busy:
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._status("Type a file name.")
            return
        path = Path(raw).expanduser()
        if path.is_dir():
            self._status(f"{one_line(raw, 80)} is a folder: type a file name.")
            return
        force = False
        if path.exists():
            if self._confirm_overwrite != path:
                self._confirm_overwrite = path
                self._status(f"{one_line(raw, 80)} exists. Press Enter (or Export) again to overwrite it.")
                return
            force = True
        fmt = str(self.query_one("#format", Select).value)
        self._busy = True
        self._status(f"Exporting {fmt} to {one_line(raw, 80)}…")
        self._export(fmt, path, force)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="Exporting")
    def _export(self, fmt: str, path: Path, force: bool) -> str:
        from library.interchange.export import export_library

        result = export_library(self.app.library, fmt, path, force=force)
        lines = [one_line(result.summary(), 300)]
        lines.extend(one_line(w, 200) for w in result.warnings[:3])
        return "\n".join(lines)

    @on(Worker.StateChanged)
    def _export_done(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "export":
            return
        if event.state == WorkerState.SUCCESS:
            self._busy = False
            self.app.notify(str(event.worker.result), markup=False, timeout=8)
            self.dismiss(None)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self._busy = False
            err = event.worker.error
            self._status(one_line(str(err) if err else "export cancelled", 300))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
