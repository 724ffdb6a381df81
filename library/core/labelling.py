"""The Library's part for labelling projects: its label scheme, work state, and library-wide
rename and merge of labels with their counts.

Why a part of its own: these are the operations a labelling team runs on the whole library, not
on one article's annotations; `Library` inherits them (`LabellingMixin`, built on
`AnnotationsPart`: a rename is a journalled change per article). Loading the remembered scheme at
open and the `scheme` property are in `library.core.opening`, since every write checks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from library.annotations import work_state
from library.annotations.model import ArticleAnnotations, ArticleTag
from library.annotations.schemes import OPEN_SCHEME, SCOPE_BOTH, Scheme, parse_scheme
from library.core.annotations_part import AnnotationsPart
from library.store.scheme_file import remove_scheme_file, write_scheme_text


@dataclass
class LabelUsage:
    """How much one label is used: highlights carrying it, articles using it (on a span or as an
    article tag), and the same per annotator."""

    name: str
    spans: int = 0
    articles: int = 0
    article_tags: int = 0
    in_scheme: bool = False
    per_annotator: dict[str, dict[str, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "spans": self.spans,
            "articles": self.articles,
            "article_tags": self.article_tags,
            "in_scheme": self.in_scheme,
            "per_annotator": self.per_annotator,
        }


def count_labels(items: Iterable[dict[str, Any]], scheme: Scheme = OPEN_SCHEME) -> list[LabelUsage]:
    """Usage of every label in the stored annotations `items` (JSON), plus the scheme's unused
    labels (with zero counts): the scheme's labels first in its order, then the others by name."""
    usage: dict[str, LabelUsage] = {name: LabelUsage(name, in_scheme=True) for name in scheme.names}
    for data in items:
        seen: set[str] = set()
        seen_by: set[tuple[str, str]] = set()
        for h in data.get("highlights", ()):
            who = str(h.get("annotator", ""))
            for tag in dict.fromkeys(str(t) for t in h.get("tags", ())):
                u = usage.setdefault(tag, LabelUsage(tag))
                u.spans += 1
                per = u.per_annotator.setdefault(who, {"spans": 0, "articles": 0})
                per["spans"] += 1
                seen.add(tag)
                seen_by.add((tag, who))
        for t in data.get("tags", ()):
            tag, who = str(t.get("tag", "")), str(t.get("annotator", ""))
            u = usage.setdefault(tag, LabelUsage(tag))
            u.article_tags += 1
            u.per_annotator.setdefault(who, {"spans": 0, "articles": 0})
            seen.add(tag)
            seen_by.add((tag, who))
        for tag in seen:
            usage[tag].articles += 1
        for tag, who in seen_by:
            usage[tag].per_annotator[who]["articles"] += 1
    rank = {name: i for i, name in enumerate(scheme.names)}
    return sorted(usage.values(), key=lambda u: (rank.get(u.name, len(rank)), u.name.casefold()))


def _rename_in(ann: ArticleAnnotations, old: str, new: str) -> bool:
    """Replace label `old` by `new` everywhere in one article (no duplicates); True when changed."""
    changed = False
    for h in ann.highlights:
        if old in h.tags:
            h.tags = list(dict.fromkeys(new if t == old else t for t in h.tags))
            changed = True
    if any(t.tag == old for t in ann.tags):
        kept: list[ArticleTag] = []
        for t in ann.tags:
            if t.tag == old:
                t.tag = new
            if not any(k.tag == t.tag and k.annotator == t.annotator for k in kept):
                kept.append(t)
        ann.tags = kept
        changed = True
    return changed


class LabellingMixin(AnnotationsPart):
    """Scheme choice, work state and label management across the library (a part of `Library`)."""

    def use_scheme(self, scheme: Scheme | None) -> None:
        """Remember `scheme` for this library (None forgets it): one atomic write of scheme.toml."""
        with self._lock:
            self._check_writable()
            if scheme is None:
                remove_scheme_file(self.path, read_only=self.read_only)
                self._scheme = None
                return
            text = scheme.source or _scheme_toml(scheme)
            parse_scheme(text, "scheme")  # what is written must read back
            write_scheme_text(self.path, text, read_only=self.read_only)
            self._scheme = scheme

    # --- work state ----------------------------------------------------------------------------
    def work_state(self, article_id: str, annotator: str | None = None) -> str:
        with self._lock:
            self._require(article_id)
            return work_state.state_of(self._ann.get(article_id), self._who(annotator))

    def work_states(self, annotator: str | None = None) -> dict[str, str]:
        """Every article's state for `annotator` (default: the library's annotator)."""
        with self._lock:
            who = self._who(annotator)
            notes = self._ann.all_json()
            return {aid: work_state.state_of_json(notes.get(aid), who) for aid in self._catalog.entries}

    def set_work_state(self, article_id: str, state: str, annotator: str | None = None) -> str:
        """Record `annotator`'s state of work on the article (not undoable, like the reading state)."""
        state = work_state.parse_state(state)
        with self._lock:
            who = self._who(annotator)

            def mutate(a: ArticleAnnotations) -> None:
                a.work[who] = state

            self._change(article_id, "work state", mutate, record=False)
            return state

    def _who(self, annotator: str | None) -> str:
        return self.annotator if annotator is None else annotator

    # --- labels across the library ------------------------------------------------------------
    def label_usage(self) -> list[LabelUsage]:
        with self._lock:
            notes = self._ann.all_json()
            items = [notes[aid] for aid in self._catalog.entries if aid in notes]
            return count_labels(items, self.scheme)

    def articles_with_label(self, name: str) -> list[str]:
        """Ids of the articles using label `name` on a span or as an article tag, in library order."""
        with self._lock:
            notes = self._ann.all_json()
            out = []
            for aid in self._catalog.entries:
                data = notes.get(aid) or {}
                if any(name in h.get("tags", ()) for h in data.get("highlights", ())) or any(
                    t.get("tag") == name for t in data.get("tags", ())
                ):
                    out.append(aid)
            return out

    def rename_label(self, old: str, new: str) -> int:
        """Rename label `old` to `new` in every article (a merge when `new` is in use already): one
        atomic write per article, all undone by one undo. Returns the number of articles changed.
        A strict scheme must hold `new`."""
        new = new.strip()
        if not new:
            raise ValueError("the new label name is empty")
        if new == old:
            return 0
        with self._lock:
            self._check_writable()
            self.scheme.check_label(new, SCOPE_BOTH)  # scheme check: a strict scheme must hold the target
            ids = self.articles_with_label(old)
            merging = any(u.name == new and (u.spans or u.article_tags) for u in self.label_usage())
            label = f"{'merge' if merging else 'rename'} label {old} into {new}"
            group = self._history.new_group()
            for aid in ids:

                def mutate(a: ArticleAnnotations) -> None:
                    _rename_in(a, old, new)

                self._change(aid, label, mutate, group=group)
            return len(ids)


def _scheme_toml(scheme: Scheme) -> str:
    """TOML text for a scheme built in code (bundled and file schemes keep their own text)."""
    import json

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string

    lines = [f"name = {q(scheme.name)}", f"title = {q(scheme.title)}", f"mode = {q(scheme.mode)}"]
    for label in scheme.labels:
        lines += ["", "[[label]]", f"name = {q(label.name)}", f"scope = {q(label.scope)}"]
        for key in ("key", "colour", "definition", "guideline", "group"):
            value = getattr(label, key)
            if value:
                lines.append(f"{key} = {q(value)}")
        if label.examples:
            lines.append("examples = [" + ", ".join(q(e) for e in label.examples) + "]")
    return "\n".join(lines) + "\n"
