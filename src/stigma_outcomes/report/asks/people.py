"""Per-person facts the funder sections need: a carried column's value, pairs of scores.

The tidy scores hold one row per participant × wave × scale, with every carried column
repeated on each row. These helpers read them once per column or scale, vectorised, and
never return identifiers beyond the index they are joined on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InputError
from ..privacy import Disclosure

NOT_RECORDED = "Not recorded"


def require_columns(scores: pd.DataFrame | None, columns: Sequence[str], option: str) -> None:
    """Refuse a column the evaluation asks a section for but did not carry into the scores."""
    have = set() if scores is None else set(scores.columns)
    missing = [c for c in columns if c not in have]
    if missing:
        raise InputError(
            f"report.{option} names column '{missing[0]}', which is not in the scores",
            where=f"report.{option}",
            fix=f"add '{missing[0]}' to 'carry' in the evaluation file (and check its spelling "
            "in the export)",
        )


def tie(d: Disclosure, key: str, candidates: Sequence[str]) -> None:
    """Declare ``key`` equal to each already-registered candidate count of the same value.

    A number printed twice under two keys (the programme group's size in the flow table and
    in the cost section) must be one number to the audit, or hiding it in one place and
    printing it in the other would defeat the suppression.
    """
    for other in candidates:
        if other != key and other in d.values and d.values[other] == d.values.get(key):
            d.relation(key, [other])


def starters_key(group: str | None) -> str:
    """The flow's key for everyone (or one group) who answered the first survey."""
    return "flow|pre" if group is None else f"flowg|{group}|pre"


def person_values(
    scores: pd.DataFrame, column: str, waves: Sequence[str], people: pd.Index | None = None
) -> pd.Series:
    """Each participant's value of ``column``: the first one recorded, in ``waves`` order.

    People in ``people`` with no value get :data:`NOT_RECORDED`.

    Examples
    --------
    >>> s = pd.DataFrame({"participant_id": ["a", "a", "b"], "wave": ["post", "pre", "post"],
    ...                   "gender": ["W", None, "M"]})
    >>> person_values(s, "gender", ["pre", "post"]).to_dict()
    {'a': 'W', 'b': 'M'}
    """
    rows = scores[["participant_id", "wave", column]]
    text = rows[column].astype("string").str.strip()
    rows = rows.assign(_v=text)[text.notna() & (text != "")]
    order = {str(w): i for i, w in enumerate(waves)}
    rank = rows["wave"].astype(str).map(order).fillna(len(order))
    first = rows.assign(_r=rank).sort_values("_r", kind="stable")
    first = first.drop_duplicates("participant_id")
    values = first.set_index("participant_id")["_v"].astype(object)
    if people is not None:
        values = values.reindex(people).fillna(NOT_RECORDED)
    return values


def wave_people(scores: pd.DataFrame, wave: str) -> pd.Index:
    """Everyone with a row at ``wave`` (sorted, so order carries no identity)."""
    ids = scores.loc[scores["wave"].astype(str) == str(wave), "participant_id"]
    return pd.Index(np.sort(ids.astype(str).unique()), name="participant_id")


def score_pairs(
    scores: pd.DataFrame, instrument: str, scale: str, fw: str, tw: str
) -> pd.DataFrame:
    """Each complete pair's scores: index participant, columns ``pre``, ``post``, ``change``."""
    ok = (
        (scores["instrument"] == instrument)
        & (scores["scale"] == scale)
        & (scores["status"] == "ok")
        & scores["score"].notna()
    )
    part = scores.loc[ok, ["participant_id", "wave", "score"]]
    part = part.assign(participant_id=part["participant_id"].astype(str))
    pre = part[part["wave"].astype(str) == fw].drop_duplicates("participant_id")
    post = part[part["wave"].astype(str) == tw].drop_duplicates("participant_id")
    both = pre.merge(post, on="participant_id", suffixes=("_pre", "_post"))
    out = pd.DataFrame(
        {"pre": both["score_pre"].to_numpy(float), "post": both["score_post"].to_numpy(float)},
        index=pd.Index(both["participant_id"], name="participant_id"),
    )
    return out.assign(change=out["post"] - out["pre"]).sort_index()


def programme_group(data: Mapping[str, Any], asked: str | None, option: str) -> str | None:
    """The group a section is about: the one asked for, else the only non-reference group of
    a comparison design, else None (everyone)."""
    settings = (data.get("meta") or {}).get("settings") or {}
    levels = [str(g) for g in settings.get("group_levels") or []]
    if asked is not None:
        if asked not in levels:
            raise InputError(
                f"report.{option}.group '{asked}' is not one of the groups compared",
                where=f"report.{option}.group",
                fix=f"use one of: {', '.join(levels) or '(no groups: leave group out)'}",
            )
        return asked
    reference = settings.get("reference_group")
    others = [g for g in levels if g != str(reference)]
    return others[0] if reference is not None and len(others) == 1 else None


def paired_record(
    data: Mapping[str, Any], outcome: str, group: str | None, primary: tuple[str, str] | None
) -> dict[str, Any] | None:
    """The results record of ``INSTRUMENT.SCALE`` for ``group`` over the primary contrast."""
    instrument, _, scale = outcome.partition(".")
    for rec in data.get("paired") or []:
        if (
            rec.get("instrument") == instrument
            and rec.get("scale") == scale
            and (None if rec.get("group") is None else str(rec["group"])) == group
            and (primary is None or (rec.get("from_wave"), rec.get("to_wave")) == primary)
        ):
            return rec
    return None


def known_outcomes(data: Mapping[str, Any]) -> list[str]:
    """Every ``INSTRUMENT.SCALE`` with a paired record, in results order."""
    keys = [f"{r['instrument']}.{r['scale']}" for r in data.get("paired") or []]
    return list(dict.fromkeys(keys))


def check_outcomes(data: Mapping[str, Any], asked: Sequence[str], option: str) -> list[str]:
    """The outcomes a section covers: those asked (each must exist), else each instrument's
    overall scale (``total``, or its first)."""
    known = known_outcomes(data)
    for key in asked:
        if key not in known:
            raise InputError(
                f"report.{option} names outcome '{key}', which has no before–after results",
                where=f"report.{option}",
                fix=f"use INSTRUMENT.SCALE from: {', '.join(known) or '(none)'}",
            )
    if asked:
        return list(asked)
    chosen: dict[str, str] = {}
    for key in known:
        inst, scale = key.split(".", 1)
        if inst not in chosen or scale == "total":
            chosen[inst] = key
    return list(chosen.values())
