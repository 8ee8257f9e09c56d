"""The share of people at or beyond an instrument's cut-off (or in its worst band), by wave.

The number a funder remembers ("70% of the group scored as lonely before, 57% after") is
counted here from the tidy scores of the people who answered both surveys, the same people
the change statistics rest on, for each group separately when there is a comparison group.
The cut-off comes from the instrument's definition, with its operator worded exactly ("2.5
or higher") and its status (verified, single source, convention ...). Every count is
registered with the disclosure audit before it resolves; nothing here prints a number the
audit has not passed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..comparison.records.meta import run_settings
from ._score_keys import ScoreKeys
from .content import Table, record_key
from .formatting import percent
from .outcomes import _definition
from .privacy import Disclosure

OPERATOR_WORDS = {">=": "{v} or higher", ">": "above {v}", "<=": "{v} or lower", "<": "below {v}"}
STATUS_WORDS = {
    "verified": "verified in two sources",
    "single_source": "from a single source",
    "uncertain": "uncertain",
    "convention": "a convention, not a validated threshold",
    "computed": "worked out by us",
}


def _trim(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


@dataclass(frozen=True)
class CutoffRule:
    """Who counts as beyond the line on one scale: a cut-off or the worst band.

    Examples
    --------
    >>> CutoffRule("ucla3", "total", "lonely", ">=", 6.0, status="convention").words
    '6 or higher'
    >>> CutoffRule("x", "total", "low wellbeing", "<", 41.0).words
    'below 41'
    """

    instrument: str
    scale: str
    label: str
    operator: str
    value: float
    high: float | None = None
    """Upper end of a band (``operator`` is then ``"band"``)."""
    status: str = "verified"
    scale_name: str = ""
    """Set when the rule belongs to another scale of the instrument than the headline one."""

    @property
    def words(self) -> str:
        if self.operator == "band":
            return f"{_trim(self.value)}–{_trim(self.high or self.value)}"
        return OPERATOR_WORDS[self.operator].format(v=_trim(self.value))

    @property
    def status_words(self) -> str:
        return STATUS_WORDS.get(self.status, self.status.replace("_", " "))

    def beyond(self, score: np.ndarray) -> np.ndarray:
        """Whether each score is at or beyond the line (NaN: False)."""
        v = self.value
        with np.errstate(invalid="ignore"):
            if self.operator == "band":
                return (score >= v) & (score <= (self.high if self.high is not None else v))
            return {
                ">=": score >= v,
                ">": score > v,
                "<=": score <= v,
                "<": score < v,
            }[self.operator]


def _worst_band(spec: Any) -> tuple[str, float, float] | None:
    bands = getattr(spec, "bands", None)
    levels = list(getattr(bands, "levels", None) or [])
    if len(levels) < 2:
        return None
    worse_high = getattr(spec, "direction", None) != "higher_is_better"
    band = max(levels, key=lambda b: b.min) if worse_high else min(levels, key=lambda b: b.min)
    return str(band.label), float(band.min), float(band.max)


def cutoff_rule(instrument: str, scale: str) -> CutoffRule | None:
    """The headline scale's cut-off, else its worst band, else another scale's cut-off.

    Examples
    --------
    >>> cutoff_rule("ismi29", "total").words, cutoff_rule("ismi29", "total").scale
    ('2.5 or higher', 'total_without_sr')
    >>> cutoff_rule("no-such-instrument", "total") is None
    True
    """
    definition = _definition(instrument)
    if definition is None:
        return None
    scales = {s.id: s for s in getattr(definition, "scales", [])}
    head = scales.get(scale)
    order = [head] if head is not None else []
    order += [s for s in scales.values() if s is not head]
    for spec in order:
        cut = getattr(spec, "clinical_cutoff", None)
        if cut is not None and cut.operator in OPERATOR_WORDS:
            return CutoffRule(
                instrument,
                spec.id,
                str(cut.label or "beyond the cut-off"),
                str(cut.operator),
                float(cut.value),
                status=str(cut.status),
                scale_name="" if spec is head else str(spec.name),
            )
        band = _worst_band(spec) if spec is head else None
        if band is not None:
            return CutoffRule(
                instrument,
                spec.id,
                band[0],
                "band",
                band[1],
                band[2],
                status=str(getattr(spec.bands, "status", "verified")),
            )
    return None


@dataclass
class ShareRow:
    """One group's (or everyone's) share beyond the line, at the first and a later wave."""

    rule: CutoffRule
    group: str | None
    waves: tuple[str, str]
    total_key: str
    beyond_keys: tuple[str, str]
    values: dict[str, int] = field(default_factory=dict)
    small: bool = False
    """A group of fewer people than the threshold: nothing of it is registered or shown."""

    def pct_key(self, i: int) -> str:
        return f"{self.beyond_keys[i]}|pct"


def _wave_columns(keys: ScoreKeys, rows: np.ndarray) -> dict[str, np.ndarray]:
    """The scale's scores (``rows``) as one column per wave, indexed by person.

    What ``pivot_table(index="participant_id", columns="wave", values="score",
    aggfunc="first")`` gave, without sorting or hashing rows: each column holds each
    person's first non-missing score at that wave (NaN: none); only waves with a score are
    columns, named by their text; rows without a participant code or a wave are left out.
    Waves of the same text are one column (the pivot repeated the name).
    """
    score = keys.score
    codes, names = keys.wave_codes
    person = keys.person
    rows = rows[~np.isnan(score[rows]) & (person[rows] > 0) & (codes[rows] >= 0)]
    columns: dict[str, np.ndarray] = {}
    for code in np.unique(codes[rows]):
        first = keys.first_rows(rows[codes[rows] == code])
        column = np.full(keys.people, np.nan)
        hit = first >= 0
        column[hit] = score[first[hit]]
        columns[names[code]] = column
    return columns


def _first_group(
    keys: ScoreKeys, group_col: str | None, first: str, people: np.ndarray
) -> pd.Series | None:
    """The group of each of ``people`` on their first row at the ``first`` wave (missing
    when they have none there): each person's group as recorded at the first survey."""
    scores = keys.scores
    if not group_col or group_col not in scores.columns:
        return None
    firsts = keys.first_at_wave(first)[people]
    found = firsts >= 0
    labels = scores[group_col].iloc[np.where(found, firsts, 0)].reset_index(drop=True)
    return labels if found.all() else labels.where(found)


def register_cutoff_shares(
    data: dict[str, Any],
    scores: pd.DataFrame | None,
    heads: list[tuple[str, str]],
    contrasts: list[tuple[str, str]],
    d: Disclosure,
    keys: ScoreKeys | None = None,
) -> list[ShareRow]:
    """Count, register and return the shares beyond each headline outcome's line.

    ``heads`` are (instrument, headline scale); ``contrasts`` the (first, later) wave pairs
    to count (the main one, then any follow-up). Counted by group when the results carry a
    comparison between groups (ANCOVA records), else for everyone. A group's pairs are
    tied to its paired record's ``n_pairs`` when the counts agree (the same people), so the
    audit sees that the two parts add up to a published total. ``keys``: the scores' codes,
    shared with the rest of the report (made here when not given).
    """
    if scores is None or scores.empty:
        return []
    keys = keys if keys is not None else ScoreKeys(scores)
    settings = run_settings(data)
    group_col = settings.get("group_by")
    paired = data.get("paired") or []
    # By group only where the summary compares the groups (an analysed comparison group).
    controlled = any(a.get("group") is not None for a in data.get("ancova") or [])
    rows: list[ShareRow] = []
    for instrument, head in heads:
        rule = cutoff_rule(instrument, head)
        if rule is None:
            continue
        selected = np.flatnonzero(
            keys.text_is("instrument", instrument)
            & keys.text_is("scale", rule.scale)
            & keys.text_is("status", "ok")
        )
        if not len(selected):
            continue
        columns = _wave_columns(keys, selected)
        for first, later in contrasts:
            if first not in columns or later not in columns:
                continue
            both = ~np.isnan(columns[first]) & ~np.isnan(columns[later])
            pairs = {w: columns[w][both] for w in (first, later)}
            groups = (
                _first_group(keys, group_col, first, np.flatnonzero(both)) if controlled else None
            )
            by: list[tuple[str | None, dict[str, np.ndarray]]] = [(None, pairs)]
            if groups is not None:
                by = [
                    (str(g), {w: v[(groups == g).to_numpy(dtype=bool)] for w, v in pairs.items()})
                    for g in sorted(groups.dropna().unique())
                ]
            for group, part in by:
                rows.append(_register_row(rule, group, (first, later), part, paired, d))
    return rows


def _register_row(
    rule: CutoffRule,
    group: str | None,
    waves: tuple[str, str],
    part: dict[str, np.ndarray],
    paired: list[dict[str, Any]],
    d: Disclosure,
) -> ShareRow:
    first, later = waves
    base = f"cut|{rule.instrument}|{rule.scale}|{first}|{later}|{'*' if group is None else group}"
    n = len(part[first])
    rec = next(
        (
            r
            for r in paired
            if r.get("instrument") == rule.instrument
            and str(r.get("scale")) == rule.scale
            and (str(r.get("from_wave")), str(r.get("to_wave"))) == waves
            and (None if r.get("group") is None else str(r.get("group"))) == group
        ),
        None,
    )
    total_key = f"{base}|n"
    if 0 < n < d.threshold:
        # Its shares could never be shown; registering them would only tie the audit's hands.
        return ShareRow(rule, group, waves, total_key, ("", ""), {"n": n}, small=True)
    if rec is not None and rec.get("n_pairs") == n:
        total_key = f"{record_key('paired', rec)}|n_pairs"
    else:
        d.count(total_key, n)
    row = ShareRow(rule, group, waves, total_key, (f"{base}|{first}", f"{base}|{later}"))
    row.values["n"] = n
    for i, wave in enumerate(waves):
        beyond = int(np.count_nonzero(rule.beyond(part[wave])))
        key = row.beyond_keys[i]
        row.values[wave] = beyond
        d.count(key, beyond)
        d.count(f"{key}|within", n - beyond)
        d.relation(total_key, [key, f"{key}|within"])
        d.share(row.pct_key(i), key, total_key)
    return row


def share_text(row: ShareRow, i: int, d: Disclosure) -> str:
    """One wave's share as printed, e.g. ``"70%"``, or the audit's mark for its count."""
    if d.shown(row.pct_key(i)):
        return percent(row.values[row.waves[i]], row.values["n"])
    if d.status(row.beyond_keys[i]) == "small":
        # Among percentages a bare "<5" reads as "<5%": "65% → fewer than 5 of 34 people".
        return f"fewer than {d.threshold}"
    return d.mark(row.beyond_keys[i])


def share_cell(row: ShareRow, d: Disclosure) -> str:
    """``"70% → 57% of 90 people"``, or what the audit allows of it."""
    if row.small:
        return f"not shown (fewer than {d.threshold} people)"
    people = d.mark(row.total_key)
    if d.status(row.total_key) != "shown":
        return f"not shown ({people} people)"
    return f"{share_text(row, 0, d)} → {share_text(row, 1, d)} of {people} people"


def rule_heading(rule: CutoffRule, short_name: str) -> str:
    """How the line is named, e.g. ``"Lonely: 6 or higher on the UCLA-3 score (a
    convention, not a validated threshold)"``."""
    where = f"the {rule.scale_name}" if rule.scale_name else f"the {short_name} score"
    return f"{rule.label.capitalize()}: {rule.words} on {where} ({rule.status_words})"


def share_table(
    rows: list[ShareRow], names: dict[str, str], d: Disclosure, first_group: str | None = None
) -> Table | None:
    """The summary's table of shares beyond each line: one row an outcome, one column a
    group and pair of surveys (the main one, then any follow-up).

    ``first_group`` (the programme group) gets the first columns.
    """
    if not rows:
        return None
    waves = list(dict.fromkeys(r.waves for r in rows))
    groups = sorted({r.group for r in rows}, key=lambda g: (g != first_group, str(g)))
    columns = [(g, w) for g in groups for w in waves]
    # A group too small to show is not named: its label may point at its few people.
    hidden = {
        r.group
        for r in rows
        if r.group is not None and (r.small or d.status(r.total_key) == "small")
    }
    body: dict[str, list[str]] = {}
    for row in rows:
        head = rule_heading(row.rule, names.get(row.rule.instrument, row.rule.instrument))
        cells = body.setdefault(head, ["–"] * len(columns))
        cells[columns.index((row.group, row.waves))] = share_cell(row, d)

    def title(g: str | None, w: tuple[str, str]) -> str:
        who = "Everyone" if g is None else ("A small group" if g in hidden else f"{g} group")
        return f"{who}: {w[0]} → {w[1]}"

    first, later = waves[0]
    return Table(
        "cutoff-shares",
        f"The share beyond each scale's line, {first} → {later} survey"
        + (", and at follow-up" if len(waves) > 1 else ""),
        ["Who is counted", *(title(g, w) for g, w in columns)],
        [[head, *cells] for head, cells in body.items()],
        [
            "People who answered both surveys of each pair. The lines come from each "
            "instrument's definition; the brackets say how well each is established."
        ],
        widths=[2.6, *([1.6] * len(columns))],
    )
