"""The choices of a comparison's settings, as enums, and what each setting means (no pydantic,
no numerics).

Apart from :mod:`.settings` so that the command line can offer them as choices, and print
each setting's meaning as its option's help, without loading pydantic when it starts;
:class:`~.settings.CompareSettings` uses and re-exports the enums and takes its field
descriptions from :data:`DESCRIPTIONS`, so the API, the evaluation file's schema and
``stigma-outcomes compare --help`` say the same thing.
"""

from __future__ import annotations

from enum import StrEnum


class RciSd(StrEnum):
    """SD of the reliable change index."""

    baseline = "baseline"
    norms = "norms"


class RciReliability(StrEnum):
    """Where the reliable change index takes its reliability from."""

    auto = "auto"
    definition = "definition"
    in_sample = "in_sample"


class PoolMethod(StrEnum):
    """Estimator of the between-site variance τ² (as metafor ``rma(method=)``)."""

    REML = "REML"
    DL = "DL"


class Direction(StrEnum):
    """Whether a higher score means things are better or worse."""

    higher_is_worse = "higher_is_worse"
    higher_is_better = "higher_is_better"


DESCRIPTIONS: dict[str, str] = {
    "pre": "Baseline wave.",
    "post": "Post wave.",
    "followup": "Later waves: each adds a pre → follow-up contrast, and with them the mixed "
    "model score ~ wave (× group) + (1 | participant) is fitted on all waves.",
    "unlinked": "Anonymous surveys whose waves cannot be linked: compare the waves as "
    "independent samples.",
    "group_by": "Grouping column (arm, site) carried with the scores: statistics per level "
    "too, ANCOVA and the mixed model's group × wave terms between levels.",
    "reference_group": "The comparison (reference) group of the ANCOVA and mixed model "
    "(default: the first level in R's factor() order).",
    "covariates": "Extra baseline covariates (carried columns) of the ANCOVA.",
    "pool_by": "Column of sites or cohorts: each site's change is pooled across sites by "
    "random-effects meta-analysis, with heterogeneity and a forest plot (linked designs). "
    "With a grouping column, sites are compared within each group (arm), never across arms.",
    "pool_method": "Estimator of the between-site variance (tau squared): REML or DL.",
    "reliability": "Reliability r of a scale (INSTRUMENT.SCALE) for the reliable change "
    "index, overriding its definition's (e.g. ismi29.total at 0.90).",
    "direction": "Direction of a scale (INSTRUMENT.SCALE) of an instrument the registry does "
    "not know: higher_is_better or higher_is_worse.",
    "clinical_threshold": "Clinical threshold of a scale (INSTRUMENT.SCALE): unlinked designs "
    "report the share of people at it or past it on the better side before and after (score "
    ">= it where higher is better, score <= it where higher is worse; without it, the "
    "definition's cut-off counts those outside its clinical range). A score, never a privacy "
    "limit.",
    "rci_reliability": "Where the RCI's reliability comes from when not overridden: 'auto' "
    "takes the definition's test-retest r, else its alpha, else this sample's Cronbach's "
    "alpha at the first wave; 'definition' never uses the sample; 'in_sample' prefers this "
    "sample's alpha at the first wave.",
    "rci_sd": "SD of the RCI: this sample at baseline, or published norms.",
    "min_cell": "Privacy limit: records resting on fewer people are computed but flagged "
    "'suppress' (and hidden from reports); sites with fewer pairs are not pooled.",
}
"""What each setting of :class:`~.settings.CompareSettings` means, by field name."""
