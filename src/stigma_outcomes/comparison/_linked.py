"""The linked design: paired records, reliable change, site pooling, attrition, models.

Private to :func:`stigma_outcomes.comparison.compare`, which hands it one
:class:`~stigma_outcomes.comparison.table.ScoreTable`, the settings and the scale facts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import AnalysisError
from .attrition import attrition_records
from .multiplicity import p_adjust
from .paired import fine_cells, finish_paired, nested_reductions
from .pairing import Pairs
from .rci import RciInput, rci_cell_counts, rci_inputs, rci_record_fields
from .results import Results
from .scale_facts import ScaleKey, ScaleMeta
from .settings import CompareSettings
from .small_samples import too_few
from .table import ScoreTable


def key_fields(design: str, instrument: str, scale: str, group_col: str | None,
               group: str | None, from_wave: str, to_wave: str) -> dict[str, Any]:  # fmt: skip
    """The key of a contrast record (SPEC §6)."""
    return {
        "design": design,
        "instrument": instrument,
        "scale": scale,
        "group_column": group_col if group is not None else None,
        "group": group,
        "from_wave": from_wave,
        "to_wave": to_wave,
    }


def adjust_p_t(records: list[dict[str, Any]]) -> None:
    """Add Holm and BH adjusted ``p_t`` over one family (all the records given)."""
    p = np.array([r["p_t"] for r in records], dtype=float)
    for rec, holm, bh in zip(records, p_adjust(p, "holm"), p_adjust(p, "BH"), strict=True):
        rec["p_t_holm"] = float(holm)
        rec["p_t_bh"] = float(bh)


def paired_section(
    pairs: Pairs,
    meta: Mapping[ScaleKey, ScaleMeta],
    inputs: Mapping[ScaleKey, RciInput],
    group_col: str | None,
    levels: Sequence[str],
    min_cell: int,
) -> list[dict[str, Any]]:
    """Paired + reliable-change records of one contrast: whole sample, then each group."""
    scales = list(zip(pairs.scales["instrument"], pairs.scales["scale"], strict=True))
    n_scales = len(scales)
    sign = np.array([meta[(i, s)].improvement_sign for i, s in scales], dtype=float)
    grouped = group_col is not None and pairs.group_code is not None
    n_levels = len(levels) if grouped else 0
    group = pairs.group_code if grouped else None
    # whole sample and groups in one pass, the pairs without a group in cells of their own
    whole, by_group = nested_reductions(
        pairs.scale_code, n_scales, group, n_levels, pairs.pre, pairs.post, sign
    )
    # reliable-change counts (whole numbers) once per scale x (no group, each level)
    fine, width = fine_cells(pairs.scale_code, group, n_levels)
    rci = {
        k: c.reshape(n_scales, width)
        for k, c in rci_cell_counts(fine, n_scales * width, pairs, inputs, meta).items()
    }
    del fine
    layouts = [(whole, {k: c.sum(axis=1) for k, c in rci.items()},
                [(k, None) for k in range(n_scales)])]  # fmt: skip
    if by_group is not None:
        per_level = {k: c[:, 1:].ravel() for k, c in rci.items()}
        layouts.append((by_group, per_level, [(k, lv) for k in range(n_scales) for lv in levels]))
    records: list[dict[str, Any]] = []
    for red, counts, names in layouts:
        for i, (k, level) in enumerate(names):
            key = (str(scales[k][0]), str(scales[k][1]))
            rec = key_fields("linked", *key, group_col, level, pairs.from_wave, pairs.to_wave)
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


def ids_look_like_row_numbers(table: ScoreTable, waves: Sequence[str]) -> bool:
    """True when every wave's IDs are exactly 0..n−1 or 1..n (an export's row numbers)."""
    import pandas as pd

    for wave in waves:
        ids = table.ids_at(wave)
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


def flag_small_ancova(records: list[dict[str, Any]], min_cell: int) -> None:
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


def pooled_section(
    table: ScoreTable,
    settings: CompareSettings,
    meta: Mapping[ScaleKey, ScaleMeta],
    paired: list[dict[str, Any]],
    warnings: list[str],
) -> list[dict[str, Any]]:
    """Each site's paired change, pooled across sites by random-effects meta-analysis.

    With a grouping column (an arm) other than the sites, the sites are compared *within*
    each arm: every arm gets its own pooled records (``group`` the arm), so a programme
    arm's change is never pooled with a comparison arm's. Without one, or when the sites
    are the groups, the sites' whole-sample change is pooled.
    """
    from .pooling import pool_paired

    pool_by, group_by, min_cell = str(settings.pool_by), settings.group_by, settings.min_cell
    if pool_by == group_by:
        pooled = pool_paired(paired, by=pool_by, min_cell=min_cell, method=settings.pool_method)
        arms: list[str | None] = [None]
    else:
        arms = [None] if group_by is None else list(table.group_levels)
        pooled = []
        table.regroup(pool_by).levels()  # refuses a column with fewer than two levels
        for arm in arms:
            part = table if arm is None else table.within(arm)
            by_site = part.regroup(pool_by)
            per_site: list[dict[str, Any]] = []
            for from_wave, to_wave in settings.contrasts:
                pairs = by_site.pairs(from_wave, to_wave)
                inputs = rci_inputs(table.coded, from_wave, meta, settings.rci_sd)
                per_site.extend(
                    paired_section(pairs, meta, inputs, pool_by, by_site.group_levels, min_cell)
                )
            for rec in pool_paired(per_site, by=pool_by, min_cell=min_cell,
                                   method=settings.pool_method):  # fmt: skip
                if arm is not None:
                    rec["group"], rec["group_column"] = arm, group_by
                pooled.append(rec)
    if not pooled:
        where = f" within any level of '{group_by}'" if arms != [None] else ""
        warnings.append(
            f"no scale could be pooled across '{pool_by}'{where}: fewer than two levels had "
            f"{min_cell} or more pairs with some spread of change"
        )
    return pooled


def linked_sections(
    table: ScoreTable,
    settings: CompareSettings,
    meta: Mapping[ScaleKey, ScaleMeta],
    results: Results,
    warnings: list[str],
) -> None:
    """Fill ``paired``, ``pooled``, ``attrition``, ``mixed_models`` and ``ancova``."""
    s = settings
    if ids_look_like_row_numbers(table, [s.pre, s.post]):
        warnings.append(
            "participant IDs at each wave are just the row numbers 1..n; if the surveys "
            "were anonymous these do not link people, and the waves must be analysed as "
            "unlinked (--unlinked)"
        )
    if not table.participants_at_both(s.pre, s.post):
        raise AnalysisError(
            f"no participant has scores at both '{s.pre}' and '{s.post}', so nothing can be paired",
            where="scores table, column 'participant_id'",
            fix="if the surveys were anonymous, analyse them as unlinked (--unlinked); "
            "otherwise check that participant IDs match across waves",
        )
    levels = table.levels()
    inputs_at: dict[str, dict[ScaleKey, RciInput]] = {}
    ancova: list[dict[str, Any]] = []
    ancova_error: AnalysisError | None = None
    for from_wave, to_wave in s.contrasts:
        if from_wave not in inputs_at:  # the yardsticks of a baseline, made once
            inputs_at[from_wave] = rci_inputs(table.coded, from_wave, meta, s.rci_sd)
        pairs = table.pairs(from_wave, to_wave)
        results.paired.extend(
            paired_section(pairs, meta, inputs_at[from_wave], s.group_by, levels, s.min_cell)
        )
        if s.group_by is not None and ancova_error is None:
            # the ANCOVA of this contrast reads the same pairs, so they are made once; a
            # refusal is raised where the ANCOVA stood, after the sections before it
            try:
                ancova.extend(_ancova(table, s, from_wave, to_wave, pairs))
            except AnalysisError as exc:
                ancova_error = exc
        del pairs
    adjust_p_t(results.paired)
    if s.pool_by is not None:
        results.pooled = pooled_section(table, s, meta, results.paired, warnings)
    results.attrition = attrition_records(table, s.pre, list(s.waves[1:]), min_cell=s.min_cell)
    for rec in results.attrition:
        rec["group_column"] = s.group_by if rec["group"] is not None else None
    if len(s.waves) > 2:
        from .mixed import fit_mixed_models

        results.mixed_models = fit_mixed_models(table, list(s.waves), s.group_by)
    if ancova_error is not None:
        raise ancova_error
    if s.group_by is not None:
        results.ancova.extend(ancova)
        flag_small_ancova(results.ancova, s.min_cell)


def _ancova(
    table: ScoreTable, s: CompareSettings, from_wave: str, to_wave: str, pairs: Pairs
) -> list[dict[str, Any]]:
    from .ancova import fit_ancova

    return fit_ancova(table, from_wave, to_wave, str(s.group_by), reference_group=s.reference_group,
                      covariates=list(s.covariates), pairs=pairs)  # fmt: skip
