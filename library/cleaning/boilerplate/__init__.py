"""Telling site boilerplate from article text, one unit (paragraph or line) at a time.

Signals, strongest first:
1. Phrase rules (`rules`): prose boilerplate (donation appeals, disclaimers, newsletter forms).
2. Cross-site detectors (`detectors`): bylines, bios, contact lines, credits, bare URLs, related
   headlines, separators, read from the shape of a line rather than a site's wording.
3. Context and jusText-style heuristics (`heuristics`, measures in `signals`): link density,
   length and stop-word density, then smoothing with neighbours.
4. Repetition: exact repeats inside one article, and across the articles of one site
   (`site_model.apply_site_repetition`, driven by the store).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from library.cleaning.boilerplate.fragments import cut_fragments
    from library.cleaning.boilerplate.heuristics import classify
    from library.cleaning.boilerplate.rules import REASON_FOOTER, RULES, rule_reason
    from library.cleaning.boilerplate.signals import STOP_WORDS, stopword_density
    from library.cleaning.boilerplate.site_model import (
        apply_site_repetition,
        fingerprint,
        normalise_for_fingerprint,
        repetition_threshold,
        site_key,
    )
    from library.model import REASON_CAPTION, REASON_CONTACT, REASON_METADATA

# Each name is loaded from its module when first asked for. Why: the phrase rules and the
# detectors compile about 120 regexes at import (~45 ms), and a command that only applies the
# site rule to one article (`reader show`) needs `site_model` alone.
_HOMES = {
    "cut_fragments": "fragments",
    "classify": "heuristics",
    "REASON_FOOTER": "rules",
    "RULES": "rules",
    "rule_reason": "rules",
    "STOP_WORDS": "signals",
    "stopword_density": "signals",
    "apply_site_repetition": "site_model",
    "fingerprint": "site_model",
    "normalise_for_fingerprint": "site_model",
    "repetition_threshold": "site_model",
    "site_key": "site_model",
}
_FROM_MODEL = ("REASON_CAPTION", "REASON_CONTACT", "REASON_METADATA")


def __getattr__(name: str) -> Any:
    if name in _FROM_MODEL:
        module = "library.model"
    elif name in _HOMES:
        module = f"{__name__}.{_HOMES[name]}"
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # asked once: later lookups are plain module attributes
    return value


__all__ = [
    "REASON_CAPTION",
    "REASON_CONTACT",
    "REASON_FOOTER",
    "REASON_METADATA",
    "RULES",
    "STOP_WORDS",
    "apply_site_repetition",
    "classify",
    "cut_fragments",
    "fingerprint",
    "normalise_for_fingerprint",
    "repetition_threshold",
    "rule_reason",
    "site_key",
    "stopword_density",
]
