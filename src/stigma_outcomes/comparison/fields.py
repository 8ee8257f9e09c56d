"""What every field of every results record means.

These definitions are the documentation of the results: they are written into the JSON
Schema (``description`` of each property) and into ``docs/results-fields.md`` by
:func:`fields_markdown`, and a test keeps both in step with the code.
"""

from __future__ import annotations

KEY_DOCS = {
    "design": "'linked' (the same participants matched across waves) or 'unlinked' "
    "(anonymous waves compared as independent samples).",
    "instrument": "Instrument id.",
    "scale": "Scale id within the instrument.",
    "group_column": "Name of the grouping column for a group record; null for the whole sample.",
    "group": "Group level (as text); null for the whole sample.",
    "from_wave": "Earlier wave of the contrast (the baseline).",
    "to_wave": "Later wave of the contrast.",
    "suppress": "True when the record rests on fewer people than the minimum cell size "
    "(default 5): computed, but to be suppressed in anything shared.",
    "too_few_to_interpret": "True when the record rests on fewer people than the minimum cell "
    "size (paired: pairs; unlinked: respondents at the smaller wave; attrition: completers "
    "or dropouts; ANCOVA: pairs in the smallest group; mixed model and reliability: "
    "participants): its interval and p are computed but say next to nothing, and note says "
    "so in words.",
    "note": "Why a statistic is undefined (null), or what to know about the record.",
}

PAIRED_DOCS = {
    "n_pairs": "Participants with a valid ('ok') score at both waves.",
    "pre_mean": "Mean at from_wave over the pairs.",
    "pre_sd": "SD (n − 1) at from_wave over the pairs.",
    "post_mean": "Mean at to_wave over the pairs.",
    "post_sd": "SD (n − 1) at to_wave over the pairs.",
    "mean_change": "Mean of post − pre.",
    "sd_change": "SD (n − 1) of post − pre; 0 when the change is essentially constant (an SD "
    "below R t.test's tolerance, 10·ε times the scale of the data, is rounding noise).",
    "mean_change_ci_low": "Lower limit of the 95% t interval of mean_change "
    "(R t.test(post, pre, paired = TRUE)).",
    "mean_change_ci_high": "Upper limit of the 95% t interval of mean_change.",
    "t": "Paired t statistic, mean_change / (sd_change / √n).",
    "df": "Degrees of freedom of the paired t test, n − 1.",
    "p_t": "Two-sided p of the paired t test.",
    "p_t_holm": "p_t adjusted by Holm's method over the family of paired t tests of the "
    "analysis (every record with a defined p_t; see meta.multiplicity).",
    "p_t_bh": "p_t adjusted by Benjamini–Hochberg over the same family.",
    "wilcoxon_v": "Signed-rank V: sum of the ranks of |post − pre| with a positive "
    "difference, zero differences dropped, differences ranked unrounded (as R).",
    "p_wilcoxon": "Two-sided p as R wilcox.test(post, pre, paired = TRUE): exact with fewer "
    "than 50 non-zero differences and no ties or zeros, else normal approximation with "
    "continuity and tie correction.",
    "wilcoxon_method": "'exact' or the normal approximation used for p_wilcoxon.",
    "n_zero_differences": "Pairs with post = pre (dropped from the signed-rank test).",
    "rank_biserial": "Matched-pairs rank-biserial correlation 2V / (m(m + 1)/2) − 1, m the "
    "non-zero differences (effectsize::rank_biserial); positive when scores rose.",
    "d_z": "mean_change / sd_change.",
    "d_z_ci_low": "Lower 95% limit of d_z: the noncentral-t limits for t, solved exactly by "
    "root finding, divided by √n.",
    "d_z_ci_high": "Upper 95% limit of d_z (as d_z_ci_low).",
    "d_av": "mean_change / ((pre_sd + post_sd) / 2) (Lakens 2013).",
    "g_av": "d_av × J(n − 1), J(df) = Γ(df/2) / (√(df/2) Γ((df − 1)/2)); null for n ≤ 2.",
    "improvement_sign": "+1 when a higher score is better, −1 when a higher score is worse "
    "(the scale's direction).",
    "n_improved": "Pairs whose change has the improving sign (any amount).",
    "n_worsened": "Pairs whose change has the worsening sign.",
    "n_unchanged": "Pairs with no change.",
    "prop_improved": "n_improved / n_pairs.",
    "prop_improved_ci_low": "Lower limit of the Wilson 95% interval of prop_improved "
    "(R prop.test(correct = FALSE)).",
    "prop_improved_ci_high": "Upper limit of the Wilson 95% interval of prop_improved.",
    "rci_reliability": "Reliability r of the reliable change index. With the default "
    "rci_reliability 'auto' (meta.settings): a user value, else the definition's test-retest "
    "r, else its alpha, else the in-sample Cronbach's alpha at from_wave; null when none.",
    "rci_reliability_source": "Which of those r is, with its citation: 'user override', "
    "'user scale-info: …', 'definition test-retest (source, interval)', 'definition alpha "
    "(source)' or \"in-sample alpha at 'wave' (n = N)\".",
    "rci_sd": "SD of the reliable change index: SD (n − 1) of every valid score at "
    "from_wave in the whole sample (all groups together), or the norm SD.",
    "rci_sd_source": "Where rci_sd came from (baseline sample with its n, or the norms).",
    "rci_s_diff": "S_diff = rci_sd · √2 · √(1 − rci_reliability) (Jacobson & Truax 1991).",
    "rci_threshold": "1.96 · S_diff: the smallest change in score points that is reliable.",
    "n_reliably_improved": "Pairs with RCI = (post − pre) / S_diff beyond 1.96 in the "
    "improving direction.",
    "prop_reliably_improved": "n_reliably_improved / n_pairs.",
    "n_no_reliable_change": "Pairs with |RCI| ≤ 1.96.",
    "prop_no_reliable_change": "n_no_reliable_change / n_pairs.",
    "n_reliably_deteriorated": "Pairs with RCI beyond 1.96 in the worsening direction.",
    "prop_reliably_deteriorated": "n_reliably_deteriorated / n_pairs.",
    "n_clinical_at_pre": "Pairs in the clinical range at from_wave.",
    "n_recovered": "Reliably improved pairs that were in the clinical range at from_wave and "
    "are out of it at to_wave.",
    "prop_recovered": "n_recovered / n_clinical_at_pre.",
    "clinical_cutoff": "Cutoff of the clinical range used for recovery.",
    "clinical_cutoff_operator": "The clinical range is score <operator> clinical_cutoff.",
    "clinical_cutoff_source": "Where the cutoff came from.",
    "recovery_criterion": "'published' (the definition's cutoff), 'c' (Jacobson–Truax: "
    "between the baseline sample and the norms, weighted by their SDs) or 'a' (two "
    "baseline SDs beyond the baseline mean in the improving direction).",
}

UNLINKED_DOCS = {
    "n_before": "Respondents with a valid score at from_wave.",
    "mean_before": "Mean at from_wave.",
    "sd_before": "SD (n − 1) at from_wave.",
    "n_after": "Respondents with a valid score at to_wave.",
    "mean_after": "Mean at to_wave.",
    "sd_after": "SD (n − 1) at to_wave.",
    "mean_difference": "mean_after − mean_before.",
    "mean_difference_ci_low": "Lower limit of the Welch 95% interval (R t.test(after, before)).",
    "mean_difference_ci_high": "Upper limit of the Welch 95% interval.",
    "t": "Welch t statistic.",
    "df": "Welch–Satterthwaite degrees of freedom.",
    "p_t": "Two-sided p of the Welch t test.",
    "p_t_holm": "p_t adjusted by Holm's method over the family of Welch t tests of the "
    "unlinked analysis (every record with a defined p_t; see meta.multiplicity); R "
    "p.adjust(p, 'holm').",
    "p_t_bh": "p_t adjusted by Benjamini–Hochberg over the same family; R p.adjust(p, 'BH').",
    "hedges_g": "mean_difference / √((sd_after² + sd_before²)/2) × J(Welch df) "
    "(effectsize::hedges_g(after, before, pooled_sd = FALSE)).",
    "hedges_g_ci_low": "Lower 95% limit of hedges_g from the noncentral t (exact roots).",
    "hedges_g_ci_high": "Upper 95% limit of hedges_g.",
    "mann_whitney_w": "W of R wilcox.test(after, before): rank sum of 'after' minus "
    "n_after(n_after + 1)/2.",
    "p_mann_whitney": "Two-sided p: exact when both samples have fewer than 50 values and no "
    "ties, else normal approximation with continuity and tie correction (as R).",
    "mann_whitney_method": "'exact' or the normal approximation used.",
    "rank_biserial": "2W / (n_after · n_before) − 1; positive when scores are higher after.",
    "improvement_sign": "+1 when a higher score is better, −1 when worse.",
    "threshold": "The threshold of the share: the user's (compare's --clinical-threshold, the "
    "API's threshold=), else the scale's clinical cutoff when it has one on its worse side; "
    "null when neither.",
    "threshold_rule": "The rule counted: score >= threshold (higher is better) or "
    "score <= threshold (higher is worse) for a user threshold; for the clinical cutoff, "
    "the rule for outside the clinical range (e.g. score < 10 when the range is score >= 10), "
    "named in note.",
    "n_beyond_before": "Respondents meeting threshold_rule before.",
    "prop_beyond_before": "n_beyond_before / n_before.",
    "n_beyond_after": "Respondents meeting threshold_rule after.",
    "prop_beyond_after": "n_beyond_after / n_after.",
    "risk_difference": "prop_beyond_after − prop_beyond_before.",
    "risk_difference_ci_low": "Lower limit of the Wald 95% interval (R prop.test(correct = "
    "FALSE)), clipped to [−1, 1].",
    "risk_difference_ci_high": "Upper limit of the Wald 95% interval.",
    "odds_ratio": "Odds of meeting the rule after vs before (0.5 added to every cell when "
    "one is zero).",
    "odds_ratio_ci_low": "Lower limit of the Woolf (log) 95% interval.",
    "odds_ratio_ci_high": "Upper limit of the Woolf (log) 95% interval.",
}

ATTRITION_DOCS = {
    "from_wave": "The baseline wave whose scores are compared.",
    "wave": "The later wave that completers have and dropouts lack.",
    "n_at_wave": "Participants with a valid score at the later wave (with or without baseline).",
    "n_baseline": "Participants with a valid baseline score (completers + dropouts).",
    "n_completers": "Baseline participants with a valid score at the later wave.",
    "n_dropouts": "Baseline participants without a valid score at the later wave.",
    "prop_retained": "n_completers / n_baseline.",
    "mean_completers": "Baseline mean of completers.",
    "sd_completers": "Baseline SD (n − 1) of completers.",
    "mean_dropouts": "Baseline mean of dropouts.",
    "sd_dropouts": "Baseline SD (n − 1) of dropouts.",
    "mean_difference": "mean_completers − mean_dropouts.",
    "mean_difference_ci_low": "Lower limit of the Welch 95% interval.",
    "mean_difference_ci_high": "Upper limit of the Welch 95% interval.",
    "t": "Welch t statistic (completers − dropouts).",
    "df": "Welch–Satterthwaite degrees of freedom.",
    "p": "Two-sided p of the Welch t test.",
    "hedges_g": "Hedges' g with the pooled SD, completers − dropouts "
    "(effectsize::hedges_g default).",
    "hedges_g_ci_low": "Lower 95% limit of hedges_g from the noncentral t (exact roots).",
    "hedges_g_ci_high": "Upper 95% limit of hedges_g.",
}

MIXED_DOCS = {
    "instrument": KEY_DOCS["instrument"],
    "scale": KEY_DOCS["scale"],
    "group_column": "Grouping column whose interaction with wave is modelled; null for "
    "score ~ wave alone.",
    "group": "Always null: one model covers every group.",
    "n_participants": "Participants with at least one valid score at the modelled waves.",
    "n_observations": "Valid scores in the model (all waves; participants who miss a wave "
    "still count).",
    "waves": "Wave levels modelled, baseline first.",
    "group_levels": "Group levels, reference first (null without a group column), in R's "
    "factor() order: numbers written as text by value ('2' before '10'), other text "
    "alphabetically.",
    "reference_group": "The group every group coefficient is compared with (the first of "
    "group_levels); null without a group column.",
    "fixed_effects": "Treatment-coded fixed effects as lme4 fixef/vcov: term (R's name), "
    "estimate, se, df (Satterthwaite, as lmerTest), t (estimate / se), p (two-sided, from "
    "t with df), ci_low/ci_high (95%, from t with df); and the normal-approximation Wald "
    "versions z (= t), p_wald, ci_low_wald/ci_high_wald. Matches lmerTest summary(fit).",
    "participant_variance": "REML variance of the random participant intercept (lme4 VarCorr).",
    "residual_variance": "REML residual variance (lme4 VarCorr).",
    "reml_criterion": "−2 × restricted log-likelihood at the optimum (lme4 REMLcrit).",
    "wave_means": "Model-estimated mean per wave (and group): wave, group, n (valid scores "
    "in that cell), mean, se, df (Satterthwaite), ci_low/ci_high (95%, from t with df; "
    "lmerTest contest), ci_low_wald/ci_high_wald (95% Wald z).",
    "contrasts": "Each later wave minus baseline, within group: from_wave, to_wave, group, "
    "estimate, se, df (Satterthwaite), t, p (two-sided, from t with df), ci_low/ci_high "
    "(95%, from t with df; lmerTest contest), and the Wald z, p_wald, "
    "ci_low_wald/ci_high_wald.",
    "anova": "Joint F test per model term, as lmerTest anova(fit, type = 3) with "
    "Satterthwaite df: term ('wave'; with a group also the group column's name, e.g. 'arm', "
    "and 'wave:arm'), hypothesis (in words), num_df (rows tested), den_df (Satterthwaite, "
    "lmerTest's rule for several df), f, p (upper tail of F(num_df, den_df)), sum_sq and "
    "mean_sq (as lmerTest: mean_sq = f × residual_variance). Type III hypotheses, which do "
    "not depend on the coding: 'wave' tests that the wave means are equal, each averaged over "
    "the groups with equal weight (without a group: that all wave means are equal); the "
    "group term that the group means, averaged over the waves with equal weight, are equal; "
    "'wave:arm' that every group changes alike from baseline to each later wave — the test "
    "of a programme effect over several waves. Empty when the model could not be fitted.",
    "converged": "Whether the REML optimisation converged.",
    "optimizer": "How the one-dimensional REML criterion was minimised.",
    "method": "'REML'.",
    "df_method": "How confidence intervals and p values were obtained: Satterthwaite t "
    "(as R's lmerTest) for p, ci_low and ci_high; Wald z for z, p_wald and the *_wald "
    "limits.",
    "too_few_to_interpret": KEY_DOCS["too_few_to_interpret"],
    "note": KEY_DOCS["note"],
}

ANCOVA_DOCS = {
    "instrument": KEY_DOCS["instrument"],
    "scale": KEY_DOCS["scale"],
    "from_wave": "Baseline wave (the 'pre' covariate).",
    "to_wave": "Later wave (the outcome).",
    "group_column": "Grouping column compared (e.g. arm).",
    "covariates": "Extra baseline covariates in the model.",
    "n": "Complete cases: participants with both waves, a group and every covariate.",
    "n_by_group": "Complete cases per group level.",
    "reference_group": "Group the others are compared with, named in every record (default: "
    "the first level in R's factor() order, numbers as text by value, so '2' before '10').",
    "group": "Group compared with the reference; null on the overall F-test record.",
    "term": "R's coefficient name (e.g. armIntervention), or 'group' for the overall F test.",
    "adjusted_difference": "Group − reference difference in later-wave means at equal "
    "baseline score (and covariates): the group coefficient of lm(post ~ pre + group).",
    "adjusted_difference_se": "Standard error of adjusted_difference.",
    "adjusted_difference_ci_low": "Lower 95% t limit of adjusted_difference.",
    "adjusted_difference_ci_high": "Upper 95% t limit of adjusted_difference.",
    "t": "t statistic of the group coefficient.",
    "df": "Residual degrees of freedom of the model.",
    "p": "Two-sided p of the group coefficient (on the overall record: of the F test).",
    "partial_eta_squared": "Partial eta squared of the group term (or of this contrast).",
    "F": "F statistic of the whole group term.",
    "df1": "Numerator degrees of freedom of the F test.",
    "df2": "Denominator degrees of freedom of the F test.",
    "eta_squared_method": "How partial eta squared was computed (sums of squares used).",
    "suppress": "True when a group the record rests on (the group and the reference group; "
    "every group for the overall test) has fewer people than the minimum cell size.",
    "too_few_to_interpret": KEY_DOCS["too_few_to_interpret"],
    "note": KEY_DOCS["note"],
}

RELIABILITY_DOCS = {
    "instrument": KEY_DOCS["instrument"],
    "scale": KEY_DOCS["scale"],
    "wave": "Wave the item answers come from.",
    "n": "Participants whose scale score is valid ('ok') at this wave.",
    "n_items": "Items in the scale.",
    "alpha": "Cronbach's alpha of the keyed items (psych::alpha raw_alpha, pairwise covariances).",
    "alpha_ci_low": "Lower limit of the 95% Feldt interval of alpha.",
    "alpha_ci_high": "Upper limit of the 95% Feldt interval of alpha.",
    "alpha_ci_method": "How the alpha interval was computed.",
    "alpha_if_deleted": "Item → alpha of the scale without that item.",
    "item_rest_r": "Item → correlation of the item with the sum of the other items "
    "(corrected item–total r, psych r.drop).",
    "omega_total": "McDonald's omega total from a one-factor minres model "
    "(psych::omega nfactors = 1, items as keyed). In a Heywood case (an item loading of 1, "
    "its uniqueness at the 0.005 floor) the bounded least-squares solution, which can differ "
    "from psych's by up to about 0.02; note then says so.",
    "omega_method": "How omega was estimated.",
    "miskeyed_items": "Items whose item_rest_r is negative after keying: the usual sign of "
    "an item the survey platform had already reversed.",
    "too_few_to_interpret": KEY_DOCS["too_few_to_interpret"],
    "note": KEY_DOCS["note"],
}

POOLED_DOCS = {
    "instrument": KEY_DOCS["instrument"],
    "scale": KEY_DOCS["scale"],
    "group": "Always null: the record pools every usable level of pooled_over.",
    "group_column": "Always null (the pooled column is in pooled_over).",
    "pooled_over": "Site or cohort column whose levels are the studies pooled.",
    "from_wave": KEY_DOCS["from_wave"],
    "to_wave": KEY_DOCS["to_wave"],
    "effect": "'mean_change' (post − pre in score points; metafor escalc MC) or 'smcr' (the "
    "change divided by the baseline SD, times J(n − 1), variance 2(1 − r)/n + yi²/(2n), r "
    "the pre–post correlation from the SDs; Becker 1988, metafor SMCR). Positive when "
    "scores rose.",
    "method": "Estimator of tau2: 'REML' (restricted maximum likelihood, converged to 1e-12) "
    "or 'DL' (DerSimonian–Laird); metafor rma(yi, vi, method, test = 'z').",
    "k": "Levels pooled.",
    "n_total": "Sum of n_pairs over the levels pooled.",
    "estimate": "Random-effects pooled effect: the mean of the levels' effects weighted by "
    "1 / (vi + tau2).",
    "se": "Standard error of estimate.",
    "ci_low": "Lower limit of the 95% Wald (z) interval of estimate.",
    "ci_high": "Upper limit of the 95% Wald (z) interval of estimate.",
    "z": "estimate / se.",
    "p": "Two-sided p of z.",
    "tau2": "Between-level variance τ² of the true effects (never negative).",
    "tau": "√tau2, in the units of the effect.",
    "i2": "I² (percent): share of the total variability due to between-level differences, "
    "100·τ² / (τ² + typical within-level variance) (Higgins & Thompson 2002; metafor I2).",
    "h2": "H² = τ² / typical within-level variance + 1 (metafor H2).",
    "q": "Cochran's Q of heterogeneity (fixed-effect weights 1/vi).",
    "q_df": "Degrees of freedom of Q, k − 1.",
    "q_p": "p of Q from the χ² distribution with q_df degrees of freedom.",
    "pi_low": "Lower limit of the 95% prediction interval for a new level's true effect, "
    "estimate − 1.96·√(se² + τ²) (metafor predict; Riley et al. 2011).",
    "pi_high": "Upper limit of the 95% prediction interval.",
    "improvement_sign": "+1 when a higher score is better, −1 when worse (from the paired "
    "records).",
    "studies": "The levels pooled, in input order: level, n_pairs, estimate (the level's "
    "effect), se, ci_low / ci_high (estimate ± 1.96·se), weight (percent of the pooled "
    "weight).",
    "excluded": "Levels not pooled and why (level, n_pairs, reason): fewer pairs than the "
    "minimum cell size or suppressed in the paired results, an SD of change of 0, or for "
    "smcr a baseline SD of 0. Their effects are never shown.",
    "suppress": "Always false: levels below the minimum cell size are left out, not pooled.",
}

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

MODEL_SECTION_DOCS = {
    "mixed_models": MIXED_DOCS,
    "ancova": ANCOVA_DOCS,
    "reliability": RELIABILITY_DOCS,
    "pooled": POOLED_DOCS,
}

SECTION_DOCS = {
    "paired": {**KEY_DOCS, **PAIRED_DOCS},
    "unlinked": {**KEY_DOCS, **UNLINKED_DOCS},
    "attrition": {**KEY_DOCS, **ATTRITION_DOCS},
    "pooled": POOLED_DOCS,
}


def fields_markdown() -> str:
    """The field reference as Markdown (written to ``docs/results-fields.md``)."""
    from .multiplicity import FAMILY_DESCRIPTION, UNLINKED_FAMILY_DESCRIPTION
    from .results import SECTION_FIELDS

    lines = [
        "# Results fields",
        "",
        "Generated from `stigma_outcomes/comparison/fields.py`; the same text is in the",
        "JSON Schema (`schemas/results.schema.json`). Undefined statistics are `null`, with",
        "the reason in `note`. Confidence intervals are 95%.",
        "",
        f"Multiplicity family (p_t_holm, p_t_bh) of a linked analysis: {FAMILY_DESCRIPTION};",
        f"of an unlinked analysis: {UNLINKED_FAMILY_DESCRIPTION}.",
        "",
        "Mixed-model, ANCOVA and reliability records are described at more length in their",
        "modules (`comparison/mixed.py`, `comparison/ancova.py`, `comparison/reliability.py`);",
        "pooled (random-effects) records in `comparison/pooling.py`.",
    ]
    for section, fields in SECTION_FIELDS.items():
        lines += ["", f"## `{section}`", "", "| field | type | meaning |", "| --- | --- | --- |"]
        docs = SECTION_DOCS[section]
        for name, kind in fields.items():
            lines.append(f"| `{name}` | {kind} | {docs[name]} |")
    for section, docs in MODEL_SECTION_DOCS.items():
        if section in SECTION_FIELDS:
            continue  # already listed with its types above
        lines += ["", f"## `{section}`", "", "| field | meaning |", "| --- | --- |"]
        lines += [f"| `{name}` | {meaning} |" for name, meaning in docs.items()]
    lines += [
        "",
        "## `plan` (stigma-outcomes plan --json; so.plan_sample_size)",
        "",
        "Not a section of the results file: the plan for the next cohort.",
        "",
        "| field | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in PLAN_DOCS.items()]
    lines += [
        "",
        "## `plan` from a pilot (stigma-outcomes plan RESULTS --outcome X --json)",
        "",
        "| field | meaning |",
        "| --- | --- |",
    ]
    lines += [f"| `{name}` | {meaning} |" for name, meaning in PILOT_PLAN_DOCS.items()]
    return "\n".join(lines) + "\n"
