"""Pooling programmes or sites that were analysed separately, from their results files.

When each programme runs its own evaluation (its own exports, its own participant codes),
a coordinator holds one results file per programme rather than one scores table with a site
column. :func:`pool_results` takes each file's whole-sample paired records as one study,
labels them by their source, and pools them with the random-effects model of
:mod:`.pooling`, exactly as ``compare(pool_col=...)`` pools sites of one dataset.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._version import __version__
from ..errors import AnalysisError, InputError, warn_old_name
from .pooling import pool_paired
from .records import RESULTS_SCHEMA_VERSION
from .results import Results

SOURCE_COLUMN = "source"
"""The ``pooled_over`` and ``group_column`` of records pooled from separate results."""


def _load(item: Any, position: int) -> tuple[Results, str, dict[str, Any]]:
    if isinstance(item, Results):
        return item, f"source {position}", {"name": f"source {position} (Results)"}
    if isinstance(item, dict):
        return Results.from_dict(item), f"source {position}", {"name": f"source {position}"}
    if isinstance(item, str | os.PathLike):
        from .._digest import file_sha256

        path = Path(item)
        if not path.is_file():
            raise InputError(
                f"results file not found: {path}",
                fix="give the results JSON written by 'compare' or 'run' for each programme",
            )
        return Results.read_json(path), path.stem, {"name": path.name, "sha256": file_sha256(path)}
    raise InputError(
        f"cannot pool a {type(item).__name__}",
        fix="give Results objects, their dicts, or paths of results JSON files",
    )


def pool_results(
    results: Sequence[Any],
    labels: Sequence[str] | None = None,
    *,
    min_cell: int = 5,
    pool_method: str = "REML",
    effects: Sequence[str] = ("mean_change", "smcr"),
    method: str | None = None,
) -> Results:
    """Pool the whole-sample paired change of separately analysed programmes.

    Parameters
    ----------
    results : sequence of Results, dict or path
        One results object or results JSON file per programme (or site, or cohort).
    labels : sequence of str, optional
        A name for each source; by default each file's name without its suffix
        (``source 1``, ``source 2``, ... for objects).
    min_cell : int
        Sources with fewer pairs for a scale are neither pooled nor shown.
    pool_method : {"REML", "DL"}
        Estimator of the between-source variance τ² (as ``compare(pool_method=)``).
    effects : sequence of {"mean_change", "smcr"}
        Effect sizes to pool.
    method : {"REML", "DL"}, optional
        Old name of ``pool_method`` (deprecated).

    Returns
    -------
    Results
        ``paired``: each source's whole-sample records, with ``group_column`` "source" and
        ``group`` its label; ``pooled``: one record per scale × contrast × effect that at
        least two sources share (fields as for ``compare(pool_by=...)``, ``pooled_over``
        "source").

    Examples
    --------
    >>> rec = {"design": "linked", "instrument": "x", "scale": "t", "group": None,
    ...        "from_wave": "pre", "to_wave": "post", "n_pairs": 40, "pre_mean": 10.0,
    ...        "pre_sd": 2.0, "post_mean": 9.0, "post_sd": 2.0, "sd_change": 1.5,
    ...        "improvement_sign": -1, "suppress": False}
    >>> a, b = {"meta": {}, "paired": [rec]}, {"meta": {}, "paired": [{**rec, "post_mean": 8.0}]}
    >>> pooled = pool_results([a, b], ["north", "south"], effects=["mean_change"]).pooled
    >>> pooled[0]["k"], round(pooled[0]["estimate"], 2)
    (2, -1.5)
    """
    if method is not None:
        if pool_method not in ("REML", method):
            raise InputError(
                "give 'pool_method' or its old name 'method', not both",
                where="pool_results",
            )
        warn_old_name("method", "pool_method")
        pool_method = method
    if len(results) < 2:
        raise InputError(
            f"pooling needs results of at least two programmes; got {len(results)}",
            fix="give one results file per programme, site or cohort",
        )
    loaded = [_load(item, i + 1) for i, item in enumerate(results)]
    names = list(labels) if labels is not None else [name for _, name, _ in loaded]
    if len(names) != len(loaded):
        raise InputError(
            f"{len(names)} labels were given for {len(loaded)} results",
            fix="give one label per results file, in the same order",
        )
    if len(set(names)) != len(names):
        raise InputError(
            f"the sources must have distinct names; got {names}",
            fix="give labels=[...] (or --label) naming each programme once",
        )
    studies = [
        {**rec, "group_column": SOURCE_COLUMN, "group": name}
        for (res, _, _), name in zip(loaded, names, strict=True)
        for rec in res.paired
        if rec.get("group") is None
    ]
    if not studies:
        raise AnalysisError(
            "none of the results holds whole-sample paired records to pool",
            fix="pool results of linked (paired) analyses; unlinked designs are not pooled",
        )
    pooled = pool_paired(
        studies, by=SOURCE_COLUMN, min_cell=min_cell, method=pool_method, effects=tuple(effects)
    )
    meta = {
        "package": "stigma_outcomes",
        "version": __version__,
        "schema_version": RESULTS_SCHEMA_VERSION,
        "inputs": [info for _, _, info in loaded],
        "settings": {
            "pool_by": SOURCE_COLUMN,
            "pool_method": pool_method,
            "min_cell": min_cell,
            "sources": names,
            "design": "linked",
        },
        "warnings": [],
    }
    return Results(paired=studies, pooled=pooled, meta=meta)
