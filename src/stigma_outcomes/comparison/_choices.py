"""The choices of a comparison's settings, as enums (no pydantic, no numerics).

Apart from :mod:`.settings` so that the command line can offer them as choices without
loading pydantic when it starts; :class:`~.settings.CompareSettings` uses and re-exports them.
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
