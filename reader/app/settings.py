"""The app's settings, read once from the user config (`reader.config.load_config`).

A broken config never stops the app: each problem becomes a one-line message shown at start-up and
the default is used instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reader.config import annotator_name, load_config

DEFAULT_THEME = "ansi-dark"  # the terminal's own 16 colours: reads well everywhere
DEFAULT_QUICK_TAGS = [
    "Loaded_Language",
    "Name_Calling",
    "Doubt",
    "Exaggeration",
    "Appeal_to_Fear",
    "Flag_Waving",
    "Repetition",
    "Whataboutism",
    "Slogans",
]


@dataclass
class Settings:
    annotator: str = "annotator"
    quick_tags: list[str] = field(default_factory=lambda: list(DEFAULT_QUICK_TAGS))
    theme: str = DEFAULT_THEME
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> "key,key"
    # A quick key that removes a highlight's last label: "keep" it untagged (and say so) or "delete" it.
    last_label_removed: str = "keep"
    problems: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, annotator: str | None = None) -> Settings:
        problems: list[str] = []
        try:
            raw: dict[str, Any] = load_config()
        except ValueError as err:
            raw = {}
            problems.append(str(err))
        return cls.from_mapping(raw, annotator=annotator_name(annotator), problems=problems)

    @classmethod
    def from_mapping(
        cls, raw: dict[str, Any], *, annotator: str = "annotator", problems: list[str] | None = None
    ) -> Settings:
        problems = list(problems or [])
        settings = cls(annotator=annotator, problems=problems)
        quick = raw.get("quick_tags")
        if quick is not None:
            if isinstance(quick, list) and all(isinstance(t, str) and t.strip() for t in quick):
                settings.quick_tags = [t.strip() for t in quick][:35]  # 1-9, then the leader and a letter
            else:
                problems.append("config: quick_tags must be a list of non-empty strings; using the defaults")
        theme = raw.get("theme")
        if theme is not None:
            if isinstance(theme, str) and theme.strip():
                settings.theme = theme.strip()
            else:
                problems.append("config: theme must be a theme name; using the default")
        last = raw.get("last_label_removed")
        if last is not None:
            if last in ("keep", "delete"):
                settings.last_label_removed = last
            else:
                problems.append(
                    'config: last_label_removed must be "keep" or "delete"; keeping the highlight'
                )
        keymap = raw.get("keymap")
        if keymap is not None:
            if isinstance(keymap, dict):
                for binding_id, keys in keymap.items():
                    if isinstance(keys, str) and keys.strip():
                        settings.keymap[str(binding_id)] = keys.strip()
                    else:
                        problems.append(f"config: keymap entry {binding_id!r} must be a key string; ignored")
            else:
                problems.append("config: [keymap] must be a table of binding id = keys; ignored")
        return settings
