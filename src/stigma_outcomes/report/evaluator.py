"""Evaluator-only quality checks: kept beside the scores, never in a funder's report.

Mis-keying warnings name internal item ids; the ledger's action strings name options and
settings; alert counts are for the evaluator's follow-up; the disclosure audit's list of
added cells names internal keys. All of it is useful to the person running the analysis
and none of it belongs in a PDF, HTML or Markdown report for others. The pipeline writes
:func:`evaluator_notes` to ``evaluator_qa.txt`` beside the scores and prints it; the ``report``
command writes them beside the report it renders. A run's item-level alerts are not part of a
report (its model never holds them): the pipeline puts :func:`alert_notes` first in its QA
file, pointing to the alerts file it writes beside it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .content import ALERT_PROBLEMS
from .privacy import Disclosure

ALERT_PREFIX = "ALERT (follow up; never reported): "
"""How an alert line of the QA file begins (the ledger's alert problems begin the same way)."""


def miskey_warnings(data: dict[str, Any]) -> list[str]:
    """One warning per scale and wave whose items look reverse-keyed twice.

    Examples
    --------
    >>> miskey_warnings({"reliability": [{"instrument": "ismi29", "scale": "alienation",
    ...     "wave": "post", "miskeyed_items": ["ismi29_8"]}]})[0][:40]
    'Possible mis-keyed items in ismi29 alien'
    """
    out = []
    for rec in data.get("reliability") or []:
        items = rec.get("miskeyed_items") or []
        if items:
            out.append(
                f"Possible mis-keyed items in {rec.get('instrument')} {rec.get('scale')} at the "
                f"{rec.get('wave')} wave: item(s) {', '.join(str(i) for i in items)} correlate "
                "negatively with the rest of the scale after reverse-keying, which often "
                "means the survey platform had already reversed them. Check the export's "
                "coding before relying on this scale."
            )
    return out


def ledger_actions(ledger: pd.DataFrame | None) -> list[str]:
    """The ledger's problems with their action strings as recorded, and alert counts."""
    if ledger is None or ledger.empty or "problem" not in ledger.columns:
        return []
    action = ledger["action"].astype(str) if "action" in ledger.columns else ""
    frame = pd.DataFrame({"problem": ledger["problem"].astype(str), "action": action})
    counts = frame.value_counts(sort=False).sort_index()
    out = []
    for (problem, act), n in counts.items():
        alert = any(word in problem.lower() for word in ALERT_PROBLEMS)
        prefix = ALERT_PREFIX if alert else "Ledger: "
        out.append(f"{prefix}{problem} × {n}: {act}")
    return out


def audit_lines(d: Disclosure) -> list[str]:
    """What the disclosure audit did, with the internal keys of the counts it hid."""
    s = d.summary
    if s is None:
        return []
    lines = [
        f"Disclosure audit: threshold {s.threshold}; {s.counts} counts and {s.relations} "
        f"relations checked; {s.suppressed} not shown; {len(s.added)} hidden to protect "
        f"small counts; {s.solver_calls} solver calls."
    ]  # no timing: evaluator_qa.txt is an output, and reruns must give the same bytes
    lines += [f"  hidden to protect a small count: {key}" for key in s.added]
    lines += [f"  left out (too small to protect otherwise): {key}" for key in s.left_out]
    return lines


def evaluator_notes(data: dict[str, Any], ledger: pd.DataFrame | None, d: Disclosure) -> list[str]:
    """Every evaluator-only line for one report, in a fixed order.

    Examples
    --------
    >>> d = Disclosure(5); d.count("a", 3); _ = d.resolve()
    >>> evaluator_notes({}, None, d)[0].startswith("Disclosure audit: threshold 5")
    True
    """
    return [*audit_lines(d), *miskey_warnings(data), *ledger_actions(ledger)]


def alert_notes(
    alerts: pd.DataFrame, rules: list[tuple[str, str]], file_name: str | None
) -> list[str]:
    """The QA file's lines on a run's item-level alerts: how many, of which rule, and where.

    ``alerts`` is the scoring result's alert table (one row per answer that met a rule),
    ``rules`` every ``(instrument, rule)`` the scored instruments declare, and ``file_name``
    the evaluator-only file the alerts were written to. Counts only, per rule, item and wave:
    the participants are in that file, not here. Nothing when no instrument declares a rule.

    Examples
    --------
    >>> a = pd.DataFrame({"instrument": ["phq9"] * 3, "alert": ["self_harm"] * 3,
    ...     "item": ["9"] * 3, "wave": ["pre", "post", "pre"], "message": ["Follow up."] * 3})
    >>> lines = alert_notes(a, [("phq9", "self_harm")], "alerts.csv")
    >>> lines[0][:60]
    'ALERT (follow up; never reported): 3 answer(s) met an alert '
    >>> lines[1]
    '  phq9 self_harm, item 9: 3 (pre 2, post 1). Follow up.'
    >>> alert_notes(a.iloc[:0], [("phq9", "self_harm")], None)[0][:50]
    'Alerts: none. No answer met an alert rule (phq9 se'
    >>> alert_notes(a.iloc[:0], [], None)
    []
    """
    if alerts.empty:
        if not rules:
            return []
        declared = ", ".join(f"{inst} {rule}" for inst, rule in rules)
        return [
            f"Alerts: none. No answer met an alert rule ({declared}); no alerts file was written."
        ]
    lines = [
        f"{ALERT_PREFIX}{len(alerts)} answer(s) met an alert rule; each one, with the "
        f"participant, wave, item and answer, is in {file_name} beside this file (evaluator "
        "only: never share it)."
    ]
    # Waves in the order the run knows them (the scores' categories), else as they appear.
    wave = alerts["wave"]
    waves = wave.cat.categories if isinstance(wave.dtype, pd.CategoricalDtype) else wave.unique()
    order = [str(w) for w in waves]
    keys = ["instrument", "alert", "item"]
    frame = alerts[[*keys, "wave", "message"]].astype(object).astype(str)
    for (inst, rule, item), hits in frame.groupby(keys, sort=False):
        counts = hits["wave"].value_counts()
        by_wave = ", ".join(f"{w} {counts[w]}" for w in order if w in counts.index)
        lines.append(
            f"  {inst} {rule}, item {item}: {len(hits)} ({by_wave}). {hits['message'].iloc[0]}"
        )
    return lines
