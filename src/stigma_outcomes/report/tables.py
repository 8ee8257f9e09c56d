"""Statistics and data-quality tables, with suppressed cells already marked."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .content import (
    ALERT_PROBLEMS,
    Table,
    record_key,
)
from .formatting import count, decimals_for_range, interval, is_number, num, percent, pvalue
from .outcomes import OutcomeInfo
from .privacy import Disclosure

UNLINKED_COLUMNS = [
    "Scale · group · waves",
    "n before",
    "n after",
    "Before: mean (SD)",
    "After: mean (SD)",
    "Difference [95% CI]",
    "Hedges' g [95% CI]",
    "p, Welch t test (adjusted)",
]


def one_contrast(recs: list[dict[str, Any]]) -> tuple[str, str] | None:
    """The (from, to) waves when every record compares the same two waves, else ``None``.

    Examples
    --------
    >>> one_contrast([{"from_wave": "pre", "to_wave": "post"}] * 2)
    ('pre', 'post')
    >>> one_contrast([{"from_wave": "pre", "to_wave": "post"},
    ...               {"from_wave": "pre", "to_wave": "follow-up"}]) is None
    True
    """
    pairs = {(str(r.get("from_wave")), str(r.get("to_wave"))) for r in recs}
    return next(iter(pairs)) if len(pairs) == 1 else None


def row_label(
    info: OutcomeInfo, rec: dict[str, Any], waves: bool, groups: bool = True, small: bool = False
) -> str:
    """Scale · group · waves, leaving out what is the same on every row of the table.

    A group too small to show (``small``) is not named: its label may point at the few
    people in it (issue 18).
    """
    group = rec.get("group")
    name = "a small group" if small and group is not None else (group or "Everyone")
    label = f"{info.name} · {name}" if groups else info.name
    if waves:
        label += f" · {rec.get('from_wave')}→{rec.get('to_wave')}"
    return label


def has_groups(recs: list[dict[str, Any]]) -> bool:
    return any(r.get("group") is not None for r in recs)


def first_column(recs: list[dict[str, Any]]) -> str:
    parts = ["Scale"] + (["group"] if has_groups(recs) else [])
    return " · ".join(parts + ([] if one_contrast(recs) else ["waves"]))


def unlinked_rows(
    recs: list[dict[str, Any]], infos: dict[str, OutcomeInfo], d: Disclosure
) -> list[list[str]]:
    rows = []
    waves, groups = one_contrast(recs) is None, has_groups(recs)
    for rec in recs:
        info = infos[str(rec["scale"])]
        key = record_key("unlinked", rec)
        dec = decimals_for_range(info.range_low, info.range_high)
        small = "small" in (d.status(f"{key}|n_before"), d.status(f"{key}|n_after"))
        label = row_label(info, rec, waves, groups, small)
        nb = count_or_mark(d, f"{key}|n_before", rec.get("n_before"))
        na = count_or_mark(d, f"{key}|n_after", rec.get("n_after"))
        if not d.shown(f"{key}|stats"):
            rows.append([label, nb, na, *(["not shown"] * 5)])
            continue
        low, high = rec.get("mean_difference_ci_low"), rec.get("mean_difference_ci_high")
        diff_ci = interval(low, high, dec)
        g_ci = interval(rec.get("hedges_g_ci_low"), rec.get("hedges_g_ci_high"), 2)
        rows.append(
            [
                label,
                nb,
                na,
                f"{num(rec.get('mean_before'), dec)} ({num(rec.get('sd_before'), dec)})",
                f"{num(rec.get('mean_after'), dec)} ({num(rec.get('sd_after'), dec)})",
                f"{num(rec.get('mean_difference'), dec, signed=True)} [{diff_ci}]",
                f"{num(rec.get('hedges_g'), 2, signed=True)} [{g_ci}]",
                _holm_or_unadjusted(rec),
            ]
        )
    return rows


def _holm_or_unadjusted(rec: dict[str, Any]) -> str:
    # Results written before unlinked tests were Holm-adjusted carry only the raw p.
    if is_number(rec.get("p_t_holm")):
        return pvalue(rec["p_t_holm"]).removeprefix("p ").removeprefix("= ")
    return pvalue(rec.get("p_t")).removeprefix("p ").removeprefix("= ") + " (unadjusted)"


PLAIN_WORDS = {
    "insufficient_items": "too few answers to score a scale",
    "unmatched_participant": "answered at one survey wave only",
    "pii_column_dropped": "personal-data column (name, e-mail, IP address…)",
    "unknown_label": "answer not among the response options",
    "out_of_range": "answer outside the response scale",
    "survey_preview": "survey preview, not a real response",
    "unfinished_response": "survey left unfinished",
    "duplicate_participant": "same person answered twice at one wave",
    "missing_answer": "question left blank",
    "set_missing": "treated as not answered",
    "row_excluded": "response set aside",
    "kept_out_of_every_output": "kept out of every output",
    "form_incomplete": "questionnaire marked incomplete in the survey system",
    "no_scored_form": "survey row without any of the questionnaires analysed",
    "repeat_instances_as_waves": "repeated questionnaire: each repeat analysed as its own wave",
    "not_administered": "questionnaire not asked at this survey wave",
    "not_scored_at_this_wave": "not scored at this wave",
    "no_answers_at_wave": "every question left blank at a survey wave",
}
"""Ledger problem and action codes in words a funder understands (others: code, spaced)."""


def problem_label(problem: str) -> str:
    """A ledger code in plain words.

    Examples
    --------
    >>> problem_label("out_of_range"), problem_label("new_problem_kind")
    ('answer outside the response scale', 'new problem kind')
    """
    return PLAIN_WORDS.get(problem, problem.replace("_", " "))


NOT_PEOPLE = ("pii_column_dropped", "survey_preview", "not_administered")
"""Ledger problems that count things, not people (columns; staff test runs; questionnaires
not asked at a wave): shown as they are, whatever their size."""

PLAIN_ACTIONS = {
    "form_incomplete": "answers not scored, because the form was marked incomplete",
    "no_answers_at_wave": "counted as not answering that survey",
}
"""What was done, in plain words, where the ledger's action names options or settings."""


def action_words(problem: str, action: str) -> str:
    """What was done about a problem, in words a funder reads (never an option name).

    Examples
    --------
    >>> action_words("out_of_range", "treated_as_missing")
    'treated as missing'
    >>> action_words("form_incomplete", "answers not scored; include_incomplete scores them")
    'answers not scored, because the form was marked incomplete'
    >>> action_words("new_kind", "see option keep_all=true")
    'handled as listed in the evaluator’s quality-check file'
    """
    if problem in PLAIN_ACTIONS:
        return PLAIN_ACTIONS[problem]
    if action in ("", "nan", "None"):
        return ""
    if action in PLAIN_WORDS or all(c.isalpha() or c in "_ ;" for c in action):
        return problem_label(action)
    return "handled as listed in the evaluator’s quality-check file"


def register_ledger(ledger: pd.DataFrame | None, d: Disclosure) -> list[tuple[str, int, str]]:
    """Count the ledger's problems (alerts left out) and register the counts; table rows."""
    if ledger is None or ledger.empty or "problem" not in ledger.columns:
        return []
    problem = ledger["problem"].astype(str)
    keep = ~problem.str.contains("|".join(ALERT_PROBLEMS), case=False, regex=True)
    led = ledger.loc[keep]
    if led.empty:
        return []
    action = led["action"].astype(str) if "action" in led.columns else pd.Series("", led.index)
    pid = led["participant_id"] if "participant_id" in led.columns else pd.Series(None, led.index)
    frame = pd.DataFrame({"problem": led["problem"].astype(str), "action": action, "pid": pid})
    cases = frame.groupby("problem").size()
    people = frame.dropna(subset=["pid"]).groupby("problem")["pid"].nunique()
    actions = frame.groupby("problem")["action"].agg(lambda s: s.value_counts().index[0])
    rows = []
    for prob in sorted(cases.index):
        key = f"ledger|{prob}"
        person = prob not in NOT_PEOPLE
        d.count(f"{key}|cases", int(cases[prob]), person=person)
        n_people = int(people.get(prob, 0))
        if n_people:
            d.count(f"{key}|people", n_people)
            # Each person affected is at least one case: cases = people + further cases.
            further = int(cases[prob]) - n_people
            d.count(f"{key}|further", further, person=False, published=False)
            d.relation(f"{key}|cases", [f"{key}|people", f"{key}|further"])
        rows.append((prob, n_people, str(actions[prob])))
    return rows


def ledger_table(rows: list[tuple[str, int, str]], d: Disclosure) -> Table | None:
    """The data-quality table from :func:`register_ledger`'s rows, after the audit."""
    if not rows:
        return None
    out = []
    for prob, n_people, act in rows:
        out.append(
            [
                problem_label(prob),
                d.mark(f"ledger|{prob}|cases"),
                d.mark(f"ledger|{prob}|people") if n_people else "–",
                action_words(prob, act),
            ]
        )
    return Table(
        "data-quality",
        "Problems found in the survey data, and what was done",
        ["Problem", "Times found (n)", "People affected (n)", "What was done"],
        out,
        [
            "Times found: answers, rows or columns with the problem. People affected: "
            "participants with at least one (“–” where the problem is not about a person, "
            "such as a personal-data column). Counts of columns and of survey previews are "
            "not counts of people and are shown as they are. Counted from the data-quality "
            "ledger; the full ledger and a quality-check file are kept by the evaluator, "
            "not part of this report."
        ],
        widths=[2.6, 0.8, 0.9, 1.6],
    )


def count_or_mark(d: Disclosure, key: str, value: Any) -> str:
    if not d.shown(key):
        return d.mark(key)
    return count(value) if is_number(value) else "–"


def paired_rows(
    recs: list[dict[str, Any]], infos: dict[str, OutcomeInfo], d: Disclosure
) -> list[list[str]]:
    rows = []
    waves, groups = one_contrast(recs) is None, has_groups(recs)
    for rec in recs:
        info = infos[str(rec["scale"])]
        key = record_key("paired", rec)
        dec = decimals_for_range(info.range_low, info.range_high)
        label = row_label(info, rec, waves, groups, d.status(f"{key}|n_pairs") == "small")
        n_cell = count_or_mark(d, f"{key}|n_pairs", rec.get("n_pairs"))
        if rec.get("not_asked_at"):
            # A change that rests on nobody because the questionnaire was not asked at a wave
            # says so, rather than a row of dashes that reads as data lost.
            rows.append([label, n_cell, f"not asked at the {rec['not_asked_at']} survey",
                         *["–"] * 7])  # fmt: skip
            continue
        if not d.shown(f"{key}|stats"):
            rows.append(
                [
                    label,
                    n_cell,
                    *(["‡" if d.status(f"{key}|n_pairs") == "hidden" else "not shown"] * 8),
                ]
            )
            continue
        n = rec.get("n_pairs") or 0
        shares = [
            share_or_mark(d, f"{key}|{name}", rec.get(name), f"{key}|{name}|pct", n)
            for name in ("n_reliably_improved", "n_reliably_deteriorated")
        ]
        rows.append(
            [
                label,
                n_cell,
                f"{num(rec.get('pre_mean'), dec)} ({num(rec.get('pre_sd'), dec)})",
                f"{num(rec.get('post_mean'), dec)} ({num(rec.get('post_sd'), dec)})",
                f"{num(rec.get('mean_change'), dec, signed=True)} "
                f"[{interval(rec.get('mean_change_ci_low'), rec.get('mean_change_ci_high'), dec)}]",
                f"{num(rec.get('d_z'), 2, signed=True)} "
                f"[{interval(rec.get('d_z_ci_low'), rec.get('d_z_ci_high'), 2)}]",
                bare_p(rec.get("p_t_holm")),
                bare_p(rec.get("p_wilcoxon")),
                *(shares if n else ["–", "–"]),
            ]
        )
    return rows


def bare_p(p: Any) -> str:
    """A p value for a table cell: "0.013", "< 0.001", "–".

    Examples
    --------
    >>> bare_p(0.0131), bare_p(0.00001), bare_p(None)
    ('0.013', '< 0.001', '–')
    """
    if not is_number(p):
        return "–"
    return pvalue(p).removeprefix("p ").removeprefix("= ")


def share_or_mark(d: Disclosure, key: str, value: Any, pct_key: str, total: Any) -> str:
    """A count of people as "% (n)" of ``total``, its mark when suppressed, the bare count
    when its share may not be printed."""
    if not d.shown(key):
        return d.mark(key)
    if not is_number(value):
        return "–"
    if d.shown(pct_key) and is_number(total) and total:
        return f"{percent(value, total)} ({count(value)})"
    return count(value)


PAIRED_WIDTHS = [2.0, 0.45, 0.95, 0.95, 1.1, 1.1, 0.8, 0.8, 0.85, 0.85]
"""Relative widths for the paged layout: room for the row label, numbers on one line each."""
UNLINKED_WIDTHS = [2.5, 0.6, 0.6, 1.0, 1.0, 1.2, 1.2, 0.95]

PAIRED_COLUMNS = [
    "Scale · group · waves",
    "n",
    "Before: mean (SD)",
    "After: mean (SD)",
    "Change [95% CI]",
    "d_z [95% CI]",
    "p, t test (adjusted)",
    "p, Wilcoxon",
    "Reliably better, % (n)",
    "Reliably worse, % (n)",
]
