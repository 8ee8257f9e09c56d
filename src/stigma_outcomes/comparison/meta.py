"""Deprecated module path: scale facts now live in :mod:`.scale_facts`.

The name ``meta`` meant three things (this module's scale facts, ``Results.meta`` and
meta-analysis); the scale facts moved to ``comparison/scale_facts.py``, ``Results.meta`` is
:class:`~stigma_outcomes.comparison.records.ResultsMeta`, and meta-analysis is
``comparison/pooling.py``. Everything importable from here before still is.
"""

from __future__ import annotations

from .scale_facts import *  # noqa: F403
from .scale_facts import (  # noqa: F401  (private helpers some callers import)
    DIRECTIONS,
    OPERATORS,
    ScaleKey,
    ScaleMeta,
    load_scale_info,
    parse_assignments,
    resolve_scale_meta,
    scale_meta_from_definition,
    with_in_sample_reliability,
)
