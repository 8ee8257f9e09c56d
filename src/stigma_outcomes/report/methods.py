"""The back half of the report: participation and attrition, methods, limitations."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from .formatting import count, decimals_for_range, interval, is_number, num, pvalue
from .outcomes import describe_outcome
from .participation import is_none_lost
from .privacy import Disclosure

if TYPE_CHECKING:
    from .content import OutcomeSection, ReportSettings, Section

LICENSE_WORDS = {
    "public_domain": "public domain",
    "free_with_citation": "free to use with citation",
    "registration_required": "free after registration",
    "permission_required": "permission from the authors required",
    "proprietary": "proprietary (licence fee)",
}


def attrition_section(
    data: dict[str, Any], flow: list[Any], d: Disclosure, settings: ReportSettings
) -> Section:
    """Who stayed and who left, and whether those who left started differently."""
    from .content import Section, Table, record_key

    sec = Section("participation", "Participation and attrition")
    if flow:
        for key, label, loss_key, loss_label in flow:
            # The labels carry their own colon ("Took part: ..."), so the count follows a dash.
            line = f"{label} — {d.mark(key)} people."
            if is_none_lost(d, loss_key):
                line += " Nobody was lost at this step."
            elif loss_key:
                line += f" Not carried forward: {d.mark(loss_key)} ({loss_label})."
            sec.bullets.append(line)
    rows = []
    whole = [r for r in data.get("attrition") or [] if r.get("group") is None]
    later = list(dict.fromkeys(str(r.get("wave")) for r in whole))
    for rec in whole:
        key = record_key("attrition", rec)
        info = describe_outcome(str(rec.get("instrument")), str(rec.get("scale")), rec)
        dec = decimals_for_range(info.range_low, info.range_high)
        comp_ok = d.shown(f"{key}|n_completers")
        drop_ok = d.shown(f"{key}|n_dropouts")
        both = comp_ok and drop_ok
        rows.append(
            [
                f"{info.name} · {rec.get('wave')}" if len(later) > 1 else info.name,
                d.mark(f"{key}|n_completers") if not comp_ok else count(rec["n_completers"]),
                d.mark(f"{key}|n_dropouts") if not drop_ok else count(rec["n_dropouts"]),
                num(rec.get("mean_completers"), dec) if comp_ok else "not shown",
                num(rec.get("mean_dropouts"), dec) if drop_ok else "not shown",
                num(rec.get("hedges_g"), 2, signed=True) if both else "not shown",
                pvalue(rec.get("p")).removeprefix("p ").removeprefix("= ") if both else "not shown",
            ]
        )
    if rows:
        sec.tables.append(
            Table(
                "attrition",
                (
                    "Starting scores of people who stayed to a later wave and people who "
                    "left before it"
                    if len(later) > 1
                    else f"Starting scores of people who stayed to the {later[0]} wave and "
                    "people who left before it"
                ),
                [
                    "Scale · later wave" if len(later) > 1 else "Scale",
                    "Stayed",
                    "Left",
                    "Stayed: mean at start",
                    "Left: mean at start",
                    "Hedges' g",
                    "Welch p",
                ],
                rows,
                [
                    "g = (stayed − left) ÷ pooled SD, small-sample corrected. A clear difference "
                    "means the people analysed may not represent everyone who started."
                ],
                widths=[2.6, 0.6, 0.6, 1.0, 1.0, 0.8, 0.8],
            )
        )
    if not sec.bullets and not sec.tables:
        sec.paragraphs.append("No participation figures were available.")
    return sec


def methods_section(
    data: dict[str, Any], outcomes: list[OutcomeSection], d: Disclosure, settings: ReportSettings
) -> Section:
    """Instruments with citations and licences, scoring, tests, multiplicity, RCI inputs."""
    from .content import Section, Table

    sec = Section("methods", "Methods")
    inst_rows = []
    seen: set[str] = set()
    rci_rows = []
    for rec in data.get("paired") or []:
        inst = str(rec.get("instrument"))
        info = describe_outcome(inst, str(rec.get("scale")), rec)
        if inst not in seen:
            seen.add(inst)
            lic = LICENSE_WORDS.get(str(info.license_status), info.license_status or "not stated")
            cite = info.citation or "definition not in the registry"
            if info.doi:
                cite += f" doi:{info.doi}"
            inst_rows.append([info.short_name, info.instrument_name or inst, cite, lic])
        if rec.get("group") is None:
            rci_rows.append(
                [
                    f"{info.short_name} · {info.name} · "
                    f"{rec.get('from_wave')}→{rec.get('to_wave')}",
                    num(rec.get("rci_reliability"), 2),
                    _small_n_masked(rec.get("rci_reliability_source"), d.threshold),
                    num(rec.get("rci_sd"), 2),
                    _small_n_masked(rec.get("rci_sd_source"), d.threshold),
                    num(rec.get("rci_threshold"), 2),
                ]
            )
    scoring_rows = _scoring_rows(data)
    if inst_rows:
        sec.tables.append(
            Table(
                "instruments",
                "Questionnaires used",
                ["Short name", "Name", "Citation", "Licence"],
                inst_rows,
                widths=[0.8, 1.6, 3.4, 1.3],
            )
        )
    sec.paragraphs.append(
        "Scoring. Answers were matched to each questionnaire's response options (ignoring "
        "capitalisation and extra spaces); answers outside the options were treated as "
        "missing and listed in the data-quality ledger. Items worded in the opposite "
        "direction were reverse-scored. A scale score was given only when a person answered "
        "at least the minimum number of items the questionnaire's authors (or this "
        "toolkit's definition, where the authors give no rule) require; otherwise the person "
        "has no score on that scale and is left out of its analysis."
    )
    if not data.get("paired") and data.get("unlinked"):
        sec.paragraphs.append(
            "Tests. The surveys could not be linked person to person, so the answers before and "
            "after were compared as two independent groups: Welch's t test (not assuming equal "
            "SDs), a Mann–Whitney test as a check, and Hedges' g with its 95% interval. No "
            "person's individual change can be known in this design."
        )
    if scoring_rows:
        sec.tables.append(
            Table(
                "scoring-rules",
                "How each scale was scored",
                ["Scale", "Items", "Score", "Scored when"],
                scoring_rows,
                widths=[3.0, 0.6, 1.2, 2.4],
            )
        )
    n_tests = len([r for r in data.get("paired") or []])
    if n_tests:
        sec.paragraphs.append(
            "Tests. Change is after minus before for people who answered both surveys (complete "
            "pairs). Each change was tested with a paired t test, with a Wilcoxon signed-rank test "
            "as a check that does not assume normal differences. Effect sizes: d_z (mean change ÷ "
            "SD of the changes, with a noncentral-t 95% interval) and Hedges' g_av (mean change ÷ "
            "average of the before and after SDs, small-sample corrected); the words small, medium "
            f"and large follow Cohen's conventions (0.2, 0.5, 0.8). Multiplicity: the {n_tests} "
            "paired tests in this analysis were adjusted together with Holm's method, and only "
            f"adjusted p values below {settings.alpha} are called clear changes."
        )
    if data.get("ancova"):
        sec.paragraphs.append(
            "Comparison group. The groups' scores after were compared allowing for each "
            "person's score before (analysis of covariance, post ~ pre + group)."
        )
    if data.get("mixed_models"):
        sec.paragraphs.append(
            "More than two waves. A linear mixed model (score ~ wave, random intercept per "
            "person, fitted by REML, with Satterthwaite degrees of freedom as in R's lmerTest) "
            "used every available answer, so people who missed a wave still count. The "
            "results file also holds its joint F tests (type III, as R's lmerTest anova) of "
            "whether scores changed across the waves at all and, with a comparison group, "
            "whether the groups changed differently."
        )
    if data.get("pooled"):
        settings = (data.get("meta") or {}).get("settings") or {}
        estimator = {"DL": "the DerSimonian–Laird estimator"}.get(
            str(settings.get("pool_method")), "restricted maximum likelihood"
        )
        sec.paragraphs.append(
            f"Across sites. Each level of '{settings.get('pool_col') or 'site'}' was analysed "
            "on its own and the changes combined by a random-effects meta-analysis (inverse-"
            f"variance weights, between-site variance τ² by {estimator}, z-based 95% "
            "intervals, as R's metafor::rma). I² is the share of the variation between sites "
            "beyond chance; the 95% prediction interval adds τ² to the pooled estimate's "
            "uncertainty. Sites with fewer participants than the privacy threshold are neither "
            "pooled nor shown."
        )
    if n_tests:
        sec.paragraphs.append(
            "Charts. The 95% intervals drawn around each wave's average in the before-and-after "
            "charts are t intervals worked out from the n, average and SD printed in the "
            "statistics table (complete pairs only); with more than two waves the chart shows "
            "the mixed model's estimated averages and intervals instead."
        )
        sec.paragraphs.append(
            "Reliable change. Each person's change was compared with the change measurement "
            "error alone could produce (Jacobson–Truax reliable change index: SD × √2 × √(1 − r), "
            "times 1.96). The reliability r and the SD used for each scale are listed below with "
            "their sources; the SD is taken from everyone's starting scores, so every group is "
            "judged by the same yardstick."
        )
    if rci_rows:
        sec.tables.append(
            Table(
                "rci-inputs",
                "Inputs of the reliable change index",
                [
                    "Scale · waves",
                    "Reliability r",
                    "Source of r",
                    "SD",
                    "Source of SD",
                    "Change needed",
                ],
                rci_rows,
                [
                    "“–”: the definition gives no reliability coefficient for this scale and "
                    "none was supplied, so reliable change was not assessed for it. Change "
                    "needed = 1.96 × SD × √2 × √(1 − r), in scale points."
                ],
                widths=[2.0, 0.8, 2.2, 0.6, 2.0, 0.8],
            )
        )
    rel_rows, not_computed = _reliability_rows(data, d)
    if rel_rows:
        sec.tables.append(
            Table(
                "reliability",
                "Internal consistency in this sample",
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
    sec.paragraphs.append(
        "Privacy. No names, e-mail addresses, participant codes or other personal columns "
        "appear in this report. " + d.note() + " " + d.audit_sentence()
    )
    version = (data.get("meta") or {}).get("package_version")
    if version:
        sec.paragraphs.append(f"Produced with stigma_outcomes {version}.")
    return sec


def _small_n_masked(source: Any, threshold: int) -> str:
    """A results' source note with any small "n = k" (a count of people) shown as "n < t".

    Examples
    --------
    >>> _small_n_masked("in-sample alpha at 'pre' (n = 3)", 5)
    "in-sample alpha at 'pre' (n < 5)"
    >>> _small_n_masked("baseline sample SD, n = 237", 5), _small_n_masked(None, 5)
    ('baseline sample SD, n = 237', '–')
    """
    import re

    if not source:
        return "–"

    def mask(m: re.Match[str]) -> str:
        k = int(m.group(1))
        return f"n < {threshold}" if 0 < k < threshold else m.group(0)

    return re.sub(r"\bn = (\d+)\b", mask, str(source))


def _reliability_rows(data: dict[str, Any], d: Disclosure) -> tuple[list[list[str]], list[str]]:
    """Rows of the internal-consistency table, and the scale–waves with nothing to show.

    A row of dashes says nothing to a reader; cells where neither coefficient could be
    worked out are left out of the table and named in one sentence instead.
    """
    from .content import record_key

    rows: list[list[str]] = []
    missing: list[str] = []
    for rec in data.get("reliability") or []:
        key = record_key("reliability", rec)
        shown = d.shown(f"{key}|n")
        info = describe_outcome(str(rec.get("instrument")), str(rec.get("scale")), rec)
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


def _scoring_rows(data: dict[str, Any]) -> list[list[str]]:
    rows = []
    seen: set[tuple[str, str]] = set()
    for rec in (data.get("paired") or []) + (data.get("unlinked") or []):
        cell = (str(rec.get("instrument")), str(rec.get("scale")))
        if cell in seen:
            continue
        seen.add(cell)
        info = describe_outcome(*cell, rec)
        rows.append(
            [
                f"{info.short_name} · {info.name}",
                str(info.n_items or "–"),
                METHOD_WORDS.get(str(info.method), str(info.method or "–")),
                _min_answered_text(info.min_answered, info.n_items, info.missing_item_value),
            ]
        )
    return rows


def limitations_section(
    data: dict[str, Any], has_comparison: bool, linked: bool, flow: list[Any], d: Disclosure
) -> Section:
    """The caveats a funder should read before quoting any number."""
    from .content import Section

    sec = Section("limitations", "Limitations")
    if not has_comparison:
        sec.bullets.append(
            "There was no comparison group. A before-and-after change shows what happened to "
            "participants, not that the programme caused it: people may have changed anyway."
        )
    else:
        sec.bullets.append(
            "The comparison group makes it more plausible that differences are due to the "
            "programme, but unless people were randomly assigned, the groups may have differed "
            "in ways the analysis could not allow for."
        )
    sec.bullets.append(
        "Regression to the mean: people who start with unusually high or low scores tend to "
        "score closer to average the next time, even without any programme."
    )
    if flow:
        lost = d.mark("flow|no_post")
        sec.bullets.append(
            f"Attrition: {lost} of those who answered the first survey did not answer the "
            "second. If those who left differ from those who stayed (see the attrition table), "
            "the results may not apply to everyone who started."
        )
    if not linked:
        sec.bullets.append(
            "Unlinked design: answers could not be matched person to person, so the before "
            "and after groups may contain different people and individual change is unknown."
        )
    sec.bullets.append(
        "Self-report questionnaires measure what people say about themselves; they can "
        "be affected by wanting to please the programme staff."
    )
    return sec
