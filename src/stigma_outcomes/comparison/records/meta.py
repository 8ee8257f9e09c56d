"""The `meta` object of the results: what was run, on what, and what to know about it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

RESULTS_SCHEMA_VERSION = "1.0"
"""Version of the results layout, ``MAJOR.MINOR``, written as ``meta.schema_version``.

A reader accepts every file of its own major version (a newer minor only adds optional
fields, kept as they are) and files written before versions existed (no
``schema_version``), which are checked field by field but not for completeness.
"""


class InputFile(BaseModel):
    """One input of the analysis, by name and content."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = Field(description="File name (or a description of an in-memory table).")
    sha256: str | None = Field(
        None,
        pattern="^[0-9a-f]{64}$",
        description="SHA-256 of the input's bytes (absent for a results object pooled in memory).",
    )


class ResultsMeta(BaseModel):
    """``meta``: package and version, schema version, settings, inputs, and what to know."""

    model_config = ConfigDict(extra="allow", frozen=True)

    package: str = Field(description="Always 'stigma_outcomes'.")
    version: str = Field(description="Version of the package that wrote the file.")
    schema_version: str | None = Field(
        None,
        pattern=r"^\d+\.\d+$",
        description="Version of this layout (MAJOR.MINOR); absent in files written before "
        "layouts were versioned.",
    )
    settings: dict[str, Any] = Field(
        description="The comparison's settings as run (waves, design, group and pooling "
        "columns, minimum cell size, reliable-change choices, overrides)."
    )
    inputs: list[InputFile] = Field(description="Every input with its SHA-256 fingerprint.")
    multiplicity: dict[str, Any] | None = Field(
        None, description="Adjustment methods of p_t_holm / p_t_bh, the family and its size."
    )
    scales: list[dict[str, Any]] | None = Field(
        None, description="Each scale's direction and reliability, with where they came from."
    )
    wave_counts: list[dict[str, Any]] | None = Field(
        None, description="Valid scores per wave (and group) of each scale."
    )
    warnings: list[str] | None = Field(None, description="What the evaluator should know.")
    not_computed: list[str] | None = Field(
        None, description="Sections the design does not allow, and why."
    )
