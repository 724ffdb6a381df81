"""Side panes of the article screen: metadata, boilerplate blocks, and highlights with their tags.

Everything from the article is shown as plain `Content` (never markup) after `safetext`, so a
title like `[@click=app.quit]` or an ESC byte in a block is just text on the screen.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from library.annotations.model import ArticleAnnotations, Highlight
from library.model import Article, Block
from library.safetext import layout_text, one_line
from reader.app.widgets.body import tag_style
from reader.app.widgets.row_list import Row, RowList

# What `Content.assemble` takes: plain text, content, or (text, style).
ContentPart = str | Content | tuple[str, str | Style]

UNDER_CURSOR = "▶"
QUOTE_CHARS = 80  # about two lines of the side pane


def label_counts_line(counts: dict[str, int]) -> Content:
    """ "Doubt 3 · Loaded_Language 2": how many of the listed highlights carry each label
    (`counts`: label -> highlights; "untagged" for those with none)."""
    parts: list = []
    for tag, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].casefold())):
        if parts:
            parts.append(" ")
        parts.append(tag_chip(tag))
        parts.append((f"{n}", "bold"))
    return Content.assemble(*parts)


def tag_chip(tag: str) -> tuple[str, Style]:
    """A tag drawn in its highlight colour (the legend, panes and status line share it)."""
    return (f"\u00a0{one_line(tag)}\u00a0", Style.from_rich_style(tag_style(tag)))


class MetadataPane(VerticalScroll, can_focus=True):
    """Title, authors, date, site, URL, region, themes, report, source, origin, article tags and note."""

    ALLOW_MAXIMIZE = True  # `z` in the article screen

    DEFAULT_CSS = """
    MetadataPane { height: 1fr; border: round $secondary; }
    MetadataPane:focus { border: round $accent; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="meta-text")

    def on_mount(self) -> None:
        self.border_title = "Metadata (m)"

    def show(self, article: Article, annotations: ArticleAnnotations) -> None:
        meta = article.meta
        rows: list[tuple[str, str | None]] = [
            ("Title", meta.title),
            ("Authors", ", ".join(meta.authors) or None),
            ("Date", meta.published),
            ("Site", meta.site),
            ("URL", meta.url),
            ("Region", ", ".join(meta.region) or None),
            ("Themes", ", ".join(meta.themes) or None),
            ("Report", meta.in_depth_report),
            ("Source", meta.original_source),
            (
                "Origin",
                article.origin.path
                + (f" #{article.origin.record}" if article.origin.record is not None else ""),
            ),
            ("Format", article.format),
        ]
        parts: list[ContentPart] = []
        # What the user set and the id come first: they stay in sight in a short pane.
        parts.append(("Article tags: ", "bold"))
        if annotations.tag_names:
            for tag in annotations.tag_names:
                parts.append(tag_chip(tag))
                parts.append(" ")
        else:
            parts.append("— (T to add)")
        parts.append("\n")
        parts.append(("Id: ", "bold"))
        parts.append(article.id)
        parts.append("\n")
        parts.append(("Article note: ", "bold"))
        parts.append(layout_text(annotations.note) if annotations.note else "—")
        parts.append("\n")
        for label, value in rows:
            parts.append((f"{label}: ", "bold"))
            parts.append(layout_text(value) if value else "—")
            parts.append("\n")
        self.query_one("#meta-text", Static).update(Content.assemble(*parts[:-1]))


class BoilerplatePane(OptionList):
    """Each block kept out of the body with the rule or signal that removed it, plus blocks the
    user put back into it.

    `f` flips the block under this pane's cursor between body and boilerplate; `S` then offers to
    do the same on every article of the site (a site rule, named in the reasons it gives).
    """

    ALLOW_MAXIMIZE = True  # `z` in the article screen

    DEFAULT_CSS = """
    BoilerplatePane { height: 1fr; border: round $secondary; }
    BoilerplatePane:focus { border: round $accent; }
    """

    def on_mount(self) -> None:
        self.border_title = "Boilerplate (B, f flips, D site rule)"

    def show(self, article: Article, annotations: ArticleAnnotations) -> None:
        options: list[Option] = []
        for index, block in enumerate(article.blocks):
            flipped_in = annotations.flips.get(index) is True and block.is_body
            if block.is_body and not flipped_in:
                continue
            options.append(Option(_block_prompt(index, block, flipped_in), id=f"block-{index}"))
        keep = self.highlighted
        self.set_options(options)
        if not options:
            self.add_option(Option(Content("No boilerplate blocks."), id="none", disabled=True))
        else:
            self.highlighted = min(keep or 0, len(options) - 1)

    @property
    def block_index(self) -> int | None:
        option = self.highlighted_option
        if option is None or not option.id or not option.id.startswith("block-"):
            return None
        return int(option.id.removeprefix("block-"))


def _block_prompt(index: int, block: Block, flipped_in: bool) -> Content:
    reason = "in the body (you flipped it back)" if flipped_in else (block.reason or "")
    return Content.assemble(
        (f"#{index} ", "dim"),
        (one_line(reason, 60), "italic"),
        "\n",
        one_line(block.text, 200) or "(empty)",
    )


@dataclass(slots=True)
class HighlightRow:
    highlight: Highlight
    span: tuple[int, int] | None  # body offsets, None when the text is outside the body
    owner: str = ""  # another annotator's name; empty for the user's own highlights


class HighlightsPane(RowList):
    """Every visible highlight with quote, tags and note (and the annotator's name when it is not
    the user's); those under the body cursor are marked ▶.

    A virtual list (`RowList`): only rows on screen are drawn, and one highlight added, changed
    or deleted (`upsert`, `remove`) changes one row, so a pane of 5,000 highlights costs the same
    per keypress as a pane of five. Rows inside the body come first, in body order, then those
    outside it under a heading; a first row counts the labels."""

    ALLOW_MAXIMIZE = True  # `z` in the article screen

    DEFAULT_CSS = """
    HighlightsPane { height: 1fr; border: round $secondary; }
    HighlightsPane:focus { border: round $accent; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._under: frozenset[str] = frozenset()
        self._counts: dict[str, int] = {}
        self._total = 0
        self._inside_keys: list[tuple[int, int, int]] = []  # sort keys of the rows inside the body
        self._outside = 0
        self._seq = 0

    def on_mount(self) -> None:
        super().on_mount()
        self._set_title()

    # --- filling ------------------------------------------------------------------------------
    def show(self, rows: list[HighlightRow], under_cursor: set[str] | frozenset[str]) -> None:
        """Show exactly these rows (after opening, or a change of many highlights)."""
        self._under = frozenset(under_cursor)
        keep = self.highlight_id
        keyed = [(self._key(r, i), r) for i, r in enumerate(rows)]
        self._seq = len(rows)
        inside = sorted((kr for kr in keyed if kr[1].span), key=lambda kr: kr[0])
        outside = [r for _, r in keyed if not r.span]
        self._inside_keys = [k for k, _ in inside]
        self._outside = len(outside)
        self._counts = {}
        self._total = 0
        for row in rows:
            self._count(row, 1)
        out: list[Row] = []
        if rows:  # per-label counts first (a header row), so the mix is seen at a glance
            out.append(self._counts_row())
        out.extend(self._row(r) for _, r in inside)
        if outside:
            out.append(_heading_row(Content.styled("Outside the body (title or boilerplate):", "bold")))
            out.extend(self._row(r) for r in outside)
        if not out:
            out.append(_heading_row(Content("No highlights yet: v, s or p to select, t or 1-9 to tag.")))
        self.set_rows(out)
        if keep is None or self.highlight_id != keep:
            self.highlighted = (1 if inside else 2) if rows else None
        self._set_title()

    def upsert(self, row: HighlightRow) -> None:
        """Add the row of a new highlight, or redraw a changed one, where it belongs."""
        hid = row.highlight.id
        if hid in self._index:
            old = self._rows[self._index[hid]].data
            if old.span == row.span:  # same place: only its text changes
                self._count(old, -1)
                self._count(row, 1)
                self.replace_row(self._index[hid], self._row(row))
                self._update_counts()
                return
            self.remove_highlight(hid)
        if self._total == 0:
            self.show([row], self._under)
            return
        self._count(row, 1)
        if row.span:
            self._seq += 1
            key = self._key(row, self._seq)
            at = bisect_left(self._inside_keys, key)
            self._inside_keys.insert(at, key)
            self.insert_row(1 + at, self._row(row))
        else:
            if not self._outside:
                self.insert_row(
                    self.option_count,
                    _heading_row(Content.styled("Outside the body (title or boilerplate):", "bold")),
                )
            self._outside += 1
            self.insert_row(self.option_count, self._row(row))
        self._update_counts()

    def remove_highlight(self, highlight_id: str) -> None:
        """Take a deleted highlight's row away."""
        index = self._index.get(highlight_id)
        if index is None:
            return
        row: HighlightRow = self._rows[index].data
        self._count(row, -1)
        if self._total == 0:
            self.show([], self._under)
            return
        self.remove_row(index)
        if row.span:
            del self._inside_keys[index - 1]
        else:
            self._outside -= 1
            if not self._outside:  # the heading goes with the last row under it
                self.remove_row(self.option_count - 1)
        self._update_counts()

    def mark_under_cursor(self, under_cursor: set[str] | frozenset[str]) -> None:
        """Redraw only the rows whose ▶ mark changed."""
        under = frozenset(under_cursor)
        if under == self._under:
            return
        changed = under ^ self._under
        self._under = under
        for hid in changed:
            index = self._index.get(hid)
            if index is not None:
                self.replace_row(index, self._row(self._rows[index].data))

    @property
    def highlight_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None

    # --- rows ---------------------------------------------------------------------------------
    @staticmethod
    def _key(row: HighlightRow, seq: int) -> tuple[int, int, int]:
        span = row.span or (0, 0)
        return (span[0], span[1], seq)

    def _count(self, row: HighlightRow, delta: int) -> None:
        self._total += delta
        for tag in row.highlight.tags or ["untagged"]:
            n = self._counts.get(tag, 0) + delta
            if n > 0:
                self._counts[tag] = n
            else:
                self._counts.pop(tag, None)

    def _counts_row(self) -> Row:
        counts = dict(self._counts)
        return Row("label-counts", None, lambda: label_counts_line(counts), disabled=True)

    def _update_counts(self) -> None:
        if self._rows and self._rows[0].id == "label-counts":
            self.replace_row(0, self._counts_row())
        self._set_title()

    def _set_title(self) -> None:
        total = self._total
        self.border_title = f"Highlights {total} (H, Enter jumps)" if total else "Highlights (H, Enter jumps)"

    def _row(self, row: HighlightRow) -> Row:
        under = row.highlight.id in self._under
        return Row(row.highlight.id, row, lambda: Content("\n").join(self._paragraphs(row, under)))

    def row_height(self, row: Row, width: int) -> int:
        if row.data is None:  # a heading or the counts: measured as drawn (a few rows only)
            return max(1, len(row.prompt.wrap(max(1, width))))
        return sum(lines for _, lines in self._layout(row.data, row.data.highlight.id in self._under, width))

    def row_paragraphs(self, row: Row, width: int) -> list[tuple[Content, int]]:
        if row.data is None:
            return [(row.prompt, self.row_height(row, width))]
        under = row.data.highlight.id in self._under
        paragraphs = self._paragraphs(row.data, under)
        layout = self._layout(row.data, under, width)
        return [(p, lines) for p, (_, lines) in zip(paragraphs, layout, strict=True)]

    @staticmethod
    def _layout(row: HighlightRow, under: bool, width: int) -> list[tuple[str, int]]:
        """Lines of each paragraph (labels, quote, note), from their lengths alone: every row is
        measured, so no text is built or wrapped for it. The drawing cuts or pads to these."""
        h = row.highlight
        labels = (len(UNDER_MARK) if under else 0) + (min(len(row.owner), 40) + 2 if row.owner else 0)
        labels += sum(len(t) + 3 for t in h.tags) - 1 if h.tags else len("untagged")
        quote = min(len(h.quote), QUOTE_CHARS) + 2 + (0 if row.span else len(OUTSIDE_MARK))
        out = [("labels", _lines(labels, width, 2)), ("quote", _lines(quote, width, 3))]
        if h.note:
            out.append(("note", _lines(len("note: ") + min(len(h.note), 200), width, 2)))
        return out

    @staticmethod
    def _paragraphs(row: HighlightRow, under: bool) -> list[Content]:
        h = row.highlight
        labels: list[ContentPart] = []
        if under:
            labels.append((UNDER_MARK, "bold reverse"))
        # The labels come first and the quote is cut to two lines, so a long quote never pushes
        # its labels out of sight.
        if row.owner:
            labels.append((f"{one_line(row.owner, 40)}: ", "bold italic"))
        if h.tags:
            for i, tag in enumerate(h.tags):
                if i:
                    labels.append(" ")
                labels.append(tag_chip(tag))
        else:
            labels.append(("untagged", "dim"))
        quote: list[ContentPart] = []
        if not row.span:
            quote.append((OUTSIDE_MARK, "italic"))
        quote.append("“" + one_line(h.quote, QUOTE_CHARS) + "”")
        out = [Content.assemble(*labels), Content.assemble(*quote)]
        if h.note:
            out.append(Content.assemble(("note: ", "italic"), one_line(h.note, 200)))
        return out


UNDER_MARK = f"{UNDER_CURSOR} under cursor  "
OUTSIDE_MARK = "(outside the body) "


def _lines(length: int, width: int, most: int) -> int:
    """Lines a paragraph of `length` cells is given at `width`: one when it fits, else up to
    `most` (with room for words that do not break at the edge)."""
    if length <= width or width <= 0:
        return 1
    for lines in range(2, most):
        if length <= lines * width - 8:
            return lines
    return most


def _heading_row(text: Content) -> Row:
    return Row(None, None, lambda: text, disabled=True)
