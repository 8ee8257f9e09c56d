"""Comparing our records with R's reference values, field by field (shared by golden tests)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

REL_TOL = 1e-6
"""Relative tolerance for closed-form statistics (issue 4)."""


def close(ours: Any, theirs: Any) -> bool:
    """Equal text, or numbers within 1e-6 relative (1e-12 absolute near zero)."""
    if isinstance(theirs, str):
        return ours == theirs
    return math.isclose(float(ours), float(theirs), rel_tol=REL_TOL, abs_tol=1e-12)


def mismatches(
    ours: dict[str, Any], theirs: dict[str, Any], fields: Iterable[str]
) -> dict[str, tuple[Any, Any]]:
    """Fields where our record and R's differ: field → (ours, R's)."""
    return {f: (ours[f], theirs[f]) for f in fields if not close(ours[f], theirs[f])}
