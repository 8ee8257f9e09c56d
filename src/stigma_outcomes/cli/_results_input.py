"""Results files read back by ``report``: checked against the results schema first.

A results file may have been edited, damaged or written by something else. Before the
report code reads a single record, every record of every section is checked against the
published schema (:func:`stigma_outcomes.comparison.results.results_json_schema`): it is
an object, its key fields are there, and each field has its type (a count is a
whole number, a mean a number, a label text). A file that fails is one clear error
naming the section, record and field — never a traceback from deep inside the report.
"""

from __future__ import annotations

from typing import Any

from ..errors import InputError

_NEEDED = {
    "paired": ("from_wave", "to_wave", "n_pairs", "mean_change"),
    "unlinked": ("from_wave", "to_wave"),
    "pooled": ("from_wave", "to_wave"),
    "attrition": ("n_completers", "n_dropouts"),
}
"""Fields of each section that the report reads directly (besides instrument and scale)."""


def _is(value: Any, kind: str) -> bool:
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if kind == "number":
        return isinstance(value, int | float)
    return isinstance(value, {"string": str, "array": list, "object": dict}[kind])


def _field_ok(value: Any, prop: dict[str, Any]) -> bool:
    if "enum" in prop:
        return value in prop["enum"]
    if "const" in prop:
        return value == prop["const"]
    kinds = prop.get("type")
    if kinds is None:
        return True
    return any(_is(value, k) for k in ([kinds] if isinstance(kinds, str) else kinds))


def check_results(data: Any, where: str) -> dict[str, Any]:
    """Return ``data`` if its records fit the results schema, else raise one clear error.

    Examples
    --------
    >>> check_results({"meta": {}, "paired": []}, "r.json")
    {'meta': {}, 'paired': []}
    >>> try:
    ...     check_results({"paired": [{"n_pairs": "x"}]}, "r.json")
    ... except InputError as err:
    ...     print(err.what)
    the results file does not fit its schema: paired[0] lacks the field 'instrument'
    """
    from ..comparison.results import results_json_schema

    def bad(problem: str) -> InputError:
        return InputError(
            f"the results file does not fit its schema: {problem}",
            where=where,
            fix="give a results JSON written by 'compare' or 'run', unedited",
        )

    if not isinstance(data, dict):
        raise bad("it is not a JSON object")
    if not isinstance(data.get("meta", {}), dict):
        raise bad("'meta' is not an object")
    for section, spec in results_json_schema()["properties"].items():
        if section == "meta" or section not in data:
            continue
        records = data[section]
        if not isinstance(records, list):
            raise bad(f"'{section}' is not a list of records")
        item = spec["items"]
        for i, rec in enumerate(records):
            if not isinstance(rec, dict):
                raise bad(f"{section}[{i}] is not an object")
            # Only the fields the report reads without a default are demanded: results of
            # earlier versions lack some others.
            for name in ("instrument", "scale", *_NEEDED.get(section, ())):
                if name not in rec:
                    raise bad(f"{section}[{i}] lacks the field '{name}'")
            for name, prop in item.get("properties", {}).items():
                if name in rec and not _field_ok(rec[name], prop):
                    shown = type(rec[name]).__name__
                    raise bad(f"{section}[{i}].{name} has the wrong type ({shown})")
    return data


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
