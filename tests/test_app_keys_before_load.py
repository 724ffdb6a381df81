"""Keys pressed before an article's first load (it runs after the screen's first refresh; a fast
typist or a slow machine gets keys in first): none of them may crash the app, and `q` still goes
back."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_app_article import make_app
from test_app_article_support import parsed_article, store_with

from reader.app.screens.article import ArticleScreen
from reader.app.screens.article_bindings import ARTICLE_BINDINGS


def _article_keys() -> list[str]:
    keys = []
    for binding in ARTICLE_BINDINGS:
        key = getattr(binding, "key", None)
        if isinstance(key, str) and key not in ("q", "escape", "greater_than_sign"):
            keys.extend(k.strip() for k in key.split(","))
    # "/" last: it opens the search box, which takes the keys typed after it
    return sorted(keys, key=lambda k: k == "slash")


async def test_every_article_key_before_the_first_load_is_harmless(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library, (aid,) = store_with(tmp_path / "lib", parsed_article())
    monkeypatch.setattr(ArticleScreen, "_first_load", lambda self: None)  # the load never comes
    app = make_app(library)
    keys = _article_keys()
    assert {"j", "v", "enter", "1", "d"} <= set(keys)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_article(aid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ArticleScreen) and screen.view is None
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            while app.screen is not screen:  # a dialog some key opened: closed again
                await pilot.press("escape")
                await pilot.pause()
        assert app.is_running and app.return_code is None
        assert library.annotations(aid).highlights == []
        if app.focused is not None and app.focused.id == "search":  # "/" opened the search box
            await pilot.press("escape")
            await pilot.pause()
        library.set_article_note(aid, "written elsewhere")  # an undo of it changes this article
        await pilot.press("u", "ctrl+r")  # undo and redo reach the screen before it is loaded
        await pilot.pause()
        assert app.is_running and app.screen is screen
        assert library.annotations(aid).note == "written elsewhere"  # (redone)
        assert app.screen is screen
        await pilot.press("q")  # leaving before the load saves no position and does not fail
        await pilot.pause()
        assert not isinstance(app.screen, ArticleScreen)
        assert app.is_running
