"""``Results.meta`` of a comparison: what was run, on what, and what to know about it.

Private to :func:`stigma_outcomes.comparison.compare`. The keys of ``meta.settings`` are
the results layout's (``group_by``, ``pool_by``, ``min_cell``, ``thresholds``), read by the
report (through :func:`~.records.meta.run_settings`, which also reads the old names
``group_col`` and ``pool_col``); :class:`~stigma_outcomes.comparison.settings.CompareSettings`
names the clinical thresholds ``clinical_threshold``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .._version import __version__
from .multiplicity import FAMILY_DESCRIPTION, UNLINKED_FAMILY_DESCRIPTION
from .records import RESULTS_SCHEMA_VERSION
from .scale_facts import ScaleKey, ScaleMeta
from .settings import CompareSettings
from .table import ScoreTable


def _family_size(records: Sequence[Mapping[str, Any]]) -> int:
    return int(np.isfinite(np.array([r["p_t"] for r in records], dtype=float)).sum())


def results_meta(
    settings: CompareSettings,
    table: ScoreTable,
    meta: Mapping[ScaleKey, ScaleMeta],
    inputs: list[dict[str, str]],
    family: Sequence[Mapping[str, Any]],
    warnings: list[str],
) -> dict[str, Any]:
    """The ``meta`` object (layout: :class:`~.records.ResultsMeta`)."""
    s = settings
    not_computed: list[str] = []
    if s.unlinked:
        not_computed.append(
            "attrition, mixed models and ANCOVA: they need participants linked across "
            "waves, and these data were analysed as unlinked"
        )
        if s.pool_by is not None:
            not_computed.append("pooling across sites: built for linked (paired) designs only")
    return {
        "package": "stigma_outcomes",
        "version": __version__,
        "schema_version": RESULTS_SCHEMA_VERSION,
        "inputs": inputs,
        "settings": {
            "pre": s.pre,
            "post": s.post,
            "followup": list(s.followup),
            "design": "unlinked" if s.unlinked else "linked",
            "group_by": s.group_by,
            "group_levels": table.group_levels,
            "reference_group": s.reference_group,
            "covariates": list(s.covariates),
            "min_cell": s.min_cell,
            "pool_by": s.pool_by,
            "pool_method": str(s.pool_method) if s.pool_by is not None else None,
            "confidence_level": 0.95,
            "rci_sd": str(s.rci_sd),
            "rci_reliability": str(s.rci_reliability),
            "rci_critical_value": 1.96,
            "reliability_overrides": {
                f"{k[0]}.{k[1]}": v.reliability
                for k, v in meta.items()
                if v.reliability_source == "user override"
            },
            "thresholds": dict(s.clinical_threshold),
        },
        "multiplicity": {
            "methods": ["holm", "BH"],
            "family": UNLINKED_FAMILY_DESCRIPTION if s.unlinked else FAMILY_DESCRIPTION,
            "family_size": _family_size(family),
        },
        "scales": [
            {
                "instrument": m.instrument,
                "scale": m.scale,
                "direction": m.direction,
                "reliability": m.reliability,
                "reliability_source": m.reliability_source,
            }
            for m in meta.values()
        ],
        "wave_counts": table.cells(list(s.waves)),
        "warnings": warnings,
        "not_computed": not_computed,
    }
