"""One call from tidy scores to every comparison statistic: :func:`compare`."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..errors import AnalysisError, InputError
from ..scoring.result import ScoreResult
from ._scores_input import file_sha256, frame_sha256, read_scores
from .attrition import attrition_records, wave_counts
from .group_labels import check_grouping_columns
from .items import scale_items_for
from .meta import ScaleKey, ScaleMeta, resolve_scale_meta, with_in_sample_reliability
from .multiplicity import FAMILY_DESCRIPTION, UNLINKED_FAMILY_DESCRIPTION, p_adjust
from .paired import cell_reductions, finish_paired
from .pairing import (
    Pairs,
    check_waves,
    group_levels,
    pair_waves,
    regroup,
    scale_table,
    valid_scores,
    wave_mask,
)
from .rci import RciInput, rci_cell_counts, rci_inputs, rci_record_fields
from .records import RESULTS_SCHEMA_VERSION
from .results import Results
from .small_samples import flag_small_samples, too_few
from .unlinked import unlinked_fields

RCI_RELIABILITY_CHOICES = ("auto", "definition", "in_sample")
"""Where the reliable change index takes its reliability from (see :func:`compare`)."""

__all__ = ["compare", "read_scores", "reliable_change_table"]


def _key_fields(design: str, instrument: str, scale: str, group_col: str | None,
                group: str | None, from_wave: str, to_wave: str) -> dict[str, Any]:  # fmt: skip
    return {
        "design": design,
        "instrument": instrument,
        "scale": scale,
        "group_column": group_col if group is not None else None,
        "group": group,
        "from_wave": from_wave,
        "to_wave": to_wave,
    }


def _paired_section(
    pairs: Pairs,
    meta: Mapping[ScaleKey, ScaleMeta],
    inputs: Mapping[ScaleKey, RciInput],
    group_col: str | None,
    levels: Sequence[str],
    min_cell: int,
) -> list[dict[str, Any]]:
    """Paired + reliable-change records of one contrast: whole sample, then each group."""
    scales = list(zip(pairs.scales["instrument"], pairs.scales["scale"], strict=True))
    sign = np.array([meta[(i, s)].improvement_sign for i, s in scales], dtype=float)
    layouts: list[tuple[np.ndarray, np.ndarray, list[tuple[int, str | None]]]] = []
    everyone = np.ones(len(pairs), dtype=bool)
    layouts.append((everyone, pairs.scale_code, [(k, None) for k in range(len(scales))]))
    if group_col is not None and pairs.group_code is not None:
        gcode = pairs.group_code
        has = gcode >= 0
        cell = pairs.scale_code[has] * len(levels) + gcode[has]
        cells = [(k, lv) for k in range(len(scales)) for lv in levels]
        layouts.append((has, cell, cells))
    records: list[dict[str, Any]] = []
    for mask, cell, names in layouts:
        n_cells = len(names)
        cell_sign = np.array([sign[k] for k, _ in names])
        red = cell_reductions(cell, n_cells, pairs.pre[mask], pairs.post[mask], cell_sign)
        sub = pairs.subset(mask)
        counts = rci_cell_counts(cell, n_cells, sub, inputs, meta)
        for i, (k, level) in enumerate(names):
            key = (str(scales[k][0]), str(scales[k][1]))
            rec = _key_fields("linked", *key, group_col, level, pairs.from_wave, pairs.to_wave)
            rec.update(finish_paired(red, i, int(sign[k])))
            note = rec.pop("note")
            inp = inputs.get(key)
            rec.update(rci_record_fields(counts, i, inp))
            notes = [n for n in (note, inp.note if inp else None) if n]
            rec["suppress"] = bool(rec["n_pairs"] < min_cell)
            notes.extend(too_few(rec, rec["n_pairs"], min_cell, "pairs"))
            rec["note"] = "; ".join(notes) or None
            records.append(rec)
    # one block per scale: the whole sample first, then its groups in R's factor() order
    records.sort(key=lambda r: (r["instrument"], r["scale"], r["group"] is not None))
    return records


def _unlinked_section(
    valid: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    meta: Mapping[ScaleKey, ScaleMeta],
    group_col: str | None,
    levels: Sequence[str],
    threshold: Mapping[ScaleKey, float],
    min_cell: int,
    id_note: str | None,
) -> list[dict[str, Any]]:
    """Unlinked records of one contrast: each scale's whole sample, then its groups."""
    records: list[dict[str, Any]] = []
    # integer codes of valid_scores: one split by scale, no text compared per cell
    at_from, at_to = wave_mask(valid, from_wave), wave_mask(valid, to_wave)
    rows = np.flatnonzero(at_from | at_to)
    scale = valid["_scale"].to_numpy()[rows]
    rows = rows[np.argsort(scale, kind="stable")]
    codes, starts = np.unique(valid["_scale"].to_numpy()[rows], return_index=True)
    stops = [*starts[1:], len(rows)]
    table = scale_table(valid)
    score = valid["score"].to_numpy(dtype=float)
    group = valid["_group"].to_numpy() if group_col else None
    groups: list[str | None] = [None, *levels] if group_col else [None]
    for code, start, stop in zip(codes, starts, stops, strict=True):
        key = (str(table.at[code, "instrument"]), str(table.at[code, "scale"]))
        scale_rows = rows[start:stop]
        for level in groups:
            cell = scale_rows
            if level is not None and group is not None:
                cell = scale_rows[group[scale_rows] == list(levels).index(level)]
            rec = _key_fields("unlinked", *key, group_col, level, from_wave, to_wave)
            cut, operator, cut_note = _share_threshold(meta[key], threshold.get(key))
            fields = unlinked_fields(
                score[cell[at_from[cell]]], score[cell[at_to[cell]]],
                meta[key].improvement_sign, cut, operator,
            )  # fmt: skip
            note = "; ".join(n for n in (fields.pop("note"), cut_note) if n) or None
            rec.update(fields)
            smallest = min(rec["n_before"], rec["n_after"])
            rec["suppress"] = bool(smallest < min_cell)
            few = too_few(rec, smallest, min_cell, "respondents at a wave")
            rec["note"] = "; ".join(n for n in (note, id_note, *few) if n) or None
            records.append(rec)
    return records


_OUTSIDE = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
"""The complement of each clinical-range operator: the rule for "outside the range"."""


def _share_threshold(
    meta: ScaleMeta, given: float | None
) -> tuple[float | None, str | None, str | None]:
    """Threshold, rule and note for the unlinked share: the user's, else the clinical cutoff.

    Without a user threshold, a scale whose definition (or scale-info) has a clinical cutoff
    on its worse side counts the share *outside* the clinical range, so anonymous surveys
    still say how many people were out of the clinical range before and after.
    """
    if given is not None:
        return given, None, None
    cutoff, op = meta.clinical_cutoff, meta.clinical_cutoff_operator
    if cutoff is None or op not in _OUTSIDE:
        return None, None, None
    worse_side = op.startswith(">") if meta.improvement_sign < 0 else op.startswith("<")
    if not worse_side:
        return None, None, None
    source = f" ({meta.clinical_cutoff_source})" if meta.clinical_cutoff_source else ""
    return (
        cutoff,
        _OUTSIDE[op],
        f"threshold: outside the clinical range score {op} {cutoff:g}{source}",
    )


def _adjust_p_t(records: list[dict[str, Any]]) -> None:
    """Add Holm and BH adjusted ``p_t`` over one family (all the records given)."""
    p = np.array([r["p_t"] for r in records], dtype=float)
    for rec, holm, bh in zip(records, p_adjust(p, "holm"), p_adjust(p, "BH"), strict=True):
        rec["p_t_holm"] = float(holm)
        rec["p_t_bh"] = float(bh)


def _family_size(records: Sequence[Mapping[str, Any]]) -> int:
    return int(np.isfinite(np.array([r["p_t"] for r in records], dtype=float)).sum())


def _model_frame(valid: pd.DataFrame, group_col: str | None, extra: Sequence[str]) -> pd.DataFrame:
    """The valid scores for the model fits, key columns as categoricals built from codes.

    The mixed model and the ANCOVA work on integer codes of the key columns; handing them
    categoricals made from the codes :func:`valid_scores` already has saves each fit from
    hashing millions of ID strings again.
    """
    pid = valid["_pid"].to_numpy()
    first = np.unique(pid, return_index=True)[1]  # codes are 0..n−1 in order of appearance
    pid_labels = valid["participant_id"].to_numpy()[first]
    scales = valid.attrs["scales"]
    inst_labels = sorted({inst for inst, _ in scales})
    scale_labels = sorted({scale for _, scale in scales})
    inst_of = np.array([inst_labels.index(inst) for inst, _ in scales], dtype=np.int64)
    scale_of = np.array([scale_labels.index(scale) for _, scale in scales], dtype=np.int64)
    code = valid["_scale"].to_numpy()
    frame = pd.DataFrame(
        {
            "participant_id": pd.Categorical.from_codes(pid, categories=pid_labels),
            "wave": pd.Categorical.from_codes(valid["_wave"], categories=valid.attrs["waves"]),
            "instrument": pd.Categorical.from_codes(inst_of[code], categories=inst_labels),
            "scale": pd.Categorical.from_codes(scale_of[code], categories=scale_labels),
            "score": valid["score"].to_numpy(),
            "status": pd.Categorical.from_codes(np.zeros(len(valid), dtype=np.int8), ["ok"]),
        }
    )
    if group_col is not None:
        levels = valid.attrs["group_levels"]
        frame[group_col] = pd.Categorical.from_codes(valid["_group"], categories=levels)
    for col in extra:
        if col not in frame.columns:
            frame[col] = valid[col].to_numpy()
    return frame


def _ids_look_like_row_numbers(valid: pd.DataFrame, waves: Sequence[str]) -> bool:
    """True when every wave's IDs are exactly 0..n−1 or 1..n (an export's row numbers)."""
    for wave in waves:
        ids = pd.unique(valid.loc[wave_mask(valid, wave), "participant_id"])
        if len(ids) < 2 or not all(str(i).strip().isdigit() for i in ids[:50]):
            return False  # cheap exit for the usual text IDs
        numbers = pd.to_numeric(pd.Series(ids, dtype=object), errors="coerce")
        if numbers.isna().any():
            return False
        values = np.sort(numbers.to_numpy(dtype=float))
        start = values[0]
        if start not in (0.0, 1.0) or not np.array_equal(values, start + np.arange(len(values))):
            return False
    return True


def _normalise_thresholds(threshold: Mapping[Any, Any] | None) -> dict[ScaleKey, float]:
    out: dict[ScaleKey, float] = {}
    for key, value in (threshold or {}).items():
        if isinstance(key, tuple):
            k = (str(key[0]), str(key[1]))
        else:
            inst, _, scale = str(key).partition(".")
            k = (inst, scale)
        try:
            out[k] = float(value)
        except (TypeError, ValueError):
            raise InputError(
                f"threshold for {k[0]}.{k[1]} must be a number, got {value!r}",
                where="--clinical-threshold",
                fix="write it like --clinical-threshold ucla3.total=5",
            ) from None
    return out


def _flag_small_ancova(records: list[dict[str, Any]], min_cell: int) -> None:
    """``suppress`` on ANCOVA records resting on a group smaller than ``min_cell``.

    A contrast rests on its group and the reference group; the overall F test (and a
    record that could not be fitted) on every group.
    """
    for rec in records:
        sizes = rec.get("n_by_group") or {}
        if rec.get("group") is not None:
            pair = (rec["group"], rec.get("reference_group"))
            sizes = {k: v for k, v in sizes.items() if k in pair}
        rec["suppress"] = bool(any(0 < int(v) < min_cell for v in sizes.values()))


def compare(
    scores: pd.DataFrame | str | os.PathLike[str] | ScoreResult,
    pre: str,
    post: str,
    followup: Sequence[str] = (),
    group_col: str | None = None,
    unlinked: bool = False,
    reliability: Mapping[Any, Any] | None = None,
    direction: Mapping[Any, Any] | None = None,
    registry: Any | None = None,
    keyed_items: pd.DataFrame | None = None,
    *,
    scale_items: Mapping[ScaleKey, list[str]] | None = None,
    scale_info: Mapping[Any, Any] | str | os.PathLike[str] | None = None,
    threshold: Mapping[Any, Any] | None = None,
    rci_sd: str = "baseline",
    rci_reliability: str = "auto",
    reference_group: str | None = None,
    covariates: Sequence[str] | None = None,
    min_cell: int = 5,
    input_name: str | None = None,
    pool_col: str | None = None,
    pool_method: str = "REML",
) -> Results:
    """Compare waves of tidy scores: paired (or unlinked) statistics, reliable change,
    attrition, and, where the design allows, mixed models, ANCOVA and in-sample reliability.

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
    group_col : str, optional
        A carried column (site, arm, ...): statistics per level too, ANCOVA between levels.
    unlinked : bool
        Anonymous before/after surveys: analyse the waves as independent samples.
    reliability, direction : mapping, optional
        Overrides as ``{"INSTRUMENT.SCALE": value}``.
    registry : Registry, optional
        Instrument definitions (default: the built-in and environment registry).
    keyed_items : DataFrame, optional
        Keyed item responses from scoring; adds in-sample reliability per scale and wave.
    scale_items : mapping, optional
        Items of each scale for in-sample reliability (default: the registry's definitions,
        else ``items`` in ``scale_info``, else, for an instrument with one scale, every
        keyed-item column ``<instrument>_<item>``; so any scale whose items are in the keyed
        responses gets its reliability).
    scale_info : mapping or path, optional
        Direction, reliability, cutoff and norms of scales of unknown instruments.
    threshold : mapping, optional
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
        Records based on fewer people are computed but flagged ``suppress: true``.
    input_name : str, optional
        Name of the input in ``meta.inputs`` when ``scores`` is a DataFrame.
    pool_col : str, optional
        A carried column of sites or cohorts: each scale's change from ``pre`` is computed
        within every level and pooled by random-effects meta-analysis (``pooled`` records:
        raw mean change and standardized mean change, with τ², I² and a prediction
        interval). Levels with fewer than ``min_cell`` pairs are left out. Linked designs.
    pool_method : {"REML", "DL"}
        Estimator of the between-site variance τ² (as metafor's ``rma(method=)``).

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
    from ..instruments.registry import Registry

    if isinstance(scores, ScoreResult):
        # One argument carries all that scoring knows: the definitions actually scored (a
        # user's own included), and the keyed items for in-sample reliability.
        scored = scores
        scores = scored.scores
        if keyed_items is None and not unlinked:
            keyed_items = scored.keyed_items
        if scale_items is None:
            scale_items = {
                (i.id, s.id): list(s.items) for i in scored.instruments for s in i.scales
            }
        registry = registry if registry is not None else Registry()
        registry.resolve(scored.instruments)
    if rci_sd not in ("baseline", "norms"):
        raise InputError(f"rci_sd must be 'baseline' or 'norms', got {rci_sd!r}")
    _check_rci_reliability(rci_reliability, keyed_items)
    if isinstance(scores, str | os.PathLike):
        frame = read_scores(scores)
        inputs = [{"name": Path(scores).name, "sha256": file_sha256(scores)}]
        scores = frame
    else:
        if not isinstance(scores, pd.DataFrame):
            raise InputError("scores must be a DataFrame or the path of a scores file")
        inputs = [{"name": input_name or "scores (DataFrame)", "sha256": frame_sha256(scores)}]
    followup = [str(w) for w in followup]
    waves = [str(pre), str(post), *followup]
    if len(set(waves)) != len(waves):
        raise InputError(
            f"the same wave is named twice among pre/post/followup: {waves}",
            fix="name each wave once",
        )
    if pool_method not in ("REML", "DL"):
        raise InputError(
            f"unknown pooling method {pool_method!r}", fix="use 'REML' (default) or 'DL'"
        )
    extra = [c for c in (covariates or []) if c != group_col]
    if pool_col is not None and pool_col != group_col and pool_col not in extra:
        extra.append(pool_col)
    for key in ("participant_id", "wave", "instrument", "scale"):
        # A scored row always has these; one without came from an edited or damaged file.
        if key in scores.columns and scores[key].isna().any():
            raise InputError(
                f"{int(scores[key].isna().sum())} row(s) of the scores table have no {key}",
                where=f"scores table, column '{key}'",
                fix="give the scores file written by 'score' or 'run', unedited",
            )
    valid = valid_scores(scores, group_col, extra)
    check_waves(scores, waves)
    # Group labels are published: refuse a column that identifies people (group_labels.py).
    check_grouping_columns(scores, {"group column": group_col, "pooling column": pool_col})
    if valid.empty:
        raise AnalysisError(
            "no usable scores: every row has a status other than 'ok' or no score",
            where=f"{len(scores)} rows of the scores table",
            fix="check the scoring ledger for why nothing was scored",
        )
    for wave in waves:
        if not wave_mask(valid, wave).any():
            raise AnalysisError(
                f"wave '{wave}' has no usable scores (all missing or not 'ok')",
                where="scores table, column 'status'",
                fix="check the scoring ledger for that wave, or leave the wave out",
            )
    levels = group_levels(valid, group_col) if group_col else []
    keys = [tuple(k) for k in valid.attrs["scales"]]
    reg = registry if registry is not None else Registry()
    meta = resolve_scale_meta(
        keys, registry=reg, reliability=reliability, direction=direction, scale_info=scale_info
    )
    warnings: list[str] = []
    results = Results()
    reliability_section: list[dict[str, Any]] = []
    if keyed_items is not None:
        from .reliability import in_sample_reliability

        items = (
            dict(scale_items)
            if scale_items
            else scale_items_for(reg, keys, keyed_items, scale_info, warnings)
        )
        reliability_section = in_sample_reliability(keyed_items, items, scores)
        results.reliability = reliability_section
        if rci_reliability != "definition":
            meta = with_in_sample_reliability(
                meta, reliability_section, str(pre), only_missing=rci_reliability == "auto"
            )
    pid = valid["_pid"].to_numpy()
    seen = np.zeros((2, int(pid.max()) + 1), dtype=bool)
    seen[0, pid[wave_mask(valid, pre)]] = True
    seen[1, pid[wave_mask(valid, post)]] = True
    shared = int(np.sum(seen[0] & seen[1]))
    contrasts = [(str(pre), w) for w in waves[1:]]
    if unlinked:
        id_note = None
        repeats = shared
        if repeats:
            id_note = (
                f"{repeats} participant ID(s) appear at both waves but were NOT linked, "
                "because the analysis was asked to treat the waves as unlinked"
            )
            warnings.append(
                id_note + "; if these IDs identify the same people, run without --unlinked "
                "for the paired analysis"
            )
        thresholds = _normalise_thresholds(threshold)
        for from_wave, to_wave in contrasts:
            results.unlinked.extend(
                _unlinked_section(valid, from_wave, to_wave, meta, group_col, levels,
                                  thresholds, min_cell, id_note)
            )  # fmt: skip
        _adjust_p_t(results.unlinked)
    else:
        if _ids_look_like_row_numbers(valid, [str(pre), str(post)]):
            warnings.append(
                "participant IDs at each wave are just the row numbers 1..n; if the surveys "
                "were anonymous these do not link people, and the waves must be analysed as "
                "unlinked (--unlinked)"
            )
        if not shared:
            raise AnalysisError(
                f"no participant has scores at both '{pre}' and '{post}', so nothing can be paired",
                where="scores table, column 'participant_id'",
                fix="if the surveys were anonymous, analyse them as unlinked (--unlinked); "
                "otherwise check that participant IDs match across waves",
            )
        for from_wave, to_wave in contrasts:
            pairs = pair_waves(valid, from_wave, to_wave, group_col)
            inputs_rci = rci_inputs(valid, from_wave, meta, rci_sd)
            results.paired.extend(
                _paired_section(pairs, meta, inputs_rci, group_col, levels, min_cell)
            )
        _adjust_p_t(results.paired)
        if pool_col is not None:
            results.pooled = _pooled_section(
                valid, contrasts, meta, rci_sd, group_col, pool_col, pool_method, min_cell,
                results.paired, warnings,
            )  # fmt: skip
        results.attrition = attrition_records(valid, str(pre), waves[1:], group_col, min_cell)
        for rec in results.attrition:
            rec["group_column"] = group_col if rec["group"] is not None else None
        model_scores = _model_frame(valid, group_col, extra)
        if len(waves) > 2:
            from .mixed import fit_mixed_models

            results.mixed_models = fit_mixed_models(model_scores, waves, group_col)
        if group_col is not None:
            from .ancova import fit_ancova

            for from_wave, to_wave in contrasts:
                results.ancova.extend(
                    fit_ancova(model_scores, from_wave, to_wave, group_col,
                               reference_group=reference_group,
                               covariates=list(covariates) if covariates else None)
                )  # fmt: skip
            _flag_small_ancova(results.ancova, min_cell)
    results.meta = {
        "package": "stigma_outcomes",
        "version": __version__,
        "schema_version": RESULTS_SCHEMA_VERSION,
        "inputs": inputs,
        "settings": {
            "pre": str(pre),
            "post": str(post),
            "followup": followup,
            "design": "unlinked" if unlinked else "linked",
            "group_col": group_col,
            "group_levels": list(levels),
            "reference_group": reference_group,
            "covariates": list(covariates or []),
            "min_cell": min_cell,
            "pool_col": pool_col,
            "pool_method": pool_method if pool_col is not None else None,
            "confidence_level": 0.95,
            "rci_sd": rci_sd,
            "rci_reliability": rci_reliability,
            "rci_critical_value": 1.96,
            "reliability_overrides": {
                f"{k[0]}.{k[1]}": v.reliability
                for k, v in meta.items()
                if v.reliability_source == "user override"
            },
            "thresholds": {
                f"{k[0]}.{k[1]}": v for k, v in _normalise_thresholds(threshold).items()
            },
        },
        "multiplicity": {
            "methods": ["holm", "BH"],
            "family": UNLINKED_FAMILY_DESCRIPTION if unlinked else FAMILY_DESCRIPTION,
            "family_size": _family_size(results.unlinked if unlinked else results.paired),
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
        "wave_counts": wave_counts(valid, waves, group_col),
        "warnings": warnings,
        "not_computed": (
            [
                "attrition, mixed models and ANCOVA: they need participants linked across "
                "waves, and these data were analysed as unlinked"
            ]
            + (
                ["pooling across sites: built for linked (paired) designs only"]
                if pool_col is not None
                else []
            )
            if unlinked
            else []
        ),
    }
    flag_small_samples(results, min_cell)
    # Undefined is None everywhere (NaN and infinities included), as in the JSON.
    return Results(meta=results.meta, **dict(results.sections()))


def _pooled_section(
    valid: pd.DataFrame,
    contrasts: list[tuple[str, str]],
    meta: Mapping[ScaleKey, ScaleMeta],
    rci_sd: str,
    group_col: str | None,
    pool_col: str,
    method: str,
    min_cell: int,
    paired: list[dict[str, Any]],
    warnings: list[str],
) -> list[dict[str, Any]]:
    """Each site's paired change, pooled across sites by random-effects meta-analysis."""
    from .pooling import pool_paired

    by_site = valid if pool_col == group_col else regroup(valid, pool_col)
    sites = group_levels(by_site, pool_col)  # refuses a column with fewer than two levels
    if pool_col == group_col:
        per_site = paired
    else:
        per_site = []
        for from_wave, to_wave in contrasts:
            pairs = pair_waves(by_site, from_wave, to_wave, pool_col)
            inputs_rci = rci_inputs(valid, from_wave, meta, rci_sd)
            per_site.extend(_paired_section(pairs, meta, inputs_rci, pool_col, sites, min_cell))
    pooled = pool_paired(per_site, by=pool_col, min_cell=min_cell, method=method)
    if not pooled:
        warnings.append(
            f"no scale could be pooled across '{pool_col}': fewer than two levels had "
            f"{min_cell} or more pairs with some spread of change"
        )
    return pooled


def reliable_change_table(
    scores: pd.DataFrame,
    from_wave: str,
    to_wave: str,
    *,
    group_col: str | None = None,
    reliability: Mapping[Any, Any] | None = None,
    direction: Mapping[Any, Any] | None = None,
    registry: Any | None = None,
    scale_info: Mapping[Any, Any] | str | os.PathLike[str] | None = None,
    rci_sd: str = "baseline",
    rci_reliability: str = "auto",
    keyed_items: pd.DataFrame | None = None,
    scale_items: Mapping[ScaleKey, list[str]] | None = None,
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

    _check_rci_reliability(rci_reliability, keyed_items)
    valid = valid_scores(scores, group_col)
    check_waves(scores, [from_wave, to_wave])
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
    pairs = pair_waves(valid, str(from_wave), str(to_wave), group_col)
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
