"""First run: an empty library explains how to import, and one key loads the bundled samples."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Static

from reader.app.status import ReadOnlyBanner
from reader.app.widgets.footer import FittingFooter

if TYPE_CHECKING:
    from textual import getters

    from reader.app.app import ReaderApp

WELCOME = """\
Welcome to newsnotes-reader

Your library is empty. To add articles (text, Markdown, HTML,
or CSV/JSON/JSONL data sets; a file or a whole folder):

  • from the shell:  reader import PATH
  • from here:       press  i  and type a path

Or press  s  to load the bundled sample articles.

?  lists every key · ctrl+p  command palette · ctrl+q  quits"""


class WelcomeScreen(Screen[None]):
    if TYPE_CHECKING:  # the app it runs in, as the type checker sees it (at run time: Textual's)
        app = getters.app(ReaderApp)

    BINDINGS = [
        Binding(
            "s", "samples", "Load samples", id="welcome.samples", tooltip="Import the bundled sample articles"
        ),
        Binding("q", "app.quit", "Quit", id="welcome.quit"),
    ]

    def compose(self) -> ComposeResult:
        yield ReadOnlyBanner()
        with Center(), Vertical(id="welcome"):
            yield Static(WELCOME, markup=False, id="welcome-text")
        yield FittingFooter()

    def action_samples(self) -> None:
        from reader.samples import sample_paths

        self.app.pop_screen()  # the library screen below shows the progress bar
        self.app.start_import(list(sample_paths()), label="the bundled samples")
