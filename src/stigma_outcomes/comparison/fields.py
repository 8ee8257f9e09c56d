"""Deprecated: the meanings of results fields now live in the record models.

Each section's model in :mod:`stigma_outcomes.comparison.records` declares every field's
type, requiredness and meaning; the tables below are read from those models (kept so code
importing them keeps working) and are not a second source.
"""

from __future__ import annotations

from .records import KEY_DOCS, SECTION_MODELS, fields_markdown
from .records.plans import PILOT_PLAN_DOCS, PLAN_DOCS

SECTION_DOCS: dict[str, dict[str, str]] = {
    section: {name: str(info.description) for name, info in model.model_fields.items()}
    for section, model in SECTION_MODELS.items()
}
"""Every section's fields and their meanings, read from the models."""

PAIRED_DOCS = SECTION_DOCS["paired"]
UNLINKED_DOCS = SECTION_DOCS["unlinked"]
ATTRITION_DOCS = SECTION_DOCS["attrition"]
MIXED_DOCS = SECTION_DOCS["mixed_models"]
ANCOVA_DOCS = SECTION_DOCS["ancova"]
RELIABILITY_DOCS = SECTION_DOCS["reliability"]
POOLED_DOCS = SECTION_DOCS["pooled"]
MODEL_SECTION_DOCS = {
    s: SECTION_DOCS[s] for s in ("mixed_models", "ancova", "reliability", "pooled")
}

__all__ = [
    "ANCOVA_DOCS",
    "ATTRITION_DOCS",
    "KEY_DOCS",
    "MIXED_DOCS",
    "MODEL_SECTION_DOCS",
    "PAIRED_DOCS",
    "PILOT_PLAN_DOCS",
    "PLAN_DOCS",
    "POOLED_DOCS",
    "RELIABILITY_DOCS",
    "SECTION_DOCS",
    "UNLINKED_DOCS",
    "fields_markdown",
]
