"""Records resting on fewer people than the minimum cell size: "too few to interpret".

With two or three pairs R prints a t interval and p without a word; such a record is still
computed, but flagged ``too_few_to_interpret`` with a plain note, in every section.
"""

from __future__ import annotations

from typing import Any

from .results import Results


def too_few(rec: dict[str, Any], n: int, min_cell: int, what: str) -> list[str]:
    """Set ``too_few_to_interpret`` and return its note when ``n`` is below ``min_cell``.

    With two or three pairs a t interval and p can be computed but say next to nothing (and
    R prints them without a word); below the privacy threshold the record says so.
    """
    rec["too_few_to_interpret"] = bool(0 < n < min_cell)
    if not rec["too_few_to_interpret"]:
        return []
    return [
        f"too few to interpret: {n} {what}, fewer than the minimum of {min_cell}; the "
        "estimates, interval and p are computed but are not evidence either way"
    ]


def flag_small_samples(results: Results, min_cell: int) -> None:
    """Set ``too_few_to_interpret`` on model, attrition and reliability records."""
    sizes = {
        "mixed_models": lambda r: r.get("n_participants") or 0,
        "ancova": lambda r: min((r.get("n_by_group") or {"": r.get("n") or 0}).values()),
        "attrition": lambda r: (
            min(r.get("n_completers") or 0, r.get("n_dropouts") or 0)
            if r.get("n_dropouts")
            else r.get("n_completers") or 0
        ),
        "reliability": lambda r: r.get("n") or 0,
    }
    what = {
        "mixed_models": "participants",
        "ancova": "pairs in the smallest group",
        "attrition": "completers or dropouts",
        "reliability": "participants with item answers",
    }
    for section, size in sizes.items():
        for rec in getattr(results, section):
            few = too_few(rec, int(size(rec)), min_cell, what[section])
            if few:
                rec["note"] = "; ".join(n for n in (rec.get("note"), *few) if n)
