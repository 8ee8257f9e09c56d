"""The `paired` section of the results: PairedRecord."""

from __future__ import annotations

from typing import ClassVar, Literal

from ._types import KEY_DOCS, Bool, Count, Flag, Label, Number, Record, Sign, Text, described


class PairedRecord(Record):
    """A paired (linked) contrast of one scale in one group: change, tests, effect sizes and
    reliable change.
    """

    section: ClassVar[str] = "paired"

    design: Literal["linked"] = described(KEY_DOCS["design"])
    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    group_column: Text = described(KEY_DOCS["group_column"], required=False)
    group: Text = described(KEY_DOCS["group"])
    from_wave: Text = described(KEY_DOCS["from_wave"])
    to_wave: Text = described(KEY_DOCS["to_wave"])
    n_pairs: Count = described("Participants with a valid ('ok') score at both waves.")
    pre_mean: Number = described("Mean at from_wave over the pairs.")
    pre_sd: Number = described("SD (n − 1) at from_wave over the pairs.")
    post_mean: Number = described("Mean at to_wave over the pairs.")
    post_sd: Number = described("SD (n − 1) at to_wave over the pairs.")
    mean_change: Number = described("Mean of post − pre.")
    sd_change: Number = described(
        "SD (n − 1) of post − pre; 0 when the change is essentially constant (an SD below R "
        "t.test's tolerance, 10·ε times the scale of the data, is rounding noise).",
        required=False,
    )
    mean_change_ci_low: Number = described(
        "Lower limit of the 95% t interval of mean_change (R t.test(post, pre, paired = TRUE))."
    )
    mean_change_ci_high: Number = described("Upper limit of the 95% t interval of mean_change.")
    t: Number = described("Paired t statistic, mean_change / (sd_change / √n).")
    df: Number = described("Degrees of freedom of the paired t test, n − 1.")
    p_t: Number = described("Two-sided p of the paired t test.")
    p_t_holm: Number = described(
        "p_t adjusted by Holm's method over the family of paired t tests of the analysis "
        "(every record with a defined p_t; see meta.multiplicity)."
    )
    p_t_bh: Number = described("p_t adjusted by Benjamini–Hochberg over the same family.")
    wilcoxon_v: Number = described(
        "Signed-rank V: sum of the ranks of |post − pre| with a positive difference, zero "
        "differences dropped, differences ranked unrounded (as R)."
    )
    p_wilcoxon: Number = described(
        "Two-sided p as R wilcox.test(post, pre, paired = TRUE): exact with fewer than 50 "
        "non-zero differences and no ties or zeros, else normal approximation with continuity "
        "and tie correction."
    )
    wilcoxon_method: Text = described(
        "'exact' or the normal approximation used for p_wilcoxon.",
        required=False,
    )
    n_zero_differences: Count = described(
        "Pairs with post = pre (dropped from the signed-rank test).",
        required=False,
    )
    rank_biserial: Number = described(
        "Matched-pairs rank-biserial correlation 2V / (m(m + 1)/2) − 1, m the non-zero "
        "differences (effectsize::rank_biserial); positive when scores rose."
    )
    d_z: Number = described("mean_change / sd_change.")
    d_z_ci_low: Number = described(
        "Lower 95% limit of d_z: the noncentral-t limits for t, solved exactly by root "
        "finding, divided by √n."
    )
    d_z_ci_high: Number = described("Upper 95% limit of d_z (as d_z_ci_low).")
    d_av: Number = described("mean_change / ((pre_sd + post_sd) / 2) (Lakens 2013).")
    g_av: Number = described(
        "d_av × J(n − 1), J(df) = Γ(df/2) / (√(df/2) Γ((df − 1)/2)); null for n ≤ 2."
    )
    improvement_sign: Sign = described(
        "+1 when a higher score is better, −1 when a higher score is worse (the scale's direction)."
    )
    n_improved: Count = described("Pairs whose change has the improving sign (any amount).")
    n_worsened: Count = described("Pairs whose change has the worsening sign.", required=False)
    n_unchanged: Count = described("Pairs with no change.", required=False)
    prop_improved: Number = described("n_improved / n_pairs.")
    prop_improved_ci_low: Number = described(
        "Lower limit of the Wilson 95% interval of prop_improved (R prop.test(correct = FALSE))."
    )
    prop_improved_ci_high: Number = described(
        "Upper limit of the Wilson 95% interval of prop_improved."
    )
    rci_reliability: Number = described(
        "Reliability r of the reliable change index. With the default rci_reliability 'auto' "
        "(meta.settings): a user value, else the definition's test-retest r, else its alpha, "
        "else the in-sample Cronbach's alpha at from_wave; null when none."
    )
    rci_reliability_source: Text = described(
        "Which of those r is, with its citation: 'user override', 'user scale-info: …', "
        "'definition test-retest (source, interval)', 'definition alpha (source)' or "
        "\"in-sample alpha at 'wave' (n = N)\"."
    )
    rci_sd: Number = described(
        "SD of the reliable change index: SD (n − 1) of every valid score at from_wave in the "
        "whole sample (all groups together), or the norm SD."
    )
    rci_sd_source: Text = described(
        "Where rci_sd came from (baseline sample with its n, or the norms)."
    )
    rci_s_diff: Number = described(
        "S_diff = rci_sd · √2 · √(1 − rci_reliability) (Jacobson & Truax 1991).",
        required=False,
    )
    rci_threshold: Number = described(
        "1.96 · S_diff: the smallest change in score points that is reliable."
    )
    n_reliably_improved: Count = described(
        "Pairs with RCI = (post − pre) / S_diff beyond 1.96 in the improving direction."
    )
    prop_reliably_improved: Number = described("n_reliably_improved / n_pairs.", required=False)
    n_no_reliable_change: Count = described("Pairs with |RCI| ≤ 1.96.")
    prop_no_reliable_change: Number = described("n_no_reliable_change / n_pairs.", required=False)
    n_reliably_deteriorated: Count = described(
        "Pairs with RCI beyond 1.96 in the worsening direction."
    )
    prop_reliably_deteriorated: Number = described(
        "n_reliably_deteriorated / n_pairs.",
        required=False,
    )
    n_clinical_at_pre: Count = described(
        "Pairs in the clinical range at from_wave.",
        required=False,
    )
    n_recovered: Count = described(
        "Reliably improved pairs that were in the clinical range at from_wave and are out of "
        "it at to_wave."
    )
    prop_recovered: Number = described("n_recovered / n_clinical_at_pre.", required=False)
    clinical_cutoff: Number = described("Cutoff of the clinical range used for recovery.")
    clinical_cutoff_operator: Text = described(
        "The clinical range is score <operator> clinical_cutoff.",
        required=False,
    )
    clinical_cutoff_source: Text = described("Where the cutoff came from.")
    recovery_criterion: Text = described(
        "'published' (the definition's cutoff), 'c' (Jacobson–Truax: between the baseline "
        "sample and the norms, weighted by their SDs) or 'a' (two baseline SDs beyond the "
        "baseline mean in the improving direction)."
    )
    suppress: Bool = described(KEY_DOCS["suppress"])
    too_few_to_interpret: Flag = described(KEY_DOCS["too_few_to_interpret"], required=False)
    note: Text = described(KEY_DOCS["note"], required=False)
