"""The evaluation file's ``report:`` block: formats, authorship, and the optional sections.

:mod:`stigma_outcomes.evaluation` embeds :class:`ReportOptions`; the funder sections' own
option models are in :mod:`.asks.options`. Imported only when an evaluation file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .asks.options import (
    CostOptions,
    DoseOptions,
    NarrativeOptions,
    NormsOptions,
    Target,
    VoicesOptions,
    WhoOptions,
)


class PlanningOptions(BaseModel):
    """Ask for the report's "Planning the next cohort" section (report/planning.py)."""

    model_config = ConfigDict(extra="forbid")

    power: float = Field(0.8, gt=0, lt=1, description="Target power of the next cohort.")
    alpha: float = Field(0.05, gt=0, lt=1, description="Two-sided significance level.")
    outcomes: list[str] = Field(
        default_factory=list, description="INSTRUMENT.SCALE to plan for (default: all)."
    )
    attrition: float | None = Field(
        None, ge=0, lt=1, description="Expected attrition (default: this cohort's)."
    )


REPORT_LANGUAGES = ("en",)
"""Languages the report's text is written in. The code marks the documents' language (for
screen readers and PDF/UA), so a code the text is not written in would mislead them."""


def report_language(code: str) -> str:
    """The report's language code, checked against :data:`REPORT_LANGUAGES` (ValueError).

    Examples
    --------
    >>> report_language("EN")
    'en'
    >>> report_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: the report's text is written in English only: use 'en' (not 'fr')
    """
    folded = code.strip().lower()
    if folded not in REPORT_LANGUAGES:
        raise ValueError(f"the report's text is written in English only: use 'en' (not {code!r})")
    return folded


class ReportOptions(BaseModel):
    """How the report looks and which formats are written."""

    model_config = ConfigDict(extra="forbid")

    formats: list[Literal["pdf", "html", "md"]] = Field(
        default_factory=lambda: ["pdf", "html", "md"]
    )
    author: str = Field("Programme evaluation team", description="Organisation, not a person.")
    language: str = Field(
        "en",
        description="ISO 639-1 code of the report's language; its text is written in English "
        "('en'), the one language accepted.",
    )
    keywords: list[str] = Field(default_factory=lambda: ["outcomes", "evaluation"])
    date: str | None = Field(None, description="Date text printed under the title.")
    planning: PlanningOptions | None = Field(
        None, description="Add a 'Planning the next cohort' section (sample sizes)."
    )
    who: WhoOptions | None = Field(None, description="Add 'Who took part' (demographics).")
    dose: DoseOptions | None = Field(None, description="Add 'Dose' (sessions attended).")
    targets: list[Target] = Field(
        default_factory=list, description="The programme's own targets, met or not."
    )
    norms: NormsOptions | None = Field(
        None, description="Add baseline compared with the instruments' published norms."
    )
    cost: CostOptions | None = Field(None, description="Add cost per participant.")
    voices: VoicesOptions | None = Field(None, description="Add consented quotes.")
    narrative: NarrativeOptions | None = Field(
        None, description="Add the evaluator's narrative and recommendations."
    )

    @field_validator("language")
    @classmethod
    def _written_in(cls, value: str) -> str:
        return report_language(value)

    def funder_asks(self, base: Path) -> dict[str, Any] | None:
        """The funder sections asked for, as plain data with file paths made absolute
        (relative to the evaluation file's folder ``base``); None when none is asked."""
        names = ("who", "dose", "targets", "norms", "cost", "voices", "narrative")
        asked = [n for n in names if getattr(self, n)]
        asks = self.model_dump(include=set(asked)) if asked else {}
        for name in ("voices", "narrative"):
            if asks.get(name, {}).get("file"):
                asks[name]["file"] = str((base / asks[name]["file"]).resolve())
        return asks or None
