"""The unlinked design: anonymous waves compared as independent samples, scale by scale.

Private to :func:`stigma_outcomes.comparison.compare`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ._linked import adjust_p_t, key_fields
from .results import Results
from .scale_facts import ScaleKey, ScaleMeta
from .settings import CompareSettings
from .small_samples import too_few
from .table import ScoreTable
from .unlinked import unlinked_fields

_OUTSIDE = {">=": "<", ">": "<=", "<=": ">", "<": ">="}
"""The complement of each clinical-range operator: the rule for "outside the range"."""


def share_threshold(
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


def unlinked_contrast(
    table: ScoreTable,
    from_wave: str,
    to_wave: str,
    meta: Mapping[ScaleKey, ScaleMeta],
    settings: CompareSettings,
    id_note: str | None,
) -> list[dict[str, Any]]:
    """Unlinked records of one contrast: each scale's whole sample, then its groups."""
    valid = table.coded
    group_col, levels, min_cell = settings.group_by, table.group_levels, settings.min_cell
    records: list[dict[str, Any]] = []
    # integer codes of the table: one split by scale, no text compared per cell
    at_from, at_to = table.wave_mask(from_wave), table.wave_mask(to_wave)
    rows = np.flatnonzero(at_from | at_to)
    scale = valid["_scale"].to_numpy()[rows]
    rows = rows[np.argsort(scale, kind="stable")]
    codes, starts = np.unique(valid["_scale"].to_numpy()[rows], return_index=True)
    stops = [*starts[1:], len(rows)]
    scales = table.scales
    score = valid["score"].to_numpy(dtype=float)
    group = valid["_group"].to_numpy() if group_col else None
    groups: list[str | None] = [None, *levels] if group_col else [None]
    for code, start, stop in zip(codes, starts, stops, strict=True):
        key = (str(scales[code][0]), str(scales[code][1]))
        given = settings.clinical_threshold.get(f"{key[0]}.{key[1]}")
        scale_rows = rows[start:stop]
        for level in groups:
            cell = scale_rows
            if level is not None and group is not None:
                cell = scale_rows[group[scale_rows] == list(levels).index(level)]
            rec = key_fields("unlinked", *key, group_col, level, from_wave, to_wave)
            cut, operator, cut_note = share_threshold(meta[key], given)
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


def unlinked_sections(
    table: ScoreTable,
    settings: CompareSettings,
    meta: Mapping[ScaleKey, ScaleMeta],
    results: Results,
    warnings: list[str],
) -> None:
    """Fill ``unlinked``: every contrast, one multiplicity family."""
    table.levels()  # refuses a grouping column with fewer than two levels
    id_note = None
    repeats = table.participants_at_both(settings.pre, settings.post)
    if repeats:
        id_note = (
            f"{repeats} participant ID(s) appear at both waves but were NOT linked, "
            "because the analysis was asked to treat the waves as unlinked"
        )
        warnings.append(
            id_note + "; if these IDs identify the same people, run without --unlinked "
            "for the paired analysis"
        )
    for from_wave, to_wave in settings.contrasts:
        results.unlinked.extend(
            unlinked_contrast(table, from_wave, to_wave, meta, settings, id_note)
        )
    adjust_p_t(results.unlinked)
