"""The instrument definition schema (SPEC §3) as pydantic models.

Field names follow SPEC §3 exactly: other tools, tests and users' own definitions rely on
them. These models check each field on its own; checks that need the whole definition
(every scale item exists, ranges agree with items, bands cover the range, ...) live in
:mod:`stigma_outcomes.instruments.checks`.

The JSON Schema generated from :class:`Instrument` is committed at ``instruments/schema.json``
so that editors can autocomplete definitions.
"""

from __future__ import annotations

import math
import warnings

from pydantic import Field, field_validator, model_validator

from ..errors import UnknownNameError
from ._base import (
    _ITEM_ID,
    KNOWN_DOMAINS,
    Direction,
    Domain,
    ItemIds,
    LicenseStatus,
    LowerId,
    Method,
    Number,
    Operator,
    Verification,
    _code_key,
    _Model,
    code_key,
)
from ._facts import (
    Band,
    Bands,
    ClinicalCutoff,
    Conversion,
    ConversionRow,
    Fact,
    License,
    Mcid,
    Norm,
    Provenance,
    Reliability,
    ReliabilityValue,
    SourcedFact,
    TestRetest,
)

__all__ = [
    "KNOWN_DOMAINS",
    "AlertRule",
    "Band",
    "Bands",
    "ClinicalCutoff",
    "Conversion",
    "ConversionRow",
    "Direction",
    "Domain",
    "Fact",
    "Instrument",
    "Item",
    "ItemIds",
    "License",
    "LicenseStatus",
    "LowerId",
    "Mcid",
    "Method",
    "MissingCode",
    "Norm",
    "Number",
    "Operator",
    "Provenance",
    "Reliability",
    "ReliabilityValue",
    "ResponseOption",
    "Scale",
    "SourcedFact",
    "TestRetest",
    "Verification",
    "code_key",
    "json_schema",
]


class ResponseOption(_Model):
    code: Number
    label: str = Field(min_length=1)
    synonyms: list[str] = Field(default_factory=list)


class MissingCode(_Model):
    """An answer that is not a point on the scale, e.g. "Don't know"."""

    label: str = Field(min_length=1)
    code: Number | None = Field(None, description="The code an export may use for this answer.")
    synonyms: list[str] = Field(default_factory=list)
    score_as: Number | None = Field(
        None, description="Value to score it as (the authors' rule), or null for missing."
    )
    source: str | None = None


class Item(_Model):
    id: str
    label: str = Field(description="Our own 2–6 word label; never the instrument's wording.")
    scale: str = Field(description="Name of the response scale in response_scales.")
    reverse: bool = False
    recode: dict[str, Number] | None = Field(
        None,
        description="Per-item recode from response codes (as text keys) to scored values, "
        "applied after reversal, e.g. dichotomous scoring.",
    )
    missing_codes: list[MissingCode] = Field(default_factory=list)
    wording: str | None = Field(None, description="Only for public-domain wording or an overlay.")

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value

    @field_validator("id")
    @classmethod
    def _id_shape(cls, value: str) -> str:
        if not _ITEM_ID.match(value):
            raise ValueError("an item id uses letters, digits and underscores only, e.g. '7'")
        return value

    @field_validator("label")
    @classmethod
    def _label_words(cls, value: str) -> str:
        words = len(value.split())
        if not 1 <= words <= 8:
            raise ValueError(f"an item label is a short label of 2–6 words, got {words} words")
        return value

    @field_validator("recode", mode="before")
    @classmethod
    def _recode_keys(cls, value: object) -> object:
        if isinstance(value, dict):
            return {_code_key(k): v for k, v in value.items()}
        return value


def _parse_min_answered(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            return float(text[:-1]) / 100.0
    return value


class Scale(_Model):
    id: LowerId
    name: str
    items: ItemIds = Field(min_length=1)
    method: Method
    min_answered: int | float = Field(
        description="Fewest items that must be answered: a count (integer ≥ 1) or a proportion "
        "(a number between 0 and 1, or a string such as '80%')."
    )
    min_answered_source: str | None = Field(
        None, description="The authors' rule, or why the project chose this default."
    )
    missing_item_value: Number | None = Field(
        None,
        description="For a 'sum' that allows unanswered items: the keyed value each "
        "unanswered item counts as (e.g. 0 in the De Jong Gierveld manual), as the authors' "
        "rule says; without it a sum must have every item answered.",
    )
    direction: Direction
    range: tuple[Number, Number]
    bands: Bands | None = None
    conversion: Conversion | None = None
    norms: list[Norm] = Field(default_factory=list)
    reliability: Reliability | None = None
    mcid: Mcid | None = None
    clinical_cutoff: ClinicalCutoff | None = None
    notes: str | None = None

    @field_validator("min_answered", mode="before")
    @classmethod
    def _min_answered_text(cls, value: object) -> object:
        return _parse_min_answered(value)

    @field_validator("min_answered")
    @classmethod
    def _min_answered_positive(cls, value: int | float) -> int | float:
        if isinstance(value, bool):
            raise ValueError("min_answered is a count or a proportion, not true/false")
        if isinstance(value, int) and value < 1:
            raise ValueError("min_answered as a count must be at least 1")
        if isinstance(value, float) and not 0 < value <= 1:
            raise ValueError("min_answered as a proportion must be above 0 and at most 1")
        return value

    @model_validator(mode="after")
    def _range_ordered(self) -> Scale:
        if self.range[0] >= self.range[1]:
            raise ValueError(f"range {list(self.range)} must go from low to high")
        return self

    def required_answers(self) -> int:
        """Number of answered items needed for a score.

        Examples
        --------
        >>> s = Scale(id="t", name="T", items=["1", "2", "3", "4", "5"], method="mean",
        ...           min_answered=0.8, direction="higher_is_worse", range=(1, 4))
        >>> s.required_answers()
        4
        """
        if isinstance(self.min_answered, float):
            # A small tolerance keeps 0.8 * 5 from becoming 4.0000000001 → 5.
            return max(1, math.ceil(self.min_answered * len(self.items) - 1e-9))
        return self.min_answered


class AlertRule(_Model):
    """An item-level rule an evaluator must see; never reaches a funder report."""

    id: str
    items: ItemIds = Field(min_length=1)
    operator: Operator = Field(description="Compared with the item's response code (unreversed).")
    value: Number
    message: str
    source: str | None = None


# SPEC §3 names a field `construct`, which shadows pydantic's deprecated BaseModel.construct;
# the field name is the public contract, so the warning is silenced for this class only.
warnings.filterwarnings("ignore", message='Field name "construct"', category=UserWarning)


class Instrument(_Model):
    """A validated instrument definition (SPEC §3)."""

    id: LowerId = Field(description="Lower-case identifier, e.g. 'ucla3'.")
    name: str
    short_name: str
    construct: str
    domain: LowerId = Field(
        description="What the instrument measures, from the documented vocabulary ("
        + ", ".join(KNOWN_DOMAINS)
        + ") or a lower-case domain of your own, e.g. 'programme_satisfaction'."
    )
    version: str = Field(description="Version of this definition (not of the instrument).")
    provenance: Provenance
    response_scales: dict[str, list[ResponseOption]] = Field(min_length=1)
    items: list[Item] = Field(min_length=1)
    scales: list[Scale] = Field(min_length=1)
    alerts: list[AlertRule] = Field(default_factory=list)
    notes: str | None = None

    @field_validator("version", mode="before")
    @classmethod
    def _version_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    def item(self, item_id: str) -> Item:
        """Return the item with this id."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise UnknownNameError.among("item", item_id, self.item_ids, where=self.id)

    def scale(self, scale_id: str) -> Scale:
        """Return the scale (subscale or total) with this id."""
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise UnknownNameError.among("scale", scale_id, [s.id for s in self.scales], where=self.id)

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]


def json_schema() -> dict[str, object]:
    """The JSON Schema of an instrument definition, as committed in ``instruments/schema.json``."""
    schema = Instrument.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "stigma_outcomes instrument definition"
    return schema
