"""Persistence of the user's site rules (`site-rules.json` in the library directory).

Why a file of its own: the rules are the user's work (unlike the site counts, they cannot be
rebuilt), small, and read on every article view; they are written whole, atomically and durably
with a backup copy, and a damaged file is recovered from that backup or refused with one line
naming the file. What a rule means and how it applies belongs to `library.core.site_rules`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from library.store.atomic import atomic_write_bytes, load_json_recovering

SITE_RULES_NAME = "site-rules.json"
FORMAT_VERSION = 1
_FIELDS = {"id": str, "site": str, "kind": str, "value": str, "to_body": bool, "label": str, "created": str}


def validate(data: Any) -> None:
    """Raise ValueError unless `data` is a site-rules document this program can read."""
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise ValueError("not a site-rules file (no list of rules)")
    version = data.get("version", 1)
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(f"site-rules format version {version!r} is newer than this program supports")
    for n, rule in enumerate(data["rules"], 1):
        if not isinstance(rule, dict):
            raise ValueError(f"rule {n} is not an object")
        for name, kind in _FIELDS.items():
            if not isinstance(rule.get(name), kind):
                raise ValueError(f"rule {n} has no valid {name!r}")


class SiteRulesFile:
    """Reads and writes the rules document: `{"version": 1, "next": N, "rules": [...]}`."""

    def __init__(self, directory: Path, *, read_only: bool, notice: Any) -> None:
        self.path = Path(directory) / SITE_RULES_NAME
        self.read_only = read_only
        self._notice = notice

    def load(self) -> dict[str, Any]:
        data = load_json_recovering(
            self.path, read_only=self.read_only, notice=self._notice, validate=validate, what="site rules"
        )
        if data is None:
            return {"version": FORMAT_VERSION, "next": 1, "rules": []}
        return data

    def save(self, data: dict[str, Any]) -> None:
        validate(data)
        atomic_write_bytes(self.path, orjson.dumps(data, option=orjson.OPT_INDENT_2), keep_backup=True)
