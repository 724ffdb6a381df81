"""Which article an id names: one rule for the command line (`annotate`, `show`, `tag`) and imports.

An exact full id wins, then an external id held by exactly one article, then other exact keys
(origin file name, the number in `article<N>.txt`, URL), then a unique prefix of the hex id. A key
that several articles answer to is refused with the candidates listed, never guessed: six articles
with external id `1` and one whose hex id starts with `1` make `1` ambiguous.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from library.errors import AmbiguousId as _AmbiguousId


class AmbiguousId(_AmbiguousId, KeyError):
    """A key that names more than one article; `candidates` lists them (full ids).

    Bad input in the error family (`library.errors.AmbiguousId`), and also a KeyError so that
    callers of `Library.resolve_id` that catch "not found" see it too."""

    def __init__(self, key: str, candidates: Sequence[str], how: str = "") -> None:
        self.key = key
        shown = sorted(candidates)
        listed = ", ".join(shown[:8]) + (" …" if len(shown) > 8 else "")
        what = f" ({how})" if how else ""
        super().__init__(f"{key!r} is ambiguous: it matches {len(shown)} articles{what}: {listed}", shown)

    def __str__(self) -> str:
        return str(self.args[0])


def resolve_article_id(
    key: str,
    ids: Collection[str],
    external: Mapping[str, Sequence[str]],
    other_keys: Mapping[str, Sequence[str]] | None = None,
) -> str | None:
    """The full id `key` names, None when it names none; raises AmbiguousId when it names several.

    `ids`: every full id; `external`: external id -> full ids holding it; `other_keys`: further
    exact keys (file names, URLs) -> full ids."""
    key = key.strip()
    if not key:
        return None
    if key in ids:
        return key
    by_external = list(dict.fromkeys(external.get(key, ())))
    if len(by_external) == 1:
        return by_external[0]
    if len(by_external) > 1:
        raise AmbiguousId(key, by_external, "external id")
    by_other = list(dict.fromkeys((other_keys or {}).get(key, ())))
    if len(by_other) == 1:
        return by_other[0]
    if len(by_other) > 1:
        raise AmbiguousId(key, by_other, "file name or URL")
    low = key.lower()
    prefixed = [aid for aid in ids if aid.startswith(low)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        raise AmbiguousId(key, prefixed, "id prefix; give more of the id")
    return None
