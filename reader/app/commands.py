"""The command palette (ctrl+p) offers every key's action of the current screen and of the app.

Both the palette and the help screen read the live bindings (`Screen.active_bindings`), so a key
remapped in the user's keymap shows as remapped and nothing needs listing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.markup import escape
from textual.screen import Screen


@dataclass(frozen=True)
class KeyAction:
    """One action as the user sees it: where it lives, its keys (as displayed) and what it does."""

    node: DOMNode
    action: str
    description: str
    tooltip: str
    keys: tuple[str, ...]
    binding_id: str | None
    enabled: bool


def scope_name(node: DOMNode) -> str:
    if isinstance(node, App):
        return "Everywhere"
    if isinstance(node, Screen):
        return "This screen"
    return str(getattr(node, "HELP_SCOPE", type(node).__name__))


# A read-only text area (the article body) inherits these editing keys from Textual's TextArea;
# they do nothing there, and undo/redo are the app's `u` / `ctrl+r`.
READ_ONLY_INERT = frozenset(
    {
        "cut",
        "paste",
        "undo",
        "redo",
        "delete_left",
        "delete_right",
        "delete_word_left",
        "delete_word_right",
        "delete_line",
        "delete_to_start_of_line",
        "delete_to_end_of_line",
        "delete_to_end_of_line_or_delete_line",
    }
)


def acts(node: DOMNode, action: str) -> bool:
    """Whether a binding's action does something on its node (not an editing key of a
    read-only text area)."""
    return not (getattr(node, "read_only", False) is True and action in READ_ONLY_INERT)


def key_actions(screen: Screen) -> list[KeyAction]:
    """The described bindings active on `screen` (with the app's) that act there, grouped by action."""
    app = screen.app
    grouped: dict[tuple[int, str], dict] = {}
    order: list[tuple[int, str]] = []
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not binding.description or binding.system or not acts(active.node, binding.action):
            continue
        ident = (id(active.node), binding.action)
        if ident not in grouped:
            grouped[ident] = {
                "node": active.node,
                "action": binding.action,
                "description": binding.description,
                "tooltip": active.tooltip or binding.tooltip or "",
                "keys": [],
                "binding_id": binding.id,
                "enabled": active.enabled,
            }
            order.append(ident)
        shown = app.get_key_display(binding) if binding.key == key else key
        if shown not in grouped[ident]["keys"]:
            grouped[ident]["keys"].append(shown)
    actions = [KeyAction(**{**grouped[i], "keys": tuple(grouped[i]["keys"])}) for i in order]
    rank = {"This screen": 0, "Everywhere": 2}
    actions.sort(key=lambda a: rank.get(scope_name(a.node), 1))
    return actions


class BindingCommands(Provider):
    """Every described key of the current screen and the app, runnable from the palette."""

    def _commands(self) -> list[tuple[str, str, KeyAction]]:
        result = []
        for item in key_actions(self.screen):
            if not item.enabled or item.action in {"command_palette", "help_quit"}:
                continue
            keys = " / ".join(item.keys)
            help_text = escape(f"{keys}   {item.tooltip}".rstrip())
            result.append((item.description, help_text, item))
        return result

    async def _run(self, item: KeyAction) -> None:
        await self.app.run_action(item.action, item.node)

    async def discover(self) -> Hits:
        for title, help_text, item in self._commands():
            yield DiscoveryHit(escape(title), partial(self._run, item), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, item in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(self._run, item), help=help_text)
