"""Comparison statistics (SPEC §6): from tidy scores to results a researcher can defend.

The entry point is :func:`compare`; its output is a :class:`Results` (JSON layout and field
names of SPEC §6). The building blocks are public too: pairing, paired statistics, reliable
change, unlinked designs, attrition and multiplicity adjustment, each in its own module.
"""

from .combine import pool_results
from .compare import compare, read_scores, reliable_change_table
from .meta import ScaleMeta, resolve_scale_meta, scale_meta_from_definition
from .multiplicity import p_adjust
from .power import SamplePlan, plan_sample_size
from .rci import participant_rci
from .results import Results, results_json_schema

__all__ = [
    "Results",
    "SamplePlan",
    "ScaleMeta",
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
