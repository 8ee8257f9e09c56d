"""The `ancova` section of the results: AncovaRecord."""

from __future__ import annotations

from typing import ClassVar

from ._types import (
    KEY_DOCS,
    Bool,
    Count,
    Flag,
    Items,
    Label,
    Number,
    Record,
    Table,
    Text,
    described,
)


class AncovaRecord(Record):
    """One term of an ANCOVA between groups: post ~ pre (+ covariates) + group."""

    section: ClassVar[str] = "ancova"

    instrument: Label = described(KEY_DOCS["instrument"])
    scale: Label = described(KEY_DOCS["scale"])
    from_wave: Text = described("Baseline wave (the 'pre' covariate).")
    to_wave: Text = described("Later wave (the outcome).")
    group_column: Text = described("Grouping column compared (e.g. arm).", required=False)
    covariates: Items = described("Extra baseline covariates in the model.", required=False)
    n: Count = described(
        "Complete cases: participants with both waves, a group and every covariate.",
        required=False,
    )
    n_by_group: Table = described("Complete cases per group level.", required=False)
    reference_group: Text = described(
        "Group the others are compared with, named in every record (default: the first level "
        "in R's factor() order, numbers as text by value, so '2' before '10').",
        required=False,
    )
    group: Text = described(
        "Group compared with the reference; null on the overall F-test record.",
        required=False,
    )
    term: Text = described(
        "R's coefficient name (e.g. armIntervention), or 'group' for the overall F test.",
        required=False,
    )
    adjusted_difference: Number = described(
        "Group − reference difference in later-wave means at equal baseline score (and "
        "covariates): the group coefficient of lm(post ~ pre + group).",
        required=False,
    )
    adjusted_difference_se: Number = described(
        "Standard error of adjusted_difference.",
        required=False,
    )
    adjusted_difference_ci_low: Number = described(
        "Lower 95% t limit of adjusted_difference.",
        required=False,
    )
    adjusted_difference_ci_high: Number = described(
        "Upper 95% t limit of adjusted_difference.",
        required=False,
    )
    t: Number = described("t statistic of the group coefficient.", required=False)
    df: Number = described("Residual degrees of freedom of the model.", required=False)
    p: Number = described(
        "Two-sided p of the group coefficient (on the overall record: of the F test).",
        required=False,
    )
    partial_eta_squared: Number = described(
        "Partial eta squared of the group term (or of this contrast).",
        required=False,
    )
    F: Number = described("F statistic of the whole group term.", required=False)
    df1: Number = described("Numerator degrees of freedom of the F test.", required=False)
    df2: Number = described("Denominator degrees of freedom of the F test.", required=False)
    eta_squared_method: Text = described(
        "How partial eta squared was computed (sums of squares used).",
        required=False,
    )
    suppress: Bool = described(
        "True when a group the record rests on (the group and the reference group; every "
        "group for the overall test) has fewer people than the minimum cell size.",
        required=False,
    )
    too_few_to_interpret: Flag = described(KEY_DOCS["too_few_to_interpret"], required=False)
    note: Text = described(KEY_DOCS["note"], required=False)
