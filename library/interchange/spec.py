"""A format's entry in the registry: its name, file extension, reader and writer, and what it loses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from library.interchange.planning import ArticleIndex, ImportOptions, ImportPlan
from library.interchange.rendering import ExportOptions, Rendered

Writer = Callable[[dict[str, Any], ExportOptions], Rendered]
Reader = Callable[[ImportPlan, ArticleIndex, Path, str, ImportOptions], None]


@dataclass(frozen=True)
class FormatSpec:
    """`extension` is a file suffix, or "/" for formats that write a folder of files.
    `lost`: what the format cannot carry (shown by `reader export --list-formats`)."""

    name: str
    extension: str
    description: str
    lost: str
    writer: Writer | None = None
    reader: Reader | None = None
    needs_bodies: bool = False  # the writer needs the clean bodies in the document
    optional_package: str | None = None  # a package the format needs that is an optional extra
    quote_only: bool = False  # highlights carry quotes, no offsets: the report lists every verdict

    @property
    def directions(self) -> str:
        return "/".join(d for d, f in (("import", self.reader), ("export", self.writer)) if f)
