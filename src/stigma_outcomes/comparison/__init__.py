"""Comparison statistics (SPEC §6): from tidy scores to results a researcher can defend.

The entry point is :func:`compare`, whose settings are one :class:`CompareSettings`; its
output is a :class:`Results` whose records the models of :mod:`.records` declare. The
building blocks are public too: the score table, pairing, paired statistics, reliable
change, unlinked designs, attrition and multiplicity adjustment, each in its own module.
Names are loaded on first use, so importing this package (e.g. for :class:`CompareSettings`
in the evaluation file or the command line) loads no numerical library.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

_EXPORTS = {
    "CompareSettings": ".settings",
    "PoolMethod": "._choices",
    "RciReliability": "._choices",
    "RciSd": "._choices",
    "Results": ".results",
    "SamplePlan": ".power",
    "ScaleMeta": ".scale_facts",
    "ScoreTable": ".table",
    "compare": "._compare",
    "p_adjust": ".multiplicity",
    "participant_rci": ".rci",
    "plan_sample_size": ".power",
    "pool_results": ".combine",
    "read_scores": "._compare",
    "reliable_change_table": "._compare",
    "resolve_scale_meta": ".scale_facts",
    "results_json_schema": ".records",
    "scale_meta_from_definition": ".scale_facts",
}

__all__ = [
    "CompareSettings",
    "PoolMethod",
    "RciReliability",
    "RciSd",
    "Results",
    "SamplePlan",
    "ScaleMeta",
    "ScoreTable",
    "compare",
    "p_adjust",
    "participant_rci",
    "plan_sample_size",
    "pool_results",
    "read_scores",
    "reliable_change_table",
    "resolve_scale_meta",
    "results_json_schema",
    "scale_meta_from_definition",
]

if TYPE_CHECKING:  # static analysis (type checkers, the docs site) sees the real names
    from ._choices import PoolMethod, RciReliability, RciSd
    from ._compare import compare, read_scores, reliable_change_table
    from .combine import pool_results
    from .multiplicity import p_adjust
    from .power import SamplePlan, plan_sample_size
    from .rci import participant_rci
    from .records import results_json_schema
    from .results import Results
    from .scale_facts import ScaleMeta, resolve_scale_meta, scale_meta_from_definition
    from .settings import CompareSettings
    from .table import ScoreTable


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
