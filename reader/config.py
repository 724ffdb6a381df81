"""User configuration: ~/.config/newsnotes-reader/config.toml (or $READER_CONFIG).

annotator = "alice"            # recorded on every highlight and tag
quick_tags = ["Loaded_Language", "Doubt"]   # keys 1-9 in the article screen
theme = "textual-dark"
scheme = "ptc"                 # label scheme for libraries that remember none (a bundled name or a file)

[keymap]                       # binding id = "keys"
"article.tag" = "ctrl+t"
"""

from __future__ import annotations

import getpass
import os
import tomllib
from pathlib import Path
from typing import Any

APP_NAME = "newsnotes-reader"
ENV_CONFIG = "READER_CONFIG"


def config_path() -> Path:
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def load_config() -> dict[str, Any]:
    """The parsed config file, or {} when it is absent. A broken file raises ValueError naming it."""
    path = config_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise ValueError(f"{path}: cannot read config ({err.strerror})") from err
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise ValueError(f"{path}: invalid TOML ({err})") from err


def annotator_name(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    try:
        name = load_config().get("annotator")
    except ValueError:
        name = None
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "annotator"


def default_scheme_name() -> str | None:
    """The config's `scheme` (a bundled scheme's name or a TOML file), used by a library that has
    not been given one with `reader scheme use`; None when unset or the config is broken."""
    try:
        value = load_config().get("scheme")
    except ValueError:
        return None
    return value.strip() if isinstance(value, str) and value.strip() else None


def default_scheme() -> tuple[Any, str | None]:
    """(the config's default Scheme or None, a one-line problem or None)."""
    name = default_scheme_name()
    if name is None:
        return None, None
    from library.annotations.schemes import SchemeError, load_scheme

    try:
        return load_scheme(name), None
    except SchemeError as err:
        return None, f"config: scheme: {err}; no default scheme"
