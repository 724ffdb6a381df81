"""The annotation editing rules, as pure functions: the state before and the change in, the state after out.

Why here and pure: the app's keys and the CLI's `annotate`/`tag` must follow the same rules (which
highlight a tag goes to, whose highlights may change, what "tag every occurrence" offers), and a
rule that needs no screen or store can be tested on its own. Each function takes the current
`ArticleAnnotations` and returns an `Edit` holding a new state (the input is never changed); a
refusal raises a domain error. The new state shares the highlights it did not change with the
input (`ArticleAnnotations.sharing_copy`): a changed highlight is replaced by a new object, never
changed in place, so one change among thousands of highlights copies one. `library.core.annotating` applies them and saves the result.

Spans are source spans (the highlight's anchor, see `model`). "Mine" is a set of annotator names
that mean the user: the empty name (highlights made before names were recorded) and theirs.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from library.annotations.model import ArticleAnnotations, ArticleTag, Highlight, new_id, now_iso
from library.errors import HighlightNotFound, InvalidInput
from library.textsearch import find_occurrences as find_occurrences  # the one definition, re-exported

# What an edit did; `UNCHANGED` edits need no write.
ADDED = "added"  # a new highlight
TAGGED = "tagged"  # tags added to an existing highlight
UNTAGGED = "untagged"  # a tag removed from a highlight
NOTED = "noted"  # a highlight's or the article's note set
DELETED = "deleted"
ARTICLE_TAGGED = "article tagged"
ARTICLE_UNTAGGED = "article untagged"
UNCHANGED = "unchanged"


class EditRefused(InvalidInput):
    """A change the rules do not allow; the message is one line for the user."""


class NotYourHighlight(EditRefused):
    """Only your own highlights can be changed; another annotator's are read-only."""

    def __init__(self, highlight: Highlight) -> None:
        self.highlight = highlight
        super().__init__(
            f"That highlight belongs to {highlight.annotator}; only your own highlights can be changed."
        )


class AmbiguousQuote(EditRefused):
    """A quote that occurs more than once, given without saying which occurrence."""

    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(f"the quote occurs {count} times; say which occurrence (1..{count})")


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a new highlight would go: its source span and the clean text it covers, with context."""

    source_start: int
    source_end: int
    quote: str
    prefix: str = ""
    suffix: str = ""

    @property
    def span(self) -> tuple[int, int]:
        return self.source_start, self.source_end


@dataclass(frozen=True, slots=True)
class Edit:
    """The result of a rule: the new state, what happened, the highlight it concerns and the
    label the change is journalled under for undo."""

    annotations: ArticleAnnotations
    outcome: str
    highlight_id: str | None = None
    label: str = ""
    removed: Highlight | None = None  # the highlight a delete took away (for the message)

    @property
    def changed(self) -> bool:
        return self.outcome != UNCHANGED

    @property
    def highlight(self) -> Highlight | None:
        return find_highlight(self.annotations, self.highlight_id) if self.highlight_id else None


# --- ownership ------------------------------------------------------------------------------


def is_mine(highlight: Highlight, me: Collection[str]) -> bool:
    """Whether the highlight is the user's (its annotator is one of the names in `me`)."""
    return highlight.annotator in me


def check_mine(highlight: Highlight, me: Collection[str]) -> Highlight:
    """The highlight, if it is yours; raises `NotYourHighlight` otherwise."""
    if not is_mine(highlight, me):
        raise NotYourHighlight(highlight)
    return highlight


def find_highlight(annotations: ArticleAnnotations, highlight_id: str) -> Highlight:
    """The highlight with that id; raises `HighlightNotFound`."""
    for h in annotations.highlights:
        if h.id == highlight_id:
            return h
    raise HighlightNotFound(f"no highlight {highlight_id!r} in article {annotations.article_id}")


def same_span(
    annotations: ArticleAnnotations, span: tuple[int, int], me: Collection[str]
) -> Highlight | None:
    """Your own highlight with exactly that source span (the oldest, if there are several)."""
    for h in annotations.highlights:
        if (h.source_start, h.source_end) == tuple(span) and is_mine(h, me):
            return h
    return None


# --- helpers --------------------------------------------------------------------------------


def _clean_tags(tags: Iterable[str]) -> list[str]:
    """Stripped, without empties, each once, in order."""
    return list(dict.fromkeys(t.strip() for t in tags if t.strip()))


def _replace(annotations: ArticleAnnotations, new: Highlight) -> ArticleAnnotations:
    after = annotations.sharing_copy()
    after.highlights = [new if h.id == new.id else h for h in after.highlights]
    return after


def _changed_copy(h: Highlight, *, tags: list[str] | None = None, note: str | None = None) -> Highlight:
    new = Highlight.from_json(h.to_json())
    if tags is not None:
        new.tags = tags
    if note is not None:
        new.note = note
    new.updated = now_iso()
    return new


def new_highlight(
    anchor: Anchor, *, tags: Iterable[str] = (), note: str = "", annotator: str = "", stamp: str | None = None
) -> Highlight:
    """A highlight on `anchor`, made now by `annotator`."""
    stamp = stamp or now_iso()
    return Highlight(
        id=new_id(),
        source_start=anchor.source_start,
        source_end=anchor.source_end,
        quote=anchor.quote,
        prefix=anchor.prefix,
        suffix=anchor.suffix,
        tags=_clean_tags(tags),
        note=note,
        annotator=annotator,
        created=stamp,
        updated=stamp,
    )


def _add(annotations: ArticleAnnotations, highlight: Highlight) -> Edit:
    after = annotations.sharing_copy()
    after.highlights.append(highlight)
    return Edit(after, ADDED, highlight.id, "add highlight")


# --- the rules ------------------------------------------------------------------------------


def tag_span(
    annotations: ArticleAnnotations,
    anchor: Anchor,
    tags: Iterable[str],
    *,
    me: Collection[str],
    annotator: str,
    note: str | None = None,
) -> Edit:
    """Tag a span: your highlight with exactly that span gets the tags it lacks (and `note`, when
    one is given); without one, a new highlight is made by `annotator` with the tags and the note.
    Another annotator's highlight on the same span is left alone: yours is made beside it."""
    wanted = _clean_tags(tags)
    existing = same_span(annotations, anchor.span, me)
    if existing is None:
        return _add(annotations, new_highlight(anchor, tags=wanted, note=note or "", annotator=annotator))
    missing = [t for t in wanted if t not in existing.tags]
    new_note = None if note is None or note == existing.note else note
    if not missing and new_note is None:
        return Edit(annotations, UNCHANGED, existing.id)
    new = _changed_copy(existing, tags=[*existing.tags, *missing], note=new_note)
    return Edit(_replace(annotations, new), TAGGED if missing else NOTED, existing.id, "edit highlight")


def toggle_tag(annotations: ArticleAnnotations, highlight_id: str, tag: str, *, me: Collection[str]) -> Edit:
    """The quick-tag rule on a highlight: remove the tag if it has it, add it otherwise.
    Raises `NotYourHighlight` for another annotator's highlight, `EditRefused` for an empty tag."""
    tag = tag.strip()
    if not tag:
        raise EditRefused("the tag is empty")
    h = check_mine(find_highlight(annotations, highlight_id), me)
    if tag in h.tags:
        new = _changed_copy(h, tags=[t for t in h.tags if t != tag])
        return Edit(_replace(annotations, new), UNTAGGED, h.id, "edit highlight")
    new = _changed_copy(h, tags=[*h.tags, tag])
    return Edit(_replace(annotations, new), TAGGED, h.id, "edit highlight")


def set_highlight_note(
    annotations: ArticleAnnotations, highlight_id: str, note: str, *, me: Collection[str]
) -> Edit:
    """Set your highlight's note (an empty note clears it)."""
    h = check_mine(find_highlight(annotations, highlight_id), me)
    if h.note == note:
        return Edit(annotations, UNCHANGED, h.id)
    return Edit(_replace(annotations, _changed_copy(h, note=note)), NOTED, h.id, "edit highlight")


def note_span(
    annotations: ArticleAnnotations, anchor: Anchor, note: str, *, me: Collection[str], annotator: str
) -> Edit:
    """A note on a span: on your highlight with exactly that span, else on a new untagged one."""
    existing = same_span(annotations, anchor.span, me)
    if existing is None:
        return _add(annotations, new_highlight(anchor, note=note, annotator=annotator))
    return set_highlight_note(annotations, existing.id, note, me=me)


def set_article_note(annotations: ArticleAnnotations, note: str) -> Edit:
    """The note on the whole article."""
    if annotations.note == note:
        return Edit(annotations, UNCHANGED)
    after = annotations.sharing_copy()
    after.note = note
    return Edit(after, NOTED, None, "edit note")


def delete_highlight(annotations: ArticleAnnotations, highlight_id: str, *, me: Collection[str]) -> Edit:
    """Delete your highlight; the edit's `removed` is the highlight as it was."""
    h = check_mine(find_highlight(annotations, highlight_id), me)
    after = annotations.sharing_copy()
    after.highlights = [x for x in after.highlights if x.id != h.id]
    return Edit(after, DELETED, h.id, "delete highlight", removed=h)


def toggle_article_tag(annotations: ArticleAnnotations, tag: str, *, annotator: str) -> Edit:
    """Add the tag to the article, or remove it if the article has it."""
    tag = tag.strip()
    if not tag:
        raise EditRefused("the tag is empty")
    if tag in annotations.tag_names:
        return set_article_tags(
            annotations, [t for t in annotations.tag_names if t != tag], annotator=annotator
        )
    return add_article_tag(annotations, tag, annotator=annotator)


def add_article_tag(annotations: ArticleAnnotations, tag: str, *, annotator: str) -> Edit:
    """Add a tag to the article (nothing changes if it has it)."""
    tag = tag.strip()
    if not tag:
        raise EditRefused("the tag is empty")
    if tag in annotations.tag_names:
        return Edit(annotations, UNCHANGED)
    return set_article_tags(annotations, [*annotations.tag_names, tag], annotator=annotator)


def set_article_tags(annotations: ArticleAnnotations, tags: Iterable[str], *, annotator: str) -> Edit:
    """The article's tags become `tags`; a tag it keeps keeps its annotator and date."""
    wanted = _clean_tags(tags)
    if wanted == annotations.tag_names:
        return Edit(annotations, UNCHANGED)
    kept = {t.tag: t for t in annotations.tags}
    after = annotations.sharing_copy()
    after.tags = [kept.get(t) or ArticleTag(t, annotator) for t in wanted]
    gained = set(wanted) - set(annotations.tag_names)
    return Edit(after, ARTICLE_TAGGED if gained else ARTICLE_UNTAGGED, None, "set tags")


# --- tag every occurrence -------------------------------------------------------------------


def occurrences_to_offer(
    annotations: ArticleAnnotations,
    occurrences: Iterable[Anchor],
    tags: Iterable[str],
    *,
    me: Collection[str],
    exclude: tuple[int, int] | None = None,
) -> list[Anchor]:
    """The occurrences "tag every occurrence" asks about: all but the one at `exclude` (the span
    the user started from) and those where your highlight already has every one of `tags`."""
    wanted = _clean_tags(tags)
    out: list[Anchor] = []
    for occ in occurrences:
        if exclude is not None and occ.span == tuple(exclude):
            continue
        existing = same_span(annotations, occ.span, me)
        if existing is not None and all(t in existing.tags for t in wanted):
            continue
        out.append(occ)
    return out


def tag_occurrence(
    annotations: ArticleAnnotations,
    occurrence: Anchor,
    tags: Iterable[str],
    *,
    me: Collection[str],
    annotator: str,
) -> Edit:
    """Apply "tag every occurrence" to one occurrence the user said yes to (the tag-a-span rule)."""
    return tag_span(annotations, occurrence, tags, me=me, annotator=annotator)
