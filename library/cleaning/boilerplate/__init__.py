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
