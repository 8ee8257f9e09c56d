"""Meanings of the fields of a plan for the next cohort (not a section of the results file).

:class:`~stigma_outcomes.comparison.power.SamplePlan` (``so.plan_sample_size``,
``stigma-outcomes plan --json``) and :class:`~stigma_outcomes.comparison.pilot.PilotPlan`
(``stigma-outcomes plan RESULTS --outcome X``); a test keeps these keys equal to their fields.
"""

from __future__ import annotations

PLAN_DOCS = {
    "design": "'paired' (d_z), 'two_groups' (Cohen's d) or 'ancova' (d_adj = adjusted "
    "difference / residual SD); see comparison/power.py.",
    "solved_for": "Which of 'n', 'power' and 'effect' was solved from the other two.",
    "effect": "Effect size planned for (its absolute value; the test is two-sided).",
    "effect_name": "What the effect is, in words.",
    "alpha": "Two-sided significance level.",
    "power": "Power: the chance that the test is significant if the effect is true "
    "(both rejection tails counted, as R pwr).",
    "n_exact": "The sample size on a continuous scale, as R pwr prints n: pairs (paired) or "
    "the first group's size.",
    "n_per_group": "n_exact rounded up: the first group's size (two-group designs; null for "
    "paired).",
    "n_analysed": "Participants who must complete the study: pairs, or both groups together "
    "(the second group is ratio × the first, rounded up).",
    "attrition": "Expected share of recruits lost before follow-up.",
    "n_recruit_per_group": "The first group's recruits, n_per_group / (1 − attrition) rounded "
    "up (null for paired).",
    "n_recruit": "Participants to recruit: each group's n / (1 − attrition), rounded up.",
    "ratio": "Second group's size over the first (1 for paired).",
    "n_covariates": "ANCOVA covariates, the baseline score included (0 otherwise).",
    "method": "The power formula and the R function it matches (pwr.t.test, pwr.t2n.test, "
    "pwr.f2.test with Cohen's λ = f²(u + v + 1)).",
    "notes": "Anything to know about the plan.",
}

PILOT_PLAN_DOCS = {
    "outcome": "INSTRUMENT.SCALE planned for.",
    "design": "The pilot's design: 'linked' (planned as paired) or 'unlinked' (planned as two "
    "independent groups, n per wave).",
    "from_wave": "The pilot's baseline wave.",
    "to_wave": "The pilot's later wave.",
    "n_pilot": "Pairs (linked) or respondents at the smaller wave (unlinked) in the pilot.",
    "effect_name": "'d_z' (linked) or 'hedges_g' (unlinked): the pilot field used.",
    "effect": "The pilot's observed effect (signed).",
    "effect_ci_low": "Lower 95% limit of the pilot's effect.",
    "effect_ci_high": "Upper 95% limit of the pilot's effect.",
    "prepost_r": "Pre–post correlation, (pre_sd² + post_sd² − sd_change²) / (2·pre_sd·post_sd).",
    "attrition_observed": "1 − prop_retained of the pilot's whole-sample attrition record at "
    "to_wave (null when unlinked).",
    "attrition_used": "The attrition the plans use: the user's, else the pilot's, else 0.",
    "power": "Target power.",
    "alpha": "Two-sided level.",
    "point": "Plan (fields above) for the pilot's effect.",
    "conservative": "Plan for the 95% limit nearer zero; null when the interval includes zero.",
    "conservative_note": "Why there is no conservative plan.",
    "ancova_point": "Linked pilots: plan for a two-arm next cohort analysed by ANCOVA, "
    "d_adj = (|mean_change| / pre_sd) / √(1 − prepost_r²) (Borm et al. 2007), assuming the "
    "programme's effect over a comparison group equals the pilot's whole change.",
    "ancova_conservative": "The same at the interval's conservative end.",
    "cautions": "Plain warnings: pilot effects are noisy; the ANCOVA assumption; a pilot "
    "too small to interpret.",
}
