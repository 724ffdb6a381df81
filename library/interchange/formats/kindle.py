"""Kindle `My Clippings.txt` (import only): entries separated by `==========` lines, each a title
line (`Title (Author)`), a line `- Your Highlight on page 3 | Location 40-42 | Added on ...`, a
blank line and the text. Articles are found by title (with or without the author part); a Note
is attached to the highlight of that title whose location range holds the note's location, else
kept as the article note. Bookmarks are skipped."""

from __future__ import annotations

import re
from pathlib import Path

from dateutil import parser as dateparser

from library.interchange.formats.readlater import plan_quote
from library.interchange.planning import ArticleIndex, ImportOptions, ImportPlan, check_count, fail, read_text
from library.interchange.spec import FormatSpec

_META = re.compile(r"^-\s*(?:Your\s+)?(Highlight|Note|Bookmark)\b(.*)$", re.IGNORECASE)
_LOCATION = re.compile(r"Location\s+(\d+)(?:-(\d+))?", re.IGNORECASE)
_ADDED = re.compile(r"Added on\s+(.*)$", re.IGNORECASE)
_AUTHOR = re.compile(r"^(.*\S)\s*\(([^()]*)\)\s*$")


def _when(meta: str) -> str | None:
    m = _ADDED.search(meta)
    if not m:
        return None
    try:
        when = dateparser.parse(m.group(1), fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return (
        when.replace(microsecond=0).isoformat()
        if when.tzinfo
        else when.replace(microsecond=0).isoformat() + "+00:00"
    )


def read(plan: ImportPlan, index: ArticleIndex, path: Path, annotator: str, options: ImportOptions) -> None:
    p = plan.path
    entries = [e.strip("\ufeff\r\n ") for e in read_text(path).split("==========")]
    entries = [e for e in entries if e]
    check_count(p, len(entries))
    highlights: list[dict] = []
    notes: list[dict] = []
    for n, entry in enumerate(entries, 1):
        lines = entry.splitlines()
        if len(lines) < 2:
            raise fail(p, f"clipping {n}: expected a title line and a '- Your Highlight ...' line")
        title = lines[0].strip().lstrip("\ufeff")
        m = _META.match(lines[1].strip())
        if not m:
            raise fail(p, f"clipping {n}: second line is not '- Your Highlight/Note/Bookmark ...'")
        kind, meta = m.group(1).lower(), m.group(2)
        body = "\n".join(lines[2:]).strip()
        loc = _LOCATION.search(meta)
        start = int(loc.group(1)) if loc else None
        end = int(loc.group(2) or loc.group(1)) if loc else None
        item = {
            "n": n,
            "title": title,
            "text": body,
            "start": start,
            "end": end,
            "when": _when(meta),
            "note": "",
        }
        if kind == "highlight" and body:
            highlights.append(item)
        elif kind == "note" and body:
            notes.append(item)
    for note in notes:
        owner = next(
            (
                h
                for h in highlights
                if h["title"] == note["title"]
                and h["start"] is not None
                and note["start"] is not None
                and h["start"] <= note["start"] <= h["end"]
            ),
            None,
        )
        if owner is not None:
            owner["note"] = f"{owner['note']}\n\n{note['text']}" if owner["note"] else note["text"]
        else:
            aid, how = _find(index, note["title"])
            if aid is None:
                plan.unmatched.append(f"clipping {note['n']}: {how}")
            else:
                plan.notes.append((aid, note["text"]))
    for h in highlights:
        aid, how = _find(index, h["title"])
        title = h["title"] if aid is None or how == "full" else _AUTHOR.match(h["title"]).group(1)  # type: ignore[union-attr]
        plan_quote(
            plan,
            index,
            f"clipping {h['n']}",
            title=title,
            url=None,
            quote=h["text"],
            note=h["note"],
            annotator=annotator,
            created=h["when"],
        )


def _find(index: ArticleIndex, title: str) -> tuple[str | None, str]:
    aid, how = index.find_by_title_or_url(title, None)
    if aid is not None:
        return aid, "full"
    m = _AUTHOR.match(title)
    if m:
        aid, how2 = index.find_by_title_or_url(m.group(1), None)
        if aid is not None:
            return aid, "without author"
    return None, how


SPEC = FormatSpec(
    name="kindle",
    extension=".txt",
    description="Kindle My Clippings.txt (import only; matched by title, anchored by quote)",
    lost="(import only) Kindle locations; bookmarks",
    reader=read,
    quote_only=True,
)
