"""The curation view: settle each disagreement between annotators, one key per decision.

The body shows every chosen annotator's spans, told apart without colour: the first annotator's are
underlined, the second's reversed, a third's bold italic (the panel spells out which letter is whom);
the curated layer is marked by a bar under the panel and in the item list. The item in hand has a
coloured background as well. The decision panel lists each proposal with its key.

Decisions are saved through `CurationSession` (one undoable step each; `u` undoes the last one) and the
screen then redraws from what the store holds. Edits of a boundary select the span in the body and
move its ends with `h`/`l`, `w`/`b` (the end) and `H`/`L`, `W`/`B` (the start); Enter confirms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from library.annotations.curation import (
    ACCEPT_ALL,
    EDIT,
    KIND_ARTICLE_LABEL,
    REJECT,
    ArticlePlan,
    CurationError,
    Item,
)
from library.core.curating import CurationSession
from library.model import Article
from library.safetext import one_line
from reader.app.messages import AnnotationsChanged
from reader.app.widgets.body import BodyView

if TYPE_CHECKING:
    from textual import getters

    from reader.app.app import ReaderApp

# Styles that tell annotators apart without colour (up to four; more share the last one).
ANNOTATOR_STYLES = [
    Style(underline=True),
    Style(reverse=True),
    Style(bold=True, italic=True),
    Style(strike=True),
]
ANNOTATOR_MARKS = ["underlined", "reversed", "bold italic", "struck"]
CURRENT_STYLE = Style(bgcolor="yellow", color="black")
CURATED_STYLE = Style(bold=True, color="green")
LETTERS = "abcd"


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    style: Style


class CurationBody(BodyView):
    """The body with curation spans drawn (styles per annotator, not per label)."""

    def set_spans(self, spans: list[_Span]) -> None:
        lines: dict[int, list[tuple[int, int, Style]]] = {}
        for span in spans:
            for row, s, e in self._split_by_line(span.start, span.end):
                lines.setdefault(row, []).append((s, e, span.style))
        self._curation_lines = lines
        self.notify_style_update()
        self.refresh()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        for s, e, style in getattr(self, "_curation_lines", {}).get(line_index, ()):
            line.stylize(style, s, e)
        return line


class CurationScreen(Screen[None]):
    """Curate `session.annotators` into `session.curator`, article by article, item by item."""

    if TYPE_CHECKING:  # the app it runs in, as the type checker sees it (at run time: Textual's)
        app = getters.app(ReaderApp)

    DEFAULT_CSS = """
    CurationScreen { layout: vertical; }
    CurationScreen #cur-header { height: 1; background: $panel; padding: 0 1; }
    CurationScreen CurationBody { height: 1fr; max-width: 100%; }
    CurationScreen #cur-panel { height: auto; max-height: 10; border-top: solid $accent; padding: 0 1; }
    CurationScreen #cur-scores { height: auto; max-height: 12; padding: 0 1; display: none; }
    CurationScreen.-scores #cur-scores { display: block; }
    """

    BINDINGS = [
        Binding("a", "accept(0)", "Accept A", id="curate.accept_a"),
        Binding("b", "accept(1)", "Accept B", id="curate.accept_b"),
        Binding("c", "accept(2)", "Accept C", id="curate.accept_c", show=False),
        Binding("d", "accept(3)", "Accept D", id="curate.accept_d", show=False),
        Binding("plus,equals_sign", "accept_all", "Both", id="curate.accept_all", key_display="+"),
        Binding("x", "reject", "Reject", id="curate.reject"),
        Binding("e", "edit_span", "Edit span", id="curate.edit"),
        Binding("t", "edit_label", "Label", id="curate.label"),
        Binding("j,n", "step(1)", "Next", id="curate.next"),
        Binding("k,p", "step(-1)", "Prev", id="curate.prev", show=False),
        Binding("N", "next_article", "Next article", id="curate.next_article"),
        Binding("s", "toggle_scores", "Scores", id="curate.scores"),
        Binding("escape,q", "back", "Back", id="curate.back"),
        # edit mode (the same letters move the span's ends; see check_action)
        Binding("h", "nudge('end', -1, 'char')", "End ←", id="curate.end_left", show=False),
        Binding("l", "nudge('end', 1, 'char')", "End →", id="curate.end_right", show=False),
        Binding("w", "nudge('end', 1, 'word')", "End word →", id="curate.end_word", show=False),
        Binding("b", "nudge('end', -1, 'word')", "End word ←", id="curate.end_word_back", show=False),
        Binding("H", "nudge('start', -1, 'char')", "Start ←", id="curate.start_left", show=False),
        Binding("L", "nudge('start', 1, 'char')", "Start →", id="curate.start_right", show=False),
        Binding("W", "nudge('start', 1, 'word')", "Start word →", id="curate.start_word", show=False),
        Binding("B", "nudge('start', -1, 'word')", "Start word ←", id="curate.start_word_back", show=False),
        Binding("enter", "confirm_edit", "Confirm", id="curate.confirm", show=False),
    ]

    EDIT_ACTIONS = {"nudge", "confirm_edit", "back"}

    def __init__(self, session: CurationSession) -> None:
        super().__init__()
        self.session = session
        self.article_index = 0
        self.item_index = 0
        self.plan: ArticlePlan | None = None
        self.article: Article | None = None
        self.editing: tuple[int, int] | None = None  # body offsets of the span being edited
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Static(id="cur-header", markup=False)
        yield CurationBody(id="cur-body")
        yield Static(id="cur-panel", markup=False)
        yield Static(id="cur-scores", markup=False)
        yield Footer()

    @property
    def body(self) -> CurationBody:
        return self.query_one(CurationBody)

    def on_mount(self) -> None:
        if not self.session.article_ids:
            self.message = "No article has annotations by these annotators."
        self._open_article(0, first_open=True)
        self.body.focus()

    # --- state -------------------------------------------------------------------------------
    @property
    def items(self) -> list[Item]:
        return self.plan.items if self.plan else []

    @property
    def item(self) -> Item | None:
        items = self.items
        return items[self.item_index] if 0 <= self.item_index < len(items) else None

    def _open_article(self, index: int, *, first_open: bool = False) -> None:
        ids = self.session.article_ids
        if not ids:
            self.plan, self.article = None, None
            self._redraw()
            return
        self.article_index = max(0, min(index, len(ids) - 1))
        aid = ids[self.article_index]
        if self.app.library.read_only:
            self.plan = self.session.plan(aid)
        else:
            try:
                self.plan = self.session.prepare(aid)  # agreed proposals go in at once
            except Exception as err:  # noqa: BLE001 - a store error becomes one safe line
                self.app.report_error(err)
                self.plan = self.session.plan(aid)
        self.article = self.app.library.article(aid)
        self.body.set_body(self.article.body)
        open_at = next((i for i, it in enumerate(self.items) if it.key not in self.plan.decided), None)
        self.item_index = open_at if open_at is not None else 0
        if first_open and open_at is None and self._next_open_article() is not None:
            self._open_article(self._next_open_article() or 0)
            return
        self._redraw()

    def _reload(self) -> None:
        """Re-read the plan of the current article from the store (after a decision or an undo)."""
        if not self.session.article_ids:
            return
        self.plan = self.session.plan(self.session.article_ids[self.article_index])
        self.item_index = min(self.item_index, max(0, len(self.items) - 1))
        self._redraw()

    def _next_open_article(self) -> int | None:
        ids = self.session.article_ids
        for step in range(1, len(ids) + 1):
            i = (self.article_index + step) % len(ids)
            if i != self.article_index and self.session.plan(ids[i]).open_items:
                return i
        return None

    # --- drawing -----------------------------------------------------------------------------
    def _body_span(self, start: int | None, end: int | None) -> tuple[int, int] | None:
        if self.article is None or start is None or end is None:
            return None
        return self.article.source_to_body(start, end)

    def _redraw(self) -> None:
        self._draw_header()
        self._draw_body()
        self._draw_panel()
        if self.has_class("-scores"):
            self._draw_scores()

    def _draw_header(self) -> None:
        s = self.session
        names = " · ".join(s.annotators)
        if self.plan is None or self.article is None:
            text = f"Curating {names} → {s.curator}"
        else:
            progress = s.progress()
            text = (
                f"Curating {names} → {s.curator}   article {self.article_index + 1}/{len(s.article_ids)}"
                f" · here {self.plan.done}/{self.plan.total} · all {progress.decided}/{progress.total} decided"
            )
        self.query_one("#cur-header", Static).update(Content(one_line(text, 300)))

    def _draw_body(self) -> None:
        if self.plan is None or self.article is None:
            return
        ann = self.app.library.annotations(self.article.id)
        who = {name: i for i, name in enumerate(self.session.annotators)}
        spans: list[_Span] = []
        for h in ann.highlights:
            if h.annotator == self.session.curator:
                style = CURATED_STYLE
            elif h.annotator in who:
                style = ANNOTATOR_STYLES[min(who[h.annotator], len(ANNOTATOR_STYLES) - 1)]
            else:
                continue
            span = self._body_span(h.source_start, h.source_end)
            if span:
                spans.append(_Span(span[0], span[1], style))
        item = self.item
        if item is not None and item.kind != KIND_ARTICLE_LABEL and self.editing is None:
            span = self._body_span(item.start, item.end)
            if span:
                spans.insert(0, _Span(span[0], span[1], CURRENT_STYLE))
                self.body.move_to_offset(span[0], select=False, center=True)
        self.body.set_spans(spans)
        if self.editing is not None:
            self.body.select_offsets(*self.editing)

    def _draw_panel(self) -> None:
        lines: list[str] = []
        item = self.item
        if self.message:
            lines.append(self.message)
        if item is None or self.plan is None:
            lines.append("Nothing to decide here." if self.plan else "")
        else:
            decided = self.plan.decided.get(item.key)
            state = f"decided: {decided['decision']}" if decided else "open"
            lines.append(f"▶ {item.kind} · item {self.item_index + 1}/{len(self.items)} · {state}")
            for i, name in enumerate(self.session.annotators):
                mark = ANNOTATOR_MARKS[min(i, len(ANNOTATOR_MARKS) - 1)]
                props = item.proposals_of(name)
                if not props:
                    lines.append(f"  {LETTERS[i] if i < 4 else ' '}  {name} ({mark}): —")
                for p in props:
                    where = "" if p.start is None else self._where(p.start, p.end)
                    quote = f" “{p.quote}”" if p.quote else ""
                    lines.append(
                        f"  {LETTERS[i] if i < 4 else ' '}  {name} ({mark}): {p.label or '(no label)'}{where}{quote}"
                    )
            curated = self._curated_for(item)
            lines.append(f"  ✓  {self.session.curator} (bold): {curated or '—'}")
        if self.editing is not None:
            lines.append("Edit: h/l w/b move the end · H/L W/B the start · Enter confirms · Esc cancels")
        text = Text()
        for n, line in enumerate(lines):
            if n:
                text.append("\n")
            text.append(one_line(line, 400))
        self.query_one("#cur-panel", Static).update(text)

    def _where(self, start: int | None, end: int | None) -> str:
        span = self._body_span(start, end)
        return f" [{start},{end})" if span else f" [{start},{end}) (outside the body)"

    def _curated_for(self, item: Item) -> str:
        if self.article is None:
            return ""
        ann = self.app.library.annotations(self.article.id)
        if item.kind == KIND_ARTICLE_LABEL:
            return ", ".join(
                t.tag for t in ann.tags if t.annotator == self.session.curator and t.item == item.key
            )
        return "; ".join(
            f"{', '.join(h.tags) or '(no label)'} “{h.quote}”"
            for h in ann.highlights
            if h.annotator == self.session.curator and (h.provenance or {}).get("item") == item.key
        )

    def _draw_scores(self) -> None:
        text = Text(f"Each annotator against {one_line(self.session.curator, 40)} as it stands:")
        for name, report in self.session.scores().items():
            f1 = "n/a" if report.micro_exact_f1 is None else f"{report.micro_exact_f1:.3f}"
            kappa = "n/a" if report.kappa is None else f"{report.kappa:.3f}"
            per = ", ".join(
                f"{t.tag} {('n/a' if t.exact_f1 is None else f'{t.exact_f1:.2f}')}" for t in report.tags[:6]
            )
            text.append("\n" + one_line(f"  {name}: span F1 {f1} · κ article labels {kappa} · {per}", 400))
        self.query_one("#cur-scores", Static).update(text)

    # --- decisions ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.editing is not None:
            return action in self.EDIT_ACTIONS
        return action not in {"nudge", "confirm_edit"}

    def _decide(self, decision: str, *, edit: tuple[int, int, str] | None = None) -> None:
        item = self.item
        if item is None or self.plan is None:
            self.notify("Nothing to decide here", markup=False)
            return
        if self.app.write_blocked():
            return
        try:
            self.plan = self.session.decide(self.plan.article_id, item, decision, edit=edit)
        except CurationError as err:
            self.notify(one_line(str(err), 200), severity="warning", markup=False)
            return
        except Exception as err:  # noqa: BLE001 - a failed save: show the store's state, say why
            self.app.report_error(err)
            self._reload()
            return
        self.app.show_saved("Decided")
        self.message = ""
        self._advance()

    def _advance(self) -> None:
        """To the next open item of this article, else the next article with open items."""
        assert self.plan is not None
        for i in list(range(self.item_index + 1, len(self.items))) + list(range(0, self.item_index + 1)):
            if self.items[i].key not in self.plan.decided:
                self.item_index = i
                self._redraw()
                return
        nxt = self._next_open_article()
        if nxt is None:
            self.message = "Every disagreement is decided."
            self._redraw()
        else:
            self._open_article(nxt)

    def action_accept(self, index: int) -> None:
        if index >= len(self.session.annotators):
            return
        self._decide(self.session.annotators[index])

    def action_accept_all(self) -> None:
        self._decide(ACCEPT_ALL)

    def action_reject(self) -> None:
        self._decide(REJECT)

    def action_step(self, delta: int) -> None:
        if self.items:
            self.item_index = (self.item_index + delta) % len(self.items)
            self._redraw()

    def action_next_article(self) -> None:
        nxt = self._next_open_article()
        if nxt is None:
            self.notify("No other article has open disagreements", markup=False)
        else:
            self._open_article(nxt)

    def action_toggle_scores(self) -> None:
        self.toggle_class("-scores")
        if self.has_class("-scores"):
            self._draw_scores()

    def action_back(self) -> None:
        if self.editing is not None:
            self.editing = None
            self._redraw()
            return
        self.app.pop_screen()

    # --- edits -------------------------------------------------------------------------------
    def _item_label(self, item: Item) -> str:
        return next((p.label for p in item.proposals if p.label), "")

    def action_edit_span(self) -> None:
        item = self.item
        if item is None or item.kind == KIND_ARTICLE_LABEL:
            self.notify("An article label has no span: use t to choose the label", markup=False)
            return
        span = self._body_span(item.start, item.end)
        if span is None:
            self.notify("This span lies outside the body and cannot be edited here", markup=False)
            return
        self.editing = span
        self._redraw()

    def action_nudge(self, which: str, delta: int, unit: str) -> None:
        if self.editing is None:
            return
        start, end = self.editing
        text = self.body.body
        pos = start if which == "start" else end
        if unit == "char":
            pos += delta
        else:
            pos = _word_step(text, pos, delta, which)
        pos = max(0, min(pos, len(text)))
        start, end = (pos, end) if which == "start" else (start, pos)
        if end > start:
            self.editing = (start, end)
        self.body.select_offsets(*self.editing)
        self._draw_panel()

    def action_confirm_edit(self) -> None:
        if self.editing is None or self.article is None or self.item is None:
            return
        source = self.article.body_to_source(*self.editing)
        self.editing = None
        if source is None:
            self.notify("That span cannot be mapped to the article text", severity="warning", markup=False)
            self._redraw()
            return
        self._decide(EDIT, edit=(source[0], source[1], self._item_label(self.item)))

    def action_edit_label(self) -> None:
        item = self.item
        if item is None:
            return
        from reader.app.screens.tag_picker import TagPicker

        labels = self.session.labels()

        def chosen(label: str | None) -> None:
            if not label or self.item is None:
                return
            it = self.item
            if it.kind == KIND_ARTICLE_LABEL:
                self._decide(EDIT, edit=(0, 0, label))
                return
            span = next((p.span for p in it.proposals if p.span), None)
            if span is not None:
                self._decide(EDIT, edit=(span[0], span[1], label))

        self.app.push_screen(TagPicker(labels, title="Label for the curated span"), chosen)

    @on(AnnotationsChanged)
    def _annotations_changed(self, message: AnnotationsChanged) -> None:
        self._reload()


def _word_step(text: str, pos: int, delta: int, edge: str) -> int:
    """Move a span's `edge` ("start" or "end") by one word: ends land after a word, starts on one."""
    n = len(text)

    def skip(p: int, step: int, word: bool) -> int:
        if step > 0:
            while p < n and text[p].isalnum() == word:
                p += 1
        else:
            while p > 0 and text[p - 1].isalnum() == word:
                p -= 1
        return p

    if edge == "end":
        return skip(skip(pos, 1, False), 1, True) if delta > 0 else skip(skip(pos, -1, True), -1, False)
    return skip(skip(pos, 1, True), 1, False) if delta > 0 else skip(skip(pos, -1, False), -1, True)
