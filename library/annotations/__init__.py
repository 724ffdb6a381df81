"""Annotations: the highlight/tag model, anchoring, editing rules and agreement."""
