"""Reliable and clinically significant change (Jacobson & Truax, 1991).

For each participant, RCI = (post − pre) / S_diff with S_diff = SD · √2 · √(1 − r):

* r, the reliability: the definition's test-retest r, else its alpha, unless the user
  overrides it or asks for the in-sample alpha (see :mod:`.meta`);
* SD: the sample SD (n − 1) of every valid score at the contrast's ``from`` wave in the
  whole sample, all groups together, so every group is judged by one yardstick; or the
  norm SD when ``sd_source="norms"`` and the scale has norms.

A participant changed reliably when |RCI| > 1.96; whether that is improvement or
deterioration follows the scale's direction. ``rci_threshold`` = 1.96 · S_diff is the
smallest change in score points that counts as reliable.

Recovered = reliably improved, in the clinical range at ``from`` and out of it at ``to``.
The cutoff, in order of preference (``recovery_criterion``):

* ``published``: the definition's ``clinical_cutoff`` (clinical range ``score <op> value``);
* ``c``: with norms, the point between the baseline sample's mean (dysfunctional) and the
  norm mean (functional) weighted by their SDs: (s₀·M₁ + s₁·M₀) / (s₀ + s₁);
* ``a``: without norms, two baseline SDs beyond the baseline mean in the improving direction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._common import essentially_constant
from .pairing import Pairs, scale_table, wave_mask
from .scale_facts import ScaleKey, ScaleMeta

RCI_CRITICAL = 1.96


@dataclass(frozen=True)
class RciInput:
    """The yardstick of reliable change for one scale and ``from`` wave."""

    rci_reliability: float
    rci_reliability_source: str | None
    rci_sd: float
    rci_sd_source: str
    rci_s_diff: float
    rci_threshold: float
    clinical_cutoff: float
    clinical_cutoff_operator: str | None
    clinical_cutoff_source: str | None
    recovery_criterion: str | None
    note: str | None

    def as_fields(self) -> dict[str, Any]:
        """The SPEC §6 fields this input contributes to a paired record."""
        fields = asdict(self)
        fields.pop("note")
        return fields


def _in_clinical(score: np.ndarray, cutoff: np.ndarray, op: np.ndarray) -> np.ndarray:
    """Vectorised ``score <op> cutoff`` with a per-element operator code (0..3, −1 = none)."""
    out = np.zeros(score.shape, dtype=bool)
    out |= (op == 0) & (score >= cutoff)
    out |= (op == 1) & (score > cutoff)
    out |= (op == 2) & (score <= cutoff)
    out |= (op == 3) & (score < cutoff)
    return out


_OP_CODES = {">=": 0, ">": 1, "<=": 2, "<": 3}


def rci_input(
    meta: ScaleMeta, baseline: np.ndarray, from_wave: str, sd_source: str = "baseline"
) -> RciInput:
    """Work out S_diff, the threshold and the recovery cutoff for one scale.

    Parameters
    ----------
    meta : ScaleMeta
        The scale's reliability, direction, norms and cutoff.
    baseline : ndarray
        Every valid score at ``from_wave`` in the whole sample.
    from_wave : str
        The contrast's earlier wave (named in the source strings).
    sd_source : {"baseline", "norms"}
        Which SD to use; ``"norms"`` falls back to the baseline SD when the scale has no norms.

    Examples
    --------
    >>> m = ScaleMeta("x", "t", "higher_is_worse", reliability=0.75)
    >>> r = rci_input(m, np.array([1.0, 2.0, 3.0, 4.0, 5.0]), "pre")
    >>> round(r.rci_s_diff, 4), r.recovery_criterion
    (1.118, 'a')
    """
    notes: list[str] = []
    base = baseline[np.isfinite(baseline)]
    n = len(base)
    base_sd = float(np.std(base, ddof=1)) if n > 1 else math.nan
    base_mean = float(np.mean(base)) if n else math.nan
    if n > 1 and essentially_constant(base_sd, n, base_mean):
        # an SD of 1e-16 left by rounding would make every change "reliable"
        base_sd = 0.0
        if not (sd_source == "norms" and meta.norm_sd is not None):
            notes.append(
                f"every baseline score at wave '{from_wave}' is the same (SD 0 up to "
                "rounding), so there is no yardstick: reliable change undefined"
            )
    if sd_source == "norms" and meta.norm_sd is not None:
        sd = float(meta.norm_sd)
        sd_src = f"norm SD: {meta.norm_source}"
    else:
        sd = base_sd
        sd_src = f"baseline sample SD: all valid scores at wave '{from_wave}', n = {n}"
        if sd_source == "norms":
            notes.append("no norms for this scale, so the baseline sample SD was used")
    r = float(meta.reliability) if meta.reliability is not None else math.nan
    if math.isnan(r):
        notes.append("no reliability for this scale: reliable change undefined")
    s_diff = sd * math.sqrt(2.0) * math.sqrt(1.0 - r) if not math.isnan(r) else math.nan
    if not s_diff > 0:
        s_diff = math.nan
    worse_high = meta.direction == "higher_is_worse"
    cutoff, op, src, criterion = math.nan, None, None, None
    if meta.clinical_cutoff is not None:
        cutoff = float(meta.clinical_cutoff)
        op, src, criterion = meta.clinical_cutoff_operator, meta.clinical_cutoff_source, "published"
    elif meta.norm_mean is not None and meta.norm_sd is not None and base_sd > 0:
        m0, s0 = base_mean, base_sd
        m1, s1 = float(meta.norm_mean), float(meta.norm_sd)
        cutoff = (s0 * m1 + s1 * m0) / (s0 + s1)
        op = ">" if worse_high else "<"
        src = (
            f"Jacobson-Truax criterion c: baseline sample (wave '{from_wave}') "
            f"and norms ({meta.norm_source})"
        )
        criterion = "c"
    elif base_sd > 0:
        cutoff = base_mean - 2 * base_sd if worse_high else base_mean + 2 * base_sd
        op = ">" if worse_high else "<"
        src = f"Jacobson-Truax criterion a: 2 SD beyond the baseline mean (wave '{from_wave}')"
        criterion = "a"
    return RciInput(
        rci_reliability=r,
        rci_reliability_source=meta.reliability_source,
        rci_sd=sd,
        rci_sd_source=sd_src,
        rci_s_diff=s_diff,
        rci_threshold=RCI_CRITICAL * s_diff,
        clinical_cutoff=cutoff,
        clinical_cutoff_operator=op,
        clinical_cutoff_source=src,
        recovery_criterion=criterion,
        note="; ".join(notes) or None,
    )


def rci_inputs(
    valid: pd.DataFrame,
    from_wave: str,
    meta: Mapping[ScaleKey, ScaleMeta],
    sd_source: str = "baseline",
) -> dict[ScaleKey, RciInput]:
    """:func:`rci_input` for every scale with scores at ``from_wave``.

    ``valid`` is the output of :func:`stigma_outcomes.comparison.pairing.valid_scores`.
    """
    at = wave_mask(valid, from_wave)
    codes = valid["_scale"].to_numpy()[at]
    scores = valid["score"].to_numpy(dtype=float)[at]
    table = scale_table(valid)
    out: dict[ScaleKey, RciInput] = {}
    for code in np.unique(codes):
        key = (str(table.at[code, "instrument"]), str(table.at[code, "scale"]))
        if key in meta:
            out[key] = rci_input(meta[key], scores[codes == code], from_wave, sd_source)
    return out


def _per_pair_inputs(
    pairs: Pairs, inputs: Mapping[ScaleKey, RciInput], meta: Mapping[ScaleKey, ScaleMeta]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """S_diff, improvement sign, cutoff and operator code for each pair, by scale code."""
    n_scales = len(pairs.scales)
    s_diff = np.full(n_scales, np.nan)
    sign = np.ones(n_scales)
    cutoff = np.full(n_scales, np.nan)
    op = np.full(n_scales, -1)
    for code, (instrument, scale) in enumerate(
        zip(pairs.scales["instrument"], pairs.scales["scale"], strict=True)
    ):
        key = (str(instrument), str(scale))
        if key in meta:
            sign[code] = meta[key].improvement_sign
        if key in inputs:
            inp = inputs[key]
            s_diff[code] = inp.rci_s_diff
            cutoff[code] = inp.clinical_cutoff
            op[code] = _OP_CODES.get(inp.clinical_cutoff_operator or "", -1)
    c = pairs.scale_code
    return s_diff[c], sign[c], cutoff[c], op[c]


def participant_rci(
    pairs: Pairs, inputs: Mapping[ScaleKey, RciInput], meta: Mapping[ScaleKey, ScaleMeta]
) -> pd.DataFrame:
    """One row per pair with its change, RCI and classification.

    Columns: ``instrument, scale, participant_id, group, from_wave, to_wave, pre, post,
    change, rci, reliable_change`` (``improved`` / ``no_change`` / ``deteriorated``, or
    missing where S_diff is undefined), ``clinical_at_pre, clinical_at_post, recovered``.
    """
    s_diff, sign, cutoff, op = _per_pair_inputs(pairs, inputs, meta)
    frame = pairs.to_frame()
    change = pairs.post - pairs.pre
    with np.errstate(invalid="ignore", divide="ignore"):
        rci = change / s_diff
    directed = rci * sign
    label = np.where(
        directed > RCI_CRITICAL,
        "improved",
        np.where(directed < -RCI_CRITICAL, "deteriorated", "no_change"),
    ).astype(object)
    label[~np.isfinite(rci)] = None
    clin_pre = _in_clinical(pairs.pre, cutoff, op)
    clin_post = _in_clinical(pairs.post, cutoff, op)
    has_cutoff = op >= 0
    frame.insert(4, "from_wave", pairs.from_wave)
    frame.insert(5, "to_wave", pairs.to_wave)
    frame["change"] = change
    frame["rci"] = rci
    frame["reliable_change"] = label
    frame["clinical_at_pre"] = np.where(has_cutoff, clin_pre, None)
    frame["clinical_at_post"] = np.where(has_cutoff, clin_post, None)
    recovered = (directed > RCI_CRITICAL) & clin_pre & ~clin_post
    frame["recovered"] = np.where(has_cutoff & np.isfinite(rci), recovered, None)
    return frame


_BLOCK = 1 << 20
"""Pairs classified at a time by :func:`rci_cell_counts`."""


def rci_cell_counts(
    cell: np.ndarray,
    n_cells: int,
    pairs: Pairs,
    inputs: Mapping[ScaleKey, RciInput],
    meta: Mapping[ScaleKey, ScaleMeta],
) -> dict[str, np.ndarray]:
    """Counts per cell code: reliably improved / no change / deteriorated, clinical, recovered.

    Whole numbers: a million pairs are classified at a time and their counts added, so the
    per-pair yardsticks and flags never take the memory of all the pairs at once.
    """
    if len(pairs) > _BLOCK:
        total: dict[str, np.ndarray] = {}
        for start in range(0, len(pairs), _BLOCK):
            part = slice(start, start + _BLOCK)
            block = Pairs(pairs.from_wave, pairs.to_wave, pairs.scales, pairs.scale_code[part],
                          None, pairs.pre[part], pairs.post[part])  # fmt: skip
            for key, value in rci_cell_counts(cell[part], n_cells, block, inputs, meta).items():
                total[key] = total[key] + value if key in total else value
        return total
    s_diff, sign, cutoff, op = _per_pair_inputs(pairs, inputs, meta)
    with np.errstate(invalid="ignore", divide="ignore"):
        directed = (pairs.post - pairs.pre) / s_diff * sign
    defined = np.isfinite(directed)
    improved = directed > RCI_CRITICAL
    worse = directed < -RCI_CRITICAL
    clin_pre = _in_clinical(pairs.pre, cutoff, op)
    clin_post = _in_clinical(pairs.post, cutoff, op)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(cell[mask], minlength=n_cells)  # whole numbers, no float weights

    return {
        "n_rci_defined": count(defined),
        "n_reliably_improved": count(improved),
        "n_reliably_deteriorated": count(worse),
        "n_no_reliable_change": count(defined & ~improved & ~worse),
        "n_clinical_at_pre": count(clin_pre & defined),
        "n_recovered": count(improved & clin_pre & ~clin_post),
    }


def rci_record_fields(
    counts: Mapping[str, np.ndarray], i: int, inp: RciInput | None
) -> dict[str, Any]:
    """The reliable-change fields of cell ``i`` (NaN/None where the scale has no yardstick)."""
    out: dict[str, Any] = {}
    if inp is None:
        inp = RciInput(
            math.nan,
            None,
            math.nan,
            "",
            math.nan,
            math.nan,
            math.nan,
            None,
            None,
            None,
            "no baseline scores for reliable change",
        )
    out.update(inp.as_fields())
    defined = int(counts["n_rci_defined"][i])
    usable = defined > 0 and math.isfinite(inp.rci_s_diff)
    for key in ("n_reliably_improved", "n_no_reliable_change", "n_reliably_deteriorated"):
        value = int(counts[key][i]) if usable else None
        out[key] = value
        out["prop" + key[1:]] = value / defined if usable else math.nan
    has_cutoff = inp.clinical_cutoff_operator is not None and usable
    out["n_clinical_at_pre"] = int(counts["n_clinical_at_pre"][i]) if has_cutoff else None
    out["n_recovered"] = int(counts["n_recovered"][i]) if has_cutoff else None
    out["prop_recovered"] = (
        out["n_recovered"] / out["n_clinical_at_pre"]
        if has_cutoff and out["n_clinical_at_pre"]
        else math.nan
    )
    return out
