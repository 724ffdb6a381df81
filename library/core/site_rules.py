"""Site rules learned from the user: "do the same on every article of this site".

When the user flips a block (into the body or out of it), they may ask for the same on every
article of the site. The rule stores either the block's fingerprint (the same text, digits and
punctuation aside) or a regular expression the user can edit, and the direction of the flip. Rules
are applied when an article is read, after the parser and the site counts and before the user's
own flips on that article, so they reach the site's existing articles and every later import
alike, and removing a rule brings everything back. Each change is journalled like any other, so
`u` undoes it. Persistence is `library.store.site_rules`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from library.model import Block
from library.safetext import one_line
from library.store.site_rules import SiteRulesFile


def fingerprint(text: str) -> str:
    """The boilerplate fingerprint, imported when first needed: the boilerplate package compiles
    its rule table on import, which commands that open a library but apply no rule should not pay."""
    from library.cleaning.boilerplate import fingerprint as of

    return of(text)


# The history journal's "article id" for a change to the rules (never a real article id).
SITE_RULES_CHANGE = "@site-rules"
KINDS = ("fingerprint", "pattern")
MAX_PATTERN = 300


class SiteRuleError(ValueError):
    """A rule that cannot be made or found (bad pattern, unknown id, article without a site)."""


@dataclass(slots=True)
class SiteRule:
    id: str  # "r1", "r2", ...: short enough to type
    site: str  # the library's site key of the articles it applies to
    kind: str  # "fingerprint" (the same text) or "pattern" (a regular expression, case-insensitive)
    value: str
    to_body: bool  # True: matching blocks stay in the body; False: they leave it
    label: str  # the text of the block it was made from, for lists
    created: str

    @property
    def reason(self) -> str:
        """The reason a block this rule removed shows in the boilerplate pane."""
        how = (
            "same text as the block you flipped" if self.kind == "fingerprint" else f"matches /{self.value}/"
        )
        return f"site rule {self.id}: {how}"

    def describe(self) -> str:
        action = "keep in body" if self.to_body else "remove"
        what = f"fingerprint {self.value}" if self.kind == "fingerprint" else f"pattern /{self.value}/"
        return f"{self.id}  {self.site}  {action}  {what}  “{one_line(self.label, 60)}”"


def check_pattern(pattern: str) -> re.Pattern[str]:
    """The compiled pattern, or SiteRuleError naming what is wrong with it."""
    if not pattern.strip():
        raise SiteRuleError("the pattern is empty")
    if len(pattern) > MAX_PATTERN:
        raise SiteRuleError(f"the pattern is longer than {MAX_PATTERN} characters")
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as err:
        raise SiteRuleError(f"the pattern is not a valid regular expression ({err})") from None


def pattern_for(text: str) -> str:
    """A pattern a user can start editing from: the block's first words, escaped, anchored."""
    words = one_line(text, 80).split()[:8]
    return "^" + r"\s+".join(re.escape(w) for w in words)


class SiteRuleBook:
    """The rules of one library: read once, applied to blocks, changed with a journal entry each."""

    def __init__(self, directory: Path, *, read_only: bool, notice: Callable[[str], None]) -> None:
        self._file = SiteRulesFile(directory, read_only=read_only, notice=notice)
        self._doc = self._file.load()
        self._compiled: dict[str, re.Pattern[str]] = {}
        self.version = 0  # bumped on every change: search stamps include it

    # --- reading ------------------------------------------------------------------------------
    def rules(self, site: str | None = None) -> list[SiteRule]:
        out = [SiteRule(**r) for r in self._doc["rules"]]
        return [r for r in out if site is None or r.site == site]

    def get(self, rule_id: str) -> SiteRule:
        for rule in self.rules():
            if rule.id == rule_id.strip():
                return rule
        raise SiteRuleError(f"no site rule {rule_id!r} (see `reader rules list`)")

    def has(self, site: str) -> bool:
        return any(r["site"] == site for r in self._doc["rules"])

    def _matches(self, rule: SiteRule, block: Block) -> bool:
        if rule.kind == "fingerprint":
            return (block.fingerprint or fingerprint(block.text)) == rule.value
        pattern = self._compiled.get(rule.value)
        if pattern is None:
            try:
                pattern = self._compiled[rule.value] = check_pattern(rule.value)
            except SiteRuleError:
                return False
        return bool(pattern.search(block.text))

    def apply(self, site: str, blocks: list[Block]) -> list[Block]:
        """The blocks with the site's rules applied (the first matching rule decides a block); a
        block already out of the body keeps the reason that put it there."""
        rules = self.rules(site) if site and self.has(site) else []
        if not rules:
            return blocks
        for block in blocks:
            for rule in rules:
                if self._matches(rule, block):
                    if rule.to_body:
                        block.reason = None
                    elif block.reason is None:  # already out of the body: its own reason says why
                        block.reason = rule.reason
                    break
        return blocks

    # --- changing (the caller journals `state()` before and after) ------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "version": self._doc.get("version", 1),
            "next": self._doc["next"],
            "rules": list(self._doc["rules"]),
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Write a journalled state back (undo/redo)."""
        self._save(
            {"version": state.get("version", 1), "next": int(state["next"]), "rules": list(state["rules"])}
        )

    def add(self, *, site: str, kind: str, value: str, to_body: bool, label: str, created: str) -> SiteRule:
        if not site:
            raise SiteRuleError("this article has no site, so there is no site to apply a rule to")
        if kind not in KINDS:
            raise SiteRuleError(f"unknown kind {kind!r} (fingerprint or pattern)")
        if kind == "pattern":
            check_pattern(value)
        elif not re.fullmatch(r"[0-9a-f]{8,64}", value):
            raise SiteRuleError(f"{value!r} is not a block fingerprint")
        for rule in self.rules(site):
            if rule.kind == kind and rule.value == value and rule.to_body == to_body:
                raise SiteRuleError(f"site rule {rule.id} already does that")
        doc = self.state()
        rule = SiteRule(f"r{doc['next']}", site, kind, value, to_body, one_line(label, 200), created)
        doc["next"] += 1
        doc["rules"] = [*doc["rules"], asdict(rule)]
        self._save(doc)
        return rule

    def edit(self, rule_id: str, *, pattern: str | None = None, to_body: bool | None = None) -> SiteRule:
        """Change a rule's pattern (a fingerprint rule becomes a pattern rule) or its direction."""
        rule = self.get(rule_id)
        if pattern is not None:
            check_pattern(pattern)
            rule.kind, rule.value = "pattern", pattern
        if to_body is not None:
            rule.to_body = to_body
        doc = self.state()
        doc["rules"] = [asdict(rule) if r["id"] == rule.id else r for r in doc["rules"]]
        self._save(doc)
        return rule

    def remove(self, rule_id: str) -> SiteRule:
        rule = self.get(rule_id)
        doc = self.state()
        doc["rules"] = [r for r in doc["rules"] if r["id"] != rule.id]
        self._save(doc)
        return rule

    def _save(self, doc: dict[str, Any]) -> None:
        self._file.save(doc)
        self._doc = doc
        self.version += 1


class SiteRulesMixin:
    """`Library` methods for site rules; they use the library's lock, journal and articles."""

    # Provided by Library.
    _lock: Any
    _rules: SiteRuleBook
    _history: Any
    _catalog: Any

    def site_rules(self, site: str | None = None) -> list[SiteRule]:
        """Every site rule, or those of one site key."""
        with self._lock:
            return self._rules.rules(site)

    def site_rule(self, rule_id: str) -> SiteRule:
        with self._lock:
            return self._rules.get(rule_id)

    def article_site(self, article_id: str) -> str:
        """The site key the article's rules are kept under ("" when it has none)."""
        with self._lock:
            return str(self._require(article_id).get("site", ""))  # type: ignore[attr-defined]

    def site_articles(self, site: str) -> list[str]:
        """Ids of the articles a rule of this site applies to."""
        with self._lock:
            return [aid for aid, entry in self._catalog.entries.items() if entry.get("site", "") == site]

    def add_site_rule(
        self, article_id: str, block_index: int, *, pattern: str | None = None, to_body: bool | None = None
    ) -> SiteRule:
        """A rule doing on every article of the article's site what the block shows now (out of the
        body if it is boilerplate here, in the body if it is body here), or `to_body` when given.
        Matched by the block's fingerprint, or by `pattern` when given."""
        from library.annotations.model import now_iso

        with self._lock:
            self._check_writable()  # type: ignore[attr-defined]
            article = self.article(article_id)  # type: ignore[attr-defined]
            if not 0 <= block_index < len(article.blocks):
                raise SiteRuleError(f"article {article_id} has no block {block_index + 1}")
            block = article.blocks[block_index]
            kind, value = ("pattern", pattern) if pattern is not None else ("fingerprint", "")
            if kind == "fingerprint":
                value = block.fingerprint or fingerprint(block.text)
            site = self.article_site(article_id)
            before = self._rules.state()
            rule = self._rules.add(
                site=site,
                kind=kind,
                value=value,
                to_body=block.is_body if to_body is None else to_body,
                label=block.text,
                created=now_iso(),
            )
            self._journal(before, f"site rule {rule.id} for {site}")
            return rule

    def edit_site_rule(
        self, rule_id: str, *, pattern: str | None = None, to_body: bool | None = None
    ) -> SiteRule:
        with self._lock:
            self._check_writable()  # type: ignore[attr-defined]
            before = self._rules.state()
            rule = self._rules.edit(rule_id, pattern=pattern, to_body=to_body)
            self._journal(before, f"edit site rule {rule.id}")
            return rule

    def remove_site_rule(self, rule_id: str) -> SiteRule:
        with self._lock:
            self._check_writable()  # type: ignore[attr-defined]
            before = self._rules.state()
            rule = self._rules.remove(rule_id)
            self._journal(before, f"remove site rule {rule.id}")
            return rule

    def _journal(self, before: dict[str, Any], label: str) -> None:
        try:
            self._history.record(SITE_RULES_CHANGE, before, self._rules.state(), label)
        except OSError as err:  # the rule is saved; only its undo entry is missing
            self._notice(  # type: ignore[attr-defined]
                f"{self._history.path}: could not record the change for undo ({err.strerror or err})"
            )

    def _undo_site_rules(self, change: Any, state: dict[str, Any] | None) -> bool:
        """Restore a journalled rules state when `change` is a rules change (for undo and redo;
        rules states are journalled whole, so `state` is given for them)."""
        if change.article_id != SITE_RULES_CHANGE or state is None:
            return False
        self._rules.restore(state)
        return True
