"""Evaluator-only quality checks: kept beside the scores, never in a funder's report.

Mis-keying warnings name internal item ids; the ledger's action strings name options and
settings; alert counts are for the evaluator's follow-up; the disclosure audit's list of
added cells names internal keys. All of it is useful to the person running the analysis
and none of it belongs in a PDF, HTML or Markdown report for others. The pipeline writes
:func:`evaluator_notes` to ``evaluator_qa.txt`` beside the scores and prints it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .content import ALERT_PROBLEMS
from .privacy import Disclosure


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
        prefix = "ALERT (follow up; never reported): " if alert else "Ledger: "
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
