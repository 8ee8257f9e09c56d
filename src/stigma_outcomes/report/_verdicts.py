"""What a number may be called: the verdict on a change and the words for an effect size.

A change is "improved" or "worsened" only when its multiplicity-adjusted test (Holm) is below
the significance level, and which way is better comes from the scale's direction; effect-size
words follow Cohen's conventions, and the report names one effect size for a linked change,
d_z. :class:`Finding` is one outcome's headline. Re-exported by
:mod:`stigma_outcomes.report.findings`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .formatting import is_number

Verdict = Literal["improved", "worsened", "no clear change", "not shown"]

ALPHA = 0.05
CONVENTION = "Cohen's conventions"
CONVENTION_DETAIL = "Cohen's conventions: 0.2 small, 0.5 medium, 0.8 large"
EFFECT_SIZE = "d_z"
"""The one effect size of a linked change the report names in words (summary and outcome
text alike, and the statistics tables): the mean change ÷ the SD of the changes."""
EFFECT_SIZE_NAME = "d_z"


@dataclass
class Finding:
    """One outcome's headline: the verdict and the sentence that carries its numbers."""

    instrument: str
    scale: str
    label: str
    verdict: Verdict
    sentence: str
    details: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join([self.sentence, *self.details])


def effect_word(g: object) -> str:
    """Cohen's (1988) words for a standardised mean difference.

    Examples
    --------
    >>> effect_word(0.1), effect_word(-0.35), effect_word(0.6), effect_word(1.2)
    ('negligible', 'small', 'medium', 'large')
    """
    if not is_number(g):
        return "not available"
    size = abs(float(g))
    if size < 0.2:
        return "negligible"
    if size < 0.5:
        return "small"
    if size < 0.8:
        return "medium"
    return "large"


def adjusted_p(record: dict[str, Any]) -> float | None:
    """The multiplicity-adjusted p value a verdict rests on (Holm; BH only if Holm is absent)."""
    for name in ("p_t_holm", "p_holm", "p_t_bh"):
        value = record.get(name)
        if is_number(value):
            return float(value)
    return None


def no_pairs(record: dict[str, Any]) -> bool:
    """Whether a paired record rests on nobody: no one answered at both of its waves (an
    instrument not asked at one of them, or everyone lost). Its "no clear change" would
    say nothing, and is never printed.

    Examples
    --------
    >>> no_pairs({"n_pairs": 0}), no_pairs({"n_pairs": 12}), no_pairs({})
    (True, False, False)
    """
    n = record.get("n_pairs")
    return is_number(n) and float(n) == 0


def mark_not_asked(data: dict[str, Any], scores: Any) -> dict[str, Any]:
    """The results with each paired record that rests on nobody because its instrument has no
    score at one of its waves (not asked there: scoring's ``not_administered``) marked
    ``not_asked_at`` that wave, in copies; the caller's results are left alone.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"instrument": ["a", "b", "a"], "wave": ["pre", "pre", "mid"]})
    >>> data = {"paired": [{"instrument": "b", "from_wave": "pre", "to_wave": "mid",
    ...                     "n_pairs": 0}]}
    >>> marked = mark_not_asked(data, scores)["paired"][0]
    >>> marked["not_asked_at"], "not_asked_at" in data["paired"][0]
    ('mid', False)
    """
    paired = data.get("paired") or []
    if scores is None or not len(scores) or not any(no_pairs(r) for r in paired):
        return data
    import numpy as np

    from ..ingest._stacking import category_codes

    which, instruments = category_codes(scores["instrument"])
    when, waves = category_codes(scores["wave"])
    seen = np.zeros((len(instruments), len(waves)), dtype=bool)
    coded = (which >= 0) & (when >= 0)
    seen[which[coded], when[coded]] = True
    row = {str(i): k for k, i in enumerate(instruments)}
    column = {str(w): k for k, w in enumerate(waves)}
    marked = []
    for rec in paired:
        i = row.get(str(rec.get("instrument")))
        at = [
            w
            for w in (rec.get("from_wave"), rec.get("to_wave"))
            if i is not None and str(w) in column and not seen[i, column[str(w)]]
        ]
        marked.append({**rec, "not_asked_at": str(at[0])} if at and no_pairs(rec) else rec)
    return {**data, "paired": marked}


def verdict(record: dict[str, Any], alpha: float = ALPHA) -> Verdict:
    """Improved, worsened or no clear change, from the adjusted test and the scale direction.

    Examples
    --------
    >>> verdict({"mean_change": -0.8, "p_t_holm": 0.001, "improvement_sign": -1})
    'improved'
    >>> verdict({"mean_change": -0.8, "p_t_holm": 0.2, "improvement_sign": -1})
    'no clear change'
    """
    p = adjusted_p(record)
    change = record.get("mean_change")
    sign = record.get("improvement_sign")
    if p is None or not is_number(change) or sign not in (1, -1, 1.0, -1.0):
        return "no clear change"
    if p >= alpha or float(change) == 0:
        return "no clear change"
    return "improved" if float(change) * float(sign) > 0 else "worsened"
