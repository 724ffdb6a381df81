"""Markdown (`--format markdown`): a reading copy, export only.

Article text is untrusted: every character Markdown or HTML would act on is backslash-escaped, so
`*not emphasis*` stays literal and `<b>` never reaches a rendered report as HTML; control and
escape characters become visible stand-ins."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote as url_quote

from library.interchange.rendering import ExportOptions, Rendered
from library.interchange.spec import FormatSpec
from library.safetext import display_text

# CommonMark: any ASCII punctuation may be backslash-escaped; these are the ones that can start
# emphasis, code, links, HTML, entities, tables or strikethrough anywhere in a line.
_INLINE = re.compile(r"([\\`*\[\]<>|~&])|(?<![^\W_])_|_(?![^\W_])")
# At the start of a line these make headings, lists, quotes or rules.
_LINE_START = re.compile(r"^(\s*)([-+=>#]|\d+[.)])")


def escape(text: str | None) -> str:
    """One line of untrusted text as literal Markdown."""
    line = " ".join((text or "").split())
    line = _INLINE.sub(lambda m: "\\" + m.group(), line)
    return _LINE_START.sub(_escape_line_start, line)


def _escape_line_start(m: re.Match[str]) -> str:
    mark = m.group(2)
    if mark[0].isdigit():  # "1." starts a list: the backslash goes before the punctuation
        return m.group(1) + mark[:-1] + "\\" + mark[-1]
    return m.group(1) + "\\" + mark


def _quote_block(text: str) -> str:
    lines = [escape(ln) for ln in text.splitlines()] or [""]
    return "\n".join(f"> {ln}" if ln else ">" for ln in lines)


def _autolink(url: str) -> str:
    return "<" + url_quote(" ".join(url.split()), safe=":/?#[]@!$&'()*+,;=%-._~") + ">"


def write(doc: dict[str, Any], options: ExportOptions) -> Rendered:
    parts: list[str] = ["# Annotations\n"]
    for a in doc["articles"]:
        parts.append(f"\n## {escape(a['title']) or '(untitled)'}\n")
        facts = [x for x in (a["site"], a["published"], ", ".join(a["authors"])) if x]
        if facts:
            parts.append("\n" + escape(" · ".join(facts)) + "\n")
        if a["url"]:
            parts.append(f"\n{_autolink(a['url'])}\n")
        ext = f" · external id {escape(a['external_id'])}" if a["external_id"] else ""
        parts.append(f"\nid `{a['id']}`{ext}\n")
        if a["tags"]:
            parts.append("\nTags: " + ", ".join(escape(t["tag"]) for t in a["tags"]) + "\n")
        if a["note"]:
            parts.append("\nNote: " + escape(a["note"]) + "\n")
        for h in a["highlights"]:
            parts.append("\n" + _quote_block(h["quote"]) + "\n")
            meta = []
            if h["tags"]:
                meta.append("Tags: " + ", ".join(escape(t) for t in h["tags"]))
            if h["annotator"]:
                meta.append(f"by {escape(h['annotator'])}")
            if h["anchor"] != "exact":
                meta.append(f"anchor: {h['anchor']} ({h['confidence']:.2f})")
            if meta:
                parts.append("\n" + " · ".join(meta) + "\n")
            if h["note"]:
                parts.append("\nNote: " + escape(h["note"]) + "\n")
    return Rendered(display_text("".join(parts)).encode(), records=len(doc["articles"]))


SPEC = FormatSpec(
    name="markdown",
    extension=".md",
    description="a reading copy (export only)",
    lost="offsets, ids of highlights, timestamps: not for re-import",
    writer=write,
)
