"""The tables ``report`` reads back beside a results file: scores and ledger, checked first.

A scores or ledger file may have been edited, damaged or written by something else. Before
the report code reads a value, the required columns are checked and each column given its
type, so that a file that fails is one clear error naming the file and column — never a
traceback from deep inside the report. (Results files themselves are checked against the
record models by their one reader, :meth:`stigma_outcomes.comparison.Results.read_json`,
given :data:`REPORT_NEEDS`.)
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError

REPORT_NEEDS = {
    "paired": ("from_wave", "to_wave", "n_pairs", "mean_change"),
    "unlinked": ("from_wave", "to_wave"),
    "pooled": ("from_wave", "to_wave"),
    "attrition": ("n_completers", "n_dropouts"),
}
"""Fields the report reads without a default: a results file older than layout versions
(whose other fields are optional) must have them. Checked by the one reading of the file
(:meth:`~stigma_outcomes.comparison.Results.read_json`)."""

_SCORE_TEXT = ("participant_id", "wave", "instrument", "scale", "status", "band")
_SCORE_NUMBERS = ("score", "n_answered", "n_items", "raw_score", "score_se")


def check_scores(frame: Any, where: str) -> Any:
    """A scores table read back for a report: required columns there, numbers numeric.

    Text columns become text (missing values stay missing); a number column holding text
    is one clear error.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.DataFrame({"participant_id": [1], "wave": ["pre"], "instrument": ["u"],
    ...                   "scale": ["t"], "score": ["5"], "status": ["ok"]})
    >>> check_scores(s, "s.csv")["score"].tolist()
    [5.0]
    """
    import pandas as pd

    missing = [c for c in ("participant_id", "wave", "instrument", "scale", "score", "status")
               if c not in frame.columns]  # fmt: skip
    if missing:
        raise InputError(
            f"the scores file lacks the column(s) {', '.join(missing)}",
            where=where,
            fix="give the scores file written by 'score' or 'run'",
        )
    if frame.columns.duplicated().any():
        raise InputError(
            "the scores file has two columns of the same name",
            where=where,
            fix="give the scores file written by 'score' or 'run'",
        )
    out = frame.copy()
    for name in _SCORE_NUMBERS:
        if name in out.columns:
            values = pd.to_numeric(out[name], errors="coerce")
            wrong = int((values.isna() & out[name].notna()).sum())
            if wrong:
                raise InputError(
                    f"the scores file's column '{name}' holds {wrong} value(s) that are not "
                    "numbers",
                    where=where,
                    fix="give the scores file written by 'score' or 'run', unedited",
                )
            out[name] = values.astype("float64")
    for name in _SCORE_TEXT:
        if name in out.columns:
            out[name] = out[name].astype(object).where(out[name].notna(), None)
            out[name] = out[name].map(lambda v: v if v is None else str(v))
    return out


def check_ledger(frame: Any, where: str) -> Any:
    """A ledger read back for a report: every column as text (missing stays missing).

    Examples
    --------
    >>> import pandas as pd
    >>> check_ledger(pd.DataFrame({"problem": ["x", 3]}), "l.csv")["problem"].tolist()
    ['x', '3']
    """
    if frame.columns.duplicated().any():
        raise InputError(
            "the ledger file has two columns of the same name",
            where=where,
            fix="give the ledger file written by 'score' or 'run'",
        )
    out = frame.copy()
    for name in out.columns:
        column = out[name].astype(object)
        out[name] = column.where(column.isna(), column.astype(str)).where(column.notna(), None)
    return out
