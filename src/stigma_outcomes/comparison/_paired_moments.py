"""Per-cell counts, means and SDs of the paired section's scores, and their merging.

Private to :mod:`stigma_outcomes.comparison.paired`: :func:`_moments` sums each cell's pairs
in row order; :func:`_merged_moments` gives each scale's moments from those of its fine cells
(scale x group level), so the pairs are passed over once for both layouts.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def _moments(cell: np.ndarray, n_cells: int, xs: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per-cell count, means and SDs of each array, summed in row order (as before); also
    each cell's sum and sum of squared deviations (``<name>_sum``, ``<name>_ss``), for
    :func:`_merged_moments`."""
    n = np.bincount(cell, minlength=n_cells).astype(float)
    out: dict[str, np.ndarray] = {"n": n}
    with np.errstate(invalid="ignore", divide="ignore"):
        for name, x in xs.items():
            total = np.bincount(cell, weights=x, minlength=n_cells)
            mean = total / n
            ss = np.bincount(cell, weights=(x - mean[cell]) ** 2, minlength=n_cells)
            out[f"{name}_mean"] = mean
            out[f"{name}_sd"] = np.sqrt(ss / (n - 1))
            out[f"{name}_sum"], out[f"{name}_ss"] = total, ss
    return out


def _without_sums(reductions: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The reductions :func:`cell_reductions` gives (the sums kept for merging left out)."""
    return {k: v for k, v in reductions.items() if not k.endswith(("_sum", "_ss"))}


def _merged_moments(
    fine: dict[str, np.ndarray], n_scales: int, width: int, names: Iterable[str]
) -> dict[str, np.ndarray]:
    """Each scale's count, means and SDs from those of its ``width`` fine cells.

    A scale's mean is its cells' sums added up; its sum of squared deviations is its cells'
    plus each cell's count times its mean's squared distance from the scale's (Chan et al.'s
    pairwise combination: no cancellation). The same numbers as summing the scale's pairs
    in row order, up to rounding in the last digits.
    """
    n_fine = fine["n"].reshape(n_scales, width)
    n = n_fine.sum(axis=1)
    out: dict[str, np.ndarray] = {"n": n}
    used = n_fine > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        for name in names:
            means = np.where(used, fine[f"{name}_mean"].reshape(n_scales, width), 0.0)
            mean = fine[f"{name}_sum"].reshape(n_scales, width).sum(axis=1) / n
            between = n_fine * (means - mean[:, None]) ** 2
            within = np.where(used, fine[f"{name}_ss"].reshape(n_scales, width), 0.0)
            ss = (within + np.where(used, between, 0.0)).sum(axis=1)
            out[f"{name}_mean"] = mean
            out[f"{name}_sd"] = np.sqrt(ss / (n - 1))
    return out
