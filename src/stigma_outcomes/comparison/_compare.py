"""One call from tidy scores to every comparison statistic: :func:`compare`.

:func:`compare` orchestrates: it validates its settings into one
:class:`~stigma_outcomes.comparison.settings.CompareSettings`, reads and codes the scores once
(:class:`~stigma_outcomes.comparison.table.ScoreTable`), resolves each scale's facts, and
hands them to the design's sections (``_linked``, ``_unlinked_design``) and to the results'
``meta`` (``_compare_meta``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence, Sized
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from .._digest import file_sha256
from ..errors import AnalysisError, InputError, warn_old_name
from ..scoring.result import ScoreResult
from ._compare_meta import results_meta
from ._linked import linked_sections
from ._scores_input import frame_sha256, read_scores
from ._unlinked_design import unlinked_sections
from .group_labels import check_grouping_columns
from .items import scale_items_for
from .pairing import check_waves, pair_waves, valid_scores
from .rci import rci_inputs
from .results import Results
from .scale_facts import ScaleKey, resolve_scale_meta, with_in_sample_reliability
from .settings import CompareSettings, RciReliability
from .small_samples import flag_small_samples
from .table import ScoreTable

RCI_RELIABILITY_CHOICES = tuple(str(c) for c in RciReliability)
"""Where the reliable change index takes its reliability from (see :func:`compare`)."""

__all__ = ["CompareSettings", "compare", "read_scores", "reliable_change_table"]

_UNSET: Any = object()


def compare(
    scores: pd.DataFrame | str | os.PathLike[str] | ScoreResult,
    pre: str | None = None,
    post: str | None = None,
    followup: Sequence[str] = (),
    group_by: str | None = None,
    unlinked: bool = False,
    reliability: Mapping[Any, Any] | None = None,
    direction: Mapping[Any, Any] | None = None,
    registry: Any | None = None,
    keyed_items: pd.DataFrame | None = None,
    *,
    settings: CompareSettings | None = None,
    scale_items: Mapping[ScaleKey, list[str]] | None = None,
    scale_info: Mapping[Any, Any] | str | os.PathLike[str] | None = None,
    clinical_threshold: Mapping[Any, Any] | None = None,
    rci_sd: str = "baseline",
    rci_reliability: str = "auto",
    reference_group: str | None = None,
    covariates: Sequence[str] | None = None,
    min_cell: int = 5,
    input_name: str | None = None,
    pool_by: str | None = None,
    pool_method: str = "REML",
    group_col: str | None = None,
    pool_col: str | None = None,
    threshold: Mapping[Any, Any] | None = None,
) -> Results:
    """Compare waves of tidy scores: paired (or unlinked) statistics, reliable change,
    attrition, and, where the design allows, mixed models, ANCOVA and in-sample reliability.

    The settings are given either as keyword arguments or whole as ``settings``; either way
    they are validated into one :class:`CompareSettings` (its fields are documented there,
    and each has the same name in the evaluation file and on the command line).

    Parameters
    ----------
    scores : ScoreResult, DataFrame or path
        What :func:`~stigma_outcomes.scoring.score` returned (its scores, keyed item responses
        and definitions, all used), tidy scores (SPEC §5), or the path of a scores file
        written by ``score``.
    pre, post : str
        Baseline and post wave.
    followup : sequence of str
        Later waves; each adds a ``pre → followup`` contrast, and with them the mixed model
        ``score ~ wave (× group) + (1 | participant)`` is fitted on all waves.
    group_by : str, optional
        A carried column (arm, site): statistics per level too, ANCOVA between levels.
    unlinked : bool
        Anonymous before/after surveys: analyse the waves as independent samples.
    reliability, direction : mapping, optional
        Overrides as ``{"INSTRUMENT.SCALE": value}``.
    registry : Registry, optional
        Instrument definitions (default: the built-in and environment registry).
    keyed_items : DataFrame, optional
        Keyed item responses from scoring; adds in-sample reliability per scale and wave.
    settings : CompareSettings, optional
        Every setting at once, instead of the keyword arguments.
    scale_items : mapping, optional
        Items of each scale for in-sample reliability (default: the registry's definitions,
        else ``items`` in ``scale_info``, else, for an instrument with one scale, every
        keyed-item column ``<instrument>_<item>``).
    scale_info : mapping or path, optional
        Direction, reliability, cutoff and norms of scales of unknown instruments.
    clinical_threshold : mapping, optional
        ``{"INSTRUMENT.SCALE": value}``: the threshold of the unlinked "share at or beyond".
    rci_sd : {"baseline", "norms"}
        SD of the reliable change index.
    rci_reliability : {"auto", "definition", "in_sample"}
        Reliability of the RCI, per scale. ``"auto"``: a user value (``reliability`` or
        ``scale_info``), else the definition's test-retest r, else its alpha, else the
        in-sample Cronbach's alpha at the ``from`` wave (when ``keyed_items`` are given),
        else none (reliable change undefined). ``"definition"`` stops before the in-sample
        step; ``"in_sample"`` puts the in-sample alpha before the definition's values (needs
        ``keyed_items``). User values always win; ``rci_reliability_source`` names the step.
    reference_group : str, optional
        ANCOVA reference level (default: the first level in R's factor() order, numbers by value).
    covariates : sequence of str, optional
        Extra ANCOVA covariates (carried columns).
    min_cell : int
        The privacy limit: records based on fewer people are computed but flagged
        ``suppress: true``.
    input_name : str, optional
        Name of the input in ``meta.inputs`` when ``scores`` is a DataFrame.
    pool_by : str, optional
        A carried column of sites or cohorts: each scale's change from ``pre`` is computed
        within every level and pooled by random-effects meta-analysis (``pooled`` records:
        raw mean change and standardized mean change, with τ², I² and a prediction
        interval). Levels with fewer than ``min_cell`` pairs are left out. With ``group_by``
        (an arm), sites are compared within each arm. Linked designs.
    pool_method : {"REML", "DL"}
        Estimator of the between-site variance τ² (as metafor's ``rma(method=)``).
    group_col, pool_col, threshold
        Deprecated spellings of ``group_by``, ``pool_by`` and ``clinical_threshold``.

    Returns
    -------
    Results

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({
    ...     "participant_id": [f"p{i}" for i in range(6)] * 2,
    ...     "wave": ["pre"] * 6 + ["post"] * 6, "instrument": "ucla3", "scale": "total",
    ...     "score": [7, 8, 6, 9, 7, 8, 5, 6, 4, 7, 6, 5], "status": "ok"})
    >>> res = compare(df, pre="pre", post="post")
    >>> rec = res.paired[0]
    >>> rec["n_pairs"], rec["mean_change"], rec["improvement_sign"]
    (6, -2.0, -1)
    """
    options = {
        "pre": pre, "post": post, "followup": followup, "group_by": group_by,
        "unlinked": unlinked, "reliability": reliability, "direction": direction,
        "clinical_threshold": clinical_threshold, "rci_sd": rci_sd,
        "rci_reliability": rci_reliability, "reference_group": reference_group,
        "covariates": covariates, "min_cell": min_cell, "pool_by": pool_by,
        "pool_method": pool_method, "group_col": group_col, "pool_col": pool_col,
        "threshold": threshold,
    }  # fmt: skip
    s = _settings(settings, options)
    scores, keyed_items, scale_items, registry = _unpack(
        scores, s, keyed_items, scale_items, registry
    )
    _check_rci_reliability(str(s.rci_reliability), keyed_items)
    scores, fingerprint = _read(scores, input_name)
    try:
        table = _score_table(scores, s)
        keys = table.scales
        meta = resolve_scale_meta(
            keys, registry=registry, reliability=s.reliability or None,
            direction={k: str(v) for k, v in s.direction.items()} or None, scale_info=scale_info,
        )  # fmt: skip
        warnings: list[str] = []
        results = Results()
        if keyed_items is not None:
            from .reliability import in_sample_reliability

            items = (
                dict(scale_items)
                if scale_items
                else scale_items_for(registry, keys, keyed_items, scale_info, warnings)
            )
            results.reliability = in_sample_reliability(keyed_items, items, scores)
            if s.rci_reliability != RciReliability.definition:
                meta = with_in_sample_reliability(
                    meta, results.reliability, s.pre,
                    only_missing=s.rci_reliability == RciReliability.auto,
                )  # fmt: skip
        design = unlinked_sections if s.unlinked else linked_sections
        design(table, s, meta, results, warnings)
        family = results.unlinked if s.unlinked else results.paired
    except BaseException:
        fingerprint.exception()  # the thread reads the scores: let it finish before leaving
        raise
    inputs = fingerprint.result()
    results.meta = results_meta(s, table, meta, inputs, family, warnings)
    flag_small_samples(results, s.min_cell)
    # Undefined is None everywhere (NaN and infinities included), as in the JSON.
    return Results(meta=results.meta, **dict(results.sections()))


def _settings(given: CompareSettings | None, options: dict[str, Any]) -> CompareSettings:
    """The settings object given, or the keyword options validated into one."""
    if given is None:
        return CompareSettings.build("compare()", **options)
    defaults = {"followup": (), "unlinked": False, "rci_sd": "baseline",
                "rci_reliability": "auto", "min_cell": 5, "pool_method": "REML"}  # fmt: skip
    passed = [
        k
        for k, v in options.items()
        if v is not None and v != defaults.get(k) and not (isinstance(v, Sized) and not len(v))
    ]
    if passed or not isinstance(given, CompareSettings):
        raise InputError(
            "give the settings either whole (settings=CompareSettings(...)) or as keyword "
            f"arguments, not both (also given: {', '.join(passed) or 'a non-settings object'})",
            where="compare()",
            fix="move them into the CompareSettings object",
        )
    return given


def _unpack(
    scores: Any,
    settings: CompareSettings,
    keyed_items: pd.DataFrame | None,
    scale_items: Mapping[ScaleKey, list[str]] | None,
    registry: Any | None,
) -> tuple[Any, pd.DataFrame | None, Mapping[ScaleKey, list[str]] | None, Any]:
    """A ``ScoreResult`` carries all that scoring knows: scores, keyed items, definitions."""
    from ..instruments.registry import Registry

    registry = registry if registry is not None else Registry()
    if isinstance(scores, ScoreResult):
        scored = scores
        scores = scored.scores
        if keyed_items is None and not settings.unlinked:
            keyed_items = scored.keyed_items
        if scale_items is None:
            scale_items = {
                (i.id, s.id): list(s.items) for i in scored.instruments for s in i.scales
            }
        # the definitions actually scored (a user's own included) are known by id
        registry.resolve(scored.instruments)
    return scores, keyed_items, scale_items, registry


def _read(scores: Any, input_name: str | None) -> tuple[pd.DataFrame, Future[list[dict[str, str]]]]:
    """The scores as a frame, and (to come) the input's name and fingerprint for ``meta.inputs``.

    A frame's fingerprint hashes every value (half a gigabyte at a million rows): it is
    worked out on a thread of its own while the comparison runs (hashing and most of numpy
    let go of the interpreter lock), and read at the end. Nothing here changes the frame.
    """
    if isinstance(scores, str | os.PathLike):
        frame = read_scores(scores)
        done: Future[list[dict[str, str]]] = Future()
        done.set_result([{"name": Path(scores).name, "sha256": file_sha256(scores)}])
        return frame, done
    if not isinstance(scores, pd.DataFrame):
        raise InputError("scores must be a DataFrame or the path of a scores file")
    name = input_name or "scores (DataFrame)"
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scores-fingerprint")
    pending = pool.submit(lambda: [{"name": name, "sha256": frame_sha256(scores)}])
    pool.shutdown(wait=False)  # no further work; its one task runs to the end
    return scores, pending


def _score_table(scores: pd.DataFrame, s: CompareSettings) -> ScoreTable:
    """The scores checked, coded once, and their grouping columns checked for privacy."""
    for key in ("participant_id", "wave", "instrument", "scale"):
        # A scored row always has these; one without came from an edited or damaged file.
        if key in scores.columns and scores[key].isna().any():
            raise InputError(
                f"{int(scores[key].isna().sum())} row(s) of the scores table have no {key}",
                where=f"scores table, column '{key}'",
                fix="give the scores file written by 'score' or 'run', unedited",
            )
    # Group labels are published: refuse a column that identifies people (group_labels.py),
    # before any of its values is coded.
    check_grouping_columns(scores, {"group column": s.group_by, "pooling column": s.pool_by})
    columns = [*s.covariates, *([s.pool_by] if s.pool_by else [])]
    table = ScoreTable.from_scores(scores, s.group_by, columns)
    check_waves(scores, s.waves, s.wave_names)
    if table.empty:
        raise AnalysisError(
            "no usable scores: every row has a status other than 'ok' or no score",
            where=f"{len(scores)} rows of the scores table",
            fix="check the scoring ledger for why nothing was scored",
        )
    for wave in s.waves:
        if not table.has_wave(wave):
            raise AnalysisError(
                f"wave '{wave}' has no usable scores (all missing or not 'ok')",
                where="scores table, column 'status'",
                fix="check the scoring ledger for that wave, or leave the wave out",
            )
    return table


def reliable_change_table(
    scores: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    *,
    group_by: str | None = None,
    reliability: Mapping[Any, Any] | None = None,
    direction: Mapping[Any, Any] | None = None,
    registry: Any | None = None,
    scale_info: Mapping[Any, Any] | str | os.PathLike[str] | None = None,
    rci_sd: str = "baseline",
    rci_reliability: str = "auto",
    keyed_items: pd.DataFrame | None = None,
    scale_items: Mapping[ScaleKey, list[str]] | None = None,
    group_col: str | None = None,
) -> pd.DataFrame:
    """Per-participant reliable change between two waves, one row per pair.

    Uses the same yardsticks as :func:`compare` (reliability chain and SD, with their
    sources; the in-sample alpha at ``from_wave`` needs ``keyed_items``); see
    :func:`stigma_outcomes.comparison.rci.participant_rci` for the columns.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"participant_id": ["a", "b", "c", "a", "b", "c"],
    ...     "wave": ["pre"] * 3 + ["post"] * 3, "instrument": "ucla3", "scale": "total",
    ...     "score": [9.0, 6.0, 3.0, 3.0, 6.0, 4.0], "status": "ok"})
    >>> reliable_change_table(df, "pre", "post")["reliable_change"].tolist()
    ['improved', 'no_change', 'no_change']
    """
    from ..instruments.registry import Registry
    from .rci import participant_rci

    if group_col is not None:
        warn_old_name("group_col", "group_by")
        group_by = group_by or group_col
    _check_rci_reliability(rci_reliability, keyed_items)
    valid = valid_scores(scores, group_by)
    check_waves(scores, [from_wave, to_wave], "from_wave / to_wave")
    keys = [tuple(k) for k in valid.attrs["scales"]]
    reg = registry if registry is not None else Registry()
    meta = resolve_scale_meta(
        keys, registry=reg, reliability=reliability, direction=direction, scale_info=scale_info
    )
    if keyed_items is not None and rci_reliability != "definition":
        from .reliability import in_sample_reliability

        items = (
            dict(scale_items)
            if scale_items
            else scale_items_for(reg, keys, keyed_items, scale_info)
        )
        records = in_sample_reliability(keyed_items, items, scores)
        meta = with_in_sample_reliability(
            meta, records, str(from_wave), only_missing=rci_reliability == "auto"
        )
    pairs = pair_waves(valid, str(from_wave), str(to_wave), group_by)
    return participant_rci(pairs, rci_inputs(valid, str(from_wave), meta, rci_sd), meta)


def _check_rci_reliability(rci_reliability: str, keyed_items: pd.DataFrame | None) -> None:
    if rci_reliability not in RCI_RELIABILITY_CHOICES:
        raise InputError(
            f"rci_reliability must be one of {', '.join(RCI_RELIABILITY_CHOICES)}, "
            f"got {rci_reliability!r}",
            fix="use 'auto' (user value, definition, then in-sample alpha), 'definition' or "
            "'in_sample'",
        )
    if rci_reliability == "in_sample" and keyed_items is None:
        raise InputError(
            "in-sample reliability for reliable change needs the keyed item responses",
            fix="pass keyed_items (from the scoring result) or use rci_reliability='auto'",
        )
