"""The technical annex, after the body: what a programme officer checks, kept off the pages
a funder reads.

How each scale was scored; the inputs of the reliable change index, one row per scale (a
scale's inputs are the same for every contrast, so a contrast adds a wave, not a row);
internal consistency per wave; and the mixed models' joint F tests across all waves.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from .content import Section, Table, record_key
from .formatting import count, interval, is_number, num, pvalue
from .outcomes import Definitions
from .privacy import Disclosure


def annex_section(
    data: dict[str, Any], d: Disclosure, definitions: Definitions | None = None
) -> Section | None:
    """The "Technical annex" section, or None when there is nothing to put in it.

    Examples
    --------
    >>> annex_section({"paired": []}, Disclosure(5)) is None
    True
    """
    defs = definitions or Definitions()
    sec = Section("annex", "Technical annex")
    scoring = _scoring_rows(data, defs)
    if scoring:
        sec.tables.append(
            Table(
                "scoring-rules",
                "How each scale was scored",
                ["Scale", "Items", "Score", "Scored when"],
                scoring,
                widths=[3.0, 0.6, 1.2, 2.4],
            )
        )
    rci = _rci_rows(data, d, defs)
    if rci:
        columns = ["Scale", "Waves", "Reliability r", "Source of r", "SD", "Source of SD",
                   "Change needed"]  # fmt: skip
        widths = [2.0, 1.0, 0.7, 2.0, 0.5, 1.6, 0.7]
        caption = "Inputs of the reliable change index"
        if len({row[1] for row in rci}) == 1:
            # One contrast throughout: named once in the caption, not on every row.
            caption += f" ({rci[0][1]})"
            rci = [[row[0], *row[2:]] for row in rci]
            del columns[1], widths[1]
        sec.tables.append(
            Table(
                "rci-inputs",
                caption,
                columns,
                rci,
                [
                    "“–”: the definition gives no reliability coefficient for this scale and "
                    "none was supplied, so reliable change was not assessed for it. Change "
                    "needed = 1.96 × SD × √2 × √(1 − r), in scale points."
                ],
                widths=widths,
            )
        )
    rel_rows, not_computed = _reliability_rows(data, d, defs)
    if rel_rows:
        sec.tables.append(
            Table(
                "reliability",
                "Internal consistency in this sample, by wave",
                ["Scale · wave", "n", "Cronbach's alpha [95% CI]", "McDonald's omega"],
                rel_rows,
                [
                    "How consistently each scale's items were answered (0 to 1; 0.7 or more "
                    "is usually taken as acceptable for group comparisons)."
                ],
                widths=[3.0, 0.6, 1.6, 1.0],
            )
        )
    if not_computed:
        sec.paragraphs.append(_not_computed_sentence(not_computed, bool(rel_rows)))
    mixed = _mixed_rows(data, d, defs)
    if mixed:
        sec.tables.append(
            Table(
                "mixed-tests",
                "Tests across all waves (mixed models, every available answer)",
                ["Scale", "Question", "F (df)", "p"],
                mixed,
                [
                    "Type III F tests with Satterthwaite degrees of freedom, as R's lmerTest. "
                    "Not adjusted for the number of scales."
                ],
                widths=[2.6, 2.4, 1.3, 0.7],
            )
        )
    if not sec.tables and not sec.paragraphs:
        return None
    return sec


def _rci_rows(data: dict[str, Any], d: Disclosure, defs: Definitions) -> list[list[str]]:
    """One row per scale and set of inputs; the contrasts sharing them listed together."""
    rows: dict[tuple[str, ...], list[str]] = {}
    for rec in data.get("paired") or []:
        if rec.get("group") is not None:
            continue
        info = defs.describe(str(rec.get("instrument")), str(rec.get("scale")), rec)
        counted = _counts_of_scale(data, rec)
        cells = (
            f"{info.short_name} · {info.name}",
            num(rec.get("rci_reliability"), 2),
            _small_n_masked(rec.get("rci_reliability_source"), d.threshold, d, counted),
            num(rec.get("rci_sd"), 2),
            _small_n_masked(rec.get("rci_sd_source"), d.threshold, d, counted),
            num(rec.get("rci_threshold"), 2),
        )
        waves = rows.setdefault(cells, [])
        contrast = f"{rec.get('from_wave')}→{rec.get('to_wave')}"
        if contrast not in waves:
            waves.append(contrast)
    return [[c[0], ", ".join(w), *c[1:]] for c, w in rows.items()]


def _mixed_rows(data: dict[str, Any], d: Disclosure, defs: Definitions) -> list[list[str]]:
    from .outcome_charts import _hidden_groups, _means_by_group

    rows = []
    for m in data.get("mixed_models") or []:
        group = m.get("group_column")
        term = f"wave:{group}" if group else "wave"
        test = next((a for a in m.get("anova") or [] if a.get("term") == term), None)
        if test is None or not is_number(test.get("f")):
            continue
        if _hidden_groups(_means_by_group(m), d):
            continue
        info = defs.describe(str(m.get("instrument")), str(m.get("scale")), m)
        rows.append(
            [
                f"{info.short_name} · {info.name}",
                "Did the groups change alike?" if group else "Did the average change at all?",
                f"{num(test['f'], 2)} ({test['num_df']}, {num(test['den_df'], 1)})",
                pvalue(test.get("p")).removeprefix("p ").removeprefix("= "),
            ]
        )
    return rows


def _counts_of_scale(data: dict[str, Any], rec: dict[str, Any]) -> list[str]:
    """The registered counts a source note's "n = k" can be: everyone with a starting score
    on the scale (the attrition records' baseline), then the scale's in-sample n per wave."""
    same = (rec.get("instrument"), rec.get("scale"))
    starters = [
        f"{record_key('attrition', a)}|n_baseline"
        for a in data.get("attrition") or []
        if (a.get("instrument"), a.get("scale")) == same
        and a.get("group") is None
        and str(a.get("from_wave", rec.get("from_wave"))) == str(rec.get("from_wave"))
    ]
    in_sample = [
        f"{record_key('reliability', r)}|n"
        for r in data.get("reliability") or []
        if (r.get("instrument"), r.get("scale")) == same and r.get("group") is None
    ]
    return starters + in_sample


def _small_n_masked(
    source: Any, threshold: int, d: Disclosure | None = None, counted: Sequence[str] = ()
) -> str:
    """A results' source note with any small "n = k" (a count of people) shown as "n < t".

    An n that is one of the report's registered counts (``counted``, looked up in ``d``) is
    printed as the audit decided, so a count hidden elsewhere (‡) is hidden here too.

    Examples
    --------
    >>> _small_n_masked("in-sample alpha at 'pre' (n = 3)", 5)
    "in-sample alpha at 'pre' (n < 5)"
    >>> _small_n_masked("baseline sample SD, n = 237", 5), _small_n_masked(None, 5)
    ('baseline sample SD, n = 237', '–')
    >>> d = Disclosure(5)
    >>> d.count("all", 40); d.count("a", 37); d.count("b", 3); d.relation("all", ["a", "b"])
    >>> _small_n_masked("baseline sample SD, n = 37", 5, d, ["a"])
    'baseline sample SD, n = ‡'
    """
    import re

    if not source:
        return "–"

    def mask(m: re.Match[str]) -> str:
        k = int(m.group(1))
        if 0 < k < threshold:
            return f"n < {threshold}"
        if d is not None:
            key = next((c for c in counted if d.values.get(c) == k), None)
            if key is not None and not d.shown(key):
                return f"n = {d.mark(key)}"
        return m.group(0)

    return re.sub(r"\bn = (\d+)\b", mask, str(source))


def _reliability_rows(
    data: dict[str, Any], d: Disclosure, defs: Definitions
) -> tuple[list[list[str]], list[str]]:
    """Rows of the internal-consistency table, and the scale–waves with nothing to show.

    A row of dashes says nothing to a reader; cells where neither coefficient could be
    worked out are left out of the table and named in one sentence instead.
    """
    rows: list[list[str]] = []
    missing: list[str] = []
    for rec in data.get("reliability") or []:
        key = record_key("reliability", rec)
        shown = d.shown(f"{key}|n")
        info = defs.describe(str(rec.get("instrument")), str(rec.get("scale")), rec)
        label = f"{info.short_name} · {info.name} · {rec.get('wave')}"
        if shown and not is_number(rec.get("alpha")) and not is_number(rec.get("omega_total")):
            missing.append(label)
            continue
        rows.append(
            [
                label,
                count(rec["n"]) if shown and is_number(rec.get("n")) else d.mark(f"{key}|n"),
                (
                    f"{num(rec.get('alpha'), 2)} "
                    f"[{interval(rec.get('alpha_ci_low'), rec.get('alpha_ci_high'), 2)}]"
                    if shown
                    else "not shown"
                ),
                num(rec.get("omega_total"), 2) if shown else "not shown",
            ]
        )
    return rows, missing


def _not_computed_sentence(missing: list[str], some_shown: bool) -> str:
    scales = list(dict.fromkeys(m.rsplit(" · ", 1)[0] for m in missing))
    listed = "; ".join(scales[:6]) + ("; and others" if len(scales) > 6 else "")
    other = " other" if some_shown else ""
    return (
        f"Internal consistency could not be worked out for {len(missing)}{other} scale and "
        f"wave combination{'s' if len(missing) != 1 else ''} ({listed}), because too few "
        "people in this sample had the item "
        "answers it needs."
    )


METHOD_WORDS = {
    "sum": "sum of items",
    "mean": "mean of answered items",
    "prorated_sum": "sum, prorated for missing items",
}


def _min_answered_text(rule: Any, n_items: int | None, missing_value: Any = None) -> str:
    """The scoring rule in words, e.g. 'at least 5 of 6 items answered'.

    Examples
    --------
    >>> _min_answered_text(1, 3), _min_answered_text(0.8, 5)
    ('at least 1 of 3 items answered', 'at least 4 of 5 items answered (80%)')
    >>> _min_answered_text(5, 6, 0)
    'at least 5 of 6 items answered; a skipped item counts as 0'
    """
    if not is_number(rule) or not n_items:
        return "rule not stated in the definition"
    # A proportion is a float (0.8, or 1.0 for "every item"); a count is a whole number.
    if isinstance(rule, float) and rule <= 1:
        need = math.ceil(rule * n_items - 1e-9)
        text = f"at least {need} of {n_items} items answered ({round(rule * 100)}%)"
    else:
        text = f"at least {int(rule)} of {n_items} items answered"
    if is_number(missing_value):
        text += f"; a skipped item counts as {float(missing_value):g}"
    return text


def _scoring_rows(data: dict[str, Any], defs: Definitions) -> list[list[str]]:
    rows = []
    seen: set[tuple[str, str]] = set()
    for rec in (data.get("paired") or []) + (data.get("unlinked") or []):
        cell = (str(rec.get("instrument")), str(rec.get("scale")))
        if cell in seen:
            continue
        seen.add(cell)
        info = defs.describe(*cell, rec)
        rows.append(
            [
                f"{info.short_name} · {info.name}",
                str(info.n_items or "–"),
                METHOD_WORDS.get(str(info.method), str(info.method or "–")),
                _min_answered_text(info.min_answered, info.n_items, info.missing_item_value),
            ]
        )
    return rows
