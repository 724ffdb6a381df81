"""Site rules in the app: the "do the same on every article of this site" offer, and the list.

After a flip, `D` (do the same for the site) offers to make it a site rule: Enter (or y) matches blocks with the same text as
this one, `e` turns to an editable pattern (Enter applies it), Esc leaves the article alone. `R`
lists the site's rules: `e` edits the pattern of the rule under the cursor, `d` removes it, Esc
closes. Every change is one store write, undone with `u` like any other. Article text is shown as
plain `Content`, never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from library.core.site_rules import SiteRuleError, check_pattern, pattern_for
from library.safetext import one_line
from reader.app.widgets.panes import BoilerplatePane

if TYPE_CHECKING:
    from textual import getters

    from reader.app.app import ReaderApp


@dataclass(slots=True)
class RuleChoice:
    """What the user chose in the offer: match the same text, or this pattern."""

    pattern: str | None  # None: the block's fingerprint (the same text)


class SiteRuleOffer(ModalScreen[RuleChoice | None]):
    """Offers to do on every article of the site what the user just did to one block."""

    DEFAULT_CSS = """
    SiteRuleOffer { align: center bottom; background: $background 30%; }
    SiteRuleOffer > Vertical {
        width: 80; max-width: 100%; height: auto; border: round $accent; background: $surface;
        padding: 0 1; margin-bottom: 3;
    }
    SiteRuleOffer #offer-keys, SiteRuleOffer #offer-error { color: $text-muted; }
    SiteRuleOffer Input { display: none; }
    SiteRuleOffer Input.-shown { display: block; }
    """

    BINDINGS = [
        Binding("y,enter", "same_text", "Same text", id="site_rule.same_text"),
        Binding("e", "edit_pattern", "Edit pattern", id="site_rule.edit_pattern"),
        Binding("escape,n", "cancel", "Cancel", id="site_rule.cancel"),
    ]

    def __init__(self, *, text: str, to_body: bool, site: str, articles: int) -> None:
        super().__init__()
        self.block_text = text
        self.to_body = to_body
        self.site = site
        self.articles = articles

    def compose(self) -> ComposeResult:
        where = "keep it in the body" if self.to_body else "take it out of the body"
        with Vertical() as box:
            box.border_title = "Do the same on every article of this site?"
            yield Static(
                Content.assemble(
                    (f"{one_line(self.site, 50)} ({self.articles} articles): {where}\n", "bold"),
                    "“",
                    one_line(self.block_text, 220),
                    "”",
                ),
                id="offer-question",
            )
            # Disabled until e shows it: a hidden input that took the focus would swallow y and Enter.
            yield Input(value=pattern_for(self.block_text), id="offer-pattern", disabled=True)
            yield Static(Content(""), id="offer-error")
            yield Static(
                Content(
                    "Enter/y: blocks with the same text · e: a pattern you edit · Esc: only this article"
                ),
                id="offer-keys",
            )

    def action_same_text(self) -> None:
        self.dismiss(RuleChoice(None))

    def action_edit_pattern(self) -> None:
        field = self.query_one("#offer-pattern", Input)
        field.disabled = False
        field.add_class("-shown")
        field.focus()
        self.query_one("#offer-keys", Static).update(
            Content("A regular expression, case-insensitive · Enter applies · Esc cancels")
        )

    @on(Input.Submitted, "#offer-pattern")
    def _pattern_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            check_pattern(event.value)
        except SiteRuleError as err:
            self.query_one("#offer-error", Static).update(Content(one_line(str(err), 200)))
            return
        self.dismiss(RuleChoice(event.value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class SiteRulesDialog(ModalScreen[None]):
    """The rules of one site: e edits the pattern under the cursor, d removes the rule, Esc closes."""

    if TYPE_CHECKING:  # the app it runs in, as the type checker sees it (at run time: Textual's)
        app = getters.app(ReaderApp)

    DEFAULT_CSS = """
    SiteRulesDialog { align: center middle; background: $background 30%; }
    SiteRulesDialog > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 80%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    SiteRulesDialog OptionList { height: auto; max-height: 16; }
    SiteRulesDialog #rules-keys, SiteRulesDialog #rules-error { color: $text-muted; }
    SiteRulesDialog Input { display: none; }
    SiteRulesDialog Input.-shown { display: block; }
    """

    BINDINGS = [
        Binding("d", "remove", "Remove rule", id="site_rules.remove"),
        Binding("e", "edit", "Edit pattern", id="site_rules.edit"),
        Binding("escape", "close", "Close", id="site_rules.close"),
    ]

    def __init__(self, library: Any, site: str, name: str = "") -> None:
        super().__init__()
        self.library = library
        self.site = site
        self.site_name = name or site
        self.changed = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Site rules: {one_line(self.site_name, 50)}"
            yield OptionList(id="rules-list")
            yield Input(id="rules-pattern")
            yield Static(Content(""), id="rules-error")
            yield Static(Content("e: edit pattern · d: remove · Esc: close · u undoes"), id="rules-keys")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(OptionList).focus()

    def _fill(self) -> None:
        options = self.query_one("#rules-list", OptionList)
        rules = self.library.site_rules(self.site)
        options.set_options(
            [Option(Content(one_line(rule.describe(), 160)), id=rule.id) for rule in rules]
            or [Option(Content("No rules for this site: flip a block, then S."), disabled=True)]
        )
        if rules:
            options.highlighted = 0

    @property
    def _rule_id(self) -> str | None:
        option = self.query_one("#rules-list", OptionList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    def _write(self, do: Any, message: str) -> None:
        if self.app.write_blocked():
            return
        try:
            do()
        except Exception as err:  # noqa: BLE001 - any store error becomes one safe line
            self.app.report_error(err)
            return
        self.changed = True
        self.app.show_saved(message)
        self._fill()

    def action_remove(self) -> None:
        rule_id = self._rule_id
        if rule_id is not None:
            self._write(lambda: self.library.remove_site_rule(rule_id), f"Site rule {rule_id} removed")

    def action_edit(self) -> None:
        rule_id = self._rule_id
        if rule_id is None:
            return
        rule = self.library.site_rule(rule_id)
        field = self.query_one("#rules-pattern", Input)
        field.value = rule.value if rule.kind == "pattern" else pattern_for(rule.label)
        field.add_class("-shown")
        field.focus()

    @on(Input.Submitted, "#rules-pattern")
    def _pattern_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        rule_id = self._rule_id
        if rule_id is None:
            return
        try:
            check_pattern(event.value)
        except SiteRuleError as err:
            self.query_one("#rules-error", Static).update(Content(one_line(str(err), 200)))
            return
        event.input.remove_class("-shown")
        self.query_one("#rules-error", Static).update(Content(""))
        self._write(
            lambda: self.library.edit_site_rule(rule_id, pattern=event.value), f"Site rule {rule_id} changed"
        )
        self.query_one(OptionList).focus()

    def action_close(self) -> None:
        field = self.query_one("#rules-pattern", Input)
        if field.has_class("-shown"):
            field.remove_class("-shown")
            self.query_one(OptionList).focus()
            return
        self.dismiss(None)


def _write_once(screen: Any, do: Any, message: str) -> bool:
    """One store write from a screen: blocked in a read-only session, any error one safe line."""
    if screen.app.write_blocked():
        return False
    try:
        do()
    except Exception as err:  # noqa: BLE001 - any store error becomes one safe line
        screen.app.report_error(err)
        return False
    screen.app.show_saved(message)
    return True


def offer_site_rule(screen: Any, index: int, reload: Any) -> None:
    """Push the offer for block `index` of the screen's article; on a choice, save the rule and
    `reload` the article."""
    library = screen.library
    block = screen.article.blocks[index]
    site = library.article_site(screen.article_id)
    name = screen.article.meta.site or site  # the site as the article names it, for the user
    if not site:
        screen.notify("This article has no site, so a site rule cannot apply.", markup=False)
        return

    def done(choice: RuleChoice | None) -> None:
        if choice is None:
            return
        added: list[Any] = []

        def do() -> None:
            added.append(library.add_site_rule(screen.article_id, index, pattern=choice.pattern))

        if _write_once(screen, do, "Site rule saved"):
            reload()
            screen.notify(
                f"Site rule {added[0].id}: applied to every article of {one_line(name, 40)} (u undoes, R lists)",
                markup=False,
            )

    offer = SiteRuleOffer(
        text=block.text, to_body=block.is_body, site=name, articles=len(library.site_articles(site))
    )
    screen.app.push_screen(offer, done)


def show_site_rules(screen: Any, reload: Any) -> None:
    """Push the list of the article's site rules; reload the article when one changed."""
    site = screen.library.article_site(screen.article_id)
    dialog = SiteRulesDialog(screen.library, site, screen.article.meta.site or site)

    def done(_: None) -> None:
        if dialog.changed:
            reload()

    screen.app.push_screen(dialog, done)


SITE_RULE_BINDINGS = [
    Binding(
        "D",
        "apply_to_site",
        "Apply to site",
        id="article.apply_to_site",
        show=False,
        tooltip="Do what the last flip did on every article of this site (a site rule; u undoes)",
    ),
    Binding(
        "R",
        "site_rules",
        "Site rules",
        id="article.site_rules",
        show=False,
        tooltip="List, edit and remove this site's rules",
    ),
]


class SiteRuleKeysMixin:
    """The article screen's S and R keys. The screen adds `SITE_RULE_BINDINGS` to its bindings and
    calls `flipped(index)` after a flip; it provides `library`, `article`, `article_id`, `body`,
    `load()`, `_block_at()`, `_source_selection()` and `_restore_source_selection()`."""

    _last_flip: int | None = None  # the block flipped last: what D offers to apply to the site

    if TYPE_CHECKING:  # provided by the screen

        def notify(self, *args: Any, **kwargs: Any) -> Any: ...

    def flipped(self, index: int) -> None:
        """After a flip: remember the block and say that S can make it a site rule."""
        self._last_flip = index
        self.notify("Block flipped. D: do the same on every article of this site.", markup=False)

    def action_apply_to_site(self) -> None:
        """Offer a site rule for the block flipped last (else the one under the pane or body cursor)."""
        screen: Any = self
        assert screen.article is not None
        index = self._last_flip
        if index is None:
            pane = screen.query_one(BoilerplatePane)
            index = (
                pane.block_index if screen.focused is pane else screen._block_at(screen.body.cursor_offset)
            )
        if index is None or index >= len(screen.article.blocks):
            screen.notify(
                "Flip a block first (f in the boilerplate pane, X in the body), then D.", markup=False
            )
            return
        offer_site_rule(screen, index, self._reload_keeping_place)

    def action_site_rules(self) -> None:
        show_site_rules(self, self._reload_keeping_place)

    def _reload_keeping_place(self) -> None:
        screen: Any = self
        keep = screen._source_selection()
        screen.load()
        screen._restore_source_selection(keep)
