"""Pilot: a flip made a site rule (S) leaves every article of the site; u brings them back; R lists."""

from __future__ import annotations

from pathlib import Path

from test_app_article_support import store_with
from test_site_rules import PROMO, promo_article
from textual.widgets import Input

from library import Library
from reader.app.app import ReaderApp
from reader.app.screens.article import ArticleScreen
from reader.app.screens.site_rule_dialog import SiteRuleOffer, SiteRulesDialog
from reader.app.settings import Settings
from reader.app.widgets.panes import BoilerplatePane


async def _open(app: ReaderApp, pilot, article_id: str) -> ArticleScreen:  # type: ignore[no-untyped-def]
    app.open_article(article_id)
    for _ in range(100):  # the body is loaded after the first refresh: wait for it on a busy machine
        await pilot.pause()
        if isinstance(app.screen, ArticleScreen) and app.screen.article is not None and app.screen.body.body:
            break
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


def _promo_library(tmp_path: Path) -> tuple[Library, list[str]]:
    """Two articles of one site and one of another, each with the same promotion paragraph."""
    return store_with(
        tmp_path / "lib", promo_article(0), promo_article(1), promo_article(2, site="other.net")
    )


async def _offer_for_promo(app: ReaderApp, pilot, article_id: str) -> ArticleScreen:  # type: ignore[no-untyped-def]
    """The article open, its promotion set aside (X) and the offer to do so site-wide asked for (D)."""
    screen = await _open(app, pilot, article_id)
    screen.body.move_to_offset(screen.body.body.index(PROMO) + 3, select=False)
    await pilot.press("X", "D")
    await pilot.pause()
    return screen


async def test_flip_apply_to_site_undo(tmp_path: Path) -> None:
    library, (a, b, other) = store_with(
        tmp_path / "lib", promo_article(0), promo_article(1), promo_article(2, site="other.net")
    )
    app = ReaderApp(library, Settings(annotator="tester"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(app, pilot, a)
        assert PROMO in screen.body.body
        # Put the cursor on the promotion and flip it out of the body.
        start = screen.body.body.index(PROMO)
        screen.body.move_to_offset(start + 3, select=False)
        await pilot.press("X")  # in the body X sets the paragraph aside (f is find there)
        await pilot.pause()
        assert PROMO not in screen.body.body
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, SiteRuleOffer)
        await pilot.press("y")  # blocks with the same text, on every article of the site
        await pilot.pause()
        assert app.screen is screen
        rules = library.site_rules()
        assert [r.id for r in rules] == ["r1"] and not rules[0].to_body
        assert rules[0].kind == "fingerprint"  # y is the same text, not the pattern field's text
        # The pane says which rule removed the block on the other article.
        await pilot.press("q")
        await pilot.pause()
        screen = await _open(app, pilot, b)
        assert PROMO not in screen.body.body
        pane = screen.query_one(BoilerplatePane)
        prompts = [str(pane.get_option_at_index(i).prompt) for i in range(pane.option_count)]
        assert any("site rule r1" in p and PROMO[:30] in p for p in prompts)
        # R lists the rule.
        await pilot.press("R")
        await pilot.pause()
        assert isinstance(app.screen, SiteRulesDialog)
        await pilot.press("escape")
        await pilot.pause()
        # Undo (u) takes the rule back: the promotion returns to this article's body.
        await pilot.press("u")
        await pilot.pause()
        assert PROMO in screen.body.body
        assert library.site_rules() == []
    assert PROMO in library.article(other).body
    assert PROMO not in library.article(a).body  # the flip itself is a separate change, kept
    library.close()


async def test_edit_a_pattern_in_the_offer_and_remove_it_from_the_list(tmp_path: Path) -> None:
    library, (a, b, _other) = _promo_library(tmp_path)
    app = ReaderApp(library, Settings(annotator="tester"))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _offer_for_promo(app, pilot, a)
        await pilot.press("e")  # edit the pattern instead of matching the same text
        await pilot.pause()
        field = app.screen.query_one("#offer-pattern")
        field.value = "sister magazine"
        await pilot.press("enter")
        await pilot.pause()
        (rule,) = library.site_rules()
        assert rule.kind == "pattern" and rule.value == "sister magazine"
        assert PROMO not in library.article(b).body
        await pilot.press("R")
        await pilot.pause()
        await pilot.press("d")  # remove the rule under the cursor
        await pilot.pause()
        assert library.site_rules() == []
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
    assert PROMO in library.article(b).body
    library.close()


async def test_enter_in_the_offer_is_the_same_text_too(tmp_path: Path) -> None:
    """The offer opens with nothing focused: Enter and y are its keys, not the hidden pattern field's."""
    library, (a, _b, _other) = _promo_library(tmp_path)
    app = ReaderApp(library, Settings(annotator="tester"))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _offer_for_promo(app, pilot, a)
        assert isinstance(app.screen, SiteRuleOffer)
        assert not isinstance(app.focused, Input)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert [r.kind for r in library.site_rules()] == ["fingerprint"]
    library.close()
