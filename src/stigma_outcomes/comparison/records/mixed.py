"""The `mixed_models` section of the results: MixedModelRecord."""

from __future__ import annotations

from typing import ClassVar

from ._types import KEY_DOCS, Count, Flag, Items, Label, Number, Record, Text, described


class MixedModelRecord(Record):
    """A random-intercept model of one scale over every wave (score ~ wave (× group) + (1 |
    participant)).
    """

    section: ClassVar[str] = "mixed_models"

    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    group_column: Text = described(
        "Grouping column whose interaction with wave is modelled; null for score ~ wave alone.",
        required=False,
    )
    group: Text = described("Always null: one model covers every group.", required=False)
    n_participants: Count = described(
        "Participants with at least one valid score at the modelled waves.",
        required=False,
    )
    n_observations: Count = described(
        "Valid scores in the model (all waves; participants who miss a wave still count).",
        required=False,
    )
    waves: Items = described("Wave levels modelled, baseline first.", required=False)
    group_levels: Items = described(
        "Group levels, reference first (null without a group column), in R's factor() order: "
        "numbers written as text by value ('2' before '10'), other text alphabetically.",
        required=False,
    )
    reference_group: Text = described(
        "The group every group coefficient is compared with (the first of group_levels); null "
        "without a group column.",
        required=False,
    )
    fixed_effects: Items = described(
        "Treatment-coded fixed effects as lme4 fixef/vcov: term (R's name), estimate, se, df "
        "(Satterthwaite, as lmerTest), t (estimate / se), p (two-sided, from t with df), "
        "ci_low/ci_high (95%, from t with df); and the normal-approximation Wald versions z "
        "(= t), p_wald, ci_low_wald/ci_high_wald. Matches lmerTest summary(fit).",
        required=False,
    )
    participant_variance: Number = described(
        "REML variance of the random participant intercept (lme4 VarCorr).",
        required=False,
    )
    residual_variance: Number = described("REML residual variance (lme4 VarCorr).", required=False)
    reml_criterion: Number = described(
        "−2 × restricted log-likelihood at the optimum (lme4 REMLcrit).",
        required=False,
    )
    wave_means: Items = described(
        "Model-estimated mean per wave (and group): wave, group, n (valid scores in that "
        "cell), mean, se, df (Satterthwaite), ci_low/ci_high (95%, from t with df; lmerTest "
        "contest), ci_low_wald/ci_high_wald (95% Wald z).",
        required=False,
    )
    contrasts: Items = described(
        "Each later wave minus baseline, within group: from_wave, to_wave, group, estimate, "
        "se, df (Satterthwaite), t, p (two-sided, from t with df), ci_low/ci_high (95%, from "
        "t with df; lmerTest contest), and the Wald z, p_wald, ci_low_wald/ci_high_wald.",
        required=False,
    )
    anova: Items = described(
        "Joint F test per model term, as lmerTest anova(fit, type = 3) with Satterthwaite df: "
        "term ('wave'; with a group also the group column's name, e.g. 'arm', and "
        "'wave:arm'), hypothesis (in words), num_df (rows tested), den_df (Satterthwaite, "
        "lmerTest's rule for several df), f, p (upper tail of F(num_df, den_df)), sum_sq and "
        "mean_sq (as lmerTest: mean_sq = f × residual_variance). Type III hypotheses, which "
        "do not depend on the coding: 'wave' tests that the wave means are equal, each "
        "averaged over the groups with equal weight (without a group: that all wave means are "
        "equal); the group term that the group means, averaged over the waves with equal "
        "weight, are equal; 'wave:arm' that every group changes alike from baseline to each "
        "later wave — the test of a programme effect over several waves. Empty when the model "
        "could not be fitted.",
        required=False,
    )
    converged: Flag = described("Whether the REML optimisation converged.", required=False)
    optimizer: Text = described(
        "How the one-dimensional REML criterion was minimised.",
        required=False,
    )
    method: Text = described("'REML'.", required=False)
    df_method: Text = described(
        "How confidence intervals and p values were obtained: Satterthwaite t (as R's "
        "lmerTest) for p, ci_low and ci_high; Wald z for z, p_wald and the *_wald limits.",
        required=False,
    )
    too_few_to_interpret: Flag = described(KEY_DOCS["too_few_to_interpret"], required=False)
    note: Text = described(KEY_DOCS["note"], required=False)
