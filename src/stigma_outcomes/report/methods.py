"""The back half of the report: participation and attrition, methods, limitations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..comparison.records.meta import run_settings
from .formatting import count, decimals_for_range, num, pvalue
from .outcomes import Definitions
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
    data: dict[str, Any],
    flow: list[Any],
    d: Disclosure,
    settings: ReportSettings,
    definitions: Definitions | None = None,
) -> Section:
    """Who stayed and who left, and whether those who left started differently."""
    from .content import Section, Table, record_key

    defs = definitions or Definitions()
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
        info = defs.describe(str(rec.get("instrument")), str(rec.get("scale")), rec)
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
                    "Starting scores of people with and without a score at a later survey"
                    if len(later) > 1
                    else "Starting scores of people with and without a score at the "
                    f"{later[0]} survey"
                ),
                [
                    "Scale · later wave" if len(later) > 1 else "Scale",
                    "Scored (n)",
                    "Not scored (n)",
                    "Scored: mean at start",
                    "Not scored: mean at start",
                    "Standardised difference",
                    "p",
                ],
                rows,
                [
                    "Not scored: a score at the start only (the later survey not answered, or "
                    "too few of its questions). Standardised difference = (scored − not scored) "
                    "÷ pooled SD. A clear difference means the people analysed may not "
                    "represent everyone who started. Methods give the test."
                ],
                widths=[2.4, 0.6, 0.8, 1.0, 1.0, 0.8, 0.6],
            )
        )
    if not sec.bullets and not sec.tables:
        sec.paragraphs.append("No participation figures were available.")
    return sec


def methods_section(
    data: dict[str, Any],
    outcomes: list[OutcomeSection],
    d: Disclosure,
    settings: ReportSettings,
    definitions: Definitions | None = None,
) -> Section:
    """Instruments with citations and licences, scoring, tests, multiplicity, RCI inputs."""
    from .content import Section, Table

    defs = definitions or Definitions()
    sec = Section("methods", "Methods")
    inst_rows = []
    seen: set[str] = set()
    for rec in data.get("paired") or []:
        inst = str(rec.get("instrument"))
        info = defs.describe(inst, str(rec.get("scale")), rec)
        if inst not in seen:
            seen.add(inst)
            lic = LICENSE_WORDS.get(str(info.license_status), info.license_status or "not stated")
            cite = info.citation or "definition not in the registry"
            if info.doi:
                cite += f" doi:{info.doi}"
            inst_rows.append([info.short_name, info.instrument_name or inst, cite, lic])
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
        "has no score on that scale and is left out of its analysis. The technical annex "
        "lists each scale's rule."
    )
    if not data.get("paired") and data.get("unlinked"):
        sec.paragraphs.append(
            "Tests. The surveys could not be linked person to person, so the answers before and "
            "after were compared as two independent groups: Welch's t test (not assuming equal "
            "SDs), a Mann–Whitney test as a check, and Hedges' g with its 95% interval. No "
            "person's individual change can be known in this design."
        )
    n_tests = len([r for r in data.get("paired") or []])
    if n_tests:
        sec.paragraphs.append(
            "Tests. Change is after minus before for people who answered both surveys (complete "
            "pairs). Each change was tested with a paired t test, with a Wilcoxon signed-rank test "
            "as a check that does not assume normal differences. Effect sizes: d_z (mean change ÷ "
            "SD of the changes, with a noncentral-t 95% interval), the one effect size named in "
            "the text and the tables (the results file also holds Hedges' g_av, the mean change "
            "÷ the average of the before and after SDs); the words small, medium and large "
            f"follow Cohen's conventions (0.2, 0.5, 0.8). Multiplicity: the {n_tests} paired t "
            "tests in this analysis were adjusted together with Holm's method, and only "
            f"adjusted p values below {settings.alpha} are called clear changes; the Wilcoxon p "
            "values are shown unadjusted, as a check."
        )
    if data.get("attrition"):
        sec.paragraphs.append(
            "Attrition. The starting scores of people scored on a scale at a later survey and "
            "of those not (not answered, or too few questions) were compared with Welch's t "
            "test (not assuming equal SDs); the standardised difference is Hedges' g with the "
            "pooled SD, small-sample corrected."
        )
    if data.get("ancova"):
        sec.paragraphs.append(
            "Comparison group. The groups' scores after were compared allowing for each "
            "person's score before (analysis of covariance, post ~ pre + group, on every "
            "scale; its p values are not adjusted for the number of scales). Whether the "
            "groups started alike is shown by each group's starting mean and SD and the "
            "standardised difference between them (Hedges' g with the pooled SD, as the What "
            "Works Clearinghouse reads baseline equivalence: under 0.05 alike, 0.05 to 0.25 "
            "to be adjusted for, over 0.25 not comparable)."
        )
    if data.get("mixed_models"):
        sec.paragraphs.append(
            "More than two waves. A linear mixed model (score ~ wave, random intercept per "
            "person, fitted by REML, with Satterthwaite degrees of freedom as in R's lmerTest) "
            "used every available answer, so people who missed a wave still count. Its joint "
            "F tests (type III, as R's lmerTest anova) of whether scores changed across the "
            "waves at all and, with a comparison group, whether the groups changed differently "
            "are in the technical annex."
        )
    if data.get("pooled"):
        settings = run_settings(data)
        estimator = {"DL": "the DerSimonian–Laird estimator"}.get(
            str(settings.get("pool_method")), "restricted maximum likelihood"
        )
        sec.paragraphs.append(
            f"Across sites. Each level of '{settings.get('pool_by') or 'site'}' was analysed "
            "on its own and the changes combined by a random-effects meta-analysis (inverse-"
            f"variance weights, between-site variance τ² by {estimator}, z-based 95% "
            "intervals, as R's metafor::rma). I² is the share of the variation between sites "
            "beyond chance; the 95% prediction interval adds τ² to the pooled estimate's "
            "uncertainty. Sites with fewer participants than the privacy threshold are neither "
            "pooled nor shown."
            + (
                " With a comparison group, the sites were pooled within each group separately, "
                "so the programme and its comparison are never mixed in one pooled estimate."
                if any(r.get("group") is not None for r in data["pooled"])
                else ""
            )
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
            "times 1.96). The reliability r and the SD used for each scale are listed in the "
            "technical annex with their sources; the SD is taken from everyone's starting "
            "scores, so every group is judged by the same yardstick. Internal consistency "
            "(Cronbach's alpha) of 0.7 or more is usually taken as acceptable for group "
            "comparisons; the annex gives it for each scale and wave in this sample."
        )
    sec.paragraphs.append(
        "Privacy. No names, e-mail addresses, participant codes or other personal columns "
        "appear in this report. " + d.note() + " " + d.audit_sentence()
    )
    version = (data.get("meta") or {}).get("package_version")
    if version:
        sec.paragraphs.append(f"Produced with stigma_outcomes {version}.")
    return sec


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
            "second. If those not scored later differ from those scored (see the attrition "
            "table), the results may not apply to everyone who started."
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
