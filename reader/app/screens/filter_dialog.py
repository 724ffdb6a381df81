"""The library's filter dialog (`f`): tag, site, date range, read state, work state and annotator.

It edits the domain's `ArticleQuery`: a tag is an article tag or a span tag, in any case, and the
tag field completes from every label in the library (`Library.tags()`). The work state is the
user's own, or with a name in "Who" that annotator's; "Who" alone keeps the articles they worked on."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select, Static

from library import ArticleQuery
from reader.app.catalogue import (
    READ_ANY,
    READ_READ,
    READ_UNREAD,
    read_choice,
    read_value,
    valid_date,
    widen_to,
)


class FilterDialog(ModalScreen[ArticleQuery | None]):
    """Returns the new filters, or None when cancelled. Tag and site complete from the library."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+l", "clear", "Clear all", id="filter.clear"),
    ]

    def __init__(self, filters: ArticleQuery, tags: list[str], sites: list[str]) -> None:
        super().__init__()
        self.filters = filters
        self.tags = tags
        self.sites = sites

    def compose(self) -> ComposeResult:
        f = self.filters
        with Vertical(classes="dialog", id="filter-dialog"):
            yield Static("Filter the library", classes="dialog-title", markup=False)
            with Grid(classes="form"):
                yield Label("Tag", markup=False)
                yield Input(
                    ", ".join(f.labels),
                    placeholder="any tag (Tab/→ completes)",
                    id="tag",
                    compact=True,
                    select_on_focus=False,  # Tab back into a field keeps its text
                    suggester=SuggestFromList(self.tags, case_sensitive=False),
                )
                yield Label("Site", markup=False)
                yield Input(
                    ", ".join(f.sites),
                    placeholder="any site",
                    id="site",
                    compact=True,
                    select_on_focus=False,  # Tab back into a field keeps its text
                    suggester=SuggestFromList(self.sites, case_sensitive=False),
                )
                yield Label("From", markup=False)
                yield Input(
                    f.since,
                    placeholder="YYYY-MM-DD (or YYYY, YYYY-MM)",
                    id="date-from",
                    compact=True,
                    select_on_focus=False,
                )
                yield Label("To", markup=False)
                yield Input(
                    f.until,
                    placeholder="YYYY-MM-DD (or YYYY, YYYY-MM)",
                    id="date-to",
                    compact=True,
                    select_on_focus=False,
                )
                yield Label("Read", markup=False)
                yield Select(
                    [("any", READ_ANY), ("unread only", READ_UNREAD), ("read only", READ_READ)],
                    value=read_choice(f.read),
                    allow_blank=False,
                    id="read",
                    compact=True,
                )
                # Work filters (library/annotations/work_state.py): state, and whose.
                yield Label("Work", markup=False)
                yield Select(
                    [("any", ""), ("new", "new"), ("in progress", "progress"), ("done", "done")],
                    value=f.state,
                    allow_blank=False,
                    id="state",
                    compact=True,
                )
                yield Label("Who", markup=False)
                yield Input(
                    ", ".join(f.annotators),
                    placeholder="you; or an annotator's name (their work)",
                    id="annotator",
                    compact=True,
                )
            yield Static("", id="filter-error", classes="dialog-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Apply", variant="primary", id="apply", compact=True)
                yield Button("Clear all", id="clear", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#tag", Input).focus()

    def _collect(self) -> ArticleQuery | None:
        date_from = self.query_one("#date-from", Input).value.strip()
        date_to = self.query_one("#date-to", Input).value.strip()
        for label, value in (("From", date_from), ("To", date_to)):
            if value and not valid_date(value):
                self.query_one("#filter-error", Static).update(f"{label}: use YYYY-MM-DD, YYYY-MM or YYYY")
                return None
        read = self.query_one("#read", Select).value
        tag = self.query_one("#tag", Input).value.strip()
        site = self.query_one("#site", Input).value.strip()
        who = self.query_one("#annotator", Input).value.strip()
        return self.filters.but(
            labels=(tag,) if tag else (),
            sites=(site,) if site else (),
            since=date_from,
            until=widen_to(date_to) if date_to else "",
            read=read_value(str(read)),
            state=str(self.query_one("#state", Select).value or ""),
            annotators=(who,) if who else (),
        )

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        filters = self._collect()
        if filters is not None:
            self.dismiss(filters)

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        self.dismiss(ArticleQuery())

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
