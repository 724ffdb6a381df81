"""The article screen's labelling-project keys: `?` on a highlight, `d` done/undone, `>` next not done.

Kept apart from the article screen (which only binds the keys) so its module stays about reading
and annotating one article.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from library.annotations.work_state import STATE_DONE, STATE_NEW, STATE_PROGRESS, state_of
from library.safetext import one_line

if TYPE_CHECKING:
    from reader.app.screens.article_host import ArticleKeysHost


def label_help_under_cursor(screen: ArticleKeysHost) -> None:
    """The guideline of the first label of the highlight under the cursor; elsewhere, the help."""
    from reader.app.screens.label_help import LabelHelpScreen

    target = screen._target_highlight()  # noqa: SLF001 - the screen's own notion of "under the cursor"
    if target is None or not target.tags:
        screen.app.action_help()
        return
    scheme = screen.library.scheme
    name = next((t for t in target.tags if scheme.label(t) is not None), target.tags[0])
    screen.app.push_screen(LabelHelpScreen(scheme.label(name), name, scheme.name))


def toggle_done(screen: ArticleKeysHost) -> None:
    """Done -> back to in progress (or new when you have not labelled anything); else done."""
    if screen.app.write_blocked():
        return
    library = screen.library
    current = state_of(screen.annotations, library.annotator)
    if current == STATE_DONE:
        mine = any(h.annotator == library.annotator for h in screen.annotations.highlights) or any(
            t.annotator == library.annotator for t in screen.annotations.tags
        )
        new_state = STATE_PROGRESS if mine else STATE_NEW
    else:
        new_state = STATE_DONE
    message = "Marked done" if new_state == STATE_DONE else "Marked not done"
    if screen._write(lambda: library.set_work_state(screen.article_id, new_state), message):  # noqa: SLF001
        screen.notify(f"{message} ({one_line(library.annotator, 30) or 'you'})", markup=False)


def next_not_done(order: list[str], current: str, states: dict[str, str]) -> str | None:
    """The first article after `current` in `order` (wrapping round) whose state is not done."""
    if not order:
        return None
    start = order.index(current) + 1 if current in order else 0
    for aid in order[start:] + order[:start]:
        if aid != current and states.get(aid) != STATE_DONE:
            return aid
    return None


def open_next_not_done(screen: ArticleKeysHost) -> None:
    app = screen.app
    library_screen = app._library_screen()  # noqa: SLF001
    order = list(library_screen.order) if library_screen is not None else screen.library.ids()
    target = next_not_done(order, screen.article_id, screen.library.work_states())
    if target is None:
        screen.notify("Every article in the list is done.", markup=False)
        return
    screen._save_position()  # noqa: SLF001 - what leaving the article does
    if len(app.screen_stack) > 1:
        app.pop_screen()
    if library_screen is not None:
        library_screen.refresh_article(screen.article_id)  # its state column shows the change
        library_screen._open(target)  # noqa: SLF001 - the library's own "open", so its row refreshes
    else:
        app.open_article(target)
