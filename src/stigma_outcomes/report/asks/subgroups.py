"""Counts by category and change by subgroup, registered with the disclosure auditor.

Shared by "Who took part" (categories of a carried column) and "Dose" (bands of sessions).
Every count printed is registered before the report's audit runs, with the sums it takes
part in: the categories add up to everyone counted, and each subgroup's pairs add up to the
results record's (already registered) number of pairs. A subgroup's means and interval rest
on its number of pairs, so they are withheld whenever that number is.

Subgroups show the average change with its interval, not reliable-change counts: those would
tie every subgroup to the outcome tables' own suppressed counts, and the audit of a report
with several outcomes and subgroups would then take minutes rather than seconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ..content import Table, record_key
from ..formatting import decimals_for_range, interval, num
from ..outcomes import describe_outcome
from ..privacy import Disclosure
from .people import NOT_RECORDED, score_pairs

OTHER = "Other or not stated"
COST = 0.5
"""Hiding cost of these sections' counts: below every count of the main report, so the
audit hides a subgroup's number before it hides one the outcome sections print."""


def merge_small(values: pd.Series, threshold: int) -> pd.Series:
    """Fold categories with fewer than ``threshold`` people (and "Not recorded") into one,
    adding the next smallest until the merged one has ``threshold`` people or more.

    Examples
    --------
    >>> s = pd.Series(["a"] * 6 + ["b"] * 5 + ["c"] * 2 + ["d"])
    >>> merge_small(s, 5).value_counts().to_dict()
    {'Other or not stated': 8, 'a': 6}
    >>> s = pd.Series(["a"] * 9 + ["b"] * 6 + ["c"] * 2)
    >>> merge_small(s, 5).value_counts().to_dict()
    {'a': 9, 'Other or not stated': 8}
    """
    sizes = values.value_counts().sort_values(kind="stable")
    small = [c for c, n in sizes.items() if n < threshold]
    if not small:
        return values
    if NOT_RECORDED in sizes.index and NOT_RECORDED not in small:
        small.append(NOT_RECORDED)
    rest = [c for c in sizes.index if c not in small]
    # A merged group still under the threshold would be suppressed, and hiding it would
    # hide another category with it: fold in the smallest others until it is large enough.
    while rest and (sizes[small].sum() < threshold or len(small) == 1):
        small.append(rest.pop(0))
    return values.where(~values.isin(small), OTHER)


def category_order(values: pd.Series) -> list[str]:
    """Categories in label order, with the merged and unrecorded ones last."""
    labels = sorted(str(v) for v in pd.unique(values) if v not in (OTHER, NOT_RECORDED))
    return labels + [v for v in (OTHER, NOT_RECORDED) if v in set(values)]


@dataclass
class Counts:
    """People per category of one column (or dose band), registered."""

    base: str
    total_key: str
    categories: list[str]

    def key(self, category: str) -> str:
        return f"{self.base}|c:{category}|people"


def register_counts(
    values: pd.Series,
    base: str,
    d: Disclosure,
    total_key: str | None = None,
    categories: Sequence[str] = (),
) -> Counts:
    """Register each category's count, their total and each one's share of the total.

    ``total_key`` names a count already registered that equals the total (e.g. the flow's
    "took part"); the categories are then declared to add up to it. ``categories`` are
    listed first, in that order, even when nobody is in them (e.g. dose bands).
    """
    found = category_order(values)
    categories = [*categories, *(c for c in found if c not in categories)]
    sizes = values.value_counts()
    total = int(sizes.sum())
    if total_key is None or d.values.get(total_key) != total:
        total_key = f"{base}|total"
        d.count(total_key, total, cost=COST)
    out = Counts(base, total_key, categories)
    for c in categories:
        d.count(out.key(c), int(sizes.get(c, 0)), cost=COST)
        d.share(f"{out.key(c)}|pct", out.key(c), total_key)
    d.relation(total_key, [out.key(c) for c in categories])
    return out


def counts_table(counts: Counts, d: Disclosure, table_id: str, caption: str, head: str) -> Table:
    """The categories with their number and share of people."""
    rows = []
    for c in [*counts.categories]:
        key = counts.key(c)
        pct = f"{_pct(d, key, counts.total_key)}" if d.shown(f"{key}|pct") else ""
        rows.append([c, d.mark(key), pct])
    rows.append(["All", d.mark(counts.total_key), "100%" if d.shown(counts.total_key) else ""])
    return Table(table_id, caption, [head, "People (n)", "% of all"], rows)


def _pct(d: Disclosure, num_key: str, den_key: str) -> str:
    from ..formatting import percent

    return percent(d.values[num_key], d.values[den_key])


@dataclass
class SubgroupChange:
    """One outcome's change by subgroup, registered; :meth:`rows` prints it."""

    outcome: str
    base: str
    categories: list[str]
    stats: dict[str, dict[str, float]] = field(default_factory=dict)

    def key(self, category: str, name: str) -> str:
        return f"{self.base}|c:{category}|{name}"


def register_change(
    scores: pd.DataFrame,
    rec: Mapping[str, Any],
    groups: pd.Series,
    base: str,
    d: Disclosure,
    categories: Sequence[str] | None = None,
    people: pd.Index | None = None,
) -> SubgroupChange | None:
    """Register each subgroup's pairs, reliable-change counts and statistics for ``rec``.

    ``groups`` maps participant → category; ``people`` (optional) limits the pairs to
    those participants (e.g. the programme arm). Returns None when the scores do not
    reproduce the record's number of pairs (then no sum could be declared).
    """
    fw, tw = str(rec["from_wave"]), str(rec["to_wave"])
    pairs = score_pairs(scores, str(rec["instrument"]), str(rec["scale"]), fw, tw)
    if people is not None:
        pairs = pairs[pairs.index.isin(people)]
    if len(pairs) != int(rec.get("n_pairs") or -1):
        return None
    cat = groups.reindex(pairs.index).fillna(NOT_RECORDED).to_numpy(object)
    cats = list(categories) if categories is not None else category_order(pd.Series(cat))
    cats += [c for c in category_order(pd.Series(cat)) if c not in cats]
    outcome = f"{rec['instrument']}.{rec['scale']}"
    out = SubgroupChange(outcome, base, cats)
    record = record_key("paired", dict(rec))
    for c in cats:
        mask = cat == c
        d.count(out.key(c, "n_pairs"), int(mask.sum()), cost=COST)
        d.derived(out.key(c, "stats"), out.key(c, "n_pairs"))
        out.stats[c] = _describe(pairs[mask])
    parts = [out.key(c, "n_pairs") for c in cats]
    total = f"{record}|n_pairs"
    if d.values.get(total) != sum(d.values[p] for p in parts):
        # The record's count is not in this report: the parts still add up to a whole.
        total = f"{base}|n_pairs|total"
        d.count(total, sum(d.values[p] for p in parts), cost=COST)
    d.relation(total, parts)
    return out


def _describe(part: pd.DataFrame) -> dict[str, float]:
    """Mean before, after and of the change, with the change's t-based 95% interval."""
    n = len(part)
    change = part["change"].to_numpy(float)
    out = {
        "pre": float(part["pre"].mean()) if n else np.nan,
        "post": float(part["post"].mean()) if n else np.nan,
        "change": float(change.mean()) if n else np.nan,
        "low": np.nan,
        "high": np.nan,
    }
    if n >= 2:
        half = stats.t.ppf(0.975, n - 1) * change.std(ddof=1) / np.sqrt(n)
        out["low"], out["high"] = out["change"] - half, out["change"] + half
    return out


CHANGE_COLUMNS = ["Outcome", "Subgroup", "Pairs (n)", "Before", "After", "Change (95% CI)"]
CHANGE_WIDTHS = [2.4, 1.5, 0.8, 0.8, 0.8, 2.0]


def change_rows(change: SubgroupChange, d: Disclosure) -> list[list[str]]:
    """One row per subgroup: pairs, means, change with its interval, reliable change."""
    info = describe_outcome(*change.outcome.split(".", 1))
    places = decimals_for_range(info.range_low, info.range_high)
    rows = []
    for c in change.categories:
        if d.values[change.key(c, "n_pairs")] == 0:
            continue  # nobody to describe (registered all the same, so the audit is cautious)
        s = change.stats[c]
        shown = d.shown(change.key(c, "stats"))
        row = [info.label, c, d.mark(change.key(c, "n_pairs"))]
        if shown:
            ci = f" ({interval(s['low'], s['high'], places)})" if s["low"] == s["low"] else ""
            row += [
                num(s["pre"], places),
                num(s["post"], places),
                num(s["change"], places, signed=True) + ci,
            ]
        else:
            row += ["", "", ""]
        rows.append(row)
    return rows
