"""Side panes of the article screen: metadata, boilerplate blocks, and highlights with their tags.

Everything from the article is shown as plain `Content` (never markup) after `safetext`, so a
title like `[@click=app.quit]` or an ESC byte in a block is just text on the screen.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from library.annotations.model import ArticleAnnotations, Highlight
from library.model import Article, Block
from library.safetext import layout_text, one_line
from reader.app.widgets.body import tag_style

UNDER_CURSOR = "▶"
QUOTE_CHARS = 80  # about two lines of the side pane


def label_counts_line(rows: list[HighlightRow]) -> Content:
    """ "Doubt 3 · Loaded_Language 2": how many of the listed highlights carry each label."""
    counts: dict[str, int] = {}
    for row in rows:
        for tag in row.highlight.tags or ["untagged"]:
            counts[tag] = counts.get(tag, 0) + 1
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

    def compose(self):
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
        parts: list[str | tuple[str, object] | Content] = []
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


class HighlightsPane(OptionList):
    """Every visible highlight with quote, tags and note (and the annotator's name when it is not
    the user's); those under the body cursor are marked ▶."""

    ALLOW_MAXIMIZE = True  # `z` in the article screen

    DEFAULT_CSS = """
    HighlightsPane { height: 1fr; border: round $secondary; }
    HighlightsPane:focus { border: round $accent; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._rows: list[HighlightRow] = []
        self._under: frozenset[str] = frozenset()

    def on_mount(self) -> None:
        self.border_title = "Highlights (H, Enter jumps)"

    def show(self, rows: list[HighlightRow], under_cursor: set[str] | frozenset[str]) -> None:
        inside = sorted((r for r in rows if r.span), key=lambda r: r.span or (0, 0))
        outside = [r for r in rows if not r.span]
        self._rows = inside + outside
        self._under = frozenset(under_cursor)
        keep = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option | None] = [Option(self._prompt(r), id=r.highlight.id) for r in inside]
        if rows:  # per-label counts first (a header row), so the mix is seen at a glance
            options.insert(0, Option(label_counts_line(rows), id="label-counts", disabled=True))
            self.border_title = f"Highlights {len(rows)} (H, Enter jumps)"
        else:
            self.border_title = "Highlights (H, Enter jumps)"
        if outside:
            options.append(
                Option(Content.styled("Outside the body (title or boilerplate):", "bold"), disabled=True)
            )
            options.extend(Option(self._prompt(r), id=r.highlight.id) for r in outside)
        if not options:
            options.append(
                Option(Content("No highlights yet: v, s or p to select, t or 1-9 to tag."), disabled=True)
            )
        self.set_options(options)
        self.highlighted = (1 if inside else 2) if self._rows else None
        if keep:
            with contextlib.suppress(OptionDoesNotExist):  # the highlight was deleted
                self.highlighted = self.get_option_index(keep)

    def mark_under_cursor(self, under_cursor: set[str] | frozenset[str]) -> None:
        """Redraw only the rows whose ▶ mark changed."""
        under = frozenset(under_cursor)
        if under == self._under:
            return
        changed = under ^ self._under
        self._under = under
        for row in self._rows:
            if row.highlight.id in changed:
                self.replace_option_prompt(row.highlight.id, self._prompt(row))

    def _prompt(self, row: HighlightRow) -> Content:
        h = row.highlight
        mark = f"{UNDER_CURSOR} under cursor  " if h.id in self._under else ""
        parts: list[str | tuple[str, object] | Content] = []
        if mark:
            parts.append((mark, "bold reverse"))
        # The labels come first and the quote is cut to two lines, so a long quote never pushes
        # its labels out of sight.
        if row.owner:
            parts.append((f"{one_line(row.owner, 40)}: ", "bold italic"))
        if h.tags:
            for tag in h.tags:
                parts.append(tag_chip(tag))
                parts.append(" ")
        else:
            parts.append(("untagged", "dim"))
        parts.append("\n")
        if not row.span:
            parts.append(("(outside the body) ", "italic"))
        parts.append("“" + one_line(h.quote, QUOTE_CHARS) + "”")
        if h.note:
            parts.append("\n")
            parts.append(("note: ", "italic"))
            parts.append(one_line(h.note, 200))
        return Content.assemble(*parts)

    @property
    def highlight_id(self) -> str | None:
        option = self.highlighted_option
        return option.id if option is not None and not option.disabled else None
