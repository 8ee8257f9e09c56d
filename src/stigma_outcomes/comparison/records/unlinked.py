"""The `unlinked` section of the results: UnlinkedRecord."""

from __future__ import annotations

from typing import ClassVar, Literal

from ._types import KEY_DOCS, Bool, Count, Flag, Label, Number, Record, Sign, Text, described


class UnlinkedRecord(Record):
    """An unlinked contrast: two waves of anonymous respondents compared as independent samples."""

    section: ClassVar[str] = "unlinked"

    design: Literal["unlinked"] = described(KEY_DOCS["design"])
    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    group_column: Text = described(KEY_DOCS["group_column"], required=False)
    group: Text = described(KEY_DOCS["group"])
    from_wave: Text = described(KEY_DOCS["from_wave"])
    to_wave: Text = described(KEY_DOCS["to_wave"])
    n_before: Count = described("Respondents with a valid score at from_wave.")
    mean_before: Number = described("Mean at from_wave.", required=False)
    sd_before: Number = described("SD (n − 1) at from_wave.", required=False)
    n_after: Count = described("Respondents with a valid score at to_wave.")
    mean_after: Number = described("Mean at to_wave.", required=False)
    sd_after: Number = described("SD (n − 1) at to_wave.", required=False)
    mean_difference: Number = described("mean_after − mean_before.")
    mean_difference_ci_low: Number = described(
        "Lower limit of the Welch 95% interval (R t.test(after, before)).",
        required=False,
    )
    mean_difference_ci_high: Number = described(
        "Upper limit of the Welch 95% interval.",
        required=False,
    )
    t: Number = described("Welch t statistic.")
    df: Number = described("Welch–Satterthwaite degrees of freedom.")
    p_t: Number = described("Two-sided p of the Welch t test.")
    p_t_holm: Number = described(
        "p_t adjusted by Holm's method over the family of Welch t tests of the unlinked "
        "analysis (every record with a defined p_t; see meta.multiplicity); R p.adjust(p, "
        "'holm')."
    )
    p_t_bh: Number = described(
        "p_t adjusted by Benjamini–Hochberg over the same family; R p.adjust(p, 'BH')."
    )
    hedges_g: Number = described(
        "mean_difference / √((sd_after² + sd_before²)/2) × J(Welch df) "
        "(effectsize::hedges_g(after, before, pooled_sd = FALSE))."
    )
    hedges_g_ci_low: Number = described(
        "Lower 95% limit of hedges_g from the noncentral t (exact roots).",
        required=False,
    )
    hedges_g_ci_high: Number = described("Upper 95% limit of hedges_g.", required=False)
    mann_whitney_w: Number = described(
        "W of R wilcox.test(after, before): rank sum of 'after' minus n_after(n_after + 1)/2."
    )
    p_mann_whitney: Number = described(
        "Two-sided p: exact when both samples have fewer than 50 values and no ties, else "
        "normal approximation with continuity and tie correction (as R)."
    )
    mann_whitney_method: Text = described(
        "'exact' or the normal approximation used.",
        required=False,
    )
    rank_biserial: Number = described(
        "2W / (n_after · n_before) − 1; positive when scores are higher after."
    )
    improvement_sign: Sign = described(
        "+1 when a higher score is better, −1 when worse.",
        required=False,
    )
    threshold: Number = described(
        "The threshold of the share: the user's (compare's --clinical-threshold, the API's "
        "threshold=), else the scale's clinical cutoff when it has one on its worse side; "
        "null when neither.",
        required=False,
    )
    threshold_rule: Text = described(
        "The rule counted: score >= threshold (higher is better) or score <= threshold "
        "(higher is worse) for a user threshold; for the clinical cutoff, the rule for "
        "outside the clinical range (e.g. score < 10 when the range is score >= 10), named in "
        "note.",
        required=False,
    )
    n_beyond_before: Count = described("Respondents meeting threshold_rule before.", required=False)
    prop_beyond_before: Number = described("n_beyond_before / n_before.", required=False)
    n_beyond_after: Count = described("Respondents meeting threshold_rule after.", required=False)
    prop_beyond_after: Number = described("n_beyond_after / n_after.", required=False)
    risk_difference: Number = described("prop_beyond_after − prop_beyond_before.", required=False)
    risk_difference_ci_low: Number = described(
        "Lower limit of the Wald 95% interval (R prop.test(correct = FALSE)), clipped to [−1, 1].",
        required=False,
    )
    risk_difference_ci_high: Number = described(
        "Upper limit of the Wald 95% interval.",
        required=False,
    )
    odds_ratio: Number = described(
        "Odds of meeting the rule after vs before (0.5 added to every cell when one is zero).",
        required=False,
    )
    odds_ratio_ci_low: Number = described(
        "Lower limit of the Woolf (log) 95% interval.",
        required=False,
    )
    odds_ratio_ci_high: Number = described(
        "Upper limit of the Woolf (log) 95% interval.",
        required=False,
    )
    suppress: Bool = described(KEY_DOCS["suppress"])
    too_few_to_interpret: Flag = described(KEY_DOCS["too_few_to_interpret"], required=False)
    note: Text = described(KEY_DOCS["note"], required=False)
