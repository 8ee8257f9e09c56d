"""The `attrition` section of the results: AttritionRecord."""

from __future__ import annotations

from typing import ClassVar

from ._types import KEY_DOCS, Bool, Count, Flag, Label, Number, Record, Text, described


class AttritionRecord(Record):
    """Completers against dropouts at baseline, for one later wave."""

    section: ClassVar[str] = "attrition"

    design: Text = described(KEY_DOCS["design"], required=False)
    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    group_column: Text = described(KEY_DOCS["group_column"], required=False)
    group: Text = described(KEY_DOCS["group"])
    from_wave: Text = described("The baseline wave whose scores are compared.", required=False)
    wave: Text = described("The later wave that completers have and dropouts lack.")
    n_at_wave: Count = described(
        "Participants with a valid score at the later wave (with or without baseline).",
        required=False,
    )
    n_baseline: Count = described(
        "Participants with a valid baseline score (completers + dropouts).",
        required=False,
    )
    n_completers: Count = described("Baseline participants with a valid score at the later wave.")
    n_dropouts: Count = described("Baseline participants without a valid score at the later wave.")
    prop_retained: Number = described("n_completers / n_baseline.", required=False)
    mean_completers: Number = described("Baseline mean of completers.")
    sd_completers: Number = described("Baseline SD (n − 1) of completers.", required=False)
    mean_dropouts: Number = described("Baseline mean of dropouts.")
    sd_dropouts: Number = described("Baseline SD (n − 1) of dropouts.", required=False)
    mean_difference: Number = described("mean_completers − mean_dropouts.", required=False)
    mean_difference_ci_low: Number = described(
        "Lower limit of the Welch 95% interval.",
        required=False,
    )
    mean_difference_ci_high: Number = described(
        "Upper limit of the Welch 95% interval.",
        required=False,
    )
    t: Number = described("Welch t statistic (completers − dropouts).")
    df: Number = described("Welch–Satterthwaite degrees of freedom.")
    p: Number = described("Two-sided p of the Welch t test.")
    hedges_g: Number = described(
        "Hedges' g with the pooled SD, completers − dropouts (effectsize::hedges_g default)."
    )
    hedges_g_ci_low: Number = described(
        "Lower 95% limit of hedges_g from the noncentral t (exact roots).",
        required=False,
    )
    hedges_g_ci_high: Number = described("Upper 95% limit of hedges_g.", required=False)
    suppress: Bool = described(KEY_DOCS["suppress"], required=False)
    too_few_to_interpret: Flag = described(KEY_DOCS["too_few_to_interpret"], required=False)
    note: Text = described(KEY_DOCS["note"], required=False)
