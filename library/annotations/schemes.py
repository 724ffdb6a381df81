"""Label schemes: the labels a project annotates with, as data (a TOML file).

Why data: a labelling team agrees on its labels before it starts, and the tool must hold them to
it. A scheme gives each label its name, quick key, colour, one-line definition, guideline text and
examples, where it may be used (on a span, on the whole article, or both) and an optional group.
Its mode decides what happens to a label outside it: *open* schemes let the user create new
labels (as without a scheme), *strict* ones refuse them (`Scheme.check_label`, the one check every
write path calls).

The format (every key but `name` optional)::

    name = "factcheck"                 # what `reader scheme use NAME` finds
    title = "General fact-checking"
    mode = "open"                      # or "strict"
    scope = "span"                     # default scope of the labels: span, article or both

    [[label]]
    name = "Claim"
    key = "1"                          # 1-9: first layer; a-z: second layer (leader key, then it)
    colour = "yellow"                  # a palette name or #rrggbb
    definition = "A checkable statement of fact."
    guideline = "Longer text shown by ? on the label."
    examples = ["Unemployment fell to 3% last year."]
    group = "Statements"
    scope = "both"
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from library.errors import InvalidInput

MODE_OPEN = "open"
MODE_STRICT = "strict"
MODES = (MODE_OPEN, MODE_STRICT)
SCOPE_SPAN = "span"
SCOPE_ARTICLE = "article"
SCOPE_BOTH = "both"
SCOPES = (SCOPE_SPAN, SCOPE_ARTICLE, SCOPE_BOTH)
FIRST_LAYER = tuple("123456789")
SECOND_LAYER = tuple("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")  # after the leader key
PALETTE = (
    "yellow",
    "cyan",
    "green",
    "magenta",
    "blue",
    "red",
    "bright_yellow",
    "bright_cyan",
    "bright_green",
    "bright_magenta",
)
_HEX = re.compile(r"#[0-9a-fA-F]{6}")
MAX_LABELS = len(FIRST_LAYER) + len(SECOND_LAYER)


class SchemeError(InvalidInput):
    """A scheme file that cannot be used; the message names the file and the reason."""


class LabelNotInScheme(InvalidInput):
    """A label a strict scheme does not allow (or allows only in another scope)."""

    def __init__(self, message: str, label: str, scheme: str) -> None:
        super().__init__(message)
        self.label = label
        self.scheme = scheme


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    key: str = ""  # "1".."9" (first layer) or a letter (second layer); "" past the 61st label
    colour: str = ""  # a palette name or #rrggbb; "" lets the app pick one from the name
    definition: str = ""
    guideline: str = ""
    examples: tuple[str, ...] = ()
    scope: str = SCOPE_SPAN
    group: str = ""

    @property
    def second_layer(self) -> bool:
        return self.key in SECOND_LAYER

    def allows(self, scope: str) -> bool:
        return self.scope == SCOPE_BOTH or scope == SCOPE_BOTH or self.scope == scope

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "key": self.key,
            "colour": self.colour,
            "definition": self.definition,
            "guideline": self.guideline,
            "examples": list(self.examples),
            "scope": self.scope,
            "group": self.group,
        }


@dataclass(frozen=True, slots=True)
class Scheme:
    name: str
    title: str = ""
    description: str = ""
    mode: str = MODE_OPEN
    labels: tuple[Label, ...] = ()
    source: str = field(default="", compare=False)  # the TOML text it was read from

    @property
    def strict(self) -> bool:
        return self.mode == MODE_STRICT

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def label(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def by_key(self, key: str) -> Label | None:
        return next((label for label in self.labels if label.key == key), None) if key else None

    def closest(self, name: str) -> str | None:
        """The scheme label a typo most likely meant (same letters ignoring case, or a prefix)."""
        folded = name.casefold().strip()
        for label in self.labels:
            if label.name.casefold() == folded:
                return label.name
        for label in self.labels:
            lf = label.name.casefold()
            if folded and (lf.startswith(folded) or folded.startswith(lf)):
                return label.name
        return None

    def check_label(self, name: str, scope: str = SCOPE_SPAN) -> None:
        """The one domain check on a label about to be written: raises LabelNotInScheme when a
        strict scheme does not hold it (or holds it for the other scope). Open schemes allow all."""
        if not self.strict:
            return
        label = self.label(name)
        if label is None:
            hint = self.closest(name)
            extra = f"; did you mean {hint!r}?" if hint else f" (it has {len(self.labels)} labels)"
            raise LabelNotInScheme(
                f"label {name!r} is not in the strict scheme {self.name!r}{extra}", name, self.name
            )
        if not label.allows(scope):
            where = "a span" if scope == SCOPE_SPAN else "the whole article"
            raise LabelNotInScheme(
                f"label {name!r} of scheme {self.name!r} is for {label.scope} labels, not {where}",
                name,
                self.name,
            )

    def check_labels(self, names: list[str], scope: str = SCOPE_SPAN) -> None:
        for name in names:
            self.check_label(name, scope)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "mode": self.mode,
            "labels": [label.to_json() for label in self.labels],
        }


OPEN_SCHEME = Scheme(name="", title="(no scheme)", mode=MODE_OPEN)


# --- reading ------------------------------------------------------------------------------------


def _text(where: str, data: dict[str, Any], key: str, default: str = "") -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise SchemeError(f"{where}: {key} must be a string")
    return value.strip()


def _assign_keys(raw: list[dict[str, Any]], where: str) -> list[str]:
    """Each label's key: the one it names, else the first free digit, then the first free letter."""
    taken: dict[str, str] = {}
    keys: list[str] = []
    for item in raw:
        key = item.get("key", "")
        if not isinstance(key, str):
            raise SchemeError(f"{where}: label {item.get('name')!r}: key must be a string")
        key = key.strip()
        if key and key not in FIRST_LAYER and key not in SECOND_LAYER:
            raise SchemeError(
                f"{where}: label {item.get('name')!r}: key must be 1-9, a-z or A-Z, not {key!r}"
            )
        if key and key in taken:
            raise SchemeError(f"{where}: labels {taken[key]!r} and {item.get('name')!r} both use key {key!r}")
        if key:
            taken[key] = str(item.get("name"))
        keys.append(key)
    free = [k for k in (*FIRST_LAYER, *SECOND_LAYER) if k not in taken]
    return [key or (free.pop(0) if free else "") for key in keys]


def parse_scheme(text: str, where: str = "scheme") -> Scheme:
    """A scheme from its TOML text; SchemeError naming `where` and the reason otherwise."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise SchemeError(f"{where}: invalid TOML ({err})") from None
    name = _text(where, data, "name")
    if not name:
        raise SchemeError(f"{where}: the scheme has no name")
    mode = _text(where, data, "mode", MODE_OPEN).lower()
    if mode not in MODES:
        raise SchemeError(f"{where}: mode must be open or strict, not {mode!r}")
    default_scope = _text(where, data, "scope", SCOPE_SPAN).lower()
    if default_scope not in SCOPES:
        raise SchemeError(f"{where}: scope must be span, article or both, not {default_scope!r}")
    raw = data.get("label", [])
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise SchemeError(f"{where}: [[label]] entries must be tables")
    keys = _assign_keys(raw, where)
    labels: list[Label] = []
    seen: set[str] = set()
    for item, key in zip(raw, keys, strict=True):
        lname = _text(where, item, "name")
        if not lname:
            raise SchemeError(f"{where}: a label has no name")
        if lname in seen:
            raise SchemeError(f"{where}: label {lname!r} appears twice")
        seen.add(lname)
        lwhere = f"{where}: label {lname!r}"
        scope = _text(lwhere, item, "scope", default_scope).lower()
        if scope not in SCOPES:
            raise SchemeError(f"{lwhere}: scope must be span, article or both, not {scope!r}")
        colour = _text(lwhere, item, "colour", _text(lwhere, item, "color"))
        if colour and colour not in PALETTE and not _HEX.fullmatch(colour):
            raise SchemeError(f"{lwhere}: colour must be #rrggbb or one of {', '.join(PALETTE)}")
        examples = item.get("examples", [])
        if not isinstance(examples, list) or not all(isinstance(e, str) for e in examples):
            raise SchemeError(f"{lwhere}: examples must be a list of strings")
        labels.append(
            Label(
                name=lname,
                key=key,
                colour=colour,
                definition=_text(lwhere, item, "definition"),
                guideline=_text(lwhere, item, "guideline"),
                examples=tuple(e.strip() for e in examples if e.strip()),
                scope=scope,
                group=_text(lwhere, item, "group"),
            )
        )
    return Scheme(
        name=name,
        title=_text(where, data, "title"),
        description=_text(where, data, "description"),
        mode=mode,
        labels=tuple(labels),
        source=text,
    )


def bundled_names() -> list[str]:
    """The names of the schemes shipped with the program."""
    folder = resources.files("library.annotations").joinpath("schemes")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def bundled_scheme(name: str) -> Scheme:
    folder = resources.files("library.annotations").joinpath("schemes")
    entry = folder.joinpath(f"{name}.toml")
    if name not in bundled_names():
        raise SchemeError(f"no bundled scheme {name!r} (bundled: {', '.join(bundled_names())})")
    return parse_scheme(entry.read_text("utf-8"), f"bundled scheme {name}")


def load_scheme(name_or_path: str) -> Scheme:
    """A bundled scheme by name, or a scheme file by path. SchemeError otherwise."""
    if name_or_path in bundled_names():
        return bundled_scheme(name_or_path)
    path = Path(name_or_path).expanduser()
    if not path.suffix and not path.exists():
        raise SchemeError(f"no bundled scheme {name_or_path!r} (bundled: {', '.join(bundled_names())})")
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise SchemeError(f"{path}: no such scheme file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise SchemeError(f"{path}: cannot read the scheme ({err})") from None
    return parse_scheme(text, str(path))
