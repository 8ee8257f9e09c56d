"""The evaluation file's optional funder sections (``report.who``, ``dose``, ``targets``,
``norms``, ``cost``, ``voices``, ``narrative``): their fields, checks and meanings.

They live beside the sections they configure; :mod:`stigma_outcomes.evaluation` embeds them in
``ReportOptions``. Imported only when an evaluation file is read (pydantic stays off the
report-only path).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class WhoOptions(BaseModel):
    """Ask for "Who took part": counts by carried demographic columns, change by subgroup."""

    model_config = ConfigDict(extra="forbid")

    columns: list[str] = Field(
        min_length=1,
        description="Carried columns to describe (e.g. age_band, gender, ethnicity, site); "
        "each must also be listed under 'carry' (or be the groups / pool_by column).",
    )
    outcomes_by: list[str] | None = Field(
        None, description="Columns to show each outcome's change by (default: 'columns')."
    )
    outcomes: list[str] = Field(
        default_factory=list, description="INSTRUMENT.SCALE to show by subgroup (default: all)."
    )
    merge_small: bool = Field(
        True, description="Merge categories smaller than the privacy threshold into one."
    )


class DoseOptions(BaseModel):
    """Ask for "Dose": sessions attended, completion, change by dose band (not causal)."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(description="Carried column of sessions attended (a number).")
    offered: int | None = Field(None, ge=1, description="Sessions offered.")
    complete_at: int | None = Field(
        None, ge=1, description="Sessions that count as completing the programme."
    )
    bands: list[int] = Field(
        min_length=1,
        description="Lower edges of the dose bands after the first, ascending: [3, 6] gives "
        "0-2, 3-5 and 6 or more sessions.",
    )
    outcomes: list[str] = Field(
        default_factory=list, description="INSTRUMENT.SCALE to show by dose (default: all)."
    )

    @field_validator("bands")
    @classmethod
    def _ascending(cls, value: list[int]) -> list[int]:
        if any(b <= 0 for b in value) or value != sorted(set(value)):
            raise ValueError("band edges must be positive whole numbers in ascending order")
        return value


class Target(BaseModel):
    """One of the programme's own targets, e.g. 60% reliably less lonely."""

    model_config = ConfigDict(extra="forbid")

    outcome: str = Field(description="INSTRUMENT.SCALE, e.g. ucla3.total.")
    measure: Literal["reliably_improved", "reliably_deteriorated", "mean_change"] = Field(
        description="'reliably_improved': at least this % reliably better; "
        "'reliably_deteriorated': at most this % reliably worse; 'mean_change': an average "
        "improvement of at least this many score points."
    )
    value: float = Field(ge=0, description="The target: a percentage, or score points.")
    group: str | None = Field(
        None, description="Group the target is for (default: the programme arm, if any)."
    )
    label: str | None = Field(None, description="How the target is named in the report.")

    @field_validator("outcome")
    @classmethod
    def _dotted(cls, value: str) -> str:
        return _outcome_key(value)

    @field_validator("value")
    @classmethod
    def _percent(cls, value: float, info: Any) -> float:
        measure = info.data.get("measure")
        if measure in ("reliably_improved", "reliably_deteriorated") and value > 100:
            raise ValueError(f"a share target is a percentage from 0 to 100, got {value}")
        return value


class NormsOptions(BaseModel):
    """Ask for "Compared with published norms" (only scales whose definition has norms)."""

    model_config = ConfigDict(extra="forbid")

    outcomes: list[str] = Field(
        default_factory=list, description="INSTRUMENT.SCALE to compare (default: all)."
    )


class CostOptions(BaseModel):
    """Ask for "Cost": cost per participant and per reliably improved participant."""

    model_config = ConfigDict(extra="forbid")

    budget: float = Field(gt=0, description="The programme's total cost for this cohort.")
    currency: str = Field(description="Currency code or symbol printed before amounts, e.g. £.")
    outcome: str = Field(description="INSTRUMENT.SCALE whose reliable improvement is costed.")
    group: str | None = Field(
        None, description="Group the budget paid for (default: the programme arm, if any)."
    )

    @field_validator("outcome")
    @classmethod
    def _dotted(cls, value: str) -> str:
        return _outcome_key(value)

    @field_validator("currency")
    @classmethod
    def _short(cls, value: str) -> str:
        if not 1 <= len(value.strip()) <= 4:
            raise ValueError("give a currency code or symbol of 1 to 4 characters, e.g. £ or USD")
        return value.strip()


class VoicesOptions(BaseModel):
    """Ask for "In participants' words": quotes from an evaluator-curated file."""

    model_config = ConfigDict(extra="forbid")

    file: str = Field(
        description="YAML list of quotes, each with 'quote', 'consent' (must be true to be "
        "shown) and optionally 'attribution'; relative to this file. Never the export."
    )
    max: int = Field(3, ge=1, le=3, description="At most this many quotes (2 or 3 is usual).")


class NarrativeOptions(BaseModel):
    """The evaluator's own narrative and recommendations, printed as written."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="The narrative itself.")
    file: str | None = Field(None, description="A Markdown file holding the narrative.")
    recommendations: list[str] = Field(
        default_factory=list, description="Recommendations, one per item."
    )

    @model_validator(mode="after")
    def _one_source(self) -> NarrativeOptions:
        if self.text is not None and self.file is not None:
            raise ValueError("give the narrative as 'text' or as 'file', not both")
        if self.text is None and self.file is None and not self.recommendations:
            raise ValueError("give 'text', 'file' or 'recommendations'")
        return self


def _outcome_key(value: str) -> str:
    if value.count(".") != 1 or not all(value.split(".")):
        raise ValueError(f"'{value}' should be INSTRUMENT.SCALE, e.g. ucla3.total")
    return value
