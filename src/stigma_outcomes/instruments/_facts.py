"""Sourced facts of an instrument definition: provenance and each scale's published facts.

Where a fact comes from and how well it is established (:class:`Fact`, :class:`SourcedFact`,
:class:`Provenance`), and the facts a scale may carry: bands, a conversion table, norms,
reliability, a minimal important change and a clinical cut-off. Re-exported by
:mod:`stigma_outcomes.instruments.schema`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from ._base import LicenseStatus, Number, Operator, Verification, _Model


class Fact(_Model):
    """Where a fact comes from and how well it is established."""

    source: str = Field(min_length=3, description="Citation or URL the fact rests on.")
    status: Verification = Field(
        "verified",
        description="verified (two independent sources), single_source, uncertain, "
        "convention (widely used, not the authors' rule) or computed (derived by us).",
    )


class License(_Model):
    status: LicenseStatus
    note: str = Field(min_length=3, description="Plain-language terms of use.")


class SourcedFact(_Model):
    """One fact of a definition, the sources it rests on and how well they establish it.

    ``verified`` needs at least two independent sources; a fact resting on one source is
    ``single_source`` (the project never ships a score-changing fact that is).

    Examples
    --------
    >>> SourcedFact(fact="reverse keys 2, 3", status="verified", sources=["A", "B"]).status
    'verified'
    """

    fact: str = Field(min_length=3, description="The fact, e.g. 'reverse-keyed items 2 and 3'.")
    status: Verification
    sources: list[str] = Field(min_length=1, description="Citations or URLs, one per source.")
    scoring: bool = Field(
        True,
        description="True when the fact changes a score (items, codes, keys, method, missing "
        "rule); false for facts such as the DOI or licence.",
    )

    @model_validator(mode="after")
    def _two_for_verified(self) -> SourcedFact:
        if self.status == "verified" and len(self.sources) < 2:
            raise ValueError(
                f"fact '{self.fact}' is marked verified but names {len(self.sources)} source; "
                "verified needs two independent sources (otherwise use single_source)"
            )
        return self


class Provenance(_Model):
    citation: str = Field(min_length=10)
    doi: str | None = Field(None, description="DOI without the https://doi.org/ prefix.")
    license: License
    wording_shipped: bool = Field(
        False,
        description="True only for public-domain wording. Copyrighted wording is never shipped; "
        "items carry our own short labels and users may overlay their licensed wording.",
    )
    sources: list[SourcedFact | str] = Field(
        default_factory=list,
        description="Sources for the facts of this definition: per fact (fact, status, "
        "sources), or as plain text naming a source.",
    )

    @field_validator("doi")
    @classmethod
    def _bare_doi(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("10."):
            raise ValueError("a DOI starts with '10.' (leave out any https://doi.org/ prefix)")
        return value


class Band(_Model):
    label: str
    min: Number
    max: Number

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise ValueError(f"band '{self.label}' has min {self.min} above max {self.max}")
        return self


class Bands(Fact):
    """Labelled score ranges; both ends inclusive, at the precision the boundaries are written."""

    levels: list[Band] = Field(min_length=2)


class ConversionRow(_Model):
    raw: Number
    score: Number
    se: Number | None = None


class Conversion(Fact):
    """A table from raw score to a reported score (e.g. raw sum → T-score with its SE)."""

    to: str = Field(description="Name of the converted metric, e.g. 'T-score'.")
    table: list[ConversionRow] = Field(min_length=2)


class Norm(Fact):
    population: str
    mean: Number
    sd: Annotated[float, Field(gt=0)]
    n: int | None = Field(None, gt=0)


class ReliabilityValue(Fact):
    value: Annotated[float, Field(gt=0, lt=1)]
    n: int | None = Field(None, gt=0)


class TestRetest(ReliabilityValue):
    interval: str | None = Field(None, description="Retest interval, e.g. '2 weeks'.")


class Reliability(_Model):
    alpha: ReliabilityValue | None = None
    test_retest: TestRetest | None = None


class Mcid(Fact):
    value: Annotated[float, Field(gt=0)]


class ClinicalCutoff(Fact):
    """The clinical (dysfunctional) range is ``score <operator> value``."""

    value: Number
    operator: Operator
    label: str = Field(description="Name of the clinical range, e.g. 'lonely'.")
