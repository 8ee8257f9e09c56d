"""Group and site labels are published: a column that identifies people cannot be one.

The labels of a grouping column (``--group-col``, ``groups:``) or pooling column
(``--pool-by``, ``pool_by:``) are printed in results files and reports meant for others.
A column is refused as a grouping column when

* it is the participant-ID column (participant codes would become group names);
* it is one of the scores' own key columns (``wave``, ``instrument``, ``scale``): each
  row's place in the table, not something participants share;
* the personal-data scan flags it (its name, e.g. ``email``, or its content);
* its values are mostly unique — nearly one group per person is not a grouping, and
  every label would point at one person;
* any of its values looks like an e-mail address, a phone number, an IP address or a
  web address: one planted personal value is enough to refuse the column.

The message names the column and the reason, never the value found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from ..errors import InputError
from ._codes import distinct_texts

MOSTLY_UNIQUE = 0.5
"""A column with more distinct labels than this share of its participants is refused."""

_LABEL_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}"), "an e-mail address"),
    (re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE), "a web address"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b"), "an IP address"),
    # Nine or more digits with the usual separators: a phone number (a date has eight).
    (re.compile(r"(?<![\w.])\+?\(?\d(?:[\s().-]*\d){8,14}(?![\w.])"), "a phone number"),
]


def personal_label_reason(values: Iterable[object]) -> str | None:
    """What kind of personal value one of ``values`` looks like, if any.

    Examples
    --------
    >>> personal_label_reason(["Riverside", "jo@example.org"])
    'an e-mail address'
    >>> personal_label_reason(["+44 20 7946 0958"])
    'a phone number'
    >>> personal_label_reason(["2025-03-01", "Site 12", "arm B"]) is None
    True
    """
    for value in values:
        if not isinstance(value, str):
            continue
        for pattern, reason in _LABEL_PATTERNS:
            if pattern.search(value):
                return reason
    return None


_KEY_COLUMNS = {
    "participant_id": "it is the participant-ID column (participant codes would be printed "
    "as groups)",
    "wave": "it is the scores' own wave column (each row's wave, not a group of people)",
    "instrument": "it is the scores' own instrument column (each row's questionnaire, not a "
    "group of people)",
    "scale": "it is the scores' own scale column (each row's scale, not a group of people)",
}
"""The score table's key columns, none of which can group participants, and why."""


def refuse_key_columns(columns: Mapping[str, str | None]) -> None:
    """Refuse a grouping column that is one of the score table's key columns.

    The cheap part of :func:`check_grouping_columns`, run wherever scores are coded for
    grouping (:func:`.pairing.valid_scores`), by whatever entry point: a participant code
    never becomes a group label, and a wave, instrument or scale is no group of people.

    Examples
    --------
    >>> refuse_key_columns({"group column": "arm"})
    >>> try:
    ...     refuse_key_columns({"group column": "participant_id"})
    ... except InputError as err:
    ...     print(err.what)
    group column 'participant_id' cannot group people: it is the participant-ID column ...
    """
    for option, column in columns.items():
        if column in _KEY_COLUMNS:
            raise _refusal(option, column, _KEY_COLUMNS[column])


def _refusal(option: str, column: str, reason: str) -> InputError:
    return InputError(
        f"{option} '{column}' cannot group people: {reason}",
        where=f"{option} {column}",
        fix="group by a column of programme arms, sites or cohorts shared by "
        "several people (and keep personal data out of grouping columns)",
    )


def check_grouping_columns(
    scores: pd.DataFrame,
    columns: Mapping[str, str | None],
    *,
    id_columns: Iterable[str] = ("participant_id",),
    personal: Iterable[str] = (),
) -> None:
    """Refuse grouping or pooling columns that identify people (see the module docstring).

    Parameters
    ----------
    scores : DataFrame
        Tidy scores (one row per participant × wave × scale) holding the columns.
    columns : mapping
        Option name (``"--group-col"``) → column, ``None`` when not used.
    id_columns : iterable of str
        Names of the participant-ID column (in the scores and in the export).
    personal : iterable of str
        Columns the personal-data scan flagged in the exports.

    Raises
    ------
    InputError
        Naming the option, the column and the reason (never the value found).

    Examples
    --------
    >>> s = pd.DataFrame({"participant_id": list("abcdef"), "arm": list("xxxyyy"),
    ...                   "who": list("abcdef")})
    >>> check_grouping_columns(s, {"--group-col": "arm"})
    >>> try:
    ...     check_grouping_columns(s, {"--group-col": "who"})
    ... except InputError as err:
    ...     print(err.what)
    --group-col 'who' cannot group people: its values are mostly unique (6 labels for 6 ...
    """
    ids = set(id_columns)
    flagged = set(personal)
    for option, column in columns.items():
        if column is None or column not in scores.columns:
            continue
        reason = _reason(scores, column, ids, flagged)
        if reason:
            raise _refusal(option, column, reason)


def _reason(scores: pd.DataFrame, column: str, ids: set[str], flagged: set[str]) -> str | None:
    if column in ids:
        return _KEY_COLUMNS["participant_id"]
    if column in _KEY_COLUMNS:
        return _KEY_COLUMNS[column]
    if column in flagged:
        return "the personal-data scan flagged it"
    from ..ingest.pii import find_pii_columns

    values = scores[column]
    labels = distinct_texts(values)
    found = find_pii_columns(pd.DataFrame({column: pd.Series(labels, dtype=object)}))
    if column in found:
        return f"the personal-data scan flagged it ({found[column]})"
    kind = personal_label_reason(labels)
    if kind:
        return f"one of its values looks like {kind}"
    if "participant_id" in scores.columns:
        people = _people_with(scores["participant_id"], values.notna().to_numpy(dtype=bool))
        if len(labels) >= 2 and len(labels) > MOSTLY_UNIQUE * people:
            return (
                f"its values are mostly unique ({len(labels)} labels for {people} "
                "participants), so each label points at a person"
            )
    return None


def _people_with(ids: pd.Series, mask: np.ndarray) -> int:
    """``ids[mask].nunique()``, counted on a categorical's codes when it is one.

    The codes mark a table of flags (one per category, and one more that code −1, a
    missing ID, marks and is not counted): no copy of the scores' length when every row
    is kept, and no count per category.
    """
    if not isinstance(ids.dtype, pd.CategoricalDtype):
        return int(ids[mask].nunique())
    codes = ids.array.codes  # a view (``.cat.codes`` copies them)
    if not mask.all():
        codes = codes[mask]
    n = len(ids.cat.categories)
    seen = np.zeros(n + 1, dtype=bool)
    seen[codes] = True  # code −1 marks the last flag
    return int(np.count_nonzero(seen[:n]))
