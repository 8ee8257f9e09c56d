"""The `pooled` section of the results: PooledRecord."""

from __future__ import annotations

from typing import ClassVar

from ._types import KEY_DOCS, Bool, Count, Items, Label, Number, Record, Sign, Text, described


class PooledRecord(Record):
    """One scale's change pooled across sites or cohorts by random-effects meta-analysis."""

    section: ClassVar[str] = "pooled"

    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    group: Text = described(
        "The arm (level of the grouping column) whose sites are pooled: with a grouping "
        "column other than pooled_over, sites are compared within each arm, never across "
        "arms; null when the sites' whole-sample change is pooled (no grouping column, or "
        "the sites are the groups, or separately analysed programmes).",
        required=False,
    )
    group_column: Text = described(
        "The grouping column of group; null with group (the pooled column is in pooled_over).",
        required=False,
    )
    pooled_over: Text = described("Site or cohort column whose levels are the studies pooled.")
    from_wave: Text = described(KEY_DOCS["from_wave"])
    to_wave: Text = described(KEY_DOCS["to_wave"])
    effect: Text = described(
        "'mean_change' (post − pre in score points; metafor escalc MC) or 'smcr' (the change "
        "divided by the baseline SD, times J(n − 1), variance 2(1 − r)/n + yi²/(2n), r the "
        "pre–post correlation from the SDs; Becker 1988, metafor SMCR). Positive when scores "
        "rose."
    )
    method: Text = described(
        "Estimator of tau2: 'REML' (restricted maximum likelihood, converged to 1e-12) or "
        "'DL' (DerSimonian–Laird); metafor rma(yi, vi, method, test = 'z')."
    )
    k: Count = described("Levels pooled.")
    n_total: Count = described("Sum of n_pairs over the levels pooled.", required=False)
    estimate: Number = described(
        "Random-effects pooled effect: the mean of the levels' effects weighted by 1 / (vi + tau2)."
    )
    se: Number = described("Standard error of estimate.")
    ci_low: Number = described("Lower limit of the 95% Wald (z) interval of estimate.")
    ci_high: Number = described("Upper limit of the 95% Wald (z) interval of estimate.")
    z: Number = described("estimate / se.", required=False)
    p: Number = described("Two-sided p of z.", required=False)
    tau2: Number = described("Between-level variance τ² of the true effects (never negative).")
    tau: Number = described("√tau2, in the units of the effect.", required=False)
    i2: Number = described(
        "I² (percent): share of the total variability due to between-level differences, "
        "100·τ² / (τ² + typical within-level variance) (Higgins & Thompson 2002; metafor I2)."
    )
    h2: Number = described(
        "H² = τ² / typical within-level variance + 1 (metafor H2).",
        required=False,
    )
    q: Number = described(
        "Cochran's Q of heterogeneity (fixed-effect weights 1/vi).",
        required=False,
    )
    q_df: Count = described("Degrees of freedom of Q, k − 1.", required=False)
    q_p: Number = described(
        "p of Q from the χ² distribution with q_df degrees of freedom.",
        required=False,
    )
    pi_low: Number = described(
        "Lower limit of the 95% prediction interval for a new level's true effect, estimate − "
        "1.96·√(se² + τ²) (metafor predict; Riley et al. 2011).",
        required=False,
    )
    pi_high: Number = described("Upper limit of the 95% prediction interval.", required=False)
    improvement_sign: Sign = described(
        "+1 when a higher score is better, −1 when worse (from the paired records).",
        required=False,
    )
    studies: Items = described(
        "The levels pooled, in input order: level, n_pairs, estimate (the level's effect), "
        "se, ci_low / ci_high (estimate ± 1.96·se), weight (percent of the pooled weight)."
    )
    excluded: Items = described(
        "Levels not pooled and why (level, n_pairs, reason): fewer pairs than the minimum "
        "cell size or suppressed in the paired results, an SD of change of 0, or for smcr a "
        "baseline SD of 0. Their effects are never shown."
    )
    suppress: Bool = described(
        "Always false: levels below the minimum cell size are left out, not pooled."
    )
