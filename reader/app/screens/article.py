"""The article screen: read the clean body, select spans by keys or mouse, highlight, tag and note.

The body is a read-only `BodyView`; side panes show metadata, boilerplate blocks and highlights.
Every change goes straight to the `Library` (one atomic, durable write per call) and the app's
"saved" sign. Highlights are anchored in the article's source text: a selection's body offsets
are mapped to source offsets before saving, and back to body offsets when drawing, so flipping a
boilerplate block never moves a highlight off its text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static

from library.annotations.model import ArticleAnnotations, Highlight
from library.annotations.work_state import STATE_LABELS, state_of
from library.model import Article
from library.safetext import one_line
from reader.app import selection as sel
from reader.app.messages import AnnotationsChanged
from reader.app.screens.confirm import ConfirmScreen
from reader.app.screens.note_dialog import NoteDialog
from reader.app.screens.tag_picker import TagPicker
from reader.app.settings import DEFAULT_QUICK_TAGS
from reader.app.status import ReadOnlyBanner, SavedIndicator
from reader.app.widgets.body import BodyView, Mark
from reader.app.widgets.legend import (
    LEADER_KEY,
    LeaderScreen,
    Legend,
    QuickKey,
    quick_keys,
    use_scheme_colours,
)
from reader.app.widgets.panes import (
    BoilerplatePane,
    HighlightRow,
    HighlightsPane,
    MetadataPane,
    tag_chip,
)

POSITION_SAVE_SECONDS = 30.0
WIDE_COLUMNS = 110  # from this width the panes sit beside the body, below it otherwise
ALL_OTHERS = "\x00all"  # annotator view: yours plus every other annotator's highlights

_PANES = {"meta": "#meta-pane", "boiler": "#boiler-pane", "highlights": "#hl-pane"}


def work_state_label(annotations: ArticleAnnotations, annotator: str) -> str:
    return STATE_LABELS[state_of(annotations, annotator)]


def _b(
    key: str,
    action: str,
    description: str,
    bid: str,
    *,
    show: bool = False,
    display: str | None = None,
    tooltip: str = "",
) -> Binding:
    return Binding(
        key, action, description, show=show, id=f"article.{bid}", key_display=display, tooltip=tooltip
    )


class ArticleScreen(Screen[None]):
    """One article: body, panes, selection and annotation keys."""

    DEFAULT_CSS = """
    ArticleScreen { layout: vertical; }
    ArticleScreen #article-title { height: 1; padding: 0 1; text-style: bold; background: $panel; }
    ArticleScreen #article-main { height: 1fr; }
    ArticleScreen #body-wrap { width: 1fr; height: 1fr; align-horizontal: center; }
    ArticleScreen #side { width: 44; height: 1fr; display: none; }
    ArticleScreen #side.-shown { display: block; }
    ArticleScreen #side > * { display: none; }
    ArticleScreen #side > .-shown { display: block; }
    ArticleScreen.-narrow #article-main { layout: vertical; }
    ArticleScreen.-narrow #side { width: 1fr; height: 10; }
    ArticleScreen #status-row { height: 1; }
    ArticleScreen #status { width: 1fr; height: 1; padding: 0 1; color: $text-muted; }
    ArticleScreen #legend { height: auto; max-height: 3; padding: 0 1; color: $text-muted; }
    ArticleScreen #search { display: none; height: 3; }
    ArticleScreen #search.-shown { display: block; }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_COLUMNS, "-wide")]

    BINDINGS = [
        _b(
            "q", "back", "Back", "back", show=True, tooltip="Back to the library (saves the reading position)"
        ),
        _b(
            "escape", "escape", "Cancel/back", "escape", tooltip="Clear the selection or search, else go back"
        ),
        _b("j", "move('down')", "Down", "down"),
        _b("k", "move('up')", "Up", "up"),
        _b("h", "move('left')", "Left (extends in selection)", "left"),
        _b("l", "move('right')", "Right (extends in selection)", "right"),
        _b("w", "move('word_next')", "Next word", "word_next"),
        _b("b", "move('word_prev')", "Previous word", "word_prev"),
        _b("e", "move('word_end')", "End of word", "word_end"),
        _b("right_parenthesis", "move('sentence_next')", "Next sentence end", "sentence_next", display=")"),
        _b(
            "left_parenthesis",
            "move('sentence_prev')",
            "Previous sentence start",
            "sentence_prev",
            display="(",
        ),
        _b(
            "right_curly_bracket",
            "move('paragraph_next')",
            "Next paragraph end",
            "paragraph_next",
            display="}",
        ),
        _b(
            "left_curly_bracket",
            "move('paragraph_prev')",
            "Previous paragraph start",
            "paragraph_prev",
            display="{",
        ),
        _b("g", "move('top')", "Top", "top"),
        _b("G", "move('bottom')", "Bottom", "bottom"),
        _b(
            "v",
            "toggle_select",
            "Select",
            "select",
            show=True,
            tooltip="Start/stop a selection; motions extend it",
        ),
        _b("s", "select_sentence", "Select sentence", "select_sentence"),
        _b("p", "select_paragraph", "Select paragraph", "select_paragraph"),
        _b(
            "t",
            "tag",
            "Tag",
            "tag",
            show=True,
            tooltip="Tag the selection (or the highlight under the cursor)",
        ),
        *[
            _b(
                str(i),
                f"quick_tag({i})",
                f"Quick tag {i}",
                f"quick_tag_{i}",
                tooltip="Apply the quick tag in the legend",
            )
            for i in range(1, 10)
        ],
        # Labelling keys (scheme labels, work state): reader/app/widgets/legend.py, work_state.py.
        _b(
            LEADER_KEY,
            "leader",
            "More labels",
            "leader",
            display=";",
            tooltip="Second key layer: ; then a letter",
        ),
        _b(
            "d",
            "toggle_done",
            "Done/undone",
            "done",
            tooltip="Mark your work on this article done (again: not done)",
        ),
        _b(
            "greater_than_sign",
            "next_not_done",
            "Next not done",
            "next_not_done",
            display=">",
            tooltip="Open the next article in the library's order and filter that is not done",
        ),
        _b(
            "question_mark",
            "label_help",
            "Label guideline",
            "label_help",
            display="?",
            tooltip="The guideline of the label under the cursor (else every key)",
        ),
        _b(
            "n",
            "next_match",
            "Next match",
            "next_match",
            tooltip="While a search is active: next match (Esc ends the search; then n is Note)",
        ),
        _b(
            "N",
            "prev_match",
            "Previous match",
            "prev_match",
            tooltip="While a search is active: previous match",
        ),
        _b(
            "n",
            "note",
            "Note",
            "note",
            show=True,
            tooltip="Note on the highlight under the cursor, the selection, or else the article (not during a search)",
        ),
        _b("x", "delete", "Delete highlight", "delete", tooltip="Delete the highlight under the cursor"),
        _b(
            "A",
            "annotators",
            "Other annotators",
            "annotators",
            tooltip="Show other annotators' highlights: yours only, all, each other annotator beside yours",
        ),
        _b(
            "T",
            "tag_article",
            "Tag article",
            "tag_article",
            tooltip="Add or remove a tag on the whole article",
        ),
        _b(
            "asterisk",
            "tag_all",
            "Tag all occurrences",
            "tag_all",
            display="*",
            tooltip="Offer the same tag for every other occurrence of the selected text, y/n each",
        ),
        _b("right_square_bracket", "jump_highlight(1)", "Next highlight", "next_highlight", display="]"),
        _b("left_square_bracket", "jump_highlight(-1)", "Previous highlight", "prev_highlight", display="["),
        _b(
            "slash", "search", "Search", "search", show=True, display="/", tooltip="Search within the article"
        ),
        _b("m", "pane('meta')", "Metadata", "pane_meta", tooltip="Show/focus/hide the metadata pane"),
        _b(
            "B",
            "pane('boiler')",
            "Boilerplate",
            "pane_boiler",
            tooltip="Show/focus/hide the boilerplate pane",
        ),
        _b(
            "H",
            "pane('highlights')",
            "Highlights",
            "pane_highlights",
            show=True,
            tooltip="Show/focus/hide the highlights pane",
        ),
        _b(
            "f",
            "flip",
            "Flip block",
            "flip",
            tooltip="Boilerplate pane: move the block into the body / back; body: mark the paragraph as boilerplate",
        ),
    ]

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.article: Article | None = None
        self.annotations = ArticleAnnotations(article_id)
        self._spans: dict[str, tuple[int, int] | None] = {}
        self._matches: list[tuple[int, int]] = []
        self.search_query = ""
        self._saved_position: int | None = None
        # Whose highlights beside yours are drawn: None (yours only), ALL_OTHERS, or one name.
        self.annotator_view: str | None = None
        self._others: list[str] = []  # other annotators on this article, kept by _redraw_annotations
        self._shown = 0  # highlights drawn or listed in the current view

    # --- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ReadOnlyBanner()
        yield Static(id="article-title", markup=False)
        with Horizontal(id="article-main"):
            with Vertical(id="body-wrap"):
                yield BodyView(id="body")
            # Wide terminals show the highlights pane from the start (set here, not after mount, so
            # the body is wrapped once at its final width).
            wide = self.app.size.width >= WIDE_COLUMNS
            with Vertical(id="side", classes="-shown" if wide else ""):
                yield MetadataPane(id="meta-pane")
                yield BoilerplatePane(id="boiler-pane")
                yield HighlightsPane(id="hl-pane", classes="-shown" if wide else "")
        with Horizontal(id="status-row"):
            yield Static(id="status", markup=False)
            yield SavedIndicator()
        yield Legend(id="legend")
        yield Input(placeholder="Search in this article (Enter; then n/N, Esc ends)", id="search")
        yield Footer()

    @property
    def body(self) -> BodyView:
        return self.query_one("#body", BodyView)

    @property
    def library(self) -> Any:
        return self.app.library  # type: ignore[attr-defined]

    @property
    def quick_tags(self) -> list[str]:
        """The labels on keys 1-9."""
        return [k.label for k in self.quick_key_list if not k.second_layer]

    @property
    def quick_key_list(self) -> list[QuickKey]:
        """Every quick key: the scheme's labels (both layers), else the configured 1-9."""
        return quick_keys(self.library.scheme, (self.app.settings.quick_tags or DEFAULT_QUICK_TAGS)[:9])

    def on_mount(self) -> None:
        use_scheme_colours(self.library.scheme)
        self.body.focus()
        self._render_legend()
        # Load once the layout has given the body its width: a long body is then wrapped once.
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        self.load()
        position = min(max(0, self.annotations.position), len(self.body.body))
        self.body.move_to_offset(position, select=False)
        self.body.scroll_cursor_visible(center=True, animate=False)
        self._saved_position = position
        self.set_interval(POSITION_SAVE_SECONDS, self._save_position_if_moved)

    def load(self, *, keep: tuple[int, int] | None = None) -> None:
        """(Re)read the article and its annotations from the store and redraw everything."""
        self.article = self.library.article(self.article_id)
        self.annotations = self.library.annotations(self.article_id)
        self.body.set_body(self.article.body)
        self._matches = []
        if self.search_query:
            self._run_search(self.search_query, jump=False)
        self._redraw_annotations()
        if keep is not None:
            self.body.select_offsets(*keep)

    def _redraw_annotations(self) -> None:
        """Map highlights to body spans, redraw marks and panes after any annotation change."""
        article = self.article
        assert article is not None
        self._spans = {}
        self._others = self.other_annotators()
        if self.annotator_view not in (None, ALL_OTHERS, *self._others):
            self.annotator_view = None  # that annotator's highlights are gone
        self._shown = sum(1 for h in self.annotations.highlights if self.is_visible(h))
        marks: list[Mark] = []
        for h in self.annotations.highlights:
            span = article.source_to_body(h.source_start, h.source_end)
            self._spans[h.id] = span
            if span and self.is_visible(h):
                marks.append(Mark(span[0], span[1], h.tags[0] if h.tags else None, h.id, self.is_mine(h)))
        self.body.set_marks(marks)
        self.body.set_matches(self._matches)
        title = article.meta.title or "(untitled)"
        tags = self.annotations.tag_names
        self.query_one("#article-title", Static).update(
            Content(one_line(title, 200) + (f"  [{', '.join(one_line(t) for t in tags)}]" if tags else ""))
        )
        self.query_one(MetadataPane).show(article, self.annotations)
        self.query_one(BoilerplatePane).show(article, self.annotations)
        self.query_one(HighlightsPane).show(self._rows(), self._under_cursor_ids())
        self._update_status()

    def _rows(self) -> list[HighlightRow]:
        return [
            HighlightRow(h, self._spans.get(h.id), "" if self.is_mine(h) else h.annotator)
            for h in self.annotations.highlights
            if self.is_visible(h)
        ]

    # --- whose highlights -----------------------------------------------------------------------
    def my_names(self) -> set[str]:
        """Annotator names that mean "you": the app's user, the store's recorder, and none."""
        return {"", self.app.settings.annotator or "", self.library.annotator or ""}

    def is_mine(self, h: Highlight) -> bool:
        return h.annotator in self.my_names()

    def other_annotators(self) -> list[str]:
        """Names of the other annotators with highlights on this article, sorted."""
        mine = self.my_names()
        return sorted({h.annotator for h in self.annotations.highlights if h.annotator not in mine})

    def is_visible(self, h: Highlight) -> bool:
        view = self.annotator_view
        return self.is_mine(h) or view == ALL_OTHERS or (view is not None and h.annotator == view)

    def view_label(self) -> str:
        """Which highlights are drawn, e.g. "you + ben"."""
        view = self.annotator_view
        if view is None:
            return "you"
        names = self._others if view == ALL_OTHERS else [view]
        return "you + " + ", ".join(one_line(n, 40) for n in names)

    def action_annotators(self) -> None:
        """Cycle: yours only -> yours + all others -> each other annotator alone beside yours."""
        others = self.other_annotators()
        if not others:
            self.annotator_view = None
            self.notify("No other annotators' highlights in this article.", markup=False)
            return
        views: list[str | None] = [None, ALL_OTHERS, *(others if len(others) > 1 else [])]
        current = views.index(self.annotator_view) if self.annotator_view in views else 0
        self.annotator_view = views[(current + 1) % len(views)]
        self._redraw_annotations()
        self.notify(f"Showing: {self.view_label()}", markup=False)

    def _refuse_other(self, h: Highlight) -> bool:
        """True (after saying so) when `h` is another annotator's: your keys never change theirs."""
        if self.is_mine(h):
            return False
        self.notify(
            f"That highlight belongs to {one_line(h.annotator, 40)}; only your own highlights can be changed.",
            markup=False,
        )
        return True

    def _render_legend(self) -> None:
        self.query_one(Legend).show(self.quick_key_list)

    # --- highlights under the cursor ----------------------------------------------------------
    def _under_cursor(self) -> list[Highlight]:
        ids = {m.id for m in self.body.marks_at(self.body.cursor_offset)}
        return [h for h in self.annotations.highlights if h.id in ids]

    def _under_cursor_ids(self) -> set[str]:
        return {h.id for h in self._under_cursor()}

    def _update_status(self) -> None:
        body = self.body
        parts: list = []
        if body.selecting or body.has_selection:
            start, end = body.selection_offsets
            parts.append((f"SELECT {end - start} chars ", "bold reverse"))
            parts.append(" ")
        under = self._under_cursor()
        if under:
            parts.append(("▶ under cursor: " if len(under) == 1 else f"▶ {len(under)} overlapping: ", "bold"))
            for h in under:
                if not self.is_mine(h):
                    parts.append((f"{one_line(h.annotator, 40)}: ", "bold italic"))
                for tag in h.tags or ["untagged"]:
                    parts.append(tag_chip(tag))
                    parts.append(" ")
                if h.note:
                    parts.append(("✎ ", "italic"))
        elif self.search_query:
            parts.append(f"/{one_line(self.search_query, 30)}: {len(self._matches)} matches (n/N, Esc ends)")
        else:
            total = max(1, len(body.body))
            parts.append(f"{self._shown} highlights · {100 * body.cursor_offset // total}%")
        if self._others:
            parts.append((f"  showing: {self.view_label()} (A)", "italic"))
        parts.append((f"  · {work_state_label(self.annotations, self.library.annotator)} (d)", "italic"))
        self.query_one("#status", Static).update(Content.assemble(*parts))

    @on(BodyView.SelectionChanged)
    def _selection_changed(self, event: BodyView.SelectionChanged) -> None:
        self.query_one(HighlightsPane).mark_under_cursor(self._under_cursor_ids())
        self._update_status()

    # --- moving -------------------------------------------------------------------------------
    def action_move(self, motion: str) -> None:
        focused = self.focused
        if isinstance(focused, OptionList) and motion in ("down", "up", "top", "bottom"):
            {
                "down": focused.action_cursor_down,
                "up": focused.action_cursor_up,
                "top": focused.action_first,
                "bottom": focused.action_last,
            }[motion]()
            return
        body = self.body
        if focused is not body:
            body.focus()
        text, pos = body.body, body.cursor_offset
        simple = {
            "down": body.action_cursor_down,
            "up": body.action_cursor_up,
            "left": body.action_cursor_left,
            "right": body.action_cursor_right,
        }
        if motion in simple:
            simple[motion]()
            return
        target = {
            "word_next": lambda: sel.next_word_start(text, pos),
            "word_prev": lambda: sel.prev_word_start(text, pos),
            "word_end": lambda: sel.word_end(text, pos),
            "sentence_next": lambda: sel.next_sentence_end(text, pos),
            "sentence_prev": lambda: sel.prev_sentence_start(text, pos),
            "paragraph_next": lambda: sel.next_paragraph_end(text, pos),
            "paragraph_prev": lambda: sel.prev_paragraph_start(text, pos),
            "top": lambda: 0,
            "bottom": lambda: len(text),
        }[motion]()
        body.move_to_offset(target)

    def action_toggle_select(self) -> None:
        body = self.body
        body.focus()
        if body.selecting or body.has_selection:
            self._clear_selection()
        else:
            body.selecting = True
            body.move_to_offset(body.cursor_offset, select=False)
        self._update_status()

    def _clear_selection(self) -> None:
        body = self.body
        body.selecting = False
        body.move_to_offset(body.cursor_offset, select=False)
        self._update_status()

    def action_select_sentence(self) -> None:
        body = self.body
        body.focus()
        body.select_offsets(*sel.sentence_span(body.body, body.cursor_offset))
        body.selecting = True
        self._update_status()

    def action_select_paragraph(self) -> None:
        body = self.body
        body.focus()
        body.select_offsets(*sel.paragraph_span(body.body, body.cursor_offset))
        body.selecting = True
        self._update_status()

    def action_jump_highlight(self, direction: int) -> None:
        spans = sorted(
            {s for h in self.annotations.highlights if self.is_visible(h) and (s := self._spans.get(h.id))}
        )
        if not spans:
            self.notify("No highlights in the body yet.", markup=False)
            return
        pos = self.body.cursor_offset
        if direction > 0:
            target = next((s for s in spans if s[0] > pos), spans[0])
        else:
            target = next((s for s in reversed(spans) if s[0] < pos), spans[-1])
        self._clear_selection()
        self.body.move_to_offset(target[0], select=False, center=True)
        self.body.focus()

    # --- panes --------------------------------------------------------------------------------
    def _show_pane(self, name: str, shown: bool) -> None:
        pane = self.query_one(_PANES[name])
        pane.set_class(shown, "-shown")
        if shown and self.has_class("-narrow"):  # one pane at a time below the body
            for other in _PANES.values():
                if other != _PANES[name]:
                    self.query_one(other).remove_class("-shown")
        side = self.query_one("#side")
        side.set_class(any(self.query_one(sel_).has_class("-shown") for sel_ in _PANES.values()), "-shown")

    def action_pane(self, name: str) -> None:
        """Hidden: show and focus it. Shown but elsewhere: focus it. Focused: hide it."""
        pane = self.query_one(_PANES[name])
        if not pane.has_class("-shown"):
            self._show_pane(name, True)
            self.call_after_refresh(pane.focus)
        elif self.focused is pane:
            self._show_pane(name, False)
            self.body.focus()
        else:
            pane.focus()

    @on(OptionList.OptionSelected, "#hl-pane")
    def _jump_to_highlight(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        span = self._spans.get(event.option.id or "")
        if not span:
            self.notify("That highlight is outside the body (title or boilerplate).", markup=False)
            return
        self.body.selecting = False
        self.body.focus()
        self.body.move_to_offset(span[0], select=False, center=True)

    @on(OptionList.OptionSelected, "#boiler-pane")
    def _flip_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_flip()

    # --- writing ------------------------------------------------------------------------------
    def _write(self, do: Callable[[], object], message: str = "Saved") -> bool:
        """Run one store write; on success reload annotations, redraw and show the saved sign."""
        if self.app.write_blocked():
            return False
        try:
            do()
        except Exception as err:  # noqa: BLE001 - any store error becomes one safe line
            self.app.report_error(err)
            return False
        self.annotations = self.library.annotations(self.article_id)
        self._redraw_annotations()
        self.app.show_saved(message)
        return True

    def _target_span(self) -> tuple[int, int] | None:
        """The selection trimmed of whitespace, or None."""
        body = self.body
        if not body.has_selection:
            return None
        start, end = sel.trim_span(body.body, *body.selection_offsets)
        return (start, end) if end > start else None

    def _highlight_with_span(self, span: tuple[int, int]) -> Highlight | None:
        """Your own highlight with exactly that span (others' are never edited by your keys)."""
        for h in self.annotations.highlights:
            if self._spans.get(h.id) == span and self.is_mine(h):
                return h
        return None

    def _target_highlight(self) -> Highlight | None:
        """The highlight the pane cursor is on (when the pane is focused), else the innermost under the cursor."""
        pane = self.query_one(HighlightsPane)
        if self.focused is pane and pane.highlight_id:
            return next((h for h in self.annotations.highlights if h.id == pane.highlight_id), None)
        under = self._under_cursor()
        if not under:
            return None
        # Your own highlight wins over another annotator's under the same cursor.
        return min(under, key=lambda h: (not self.is_mine(h), self._span_len(h), h.created))

    def _span_len(self, h: Highlight) -> int:
        span = self._spans.get(h.id)
        return span[1] - span[0] if span else 0

    def _add_highlight(self, span: tuple[int, int], tags: list[str], note: str = "") -> bool:
        assert self.article is not None
        source = self.article.body_to_source(*span)
        if source is None or source[1] <= source[0]:
            self.notify("That selection has no text from the source.", severity="warning", markup=False)
            return False
        ok = self._write(
            lambda: self.library.add_highlight(self.article_id, source[0], source[1], tags=tags, note=note),
            "Highlight saved",
        )
        return ok

    def _apply_tag(self, tag: str) -> None:
        """Tag the selection (new highlight, or the highlight with exactly that span), else toggle
        the tag on the highlight under the cursor."""
        tag = tag.strip()
        if not tag:
            return
        span = self._target_span()
        if span is not None:
            existing = self._highlight_with_span(span)
            if existing is not None:
                if tag not in existing.tags:
                    existing.tags.append(tag)
                    self._write(lambda: self.library.update_highlight(self.article_id, existing), "Tag saved")
            else:
                self._add_highlight(span, [tag])
            self._clear_selection()
            return
        target = self._target_highlight()
        if target is None:
            self.notify("Select text first: v and motions, s (sentence) or p (paragraph).", markup=False)
            return
        if self._refuse_other(target):
            return
        if tag in target.tags:
            target.tags.remove(tag)
            self._write(lambda: self.library.update_highlight(self.article_id, target), "Tag removed")
        else:
            target.tags.append(tag)
            self._write(lambda: self.library.update_highlight(self.article_id, target), "Tag saved")

    def all_tags(self) -> list[str]:
        """Every tag used in the library, on articles and on highlights, for completion."""
        tags: set[str] = set(self.quick_tags)
        tags.update(t for h in self.annotations.highlights for t in h.tags)
        tags.update(self.annotations.tag_names)
        try:
            for summary in self.library.summaries():
                tags.update(summary.tags)
                if summary.highlights and summary.id != self.article_id:
                    tags.update(t for h in self.library.annotations(summary.id).highlights for t in h.tags)
        except Exception:  # noqa: BLE001 - completion must never block tagging
            pass
        return sorted(tags, key=str.casefold)

    def action_tag(self) -> None:
        if self._target_span() is None and self._target_highlight() is None:
            self.notify("Select text first: v and motions, s (sentence) or p (paragraph).", markup=False)
            return
        target = None if self._target_span() is not None else self._target_highlight()
        if target is not None and self._refuse_other(target):
            return
        self.app.push_screen(
            self.picker(
                "Tag the selection" if target is None else "Tag the highlight",
                target.tags if target else (),
            ),
            lambda tag: self._apply_tag(tag) if tag else None,
        )

    def action_quick_tag(self, number: int) -> None:
        chosen = next((k.label for k in self.quick_key_list if k.key == str(number)), None)
        if chosen is not None:
            self._apply_tag(chosen)

    # --- labelling: second key layer, label help, work state (labelling_actions.py) ----------------
    def action_leader(self) -> None:
        self.app.push_screen(
            LeaderScreen(self.quick_key_list), lambda tag: self._apply_tag(tag) if tag else None
        )

    def action_label_help(self) -> None:
        from reader.app.screens.labelling_actions import label_help_under_cursor

        label_help_under_cursor(self)

    def action_toggle_done(self) -> None:
        from reader.app.screens.labelling_actions import toggle_done

        toggle_done(self)

    def action_next_not_done(self) -> None:
        from reader.app.screens.labelling_actions import open_next_not_done

        open_next_not_done(self)

    def picker(self, title: str, current: list[str] | tuple[str, ...] = ()) -> TagPicker:
        """The tag picker with the library's scheme and the quick keys shown on its rows."""
        keys = {k.label: k.display for k in self.quick_key_list}
        scope = "article" if title == "Tag the article" else "span"
        return TagPicker(
            self.all_tags(), title=title, current=current, scheme=self.library.scheme, keys=keys, scope=scope
        )

    def action_note(self) -> None:
        span = self._target_span()
        if span is not None:
            existing = self._highlight_with_span(span)

            def done(note: str | None) -> None:
                if note is None:
                    return
                if existing is not None:
                    existing.note = note
                    self._write(
                        lambda: self.library.update_highlight(self.article_id, existing), "Note saved"
                    )
                else:
                    self._add_highlight(span, [], note)
                self._clear_selection()

            quote = one_line(self.body.body[span[0] : span[1]], 70)
            self.app.push_screen(NoteDialog(existing.note if existing else "", subject=f"“{quote}”"), done)
            return
        target = self._target_highlight()
        if target is not None:
            if self._refuse_other(target):
                return

            def done_h(note: str | None) -> None:
                if note is None or target is None:
                    return
                target.note = note
                self._write(lambda: self.library.update_highlight(self.article_id, target), "Note saved")

            self.app.push_screen(NoteDialog(target.note, subject=f"“{one_line(target.quote, 70)}”"), done_h)
            return

        def done_a(note: str | None) -> None:
            if note is not None:
                self._write(lambda: self.library.set_article_note(self.article_id, note), "Note saved")

        self.app.push_screen(NoteDialog(self.annotations.note, subject="Note on the whole article"), done_a)

    def action_delete(self) -> None:
        target = self._target_highlight()
        if target is None:
            self.notify("No highlight under the cursor.", markup=False)
            return
        if self._refuse_other(target):
            return
        self._write(lambda: self.library.delete_highlight(self.article_id, target.id), "Highlight deleted")

    def action_tag_article(self) -> None:
        current = self.annotations.tag_names

        def done(tag: str | None) -> None:
            if not tag:
                return
            tags = [t for t in current if t != tag] if tag in current else [*current, tag]
            self._write(lambda: self.library.set_article_tags(self.article_id, tags), "Article tags saved")

        self.app.push_screen(self.picker("Tag the article", current), done)

    # --- tag every other occurrence -------------------------------------------------------------
    def action_tag_all(self) -> None:
        span = self._target_span()
        tags: list[str] = []
        if span is None:
            target = self._target_highlight()
            if target is None or not self._spans.get(target.id):
                self.notify("Select text (or stand on a highlight) first.", markup=False)
                return
            span = self._spans[target.id]
            tags = list(target.tags)
        else:
            existing = self._highlight_with_span(span)
            tags = list(existing.tags) if existing else []
        assert span is not None
        if tags:
            self._offer_occurrences(span, tags)
            return

        def chosen(tag: str | None) -> None:
            if tag:
                assert span is not None
                if self._target_span() == span and self._highlight_with_span(span) is None:
                    self._add_highlight(span, [tag])
                self._offer_occurrences(span, [tag])

        self.app.push_screen(self.picker("Tag every occurrence with"), chosen)

    def occurrences_to_offer(self, span: tuple[int, int], tags: list[str]) -> list[tuple[int, int]]:
        """Other occurrences of the span's text not already highlighted with all of `tags`."""
        text = self.body.body
        needle = text[span[0] : span[1]]
        out = []
        for occ in sel.find_occurrences(text, needle):
            if occ == span:
                continue
            existing = self._highlight_with_span(occ)
            if existing is not None and all(t in existing.tags for t in tags):
                continue
            out.append(occ)
        return out

    def _offer_occurrences(self, span: tuple[int, int], tags: list[str]) -> None:
        pending = self.occurrences_to_offer(span, tags)
        label = ", ".join(tags)
        if not pending:
            self.notify("No other occurrences to tag.", markup=False)
            self._clear_selection()
            return
        done = [0]

        def ask(i: int) -> None:
            if i >= len(pending):
                self._clear_selection()
                self.notify(f"Tagged {done[0]} of {len(pending)} other occurrences.", markup=False)
                return
            occ = pending[i]
            self.body.selecting = False
            self.body.select_offsets(*occ)
            question = Content.assemble(
                f"Occurrence {i + 1} of {len(pending)}: tag “",
                (one_line(self.body.body[occ[0] : occ[1]], 50), "bold"),
                f"” with {one_line(label, 40)}?",
            )

            def answered(yes: bool | None) -> None:
                if yes is None:
                    self._clear_selection()
                    self.notify(f"Stopped: tagged {done[0]} occurrences.", markup=False)
                    return
                if yes:
                    existing = self._highlight_with_span(occ)
                    if existing is not None:
                        existing.tags.extend(t for t in tags if t not in existing.tags)
                        ok = self._write(lambda: self.library.update_highlight(self.article_id, existing))
                    else:
                        ok = self._add_highlight(occ, list(tags))
                    done[0] += int(ok)
                ask(i + 1)

            self.app.push_screen(ConfirmScreen(question, title="Tag this occurrence?"), answered)

        ask(0)

    # --- search ---------------------------------------------------------------------------------
    def action_search(self) -> None:
        field = self.query_one("#search", Input)
        field.add_class("-shown")
        field.value = self.search_query
        field.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one("#search", Input)
        field.remove_class("-shown")
        self.body.focus()
        query = event.value.strip()
        if not query:
            self._end_search()
            return
        self._run_search(query, jump=True)

    def _run_search(self, query: str, *, jump: bool) -> None:
        self.search_query = query
        self._matches = sel.find_occurrences(self.body.body, query)
        self.body.set_matches(self._matches)
        if not self._matches:
            self.notify(f"No match for “{one_line(query, 60)}”.", markup=False)
        elif jump:
            self._goto_match(1, include_current=True)
        self._update_status()
        self.refresh_bindings()

    def _end_search(self) -> None:
        self.search_query = ""
        self._matches = []
        self.body.set_matches([])
        self._update_status()
        self.refresh_bindings()

    def _goto_match(self, direction: int, *, include_current: bool = False) -> None:
        if not self._matches:
            return
        pos = self.body.cursor_offset
        starts = [m[0] for m in self._matches]
        if direction > 0:
            target = next(
                (m for m in self._matches if m[0] > pos or (include_current and m[0] == pos)),
                self._matches[0],
            )
        else:
            target = next((m for m in reversed(self._matches) if m[0] < pos), self._matches[-1])
        del starts
        self.body.selecting = False
        self.body.move_to_offset(target[0], select=False, center=True)
        self._update_status()

    def action_next_match(self) -> None:
        self._goto_match(1)

    def action_prev_match(self) -> None:
        self._goto_match(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`n`/`N` navigate matches only while a search is active; otherwise `n` is Note."""
        if action in ("next_match", "prev_match"):
            return bool(self.search_query)
        if action == "note":
            return not self.search_query
        return True

    # --- boilerplate flips ----------------------------------------------------------------------
    def action_flip(self) -> None:
        """Flip the block under the boilerplate pane's cursor, or the body paragraph under the cursor."""
        assert self.article is not None
        pane = self.query_one(BoilerplatePane)
        index = pane.block_index if self.focused is pane else self._block_at(self.body.cursor_offset)
        if index is None:
            self.notify("No block to flip here.", markup=False)
            return
        keep = self._source_selection()

        def do() -> None:
            self.article = self.library.flip_block(self.article_id, index)

        if not self._write(do, "Block flipped"):
            return
        self.load()
        self._restore_source_selection(keep)

    def _block_at(self, offset: int) -> int | None:
        assert self.article is not None
        best = None
        for i, start in enumerate(self.article.block_starts):
            if start is not None and start <= offset:
                best = i
        return best

    def _source_selection(self) -> tuple[int | None, int | None]:
        """Cursor and anchor as source offsets, to survive a change of the body."""
        assert self.article is not None
        bmap = self.article.body_map
        anchor = self.body.index.to_offset(self.body.selection.start)
        cursor = self.body.cursor_offset
        return bmap.source_position(anchor), bmap.source_position(cursor)

    def _restore_source_selection(self, keep: tuple[int | None, int | None]) -> None:
        assert self.article is not None
        bmap = self.article.body_map
        anchor_src, cursor_src = keep
        cursor = bmap.clean_position(cursor_src) if cursor_src is not None else None
        anchor = bmap.clean_position(anchor_src) if anchor_src is not None else None
        if cursor is None:
            cursor = 0
        if anchor is None or anchor == cursor:
            self.body.move_to_offset(cursor, select=False, center=True)
        else:
            self.body.select_offsets(anchor, cursor)

    # --- undo/redo from the app ------------------------------------------------------------------
    @on(AnnotationsChanged)
    def _annotations_changed(self, message: AnnotationsChanged) -> None:
        if message.article_id not in (None, self.article_id):
            return
        keep = self._source_selection()
        self.load()
        self._restore_source_selection(keep)

    # --- leaving ---------------------------------------------------------------------------------
    def _save_position(self) -> None:
        if getattr(self.library, "read_only", False) or self.article is None:
            return
        position = self.body.cursor_offset
        try:
            self.library.set_reading_state(self.article_id, position=position, read=True)
        except Exception:  # noqa: BLE001 - leaving must never fail because of the position
            return
        self._saved_position = position

    def _save_position_if_moved(self) -> None:
        if self.body.cursor_offset != self._saved_position:
            self._save_position()

    def action_back(self) -> None:
        self._save_position()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_escape(self) -> None:
        field = self.query_one("#search", Input)
        if field.has_class("-shown"):
            field.remove_class("-shown")
            self.body.focus()
            return
        body = self.body
        if body.selecting or body.has_selection:
            self._clear_selection()
            return
        if self.search_query:
            self._end_search()
            return
        if self.focused is not body:
            body.focus()
            return
        self.action_back()
