"""The article screen: read the clean body, select spans by keys or mouse, highlight, tag and note.

The body is a read-only `BodyView`; side panes show metadata, boilerplate blocks and highlights.
Every change goes straight to the `Library` (one atomic, durable write per call) and the app's
"saved" sign; the screen draws the state the store returned. Highlights are anchored in the
article's source text: a selection's body offsets are mapped to source offsets before saving,
and back to body offsets when drawing, so flipping a boilerplate block never moves a highlight
off its text.

This module holds the layout, the drawing and the panes. The keys live beside it: bindings in
`article_bindings`, motions and selection in `article_motions`, editing keys in
`article_editing`, `*` in `tag_all`, `A` in `annotator_view`, and in-article search in the
`ArticleSearch` widget. What stays here (~530 lines) is the one state the parts share: the
article shown, its view of body and source offsets, and redrawing marks, panes and status
from what the store returned.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static

from library.annotatable import AnnotatableText, annotatable_text
from library.annotations import editing
from library.annotations.model import ArticleAnnotations, Highlight
from library.annotations.work_state import STATE_LABELS, state_of
from library.core.annotating import Saved
from library.model import Article
from library.safetext import one_line
from reader.app.collector import collector_paused, pause_collector, release_article_objects
from reader.app.grammar import HELP as GRAMMAR_HELP_TEXT
from reader.app.grammar import Cursor
from reader.app.messages import AnnotationsChanged
from reader.app.screens.annotator_view import ALL_OTHERS, AnnotatorViewMixin
from reader.app.screens.article_bindings import ARTICLE_BINDINGS
from reader.app.screens.article_editing import EditKeysMixin
from reader.app.screens.article_motions import MotionsMixin
from reader.app.screens.site_rule_dialog import SiteRuleKeysMixin
from reader.app.settings import DEFAULT_QUICK_TAGS
from reader.app.status import ReadOnlyBanner, SavedIndicator
from reader.app.widgets.article_search import ArticleSearch
from reader.app.widgets.body import BodyView, Mark
from reader.app.widgets.footer import FittingFooter
from reader.app.widgets.legend import Legend, QuickKey, quick_keys, use_scheme_colours
from reader.app.widgets.panes import (
    BoilerplatePane,
    HighlightRow,
    HighlightsPane,
    MetadataPane,
    tag_chip,
)

POSITION_SAVE_SECONDS = 30.0
# Outcomes of a change to one highlight, redrawn alone (`_redraw_highlight`).
ONE_HIGHLIGHT = frozenset({editing.ADDED, editing.TAGGED, editing.UNTAGGED, editing.NOTED, editing.DELETED})
WIDE_COLUMNS = 110  # from this width the panes sit beside the body, below it otherwise

_PANES = {"meta": "#meta-pane", "boiler": "#boiler-pane", "highlights": "#hl-pane"}


def work_state_label(annotations: ArticleAnnotations, annotator: str) -> str:
    return STATE_LABELS[state_of(annotations, annotator)]


_BEFORE_LOAD = frozenset({"back", "escape", "search"})  # actions that need no view of the article


class ArticleScreen(SiteRuleKeysMixin, MotionsMixin, AnnotatorViewMixin, EditKeysMixin, Screen[None]):
    """One article: body, panes, selection and annotation keys."""

    DEFAULT_CSS = """
    ArticleScreen { layout: vertical; }
    ArticleScreen #article-title {
        height: 1; padding: 0 1; text-style: bold; background: $panel;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
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
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_COLUMNS, "-wide")]

    BINDINGS = ARTICLE_BINDINGS
    GRAMMAR_HELP = GRAMMAR_HELP_TEXT  # the help screen shows it above the key table

    def __init__(self, article_id: str, search: str = "") -> None:
        super().__init__()
        self.article_id = article_id
        self._open_search = search  # the text a library search matched: open at it
        self.article: Article | None = None
        # What the body shows: the title and the body blocks, the set-aside blocks too when asked (S)
        self.view: AnnotatableText | None = None
        self.show_stripped = False
        self.annotations = ArticleAnnotations(article_id)
        self._spans: dict[str, tuple[int, int] | None] = {}
        self.search = ArticleSearch(lambda: self.body, self._search_changed, id="search")
        self._saved_position: int | None = None
        # Whose highlights beside yours are drawn: None (yours only), ALL_OTHERS, or one name.
        self.annotator_view: str | None = None
        self._others: list[str] = []  # other annotators on this article, kept by _redraw_annotations
        self._shown = 0  # highlights drawn or listed in the current view
        self._visible: set[str] = set()  # their ids
        self._hidden = 0  # of them, those in text the body does not show
        self._marks: dict[str, Mark] = {}  # highlight id -> its mark in the body
        # The collector waits from here until the article is loaded (see reader/app/collector.py).
        self._collector_paused = pause_collector()

    # --- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield ReadOnlyBanner()
        yield Static(id="article-title", markup=False)
        with Horizontal(id="article-main"):
            with Vertical(id="body-wrap"):
                yield BodyView(id="body", reads_keys=True)
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
        yield self.search
        yield FittingFooter()

    @property
    def body(self) -> BodyView:
        return self.query_one("#body", BodyView)

    @property
    def library(self) -> Any:
        return self.app.library

    @property
    def quick_tags(self) -> list[str]:
        """The labels on keys 1-9."""
        return [k.label for k in self.quick_key_list if not k.second_layer]

    @property
    def quick_key_list(self) -> list[QuickKey]:
        """Every quick key: the scheme's labels (both layers), else the configured quick tags."""
        return quick_keys(self.library.scheme, self.app.settings.quick_tags or DEFAULT_QUICK_TAGS)

    def on_mount(self) -> None:
        use_scheme_colours(self.library.scheme)
        self.body.focus()
        self._render_legend()
        # Load once the layout has given the body its width: a long body is then wrapped once.
        self.call_after_refresh(self._first_load)

    def _first_load(self) -> None:
        paused, self._collector_paused = self._collector_paused, False
        with collector_paused(paused=paused):
            self.load()
        position = self._view_position(self.annotations.position)
        self.body.move_to_offset(position, select=False)
        self.body.scroll_cursor_visible(center=True, animate=False)
        self._saved_position = self._body_position(position)
        if self._open_search:
            self._open_at_search(self._open_search)
        self.set_interval(POSITION_SAVE_SECONDS, self._save_position_if_moved)

    def _open_at_search(self, text: str) -> None:
        """Opened from a library search: search the article for the text that matched and put
        the cursor on its first occurrence; n/N go on from there."""
        self.body.move_to_offset(0, select=False)
        self.search.run(text, jump=True)

    def load(self, *, keep: tuple[int, int] | None = None) -> None:
        """(Re)read the article and its annotations from the store and redraw everything."""
        self.article = self.library.article(self.article_id)
        self.annotations = self.library.annotations(self.article_id)
        self.view = annotatable_text(self.article, stripped=self.show_stripped)
        self.body.set_body(self.view.text)
        self.body.set_dimmed([(s, e) for s, e, _ in self.view.stripped])
        self.search.rerun()
        self._redraw_annotations()
        if keep is not None:
            self.body.select_offsets(*keep)

    def _redraw_annotations(self) -> None:
        """Map highlights to body spans, redraw marks and panes after any annotation change."""
        article, view = self.article, self.view
        assert article is not None and view is not None
        self._spans = {}
        self._others = self.other_annotators()
        if self.annotator_view not in (None, ALL_OTHERS, *self._others):
            self.annotator_view = None  # that annotator's highlights are gone
        visible = self._visibility()
        names = self.my_names()
        marks: dict[str, Mark] = {}
        rows: list[HighlightRow] = []
        self._visible = set()
        self._hidden = 0
        for h in self.annotations.highlights:
            span = view.to_clean(h.source_start, h.source_end)
            self._spans[h.id] = span
            if not visible(h):
                continue
            self._visible.add(h.id)
            mine = editing.is_mine(h, names)
            rows.append(HighlightRow(h, span, "" if mine else h.annotator))
            if span:
                marks[h.id] = Mark(span[0], span[1], h.tags[0] if h.tags else None, h.id, mine)
            else:
                self._hidden += 1
        self._marks = marks
        self._shown = len(self._visible)
        self.body.set_marks(marks.values())
        self.body.set_matches(self.search.matches)
        title = article.meta.title or "(untitled)"
        tags = self.annotations.tag_names
        self.query_one("#article-title", Static).update(
            Content(one_line(title, 200) + (f"  [{', '.join(one_line(t) for t in tags)}]" if tags else "")),
            layout=False,  # one line of fixed height (CSS), cut with an ellipsis
        )
        self.query_one(MetadataPane).show(article, self.annotations)
        self.query_one(BoilerplatePane).show(article, self.annotations)
        self.query_one(HighlightsPane).show(rows, self._under_cursor_ids())
        self._update_status()

    def _redraw_highlight(self, saved: Saved) -> bool:
        """After a change of one highlight (added, retagged, noted, deleted): redraw its mark, its
        row of the pane and the status line, nothing else. False when the change was of another
        kind (article tags or note): the caller redraws everything."""
        hid = saved.highlight_id
        if saved.outcome not in ONE_HIGHLIGHT or hid is None or self.view is None:
            return False
        new = saved.highlight
        if hid in self._visible:  # as it was
            self._visible.discard(hid)
            self._shown -= 1
            if not self._spans.get(hid):
                self._hidden -= 1
        self._spans.pop(hid, None)
        old_mark = self._marks.pop(hid, None)
        pane = self.query_one(HighlightsPane)
        added: list[Mark] = []
        if new is None:
            pane.remove_highlight(hid)
        else:
            span = self.view.to_clean(new.source_start, new.source_end)
            self._spans[hid] = span
            if self._visibility()(new):
                mine = self.is_mine(new)
                self._visible.add(hid)
                self._shown += 1
                if span:
                    mark = Mark(span[0], span[1], new.tags[0] if new.tags else None, hid, mine)
                    self._marks[hid] = mark
                    added.append(mark)
                else:
                    self._hidden += 1
                pane.upsert(HighlightRow(new, span, "" if mine else new.annotator))
            else:
                pane.remove_highlight(hid)
        self.body.change_marks([old_mark] if old_mark else [], added)
        pane.mark_under_cursor(self._under_cursor_ids())
        self._update_status()
        return True

    def _visibility(self) -> Callable[[Highlight], bool]:
        """`is_visible` with the names and the view read once (it runs for every highlight)."""
        names, view = self.my_names(), self.annotator_view

        def visible(h: Highlight) -> bool:
            return (
                editing.is_mine(h, names) or view == ALL_OTHERS or (view is not None and h.annotator == view)
            )

        return visible

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
        if body.pending:
            parts.append((f" {one_line(body.pending, 12)}… ", "bold reverse"))
            parts.append(" ")
        if body.has_selection:
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
        elif self.search.active:
            query, count = one_line(self.search.search_query, 30), len(self.search.matches)
            parts.append(f"/{query}: {count} matches (n/N, Esc ends)")
        else:
            total = max(1, len(body.body))
            parts.append(f"{self._shown} highlights · {100 * body.cursor_offset // total}%")
            if self._hidden:
                parts.append((f" · {self._hidden} in set-aside text (S shows)", "italic"))
        if self._others:
            parts.append((f"  showing: {self.view_label()} (A)", "italic"))
        parts.append((f"  · {work_state_label(self.annotations, self.library.annotator)} (d)", "italic"))
        # One line of fixed size: redrawn without a layout of the whole screen on every key.
        self.query_one("#status", Static).update(Content.assemble(*parts), layout=False)

    @on(BodyView.SelectionChanged)
    def _selection_changed(self, event: BodyView.SelectionChanged) -> None:
        self.query_one(HighlightsPane).mark_under_cursor(self._under_cursor_ids())
        self._update_status()

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
        """Hidden: show and focus it. Shown: hide it (the README's "a pane key again hides its
        pane"); Tab moves focus between the body and the panes."""
        pane = self.query_one(_PANES[name])
        if not pane.has_class("-shown"):
            self._show_pane(name, True)
            self.call_after_refresh(pane.focus)
        else:
            self._show_pane(name, False)
            self.body.focus()

    def action_zoom(self) -> None:
        """On a small screen an open pane leaves the body a few lines: z gives the focused widget
        (the body unless a pane has focus) the whole screen, and z again restores the layout."""
        if self.maximized is not None:
            self.minimize()
            return
        focused = self.focused
        panes = [self.query_one(selector) for selector in _PANES.values()]
        target = focused if focused in panes and focused.has_class("-shown") else self.body
        if self.maximize(target, container=False):
            target.focus()

    @on(HighlightsPane.OptionSelected, "#hl-pane")
    def _jump_to_highlight(self, event: HighlightsPane.OptionSelected) -> None:
        event.stop()
        span = self._spans.get(event.option.id or "")
        if not span:
            self.notify("That highlight is in text set aside: S shows it in place.", markup=False)
            return
        self.body.selecting = False
        self.body.focus()
        self.body.move_to_offset(span[0], select=False, center=True)

    @on(OptionList.OptionSelected, "#boiler-pane")
    def _flip_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_flip()

    # --- search (the ArticleSearch widget) --------------------------------------------------------
    @property
    def search_query(self) -> str:
        """The query of the search in force ("" when none)."""
        return self.search.search_query

    def _search_changed(self) -> None:
        self._update_status()
        self.refresh_bindings()

    def action_search(self) -> None:
        self.search.open()

    def action_next_match(self) -> None:
        self.search.goto(1)

    def action_prev_match(self) -> None:
        self.search.goto(-1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Until the first load (after the first refresh) only going back, cancelling and the
        search box are live: every other key acts on the article's view, which is not there yet
        (a key typed that early is dropped, as a terminal does before a program is ready).
        `n`/`N` navigate matches only while a search is active; otherwise `n` is Note."""
        if self.view is None:
            return action in _BEFORE_LOAD
        if action == "prev_match":
            return self.search.active
        if action == "next_match":  # a selection is never dropped for the next match: n notes it
            return self.search.active and not self.body.has_selection
        if action == "note":
            return not self.search.active or self.body.has_selection
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
        self.flipped(index)

    def _block_at(self, offset: int) -> int | None:
        assert self.article is not None
        best = None
        assert self.view is not None
        for i, start in enumerate(self.view.block_starts):
            if start is not None and start <= offset:
                best = i
        return best

    def _source_selection(self) -> tuple[int | None, int | None]:
        """Cursor and anchor as source offsets, to survive a change of the body."""
        assert self.view is not None
        bmap = self.view.map
        anchor = self.body.anchor_offset if self.body.has_selection else None
        cursor = self.body.cursor_offset
        return (bmap.source_position(anchor) if anchor is not None else None), bmap.source_position(cursor)

    def _restore_source_selection(self, keep: tuple[int | None, int | None]) -> None:
        assert self.view is not None
        bmap = self.view.map
        anchor_src, cursor_src = keep
        cursor = bmap.clean_position(cursor_src) if cursor_src is not None else None
        anchor = bmap.clean_position(anchor_src) if anchor_src is not None else None
        if cursor is None:
            cursor = 0
        if anchor is None:
            self.body.move_to_offset(cursor, select=False, center=True)
        else:
            self.body.set_cursor(Cursor(cursor, anchor=anchor, moved=True), center=True)

    # --- undo/redo from the app ------------------------------------------------------------------
    @on(AnnotationsChanged)
    def _annotations_changed(self, message: AnnotationsChanged) -> None:
        if message.article_id not in (None, self.article_id) or self.view is None:
            return  # (before the first load: it reads the annotations as they are then)
        keep = self._source_selection()
        self.load()
        self._restore_source_selection(keep)

    # --- leaving ---------------------------------------------------------------------------------
    def _save_position(self) -> None:
        if getattr(self.library, "read_only", False) or self.article is None:
            return
        position = self._body_position(self.body.cursor_offset)
        try:
            self.library.set_reading_state(self.article_id, position=position, read=True)
        except Exception:  # noqa: BLE001 - leaving must never fail because of the position
            return
        self._saved_position = position

    def _save_position_if_moved(self) -> None:
        if self._body_position(self.body.cursor_offset) != self._saved_position:
            self._save_position()

    # --- the reading position is kept as a body offset (its meaning in the store) ----------------
    def _body_position(self, offset: int) -> int:
        assert self.article is not None and self.view is not None
        source = self.view.map.source_position(offset)
        body = self.article.body_map.clean_position(source) if source is not None else None
        return body if body is not None else 0

    def _view_position(self, position: int) -> int:
        assert self.article is not None and self.view is not None
        source = self.article.body_map.source_position(max(0, min(position, len(self.article.body))))
        offset = self.view.map.clean_position(source) if source is not None else None
        return offset if offset is not None else self.view.title_end

    def action_toggle_stripped(self) -> None:
        """Show or hide the blocks the cleaner set aside, in place, dimmed after their reason."""
        keep = self._source_selection()
        self.show_stripped = not self.show_stripped
        self.load()
        self._restore_source_selection(keep)
        shown = len(self.view.stripped) if self.view is not None else 0
        self.notify(
            f"Showing {shown} set-aside blocks in place."
            if self.show_stripped
            else "Set-aside blocks hidden.",
            markup=False,
        )

    def on_unmount(self) -> None:
        release_article_objects(self._collector_paused)
        self._collector_paused = False

    def action_back(self) -> None:
        self._save_position()
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()
        else:
            self.app.exit()

    def action_escape(self) -> None:
        if self.search.shown:
            self.search.close()
            return
        body = self.body
        if self.focused is not body:  # from a pane: back to the body first
            body.focus()
            return
        if body.has_selection or body.pending:
            self._clear_selection()
            return
        if self.search.active:
            self.search.end()
            return
        if self.maximized is not None:  # zoomed (z): Esc restores the layout first
            self.minimize()
            return
        self.action_back()
